package config

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Every value the fixtures and environment below can resolve to; no error
// may show one.
var providerSecrets = []string{
	"file-secret-1", "pässwörd-✓", "café 🔑", "spaced-secret", "first-second",
	"s3cr3t-token", "héllo ✓ 🔑", "env-secret-ü", "forbidden-secret", "admin",
}

func testdataDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("testdata/providers")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func setProviderEnv(t *testing.T) {
	t.Setenv("SAFE_PW", "env-secret-ü")
	t.Setenv("SAFE_EMPTY", "")
	t.Setenv("NOT_SAFE_PW", "forbidden-secret")
}

func checkNoSecret(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	for _, s := range providerSecrets {
		if strings.Contains(err.Error(), s) {
			t.Errorf("error shows the secret %q: %v", s, err)
		}
	}
}

func TestNewProviders(t *testing.T) {
	abs := testdataDir(t)
	tests := []struct {
		name     string
		props    map[string]string
		aliases  []string
		errKeys  []string // each problem's key, in order
		sentinel error
		warnings []string
	}{
		{name: "none", props: map[string]string{}, aliases: nil},
		{
			name: "built-ins by class and alias",
			props: map[string]string{
				KeyConfigProviders:                         " env , file,dir,, file",
				"config.providers.env.class":               EnvVarConfigProviderClass,
				"config.providers.file.class":              " FileConfigProvider ",
				"config.providers.dir.class":               "Directory",
				"config.providers.dir.param.allowed.paths": abs + "/dir, " + abs + "/secrets.properties",
			},
			aliases: []string{"dir", "env", "file"},
		},
		{
			name: "warnings",
			props: map[string]string{
				KeyConfigProviders:                         "file",
				"config.providers.file.class":              FileConfigProviderClass,
				"config.providers.file.param.allowed.path": "/", // a typo that would allow every path
				"config.providers.file.clas":               "x",
				"config.providers.env.class":               EnvVarConfigProviderClass,
			},
			aliases: []string{"file"},
			warnings: []string{
				`"config.providers.env.class" is ignored: it configures no provider listed in config.providers`,
				`"config.providers.file.clas" is ignored: it configures no provider listed in config.providers`,
				`"config.providers.file.param.allowed.path" is ignored: ` + FileConfigProviderClass + ` has no parameter "allowed.path"`,
			},
		},
		{
			name:     "listed without a class",
			props:    map[string]string{KeyConfigProviders: "file,env", "config.providers.env.class": EnvVarConfigProviderClass},
			errKeys:  []string{"config.providers.file.class"},
			sentinel: ErrMissing,
		},
		{
			name:     "blank class",
			props:    map[string]string{KeyConfigProviders: "file", "config.providers.file.class": " "},
			errKeys:  []string{"config.providers.file.class"},
			sentinel: ErrMissing,
		},
		{
			name: "unknown classes",
			props: map[string]string{
				KeyConfigProviders:             "vault,file",
				"config.providers.vault.class": "io.example.VaultConfigProvider",
				"config.providers.file.class":  "org.apache.kafka.common.config.provider.fileconfigprovider",
			},
			errKeys:  []string{"config.providers.vault.class", "config.providers.file.class"},
			sentinel: ErrInvalid,
		},
		{
			name: "allowlist.pattern Go cannot compile",
			props: map[string]string{
				KeyConfigProviders:                             "env",
				"config.providers.env.class":                   EnvVarConfigProviderClass,
				"config.providers.env.param.allowlist.pattern": "(?<=X)Y",
			},
			errKeys:  []string{"config.providers.env.param.allowlist.pattern"},
			sentinel: ErrInvalid,
		},
		{
			name: "allowed.paths relative, missing, empty",
			props: map[string]string{
				KeyConfigProviders:                          "file,dir",
				"config.providers.file.class":               FileConfigProviderClass,
				"config.providers.file.param.allowed.paths": "testdata/providers," + abs + "/no-such-dir",
				"config.providers.dir.class":                DirectoryConfigProviderClass,
				"config.providers.dir.param.allowed.paths":  abs + ",",
			},
			errKeys: []string{
				"config.providers.file.param.allowed.paths",
				"config.providers.file.param.allowed.paths",
				"config.providers.dir.param.allowed.paths",
			},
			sentinel: ErrInvalid,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := NewProviders(tt.props)
			if tt.errKeys != nil {
				if p != nil {
					t.Errorf("got providers with error %v", err)
				}
				problems := Problems(err)
				var keys []string
				for _, pr := range problems {
					var ke *KeyError
					if !errors.As(pr, &ke) {
						t.Fatalf("problem %v is not a *KeyError", pr)
					}
					keys = append(keys, ke.Key)
					if !errors.Is(pr, tt.sentinel) {
						t.Errorf("problem %v does not wrap %v", pr, tt.sentinel)
					}
				}
				if !slices.Equal(keys, tt.errKeys) {
					t.Errorf("problems name %q, want %q: %v", keys, tt.errKeys, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := slices.Sorted(maps.Keys(p.byAlias)); !slices.Equal(got, tt.aliases) {
				t.Errorf("aliases %q, want %q", got, tt.aliases)
			}
			if got := p.Warnings(); !slices.Equal(got, tt.warnings) {
				t.Errorf("warnings\n%q\nwant\n%q", got, tt.warnings)
			}
		})
	}
}

func TestResolve(t *testing.T) {
	setProviderEnv(t)
	abs := testdataDir(t)
	secrets := abs + "/secrets.properties"
	dir := abs + "/dir"
	p, err := NewProviders(map[string]string{
		KeyConfigProviders:                              "env,file,directory,safefile,safedir",
		"config.providers.env.class":                    EnvVarConfigProviderClass,
		"config.providers.env.param.allowlist.pattern":  "SAFE_.*",
		"config.providers.file.class":                   FileConfigProviderClass,
		"config.providers.directory.class":              DirectoryConfigProviderClass,
		"config.providers.safefile.class":               FileConfigProviderClass,
		"config.providers.safefile.param.allowed.paths": dir + "," + secrets,
		"config.providers.safedir.class":                DirectoryConfigProviderClass,
		"config.providers.safedir.param.allowed.paths":  dir,
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		value  string
		want   string
		secret bool
		errHas []string // the error, if any, holds each of these
	}{
		{name: "no reference", value: "plain ${value", want: "plain ${value"},
		{name: "not a reference", value: "${env} $env:SAFE_PW {env:SAFE_PW}", want: "${env} $env:SAFE_PW {env:SAFE_PW}"},
		{name: "unknown provider left as is", value: "${vault:secret/db:password}", want: "${vault:secret/db:password}"},
		{name: "unknown provider consumes what it spans", value: "${vault:${env:SAFE_PW}}", want: "${vault:${env:SAFE_PW}}"},
		{name: "env", value: "${env:SAFE_PW}", want: "env-secret-ü", secret: true},
		{name: "env with empty path", value: "${env::SAFE_PW}", want: "env-secret-ü", secret: true},
		{name: "env set but empty", value: "[${env:SAFE_EMPTY}]", want: "[]", secret: true},
		{name: "env missing", value: "${env:SAFE_NOT_SET}", errHas: []string{"${env:SAFE_NOT_SET}", `"env"`, `"SAFE_NOT_SET" is not set`}},
		{name: "env refused by allowlist.pattern", value: "${env:NOT_SAFE_PW}", errHas: []string{"${env:NOT_SAFE_PW}", "not allowed by allowlist.pattern"}},
		{name: "allowlist.pattern matches whole names", value: "${env:XSAFE_PW}", errHas: []string{"not allowed"}},
		{name: "env with a path", value: "${env:/x:SAFE_PW}", errHas: []string{"have no path"}},
		{name: "file", value: "${file:" + secrets + ":db.password}", want: "file-secret-1", secret: true},
		{name: "file key with colon and spaces", value: "${file:" + secrets + ":key with spaces}", want: "spaced-secret", secret: true},
		{name: "file continued line", value: "${file:" + secrets + ":continued}", want: "first-second", secret: true},
		{name: "file UTF-8", value: "${file:" + secrets + ":unicode.raw}", want: "pässwörd-✓", secret: true},
		{name: "file escapes", value: "${file:" + secrets + ":unicode.escaped}", want: "café 🔑", secret: true},
		{name: "file backslash before non-ASCII", value: "${file:" + secrets + ":unicode.backslashed}", want: `é\é`, secret: true},
		{name: "resolved reference not resolved again", value: "${file:" + secrets + ":looks.like.reference}", want: "${env:SAFE_PW}", secret: true},
		{
			name:   "several references and text",
			value:  "u=${file:" + secrets + ":db.user} p=${env:SAFE_PW} t=${directory:" + dir + ":token}${vault:x}",
			want:   "u=admin p=env-secret-ü t=s3cr3t-token\n${vault:x}",
			secret: true,
		},
		{name: "file missing", value: "${file:" + abs + "/nope.properties:k}", errHas: []string{"${file:" + abs + "/nope.properties:k}", `"file"`, "no such file"}},
		{name: "file key missing", value: "${file:" + secrets + ":db.pw}", errHas: []string{`no key "db.pw" in ` + secrets}},
		{name: "file without path", value: "${file:db.password}", errHas: []string{"a path is required"}},
		{name: "file is a directory", value: "${file:" + dir + ":k}", errHas: []string{dir}},
		{name: "directory keeps the final newline", value: "${directory:" + dir + ":token}", want: "s3cr3t-token\n", secret: true},
		{name: "directory UTF-8", value: "${directory:" + dir + ":unicode}", want: "héllo ✓ 🔑\n", secret: true},
		{name: "directory file missing", value: "${directory:" + dir + ":nope}", errHas: []string{`no file "nope" in ` + dir}},
		{name: "directory entry not a regular file", value: "${directory:" + dir + ":nested}", errHas: []string{`no file "nested"`}},
		{name: "directory name is not a path", value: "${directory:" + dir + ":nested/inner}", errHas: []string{`no file "nested/inner"`}},
		{name: "directory name escaping", value: "${directory:" + dir + ":../secrets.properties}", errHas: []string{`no file "../secrets.properties"`}},
		{name: "directory is a file", value: "${directory:" + secrets + ":token}", errHas: []string{"is not a directory"}},
		{name: "directory missing", value: "${directory:" + abs + "/nodir:token}", errHas: []string{"no such file"}},
		{name: "allowed file", value: "${safefile:" + secrets + ":db.password}", want: "file-secret-1", secret: true},
		{name: "allowed file, cleaned", value: "${safefile:" + dir + "/../secrets.properties:db.password}", want: "file-secret-1", secret: true},
		{name: "allowed directory", value: "${safedir:" + dir + ":token}", want: "s3cr3t-token\n", secret: true},
		{name: "allowed.paths refuses another file", value: "${safefile:" + abs + "/other.properties:k}", errHas: []string{"is not within allowed.paths"}},
		{name: "allowed.paths refuses ..", value: "${safedir:" + dir + "/..:secrets.properties}", errHas: []string{"is not within allowed.paths"}},
		{name: "allowed.paths compares whole components", value: "${safedir:" + dir + "x:token}", errHas: []string{"is not within allowed.paths"}},
		{name: "allowed.paths refuses relative paths", value: "${safedir:testdata/providers/dir:token}", errHas: []string{"is not within allowed.paths"}},
		{name: "path outside allowed.paths, reported before any read", value: "${safefile:/etc/passwd:root}", errHas: []string{"/etc/passwd is not within"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			props := map[string]string{"the.key": tt.value, "other": "${env:SAFE_PW}", "plain": "x"}
			got, secretKeys, err := p.Resolve(props)
			if tt.errHas != nil {
				checkNoSecret(t, err)
				if err == nil {
					t.Fatalf("resolved to %q, want an error", got["the.key"])
				}
				var ke *KeyError
				if len(Problems(err)) != 1 || !errors.As(err, &ke) || ke.Key != "the.key" || !errors.Is(err, ErrInvalid) {
					t.Errorf("error %v: want one *KeyError for the.key wrapping ErrInvalid", err)
				}
				for _, s := range tt.errHas {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error %q does not hold %q", err, s)
					}
				}
				if got != nil || secretKeys != nil {
					t.Errorf("got %q, %v with an error", got, secretKeys)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got["the.key"] != tt.want {
				t.Errorf("resolved %q to %q, want %q", tt.value, got["the.key"], tt.want)
			}
			if got["other"] != "env-secret-ü" || got["plain"] != "x" {
				t.Errorf("other keys resolved to %q", got)
			}
			want := map[string]bool{"other": true}
			if tt.secret {
				want["the.key"] = true
			}
			if !maps.Equal(secretKeys, want) {
				t.Errorf("secrets %v, want %v", secretKeys, want)
			}
			if props["the.key"] != tt.value {
				t.Errorf("Resolve changed its input")
			}
		})
	}
}

func TestResolveReportsEveryProblem(t *testing.T) {
	setProviderEnv(t)
	p, err := NewProviders(map[string]string{KeyConfigProviders: "env", "config.providers.env.class": EnvVarConfigProviderClass})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = p.Resolve(map[string]string{
		"b": "${env:MISSING_B}",
		"a": "${env:MISSING_A1} ${env:SAFE_PW} ${env:MISSING_A2}",
		"c": "${env:SAFE_PW}",
	})
	checkNoSecret(t, err)
	var got []string
	for _, pr := range Problems(err) {
		var ke *KeyError
		if !errors.As(pr, &ke) {
			t.Fatalf("problem %v is not a *KeyError", pr)
		}
		got = append(got, ke.Key)
	}
	if want := []string{"a", "a", "b"}; !slices.Equal(got, want) {
		t.Errorf("problems for %q, want %q: %v", got, want, err)
	}
}

func TestResolveWorker(t *testing.T) {
	setProviderEnv(t)
	props := map[string]string{
		KeyConfigProviders:           "env",
		"config.providers.env.class": EnvVarConfigProviderClass,
		// Provider settings are read as written.
		"config.providers.env.param.allowlist.pattern": "SAFE_.*|\\$\\{env:X\\}",
		KeyBootstrapServers:                            "${env:SAFE_PW}:9092",
		KeyOffsetStorageFileFilename:                   "/tmp/offsets",
	}
	p, resolved, secrets, err := ResolveWorker(props)
	if err != nil {
		t.Fatal(err)
	}
	if resolved[KeyBootstrapServers] != "env-secret-ü:9092" || resolved[KeyOffsetStorageFileFilename] != "/tmp/offsets" {
		t.Errorf("resolved %q", resolved)
	}
	if !maps.Equal(secrets, map[string]bool{KeyBootstrapServers: true}) {
		t.Errorf("secrets %v", secrets)
	}
	if _, _, err := p.Resolve(map[string]string{"k": "${env:SAFE_PW}"}); err != nil {
		t.Errorf("returned providers: %v", err)
	}

	props[KeyBootstrapServers] = "${env:NOT_SAFE_PW}:9092"
	if p, _, _, err := ResolveWorker(props); err == nil || p != nil {
		t.Errorf("ResolveWorker with a refused reference: %v, %v", p, err)
	} else {
		checkNoSecret(t, err)
	}
	delete(props, "config.providers.env.class")
	if _, _, _, err := ResolveWorker(props); err == nil || !strings.Contains(err.Error(), "config.providers.env.class") {
		t.Errorf("ResolveWorker without a class: %v", err)
	}
}

func TestParsePropertiesUTF8(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want map[string]string
		err  string
	}{
		{name: "ASCII", in: "a=b\nc : d", want: map[string]string{"a": "b", "c": "d"}},
		{name: "UTF-8 keys and values", in: "clé=välue ✓", want: map[string]string{"clé": "välue ✓"}},
		{name: "astral", in: "k=🔑", want: map[string]string{"k": "🔑"}},
		{name: "escaped non-ASCII", in: `k=\é`, want: map[string]string{"k": "é"}},
		{name: "escaped backslash then non-ASCII", in: `k=\\é`, want: map[string]string{"k": `\é`}},
		{name: "three backslashes", in: `k=\\\é`, want: map[string]string{"k": `\é`}},
		{name: "non-ASCII is no separator", in: "k\u00a0v", want: map[string]string{"k\u00a0v": ""}},
		{name: "BOM", in: "\ufeffk=v", want: map[string]string{"k": "v"}},
		{name: "comment", in: "# é\n! ü\nk=v", want: map[string]string{"k": "v"}},
		{name: "invalid UTF-8", in: "k=\xff", err: "not valid UTF-8"},
		{name: "malformed escape hides its text", in: "a=b\nk=secret\\uZZZZ", err: "line 2 is malformed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parsePropertiesUTF8([]byte(tt.in))
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFileProviderReadErrorHidesContent(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bad.properties")
	if err := os.WriteFile(path, []byte("pw=file-secret-1\\u12"), 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := NewProviders(map[string]string{KeyConfigProviders: "file", "config.providers.file.class": FileConfigProviderClass})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = p.Resolve(map[string]string{"k": "${file:" + path + ":pw}"})
	if err == nil || !strings.Contains(err.Error(), "line 1 is malformed") {
		t.Errorf("error %v", err)
	}
	checkNoSecret(t, err)
}

func TestRedact(t *testing.T) {
	def := &Def{Keys: []Key{{Name: "secret.key", Type: Password}, {Name: "plain", Type: String}}}
	props := map[string]string{
		"secret.key":                         "literal",
		"plain":                              "visible",
		"connection.password":                "pw",
		"password":                           "pw",
		"passwords":                          "not a password key",
		"sasl.jaas.config":                   `PlainLoginModule required password="pw";`,
		"producer.override.sasl.jaas.config": `PlainLoginModule required password="${env:PW}";`,
		"ssl.key.password":                   "${file:/etc/kafka/ssl.properties:key.password}",
		"ssl.keystore.password":              " ${env:A}${env:B} ",
		"ssl.truststore.password":            "x${env:A}",
		"trust.password":                     "${env}",
		"empty.password":                     "",
		"from.provider":                      "resolved",
		"from.provider.password":             "${looks:like:a reference}",
	}
	got := Redact(props, def, map[string]bool{"from.provider": true, "from.provider.password": true})
	want := map[string]string{
		"secret.key":                         Hidden,
		"plain":                              "visible",
		"connection.password":                Hidden,
		"password":                           Hidden,
		"passwords":                          "not a password key",
		"sasl.jaas.config":                   Hidden,
		"producer.override.sasl.jaas.config": Hidden,
		"ssl.key.password":                   "${file:/etc/kafka/ssl.properties:key.password}",
		"ssl.keystore.password":              " ${env:A}${env:B} ",
		"ssl.truststore.password":            Hidden,
		"trust.password":                     Hidden,
		"empty.password":                     Hidden,
		"from.provider":                      Hidden,
		"from.provider.password":             Hidden,
	}
	if !maps.Equal(got, want) {
		for k := range want {
			if got[k] != want[k] {
				t.Errorf("%s: got %q, want %q", k, got[k], want[k])
			}
		}
	}
	if props["secret.key"] != "literal" {
		t.Error("Redact changed its input")
	}
	if got := Redact(map[string]string{"a.password": "x", "b": "y"}, nil, nil); !maps.Equal(got, map[string]string{"a.password": Hidden, "b": "y"}) {
		t.Errorf("without a Def: %q", got)
	}
}

func TestHideSecrets(t *testing.T) {
	def := &Def{Keys: []Key{{Name: "tasks", Type: Int}, {Name: "url", Type: String, Validate: NonEmptyString()}, {Name: "other", Type: Int}}}
	resolved := map[string]string{"tasks": "hunter2", "url": "jdbc:x", "other": "nope"}
	secrets := map[string]bool{"tasks": true, "url": true}
	_, err := def.Parse(resolved)
	if !strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("the test needs an error that shows the value: %v", err)
	}
	hidden := HideSecrets(InFile("conn.properties", err), resolved, secrets)
	if strings.Contains(hidden.Error(), "hunter2") {
		t.Errorf("secret shown: %v", hidden)
	}
	problems := Problems(hidden)
	if len(problems) != 2 {
		t.Fatalf("problems %q", problems)
	}
	for _, pr := range problems {
		var ke *KeyError
		if !errors.As(pr, &ke) || ke.File != "conn.properties" || !errors.Is(pr, ErrInvalid) {
			t.Errorf("problem %v lost its key, file or sentinel", pr)
		}
		for e := error(ke); e != nil; e = errors.Unwrap(e) {
			if strings.Contains(e.Error(), "hunter2") {
				t.Errorf("unwrapping %v reaches the secret", pr)
			}
		}
	}
	if !strings.Contains(problems[0].Error(), `invalid value "[hidden]"`) {
		t.Errorf("got %v", problems[0])
	}
	if !strings.Contains(problems[1].Error(), `"nope"`) {
		t.Errorf("a value that is no secret was hidden: %v", problems[1])
	}
	if HideSecrets(nil, resolved, secrets) != nil {
		t.Error("HideSecrets(nil) is not nil")
	}
	// A secret holding another is hidden whole, not cut in two.
	long := errors.New(`bad "abc" and abcdef`)
	if got := HideSecrets(long, map[string]string{"a": "abc", "b": "abcdef"}, map[string]bool{"a": true, "b": true}).Error(); got != `bad "[hidden]" and [hidden]` {
		t.Errorf("got %q", got)
	}
}

func TestUnresolve(t *testing.T) {
	raw := map[string]string{"pw": "${file:/s:pw}", "user": "admin", "topic": "t", "gone": "${env:X}"}
	task := map[string]string{"pw": "resolved-secret", "user": "admin", "task.id": "0"}
	got := Unresolve(task, raw)
	want := map[string]string{"pw": "${file:/s:pw}", "user": "admin", "task.id": "0"}
	if !maps.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if task["pw"] != "resolved-secret" {
		t.Error("Unresolve changed its input")
	}
	if got := Unresolve(nil, raw); got == nil || len(got) != 0 {
		t.Errorf("Unresolve(nil) = %v", got)
	}
}
