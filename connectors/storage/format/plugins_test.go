package format

import (
	"bytes"
	"testing"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

func TestPlugins(t *testing.T) {
	tests := []struct {
		class string
		cfg   map[string]string
		ext   string
	}{
		{HDFSAvro, nil, ".avro"},
		{S3Avro, map[string]string{KeyAvroCodec: "snappy"}, ".avro"},
		{HDFSParquet, nil, ".parquet"},
		{S3Parquet, nil, ".snappy.parquet"},
		{S3Parquet, map[string]string{KeyParquetCodec: "gzip"}, ".gz.parquet"},
		{S3Parquet, map[string]string{KeyParquetCodec: "none"}, ".parquet"},
		{HDFSJSON, nil, ".json"},
		{S3JSON, map[string]string{KeyJSONDecimalFormat: "NUMERIC"}, ".json"},
		{HDFSString, nil, ".txt"},
		{S3ByteArray, nil, ".bin"},
		{S3ByteArray, map[string]string{KeyByteArrayExtension: ".raw"}, ".raw"},
	}
	for _, tt := range tests {
		t.Run(tt.class+tt.ext, func(t *testing.T) {
			p, ok := Lookup(tt.class)
			if !ok {
				t.Fatalf("Lookup(%s) failed", tt.class)
			}
			vals, err := p.Def.Parse(tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			f, err := p.New(vals)
			if err != nil {
				t.Fatal(err)
			}
			if got := f.Extension(); got != tt.ext {
				t.Errorf("Extension() = %q, want %q", got, tt.ext)
			}
			if _, err := f.NewWriter(&bytes.Buffer{}); err != nil {
				t.Errorf("NewWriter: %v", err)
			}
		})
	}
	if _, ok := Lookup("io.confluent.connect.hdfs.avro.Nope"); ok {
		t.Error("Lookup of an unknown class succeeded")
	}
}

func TestPluginsInvalidConfig(t *testing.T) {
	for class, cfg := range map[string]map[string]string{
		S3Avro:    {KeyAvroCodec: "bzip2"},
		S3Parquet: {KeyParquetCodec: "lzo"},
		S3JSON:    {KeyJSONDecimalFormat: "HEX"},
	} {
		p, _ := Lookup(class)
		if _, err := p.Def.Parse(cfg); err == nil {
			t.Errorf("%s %v: no error", class, cfg)
		}
	}
}

// TestPluginsMerge checks that a connector can merge every format's keys
// into one Def and build any format from the parsed values.
func TestPluginsMerge(t *testing.T) {
	var defs []*config.Def
	for _, p := range Plugins() {
		defs = append(defs, p.Def)
	}
	merged := (&config.Def{}).Merge(defs...)
	vals, err := merged.Parse(map[string]string{KeyByteArraySeparator: `\r\n`})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := Lookup(S3ByteArray)
	f, err := p.New(vals)
	if err != nil {
		t.Fatal(err)
	}
	if got := writeAll(t, f, record(nil, []byte("x"), 0)); got != "x\r\n" {
		t.Errorf("got %q, want %q", got, "x\r\n")
	}
	if got := writeAll(t, mustDefault(t, S3ByteArray), record(connectors.BytesSchema, []byte("y"), 0)); got != "y\n" {
		t.Errorf("default separator: got %q, want %q", got, "y\n")
	}
}

func mustDefault(t *testing.T, class string) Format {
	t.Helper()
	p, _ := Lookup(class)
	vals, err := p.Def.Parse(nil)
	if err != nil {
		t.Fatal(err)
	}
	f, err := p.New(vals)
	if err != nil {
		t.Fatal(err)
	}
	return f
}
