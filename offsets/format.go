package offsets

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
)

// The offsets file is JSON a user can read, diff and fix by hand while the
// worker is stopped:
//
//	{
//	  "format": "connect-standalone-offsets",
//	  "version": 1,
//	  "connectors": {
//	    "local-file-source": [
//	      {"partition": {"filename": "test.txt"}, "offset": {"position": 22}}
//	    ]
//	  }
//	}
//
// Connectors are sorted by name and each connector's entries by partition,
// one entry a line, so a commit changes exactly the lines of the partitions
// that moved. Integral numbers read back as int64 and all others as float64;
// floats are always written with a fraction or exponent so the type
// survives a round trip. An entry whose offset is null is a tombstone: it
// removes any earlier entry for the same partition and is never written.
//
// There is no checksum: the file is only ever replaced whole by an atomic
// rename, so it cannot be torn, and a checksum would make hand edits fail.
const (
	formatMarker  = "connect-standalone-offsets"
	formatVersion = 1
)

// Errors that Decode and OpenFile wrap, for callers that explain or branch
// on why an offsets file was refused. In every case the file is left as it
// was.
var (
	// ErrInvalid marks content that is not a well-formed offsets file:
	// bad JSON, a missing or wrong format marker, or a misshapen entry.
	ErrInvalid = errors.New("invalid offsets content")
	// ErrUnsupportedVersion marks a file written by a newer connect-standalone.
	ErrUnsupportedVersion = errors.New("unsupported offsets format version")
	// ErrJavaFormat marks a file written by Kafka's own
	// FileOffsetBackingStore, in Java serialization.
	ErrJavaFormat = errors.New("content is in Kafka's Java-serialized offsets format")
)

// javaStreamMagic opens every Java serialization stream: STREAM_MAGIC
// 0xACED, then STREAM_VERSION 5.
var javaStreamMagic = []byte{0xAC, 0xED, 0x00, 0x05}

// item is one stored partition's offset, both in normalized form.
type item struct {
	partition map[string]any
	offset    map[string]any // nil only in pending tombstones
}

// state maps connector name → partition key → item. The partition key is
// the partition's canonical single-line JSON, exactly as the file shows it,
// which makes partitions compare by value whatever their key order.
type state map[string]map[string]item

// partitionKey returns the canonical text of a normalized partition.
func partitionKey(p map[string]any) (string, error) {
	w := newValueWriter()
	if err := w.value(p); err != nil {
		return "", err
	}
	return w.buf.String(), nil
}

// Decode parses the content of an offsets file. It is pure and safe for
// concurrent use. Empty or whitespace-only content is an empty store.
//
// The result maps each connector to its entries, sorted by partition, with
// tombstones applied (a later entry for the same partition wins) and
// connectors left without entries omitted. Errors wrap ErrInvalid,
// ErrUnsupportedVersion or ErrJavaFormat.
func Decode(data []byte) (map[string][]Entry, error) {
	st, err := decodeState(data)
	if err != nil {
		return nil, err
	}
	out := make(map[string][]Entry, len(st))
	for c, m := range st {
		entries := make([]Entry, 0, len(m))
		for _, k := range slices.Sorted(maps.Keys(m)) {
			it := m[k]
			entries = append(entries, Entry{Partition: copyMap(it.partition), Offset: copyMap(it.offset)})
		}
		out[c] = entries
	}
	return out, nil
}

// Encode renders entries as the content of an offsets file, in the same
// stable form FileStore writes. It is pure and safe for concurrent use.
// Entries are normalized as Store.Set does; for each connector a later entry
// for the same partition wins and tombstones remove the partition. It fails
// on values JSON cannot represent, such as NaN or a channel.
func Encode(connectors map[string][]Entry) ([]byte, error) {
	st := make(state, len(connectors))
	for c, entries := range connectors {
		items, err := normalizeEntries(entries)
		if err != nil {
			return nil, fmt.Errorf("encode offsets of connector %q: %w", c, err)
		}
		m := make(map[string]item, len(items))
		for _, ki := range items {
			if ki.offset == nil {
				delete(m, ki.key)
				continue
			}
			m[ki.key] = ki.item
		}
		if len(m) > 0 {
			st[c] = m
		}
	}
	return encodeState(st)
}

// keyedItem is a normalized entry with its partition key.
type keyedItem struct {
	key string
	item
}

// normalizeEntries normalizes and keys entries, keeping their order.
func normalizeEntries(entries []Entry) ([]keyedItem, error) {
	out := make([]keyedItem, 0, len(entries))
	for i, e := range entries {
		p, err := normalizeMap(e.Partition)
		if err != nil {
			return nil, atPath(fmt.Sprintf("entries[%d].partition", i), err)
		}
		key, err := partitionKey(p)
		if err != nil {
			return nil, atPath(fmt.Sprintf("entries[%d].partition", i), err)
		}
		var off map[string]any
		if e.Offset != nil {
			if off, err = normalizeMap(e.Offset); err != nil {
				return nil, atPath(fmt.Sprintf("entries[%d].offset", i), err)
			}
		}
		out = append(out, keyedItem{key: key, item: item{partition: p, offset: off}})
	}
	return out, nil
}

// encodeState renders st in the file format.
func encodeState(st state) ([]byte, error) {
	w := newValueWriter()
	w.buf.WriteString("{\n  \"format\": ")
	w.string(formatMarker)
	w.buf.WriteString(",\n  \"version\": " + strconv.Itoa(formatVersion) + ",\n  \"connectors\": {")
	for i, c := range slices.Sorted(maps.Keys(st)) {
		if i > 0 {
			w.buf.WriteByte(',')
		}
		w.buf.WriteString("\n    ")
		w.string(c)
		w.buf.WriteString(": [")
		m := st[c]
		for j, k := range slices.Sorted(maps.Keys(m)) {
			if j > 0 {
				w.buf.WriteByte(',')
			}
			w.buf.WriteString("\n      {\"partition\": ")
			w.buf.WriteString(k)
			w.buf.WriteString(", \"offset\": ")
			if err := w.value(m[k].offset); err != nil {
				return nil, fmt.Errorf("connector %q, partition %s: %w", c, k, err)
			}
			w.buf.WriteByte('}')
		}
		w.buf.WriteString("\n    ]")
	}
	if len(st) > 0 {
		w.buf.WriteString("\n  ")
	}
	w.buf.WriteString("}\n}\n")
	return w.buf.Bytes(), nil
}

// decodeState parses file content into a state.
func decodeState(data []byte) (state, error) {
	if bytes.HasPrefix(data, javaStreamMagic) {
		return nil, fmt.Errorf("%w, which needs converting; to start without stored offsets instead, "+
			"point offset.storage.file.filename at a new file", ErrJavaFormat)
	}
	// Editors on some systems prefix a byte-order mark; it carries no data.
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if len(bytes.TrimSpace(data)) == 0 {
		return state{}, nil
	}

	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, jsonError(data, err)
	}
	if top == nil { // the literal null
		return nil, fmt.Errorf("%w: top level is null, want a JSON object", ErrInvalid)
	}
	if err := checkHeader(top); err != nil {
		return nil, err
	}
	for k := range top {
		if k != "format" && k != "version" && k != "connectors" {
			return nil, fmt.Errorf("%w: unknown top-level field %q", ErrInvalid, k)
		}
	}

	var conns map[string]json.RawMessage
	if raw, ok := top["connectors"]; ok {
		if err := json.Unmarshal(raw, &conns); err != nil {
			return nil, fmt.Errorf("%w: \"connectors\" must be a JSON object mapping connector names to entry arrays", ErrInvalid)
		}
	}
	st := make(state, len(conns))
	for _, c := range slices.Sorted(maps.Keys(conns)) {
		m, err := decodeConnector(c, conns[c])
		if err != nil {
			return nil, err
		}
		if len(m) > 0 {
			st[c] = m
		}
	}
	return st, nil
}

// checkHeader verifies the format marker and version before anything else,
// so a file from a newer release is reported as such rather than as a
// malformed entry.
func checkHeader(top map[string]json.RawMessage) error {
	var format string
	raw, ok := top["format"]
	if !ok || json.Unmarshal(raw, &format) != nil || format != formatMarker {
		got := "missing"
		if ok {
			got = snippet(raw)
		}
		return fmt.Errorf("%w: \"format\" is %s, want %q: not a connect-standalone offsets file",
			ErrInvalid, got, formatMarker)
	}
	raw, ok = top["version"]
	if !ok {
		return fmt.Errorf("%w: \"version\" is missing", ErrInvalid)
	}
	v, err := strconv.ParseInt(string(raw), 10, 64)
	if err != nil || v < 1 {
		return fmt.Errorf("%w: \"version\" is %s, want a positive integer", ErrInvalid, snippet(raw))
	}
	if v > formatVersion {
		return fmt.Errorf("%w: version %d is newer than this connect-standalone reads (%d); "+
			"run a newer connect-standalone", ErrUnsupportedVersion, v, formatVersion)
	}
	return nil
}

// decodeConnector parses one connector's entry array. Errors name the
// entry as a JSON path so a hand-edited mistake is easy to find.
func decodeConnector(name string, raw json.RawMessage) (map[string]item, error) {
	path := "connectors" + keyPath(name)
	var entries []json.RawMessage
	if err := json.Unmarshal(raw, &entries); err != nil {
		return nil, fmt.Errorf("%w: %s must be a JSON array of entries", ErrInvalid, path)
	}
	m := make(map[string]item, len(entries))
	for i, rawEntry := range entries {
		ep := fmt.Sprintf("%s[%d]", path, i)
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(rawEntry, &fields); err != nil || fields == nil {
			return nil, fmt.Errorf("%w: %s must be an object with \"partition\" and \"offset\"", ErrInvalid, ep)
		}
		for k := range fields {
			if k != "partition" && k != "offset" {
				return nil, fmt.Errorf("%w: %s: unknown field %q", ErrInvalid, ep, k)
			}
		}
		p, err := decodeObject(fields, "partition", ep)
		if err != nil {
			return nil, err
		}
		if p == nil {
			return nil, fmt.Errorf("%w: %s.partition must be a JSON object", ErrInvalid, ep)
		}
		off, err := decodeObject(fields, "offset", ep)
		if err != nil {
			return nil, err
		}
		key, err := partitionKey(p)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrInvalid, atPath(ep+".partition", err))
		}
		if off == nil {
			delete(m, key)
			continue
		}
		m[key] = item{partition: p, offset: off}
	}
	return m, nil
}

// decodeObject parses field f of an entry, which must be present and be a
// JSON object or null (returned as nil).
func decodeObject(fields map[string]json.RawMessage, f, entryPath string) (map[string]any, error) {
	raw, ok := fields[f]
	if !ok {
		return nil, fmt.Errorf("%w: %s: missing %q", ErrInvalid, entryPath, f)
	}
	v, err := decodeValue(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, atPath(entryPath+"."+f, err))
	}
	if v == nil {
		return nil, nil
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%w: %s.%s must be a JSON object, got %s", ErrInvalid, entryPath, f, snippet(raw))
	}
	return obj, nil
}

// jsonError turns a decoding error into one that points at a line and
// column, which is what someone fixing the file by hand needs.
func jsonError(data []byte, err error) error {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		// Offset counts the bytes read, including the offending one.
		line, col := position(data, syn.Offset-1)
		return fmt.Errorf("%w: not valid JSON at line %d, column %d: %w", ErrInvalid, line, col, err)
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		return fmt.Errorf("%w: top level is a JSON %s, want an object", ErrInvalid, typ.Value)
	}
	return fmt.Errorf("%w: %w", ErrInvalid, err)
}

// position converts a 0-based byte offset into a 1-based line and column.
func position(data []byte, off int64) (line, col int) {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line = 1 + bytes.Count(before, []byte{'\n'})
	col = int(off) - bytes.LastIndexByte(before, '\n')
	return line, col
}

// snippet shortens raw JSON for an error message.
func snippet(raw []byte) string {
	const limit = 60
	if len(raw) <= limit {
		return string(raw)
	}
	return string(raw[:limit]) + "…"
}
