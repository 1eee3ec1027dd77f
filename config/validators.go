package config

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// describeProbe is the value Describe passes to a validator.
type describeProbe struct{}

// description is the answer a described validator gives to describeProbe.
type description string

func (d description) Error() string { return string(d) }

// Described returns check with a description of the values it accepts,
// shown by WriteMarkdown and WriteJSON, e.g. Described("a topic name", f).
func Described(desc string, check Validator) Validator {
	return func(v any) error {
		if _, ok := v.(describeProbe); ok {
			return description(desc)
		}
		if check == nil {
			return nil
		}
		return check(v)
	}
}

// Describe returns the description of the values v accepts, or "" when v
// is nil or has none.
func Describe(v Validator) string {
	if v == nil {
		return ""
	}
	var d description
	if err := v(describeProbe{}); errors.As(err, &d) {
		return string(d)
	}
	return ""
}

// AtLeast accepts numbers of any Int, Short or Long key that are at least min,
// with Kafka's message "Value must be at least N".
func AtLeast(min int64) Validator {
	return Described(fmt.Sprintf("[%d,...]", min), func(v any) error {
		n, ok := asInt64(v)
		if !ok {
			return nil
		}
		if n < min {
			return fmt.Errorf("Value must be at least %d", min)
		}
		return nil
	})
}

// Between accepts numbers in [min, max], with Kafka's range message.
func Between(min, max int64) Validator {
	return Described(fmt.Sprintf("[%d,...,%d]", min, max), func(v any) error {
		n, ok := asInt64(v)
		if !ok {
			return nil
		}
		if n < min || n > max {
			return fmt.Errorf("Value must be between %d and %d", min, max)
		}
		return nil
	})
}

// NonEmptyString rejects a set but blank string, as Kafka's NonEmptyString.
func NonEmptyString() Validator {
	return Described("non-empty string", func(v any) error {
		if s, ok := v.(string); ok && javaTrim(s) == "" {
			return errors.New("String must be non-empty")
		}
		return nil
	})
}

// NonEmptyStringWithoutControlChars rejects an empty string and one holding
// ISO control characters, as Kafka does for connector names; the message
// lists the offending code points in decimal, as Kafka's does.
func NonEmptyStringWithoutControlChars() Validator {
	return Described("non-empty string without ISO control characters", func(v any) error {
		s, ok := v.(string)
		if !ok {
			return nil
		}
		if s == "" {
			return errors.New("String may not be empty")
		}
		var bad []string
		for _, r := range s {
			if isISOControl(r) {
				bad = append(bad, strconv.Itoa(int(r)))
			}
		}
		if len(bad) > 0 {
			return fmt.Errorf("String may not contain control sequences but had the following ASCII chars: %s", strings.Join(bad, ", "))
		}
		return nil
	})
}

// isISOControl matches Java's Character.isISOControl.
func isISOControl(r rune) bool {
	return r <= 0x1f || (r >= 0x7f && r <= 0x9f)
}

// OneOf accepts one of the given strings, ignoring case, as Kafka's
// CaseInsensitiveValidString.
func OneOf(allowed ...string) Validator {
	list := strings.Join(allowed, ", ")
	return Described("(case insensitive) ["+list+"]", func(v any) error {
		s, ok := v.(string)
		if !ok {
			return nil
		}
		for _, a := range allowed {
			if strings.EqualFold(a, s) {
				return nil
			}
		}
		return fmt.Errorf("String must be one of (case insensitive): %s", list)
	})
}

// In accepts exactly one of the given strings, as Kafka's ValidString.
func In(allowed ...string) Validator {
	list := strings.Join(allowed, ", ")
	return Described("["+list+"]", func(v any) error {
		s, ok := v.(string)
		if !ok || slices.Contains(allowed, s) {
			return nil
		}
		return fmt.Errorf("String must be one of: %s", list)
	})
}

// UniqueAliases rejects a list naming an alias twice, with Kafka's message
// "Duplicate alias provided.". what completes the description "unique ...",
// e.g. "transformation aliases".
func UniqueAliases(what string) Validator {
	return Described("unique "+what, func(v any) error {
		l, ok := v.([]string)
		if !ok {
			return nil
		}
		seen := make(map[string]bool, len(l))
		for _, a := range l {
			if seen[a] {
				return errors.New("Duplicate alias provided.")
			}
			seen[a] = true
		}
		return nil
	})
}

// Regex accepts a string that compiles as a regular expression. Go's RE2
// syntax is checked, not Java's: it is the one the runtime will match with,
// so a Java-only construct such as a lookahead fails here rather than later.
func Regex() Validator {
	return Described("valid regex", func(v any) error {
		s, ok := v.(string)
		if !ok {
			return nil
		}
		if _, err := regexp.Compile(s); err != nil {
			return fmt.Errorf("Invalid regex: %w", err)
		}
		return nil
	})
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
