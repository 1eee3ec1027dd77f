package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"
)

// ConnectorFile is one connector configuration file given on the command line.
type ConnectorFile struct {
	Path         string
	Name         string
	Config       map[string]string // includes "name"
	InitialState string            // "", RUNNING, PAUSED or STOPPED (JSON files only)
}

// Initial states a JSON connector file may request, as Kafka spells them.
const (
	StateRunning = "RUNNING"
	StatePaused  = "PAUSED"
	StateStopped = "STOPPED"
)

// LoadConnectorFile reads a connector configuration file as Kafka's
// connect-standalone does (ParseConnectorFile). A file that cannot be read
// is an error naming it that wraps the os error, so errors.Is(err,
// fs.ErrNotExist) works.
func LoadConnectorFile(path string) (ConnectorFile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return ConnectorFile{}, fmt.Errorf("read %s: %w", path, err)
	}
	return ParseConnectorFile(path, data)
}

// ParseConnectorFile parses the content of the connector file at path,
// which it only names in errors. Like Kafka since 3.7, it accepts
//
//  1. a JSON object of configs: {"name": "x", "tasks.max": 2, ...}, numbers
//     and booleans standing for their text;
//  2. a JSON creation request: {"name": "x", "config": {...},
//     "initial_state": "PAUSED"}, other fields ignored, initial_state
//     RUNNING, PAUSED or STOPPED in any case; a "name" inside config must
//     match, and is added when missing;
//  3. a Java .properties file (ParseProperties).
//
// Kafka tries each form in turn and falls back to .properties when JSON
// fails. Here a file whose first character (after a UTF-8 byte order mark
// and blanks) is '{' is JSON, and its errors are *ParseError with line and
// column: a broken JSON file read as .properties would only fail later, and
// confusingly, for a missing name. No .properties key starts with '{' in
// practice.
//
// A file without a name fails with Kafka's message, wrapping ErrMissing; a
// mismatched name fails with Kafka's message, wrapping ErrInvalid.
func ParseConnectorFile(path string, data []byte) (ConnectorFile, error) {
	body := bytes.TrimLeft(bytes.TrimPrefix(data, utf8BOM), " \t\r\n")
	if len(body) > 0 && body[0] == '{' {
		cf, err := parseJSONConnector(path, bytes.TrimPrefix(data, utf8BOM))
		if err != nil {
			var pe *ParseError
			if errors.As(err, &pe) {
				pe.File = path
			}
			return ConnectorFile{}, err
		}
		return cf, nil
	}
	props, err := ParseProperties(data)
	if err != nil {
		return ConnectorFile{}, withFile(path, err)
	}
	return withName(path, props, "")
}

// kafkaError carries a message Kafka users may search for verbatim while
// still matching a sentinel with errors.Is.
type kafkaError struct {
	msg  string
	kind error
}

func (e *kafkaError) Error() string { return e.msg }
func (e *kafkaError) Unwrap() error { return e.kind }

func withName(path string, cfg map[string]string, state string) (ConnectorFile, error) {
	name, ok := cfg[KeyName]
	if !ok {
		return ConnectorFile{}, &kafkaError{
			msg:  fmt.Sprintf("Connector configuration at '%s' is missing the mandatory '%s' configuration", path, KeyName),
			kind: ErrMissing,
		}
	}
	return ConnectorFile{Path: path, Name: name, Config: cfg, InitialState: state}, nil
}

// jsonKind is the kind of a JSON value.
type jsonKind int

const (
	jsonString jsonKind = iota + 1
	jsonNumber
	jsonBool
	jsonNull
	jsonObject
	jsonArray
)

func (k jsonKind) String() string {
	switch k {
	case jsonString:
		return "a string"
	case jsonNumber:
		return "a number"
	case jsonBool:
		return "a boolean"
	case jsonNull:
		return "null"
	case jsonObject:
		return "an object"
	case jsonArray:
		return "an array"
	}
	return "unknown"
}

// jsonValue is a decoded JSON value that remembers where it starts, so
// errors about it can point there.
type jsonValue struct {
	kind   jsonKind
	off    int64                // byte offset of the value's first character
	text   string               // scalars: the string, the number as written, "true" or "false"
	fields map[string]jsonValue // objects; a later duplicate wins, as in Jackson
}

// scalarText returns the config string a scalar stands for: Jackson turns
// numbers and booleans into their text when it reads a String.
func (v jsonValue) scalarText() (string, bool) {
	switch v.kind {
	case jsonString, jsonNumber, jsonBool:
		return v.text, true
	}
	return "", false
}

// jsonDecoder reads one JSON object into jsonValues.
type jsonDecoder struct {
	data []byte
	dec  *json.Decoder
}

func parseJSONConnector(path string, data []byte) (ConnectorFile, error) {
	d := &jsonDecoder{data: data, dec: json.NewDecoder(bytes.NewReader(data))}
	d.dec.UseNumber()
	if !utf8.Valid(data) {
		return ConnectorFile{}, d.errAt(invalidUTF8(data), errors.New("invalid UTF-8; a JSON file must be UTF-8"))
	}
	// json.Decoder's syntax errors carry offsets relative to the value being
	// decoded, not to the file; Unmarshal checks the whole input first and
	// reports where it broke.
	if err := json.Unmarshal(data, new(json.RawMessage)); err != nil {
		return ConnectorFile{}, d.syntaxErr(err)
	}
	top, err := d.value()
	if err != nil {
		return ConnectorFile{}, err
	}

	if cfg, ok := top.fields["config"]; ok && cfg.kind == jsonObject {
		return d.request(path, top)
	}
	// Kafka's first form: an object of configs.
	cfg, err := d.stringMap(top, "")
	if err != nil {
		return ConnectorFile{}, err
	}
	return withName(path, cfg, "")
}

// request reads Kafka's creation request form.
func (d *jsonDecoder) request(path string, top jsonValue) (ConnectorFile, error) {
	cfg, err := d.stringMap(top.fields["config"], "config")
	if err != nil {
		return ConnectorFile{}, err
	}
	name, hasName := "", false
	if v, ok := top.fields["name"]; ok && v.kind != jsonNull {
		if name, hasName = v.scalarText(); !hasName {
			return ConnectorFile{}, d.errAt(v.off, fmt.Errorf(`"name": expected a string, got %v`, v.kind))
		}
	}
	state := ""
	if v, ok := top.fields["initial_state"]; ok && v.kind != jsonNull {
		s, _ := v.scalarText()
		for _, st := range []string{StateRunning, StatePaused, StateStopped} {
			if v.kind == jsonString && strings.EqualFold(s, st) {
				state = st
			}
		}
		if state == "" {
			return ConnectorFile{}, d.errAt(v.off, fmt.Errorf(`"initial_state": got %s, want one of %q, %q or %q`, v.describe(), StateRunning, StatePaused, StateStopped))
		}
	}
	if inner, ok := cfg[KeyName]; ok {
		if !hasName || inner != name {
			return ConnectorFile{}, &kafkaError{
				msg:  fmt.Sprintf("Connector name configuration in 'config' doesn't match the one specified in 'name' at '%s'", path),
				kind: ErrInvalid,
			}
		}
	} else if hasName {
		cfg[KeyName] = name
	}
	return withName(path, cfg, state)
}

func (v jsonValue) describe() string {
	if v.kind == jsonString {
		return fmt.Sprintf("%q", v.text)
	}
	if s, ok := v.scalarText(); ok {
		return s
	}
	return v.kind.String()
}

// stringMap turns an object of scalars into a config map. Null is refused:
// Jackson would keep a Java null, which Kafka then treats neither as set nor
// as unset.
func (d *jsonDecoder) stringMap(obj jsonValue, field string) (map[string]string, error) {
	out := make(map[string]string, len(obj.fields))
	var bad []string
	for k, v := range obj.fields {
		if s, ok := v.scalarText(); ok {
			out[k] = s
			continue
		}
		bad = append(bad, k)
	}
	if len(bad) == 0 {
		return out, nil
	}
	// Report the first offending value in the file.
	first := bad[0]
	for _, k := range bad[1:] {
		if obj.fields[k].off < obj.fields[first].off {
			first = k
		}
	}
	v := obj.fields[first]
	what := fmt.Sprintf("%q", first)
	if field != "" {
		what = fmt.Sprintf("%q in %q", first, field)
	}
	hint := ""
	if field == "" && v.kind != jsonNull {
		hint = `; configs are strings, or go in a "config" object next to "name"`
	}
	return nil, d.errAt(v.off, fmt.Errorf("%s: expected a string, number or boolean, got %v%s", what, v.kind, hint))
}

// value reads the next value and everything inside it.
func (d *jsonDecoder) value() (jsonValue, error) {
	off := d.next(d.dec.InputOffset())
	tok, err := d.dec.Token()
	if err != nil {
		return jsonValue{}, d.tokenErr(err)
	}
	v := jsonValue{off: off}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			v.kind = jsonObject
			v.fields = make(map[string]jsonValue)
			for d.dec.More() {
				keyOff := d.next(d.dec.InputOffset())
				kt, err := d.dec.Token()
				if err != nil {
					return jsonValue{}, d.tokenErr(err)
				}
				key, ok := kt.(string)
				if !ok {
					return jsonValue{}, d.errAt(keyOff, errors.New("expected a string key"))
				}
				fv, err := d.value()
				if err != nil {
					return jsonValue{}, err
				}
				v.fields[key] = fv
			}
		case '[':
			v.kind = jsonArray
			for d.dec.More() {
				if _, err := d.value(); err != nil {
					return jsonValue{}, err
				}
			}
		}
		if _, err := d.dec.Token(); err != nil { // the closing delimiter
			return jsonValue{}, d.tokenErr(err)
		}
	case string:
		v.kind, v.text = jsonString, t
	case json.Number:
		v.kind, v.text = jsonNumber, t.String()
	case bool:
		v.kind, v.text = jsonBool, fmt.Sprint(t)
	case nil:
		v.kind = jsonNull
	}
	return v, nil
}

// next skips the blanks and separators between tokens, which
// json.Decoder.InputOffset counts before the next token.
func (d *jsonDecoder) next(off int64) int64 {
	for off < int64(len(d.data)) && strings.IndexByte(" \t\r\n:,", d.data[off]) >= 0 {
		off++
	}
	return off
}

func (d *jsonDecoder) syntaxErr(err error) error {
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return d.errAt(int64(len(d.data)), err)
	}
	off := se.Offset - 1 // Offset counts the offending byte
	if se.Offset >= int64(len(d.data)) && strings.Contains(se.Error(), "end of JSON input") {
		off = int64(len(d.data))
	}
	return d.errAt(off, errors.New(se.Error()))
}

// tokenErr reports a decoder error. The syntax check done first leaves
// none to report; this keeps a surprise an error rather than a panic.
func (d *jsonDecoder) tokenErr(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return d.errAt(int64(len(d.data)), errors.New("unexpected end of JSON input"))
	}
	return d.errAt(d.dec.InputOffset(), err)
}

// errAt makes a *ParseError pointing at byte offset off.
func (d *jsonDecoder) errAt(off int64, err error) error {
	off = min(max(off, 0), int64(len(d.data)))
	before := d.data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:]) + 1
	return &ParseError{Line: line, Column: col, Err: err}
}

func invalidUTF8(data []byte) int64 {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n == 1 {
			return int64(i)
		}
		i += n
	}
	return int64(len(data))
}
