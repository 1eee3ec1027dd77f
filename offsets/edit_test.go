package offsets

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseAndFormatMap(t *testing.T) {
	tests := []struct {
		in      string
		want    map[string]any
		text    string
		wantErr string
	}{
		{in: `{"b": 1, "a": "x"}`, want: map[string]any{"a": "x", "b": int64(1)}, text: `{"a": "x", "b": 1}`},
		{in: `{"f": 1.0, "n": null, "t": true}`, want: map[string]any{"f": 1.0, "n": nil, "t": true}, text: `{"f": 1.0, "n": null, "t": true}`},
		{in: `{}`, want: map[string]any{}, text: `{}`},
		{in: `[1]`, wantErr: "want a JSON object, got [1]"},
		{in: `null`, wantErr: "want a JSON object, got null"},
		{in: `{"a": 1} {}`, wantErr: "invalid character '{' after top-level value"},
		{in: `{"a": 18446744073709551616}`, wantErr: "does not fit in a signed 64-bit integer"},
		{in: ``, wantErr: "unexpected end of JSON input"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseMap([]byte(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseMap() = %v, %v; want error containing %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("ParseMap() = %#v, %v; want %#v", got, err, tt.want)
			}
			text, err := FormatMap(got)
			if err != nil || text != tt.text {
				t.Errorf("FormatMap() = %q, %v; want %q", text, err, tt.text)
			}
		})
	}
	if _, err := FormatMap(map[string]any{"c": make(chan int)}); err == nil {
		t.Error("FormatMap accepted a channel")
	}
	if got, err := FormatMap(map[string]any{"n": 3, "u": uint8(4)}); err != nil || got != `{"n": 3, "u": 4}` {
		t.Errorf("FormatMap(Go integers) = %q, %v", got, err)
	}
}
