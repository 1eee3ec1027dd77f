package offsets

import "fmt"

// ParseMap parses a partition or offset given as text, such as on a
// command line, with the rules the offsets file uses: integral numbers
// become int64, other numbers float64, and integers beyond int64 are an
// error rather than rounded. The text must be exactly one JSON object. It
// is pure and safe for concurrent use.
func ParseMap(text []byte) (map[string]any, error) {
	v, err := decodeJSON(text)
	if err != nil {
		return nil, err
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("want a JSON object, got %s", snippet(text))
	}
	return m, nil
}

// FormatMap renders a partition or offset as the offsets file shows it:
// one line of JSON with sorted keys, and floating-point numbers that keep
// a fraction or exponent so they never read back as integers. It accepts
// what Store.Set accepts and is pure and safe for concurrent use.
func FormatMap(m map[string]any) (string, error) {
	n, err := normalizeMap(m)
	if err != nil {
		return "", err
	}
	return partitionKey(n)
}
