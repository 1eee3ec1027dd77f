package partition

import (
	"errors"
	"math"
	"testing"
)

func TestCommittedName(t *testing.T) {
	tests := []struct {
		topic      string
		part       int32
		start, end int64
		pad        int
		ext, want  string
	}{
		{"orders", 3, 0, 99, 10, ".avro", "orders+3+0000000000+0000000099.avro"},
		{"a.b_c-d", 0, 12345678901, 12345678999, 10, ".snappy.parquet", "a.b_c-d+0+12345678901+12345678999.snappy.parquet"},
		{"t", 2147483647, 5, math.MaxInt64, 0, "", "t+2147483647+5+9223372036854775807"},
	}
	for _, tc := range tests {
		got := CommittedName(tc.topic, tc.part, tc.start, tc.end, tc.pad, tc.ext)
		if got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
			continue
		}
		f, err := ParseCommittedName(got)
		if err != nil || f.Topic != tc.topic || f.Partition != tc.part || f.Start != tc.start || f.End != tc.end || f.Extension != tc.ext {
			t.Errorf("round trip of %q: %+v, %v", got, f, err)
		}
	}
	if got := ObjectName("orders", 1, 42, 10, ".json"); got != "orders+1+0000000042.json" {
		t.Errorf("ObjectName = %q", got)
	}
	if got := padOffset(-1, 4); got != "-001" {
		t.Errorf("padOffset(-1, 4) = %q, want Java's %%04d", got)
	}
}

func TestParseCommittedNameRejects(t *testing.T) {
	for _, name := range []string{
		"", "orders", "orders+1+2", "orders+1+2+3+4", "orders+1+0000000000.avro",
		"+1+2+3", "or ders+1+2+3", "a/b+1+2+3", "..+1+2+3", "t+-1+2+3", "t+1+-2+3", "t+1+2+-3",
		"t++2+3", "t+1++3", "t+1+2+", "t+1+2+.avro", "t+x+2+3", "t+1+2a+3", "t+1+2+3a", "t+1+2+3 .avro",
		"t+2147483648+2+3", "t+1+9223372036854775808+9223372036854775808", "t+1+5+4",
		"t+1+2+3.a/b", "t+1+٣+3", "t+1+2+3_tmp.avro", "t+1+ 2+3",
	} {
		if f, err := ParseCommittedName(name); err == nil || !errors.Is(err, ErrNotCommitted) {
			t.Errorf("ParseCommittedName(%q) = %+v, %v", name, f, err)
		}
	}
}

func TestLayout(t *testing.T) {
	var l Layout
	if got := l.CommittedDir("orders", "year=2024/month=05"); got != "topics/orders/year=2024/month=05" {
		t.Errorf("CommittedDir = %q", got)
	}
	if got := l.TempFile("orders", "partition=3", "0f8e", ".avro"); got != "topics/+tmp/orders/partition=3/0f8e_tmp.avro" {
		t.Errorf("TempFile = %q", got)
	}
	l = Layout{TopicsDir: "/data/t", LogsDir: "/data/l"}
	if got := l.WAL("orders", 3); got != "/data/l/orders/3/log" {
		t.Errorf("WAL = %q", got)
	}
}

func FuzzParseCommittedName(f *testing.F) {
	for _, s := range []string{"orders+3+0000000000+0000000099.avro", "t+1+2+3", "a+b+c+d", "t+1+5+4", "+++"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		c, err := ParseCommittedName(name)
		if err != nil {
			return
		}
		if c.Start < 0 || c.End < c.Start || c.Partition < 0 {
			t.Fatalf("%q parsed to %+v", name, c)
		}
		again := CommittedName(c.Topic, c.Partition, c.Start, c.End, c.PaddedWidth, c.Extension)
		c2, err := ParseCommittedName(again)
		if err != nil || c2 != c {
			t.Fatalf("%q: rewritten %q parsed to %+v, %v", name, again, c2, err)
		}
	})
}
