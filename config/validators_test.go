package config

import (
	"errors"
	"testing"
)

func TestValidators(t *testing.T) {
	tests := []struct {
		name    string
		v       Validator
		in      any
		wantErr string // "" for valid
	}{
		{"at least ok", AtLeast(1), int32(1), ""},
		{"at least low", AtLeast(1), int32(0), "Value must be at least 1"},
		{"at least long", AtLeast(0), int64(-1), "Value must be at least 0"},
		{"at least short", AtLeast(-1), int16(-2), "Value must be at least -1"},
		{"at least unset", AtLeast(1), nil, ""},
		{"between ok", Between(1, 3), int64(3), ""},
		{"between high", Between(1, 3), int32(4), "Value must be between 1 and 3"},
		{"non-empty ok", NonEmptyString(), "x", ""},
		{"non-empty blank", NonEmptyString(), " \t", "String must be non-empty"},
		{"non-empty unset", NonEmptyString(), nil, ""},
		{"name ok", NonEmptyStringWithoutControlChars(), "my connector", ""},
		{"name empty", NonEmptyStringWithoutControlChars(), "", "String may not be empty"},
		{"name control chars", NonEmptyStringWithoutControlChars(), "a\nb\rc\x7f\u0085", "String may not contain control sequences but had the following ASCII chars: 10, 13, 127, 133"},
		{"name unicode ok", NonEmptyStringWithoutControlChars(), "café 😀", ""},
		{"name unset", NonEmptyStringWithoutControlChars(), nil, ""},
		{"one of ignores case", OneOf("poll", "interval"), "POLL", ""},
		{"one of bad", OneOf("poll", "interval"), "never", "String must be one of (case insensitive): poll, interval"},
		{"in exact", In("none", "all"), "all", ""},
		{"in is case-sensitive", In("none", "all"), "ALL", "String must be one of: none, all"},
		{"unique ok", UniqueAliases("transformation aliases"), []string{"a", "b"}, ""},
		{"unique duplicate", UniqueAliases("transformation aliases"), []string{"a", "b", "a"}, "Duplicate alias provided."},
		{"unique empty", UniqueAliases("x"), []string{}, ""},
		{"regex ok", Regex(), "topic-.*", ""},
		{"regex bad", Regex(), "topic-(", "Invalid regex: error parsing regexp: missing closing ): `topic-(`"},
		{"regex java-only", Regex(), "(?=a)", "Invalid regex: error parsing regexp: invalid or unsupported Perl syntax: `(?=`"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.v(tt.in)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.wantErr {
				t.Errorf("got %q, want %q", got, tt.wantErr)
			}
		})
	}
}

func TestDescribe(t *testing.T) {
	custom := func(v any) error {
		if s, ok := v.(string); ok && s == "bad" {
			return errors.New("bad")
		}
		return nil
	}
	tests := []struct {
		v    Validator
		want string
	}{
		{nil, ""},
		{custom, ""},
		{Described("a topic name", custom), "a topic name"},
		{Described("anything", nil), "anything"},
		{AtLeast(1), "[1,...]"},
		{Between(-1, 5), "[-1,...,5]"},
		{NonEmptyString(), "non-empty string"},
		{NonEmptyStringWithoutControlChars(), "non-empty string without ISO control characters"},
		{OneOf("a", "b"), "(case insensitive) [a, b]"},
		{In("none", "all"), "[none, all]"},
		{UniqueAliases("predicate aliases"), "unique predicate aliases"},
		{Regex(), "valid regex"},
	}
	for _, tt := range tests {
		if got := Describe(tt.v); got != tt.want {
			t.Errorf("Describe: got %q, want %q", got, tt.want)
		}
	}
	// A described validator still validates.
	if err := Described("x", custom)("bad"); err == nil || err.Error() != "bad" {
		t.Errorf("described validator: got %v", err)
	}
}
