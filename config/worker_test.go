package config

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// checkDef enforces what every built-in Def promises: unique names, docs,
// importance, defaults typed as Parse produces them and accepted by the
// key's own validator, required keys without defaults.
func checkDef(t *testing.T, d *Def) {
	t.Helper()
	seen := map[string]bool{}
	for _, k := range d.Keys {
		if seen[k.Name] {
			t.Errorf("%s declared twice", k.Name)
		}
		seen[k.Name] = true
		if k.Doc == "" || k.Importance == 0 || k.Type == 0 {
			t.Errorf("%s: doc, importance and type are required", k.Name)
		}
		if k.Required && k.Default != nil {
			t.Errorf("%s: required with a default", k.Name)
		}
		if k.Default == nil {
			continue
		}
		parsed, err := parseValue(k.Type, defaultString(k))
		if err != nil {
			t.Errorf("%s: default %v does not parse as %v: %v", k.Name, k.Default, k.Type, err)
			continue
		}
		if want, got := typeName(parsed), typeName(k.Default); want != got {
			t.Errorf("%s: default is %s, Parse makes %s", k.Name, got, want)
		}
		if k.Validate != nil {
			if err := k.Validate(k.Default); err != nil {
				t.Errorf("%s: default %v fails its validator: %v", k.Name, k.Default, err)
			}
		}
	}
	seenPrefix := map[string]bool{}
	for _, p := range d.Prefixes {
		if seenPrefix[p.Name] || !strings.HasSuffix(p.Name, ".") || p.Doc == "" {
			t.Errorf("prefix %q: unique, ending in a dot and documented", p.Name)
		}
		seenPrefix[p.Name] = true
	}
}

func typeName(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case int32:
		return "int32"
	case int16:
		return "int16"
	case int64:
		return "int64"
	case bool:
		return "bool"
	case float64:
		return "float64"
	case []string:
		return "[]string"
	case Secret:
		return "Secret"
	}
	return "other"
}

func TestWorkerDefIsConsistent(t *testing.T) {
	checkDef(t, WorkerDef())
	for _, name := range []string{KeyBootstrapServers, KeyKeyConverter, KeyValueConverter, KeyHeaderConverter,
		KeyOffsetStorageFileFilename, KeyOffsetFlushIntervalMs, KeyOffsetFlushTimeoutMs, KeyTaskShutdownGracefulTimeoutMs,
		KeyClientID, KeyBootstrapTimeoutMs, KeyListeners, KeyPluginPath, "group.id", "internal.key.converter"} {
		if _, ok := WorkerDef().Key(name); !ok {
			t.Errorf("%s is not declared", name)
		}
	}
}

// TestWorkerShippedFile parses Kafka's shipped connect-standalone.properties.
func TestWorkerShippedFile(t *testing.T) {
	raw, err := LoadProperties("testdata/properties/connect-standalone.properties")
	if err != nil {
		t.Fatal(err)
	}
	v, err := WorkerDef().Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if got := v.List(KeyBootstrapServers); !slices.Equal(got, []string{"localhost:9092"}) {
		t.Errorf("bootstrap.servers = %q", got)
	}
	checks := []struct {
		got, want any
	}{
		{v.String(KeyKeyConverter), "org.apache.kafka.connect.json.JsonConverter"},
		{v.String(KeyHeaderConverter), DefaultHeaderConverter},
		{v.String(KeyOffsetStorageFileFilename), "/tmp/connect.offsets"},
		{v.Long(KeyOffsetFlushIntervalMs), int64(10000)},
		{v.Long(KeyOffsetFlushTimeoutMs), int64(5000)},
		{v.Long(KeyTaskShutdownGracefulTimeoutMs), int64(5000)},
		{v.Long(KeyBootstrapTimeoutMs), int64(60000)},
		{v.String(KeyClientID), ""},
		{v.List(KeyListeners)[0], "http://localhost:8083"},
		{v.Get(KeyPluginPath), nil},
	}
	for i, c := range checks {
		if typeName(c.got) != typeName(c.want) || (c.got != nil && !equalAny(c.got, c.want)) {
			t.Errorf("check %d: got %v, want %v", i, c.got, c.want)
		}
	}
	if w := WorkerWarnings(raw); len(w) != 0 {
		t.Errorf("the shipped file warns: %q", w)
	}
}

func equalAny(a, b any) bool {
	switch a := a.(type) {
	case []string:
		return slices.Equal(a, b.([]string))
	}
	return a == b
}

func TestWorkerDefErrors(t *testing.T) {
	base := map[string]string{
		KeyKeyConverter:              "JsonConverter",
		KeyValueConverter:            "JsonConverter",
		KeyOffsetStorageFileFilename: "/tmp/o",
	}
	tests := []struct {
		name string
		set  map[string]string
		key  string
		want string // "" when valid
	}{
		{"minimal", nil, "", ""},
		{"missing key converter", map[string]string{KeyKeyConverter: "\x00delete"}, KeyKeyConverter, `missing required configuration "key.converter" which has no default value`},
		{"blank offsets file", map[string]string{KeyOffsetStorageFileFilename: "  "}, KeyOffsetStorageFileFilename, "String must be non-empty"},
		{"bootstrap without port", map[string]string{KeyBootstrapServers: "localhost"}, KeyBootstrapServers, "Invalid url in bootstrap.servers: localhost"},
		{"bootstrap bad port", map[string]string{KeyBootstrapServers: "a:9092,b:x"}, KeyBootstrapServers, "Invalid url in bootstrap.servers: b:x"},
		{"bootstrap empty", map[string]string{KeyBootstrapServers: " , "}, KeyBootstrapServers, "No resolvable bootstrap urls given in bootstrap.servers"},
		{"bootstrap ipv6", map[string]string{KeyBootstrapServers: "[::1]:9092, broker:9093"}, "", ""},
		{"flush interval zero", map[string]string{KeyOffsetFlushIntervalMs: "0"}, KeyOffsetFlushIntervalMs, "Value must be at least 1"},
		{"flush interval not a number", map[string]string{KeyOffsetFlushIntervalMs: "10s"}, KeyOffsetFlushIntervalMs, "not a number of type LONG"},
		{"plugin discovery any case", map[string]string{KeyPluginDiscovery: "ONLY_SCAN"}, "", ""},
		{"plugin discovery bad", map[string]string{KeyPluginDiscovery: "scan"}, KeyPluginDiscovery, "String must be one of (case insensitive): only_scan, hybrid_warn, hybrid_fail, service_load"},
		{"dns lookup is case-sensitive", map[string]string{KeyClientDNSLookup: "USE_ALL_DNS_IPS"}, KeyClientDNSLookup, "String must be one of: use_all_dns_ips, resolve_canonical_bootstrap_servers_only"},
		{"listeners empty", map[string]string{KeyListeners: ""}, KeyListeners, "Empty list"},
		{"listeners blank entry", map[string]string{KeyListeners: "http://:8083,,"}, KeyListeners, "Empty URL found when parsing listeners list."},
		{"admin listeners empty disables", map[string]string{KeyAdminListeners: ""}, "", ""},
		{"admin listeners blank entry", map[string]string{KeyAdminListeners: "a,,b"}, KeyAdminListeners, "Empty URL found when parsing admin.listeners list."},
		{"header rules ok", map[string]string{KeyResponseHTTPHeadersConfig: `set X-Frame-Options: DENY,"add Cache-Control: no-cache, no-store"`}, "", ""},
		{"header rule bad action", map[string]string{KeyResponseHTTPHeadersConfig: "put X: y"}, KeyResponseHTTPHeadersConfig, `invalid header rule "put X: y": action "put" is not one of set, add, setDate, addDate`},
		{"header rule without colon", map[string]string{KeyResponseHTTPHeadersConfig: "set X"}, KeyResponseHTTPHeadersConfig, `invalid header rule "set X": want "<action> <name>: <value>" with a name without blanks`},
		{"distributed keys are not parsed", map[string]string{"session.timeout.ms": "soon", "group.id": ""}, "", ""},
		{"removed keys are not parsed", map[string]string{"rest.port": "eighty"}, "", ""},
		{"metrics samples", map[string]string{KeyMetricsNumSamples: "0"}, KeyMetricsNumSamples, "Value must be at least 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := map[string]string{}
			for k, v := range base {
				raw[k] = v
			}
			for k, v := range tt.set {
				if v == "\x00delete" {
					delete(raw, k)
					continue
				}
				raw[k] = v
			}
			_, err := WorkerDef().Parse(raw)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			problems := Problems(err)
			if len(problems) != 1 {
				t.Fatalf("got %v, want one problem", problems)
			}
			var ke *KeyError
			if !errors.As(problems[0], &ke) || ke.Key != tt.key || !strings.Contains(ke.Err.Error(), tt.want) {
				t.Errorf("got %v, want %s: ...%s", problems[0], tt.key, tt.want)
			}
		})
	}
}

func TestWorkerWarnings(t *testing.T) {
	tests := []struct {
		key  string
		want string // "" for no warning
	}{
		{KeyBootstrapServers, ""},
		{"producer.acks", ""},
		{"consumer.max.poll.records", ""},
		{"key.converter.schemas.enable", ""},
		{"header.converter.x", ""},
		{"offset.flush.interval", `"offset.flush.interval" is not a known configuration key and is ignored; did you mean "offset.flush.interval.ms"?`},
		{"key.convertor", `"key.convertor" is not a known configuration key and is ignored; did you mean "key.converter"?`},
		{"foo", `"foo" is not a known configuration key and is ignored`},
		{"internal.key.converter", `"internal.key.converter" is deprecated and ignored: Removed in Kafka 3.0 (KIP-738). Offsets are always stored as JSON without schemas.`},
		{"internal.value.converter.schemas.enable", `"internal.value.converter.schemas.enable" is deprecated and ignored: Removed in Kafka 3.0 (KIP-738). Offsets are always stored as JSON without schemas.`},
		{"rest.port", `"rest.port" is deprecated and ignored: Removed in Kafka 3.0; use listeners.`},
		{KeyPluginPath, `"plugin.path" is accepted but not used yet: it has no effect`},
		{KeyListeners, ""},
		{KeyRestAdvertisedHostName, `"rest.advertised.host.name" is accepted but not used yet: it has no effect`},
		{"listeners.https.ssl.keystore.location", ""},
		{"admin.request.timeout.ms", ""}, // the runner warns for admin. keys its client does not take
		{"group.id", `"group.id" has no effect in standalone mode: it configures distributed mode only`},
		{"config.storage.topic", `"config.storage.topic" has no effect in standalone mode: it configures distributed mode only`},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			got := WorkerWarnings(map[string]string{tt.key: "x"})
			var want []string
			if tt.want != "" {
				want = []string{tt.want}
			}
			if !slices.Equal(got, want) {
				t.Errorf("got %q\nwant %q", got, want)
			}
		})
	}
}

// TestWorkerWarningsGolden pins the warnings of a worker file written for
// an old Kafka, in order.
func TestWorkerWarningsGolden(t *testing.T) {
	raw, err := LoadProperties("testdata/worker-old.properties")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := WorkerDef().Parse(raw); err != nil {
		t.Fatalf("an old worker file must still load: %v", err)
	}
	got := []byte(strings.Join(WorkerWarnings(raw), "\n") + "\n")
	golden := filepath.Join("testdata", "worker-old.warnings.golden")
	checkGolden(t, golden, got)
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b  string
		limit int
		want  int
	}{
		{"", "", 5, 0},
		{"abc", "abc", 5, 0},
		{"abc", "abd", 5, 1},
		{"kitten", "sitting", 5, 3},
		{"kitten", "sitting", 2, 2},
		{"a", "abcdef", 3, 3},
	}
	for _, tt := range tests {
		if got := EditDistance(tt.a, tt.b, tt.limit); got != tt.want {
			t.Errorf("EditDistance(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.limit, got, tt.want)
		}
	}
}
