package format

import (
	"errors"
	"fmt"
	"io"
	"math"
	"unicode/utf8"

	"github.com/hamba/avro/v2"
	"github.com/hamba/avro/v2/ocf"

	"github.com/connect-standalone/connect-standalone/connectors"
)

// Avro writes Avro object container files, as Confluent's AvroFormat
// (HDFS and S3): the writer schema is derived from the first record's
// value schema as Confluent's AvroData derives it.
type Avro struct {
	// Codec is the block compression: "null", "deflate", "snappy" or
	// "zstandard"; empty means "null".
	Codec string
}

// avroSyncInterval is Java's DataFileWriter default block size, in bytes.
const avroSyncInterval = 64000

// Extension returns ".avro".
func (Avro) Extension() string { return ".avro" }

// NewWriter returns a Writer of an Avro file. The header is written with
// the first record, when the schema is known.
func (f Avro) NewWriter(w io.Writer) (Writer, error) {
	codec := ocf.CodecName(f.Codec)
	switch codec {
	case "":
		codec = ocf.Null
	case ocf.Null, ocf.Deflate, ocf.Snappy, ocf.ZStandard:
	default:
		return nil, fmt.Errorf("avro: unsupported codec %q", f.Codec)
	}
	return &avroWriter{out: w, codec: codec, datum: avro.NewWriter(nil, 512)}, nil
}

type avroWriter struct {
	out   io.Writer
	codec ocf.CodecName
	guard schemaGuard
	enc   *ocf.Encoder
	datum *avro.Writer // encodes one value, so a bad value never reaches the file
}

// plainWriter hides an *os.File from ocf.NewEncoder, which would append to
// a non-empty file with that file's schema rather than start a new one.
type plainWriter struct{ io.Writer }

func (w *avroWriter) Write(r connectors.SinkRecord) error {
	s := r.Value.Schema
	if s == nil {
		return errors.New("avro: cannot write a schemaless value; use a converter that provides schemas, or the JSON format")
	}
	first, err := w.guard.check(s)
	if err != nil {
		return err
	}
	if first {
		schema, err := avroSchemaJSON(s)
		if err != nil {
			return err
		}
		w.enc, err = ocf.NewEncoder(string(schema), plainWriter{w.out},
			ocf.WithCodec(w.codec),
			ocf.WithBlockLength(math.MaxInt32),
			ocf.WithBlockSize(avroSyncInterval),
			ocf.WithEncoderSchemaCache(&avro.SchemaCache{}),
			ocf.WithSchemaMarshaler(func(avro.Schema) ([]byte, error) { return schema, nil }))
		if err != nil {
			return fmt.Errorf("avro: start file with schema %s: %w", schema, err)
		}
	}
	if w.enc == nil {
		return errors.New("avro: file could not be started")
	}
	w.datum.Reset(nil)
	if err := encodeAvro(w.datum, s, r.Value.Value, 0); err != nil {
		return fmt.Errorf("avro: record at offset %d: %w", r.Offset, err)
	}
	if _, err := w.enc.Write(w.datum.Buffer()); err != nil {
		return fmt.Errorf("avro: write: %w", err)
	}
	return nil
}

func (w *avroWriter) Close() error {
	if w.enc == nil {
		return nil
	}
	if err := w.enc.Close(); err != nil {
		return fmt.Errorf("avro: close: %w", err)
	}
	return nil
}

// encodeAvro writes v in the binary encoding of the Avro schema that
// avroSchemaJSON derives from s, as AvroData.fromConnectData converts it.
func encodeAvro(w *avro.Writer, s *connectors.Schema, v any, depth int) error {
	if depth > maxDepth {
		return fmt.Errorf("nesting deeper than %d", maxDepth)
	}
	if v == nil && !s.Optional {
		v = s.Default
	}
	if s.Optional {
		// The union is [null, T], or [T, null] for a non-struct with a default.
		nullFirst := s.Default == nil || s.Type == connectors.Struct
		switch {
		case v == nil && nullFirst:
			w.WriteLong(0)
			return nil
		case v == nil:
			w.WriteLong(1)
			return nil
		case nullFirst:
			w.WriteLong(1)
		default:
			w.WriteLong(0)
		}
	}
	if v == nil {
		return fmt.Errorf("null value for non-optional %s schema", s.Type)
	}
	v, err := fromLogical(s, v)
	if err != nil {
		return err
	}
	switch s.Type {
	case connectors.Int8, connectors.Int16, connectors.Int32:
		n, ok := integer(v)
		if !ok || !fits(s.Type, v) {
			return typeError(s, v)
		}
		w.WriteInt(int32(n))
	case connectors.Int64:
		n, ok := v.(int64)
		if !ok {
			return typeError(s, v)
		}
		w.WriteLong(n)
	case connectors.Float32:
		f, ok := v.(float32)
		if !ok {
			return typeError(s, v)
		}
		w.WriteFloat(f)
	case connectors.Float64:
		f, ok := v.(float64)
		if !ok {
			return typeError(s, v)
		}
		w.WriteDouble(f)
	case connectors.Boolean:
		t, ok := v.(bool)
		if !ok {
			return typeError(s, v)
		}
		w.WriteBool(t)
	case connectors.String:
		str, ok := v.(string)
		if !ok {
			return typeError(s, v)
		}
		writeAvroString(w, str)
	case connectors.Bytes:
		b, ok := v.([]byte)
		if !ok {
			return typeError(s, v)
		}
		w.WriteBytes(b)
	case connectors.Array:
		elems, ok := v.([]any)
		if !ok {
			return typeError(s, v)
		}
		if len(elems) > 0 {
			w.WriteLong(int64(len(elems)))
			for _, e := range elems {
				if err := encodeAvro(w, s.Value, e, depth+1); err != nil {
					return err
				}
			}
		}
		w.WriteLong(0)
	case connectors.Map:
		entries, err := mapEntries(s, v)
		if err != nil {
			return err
		}
		stringKeys := s.Key.Type == connectors.String && !s.Key.Optional
		if len(entries) > 0 {
			w.WriteLong(int64(len(entries)))
			for _, e := range entries {
				if stringKeys {
					writeAvroString(w, e.Key.(string))
				} else if err := encodeAvro(w, s.Key, e.Key, depth+1); err != nil {
					return err
				}
				if err := encodeAvro(w, s.Value, e.Value, depth+1); err != nil {
					return err
				}
			}
		}
		w.WriteLong(0)
	case connectors.Struct:
		st, ok := v.(*connectors.StructValue)
		if !ok {
			return typeError(s, v)
		}
		for _, f := range s.Fields {
			fv, err := st.Get(f.Name)
			if err != nil {
				return err
			}
			if err := encodeAvro(w, f.Schema, fv, depth+1); err != nil {
				return fmt.Errorf("field %s: %w", f.Name, err)
			}
		}
	default:
		return fmt.Errorf("unknown schema type %q", s.Type)
	}
	return w.Error
}

// writeAvroString writes s as Java encodes the string it stands for: a
// malformed UTF-8 sequence is the U+FFFD Java decoded it as.
func writeAvroString(w *avro.Writer, s string) {
	if utf8.ValidString(s) {
		w.WriteString(s)
		return
	}
	w.WriteBytes(connectors.AppendJavaUTF8(nil, s))
}

// mapEntries returns the entries of a map value in the order Java's
// HashMap iterates them, the order Confluent writes them in.
func mapEntries(s *connectors.Schema, v any) ([]connectors.MapEntry, error) {
	if s.Key == nil || s.Value == nil {
		return nil, errors.New("map schema without key or value schema")
	}
	var es []connectors.MapEntry
	switch m := v.(type) {
	case map[any]any:
		es = make([]connectors.MapEntry, 0, len(m))
		for k, e := range m {
			es = append(es, connectors.MapEntry{Key: k, Value: e})
		}
	case map[string]any:
		es = make([]connectors.MapEntry, 0, len(m))
		for k, e := range m {
			es = append(es, connectors.MapEntry{Key: k, Value: e})
		}
	default:
		return nil, typeError(s, v)
	}
	for i := range es {
		if s.Key.Type == connectors.String && !s.Key.Optional {
			if _, ok := es[i].Key.(string); !ok {
				return nil, typeError(s.Key, es[i].Key)
			}
		}
		text, err := connectors.JavaString(es[i].Key)
		if err != nil {
			text = fmt.Sprint(es[i].Key)
		}
		es[i].Text = text
	}
	connectors.SortHashMapOrder(es)
	return es, nil
}

// integer returns the value of a Connect integer type, after logical
// conversion (Date and Time give int32, Timestamp int64).
func integer(v any) (int64, bool) {
	switch n := v.(type) {
	case int8:
		return int64(n), true
	case int16:
		return int64(n), true
	case int32:
		return int64(n), true
	case int64:
		return n, true
	}
	return 0, false
}

// fits reports whether v has exactly the Go type of Connect type t.
func fits(t connectors.Type, v any) bool {
	switch v.(type) {
	case int8:
		return t == connectors.Int8
	case int16:
		return t == connectors.Int16
	case int32:
		return t == connectors.Int32
	case int64:
		return t == connectors.Int64
	}
	return false
}

func typeError(s *connectors.Schema, v any) error {
	if s.Name != "" {
		return fmt.Errorf("value of Go type %T does not match schema %s (%s)", v, s.Type, s.Name)
	}
	return fmt.Errorf("value of Go type %T does not match schema %s", v, s.Type)
}
