package config

import (
	"encoding/json"
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadConnectorFileGolden loads every file in testdata/connectors and
// compares the result, or the error, with its .golden file (go test -update
// rewrites them).
func TestLoadConnectorFileGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/connectors/*")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, ".golden") {
			continue
		}
		t.Run(filepath.Base(f), func(t *testing.T) {
			var got []byte
			cf, err := LoadConnectorFile(f)
			if err != nil {
				got = []byte("error: " + err.Error() + "\n")
			} else {
				got, err = json.MarshalIndent(cf, "", "  ")
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, '\n')
			}
			golden := f + ".golden"
			checkGolden(t, golden, got)
		})
	}
}

func TestParseConnectorFile(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		wantName  string
		wantState string
		want      map[string]string
	}{
		{"properties", "name=a\nconnector.class=X\n", "a", "", map[string]string{"name": "a", "connector.class": "X"}},
		{"properties with empty name", "name=\n", "", "", map[string]string{"name": ""}},
		{"flat json", `{"name":"a","tasks.max":2}`, "a", "", map[string]string{"name": "a", "tasks.max": "2"}},
		{"numbers keep their text", `{"name":"a","x":1.50,"y":-1e3,"z":12345678901234567890}`, "a", "",
			map[string]string{"name": "a", "x": "1.50", "y": "-1e3", "z": "12345678901234567890"}},
		{"booleans", `{"name":"a","x":true,"y":false}`, "a", "", map[string]string{"name": "a", "x": "true", "y": "false"}},
		{"number as name", `{"name":7}`, "7", "", map[string]string{"name": "7"}},
		{"initial_state in a flat file is a config", `{"name":"a","initial_state":"PAUSED"}`, "a", "",
			map[string]string{"name": "a", "initial_state": "PAUSED"}},
		{"flat config named config", `{"name":"a","config":"x"}`, "a", "", map[string]string{"name": "a", "config": "x"}},
		{"duplicate keys: last wins", `{"name":"a","k":"1","k":"2"}`, "a", "", map[string]string{"name": "a", "k": "2"}},
		{"json escapes", `{"name":"a","k":"\u00e9\n\ud83d\ude00"}`, "a", "", map[string]string{"name": "a", "k": "é\n😀"}},
		{"request", `{"name":"a","config":{"x":"1"}}`, "a", "", map[string]string{"name": "a", "x": "1"}},
		{"request with matching inner name", `{"name":"a","config":{"name":"a"}}`, "a", "", map[string]string{"name": "a"}},
		{"request with coerced values", `{"name":"a","config":{"tasks.max":3,"b":true}}`, "a", "", map[string]string{"name": "a", "tasks.max": "3", "b": "true"}},
		{"request ignores other fields", `{"name":"a","config":{},"tasks":[{"x":1}],"type":"sink"}`, "a", "", map[string]string{"name": "a"}},
		{"initial state running", `{"name":"a","config":{},"initial_state":"RUNNING"}`, "a", StateRunning, map[string]string{"name": "a"}},
		{"initial state any case", `{"name":"a","config":{},"initial_state":"stopped"}`, "a", StateStopped, map[string]string{"name": "a"}},
		{"initial state mixed case", `{"name":"a","config":{},"initial_state":"Paused"}`, "a", StatePaused, map[string]string{"name": "a"}},
		{"initial state null", `{"name":"a","config":{},"initial_state":null}`, "a", "", map[string]string{"name": "a"}},
		{"json with byte order mark", "\xef\xbb\xbf{\"name\":\"a\"}", "a", "", map[string]string{"name": "a"}},
		{"json after blank lines", "\n\n  \t{\"name\":\"a\"}\n", "a", "", map[string]string{"name": "a"}},
		{"only an object is json", "[section]\nname=a\n", "a", "", map[string]string{"[section]": "", "name": "a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cf, err := ParseConnectorFile("c", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if cf.Path != "c" || cf.Name != tt.wantName || cf.InitialState != tt.wantState || !mapsEqual(cf.Config, tt.want) {
				t.Errorf("got %+v, want name %q, state %q, config %q", cf, tt.wantName, tt.wantState, tt.want)
			}
		})
	}
}

func TestParseConnectorFileErrors(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		want     string
		sentinel error
	}{
		{"properties without name", "a=b\n", "Connector configuration at 'c' is missing the mandatory 'name' configuration", ErrMissing},
		{"empty file", "", "Connector configuration at 'c' is missing the mandatory 'name' configuration", ErrMissing},
		{"json without name", `{"a":"b"}`, "Connector configuration at 'c' is missing the mandatory 'name' configuration", ErrMissing},
		{"request without any name", `{"config":{}}`, "Connector configuration at 'c' is missing the mandatory 'name' configuration", ErrMissing},
		{"request with null name", `{"name":null,"config":{}}`, "Connector configuration at 'c' is missing the mandatory 'name' configuration", ErrMissing},
		{"name mismatch", `{"name":"a","config":{"name":"b"}}`, "Connector name configuration in 'config' doesn't match the one specified in 'name' at 'c'", ErrInvalid},
		{"inner name only", `{"config":{"name":"b"}}`, "Connector name configuration in 'config' doesn't match the one specified in 'name' at 'c'", ErrInvalid},
		{"broken properties escape", "name=a\nx=\\u12", `parse c: line 2: malformed \uxxxx escape "\\u12"`, nil},
		{"trailing comma", "{\n  \"name\": \"a\",\n}", "parse c: line 3, column 1: invalid character '}' looking for beginning of object key string", nil},
		{"missing comma", "{\"name\":\"a\"\n \"b\":1}", "parse c: line 2, column 2: invalid character '\"' after object key:value pair", nil},
		{"truncated", "{\"name\":\"a\"", "parse c: line 1, column 12: unexpected end of JSON input", nil},
		{"trailing data", "{\"name\":\"a\"}\n}", "parse c: line 2, column 1: invalid character '}' after top-level value", nil},
		{"single quotes", "{'name':'a'}", "parse c: line 1, column 2: invalid character '\\'' looking for beginning of object key string", nil},
		{"comment", "{\"name\":\"a\" // x\n}", "parse c: line 1, column 13: invalid character '/' after object key:value pair", nil},
		{"invalid utf-8", "{\"name\":\"a\xff\"}", "parse c: line 1, column 11: invalid UTF-8; a JSON file must be UTF-8", nil},
		{"array value", "{\"name\":\"a\",\n \"topics\":[\"x\"]}", `parse c: line 2, column 11: "topics": expected a string, number or boolean, got an array; configs are strings, or go in a "config" object next to "name"`, nil},
		{"object value without config", "{\"name\":\"a\",\"x\":{}}", `parse c: line 1, column 17: "x": expected a string, number or boolean, got an object; configs are strings, or go in a "config" object next to "name"`, nil},
		{"null value", "{\"name\":\"a\",\"x\":null}", `parse c: line 1, column 17: "x": expected a string, number or boolean, got null`, nil},
		{"first bad value reported", "{\"name\":\"a\",\"z\":[],\"a\":{}}", `parse c: line 1, column 17: "z": expected a string, number or boolean, got an array; configs are strings, or go in a "config" object next to "name"`, nil},
		{"array in config", "{\"name\":\"a\",\"config\":{\"t\":[1]}}", `parse c: line 1, column 27: "t" in "config": expected a string, number or boolean, got an array`, nil},
		{"null in config", "{\"name\":\"a\",\"config\":{\"t\":null}}", `parse c: line 1, column 27: "t" in "config": expected a string, number or boolean, got null`, nil},
		{"object name", "{\"name\":{},\"config\":{}}", `parse c: line 1, column 9: "name": expected a string, got an object`, nil},
		{"bad initial state", "{\"name\":\"a\",\"config\":{},\"initial_state\":\"STARTED\"}", `parse c: line 1, column 41: "initial_state": got "STARTED", want one of "RUNNING", "PAUSED" or "STOPPED"`, nil},
		{"numeric initial state", "{\"name\":\"a\",\"config\":{},\"initial_state\":1}", `parse c: line 1, column 41: "initial_state": got 1, want one of "RUNNING", "PAUSED" or "STOPPED"`, nil},
		{"deep nesting", "{\"a\":" + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "}", "parse c: line 1, column 10005: invalid character '[' exceeded max depth", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConnectorFile("c", []byte(tt.in))
			if err == nil || err.Error() != tt.want {
				t.Fatalf("got error %v\nwant %s", err, tt.want)
			}
			if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
				t.Errorf("error does not wrap %v", tt.sentinel)
			}
			var pe *ParseError
			if strings.HasPrefix(tt.want, "parse c: ") && (!errors.As(err, &pe) || pe.File != "c") {
				t.Errorf("got %T, want a *ParseError naming the file", err)
			}
		})
	}
}

func TestLoadConnectorFileMissing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope.properties")
	_, err := LoadConnectorFile(path)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("got %v, want fs.ErrNotExist", err)
	}
	if !strings.HasPrefix(err.Error(), "read "+path+": ") {
		t.Errorf("got %v, want it to name the file", err)
	}
}

// FuzzParseConnectorFile checks that parsing never panics, that a parsed
// file has its name in its config, and that JSON files' configs survive a
// round trip through Kafka's creation request form.
func FuzzParseConnectorFile(f *testing.F) {
	addSeeds(f, "testdata/connectors/*")
	f.Fuzz(func(t *testing.T, data []byte) {
		cf, err := ParseConnectorFile("f", data)
		if err != nil {
			var pe *ParseError
			if errors.As(err, &pe) && (pe.Line < 1 || pe.File != "f") {
				t.Fatalf("error %v has no position", err)
			}
			return
		}
		if cf.Config[KeyName] != cf.Name || cf.Path != "f" {
			t.Fatalf("name %q, config name %q", cf.Name, cf.Config[KeyName])
		}
		switch cf.InitialState {
		case "", StateRunning, StatePaused, StateStopped:
		default:
			t.Fatalf("initial state %q", cf.InitialState)
		}
		req := map[string]any{"name": cf.Name, "config": cf.Config}
		if cf.InitialState != "" {
			req["initial_state"] = cf.InitialState
		}
		b, err := json.Marshal(req)
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParseConnectorFile("f", b)
		if err != nil {
			t.Fatalf("re-parse %s: %v", b, err)
		}
		if back.Name != cf.Name || back.InitialState != cf.InitialState || !mapsEqual(back.Config, cf.Config) {
			t.Fatalf("round trip changed %+v into %+v", cf, back)
		}
	})
}
