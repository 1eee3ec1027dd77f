package config

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// WriteMarkdown writes d as Markdown: a table of keys in declaration order
// (name, type, default, valid values, importance, description), then a table
// of key prefixes when d has any. A key's Status other than Active is noted
// in its description. It does not close w and returns the first write error.
func (d *Def) WriteMarkdown(w io.Writer) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("| Key | Type | Default | Valid values | Importance | Description |\n")
	bw.WriteString("|---|---|---|---|---|---|\n")
	for _, k := range d.Keys {
		def := "*required*"
		if !k.Required || k.Default != nil {
			def = code(defaultString(k))
		}
		fmt.Fprintf(bw, "| %s | %s | %s | %s | %s | %s |\n",
			code(k.Name), k.Type, def, mdCell(Describe(k.Validate)), strings.ToLower(k.Importance.String()), mdCell(withStatus(k.Doc, k.Status)))
	}
	if len(d.Prefixes) > 0 {
		bw.WriteString("\n| Prefix | Description |\n|---|---|\n")
		for _, p := range d.Prefixes {
			fmt.Fprintf(bw, "| %s | %s |\n", code(p.Name+"*"), mdCell(withStatus(p.Doc, p.Status)))
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write markdown: %w", err)
	}
	return nil
}

// defaultString renders a default as Kafka's ConfigDef.convertToString
// does: lists comma-joined, passwords hidden, and "null" for none.
func defaultString(k Key) string {
	switch v := k.Default.(type) {
	case nil:
		return "null"
	case []string:
		return strings.Join(v, ",")
	case string:
		return v
	case Secret:
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	return fmt.Sprint(k.Default)
}

func withStatus(doc string, s Status) string {
	switch s {
	case NotUsedYet:
		return doc + " *Accepted, not used yet.*"
	case DistributedOnly:
		return doc + " *Distributed mode only: no effect in standalone mode.*"
	case Removed:
		return doc + " *Ignored.*"
	}
	return doc
}

// code renders s as a Markdown code span, `""` for an empty string.
func code(s string) string {
	if s == "" {
		return "`\"\"`"
	}
	s = mdCell(s)
	if strings.Contains(s, "`") {
		return "``" + s + "``"
	}
	return "`" + s + "`"
}

// mdCell keeps s inside one table cell.
func mdCell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.Join(strings.Fields(s), " ")
}

// keyInfo is one key in WriteJSON's output: Kafka's REST ConfigKeyInfo, so
// tools reading Kafka's /connector-plugins/{plugin}/config output can read
// it, plus the valid values and the key's status here.
type keyInfo struct {
	ConfigKeyInfo
	ValidValues *string `json:"valid_values"`
	Status      string  `json:"status"`
}

type prefixInfo struct {
	Prefix        string `json:"prefix"`
	Documentation string `json:"documentation"`
	Status        string `json:"status"`
}

type defInfo struct {
	Keys     []keyInfo    `json:"keys"`
	Prefixes []prefixInfo `json:"prefixes"`
}

// WriteJSON writes d as an indented JSON object {"keys": [...],
// "prefixes": [...]}. Each key carries the fields of Kafka's REST
// ConfigKeyInfo (default_value as a string, null for none; order within its
// group, -1 without one) plus valid_values and status. It does not close w and returns the first write
// error.
func (d *Def) WriteJSON(w io.Writer) error {
	out := defInfo{Keys: make([]keyInfo, 0, len(d.Keys)), Prefixes: make([]prefixInfo, 0, len(d.Prefixes))}
	for i, ki := range d.ConfigKeyInfos() {
		k := d.Keys[i]
		info := keyInfo{ConfigKeyInfo: ki, Status: k.Status.String()}
		if desc := Describe(k.Validate); desc != "" {
			info.ValidValues = &desc
		}
		out.Keys = append(out.Keys, info)
	}
	for _, p := range d.Prefixes {
		out.Prefixes = append(out.Prefixes, prefixInfo{Prefix: p.Name, Documentation: p.Doc, Status: p.Status.String()})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}
