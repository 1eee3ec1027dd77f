package transforms

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf16"

	"github.com/connect-standalone/connect-standalone/connectors"
)

// KeyFieldSyntaxVersion selects how transforms read field paths (KIP-821).
const KeyFieldSyntaxVersion = "field.syntax.version"

const fieldSyntaxVersionDoc = "How field paths are read. V1: a path is the name of a top-level field, dots " +
	"included. V2: a dotted path reaches into nested Structs and maps; a name that holds dots is wrapped in " +
	"backticks, so that \"`foo.bar`.baz\" is the field baz of the field foo.bar, and a backtick ending such a " +
	"name is escaped with a backslash."

// fieldPath is Kafka's SingleFieldPath: the steps from the root of a
// Struct or map to one field.
type fieldPath struct {
	steps []string
}

// parseFieldPath splits text into steps per syntax version ("V1" or
// "V2", any case). The error is Kafka's ConfigException message.
func parseFieldPath(text, version string) (fieldPath, error) {
	if !strings.EqualFold(version, "V2") {
		return fieldPath{steps: []string{text}}, nil
	}
	steps, err := splitFieldPathV2(text)
	return fieldPath{steps: steps}, err
}

// splitFieldPathV2 breaks a path at dots. A step that starts with a
// backtick runs to the next backtick that ends the path or is followed by
// a dot and not preceded by a backslash; other backticks are part of the
// name. A path ending in a dot has an empty last step.
func splitFieldPathV2(path string) ([]string, error) {
	steps := []string{}
	idx := 0
	for idx >= 0 && idx < len(path) {
		if path[idx] != '`' {
			start := idx
			dot := strings.IndexByte(path[idx:], '.')
			if dot < 0 {
				steps = append(steps, path[start:])
				break
			}
			idx += dot
			steps = append(steps, path[start:idx])
			idx++
			continue
		}
		opening := idx
		idx++
		start := idx
		var field strings.Builder
		for {
			tick := strings.IndexByte(path[idx:], '`')
			if tick < 0 {
				return nil, incompleteBackticks(path, opening)
			}
			idx += tick
			escaped := path[idx-1] == '\\'
			if idx >= len(path)-1 {
				if escaped {
					return nil, incompleteBackticks(path, opening)
				}
				field.WriteString(path[start:idx])
				steps = append(steps, field.String())
				idx++
				break
			}
			if path[idx+1] != '.' {
				idx++
				continue
			}
			if escaped {
				field.WriteString(path[start : idx-1])
				field.WriteByte('`')
				idx++
				start = idx
				continue
			}
			field.WriteString(path[start:idx])
			steps = append(steps, field.String())
			idx += 2
			break
		}
	}
	if strings.HasSuffix(path, ".") {
		steps = append(steps, "")
	}
	return steps, nil
}

// incompleteBackticks reports an unclosed backtick at byte offset at,
// which Kafka counts in UTF-16 units.
func incompleteBackticks(path string, at int) error {
	pos := len(utf16.Encode([]rune(path[:at])))
	return fmt.Errorf("Incomplete backtick pair in path: [%s], consider adding a backslash before backtick at position %d to escape it", path, pos)
}

// errEmptyFieldPath is what Kafka fails with when it walks a V2 path
// parsed from an empty string, which has no steps.
var errEmptyFieldPath = errors.New("fromIndex(0) > toIndex(-1)")

// field returns the field the path names in schema, ok false if there is
// none.
func (p fieldPath) field(schema *connectors.Schema) (f connectors.Field, ok bool, err error) {
	if len(p.steps) == 0 {
		return f, false, errEmptyFieldPath
	}
	current := schema
	for _, step := range p.steps[:len(p.steps)-1] {
		f, ok, err := schemaField(current, step)
		if err != nil || !ok {
			return f, ok, err
		}
		current = f.Schema
	}
	return schemaField(current, p.steps[len(p.steps)-1])
}

// structValue returns the value the path names in s, or nil when a field
// on the way is missing or null. Intermediate Structs are read with their
// defaults; withDefault says whether the last field is.
func (p fieldPath) structValue(s *connectors.StructValue, withDefault bool) (any, error) {
	if len(p.steps) == 0 {
		return nil, errEmptyFieldPath
	}
	current := s
	for _, step := range p.steps[:len(p.steps)-1] {
		if _, ok := current.Schema().Field(step); !ok {
			return nil, nil
		}
		sub, err := current.Get(step)
		if err != nil || sub == nil {
			return nil, err
		}
		if current, err = requireStruct(sub, "nested field access"); err != nil {
			return nil, err
		}
	}
	last := p.steps[len(p.steps)-1]
	if _, ok := current.Schema().Field(last); !ok {
		return nil, nil
	}
	return fieldValue(current, last, withDefault)
}

// mapValue returns the value the path names in m, or nil when an entry on
// the way is missing or null.
func (p fieldPath) mapValue(m map[string]any) (any, error) {
	if len(p.steps) == 0 {
		return nil, errEmptyFieldPath
	}
	current := m
	for _, step := range p.steps[:len(p.steps)-1] {
		sub := current[step]
		if sub == nil {
			return nil, nil
		}
		var err error
		if current, err = requireMap(sub, "nested field access"); err != nil {
			return nil, err
		}
	}
	return current[p.steps[len(p.steps)-1]], nil
}
