package config

// ConfigKeyInfo is one key as Kafka's REST API describes it in
// GET /connector-plugins/{plugin}/config, field for field, so that tools
// written against Kafka read it unchanged.
type ConfigKeyInfo struct {
	Name          string   `json:"name"`
	Type          string   `json:"type"`
	Required      bool     `json:"required"`
	DefaultValue  *string  `json:"default_value"`
	Importance    string   `json:"importance"`
	Documentation string   `json:"documentation"`
	Group         *string  `json:"group"`
	Width         string   `json:"width"`
	DisplayName   string   `json:"display_name"`
	Dependents    []string `json:"dependents"`
	Order         int      `json:"order"`
}

// ConfigKeyInfos describes d's keys, in order, as Kafka's REST API does.
// As in Kafka's ConfigDef, a key without a group has order -1 and keys of a
// group are numbered from 1; required means "has no default", and a
// default of null is a JSON null.
func (d *Def) ConfigKeyInfos() []ConfigKeyInfo {
	out := make([]ConfigKeyInfo, 0, len(d.Keys))
	order := make(map[string]int)
	for _, k := range d.Keys {
		ki := ConfigKeyInfo{
			Name:          k.Name,
			Type:          k.Type.String(),
			Required:      k.Required && k.Default == nil,
			Importance:    k.Importance.String(),
			Documentation: k.Doc,
			Width:         "NONE",
			DisplayName:   k.Name,
			Dependents:    []string{},
			Order:         -1,
		}
		if k.Default != nil {
			s := defaultString(k)
			ki.DefaultValue = &s
		}
		if k.Group != "" {
			g := k.Group
			ki.Group = &g
			order[g]++
			ki.Order = order[g]
		}
		out = append(out, ki)
	}
	return out
}
