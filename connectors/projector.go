package connectors

import (
	"errors"
	"fmt"
	"maps"
)

// ErrProjection is wrapped by the errors of Project, Kafka's
// SchemaProjectorException.
var ErrProjection = errors.New("cannot project value")

// Project converts value, of schema source, to schema target, as Kafka's
// SchemaProjector.project: numbers are widened along int8, int16, int32,
// int64, float, double; struct fields missing from source take their
// target default or stay unset when optional; fields target lacks are
// dropped. The schemas must agree on type (or a widening), name and
// parameters at every level. A value already of target is returned as is.
func Project(source *Schema, value any, target *Schema) (any, error) {
	if source == target {
		return value, nil
	}
	if source == nil || target == nil {
		return nil, fmt.Errorf("%w: between schemaless and schema-based data", ErrProjection)
	}
	return project(source, value, target, 0)
}

func project(source *Schema, value any, target *Schema, depth int) (any, error) {
	if depth > maxNesting {
		return nil, fmt.Errorf("%w: schema nested deeper than %d levels", ErrProjection, maxNesting)
	}
	if err := checkProjectable(source, target); err != nil {
		return nil, err
	}
	if source.Optional && !target.Optional {
		if target.Default == nil {
			return nil, fmt.Errorf("%w: writer schema is optional, however, target schema does not provide a default value", ErrProjection)
		}
		if value == nil {
			return target.Default, nil
		}
	}
	if value == nil {
		return nil, nil
	}
	switch target.Type {
	case Struct:
		sv, ok := value.(*StructValue)
		if !ok {
			return nil, fmt.Errorf("%w: %T is not a struct", ErrProjection, value)
		}
		return projectStruct(source, sv, target, depth)
	case Array:
		list, ok := value.([]any)
		if !ok {
			return nil, fmt.Errorf("%w: %T is not an array", ErrProjection, value)
		}
		out := make([]any, len(list))
		for i, e := range list {
			p, err := project(source.Value, e, target.Value, depth+1)
			if err != nil {
				return nil, err
			}
			out[i] = p
		}
		return out, nil
	case Map:
		m, ok := value.(map[any]any)
		if !ok {
			return nil, fmt.Errorf("%w: %T is not a map", ErrProjection, value)
		}
		out := make(map[any]any, len(m))
		for k, v := range m {
			pk, err := project(source.Key, k, target.Key, depth+1)
			if err != nil {
				return nil, err
			}
			pv, err := project(source.Value, v, target.Value, depth+1)
			if err != nil {
				return nil, err
			}
			out[pk] = pv
		}
		return out, nil
	}
	return widen(value, target.Type), nil
}

func projectStruct(source *Schema, sv *StructValue, target *Schema, depth int) (*StructValue, error) {
	out := NewStruct(target)
	for i, tf := range target.Fields {
		si := source.fieldIndex(tf.Name)
		switch {
		case si >= 0:
			v, err := sv.Get(tf.Name)
			if err != nil {
				return nil, fmt.Errorf("%w: %w", ErrProjection, err)
			}
			p, err := project(source.Fields[si].Schema, v, tf.Schema, depth+1)
			if err != nil {
				return nil, fmt.Errorf("error projecting %s: %w", tf.Name, err)
			}
			out.values[i] = p
		case tf.Schema.Optional:
		case tf.Schema.Default != nil:
			out.values[i] = tf.Schema.Default
		default:
			return nil, fmt.Errorf("%w: required field `%s` is missing from source schema", ErrProjection, tf.Name)
		}
	}
	return out, nil
}

// numericRank orders the types a number may be widened along.
var numericRank = map[Type]int{Int8: 1, Int16: 2, Int32: 3, Int64: 4, Float32: 5, Float64: 6}

// Promotable reports whether values of type from widen to type to, as
// Kafka's SchemaProjector and Confluent's storage compatibility allow.
func Promotable(from, to Type) bool {
	f, t := numericRank[from], numericRank[to]
	return f > 0 && t > 0 && f <= t
}

func checkProjectable(source, target *Schema) error {
	switch {
	case source.Type != target.Type && !Promotable(source.Type, target.Type):
		return fmt.Errorf("%w: schema type mismatch. source type: %s and target type: %s", ErrProjection, source.Type, target.Type)
	case source.Name != target.Name:
		return fmt.Errorf("%w: schema name mismatch. source name: %s and target name: %s", ErrProjection, source.Name, target.Name)
	case !maps.Equal(source.Parameters, target.Parameters):
		return fmt.Errorf("%w: schema parameters not equal. source parameters: %v and target parameters: %v", ErrProjection, source.Parameters, target.Parameters)
	}
	return nil
}

// widen converts a number to the Go type of t; other values pass through.
func widen(v any, t Type) any {
	var i int64
	var f float64
	isFloat := false
	switch n := v.(type) {
	case int8:
		i = int64(n)
	case int16:
		i = int64(n)
	case int32:
		i = int64(n)
	case int64:
		i = n
	case float32:
		f, isFloat = float64(n), true
	case float64:
		f, isFloat = n, true
	default:
		return v
	}
	if !isFloat {
		f = float64(i)
	}
	switch t {
	case Int16:
		return int16(i)
	case Int32:
		return int32(i)
	case Int64:
		return i
	case Float32:
		return float32(f)
	case Float64:
		return f
	}
	return v
}
