package format

import (
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"

	"github.com/connect-standalone/connect-standalone/connectors"
)

// Parquet writes Parquet files, as Confluent's ParquetFormat (HDFS and S3),
// which converts values to Avro and writes them with parquet-avro: the
// Parquet schema follows parquet-avro's mapping of the Avro schema of the
// value schema, and that Avro schema is stored in the footer under
// parquet.avro.schema. Values must be Structs.
//
// Two shapes differ from parquet-avro's defaults, in favour of the
// standard Parquet forms every reader understands: arrays are three-level
// LIST groups (list/element) rather than parquet-avro's legacy two-level
// form, and maps with non-string keys are MAP groups rather than lists of
// key/value records. Map keys must not be optional.
type Parquet struct {
	// Codec is "none", "snappy", "gzip", "zstd", "lz4" or "brotli"; empty
	// means "snappy".
	Codec string
	// CodecInExtension names files as the S3 sink does, with the codec's
	// extension before ".parquet" (".snappy.parquet").
	CodecInExtension bool
}

// parquetCodecs maps parquet.codec values to codecs and to the extensions
// of parquet-mr's CompressionCodecName.
var parquetCodecs = map[string]struct {
	codec compress.Codec
	ext   string
}{
	"none":   {&parquet.Uncompressed, ""},
	"snappy": {&parquet.Snappy, ".snappy"},
	"gzip":   {&parquet.Gzip, ".gz"},
	"zstd":   {&parquet.Zstd, ".zstd"},
	"lz4":    {&parquet.Lz4Raw, ".lz4"},
	"brotli": {&parquet.Brotli, ".br"},
}

func (f Parquet) codec() string {
	if f.Codec == "" {
		return "snappy"
	}
	return f.Codec
}

// Extension returns ".parquet", or the codec's extension and ".parquet"
// with CodecInExtension.
func (f Parquet) Extension() string {
	if f.CodecInExtension {
		return parquetCodecs[f.codec()].ext + ".parquet"
	}
	return ".parquet"
}

// NewWriter returns a Writer of a Parquet file. Nothing is written before
// the first record. Rows are buffered in memory until they hold about
// rowGroupBytes of values, then written out as a row group; Close writes
// the last row group and the footer.
func (f Parquet) NewWriter(w io.Writer) (Writer, error) {
	c, ok := parquetCodecs[f.codec()]
	if !ok {
		return nil, fmt.Errorf("parquet: unsupported codec %q", f.Codec)
	}
	return &parquetWriter{out: w, codec: c.codec}, nil
}

// rowGroupBytes bounds the values a Parquet writer holds before it writes
// a row group, so that its memory does not grow with flush.size. Readers
// work best with large row groups (parquet-mr, Confluent's writer, holds
// 128 MB); 32 MiB keeps a sink with many open files small.
var rowGroupBytes = 32 << 20

type parquetWriter struct {
	out      io.Writer
	codec    compress.Codec
	guard    schemaGuard
	pw       *parquet.Writer
	root     *pqNode
	cols     [][]parquet.Value // per column, reused for every row
	rows     []parquet.Row
	buffered int // about how many bytes of values the open row group holds
}

func (w *parquetWriter) Write(r connectors.SinkRecord) error {
	s := r.Value.Schema
	if s == nil || s.Type != connectors.Struct {
		return errors.New("parquet: values must be Structs with a schema")
	}
	first, err := w.guard.check(s)
	if err != nil {
		return err
	}
	if first {
		if err := w.start(s); err != nil {
			return err
		}
	}
	if w.pw == nil {
		return errors.New("parquet: file could not be started")
	}
	if r.Value.Value == nil {
		return fmt.Errorf("parquet: record at offset %d: null value", r.Offset)
	}
	for i := range w.cols {
		w.cols[i] = w.cols[i][:0]
	}
	if err := w.root.shred(r.Value.Value, 0, 0, 0, w.cols); err != nil {
		return fmt.Errorf("parquet: record at offset %d: %w", r.Offset, err)
	}
	row := w.rows[0][:0]
	for _, c := range w.cols {
		row = append(row, c...)
	}
	w.rows[0] = row
	if _, err := w.pw.WriteRows(w.rows); err != nil {
		return fmt.Errorf("parquet: write: %w", err)
	}
	for _, v := range row {
		w.buffered += 8
		if !v.IsNull() && (v.Kind() == parquet.ByteArray || v.Kind() == parquet.FixedLenByteArray) {
			w.buffered += len(v.ByteArray())
		}
	}
	if w.buffered >= rowGroupBytes {
		w.buffered = 0
		if err := w.pw.Flush(); err != nil {
			return fmt.Errorf("parquet: write row group: %w", err)
		}
	}
	return nil
}

func (w *parquetWriter) start(s *connectors.Schema) error {
	avroSchema, err := avroSchemaJSON(s)
	if err != nil {
		return err
	}
	b := &pqBuilder{}
	root := &connectors.Schema{}
	*root = *s
	root.Optional = false // a message is never optional; a null value is refused in Write
	node, tree, err := b.node(root, 0)
	if err != nil {
		return err
	}
	ns, name := avroNamespace, defaultRecordName
	if s.Name != "" {
		ns, name = splitName(s.Name)
	}
	schema := parquet.NewSchema(fullName(ns, name), node)
	w.root, w.cols, w.rows = tree, make([][]parquet.Value, b.cols), make([]parquet.Row, 1)
	w.pw = parquet.NewWriter(w.out, schema,
		// parquet-mr, which Confluent writes with, writes version 1 data
		// pages by default, and more readers support them. In a version 2
		// page the values are compressed apart from the levels, so an
		// all-null page compresses an empty block, which some decoders
		// reject (hyparquet-compressors 1.1.2's LZ4).
		parquet.DataPageVersion(1),
		parquet.Compression(w.codec),
		parquet.KeyValueMetadata("parquet.avro.schema", string(avroSchema)),
		parquet.KeyValueMetadata("writer.model.name", "avro"))
	return nil
}

func (w *parquetWriter) Close() error {
	if w.pw == nil {
		return nil
	}
	if err := w.pw.Close(); err != nil {
		return fmt.Errorf("parquet: close: %w", err)
	}
	return nil
}

// orderedGroup is a group whose fields keep the Connect schema's order;
// parquet.Group sorts them by name.
type orderedGroup struct {
	parquet.Group
	order []string
}

func (g orderedGroup) Fields() []parquet.Field {
	fields := g.Group.Fields()
	out := make([]parquet.Field, len(fields))
	for _, f := range fields {
		out[slices.Index(g.order, f.Name())] = f
	}
	return out
}

// pqNode is one node of the Parquet schema with the Connect schema it
// stores and the columns of its leaves.
type pqNode struct {
	schema      *connectors.Schema
	col         int       // leaf column
	first, last int       // the columns of the node's leaves
	children    []*pqNode // struct: its fields; array: the element; map: key and value
}

type pqBuilder struct{ cols int }

// node builds the Parquet node of s as parquet-avro converts the Avro
// schema of s: optional for Avro's nullable unions, LIST and MAP groups,
// and the logical types of Decimal, Date, Time and Timestamp.
func (b *pqBuilder) node(s *connectors.Schema, depth int) (parquet.Node, *pqNode, error) {
	if depth > maxDepth {
		return nil, nil, fmt.Errorf("parquet schema: nesting deeper than %d", maxDepth)
	}
	if s == nil {
		return nil, nil, errors.New("parquet schema: missing schema of a nested value")
	}
	t := &pqNode{schema: s, col: -1, first: b.cols}
	var n parquet.Node
	switch s.Type {
	case connectors.Struct:
		g := orderedGroup{Group: parquet.Group{}}
		for _, f := range s.Fields {
			fn, ft, err := b.node(f.Schema, depth+1)
			if err != nil {
				return nil, nil, fmt.Errorf("field %s: %w", f.Name, err)
			}
			g.Group[f.Name] = fn
			g.order = append(g.order, f.Name)
			t.children = append(t.children, ft)
		}
		if len(s.Fields) == 0 {
			return nil, nil, errors.New("parquet schema: a struct needs at least one field")
		}
		n = g
	case connectors.Array:
		en, et, err := b.node(s.Value, depth+1)
		if err != nil {
			return nil, nil, err
		}
		n, t.children = parquet.List(en), []*pqNode{et}
	case connectors.Map:
		if s.Key == nil || s.Key.Optional {
			return nil, nil, errors.New("parquet schema: map keys must have a schema and not be optional")
		}
		kn, kt, err := b.node(s.Key, depth+1)
		if err != nil {
			return nil, nil, err
		}
		vn, vt, err := b.node(s.Value, depth+1)
		if err != nil {
			return nil, nil, err
		}
		n, t.children = parquet.Map(kn, vn), []*pqNode{kt, vt}
	default:
		leaf, err := parquetLeaf(s)
		if err != nil {
			return nil, nil, err
		}
		n, t.col = leaf, b.cols
		b.cols++
	}
	t.last = b.cols - 1
	if s.Optional {
		n = parquet.Optional(n)
	}
	return n, t, nil
}

func parquetLeaf(s *connectors.Schema) (parquet.Node, error) {
	switch {
	case isLogical(s, connectors.DecimalName):
		precision, scale, err := decimalPrecisionScale(s)
		if err != nil {
			return nil, err
		}
		return parquet.Decimal(int(scale), int(precision), parquet.ByteArrayType), nil
	case isLogical(s, connectors.DateName):
		return parquet.Date(), nil
	case isLogical(s, connectors.TimeName):
		return parquet.Time(parquet.Millisecond), nil
	case isLogical(s, connectors.TimestampName):
		return parquet.Timestamp(parquet.Millisecond), nil
	}
	switch s.Type {
	case connectors.Int8, connectors.Int16, connectors.Int32:
		return parquet.Leaf(parquet.Int32Type), nil
	case connectors.Int64:
		return parquet.Leaf(parquet.Int64Type), nil
	case connectors.Float32:
		return parquet.Leaf(parquet.FloatType), nil
	case connectors.Float64:
		return parquet.Leaf(parquet.DoubleType), nil
	case connectors.Boolean:
		return parquet.Leaf(parquet.BooleanType), nil
	case connectors.String:
		return parquet.String(), nil
	case connectors.Bytes:
		return parquet.Leaf(parquet.ByteArrayType), nil
	}
	return nil, fmt.Errorf("parquet schema: unknown schema type %q", s.Type)
}

// shred appends the column values of v at repetition level r and
// definition level d (Dremel's encoding); rdepth is the number of repeated
// ancestors.
func (t *pqNode) shred(v any, r, d, rdepth int, cols [][]parquet.Value) error {
	s := t.schema
	if v == nil && !s.Optional {
		v = s.Default
	}
	if s.Optional {
		if v == nil {
			t.nulls(r, d, cols)
			return nil
		}
		d++
	}
	if v == nil {
		return fmt.Errorf("null value for non-optional %s schema", s.Type)
	}
	v, err := fromLogical(s, v)
	if err != nil {
		return err
	}
	switch s.Type {
	case connectors.Struct:
		st, ok := v.(*connectors.StructValue)
		if !ok {
			return typeError(s, v)
		}
		for i, f := range s.Fields {
			fv, err := st.Get(f.Name)
			if err != nil {
				return err
			}
			if err := t.children[i].shred(fv, r, d, rdepth, cols); err != nil {
				return fmt.Errorf("field %s: %w", f.Name, err)
			}
		}
		return nil
	case connectors.Array:
		elems, ok := v.([]any)
		if !ok {
			return typeError(s, v)
		}
		if len(elems) == 0 {
			t.nulls(r, d, cols)
			return nil
		}
		for i, e := range elems {
			if i > 0 {
				r = rdepth + 1
			}
			if err := t.children[0].shred(e, r, d+1, rdepth+1, cols); err != nil {
				return err
			}
		}
		return nil
	case connectors.Map:
		entries, err := mapEntries(s, v)
		if err != nil {
			return err
		}
		if len(entries) == 0 {
			t.nulls(r, d, cols)
			return nil
		}
		for i, e := range entries {
			if i > 0 {
				r = rdepth + 1
			}
			if err := t.children[0].shred(e.Key, r, d+1, rdepth+1, cols); err != nil {
				return err
			}
			if err := t.children[1].shred(e.Value, r, d+1, rdepth+1, cols); err != nil {
				return err
			}
		}
		return nil
	}
	pv, err := parquetValue(s, v)
	if err != nil {
		return err
	}
	cols[t.col] = append(cols[t.col], pv.Level(r, d, t.col))
	return nil
}

// nulls records that the node is absent at definition level d.
func (t *pqNode) nulls(r, d int, cols [][]parquet.Value) {
	for c := t.first; c <= t.last; c++ {
		cols[c] = append(cols[c], parquet.NullValue().Level(r, d, c))
	}
}

// parquetValue converts a leaf value, logical values already in their base
// type.
func parquetValue(s *connectors.Schema, v any) (parquet.Value, error) {
	switch s.Type {
	case connectors.Int8, connectors.Int16, connectors.Int32:
		n, ok := integer(v)
		if !ok || !fits(s.Type, v) {
			return parquet.Value{}, typeError(s, v)
		}
		return parquet.Int32Value(int32(n)), nil
	case connectors.Int64:
		if n, ok := v.(int64); ok {
			return parquet.Int64Value(n), nil
		}
	case connectors.Float32:
		if f, ok := v.(float32); ok {
			return parquet.FloatValue(f), nil
		}
	case connectors.Float64:
		if f, ok := v.(float64); ok {
			return parquet.DoubleValue(f), nil
		}
	case connectors.Boolean:
		if b, ok := v.(bool); ok {
			return parquet.BooleanValue(b), nil
		}
	case connectors.String:
		if str, ok := v.(string); ok {
			return parquet.ByteArrayValue(connectors.AppendJavaUTF8(nil, str)), nil
		}
	case connectors.Bytes:
		if b, ok := v.([]byte); ok {
			return parquet.ByteArrayValue(b), nil
		}
	}
	return parquet.Value{}, typeError(s, v)
}
