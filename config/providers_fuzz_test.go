package config

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// fuzzSecret marks what the fake provider returns, so that errors can be
// checked for it.
const fuzzSecret = "§secret§"

// fakeProvider resolves ${fake:path:key} to a value naming both, fails
// loading the path "fail" and looking up the key "missing", and returns a
// reference for the key "ref", which must not be resolved again.
type fakeProvider struct{}

func (fakeProvider) load(path string) (lookupFunc, error) {
	if path == "fail" {
		return nil, errors.New("cannot load")
	}
	return func(key string) (string, error) {
		switch key {
		case "missing":
			return "", errors.New("no such key")
		case "ref":
			return "${fake:p:k}" + fuzzSecret, nil
		}
		return fakeValue(path, key), nil
	}, nil
}

func fakeValue(path, key string) string {
	return "<" + path + "|" + key + fuzzSecret + ">"
}

// oracleResolve resolves v as Java's Matcher.find loop over Kafka's pattern
// \$\{([^}]*?):(([^}]*?):)?([^}]*?)\} does, worked out by hand: from each
// "${", the reference ends at the first "}"; the provider runs to the
// first ":" before it, the path, if there is a second ":", to that one,
// and the key is the rest. A "${" with no ":" before the next "}", or no
// "}" at all, is text, and the search goes on one character later. Only
// the alias "fake" is known.
func oracleResolve(v string) (out string, resolved int, failed bool) {
	var b strings.Builder
	i := 0
	for i < len(v) {
		if !strings.HasPrefix(v[i:], "${") {
			b.WriteByte(v[i])
			i++
			continue
		}
		end := strings.IndexByte(v[i+2:], '}')
		if end < 0 {
			b.WriteString(v[i:])
			break
		}
		end += i + 2
		body := v[i+2 : end]
		alias, rest, ok := strings.Cut(body, ":")
		if !ok {
			b.WriteByte(v[i])
			i++
			continue
		}
		path, key, hasPath := strings.Cut(rest, ":")
		if !hasPath {
			path, key = "", rest
		}
		switch {
		case alias != "fake":
			b.WriteString(v[i : end+1])
		case path == "fail" || key == "missing":
			failed = true
		case key == "ref":
			b.WriteString("${fake:p:k}" + fuzzSecret)
			resolved++
		default:
			b.WriteString(fakeValue(path, key))
			resolved++
		}
		i = end + 1
	}
	return b.String(), resolved, failed
}

func FuzzResolve(f *testing.F) {
	for _, seed := range []string{
		"",
		"plain",
		"${fake:k}",
		"${fake::k}",
		"${fake:p:k}",
		"${fake:a:b:c:d}",
		"${fake:p:ref}",
		"x${fake:p:k}y${other:q:r}z${fake:k2}",
		"${other:${fake:p:k}}",
		"${${fake:p:k}}",
		"$${fake:p:k}}",
		"${fake:p:k",
		"${fake}${fake:k}",
		"${:k}${fake:}${fake::}",
		"${fake:fail:k}",
		"${fake:p:missing} and ${fake:p:k}",
		"${fake:pä:ké✓}",
		"${fake:p\n:k\x00}",
		"\xff${fake:\xfe:k}",
	} {
		f.Add(seed)
	}
	p := &Providers{byAlias: map[string]provider{"fake": fakeProvider{}}}
	none := &Providers{byAlias: map[string]provider{}}
	f.Fuzz(func(t *testing.T, v string) {
		got, secrets, err := none.Resolve(map[string]string{"k": v})
		if err != nil || got["k"] != v || len(secrets) != 0 {
			t.Fatalf("without providers %q became %q, %v, %v", v, got["k"], secrets, err)
		}

		want, resolved, failed := oracleResolve(v)
		got, secrets, err = p.Resolve(map[string]string{"k": v, "plain": "x"})
		if failed {
			if err == nil {
				t.Fatalf("%q resolved to %q, want an error", v, got["k"])
			}
			var ke *KeyError
			if !errors.As(err, &ke) || ke.Key != "k" || !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v: want a *KeyError for k wrapping ErrInvalid", err)
			}
			if !strings.Contains(v, fuzzSecret) && strings.Contains(err.Error(), fuzzSecret) {
				t.Fatalf("error shows a resolved value: %v", err)
			}
			return
		}
		if err != nil {
			t.Fatalf("%q: %v", v, err)
		}
		if got["k"] != want {
			t.Fatalf("%q resolved to %q, want %q", v, got["k"], want)
		}
		if secrets["k"] != (resolved > 0) {
			t.Fatalf("%q: secret %v after %d references resolved", v, secrets["k"], resolved)
		}
		if got["plain"] != "x" || secrets["plain"] {
			t.Fatalf("plain became %q, secret %v", got["plain"], secrets["plain"])
		}
	})
}

func FuzzParsePropertiesUTF8(f *testing.F) {
	addSeeds(f, "testdata/providers/*.properties")
	for _, seed := range []string{`k=\é`, `k=\\é`, "k\u00a0v=🔑", "\ufeffk=v", "k=\xff", `k=\uZZZZé`, "é\\\nx=y"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		props, err := parsePropertiesUTF8(data)
		ascii := true
		for _, c := range data {
			ascii = ascii && c < 0x80
		}
		if ascii {
			want, wantErr := ParseProperties(data)
			if (err != nil) != (wantErr != nil) || !mapsEqual(props, want) {
				t.Fatalf("ASCII input %q: got %q, %v; ParseProperties gives %q, %v", data, props, err, want, wantErr)
			}
		}
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := WriteProperties(&buf, props); err != nil {
			t.Fatal(err)
		}
		back, err := parsePropertiesUTF8(buf.Bytes())
		if err != nil || !mapsEqual(back, props) {
			t.Fatalf("round trip of %q gave %q, %v", props, back, err)
		}
	})
}
