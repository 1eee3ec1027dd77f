package config

import (
	"errors"
	"fmt"
	"strings"
)

// AtLeast accepts numbers of any Int, Short or Long key that are at least min,
// with Kafka's message "Value must be at least N".
func AtLeast(min int64) Validator {
	return func(v any) error {
		n, ok := asInt64(v)
		if !ok {
			return nil
		}
		if n < min {
			return fmt.Errorf("Value must be at least %d", min)
		}
		return nil
	}
}

// Between accepts numbers in [min, max], with Kafka's range message.
func Between(min, max int64) Validator {
	return func(v any) error {
		n, ok := asInt64(v)
		if !ok {
			return nil
		}
		if n < min || n > max {
			return fmt.Errorf("Value must be between %d and %d", min, max)
		}
		return nil
	}
}

// NonEmptyString rejects a set but blank string, as Kafka's NonEmptyString.
func NonEmptyString() Validator {
	return func(v any) error {
		if s, ok := v.(string); ok && strings.TrimSpace(s) == "" {
			return errors.New("String must be non-empty")
		}
		return nil
	}
}

// OneOf accepts one of the given strings, ignoring case, as Kafka's
// CaseInsensitiveValidString.
func OneOf(allowed ...string) Validator {
	return func(v any) error {
		s, ok := v.(string)
		if !ok {
			return nil
		}
		for _, a := range allowed {
			if strings.EqualFold(a, s) {
				return nil
			}
		}
		return fmt.Errorf("String must be one of: %s", strings.Join(allowed, ", "))
	}
}

func asInt64(v any) (int64, bool) {
	switch n := v.(type) {
	case int32:
		return int64(n), true
	case int16:
		return int64(n), true
	case int64:
		return n, true
	}
	return 0, false
}
