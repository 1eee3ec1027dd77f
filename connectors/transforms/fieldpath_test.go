package transforms

import (
	"slices"
	"testing"
)

func TestSplitFieldPathV2(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []string
	}{
		{"", []string{}},
		{"..", []string{"", "", ""}},
		{"foo..", []string{"foo", "", ""}},
		{".bar.", []string{"", "bar", ""}},
		{"..baz", []string{"", "", "baz"}},
		{"foobarbaz", []string{"foobarbaz"}},
		{"foo.bar.baz", []string{"foo", "bar", "baz"}},
		{"foo`bar`baz", []string{"foo`bar`baz"}},
		{"`foo.bar.baz`", []string{"foo.bar.baz"}},
		{"foo.`bar.baz`", []string{"foo", "bar.baz"}},
		{"`foo.bar`.baz", []string{"foo.bar", "baz"}},
		{"foo.`bar`.baz", []string{"foo", "bar", "baz"}},
		{"foo.``bar.baz`", []string{"foo", "`bar.baz"}},
		{"foo.`bar.baz``", []string{"foo", "bar.baz`"}},
		{"foo.`ba`r.baz`", []string{"foo", "ba`r.baz"}},
		{"foo.ba`r.baz", []string{"foo", "ba`r", "baz"}},
		{"foo.``bar``.baz", []string{"foo", "`bar`", "baz"}},
		{"``foo.bar.baz``", []string{"`foo.bar.baz`"}},
		{"foo.`bar\\`.baz`", []string{"foo", "bar`.baz"}},
		{"foo.`bar.`baz`", []string{"foo", "bar.`baz"}},
		{"foo.`bar\\`.`baz`", []string{"foo", "bar`.`baz"}},
		{"foo.`bar\\\\`.\\`baz`", []string{"foo", "bar\\`.\\`baz"}},
	} {
		p, err := parseFieldPath(tt.in, "v2")
		if err != nil || !slices.Equal(p.steps, tt.want) {
			t.Errorf("%q: got %q %v, want %q", tt.in, p.steps, err, tt.want)
		}
	}
	for in, at := range map[string]string{"`foo.bar.baz": "0", "foo.`bar.baz": "4", "foo.bar.`baz": "8", "foo.bar.`baz\\`": "8", "é.`x": "2"} {
		_, err := parseFieldPath(in, "V2")
		wantErr(t, err, "Incomplete backtick pair in path: ["+in+"], consider adding a backslash before backtick at position "+at+" to escape it")
	}
	if p, _ := parseFieldPath("foo.`bar.baz`", "V1"); !slices.Equal(p.steps, []string{"foo.`bar.baz`"}) {
		t.Errorf("V1 %q", p.steps)
	}
}
