package converters

import (
	"fmt"
	"math"

	"github.com/connect-standalone/connect-standalone/connectors"
)

// asConnectSchema builds a schema from its JSON as Kafka's
// JsonConverter.asConnectSchema does, with the same checks in the same
// order and the same messages.
func (c *JsonConverter) asConnectSchema(n *node, depth int) (*connectors.Schema, error) {
	if n.kind == nodeNull {
		return nil, nil
	}
	if depth > maxDepth {
		return nil, errTooDeep
	}
	typ := n.get("type")
	if typ == nil || typ.kind != nodeString {
		return nil, dataErrorf("Schema must contain 'type' field")
	}
	s := &connectors.Schema{}
	switch t := connectors.Type(typ.text); t {
	case connectors.Boolean, connectors.Int8, connectors.Int16, connectors.Int32, connectors.Int64,
		connectors.Float32, connectors.Float64, connectors.Bytes, connectors.String:
		s.Type = t
	case connectors.Array:
		items := n.get("items")
		if items == nil || items.kind == nodeNull {
			return nil, dataErrorf("Array schema did not specify the element type")
		}
		elem, err := c.asConnectSchema(items, depth+1)
		if err != nil {
			return nil, err
		}
		s.Type, s.Value = t, elem
	case connectors.Map:
		keys := n.get("keys")
		if keys == nil {
			return nil, dataErrorf("Map schema did not specify the key type")
		}
		values := n.get("values")
		if values == nil {
			return nil, dataErrorf("Map schema did not specify the value type")
		}
		ks, err := c.asConnectSchema(keys, depth+1)
		if err != nil {
			return nil, err
		}
		vs, err := c.asConnectSchema(values, depth+1)
		if err != nil {
			return nil, err
		}
		if ks == nil {
			return nil, dataErrorf("keySchema cannot be null.")
		}
		if vs == nil {
			return nil, dataErrorf("valueSchema cannot be null.")
		}
		s.Type, s.Key, s.Value = t, ks, vs
	case connectors.Struct:
		s.Type = t
		fields := n.get("fields")
		if fields == nil || fields.kind != nodeArray {
			return nil, dataErrorf(`Struct schema's "fields" argument is not an array.`)
		}
		s.Fields = make([]connectors.Field, 0, len(fields.elems))
		for i := range fields.elems {
			f := &fields.elems[i]
			name := f.get("field")
			if name == nil || name.kind != nodeString {
				return nil, dataErrorf("Struct schema's field name not specified properly")
			}
			fs, err := c.asConnectSchema(f, depth+1)
			if err != nil {
				return nil, err
			}
			if name.text == "" {
				return nil, dataErrorf("fieldName cannot be null.")
			}
			for _, prev := range s.Fields {
				if prev.Name == name.text {
					return nil, dataErrorf("Cannot create field because of field name duplication %s", name.text)
				}
			}
			s.Fields = append(s.Fields, connectors.Field{Name: name.text, Index: len(s.Fields), Schema: fs})
		}
	default:
		return nil, dataErrorf("Unknown schema type: %s", typ.text)
	}
	if o := n.get("optional"); o != nil && o.kind == nodeBool && o.bool {
		s.Optional = true
	}
	if x := n.get("name"); x != nil && x.kind == nodeString {
		s.Name = x.text
	}
	if x := n.get("version"); x != nil && x.kind == nodeNumber && !x.decimal {
		d, _ := parseDecimal(x.text)
		v := int32(d.low64()) // JsonNode.intValue keeps the low 32 bits
		s.Version = &v
	}
	if x := n.get("doc"); x != nil && x.kind == nodeString {
		s.Doc = x.text
	}
	if x := n.get("parameters"); x != nil && x.kind == nodeObject {
		for _, f := range x.fields {
			if f.val.kind != nodeString {
				return nil, dataErrorf("Schema parameters must have string values.")
			}
			if s.Parameters == nil {
				s.Parameters = make(map[string]string, len(x.fields))
			}
			s.Parameters[f.name] = f.val.text
		}
	}
	if x := n.get("default"); x != nil {
		// The default is read with the schema built so far, which has none.
		v, err := c.toConnect(s, x, depth+1)
		if err != nil {
			return nil, err
		}
		if err := validateValue(s, v, depth); err != nil {
			return nil, &DataError{Msg: "Invalid default value", Err: err}
		}
		s.Default = v
	}
	return s, nil
}

// validateValue checks the nulls Kafka's ConnectSchema.validateValue
// checks; the Go types are right by construction.
func validateValue(s *connectors.Schema, v any, depth int) error {
	if depth > maxDepth {
		return errTooDeep
	}
	if v == nil {
		if !s.Optional {
			return dataErrorf(`Invalid value: null used for required field: "null", schema type: %s`, s.Type.EnumName())
		}
		return nil
	}
	switch x := v.(type) {
	case []any:
		if s.Value != nil {
			for _, e := range x {
				if err := validateValue(s.Value, e, depth+1); err != nil {
					return err
				}
			}
		}
	case map[any]any:
		if s.Key != nil && s.Value != nil {
			for k, e := range x {
				if err := validateValue(s.Key, k, depth+1); err != nil {
					return err
				}
				if err := validateValue(s.Value, e, depth+1); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// toConnect converts a JSON node to a Go value by the schema, as Kafka's
// JsonConverter.convertToConnect does, Jackson's lenient accessors
// included: a number read as a STRING is null, text read as an INT32 is 0.
func (c *JsonConverter) toConnect(s *connectors.Schema, n *node, depth int) (any, error) {
	if depth > maxDepth {
		return nil, errTooDeep
	}
	if s == nil {
		return schemaless(n, depth)
	}
	if n == nil || n.kind == nodeNull {
		switch {
		case s.Default != nil && c.replaceNull:
			return s.Default, nil
		case s.Optional:
			return nil, nil
		}
		return nil, dataErrorf("Invalid null value for required %s field", s.Type.EnumName())
	}
	if isLogical(s) {
		return logicalToConnect(s, n)
	}
	switch s.Type {
	case connectors.Boolean:
		return n.kind == nodeBool && n.bool, nil
	case connectors.Int8:
		return int8(n.low64()), nil
	case connectors.Int16:
		return int16(n.low64()), nil
	case connectors.Int32:
		return int32(n.low64()), nil
	case connectors.Int64:
		return int64(n.low64()), nil
	case connectors.Float32:
		return float32(n.float(32)), nil
	case connectors.Float64:
		return n.float(64), nil
	case connectors.Bytes:
		if n.kind != nodeString {
			return nil, nil
		}
		b, err := decodeBase64(n.text)
		if err != nil {
			return nil, &DataError{Msg: "Invalid bytes field", Err: err}
		}
		return b, nil
	case connectors.String:
		if n.kind != nodeString {
			return nil, nil
		}
		return n.text, nil
	case connectors.Array:
		elems := n.children()
		out := make([]any, 0, len(elems))
		for _, e := range elems {
			v, err := c.toConnect(s.Value, e, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case connectors.Map:
		return c.mapToConnect(s, n, depth)
	case connectors.Struct:
		if n.kind != nodeObject {
			return nil, dataErrorf("Structs should be encoded as JSON objects, but found %s", n.kind)
		}
		return c.structToConnect(s, n, depth)
	}
	return nil, dataErrorf("Unknown schema type: %s", s.Type.EnumName())
}

// structToConnect reads a JSON object into a value of the Struct schema s,
// field by field in schema order: a field missing from the object is read
// as null (and so takes its default, is null, or fails), members the schema
// does not name are ignored. Each value is checked as Struct.put checks it.
func (c *JsonConverter) structToConnect(s *connectors.Schema, n *node, depth int) (any, error) {
	out := connectors.NewStruct(s)
	for i := range s.Fields {
		f := &s.Fields[i]
		v, err := c.toConnect(f.Schema, n.get(f.Name), depth+1)
		if err != nil {
			return nil, err
		}
		if err := out.Put(f.Name, v); err != nil {
			return nil, modelError(err)
		}
	}
	return out, nil
}

// logicalToConnect reads a non-null payload of a logical type. A Decimal
// is a JSON number, kept exactly as written (1.5600 has scale 4), or the
// base64 text of its unscaled bytes with the schema's scale; a Date and a
// Time must be JSON integers that fit in an int, a Timestamp any integral
// number (its low 64 bits, as Jackson's longValue).
func logicalToConnect(s *connectors.Schema, n *node) (any, error) {
	switch s.Name {
	case connectors.DecimalName:
		switch n.kind {
		case nodeNumber:
			d, _ := parseDecimal(n.text)
			return d.connectDecimal(), nil
		case nodeString:
			raw, err := decodeBase64(n.text)
			if err != nil {
				return nil, &DataError{Msg: "Invalid bytes for Decimal field", Err: err}
			}
			scale, err := connectors.DecimalScale(s)
			if err != nil {
				return nil, &DataError{Msg: "Invalid bytes for Decimal field", Err: err}
			}
			d, err := connectors.DecimalFromBytes(raw, scale)
			if err != nil {
				return nil, &DataError{Msg: "Invalid bytes for Decimal field", Err: err}
			}
			return d, nil
		}
		return nil, dataErrorf("Invalid type for Decimal, underlying representation should be numeric or bytes but was %s", n.kind)
	case connectors.DateName:
		days, ok := n.intValue()
		if !ok {
			return nil, dataErrorf("Invalid type for Date, underlying representation should be integer but was %s", n.kind)
		}
		return connectors.DateFromDays(days), nil
	case connectors.TimeName:
		ms, ok := n.intValue()
		if !ok {
			return nil, dataErrorf("Invalid type for Time, underlying representation should be integer but was %s", n.kind)
		}
		t, err := connectors.TimeFromMillis(ms)
		if err != nil {
			return nil, modelError(err)
		}
		return t, nil
	case connectors.TimestampName:
		if n.kind != nodeNumber || n.decimal {
			return nil, dataErrorf("Invalid type for Timestamp, underlying representation should be integral but was %s", n.kind)
		}
		return connectors.TimestampFromMillis(int64(n.low64())), nil
	}
	return nil, dataErrorf("Unknown logical type %s", s.Name)
}

// intValue returns the value of a JSON integer that Jackson reads as an
// IntNode: no fraction or exponent, and within the range of a Java int.
func (n *node) intValue() (int32, bool) {
	if n.kind != nodeNumber || n.decimal {
		return 0, false
	}
	d, _ := parseDecimal(n.text)
	v, ok := d.int64Exact()
	if !ok || v < math.MinInt32 || v > math.MaxInt32 {
		return 0, false
	}
	return int32(v), true
}

func (c *JsonConverter) mapToConnect(s *connectors.Schema, n *node, depth int) (any, error) {
	if s.Key == nil || s.Key.Type == connectors.String {
		if n.kind != nodeObject {
			return nil, dataErrorf("Maps with string fields should be encoded as JSON objects, but found %s", n.kind)
		}
		out := make(map[any]any, len(n.fields))
		for i := range n.fields {
			v, err := c.toConnect(s.Value, &n.fields[i].val, depth+1)
			if err != nil {
				return nil, err
			}
			out[n.fields[i].name] = v
		}
		return out, nil
	}
	if n.kind != nodeArray {
		return nil, dataErrorf("Maps with non-string fields should be encoded as JSON array of tuples, but found %s", n.kind)
	}
	out := make(map[any]any, len(n.elems))
	for i := range n.elems {
		e := &n.elems[i]
		if e.kind != nodeArray {
			return nil, dataErrorf("Found invalid map entry instead of array tuple: %s", e.kind)
		}
		if len(e.elems) != 2 {
			return nil, dataErrorf("Found invalid map entry, expected length 2 but found :%d", len(e.elems))
		}
		k, err := c.toConnect(s.Key, &e.elems[0], depth+1)
		if err != nil {
			return nil, err
		}
		v, err := c.toConnect(s.Value, &e.elems[1], depth+1)
		if err != nil {
			return nil, err
		}
		if !hashable(k) {
			return nil, unsupported(fmt.Sprintf("map keys of type %s", s.Key.Type.EnumName()))
		}
		out[k] = v
	}
	return out, nil
}

// hashable reports whether k can be a Go map key; Java maps also take
// lists, maps and byte arrays as keys, a Go map cannot.
func hashable(k any) bool {
	switch k.(type) {
	case []byte, []any, map[any]any, map[string]any:
		return false
	}
	return true
}

// schemaless converts a node without a schema: integral numbers become
// int64, other numbers float64, objects map[string]any, arrays []any.
func schemaless(n *node, depth int) (any, error) {
	if depth > maxDepth {
		return nil, errTooDeep
	}
	switch n.kind {
	case nodeBool:
		return n.bool, nil
	case nodeNumber:
		if n.decimal {
			return n.float(64), nil
		}
		return int64(n.low64()), nil
	case nodeString:
		return n.text, nil
	case nodeArray:
		out := make([]any, 0, len(n.elems))
		for i := range n.elems {
			v, err := schemaless(&n.elems[i], depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case nodeObject:
		out := make(map[string]any, len(n.fields))
		for i := range n.fields {
			v, err := schemaless(&n.fields[i].val, depth+1)
			if err != nil {
				return nil, err
			}
			out[n.fields[i].name] = v
		}
		return out, nil
	}
	return nil, nil
}

// children is what iterating a JsonNode yields: an array's elements, an
// object's values, nothing for scalars.
func (n *node) children() []*node {
	switch n.kind {
	case nodeArray:
		out := make([]*node, len(n.elems))
		for i := range n.elems {
			out[i] = &n.elems[i]
		}
		return out
	case nodeObject:
		out := make([]*node, len(n.fields))
		for i := range n.fields {
			out[i] = &n.fields[i].val
		}
		return out
	}
	return nil
}

// low64 is the node's integer value as Jackson's intValue/longValue
// compute it (low bits of the truncated value); 0 for non-numbers.
func (n *node) low64() uint64 {
	if n.kind != nodeNumber {
		return 0
	}
	d, _ := parseDecimal(n.text)
	return d.low64()
}

// float is the node's floatValue (bitSize 32) or doubleValue (64); 0 for
// non-numbers.
func (n *node) float(bitSize int) float64 {
	if n.kind != nodeNumber {
		return 0
	}
	d, _ := parseDecimal(n.text)
	return d.float(bitSize)
}

// decodeBase64 decodes as Jackson's default Base64 variant does: standard
// alphabet, padding required, whitespace (and other characters up to
// U+0020) allowed between 4-character groups, and groups may follow a
// padded group.
func decodeBase64(s string) ([]byte, error) {
	s = trimJava(s)
	out := make([]byte, 0, len(s)/4*3+3)
	val := func(c byte) int {
		switch {
		case c >= 'A' && c <= 'Z':
			return int(c - 'A')
		case c >= 'a' && c <= 'z':
			return int(c-'a') + 26
		case c >= '0' && c <= '9':
			return int(c-'0') + 52
		case c == '+':
			return 62
		case c == '/':
			return 63
		case c == '=':
			return -2
		}
		return -1
	}
	bad := func(c byte, i int) error {
		return fmt.Errorf("Cannot access contents of TextNode as binary due to broken Base64 encoding: Illegal character (code 0x%x) as character #%d of 4-char base64 unit", c, i+1)
	}
	eof := fmt.Errorf("Cannot access contents of TextNode as binary due to broken Base64 encoding: Unexpected end of base64-encoded String: base64 variant 'MIME-NO-LINEFEEDS' expects padding (one or more '=' characters) at the end")
	for i := 0; ; {
		for i < len(s) && s[i] <= ' ' {
			i++
		}
		if i >= len(s) {
			return out, nil
		}
		var q [4]int
		for j := 0; j < 4; j++ {
			if i >= len(s) {
				return nil, eof
			}
			c := s[i]
			i++
			q[j] = val(c)
			if q[j] == -2 && j >= 2 {
				if j == 2 {
					if i >= len(s) {
						return nil, eof
					}
					if s[i] != '=' {
						return nil, bad(s[i], 3)
					}
					i++
					out = append(out, byte((q[0]<<18|q[1]<<12)>>16))
				} else {
					v := q[0]<<18 | q[1]<<12 | q[2]<<6
					out = append(out, byte(v>>16), byte(v>>8))
				}
				break
			}
			if q[j] < 0 {
				return nil, bad(c, j)
			}
			if j == 3 {
				v := q[0]<<18 | q[1]<<12 | q[2]<<6 | q[3]
				out = append(out, byte(v>>16), byte(v>>8), byte(v))
			}
		}
	}
}

// trimJava is Java's String.trim: it strips characters up to U+0020.
func trimJava(s string) string {
	i, j := 0, len(s)
	for i < j && s[i] <= ' ' {
		i++
	}
	for j > i && s[j-1] <= ' ' {
		j--
	}
	return s[i:j]
}
