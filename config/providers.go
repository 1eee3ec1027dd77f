package config

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Config providers resolve ${provider:[path:]key} references in
// configuration values, as Kafka's ConfigTransformer does (KIP-297), in
// connector configs and in the worker's own properties (KIP-421).

// Class names of the built-in config providers, as Kafka spells them.
const (
	EnvVarConfigProviderClass    = "org.apache.kafka.common.config.provider.EnvVarConfigProvider"
	FileConfigProviderClass      = "org.apache.kafka.common.config.provider.FileConfigProvider"
	DirectoryConfigProviderClass = "org.apache.kafka.common.config.provider.DirectoryConfigProvider"
)

// Parameters of the built-in config providers, set as
// config.providers.<alias>.param.<name>.
const (
	ProviderParamAllowedPaths     = "allowed.paths"
	ProviderParamAllowlistPattern = "allowlist.pattern"
)

// reference is Kafka's ConfigTransformer.DEFAULT_PATTERN. Go's regexp
// chooses the submatches a backtracking engine such as Java's would, so
// "${a:b:c:d}" splits as in Kafka: provider a, path b, key c:d.
var reference = regexp.MustCompile(`\$\{([^}]*?):(([^}]*?):)?([^}]*?)\}`)

// lookupFunc returns the value of one key at the path a provider loaded,
// or why there is none.
type lookupFunc func(key string) (string, error)

// A provider is a configured config provider. load is called once per
// path and resolution, so that a file is read once however many keys
// refer to it. Errors must not hold any value a lookup could return.
type provider interface {
	load(path string) (lookupFunc, error)
}

// builtinProvider declares one provider class.
type builtinProvider struct {
	class   string
	aliases []string // computed as Kafka's PluginUtils: simple name, then without "ConfigProvider"
	params  []string
	// configure builds the provider from its parameters; paramKey turns a
	// parameter name into the worker key that set it, for errors.
	configure func(params map[string]string, paramKey func(string) string) (provider, error)
}

func builtinProviders() []builtinProvider {
	return []builtinProvider{
		{
			class:     EnvVarConfigProviderClass,
			aliases:   []string{"EnvVarConfigProvider", "EnvVar"},
			params:    []string{ProviderParamAllowlistPattern},
			configure: configureEnvVar,
		},
		{
			class:   FileConfigProviderClass,
			aliases: []string{"FileConfigProvider", "File"},
			params:  []string{ProviderParamAllowedPaths},
			configure: func(params map[string]string, paramKey func(string) string) (provider, error) {
				allowed, err := parseAllowedPaths(params, paramKey)
				return fileProvider{allowed: allowed}, err
			},
		},
		{
			class:   DirectoryConfigProviderClass,
			aliases: []string{"DirectoryConfigProvider", "Directory"},
			params:  []string{ProviderParamAllowedPaths},
			configure: func(params map[string]string, paramKey func(string) string) (provider, error) {
				allowed, err := parseAllowedPaths(params, paramKey)
				return dirProvider{allowed: allowed}, err
			},
		},
	}
}

func lookupBuiltinProvider(class string) (builtinProvider, bool) {
	for _, b := range builtinProviders() {
		if b.class == class || slices.Contains(b.aliases, class) {
			return b, true
		}
	}
	return builtinProvider{}, false
}

// Providers are the config providers a worker declares. They are
// read-only once built and safe for concurrent use.
type Providers struct {
	byAlias  map[string]provider
	warnings []string
}

func providerKey(alias, rest string) string {
	return KeyConfigProviders + "." + alias + "." + rest
}

// NewProviders builds the config providers that workerProps declare, as
// Kafka's worker does: config.providers lists aliases, each configured by
// config.providers.<alias>.class (a built-in class name or alias) and
// config.providers.<alias>.param.<name> keys. The provider settings are
// read as written: references in them are not resolved, as in Kafka.
//
// Unlike Kafka, which skips an alias that has no class, every listed alias
// must have one. Problems are reported at once, as an errors.Join of
// *KeyError naming the worker key, wrapping ErrMissing or ErrInvalid.
// NewProviders stats the allowed.paths of the file and directory providers
// and reads nothing else; it does not modify workerProps.
func NewProviders(workerProps map[string]string) (*Providers, error) {
	p := &Providers{byAlias: make(map[string]provider)}
	var errs []error
	seen := make(map[string]bool)
	for _, alias := range SplitList(workerProps[KeyConfigProviders]) {
		if alias == "" {
			continue // Kafka finds no class for it and skips it
		}
		if seen[alias] {
			continue
		}
		seen[alias] = true
		classKey := providerKey(alias, "class")
		class, ok := workerProps[classKey]
		class = javaTrim(class)
		if !ok || class == "" {
			errs = append(errs, &KeyError{Key: classKey, Err: fmt.Errorf("%w: %s lists %q, which needs a class", ErrMissing, KeyConfigProviders, alias)})
			continue
		}
		b, ok := lookupBuiltinProvider(class)
		if !ok {
			errs = append(errs, &KeyError{Key: classKey, Err: fmt.Errorf("%w %q: not a config provider; built in are %s, %s and %s",
				ErrInvalid, class, EnvVarConfigProviderClass, FileConfigProviderClass, DirectoryConfigProviderClass)})
			continue
		}
		paramPrefix := providerKey(alias, "param.")
		params := Subset(workerProps, paramPrefix)
		prov, err := b.configure(params, func(name string) string { return paramPrefix + name })
		if err != nil {
			errs = append(errs, Problems(err)...)
			continue
		}
		p.byAlias[alias] = prov
		for _, name := range slices.Sorted(maps.Keys(params)) {
			if !slices.Contains(b.params, name) {
				p.warnings = append(p.warnings, fmt.Sprintf("%q is ignored: %s has no parameter %q", paramPrefix+name, b.class, name))
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	p.warnings = append(p.warnings, strayProviderKeys(workerProps)...)
	slices.Sort(p.warnings)
	return p, nil
}

// strayProviderKeys describes the config.providers. keys no listed provider
// reads. Kafka ignores them silently; a provider configured but left out
// of config.providers is an easy mistake to make.
func strayProviderKeys(workerProps map[string]string) []string {
	listed := SplitList(workerProps[KeyConfigProviders])
	var out []string
	for name := range workerProps {
		rest, ok := strings.CutPrefix(name, KeyConfigProviders+".")
		if !ok {
			continue
		}
		known := false
		for _, alias := range listed {
			if alias == "" {
				continue
			}
			if tail, ok := strings.CutPrefix(rest, alias+"."); ok {
				known = tail == "class" || strings.HasPrefix(tail, "param.")
				if known {
					break
				}
			}
		}
		if !known {
			out = append(out, fmt.Sprintf("%q is ignored: it configures no provider listed in %s", name, KeyConfigProviders))
		}
	}
	return out
}

// Warnings describes the provider settings that have no effect, one
// sentence each, sorted: parameters a provider does not know, and keys
// under config.providers. that configure no listed provider. Callers log
// them.
func (p *Providers) Warnings() []string { return slices.Clone(p.warnings) }

// Resolve returns a copy of props in which every reference
// ${provider:[path:]key} to one of p's providers is replaced by the value
// the provider finds, and the set of keys whose values it changed: their
// values are secrets, to keep out of logs and REST responses. It follows
// Kafka's ConfigTransformer: references to providers p does not have are
// left as written, a value may hold several references, and what a
// reference resolves to is never resolved again.
//
// Unlike Kafka, which leaves a reference it finds no value for as written,
// a missing file, key, directory, file in a directory, environment
// variable, or a path outside allowed.paths is an error, so that a
// connector never starts with a literal ${...} as its password. Problems
// are reported at once, as an errors.Join of *KeyError naming the config
// key and wrapping ErrInvalid; their messages name the reference (so the
// provider, path and key) and never a resolved value.
//
// Resolve reads the files and environment variables referred to, each
// file once per call; it does not modify props and is safe for concurrent
// use.
func (p *Providers) Resolve(props map[string]string) (resolved map[string]string, secrets map[string]bool, err error) {
	resolved = make(map[string]string, len(props))
	secrets = make(map[string]bool)
	type loaded struct {
		lookup lookupFunc
		err    error
	}
	cache := make(map[[2]string]loaded) // by provider alias and path
	var errs []error
	// Sorted, so that errors come in the same order every time.
	for _, name := range slices.Sorted(maps.Keys(props)) {
		v := props[name]
		var b strings.Builder
		last := 0
		for _, m := range reference.FindAllStringSubmatchIndex(v, -1) {
			alias := v[m[2]:m[3]]
			prov, ok := p.byAlias[alias]
			if !ok {
				continue // Kafka leaves references to unknown providers as written
			}
			path := ""
			if m[6] >= 0 {
				path = v[m[6]:m[7]]
			}
			key := v[m[8]:m[9]]
			l, ok := cache[[2]string{alias, path}]
			if !ok {
				l.lookup, l.err = prov.load(path)
				cache[[2]string{alias, path}] = l
			}
			err := l.err
			var val string
			if err == nil {
				val, err = l.lookup(key)
			}
			if err != nil {
				errs = append(errs, &KeyError{Key: name, Err: fmt.Errorf("%w %s: config provider %q: %v", ErrInvalid, v[m[0]:m[1]], alias, err)})
				continue
			}
			b.WriteString(v[last:m[0]])
			b.WriteString(val)
			last = m[1]
			secrets[name] = true
		}
		if secrets[name] {
			b.WriteString(v[last:])
			resolved[name] = b.String()
		} else {
			resolved[name] = v
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	return resolved, secrets, nil
}

// ResolveWorker builds the config providers the worker properties declare
// and resolves the worker properties' own references with them, as Kafka's
// WorkerConfig does (KIP-421). The providers are returned for resolving
// connector configs. Errors are those of NewProviders and Resolve, and
// so is the I/O done.
func ResolveWorker(workerProps map[string]string) (p *Providers, resolved map[string]string, secrets map[string]bool, err error) {
	p, err = NewProviders(workerProps)
	if err != nil {
		return nil, nil, nil, err
	}
	resolved, secrets, err = p.Resolve(workerProps)
	if err != nil {
		return nil, nil, nil, err
	}
	return p, resolved, secrets, nil
}

// Unresolve returns a copy of cfg, a config derived from the resolved form
// of raw (such as a task config a connector built), in which each key whose
// raw value holds a reference has that raw value back, as Kafka's
// ConnectorConfig.reverseTransform does before task configs are stored
// and shown. It does not modify its arguments and is safe for concurrent
// use.
func Unresolve(cfg, raw map[string]string) map[string]string {
	out := maps.Clone(cfg)
	if out == nil {
		out = make(map[string]string)
	}
	for k, v := range raw {
		if _, ok := out[k]; ok && reference.MatchString(v) {
			out[k] = v
		}
	}
	return out
}

// Hidden replaces secret values wherever they are shown.
const Hidden = "[hidden]"

// Redact returns a copy of props fit for logs and REST responses. It
// replaces with Hidden the values of keys def declares as Password, of keys
// named password or ending in .password, of sasl.jaas.config keys (also
// prefixed ones such as producer.override.sasl.jaas.config), and of the
// keys in secrets (as Resolve returns them; nil for a config as written).
// A value of the first kinds made only of ${...} references is kept: the
// reference is not the secret. def may be nil. Redact does not modify
// props and is safe for concurrent use.
func Redact(props map[string]string, def *Def, secrets map[string]bool) map[string]string {
	out := make(map[string]string, len(props))
	for k, v := range props {
		switch {
		case secrets[k]:
			v = Hidden
		case sensitiveKey(k, def) && !onlyReferences(v):
			v = Hidden
		}
		out[k] = v
	}
	return out
}

func sensitiveKey(name string, def *Def) bool {
	if def != nil {
		if k, ok := def.Key(name); ok && k.Type == Password {
			return true
		}
	}
	return name == "password" || strings.HasSuffix(name, ".password") ||
		name == "sasl.jaas.config" || strings.HasSuffix(name, ".sasl.jaas.config")
}

// onlyReferences reports whether v holds at least one reference and
// nothing else but blanks.
func onlyReferences(v string) bool {
	rest := reference.ReplaceAllLiteralString(v, "")
	return rest != v && javaTrim(rest) == ""
}

// HideSecrets returns err with every secret value of resolved taken out of
// its messages, for the errors of checks run on a resolved config, such as
// Def.Parse, which quote the values they reject. Problems whose messages
// hold a secret are rebuilt: a *KeyError stays a *KeyError with the same
// File and Key, and still wraps ErrMissing or ErrInvalid if it did; other
// problems are kept as they are. The error is an errors.Join of the
// problems, or nil when err is nil. HideSecrets is safe for concurrent use.
func HideSecrets(err error, resolved map[string]string, secrets map[string]bool) error {
	if err == nil {
		return nil
	}
	var values []string
	for k := range secrets {
		if v := resolved[k]; v != "" {
			values = append(values, v)
		}
	}
	// Longest first, so that a secret holding another is hidden whole.
	slices.SortFunc(values, func(a, b string) int { return len(b) - len(a) })
	hide := func(msg string) string {
		for _, v := range values {
			msg = strings.ReplaceAll(msg, fmt.Sprintf("%q", v), `"`+Hidden+`"`)
			msg = strings.ReplaceAll(msg, v, Hidden)
		}
		return msg
	}
	problems := Problems(err)
	out := make([]error, len(problems))
	for i, p := range problems {
		msg := p.Error()
		if hide(msg) == msg {
			out[i] = p
			continue
		}
		var ke *KeyError
		if errors.As(p, &ke) && ke == p {
			out[i] = &KeyError{File: ke.File, Key: ke.Key, Err: newHiddenError(hide(ke.Err.Error()), ke.Err)}
			continue
		}
		out[i] = newHiddenError(hide(msg), p)
	}
	return errors.Join(out...)
}

// hiddenError is an error whose message had secrets taken out. It wraps
// only the sentinels of the original: wrapping the original would let
// errors.Unwrap reach the message holding them.
type hiddenError struct {
	msg       string
	sentinels []error
}

func newHiddenError(msg string, orig error) *hiddenError {
	e := &hiddenError{msg: msg}
	for _, s := range []error{ErrMissing, ErrInvalid} {
		if errors.Is(orig, s) {
			e.sentinels = append(e.sentinels, s)
		}
	}
	return e
}

func (e *hiddenError) Error() string   { return e.msg }
func (e *hiddenError) Unwrap() []error { return e.sentinels }

// envVarProvider is Kafka's EnvVarConfigProvider: ${env:NAME} is the
// environment variable NAME, if allowlist.pattern matches all of NAME.
type envVarProvider struct {
	allow *regexp.Regexp // nil allows every name
}

func configureEnvVar(params map[string]string, paramKey func(string) string) (provider, error) {
	pat, ok := params[ProviderParamAllowlistPattern]
	if !ok {
		return envVarProvider{}, nil
	}
	// Java's Matcher.matches needs the whole name to match.
	re, err := regexp.Compile(`^(?:` + pat + `)$`)
	if err != nil {
		return nil, &KeyError{Key: paramKey(ProviderParamAllowlistPattern), Err: fmt.Errorf("%w %q: %v", ErrInvalid, pat, err)}
	}
	return envVarProvider{allow: re}, nil
}

func (e envVarProvider) load(path string) (lookupFunc, error) {
	if path != "" {
		return nil, fmt.Errorf("environment variables have no path, got %q", path)
	}
	return func(name string) (string, error) {
		// Checked before the environment is, so that a refusal tells
		// nothing about which variables exist.
		if e.allow != nil && !e.allow.MatchString(name) {
			return "", fmt.Errorf("environment variable %q is not allowed by %s", name, ProviderParamAllowlistPattern)
		}
		v, ok := os.LookupEnv(name)
		if !ok {
			return "", fmt.Errorf("environment variable %q is not set", name)
		}
		return v, nil
	}, nil
}

// fileProvider is Kafka's FileConfigProvider: ${file:PATH:KEY} is the
// value of KEY in the .properties file PATH.
type fileProvider struct{ allowed allowedPaths }

func (f fileProvider) load(path string) (lookupFunc, error) {
	path, err := f.allowed.check(path)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err // an *fs.PathError: the operation, path and cause
	}
	props, err := parsePropertiesUTF8(data)
	if err != nil {
		return nil, fmt.Errorf("read properties from %s: %w", path, err)
	}
	return func(key string) (string, error) {
		v, ok := props[key]
		if !ok {
			return "", fmt.Errorf("no key %q in %s", key, path)
		}
		return v, nil
	}, nil
}

// parsePropertiesUTF8 parses a .properties file as Java's
// Properties.load(Reader) over UTF-8, which Kafka's FileConfigProvider
// uses. ParseProperties reads ISO-8859-1 bytes, so each non-ASCII
// character is passed to it as the \uXXXX escape standing for it. Errors
// give the line but none of its text: the file holds secrets.
func parsePropertiesUTF8(data []byte) (map[string]string, error) {
	data = bytes.TrimPrefix(data, utf8BOM)
	if !utf8.Valid(data) {
		return nil, errors.New("not valid UTF-8") // Java's decoder refuses malformed input
	}
	escaped := make([]byte, 0, len(data))
	backslashes := 0 // the run of backslashes just written
	for _, r := range string(data) {
		if r < utf8.RuneSelf {
			escaped = append(escaped, byte(r))
			if r == '\\' {
				backslashes++
			} else {
				backslashes = 0
			}
			continue
		}
		if backslashes%2 == 1 {
			// Java reads backslash-character as the character: the
			// escape written below stands for it alone.
			escaped = escaped[:len(escaped)-1]
		}
		backslashes = 0
		units := utf16.Encode([]rune{r})
		for _, u := range units {
			escaped = append(escaped, '\\', 'u', hexUpper[u>>12], hexUpper[u>>8&0xf], hexUpper[u>>4&0xf], hexUpper[u&0xf])
		}
	}
	props, err := ParseProperties(escaped)
	if err != nil {
		var pe *ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("line %d is malformed", pe.Line)
		}
		return nil, errors.New("malformed")
	}
	return props, nil
}

// dirProvider is Kafka's DirectoryConfigProvider: ${directory:DIR:NAME} is
// the whole content of the regular file NAME directly in DIR, a final
// newline included.
type dirProvider struct{ allowed allowedPaths }

func (d dirProvider) load(path string) (lookupFunc, error) {
	dir, err := d.allowed.check(path)
	if err != nil {
		return nil, err
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("%s is not a directory", dir)
	}
	return func(name string) (string, error) {
		// Kafka matches names against the directory's listing, so a name
		// that is not a plain file name, such as ../x, names nothing.
		if name == "" || name == "." || name == ".." || strings.ContainsRune(name, '/') || strings.ContainsRune(name, filepath.Separator) {
			return "", fmt.Errorf("no file %q in %s", name, dir)
		}
		file := filepath.Join(dir, name)
		fi, err := os.Stat(file) // follows links, as Java's Files.isRegularFile
		if err != nil || !fi.Mode().IsRegular() {
			return "", fmt.Errorf("no file %q in %s", name, dir)
		}
		b, err := os.ReadFile(file)
		if err != nil {
			return "", err
		}
		// Java decodes the bytes as UTF-8, replacing what is not.
		return strings.ToValidUTF8(string(b), "\uFFFD"), nil
	}, nil
}

// allowedPaths is Kafka's AllowedPaths: clean absolute paths a provider
// may read under; nil allows any path.
type allowedPaths []string

func parseAllowedPaths(params map[string]string, paramKey func(string) string) (allowedPaths, error) {
	v := params[ProviderParamAllowedPaths]
	if javaTrim(v) == "" {
		return nil, nil // Kafka allows every path then
	}
	var out allowedPaths
	var errs []error
	for _, p := range SplitList(v) {
		if p == "" {
			// Kafka refuses an empty path but accepts a trailing comma,
			// which Java's split drops; one rule is simpler to explain.
			errs = append(errs, &KeyError{Key: paramKey(ProviderParamAllowedPaths), Err: fmt.Errorf("%w %q: empty path", ErrInvalid, v)})
			continue
		}
		clean := filepath.Clean(p)
		var err error
		if !filepath.IsAbs(clean) {
			err = fmt.Errorf("path %s is not absolute", clean)
		} else if _, serr := os.Stat(clean); serr != nil {
			err = fmt.Errorf("path %s does not exist", clean)
		}
		if err != nil {
			errs = append(errs, &KeyError{Key: paramKey(ProviderParamAllowedPaths), Err: fmt.Errorf("%w %q: %v", ErrInvalid, v, err)})
			continue
		}
		out = append(out, clean)
	}
	return out, errors.Join(errs...)
}

// check returns the path to read for path, or an error when it lies
// outside the allowed paths. As in Kafka the check is lexical: .. is
// resolved but links are not followed, and the path must be within an
// allowed path component by component.
func (a allowedPaths) check(path string) (string, error) {
	if path == "" {
		return "", errors.New("a path is required")
	}
	if a == nil {
		return path, nil
	}
	clean := filepath.Clean(path)
	for _, dir := range a {
		if clean == dir || strings.HasPrefix(clean, strings.TrimSuffix(dir, string(filepath.Separator))+string(filepath.Separator)) {
			return clean, nil
		}
	}
	return "", fmt.Errorf("path %s is not within %s", path, ProviderParamAllowedPaths)
}
