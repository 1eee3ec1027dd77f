package offsets

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// Kafka's FileOffsetBackingStore saves its offsets as a Java Object
// Serialization stream holding one java.util.HashMap<byte[], byte[]>. The
// JDK writes such a map in exactly one shape:
//
//	AC ED 00 05                        magic, version
//	73 <HashMap class descriptor>      TC_OBJECT; the descriptor is handle 0
//	   <loadFactor f32> <threshold i32> the object is handle 1
//	77 08 <capacity i32> <size i32>    TC_BLOCKDATA from HashMap.writeObject
//	size × (<key> <value>)             each a byte[] or TC_NULL
//	78                                 TC_ENDBLOCKDATA
//
// where the first byte[] declares the "[B" class descriptor and every later
// one refers back to it with TC_REFERENCE. ReadJavaOffsets accepts that
// shape and nothing else: no other class is ever instantiated or even
// named, so a hostile file cannot do more than fail to parse, and every
// length is checked against the bytes actually left before it is used.

// Java serialization type codes (java.io.ObjectStreamConstants).
const (
	tcNull         = 0x70
	tcReference    = 0x71
	tcClassDesc    = 0x72
	tcObject       = 0x73
	tcArray        = 0x75
	tcBlockData    = 0x77
	tcEndBlock     = 0x78
	baseWireHandle = 0x7E0000
)

var (
	// hashMapDesc is the class descriptor every JDK writes for
	// java.util.HashMap, from its name to its empty superclass:
	// serialVersionUID 362498820763181265, SC_SERIALIZABLE|SC_WRITE_METHOD,
	// fields float loadFactor and int threshold.
	hashMapDesc = []byte("\x72\x00\x11java.util.HashMap\x05\x07\xDA\xC1\xC3\x16\x60\xD1\x03" +
		"\x00\x02F\x00\x0AloadFactorI\x00\x09threshold\x78\x70")
	// byteArrayDesc is the class descriptor of byte[]:
	// serialVersionUID -5984413125824719648, SC_SERIALIZABLE, no fields.
	byteArrayDesc = []byte("\x72\x00\x02[B\xAC\xF3\x17\xF8\x06\x08\x54\xE0\x02\x00\x00\x78\x70")
)

// JavaEntry is one entry of a Kafka standalone offsets file.
type JavaEntry struct {
	Connector string
	Partition map[string]any
	// Offset is nil for a tombstone: Kafka recorded that the partition's
	// offset was reset.
	Offset map[string]any
	// Pos is the byte position of the entry's key in the file, for
	// messages about it.
	Pos int
}

// JavaError is a Kafka offsets file that ReadJavaOffsets cannot read.
type JavaError struct {
	Pos int // byte position of the problem in the file
	Msg string
}

func (e *JavaError) Error() string {
	return "Java-serialized offsets, byte " + strconv.Itoa(e.Pos) + ": " + e.Msg
}

// ReadJavaOffsets reads the content of an offsets file written by Apache
// Kafka's standalone worker (offset.storage.file.filename, Java Object
// Serialization of a HashMap<byte[], byte[]>). It is pure and safe for
// concurrent use; its memory use is bounded by a small multiple of
// len(data), whatever data holds.
//
// Entries are returned in file order, which is Java's arbitrary hash order.
// Partitions and offsets are decoded as Kafka reads them back: integral
// numbers as int64, others as float64. Like Kafka, it skips entries whose
// key is not the JSON list [connector name, partition object]; it also
// skips offsets that are not JSON objects, which no connector can use.
// Each skipped entry is described in warnings, with its byte position, as
// are bytes after the map, which Kafka ignores too.
//
// Any other departure from the format, including a truncated file, is a
// *JavaError naming the byte where reading stopped.
func ReadJavaOffsets(data []byte) (entries []JavaEntry, warnings []string, err error) {
	r := &javaReader{data: data, arrayDesc: -1}
	if !bytes.HasPrefix(data, javaStreamMagic) {
		return nil, nil, r.errorf(0, "not a Java serialization stream (want the bytes AC ED 00 05)")
	}
	r.pos = len(javaStreamMagic)
	if err := r.expectByte(tcObject, "a serialized object (TC_OBJECT)"); err != nil {
		return nil, nil, err
	}
	if err := r.expect(hashMapDesc, "the class descriptor of java.util.HashMap"); err != nil {
		return nil, nil, err
	}
	r.handles = 2 // the descriptor, then the map itself

	loadFactorPos := r.pos
	lf, err := r.uint32()
	if err != nil {
		return nil, nil, err
	}
	// HashMap.readObject refuses these too.
	if f := math.Float32frombits(lf); !(f > 0) {
		return nil, nil, r.errorf(loadFactorPos, "illegal HashMap load factor %v", f)
	}
	if _, err := r.uint32(); err != nil { // threshold: only a sizing hint
		return nil, nil, err
	}
	if err := r.expect([]byte{tcBlockData, 8}, "the HashMap's capacity and size (8 bytes of block data)"); err != nil {
		return nil, nil, err
	}
	if _, err := r.uint32(); err != nil { // capacity: only a sizing hint
		return nil, nil, err
	}
	sizePos := r.pos
	size, err := r.int32()
	if err != nil {
		return nil, nil, err
	}
	if size < 0 {
		return nil, nil, r.errorf(sizePos, "negative HashMap size %d", size)
	}
	// Each entry takes at least two bytes (two nulls), so a size beyond
	// that is a lie; fail now rather than trust it.
	if int(size) > (len(data)-r.pos)/2 {
		return nil, nil, r.errorf(sizePos, "HashMap size %d exceeds what the remaining %d bytes can hold", size, len(data)-r.pos)
	}

	for range size {
		keyPos := r.pos
		key, keyNull, err := r.byteArray()
		if err != nil {
			return nil, nil, err
		}
		value, valueNull, err := r.byteArray()
		if err != nil {
			return nil, nil, err
		}
		e, warning := javaEntry(keyPos, key, keyNull, value, valueNull)
		if warning != "" {
			warnings = append(warnings, "byte "+strconv.Itoa(keyPos)+": "+warning)
			continue
		}
		entries = append(entries, e)
	}
	if err := r.expectByte(tcEndBlock, "the end of the HashMap (TC_ENDBLOCKDATA)"); err != nil {
		return nil, nil, err
	}
	if extra := len(data) - r.pos; extra > 0 {
		warnings = append(warnings, fmt.Sprintf("byte %d: ignoring %d bytes after the HashMap", r.pos, extra))
	}
	return entries, warnings, nil
}

// javaEntry decodes one key and value the way Kafka's
// OffsetUtils.processPartitionKey accepts them, or says why it is skipped.
func javaEntry(pos int, key []byte, keyNull bool, value []byte, valueNull bool) (JavaEntry, string) {
	if keyNull {
		return JavaEntry{}, "ignoring an entry with a null key"
	}
	k, err := decodeJSON(key)
	if err != nil {
		return JavaEntry{}, fmt.Sprintf("ignoring a key that is not JSON (%v): %s", err, quoteSnippet(key))
	}
	list, ok := k.([]any)
	if !ok || len(list) != 2 {
		return JavaEntry{}, "ignoring a key that is not a [connector, partition] list: " + quoteSnippet(key)
	}
	name, ok := list[0].(string)
	if !ok {
		return JavaEntry{}, "ignoring a key whose connector name is not a string: " + quoteSnippet(key)
	}
	partition, ok := list[1].(map[string]any)
	if !ok {
		return JavaEntry{}, "ignoring a key whose partition is not a JSON object: " + quoteSnippet(key)
	}
	e := JavaEntry{Connector: name, Partition: partition, Pos: pos}
	if valueNull {
		return e, ""
	}
	v, err := decodeJSON(value)
	if err != nil {
		return JavaEntry{}, fmt.Sprintf("ignoring the offset of %s, which is not JSON (%v): %s", quoteSnippet(key), err, quoteSnippet(value))
	}
	if v == nil { // JSON null: a tombstone as much as a null array is
		return e, ""
	}
	if e.Offset, ok = v.(map[string]any); !ok {
		return JavaEntry{}, fmt.Sprintf("ignoring the offset of %s, which is not a JSON object: %s", quoteSnippet(key), quoteSnippet(value))
	}
	return e, ""
}

// decodeJSON parses exactly one JSON value into normalized form. Unlike
// decodeValue alone it refuses anything after the value.
func decodeJSON(b []byte) (any, error) {
	var raw json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, err
	}
	return decodeValue(b)
}

// quoteSnippet quotes the start of raw bytes for a warning.
func quoteSnippet(b []byte) string {
	const limit = 80
	if len(b) > limit {
		return strconv.Quote(string(b[:limit])) + "…"
	}
	return strconv.Quote(string(b))
}

// javaReader walks a Java serialization stream, counting handles as the
// JDK assigns them so that back-references can be checked.
type javaReader struct {
	data      []byte
	pos       int
	handles   int // handles assigned so far
	arrayDesc int // handle of the "[B" class descriptor; -1 before it appears
}

func (r *javaReader) errorf(pos int, format string, args ...any) error {
	return &JavaError{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// need fails unless n more bytes are left.
func (r *javaReader) need(n int, what string) error {
	if left := len(r.data) - r.pos; n > left {
		return r.errorf(r.pos, "truncated: %s needs %d bytes, %d left", what, n, left)
	}
	return nil
}

func (r *javaReader) expectByte(b byte, what string) error {
	return r.expect([]byte{b}, what)
}

// expect consumes want, or reports the first byte that differs.
func (r *javaReader) expect(want []byte, what string) error {
	for i, b := range want {
		if r.pos+i >= len(r.data) {
			return r.errorf(r.pos+i, "truncated: want %s", what)
		}
		if r.data[r.pos+i] != b {
			return r.errorf(r.pos+i, "want %s, found byte 0x%02X where 0x%02X belongs", what, r.data[r.pos+i], b)
		}
	}
	r.pos += len(want)
	return nil
}

func (r *javaReader) uint32() (uint32, error) {
	if err := r.need(4, "a 4-byte integer"); err != nil {
		return 0, err
	}
	v := binary.BigEndian.Uint32(r.data[r.pos:])
	r.pos += 4
	return v, nil
}

func (r *javaReader) int32() (int32, error) {
	v, err := r.uint32()
	return int32(v), err
}

// byteArray reads a byte[] object or TC_NULL. The returned slice aliases
// data.
func (r *javaReader) byteArray() (b []byte, isNull bool, err error) {
	start := r.pos
	if err := r.need(1, "a byte array or null"); err != nil {
		return nil, false, err
	}
	switch r.data[r.pos] {
	case tcNull:
		r.pos++
		return nil, true, nil
	case tcArray:
		r.pos++
	default:
		return nil, false, r.errorf(start, "want a byte array (TC_ARRAY) or null (TC_NULL), found byte 0x%02X", r.data[r.pos])
	}

	if err := r.need(1, "the class of an array"); err != nil {
		return nil, false, err
	}
	switch descPos := r.pos; r.data[r.pos] {
	case tcClassDesc:
		if r.arrayDesc >= 0 {
			return nil, false, r.errorf(descPos, "the byte[] class descriptor is declared a second time")
		}
		if err := r.expect(byteArrayDesc, "the class descriptor of byte[]"); err != nil {
			return nil, false, err
		}
		r.arrayDesc = r.handles
		r.handles++
	case tcReference:
		r.pos++
		h, err := r.uint32()
		if err != nil {
			return nil, false, err
		}
		if r.arrayDesc < 0 || h != uint32(baseWireHandle+r.arrayDesc) {
			return nil, false, r.errorf(descPos, "reference to handle 0x%06X, want the byte[] class descriptor", h)
		}
	default:
		return nil, false, r.errorf(descPos, "want the class of a byte array, found byte 0x%02X", r.data[r.pos])
	}
	r.handles++ // the array itself

	lenPos := r.pos
	n, err := r.int32()
	if err != nil {
		return nil, false, err
	}
	if n < 0 {
		return nil, false, r.errorf(lenPos, "negative array length %d", n)
	}
	if left := len(r.data) - r.pos; int(n) > left {
		return nil, false, r.errorf(lenPos, "truncated: array of %d bytes, %d left", n, left)
	}
	b = r.data[r.pos : r.pos+int(n)]
	r.pos += int(n)
	return b, false, nil
}
