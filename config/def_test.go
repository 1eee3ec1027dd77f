package config

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestSplitList(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", []string{}},
		{"  \t ", []string{}},
		{"a", []string{"a"}},
		{" a , b ,c ", []string{"a", "b", "c"}},
		{"a,,b", []string{"a", "", "b"}},
		{"a,", []string{"a", ""}},
		{"a\n,\tb", []string{"a", "b"}},
		{"\x01a,b\x01", []string{"a", "b"}},     // Java's trim drops control characters at the ends
		{"a\u00a0,b", []string{"a\u00a0", "b"}}, // but \s does not match U+00A0
	}
	for _, tt := range tests {
		if got := SplitList(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("SplitList(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseTrimsLikeJava(t *testing.T) {
	d := &Def{Keys: []Key{
		{Name: "s", Type: String},
		{Name: "i", Type: Int},
		{Name: "b", Type: Bool},
		{Name: "p", Type: Password},
	}}
	v, err := d.Parse(map[string]string{"s": "\x00 x\u00a0 \t", "i": " 7\r", "b": "\tTRUE ", "p": " secret "})
	if err != nil {
		t.Fatal(err)
	}
	if got := v.String("s"); got != "x\u00a0" {
		t.Errorf("string: got %q", got)
	}
	if v.Int("i") != 7 || !v.Bool("b") {
		t.Errorf("int %d, bool %v", v.Int("i"), v.Bool("b"))
	}
	if got := v.Password("p").Value(); got != " secret " {
		t.Errorf("passwords are not trimmed: got %q", got)
	}
}

func TestParseSkipsKeysWithoutEffect(t *testing.T) {
	d := &Def{Keys: []Key{
		{Name: "dist", Type: Int, Required: true, Status: DistributedOnly},
		{Name: "gone", Type: Int, Validate: AtLeast(5), Status: Removed},
		{Name: "later", Type: Int, Validate: AtLeast(5), Status: NotUsedYet},
	}}
	_, err := d.Parse(map[string]string{"dist": "x", "gone": "1", "later": "1"})
	problems := Problems(err)
	if len(problems) != 1 {
		t.Fatalf("got %v, want only the NotUsedYet key rejected", problems)
	}
	var ke *KeyError
	if !errors.As(problems[0], &ke) || ke.Key != "later" || !errors.Is(ke, ErrInvalid) {
		t.Errorf("got %v", problems[0])
	}
}

func TestMergeKeepsPrefixes(t *testing.T) {
	a := &Def{Keys: []Key{{Name: "x", Doc: "a"}}, Prefixes: []Prefix{{Name: "p.", Doc: "a"}}}
	b := &Def{Keys: []Key{{Name: "x", Doc: "b"}, {Name: "y"}}, Prefixes: []Prefix{{Name: "p.", Doc: "b"}, {Name: "q."}}}
	m := a.Merge(nil, b)
	if len(m.Keys) != 2 || m.Keys[0].Doc != "a" || len(m.Prefixes) != 2 || m.Prefixes[0].Doc != "a" || m.Prefixes[1].Name != "q." {
		t.Errorf("got %+v", m)
	}
	if len(a.Keys) != 1 || len(a.Prefixes) != 1 {
		t.Error("Merge changed its receiver")
	}
}

func TestEmbedNamesKeysAsWritten(t *testing.T) {
	d := &Def{Keys: []Key{{Name: "field", Type: String, Required: true}, {Name: "n", Type: Int, Default: int32(1)}}, Prefixes: []Prefix{{Name: "x."}}}
	e := d.Embed("transforms.a.")
	_, err := e.Parse(map[string]string{"transforms.a.n": "two", "transforms.a.x.y": "1", "transforms.a.feild": "f"})
	var keys []string
	for _, p := range Problems(err) {
		var ke *KeyError
		if errors.As(p, &ke) {
			keys = append(keys, ke.Key)
		}
	}
	if want := []string{"transforms.a.field", "transforms.a.n"}; !slices.Equal(keys, want) {
		t.Errorf("problems name %q, want %q", keys, want)
	}
	w := e.Warnings(map[string]string{"transforms.a.feild": "f", "transforms.a.x.y": "1"})
	if len(w) != 1 || !strings.Contains(w[0], `did you mean "transforms.a.field"`) {
		t.Errorf("warnings %q", w)
	}
	if d.Keys[0].Name != "field" || d.Prefixes[0].Name != "x." {
		t.Error("Embed changed its receiver")
	}
}

func TestUnknown(t *testing.T) {
	d := &Def{Keys: []Key{{Name: "a"}}, Prefixes: []Prefix{{Name: "p."}}}
	raw := map[string]string{"a": "", "p.x": "", "q.y": "", "zz": "", "p": ""}
	if got, want := d.Unknown(raw, "q."), []string{"p", "zz"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestLongestPrefixWins(t *testing.T) {
	d := &Def{Prefixes: []Prefix{{Name: "admin."}, {Name: "admin.listeners.https.", Status: NotUsedYet}}}
	if p, _ := d.prefix("admin.listeners.https.ssl.protocol"); p.Status != NotUsedYet {
		t.Errorf("got %+v", p)
	}
	if p, _ := d.prefix("admin.retries"); p.Name != "admin." {
		t.Errorf("got %+v", p)
	}
}

func TestStatusString(t *testing.T) {
	for s, want := range map[Status]string{Active: "active", NotUsedYet: "not used yet", DistributedOnly: "distributed mode only", Removed: "removed", Status(99): "unknown"} {
		if s.String() != want {
			t.Errorf("%d: got %q, want %q", s, s.String(), want)
		}
	}
}
