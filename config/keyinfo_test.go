package config

import (
	"encoding/json"
	"testing"
)

func TestConfigKeyInfos(t *testing.T) {
	infos := docsDef().ConfigKeyInfos()
	byName := make(map[string]ConfigKeyInfo, len(infos))
	for _, ki := range infos {
		byName[ki.Name] = ki
	}
	str := func(p *string) string {
		if p == nil {
			return "<null>"
		}
		return *p
	}
	tests := []struct {
		name         string
		wantType     string
		wantRequired bool
		wantDefault  string
		wantGroup    string
		wantOrder    int
	}{
		{"file", "STRING", true, "<null>", "Common", 1},
		{"batch.size", "INT", false, "2000", "Common", 2},
		{"topics", "LIST", false, "a,b", "<null>", -1},
		{"empty", "STRING", false, "", "<null>", -1},
		{"unset", "LONG", false, "<null>", "<null>", -1},
		{"secret", "PASSWORD", false, "[hidden]", "<null>", -1},
		{"ratio", "DOUBLE", false, "0.5", "<null>", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ki, ok := byName[tt.name]
			if !ok {
				t.Fatalf("no info for %s", tt.name)
			}
			if ki.Type != tt.wantType || ki.Required != tt.wantRequired || str(ki.DefaultValue) != tt.wantDefault ||
				str(ki.Group) != tt.wantGroup || ki.Order != tt.wantOrder {
				t.Errorf("got %+v (default %s, group %s)", ki, str(ki.DefaultValue), str(ki.Group))
			}
			if ki.Width != "NONE" || ki.DisplayName != tt.name || ki.Dependents == nil {
				t.Errorf("Kafka's fixed fields: got width %q, display name %q, dependents %v", ki.Width, ki.DisplayName, ki.Dependents)
			}
		})
	}
	if len(infos) != len(docsDef().Keys) {
		t.Errorf("got %d infos, want one per key (%d)", len(infos), len(docsDef().Keys))
	}
}

// TestConfigKeyInfoJSON pins the field names Kafka's ConfigKeyInfo
// serialises, "order" included (Kafka reads order_in_group but writes order).
func TestConfigKeyInfoJSON(t *testing.T) {
	b, err := json.Marshal(docsDef().ConfigKeyInfos()[0])
	if err != nil {
		t.Fatal(err)
	}
	want := `{"name":"file","type":"STRING","required":true,"default_value":null,"importance":"HIGH","documentation":"File to read.","group":"Common","width":"NONE","display_name":"file","dependents":[],"order":1}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
}
