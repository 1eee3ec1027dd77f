// Package config declares configuration keys as data and loads the files
// users write: Java .properties files and Kafka Connect's JSON connector files.
//
// One Def per worker and per plugin is the single source of truth for a key's
// name, type, default, validation and documentation; Parse, offline
// validation and generated docs all read it.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Type is the type of a configuration value, named as Kafka's ConfigDef names it.
type Type int

const (
	Bool Type = iota + 1
	String
	Int
	Short
	Long
	Double
	List
	Class
	Password
)

// String returns the Kafka spelling of the type, as shown in docs and by the REST validate endpoint.
func (t Type) String() string {
	switch t {
	case Bool:
		return "BOOLEAN"
	case String:
		return "STRING"
	case Int:
		return "INT"
	case Short:
		return "SHORT"
	case Long:
		return "LONG"
	case Double:
		return "DOUBLE"
	case List:
		return "LIST"
	case Class:
		return "CLASS"
	case Password:
		return "PASSWORD"
	}
	return "UNKNOWN"
}

// Importance ranks a key in docs, as Kafka's ConfigDef.Importance does.
type Importance int

const (
	High Importance = iota + 1
	Medium
	Low
)

// String returns the Kafka spelling of the importance.
func (i Importance) String() string {
	switch i {
	case High:
		return "HIGH"
	case Medium:
		return "MEDIUM"
	case Low:
		return "LOW"
	}
	return "UNKNOWN"
}

// A Validator checks a parsed value. It receives the typed value (int32 for
// Int, int64 for Long, []string for List, ...) or nil when the key is unset
// and has no default. The error is shown to the user after the key's name.
//
// A Validator must return nil for values of types it does not expect: the
// validators of this package also describe the values they accept ("[1,...]")
// for docs, and Describe asks for that description by calling the validator
// with a probe value. A func cannot carry data otherwise, and this keeps the
// key's declaration the only place its rule is written. Wrap a custom
// validator with Described to give it a description.
type Validator func(v any) error

// Status says what the runtime does with a key Kafka knows. It lives in the
// Def so that warnings and docs follow from the one declaration.
type Status int

const (
	// Active keys are honoured. It is the zero value.
	Active Status = iota
	// NotUsedYet keys are Kafka standalone keys that are accepted and
	// validated but have no effect yet.
	NotUsedYet
	// DistributedOnly keys configure Kafka's distributed mode. They are
	// accepted, not parsed, and have no effect here.
	DistributedOnly
	// Removed keys were removed from Kafka. They are accepted, not parsed and
	// ignored; the key's Doc says when and what replaced them.
	Removed
)

// String returns the status as docs show it.
func (s Status) String() string {
	switch s {
	case Active:
		return "active"
	case NotUsedYet:
		return "not used yet"
	case DistributedOnly:
		return "distributed mode only"
	case Removed:
		return "removed"
	}
	return "unknown"
}

// Key declares one configuration key.
type Key struct {
	Name       string // verbatim Kafka spelling, e.g. "tasks.max"
	Type       Type
	Default    any  // typed like the parsed value; nil means no default
	Required   bool // missing and no default is an error
	Validate   Validator
	Importance Importance
	Group      string
	Doc        string
	Status     Status
}

// Prefix declares a family of keys that are passed on rather than declared
// one by one, such as "producer." or "key.converter.". Keys under a declared
// prefix are not unknown.
type Prefix struct {
	Name   string // including the trailing dot, e.g. "producer."
	Doc    string
	Status Status
}

// Def is an ordered set of keys and key prefixes. A Def is read-only once
// built and safe for concurrent use.
type Def struct {
	Keys     []Key
	Prefixes []Prefix
}

// Key returns the declaration of name.
func (d *Def) Key(name string) (Key, bool) {
	for _, k := range d.Keys {
		if k.Name == name {
			return k, true
		}
	}
	return Key{}, false
}

// Merge returns a new Def holding d's keys and prefixes followed by those of
// others whose names d does not already declare. Nil Defs are skipped.
func (d *Def) Merge(others ...*Def) *Def {
	out := &Def{
		Keys:     append([]Key(nil), d.Keys...),
		Prefixes: append([]Prefix(nil), d.Prefixes...),
	}
	seen := make(map[string]bool, len(out.Keys))
	for _, k := range out.Keys {
		seen[k.Name] = true
	}
	seenPrefix := make(map[string]bool, len(out.Prefixes))
	for _, p := range out.Prefixes {
		seenPrefix[p.Name] = true
	}
	for _, o := range others {
		if o == nil {
			continue
		}
		for _, k := range o.Keys {
			if !seen[k.Name] {
				seen[k.Name] = true
				out.Keys = append(out.Keys, k)
			}
		}
		for _, p := range o.Prefixes {
			if !seenPrefix[p.Name] {
				seenPrefix[p.Name] = true
				out.Prefixes = append(out.Prefixes, p)
			}
		}
	}
	return out
}

// Embed returns a copy of d whose key and prefix names start with prefix,
// as Kafka's ConfigDef.embed nests a transform's keys under
// "transforms.<alias>.", so that parse errors and warnings name the keys
// as the user wrote them.
func (d *Def) Embed(prefix string) *Def {
	out := &Def{Keys: make([]Key, len(d.Keys)), Prefixes: make([]Prefix, len(d.Prefixes))}
	for i, k := range d.Keys {
		k.Name = prefix + k.Name
		out.Keys[i] = k
	}
	for i, p := range d.Prefixes {
		p.Name = prefix + p.Name
		out.Prefixes[i] = p
	}
	return out
}

// prefix returns the longest declared prefix name starts with.
func (d *Def) prefix(name string) (Prefix, bool) {
	var best Prefix
	found := false
	for _, p := range d.Prefixes {
		if strings.HasPrefix(name, p.Name) && len(p.Name) > len(best.Name) {
			best, found = p, true
		}
	}
	return best, found
}

// Sentinel causes wrapped by KeyError, for callers that branch on them.
var (
	ErrMissing = errors.New("missing required configuration")
	ErrInvalid = errors.New("invalid value")
)

// KeyError is one problem with one key. File is empty until the caller that
// knows the file attaches it with InFile.
type KeyError struct {
	File string
	Key  string
	Err  error
}

func (e *KeyError) Error() string {
	if e.File != "" {
		return fmt.Sprintf("%s: %s: %v", e.File, e.Key, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Key, e.Err)
}

func (e *KeyError) Unwrap() error { return e.Err }

// InFile returns err with file attached to every KeyError it holds, looking
// through errors.Join trees. Other errors are returned unchanged.
func InFile(file string, err error) error {
	if err == nil {
		return nil
	}
	var ke *KeyError
	if errors.As(err, &ke) && ke == err {
		c := *ke
		c.File = file
		return &c
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs := j.Unwrap()
		out := make([]error, len(errs))
		for i, e := range errs {
			out[i] = InFile(file, e)
		}
		return errors.Join(out...)
	}
	return err
}

// Problems returns the individual errors of an errors.Join tree, flattened.
func Problems(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, Problems(e)...)
		}
		return out
	}
	return []error{err}
}

// Parse applies defaults, converts every declared key to its type and runs
// validators. It reports every problem at once: the error is an errors.Join
// of *KeyError, each wrapping ErrMissing or ErrInvalid. Keys in raw that d
// does not declare are kept in Values.Raw and reported by Unknown.
// DistributedOnly and Removed keys are skipped: Kafka's standalone worker
// does not parse them either, so no value of theirs can fail a start.
func (d *Def) Parse(raw map[string]string) (Values, error) {
	vals := Values{typed: make(map[string]any, len(d.Keys)), raw: raw}
	var errs []error
	for _, k := range d.Keys {
		if k.Status == DistributedOnly || k.Status == Removed {
			continue
		}
		s, present := raw[k.Name]
		var v any
		if present {
			parsed, err := parseValue(k.Type, s)
			if err != nil {
				errs = append(errs, &KeyError{Key: k.Name, Err: fmt.Errorf("%w %q: %v", ErrInvalid, s, err)})
				continue
			}
			v = parsed
		} else {
			v = k.Default
		}
		if v == nil && k.Required {
			errs = append(errs, &KeyError{Key: k.Name, Err: fmt.Errorf("%w %q which has no default value", ErrMissing, k.Name)})
			continue
		}
		if k.Validate != nil {
			if err := k.Validate(v); err != nil {
				errs = append(errs, &KeyError{Key: k.Name, Err: fmt.Errorf("%w %q: %w", ErrInvalid, s, err)})
				continue
			}
		}
		vals.typed[k.Name] = v
	}
	return vals, errors.Join(errs...)
}

// Unknown returns the keys of raw that d does not declare, that are not under
// one of d's Prefixes and that do not start with one of the given prefixes,
// sorted.
func (d *Def) Unknown(raw map[string]string, prefixes ...string) []string {
	var out []string
next:
	for name := range raw {
		if _, ok := d.Key(name); ok {
			continue
		}
		if _, ok := d.prefix(name); ok {
			continue
		}
		for _, p := range prefixes {
			if strings.HasPrefix(name, p) {
				continue next
			}
		}
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

func parseValue(t Type, s string) (any, error) {
	if t != Password {
		s = javaTrim(s)
	}
	switch t {
	case Bool:
		switch strings.ToLower(s) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
		return nil, errors.New("expected value to be either true or false")
	case String, Class:
		return s, nil
	case Password:
		return Secret(s), nil
	case Int:
		n, err := strconv.ParseInt(s, 10, 32)
		if err != nil {
			return nil, errors.New("not a number of type INT")
		}
		return int32(n), nil
	case Short:
		n, err := strconv.ParseInt(s, 10, 16)
		if err != nil {
			return nil, errors.New("not a number of type SHORT")
		}
		return int16(n), nil
	case Long:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, errors.New("not a number of type LONG")
		}
		return n, nil
	case Double:
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, errors.New("not a number of type DOUBLE")
		}
		return f, nil
	case List:
		return SplitList(s), nil
	}
	return nil, fmt.Errorf("unknown type %v", t)
}

// SplitList splits a list value as Kafka does: trimmed, then split on commas
// with surrounding whitespace; an empty value is an empty list. Empty
// elements are kept ("a,,b" has three), as in Kafka.
func SplitList(s string) []string {
	s = javaTrim(s)
	if s == "" {
		return []string{}
	}
	parts := strings.Split(s, ",")
	for i := range parts {
		parts[i] = strings.TrimFunc(parts[i], isRegexSpace)
	}
	return parts
}

// javaTrim trims as Java's String.trim, which Kafka applies to every
// non-password value: it drops ASCII control characters and spaces at both
// ends, but keeps Unicode spaces such as U+00A0 that strings.TrimSpace
// would drop.
func javaTrim(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
}

// isRegexSpace matches Java's regex \s, which Kafka's list separator uses.
func isRegexSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\v', '\f', '\r':
		return true
	}
	return false
}

// Secret is a password value. It prints and logs as [hidden].
type Secret string

func (Secret) String() string               { return "[hidden]" }
func (Secret) LogValue() slog.Value         { return slog.StringValue("[hidden]") }
func (s Secret) Value() string              { return string(s) }
func (Secret) GoString() string             { return "[hidden]" }
func (Secret) MarshalText() ([]byte, error) { return []byte("[hidden]"), nil }

// Values holds the typed values Parse produced and the raw map it read.
// Values is read-only and safe for concurrent use.
type Values struct {
	typed map[string]any
	raw   map[string]string
}

// Raw returns the raw string map the values were parsed from; callers must not modify it.
func (v Values) Raw() map[string]string { return v.raw }

// Has reports whether the user set name (a default does not count).
func (v Values) Has(name string) bool {
	_, ok := v.raw[name]
	return ok
}

// Get returns the typed value of a declared key, or nil.
func (v Values) Get(name string) any { return v.typed[name] }

// String returns a String or Class key's value, or "" when unset.
func (v Values) String(name string) string {
	s, _ := v.typed[name].(string)
	return s
}

// Int returns an Int key's value.
func (v Values) Int(name string) int {
	n, _ := v.typed[name].(int32)
	return int(n)
}

// Short returns a Short key's value.
func (v Values) Short(name string) int16 {
	n, _ := v.typed[name].(int16)
	return n
}

// Long returns a Long key's value.
func (v Values) Long(name string) int64 {
	n, _ := v.typed[name].(int64)
	return n
}

// Duration returns a Long key holding milliseconds as a time.Duration.
func (v Values) Duration(name string) time.Duration {
	return time.Duration(v.Long(name)) * time.Millisecond
}

// Bool returns a Bool key's value.
func (v Values) Bool(name string) bool {
	b, _ := v.typed[name].(bool)
	return b
}

// Double returns a Double key's value.
func (v Values) Double(name string) float64 {
	f, _ := v.typed[name].(float64)
	return f
}

// List returns a List key's value.
func (v Values) List(name string) []string {
	l, _ := v.typed[name].([]string)
	return l
}

// Password returns a Password key's value.
func (v Values) Password(name string) Secret {
	s, _ := v.typed[name].(Secret)
	return s
}

// Subset returns the raw keys that start with prefix, with prefix removed.
func Subset(raw map[string]string, prefix string) map[string]string {
	out := make(map[string]string)
	for k, val := range raw {
		if rest, ok := strings.CutPrefix(k, prefix); ok && rest != "" {
			out[rest] = val
		}
	}
	return out
}
