package config

import "testing"

// TestSplitWarning runs over real Warnings output, so a change to the
// sentences Warnings writes that SplitWarning no longer reads fails here.
func TestSplitWarning(t *testing.T) {
	def := docsDef()
	tests := []struct {
		key         string
		wantMessage string
		wantHint    string
	}{
		{"batch.sise", `"batch.sise" is not a known configuration key and is ignored`, `did you mean "batch.size"?`},
		{"zzz", `"zzz" is not a known configuration key and is ignored`, ""},
		{"later", `"later" is accepted but not used yet: it has no effect`, ""},
		{"old", `"old" is deprecated and ignored: Removed in 1.0.`, ""},
		{"dist", `"dist" has no effect in standalone mode: it configures distributed mode only`, ""},
		{`we"ird`, `"we\"ird" is not a known configuration key and is ignored`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			warnings := def.Warnings(map[string]string{tt.key: "x"})
			if len(warnings) != 1 {
				t.Fatalf("Warnings = %q, want one", warnings)
			}
			key, msg, hint := SplitWarning(warnings[0])
			if key != tt.key || msg != tt.wantMessage || hint != tt.wantHint {
				t.Errorf("SplitWarning(%q) = %q, %q, %q; want %q, %q, %q", warnings[0], key, msg, hint, tt.key, tt.wantMessage, tt.wantHint)
			}
		})
	}
	t.Run("no quoted key", func(t *testing.T) {
		w := `predicate "p" (Foo) is not used by any transform`
		if key, msg, hint := SplitWarning(w); key != "" || msg != w || hint != "" {
			t.Errorf("SplitWarning(%q) = %q, %q, %q; want the sentence alone", w, key, msg, hint)
		}
	})
}
