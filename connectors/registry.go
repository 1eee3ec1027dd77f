package connectors

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"unicode"

	"github.com/connect-standalone/connect-standalone/config"
)

// Kind is the kind of a plugin; a class may be registered under several kinds
// (StringConverter is both a Converter and a HeaderConverter).
type Kind int

const (
	KindSource Kind = iota + 1
	KindSink
	KindConverter
	KindHeaderConverter
	KindTransform
	KindPredicate
)

// String returns the kind as Kafka's REST API names plugin types.
func (k Kind) String() string {
	switch k {
	case KindSource:
		return "source"
	case KindSink:
		return "sink"
	case KindConverter:
		return "converter"
	case KindHeaderConverter:
		return "header_converter"
	case KindTransform:
		return "transformation"
	case KindPredicate:
		return "predicate"
	}
	return "unknown"
}

// suffix is the word Kafka prunes from a simple class name to make the short alias.
func (k Kind) suffix() string {
	switch k {
	case KindSource, KindSink:
		return "Connector"
	case KindConverter:
		return "Converter"
	case KindHeaderConverter:
		return "HeaderConverter"
	case KindTransform:
		return "Transformation"
	case KindPredicate:
		return "Predicate"
	}
	return ""
}

// Plugin describes one built-in plugin. Exactly the constructor matching Kind is set.
type Plugin struct {
	Class   string // canonical Java class name
	Kind    Kind
	Version string
	Def     *config.Def // the plugin's own keys
	// Doc says what the plugin does, in Markdown, for its reference page.
	Doc string
	// Example is a worked example in Markdown: the properties a user
	// writes and what a record looks like before and after.
	Example string

	NewSource          func() SourceConnector
	NewSink            func() SinkConnector
	NewConverter       func(cfg map[string]string) (Converter, error)
	NewHeaderConverter func(cfg map[string]string) (HeaderConverter, error)
	// NewTransform and NewPredicate receive their keys parsed by Def.
	NewTransform func(cfg config.Values) (Transform, error)
	NewPredicate func(cfg config.Values) (Predicate, error)
}

// Aliases returns the names Kafka computes for the class: the simple class
// name and, when it ends with the kind's suffix, the name without it. For a
// nested class such as InsertField$Value the simple name is "Value".
func (p Plugin) Aliases() []string {
	simple := p.Class[strings.LastIndexAny(p.Class, ".$")+1:]
	out := []string{simple}
	if i := strings.LastIndex(simple, p.Kind.suffix()); i > 0 {
		out = append(out, simple[:i])
	}
	return out
}

// Registry maps class names and aliases to plugins. Build it with Register,
// then only read it: reads are safe for concurrent use.
//
// As in Kafka, an alias names a class whatever the kind it was computed for:
// "String" is StringConverter's alias as a converter, and also finds it as a
// header converter. An alias computed for more than one class names none of
// them: "Value" (InsertField$Value, Cast$Value, ...) must be written as the
// full class name.
type Registry struct {
	plugins   []Plugin
	byClass   map[Kind]map[string]int // class -> index in plugins
	aliases   map[string]string       // alias -> class, across kinds
	ambiguous map[string]bool         // aliases of more than one class
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{byClass: make(map[Kind]map[string]int), aliases: make(map[string]string), ambiguous: make(map[string]bool)}
}

// Register adds p. It fails when p's class is already registered for p's
// kind. An alias p shares with another class is dropped for both.
func (r *Registry) Register(p Plugin) error {
	if err := p.check(); err != nil {
		return err
	}
	m := r.byClass[p.Kind]
	if m == nil {
		m = make(map[string]int)
		r.byClass[p.Kind] = m
	}
	if _, ok := m[p.Class]; ok {
		return fmt.Errorf("register %s plugin %s: already registered", p.Kind, p.Class)
	}
	r.plugins = append(r.plugins, p)
	m[p.Class] = len(r.plugins) - 1
	for _, a := range p.Aliases() {
		switch c, ok := r.aliases[a]; {
		case r.ambiguous[a]:
		case ok && c != p.Class:
			delete(r.aliases, a)
			r.ambiguous[a] = true
		default:
			r.aliases[a] = p.Class
		}
	}
	return nil
}

// Aliases returns the aliases that name p in r: those of p.Aliases that no
// other class shares.
func (r *Registry) Aliases(p Plugin) []string {
	var out []string
	for _, a := range p.Aliases() {
		if r.aliases[a] == p.Class {
			out = append(out, a)
		}
	}
	return out
}

func (p Plugin) check() error {
	ok := false
	switch p.Kind {
	case KindSource:
		ok = p.NewSource != nil
	case KindSink:
		ok = p.NewSink != nil
	case KindConverter:
		ok = p.NewConverter != nil
	case KindHeaderConverter:
		ok = p.NewHeaderConverter != nil
	case KindTransform:
		ok = p.NewTransform != nil
	case KindPredicate:
		ok = p.NewPredicate != nil
	}
	if !ok || p.Class == "" || p.Def == nil {
		return fmt.Errorf("register %s plugin %q: class, Def and the %s constructor are required", p.Kind, p.Class, p.Kind)
	}
	return nil
}

// Plugins returns every plugin of the given kinds (all kinds when none are
// given), sorted by class name, then kind.
func (r *Registry) Plugins(kinds ...Kind) []Plugin {
	var out []Plugin
	for _, p := range r.plugins {
		if len(kinds) == 0 || containsKind(kinds, p.Kind) {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Class != out[j].Class {
			return out[i].Class < out[j].Class
		}
		return out[i].Kind < out[j].Kind
	})
	return out
}

func containsKind(ks []Kind, k Kind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

// Lookup finds a plugin of one of the given kinds by class name or alias.
// For connectors pass KindSource and KindSink together. An unknown name is a
// *NotFoundError that suggests the nearest known names.
func (r *Registry) Lookup(name string, kinds ...Kind) (Plugin, error) {
	name = strings.TrimSpace(name)
	class := name
	if c, ok := r.aliases[name]; ok {
		class = c
	}
	for _, k := range kinds {
		if i, ok := r.byClass[k][class]; ok {
			return r.plugins[i], nil
		}
	}
	return Plugin{}, &NotFoundError{Name: name, Kinds: kinds, Suggestions: r.suggest(name, kinds)}
}

// NotFoundError reports a class name no plugin answers to.
type NotFoundError struct {
	Name        string
	Kinds       []Kind
	Suggestions []string
}

func (e *NotFoundError) Error() string {
	what := "plugin"
	if len(e.Kinds) > 0 {
		switch e.Kinds[0] {
		case KindSource, KindSink:
			what = "connector"
		case KindConverter:
			what = "converter"
		case KindHeaderConverter:
			what = "header converter"
		case KindTransform:
			what = "transformation"
		case KindPredicate:
			what = "predicate"
		}
	}
	msg := fmt.Sprintf("no %s class or alias matches %q", what, e.Name)
	if len(e.Suggestions) > 0 {
		msg += fmt.Sprintf("; did you mean %s?", strings.Join(e.Suggestions, " or "))
	}
	return msg
}

// suggest ranks the plugins of the given kinds by edit distance to name,
// comparing case-, space- and punctuation-insensitively, so "File Stream
// Source" finds FileStreamSource. It suggests a plugin's shortest alias,
// or its class name when it has no alias of its own (InsertField$Value),
// which is also compared by its name within its package.
func (r *Registry) suggest(name string, kinds []Kind) []string {
	target := fold(name[strings.LastIndex(name, ".")+1:])
	type cand struct {
		alias string
		dist  int
	}
	var cands []cand
	seen := map[string]bool{}
	for _, p := range r.Plugins(kinds...) {
		aliases := r.Aliases(p)
		short := p.Class
		if len(aliases) > 0 {
			short = aliases[len(aliases)-1]
		}
		if seen[short] {
			continue
		}
		seen[short] = true
		best := -1
		for _, a := range append(p.Aliases(), p.Class[strings.LastIndex(p.Class, ".")+1:]) {
			if d := config.EditDistance(target, fold(a), math.MaxInt); best < 0 || d < best {
				best = d
			}
		}
		cands = append(cands, cand{short, best})
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].dist < cands[j].dist })
	limit := max(3, len(target)/2)
	var out []string
	for _, c := range cands {
		if c.dist > limit || len(out) == 3 {
			break
		}
		out = append(out, c.alias)
	}
	return out
}

func fold(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}
