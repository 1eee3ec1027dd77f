package config

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Worker keys the standalone worker declares (Kafka's StandaloneConfig). The
// converter keys are declared with the connector keys, which share them.
const (
	KeyBootstrapServers                    = "bootstrap.servers"
	KeyBootstrapTimeoutMs                  = "bootstrap.timeout.ms"
	KeyClientDNSLookup                     = "client.dns.lookup"
	KeyClientID                            = "client.id"
	KeyOffsetStorageFileFilename           = "offset.storage.file.filename"
	KeyOffsetFlushIntervalMs               = "offset.flush.interval.ms"
	KeyOffsetFlushTimeoutMs                = "offset.flush.timeout.ms"
	KeyTaskShutdownGracefulTimeoutMs       = "task.shutdown.graceful.timeout.ms"
	KeyPluginPath                          = "plugin.path"
	KeyPluginDiscovery                     = "plugin.discovery"
	KeyConfigProviders                     = "config.providers"
	KeyConnectorClientConfigOverridePolicy = "connector.client.config.override.policy"
	KeyTopicCreationEnable                 = "topic.creation.enable"
	KeyTopicTrackingEnable                 = "topic.tracking.enable"
	KeyTopicTrackingAllowReset             = "topic.tracking.allow.reset"
	KeyListeners                           = "listeners"
	KeyRestAdvertisedHostName              = "rest.advertised.host.name"
	KeyRestBasicAuthCredentialsFile        = "rest.basic.auth.credentials.file"
	KeyTaskRestartEnable                   = "task.restart.enable"
	KeyTaskRestartBackoffMs                = "task.restart.backoff.ms"
	KeyTaskRestartBackoffMaxMs             = "task.restart.backoff.max.ms"
	KeyRestAllowedFileDirs                 = "rest.allowed.file.dirs"
	KeyRestAdvertisedPort                  = "rest.advertised.port"
	KeyRestAdvertisedListener              = "rest.advertised.listener"
	KeyAdminListeners                      = "admin.listeners"
	KeyRestExtensionClasses                = "rest.extension.classes"
	KeyAccessControlAllowOrigin            = "access.control.allow.origin"
	KeyAccessControlAllowMethods           = "access.control.allow.methods"
	KeyResponseHTTPHeadersConfig           = "response.http.headers.config"
	KeySSLClientAuth                       = "ssl.client.auth"
	KeySecurityProtocol                    = "security.protocol"
	KeyMetricsSampleWindowMs               = "metrics.sample.window.ms"
	KeyMetricsNumSamples                   = "metrics.num.samples"
	KeyMetricsRecordingLevel               = "metrics.recording.level"
	KeyMetricReporters                     = "metric.reporters"
	KeyAutoIncludeJmxReporter              = "auto.include.jmx.reporter"
)

// Defaults of worker keys the runtime reads.
const (
	DefaultBootstrapServers = "localhost:9092"
	DefaultHeaderConverter  = "org.apache.kafka.connect.storage.SimpleHeaderConverter"
	// DefaultListeners binds the REST API to the loopback interface only.
	// Kafka's default, http://:8083, listens on every interface; an
	// unauthenticated API that can create connectors should not, unless the
	// user says so.
	DefaultListeners = "http://localhost:8083"
)

const (
	groupWorker      = "Common"
	groupConverters  = "Converters"
	groupOffsets     = "Offsets"
	groupPlugins     = "Plugins"
	groupREST        = "REST"
	groupMetrics     = "Metrics"
	groupSecurity    = "Security"
	groupDistributed = "Distributed"
	groupRemoved     = "Removed"
)

// WorkerDef returns the keys of the standalone worker's properties file,
// including the keys Kafka accepts that have no effect here (see Status).
// Each call returns a new Def the caller may keep.
func WorkerDef() *Def {
	keys := []Key{
		{
			Name:       KeyBootstrapServers,
			Type:       List,
			Default:    []string{DefaultBootstrapServers},
			Validate:   bootstrapServers(),
			Importance: High,
			Group:      groupWorker,
			Doc:        "Kafka brokers to connect to first, as host:port pairs. The clients find the rest of the cluster from them, so a few suffice.",
		},
		{
			Name:       KeyBootstrapTimeoutMs,
			Type:       Long,
			Default:    int64(60000),
			Validate:   AtLeast(0),
			Importance: Low,
			Group:      groupWorker,
			Doc:        "How long, in milliseconds, the worker keeps trying to reach Kafka at start-up before it gives up. Not a Kafka key: Kafka bounds the same wait by its admin client's default.api.timeout.ms.",
		},
		{
			Name:       KeyClientDNSLookup,
			Type:       String,
			Default:    "use_all_dns_ips",
			Validate:   In("use_all_dns_ips", "resolve_canonical_bootstrap_servers_only"),
			Importance: Medium,
			Group:      groupWorker,
			Doc:        "How clients use DNS: try every address a host name resolves to, or resolve bootstrap servers to their canonical names first.",
			Status:     NotUsedYet,
		},
		{
			Name:       KeyClientID,
			Type:       String,
			Default:    "",
			Importance: Low,
			Group:      groupWorker,
			Doc:        "Client ID the worker's Kafka clients send to the brokers, for their logs and quotas. Empty gives each client its own generated ID.",
		},
		{
			Name:       KeyKeyConverter,
			Type:       Class,
			Required:   true,
			Importance: High,
			Group:      groupConverters,
			Doc:        "Converter between record keys and Kafka bytes, for connectors that set none: a class name or alias such as org.apache.kafka.connect.json.JsonConverter, JsonConverter or Json. Settings under key.converter. configure it.",
		},
		{
			Name:       KeyValueConverter,
			Type:       Class,
			Required:   true,
			Importance: High,
			Group:      groupConverters,
			Doc:        "Converter between record values and Kafka bytes, for connectors that set none: a class name or alias such as org.apache.kafka.connect.json.JsonConverter, JsonConverter or Json. Settings under value.converter. configure it.",
		},
		{
			Name:       KeyHeaderConverter,
			Type:       Class,
			Default:    DefaultHeaderConverter,
			Importance: Low,
			Group:      groupConverters,
			Doc:        "Converter between header values and Kafka bytes, for connectors that set none. Settings under header.converter. configure it.",
		},
		{
			Name:       KeyOffsetStorageFileFilename,
			Type:       String,
			Required:   true,
			Validate:   NonEmptyString(),
			Importance: High,
			Group:      groupOffsets,
			Doc:        "File that source connectors' offsets are stored in, so they resume where they stopped.",
		},
		{
			Name:       KeyOffsetFlushIntervalMs,
			Type:       Long,
			Default:    int64(60000),
			Validate:   AtLeast(1),
			Importance: Low,
			Group:      groupOffsets,
			Doc:        "How often, in milliseconds, tasks commit their offsets: source offsets to the offsets file, sink offsets to Kafka.",
		},
		{
			Name:       KeyOffsetFlushTimeoutMs,
			Type:       Long,
			Default:    int64(5000),
			Validate:   AtLeast(0),
			Importance: Low,
			Group:      groupOffsets,
			Doc:        "How long, in milliseconds, an offset commit waits for records in flight to be acknowledged and the offsets written before it gives up until the next one.",
		},
		{
			Name:       KeyTaskShutdownGracefulTimeoutMs,
			Type:       Long,
			Default:    int64(5000),
			Validate:   AtLeast(0),
			Importance: Low,
			Group:      groupWorker,
			Doc:        "How long, in milliseconds, all tasks together get to stop cleanly, committing their offsets, before they are interrupted.",
		},
		{
			Name:       KeyTaskRestartEnable,
			Type:       Bool,
			Default:    true,
			Importance: Medium,
			Group:      groupWorker,
			Doc:        "Restart a failed task by itself, waiting task.restart.backoff.ms, then twice as long after each further failure up to task.restart.backoff.max.ms. false keeps it FAILED until restarted over the REST API, as Kafka does. Our own key.",
		},
		{
			Name:       KeyTaskRestartBackoffMs,
			Type:       Long,
			Default:    int64(1000),
			Validate:   AtLeast(int64(0)),
			Importance: Low,
			Group:      groupWorker,
			Doc:        "Wait, in milliseconds, before the first automatic restart of a failed task. Our own key.",
		},
		{
			Name:       KeyTaskRestartBackoffMaxMs,
			Type:       Long,
			Default:    int64(60000),
			Validate:   AtLeast(int64(0)),
			Importance: Low,
			Group:      groupWorker,
			Doc:        "Longest wait, in milliseconds, between automatic restarts of a task that keeps failing. A task that then runs that long without failing starts over at task.restart.backoff.ms. Our own key.",
		},
		{
			Name:       KeyPluginPath,
			Type:       List,
			Importance: Low,
			Group:      groupPlugins,
			Doc:        "Directories and archives to load plugins from. Plugins are built in here; there is nothing to load.",
			Status:     NotUsedYet,
		},
		{
			Name:       KeyPluginDiscovery,
			Type:       String,
			Default:    "hybrid_warn",
			Validate:   OneOf("only_scan", "hybrid_warn", "hybrid_fail", "service_load"),
			Importance: Low,
			Group:      groupPlugins,
			Doc:        "How plugins on plugin.path are found. Plugins are built in here.",
			Status:     NotUsedYet,
		},
		{
			Name:       KeyConfigProviders,
			Type:       List,
			Default:    []string{},
			Importance: Low,
			Group:      groupPlugins,
			Doc:        "Aliases of the config providers that resolve ${alias:[path:]key} references in connector configs and in this file. Each alias a is configured by config.providers.a.class (org.apache.kafka.common.config.provider.FileConfigProvider, DirectoryConfigProvider or EnvVarConfigProvider) and config.providers.a.param. keys (allowed.paths; allowlist.pattern for EnvVarConfigProvider). A reference that cannot be resolved is an error; references to unlisted aliases are left as written.",
		},
		{
			Name:       KeyConnectorClientConfigOverridePolicy,
			Type:       String,
			Default:    "All",
			Importance: Medium,
			Group:      groupWorker,
			Doc:        "Which producer.override., consumer.override. and admin.override. keys connectors may set: All, None, or Principal (only sasl.jaas.config, sasl.mechanism and security.protocol). Connectors may currently override every key.",
			Status:     NotUsedYet,
		},
		{
			Name:       KeyTopicCreationEnable,
			Type:       Bool,
			Default:    true,
			Importance: Low,
			Group:      groupWorker,
			Doc:        "Let source connectors create the topics they write to with their topic.creation. settings.",
			Status:     NotUsedYet,
		},
		{
			Name:       KeyTopicTrackingEnable,
			Type:       Bool,
			Default:    true,
			Importance: Low,
			Group:      groupREST,
			Doc:        "Track the topics each connector uses, for the REST API's topics endpoint.",
		},
		{
			Name:       KeyTopicTrackingAllowReset,
			Type:       Bool,
			Default:    true,
			Importance: Low,
			Group:      groupREST,
			Doc:        "Allow resetting a connector's tracked topics through the REST API.",
		},
		{
			Name:       KeyListeners,
			Type:       List,
			Default:    []string{DefaultListeners},
			Validate:   urlList(KeyListeners, false),
			Importance: Low,
			Group:      groupREST,
			Doc:        "URLs the REST API listens on, as http://host:port or https://host:port (TLS from the listeners.https.ssl. keys, else the ssl. ones); an empty host means every interface, port 0 a free port. The default listens on the loopback interface only, where Kafka's (http://:8083) listens on all.",
		},
		{
			Name:       KeyRestBasicAuthCredentialsFile,
			Type:       String,
			Default:    "",
			Importance: Medium,
			Group:      groupREST,
			Doc:        "A properties file of user=password lines, as Kafka's PropertyFileLoginModule reads: when set, every REST request must carry HTTP basic authentication for one of them. Our own key; Kafka configures the same through rest.extension.classes and a JAAS file.",
		},
		{
			Name:       KeyRestAllowedFileDirs,
			Type:       List,
			Default:    []string{},
			Importance: Medium,
			Group:      groupREST,
			Doc:        "Directories whose files connectors created or changed over the REST API may read or write (the file key of the file connectors). Empty allows every file while all listeners are on the loopback interface, and none otherwise. Our own key.",
		},
		{
			Name:       KeyRestAdvertisedHostName,
			Type:       String,
			Importance: Low,
			Group:      groupREST,
			Doc:        "Host name given to other workers to reach this one, when it differs from the listener's.",
			Status:     NotUsedYet,
		},
		{
			Name:       KeyRestAdvertisedPort,
			Type:       Int,
			Importance: Low,
			Group:      groupREST,
			Doc:        "Port given to other workers to reach this one, when it differs from the listener's.",
			Status:     NotUsedYet,
		},
		{
			Name:       KeyRestAdvertisedListener,
			Type:       String,
			Importance: Low,
			Group:      groupREST,
			Doc:        "Protocol, http or https, given to other workers to reach this one.",
			Status:     NotUsedYet,
		},
		{
			Name:       KeyAdminListeners,
			Type:       List,
			Validate:   urlList(KeyAdminListeners, true),
			Importance: Low,
			Group:      groupREST,
			Doc:        "URLs the admin endpoints (/admin) listen on. Unset serves them on listeners; empty disables them.",
			Status:     NotUsedYet,
		},
		{
			Name:       KeyRestExtensionClasses,
			Type:       List,
			Default:    []string{},
			Importance: Low,
			Group:      groupREST,
			Doc:        "REST extension classes to load, in order.",
			Status:     NotUsedYet,
		},
		{
			Name:       KeyAccessControlAllowOrigin,
			Type:       String,
			Default:    "",
			Importance: Low,
			Group:      groupREST,
			Doc:        "Value of the Access-Control-Allow-Origin header for REST requests from browsers; * allows any origin. Empty disables cross-origin requests.",
			Status:     NotUsedYet,
		},
		{
			Name:       KeyAccessControlAllowMethods,
			Type:       String,
			Default:    "",
			Importance: Low,
			Group:      groupREST,
			Doc:        "Value of the Access-Control-Allow-Methods header for cross-origin REST requests. Empty allows GET, POST and HEAD.",
			Status:     NotUsedYet,
		},
		{
			Name:       KeyResponseHTTPHeadersConfig,
			Type:       String,
			Default:    "",
			Validate:   httpHeaderRules(),
			Importance: Low,
			Group:      groupREST,
			Doc:        "Headers added to REST responses: comma-separated rules \"<action> <name>: <value>\" with action set, add, setDate or addDate.",
			Status:     NotUsedYet,
		},
		{
			Name:       KeySSLClientAuth,
			Type:       String,
			Default:    "none",
			Validate:   In("required", "requested", "none"),
			Importance: Low,
			Group:      groupREST,
			Doc:        "Whether HTTPS listeners of the REST API ask clients for certificates.",
		},
		{
			Name:       KeySecurityProtocol,
			Type:       String,
			Default:    "PLAINTEXT",
			Validate:   OneOf("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"),
			Importance: Medium,
			Group:      groupSecurity,
			Doc:        "Protocol of the worker's own admin connection to Kafka. Producers and consumers take theirs from producer.security.protocol and consumer.security.protocol.",
		},
		{
			Name:       KeyMetricsSampleWindowMs,
			Type:       Long,
			Default:    int64(30000),
			Validate:   AtLeast(0),
			Importance: Low,
			Group:      groupMetrics,
			Doc:        "Window, in milliseconds, over which metric samples are computed.",
			Status:     NotUsedYet,
		},
		{
			Name:       KeyMetricsNumSamples,
			Type:       Int,
			Default:    int32(2),
			Validate:   AtLeast(1),
			Importance: Low,
			Group:      groupMetrics,
			Doc:        "Number of samples kept to compute metrics.",
			Status:     NotUsedYet,
		},
		{
			Name:       KeyMetricsRecordingLevel,
			Type:       String,
			Default:    "INFO",
			Validate:   In("INFO", "DEBUG"),
			Importance: Low,
			Group:      groupMetrics,
			Doc:        "Highest recording level of the metrics kept.",
			Status:     NotUsedYet,
		},
		{
			Name:       KeyMetricReporters,
			Type:       List,
			Default:    []string{"org.apache.kafka.common.metrics.JmxReporter"},
			Importance: Low,
			Group:      groupMetrics,
			Doc:        "Classes that metrics are reported to.",
			Status:     NotUsedYet,
		},
		{
			Name:       KeyAutoIncludeJmxReporter,
			Type:       Bool,
			Default:    true,
			Importance: Low,
			Group:      groupMetrics,
			Doc:        "Deprecated in Kafka 3.4 and removed in 4.0: add the JMX reporter even when metric.reporters does not name it.",
			Status:     NotUsedYet,
		},
	}
	keys = append(keys, removedWorkerKeys()...)
	keys = append(keys, distributedWorkerKeys()...)
	return &Def{Keys: keys, Prefixes: workerPrefixes()}
}

// removedInternalConverter explains the internal converter keys.
const removedInternalConverter = "Removed in Kafka 3.0 (KIP-738). Offsets are always stored as JSON without schemas."

func removedWorkerKeys() []Key {
	removed := func(name string, t Type, doc string) Key {
		return Key{Name: name, Type: t, Importance: Low, Group: groupRemoved, Doc: doc, Status: Removed}
	}
	return []Key{
		removed("internal.key.converter", Class, removedInternalConverter),
		removed("internal.value.converter", Class, removedInternalConverter),
		removed("rest.host.name", String, "Removed in Kafka 3.0; use listeners."),
		removed("rest.port", Int, "Removed in Kafka 3.0; use listeners."),
	}
}

// distributedWorkerKeys declares the keys of Kafka's distributed workers, so
// a distributed properties file run here gets a clear warning per key.
func distributedWorkerKeys() []Key {
	dist := func(name string, t Type, def any, doc string) Key {
		return Key{Name: name, Type: t, Default: def, Importance: Low, Group: groupDistributed, Doc: doc, Status: DistributedOnly}
	}
	return []Key{
		dist("group.id", String, nil, "Group of the distributed workers sharing connectors."),
		dist("config.storage.topic", String, nil, "Topic holding connector configurations."),
		dist("config.storage.replication.factor", Short, int16(3), "Replication factor of config.storage.topic."),
		dist("offset.storage.topic", String, nil, "Topic holding source offsets."),
		dist("offset.storage.partitions", Int, int32(25), "Partitions of offset.storage.topic."),
		dist("offset.storage.replication.factor", Short, int16(3), "Replication factor of offset.storage.topic."),
		dist("status.storage.topic", String, nil, "Topic holding connector and task states."),
		dist("status.storage.partitions", Int, int32(5), "Partitions of status.storage.topic."),
		dist("status.storage.replication.factor", Short, int16(3), "Replication factor of status.storage.topic."),
		dist("session.timeout.ms", Int, int32(10000), "Group session timeout of a worker."),
		dist("heartbeat.interval.ms", Int, int32(3000), "Interval of a worker's heartbeats to the group."),
		dist("rebalance.timeout.ms", Int, int32(60000), "How long a worker may take to rejoin the group in a rebalance."),
		dist("worker.sync.timeout.ms", Int, int32(3000), "How long a worker waits to catch up on configurations before leaving the group."),
		dist("worker.unsync.backoff.ms", Int, int32(300000), "How long a worker that could not catch up waits before rejoining."),
		dist("connect.protocol", String, "sessioned", "Group protocol of the workers: eager, compatible or sessioned."),
		dist("scheduled.rebalance.max.delay.ms", Int, int32(300000), "How long the group waits for a departed worker before reassigning its work."),
		dist("exactly.once.source.support", String, "disabled", "Exactly-once delivery for source connectors: disabled, preparing or enabled."),
		dist("inter.worker.key.generation.algorithm", String, "HmacSHA256", "Algorithm of the key that signs requests between workers."),
		dist("inter.worker.key.size", Int, nil, "Size of the key that signs requests between workers."),
		dist("inter.worker.key.ttl.ms", Int, int32(3600000), "How long a key that signs requests between workers is used."),
		dist("inter.worker.signature.algorithm", String, "HmacSHA256", "Algorithm signing requests between workers."),
		dist("inter.worker.verification.algorithms", List, []string{"HmacSHA256"}, "Algorithms accepted to verify requests between workers."),
	}
}

func workerPrefixes() []Prefix {
	return []Prefix{
		{Name: KeyKeyConverter + ".", Doc: "Settings of key.converter, passed to it without the prefix, e.g. key.converter.schemas.enable."},
		{Name: KeyValueConverter + ".", Doc: "Settings of value.converter, passed to it without the prefix."},
		{Name: KeyHeaderConverter + ".", Doc: "Settings of header.converter, passed to it without the prefix."},
		{Name: "producer.", Doc: "Settings of every source task's producer, e.g. producer.acks."},
		{Name: "consumer.", Doc: "Settings of every sink task's consumer, e.g. consumer.max.poll.records."},
		{Name: "admin.", Doc: "Settings of the worker's own Kafka client (its start-up check), over the un-prefixed client keys."},
		{Name: KeyConfigProviders + ".", Doc: "Settings of each config provider: config.providers.<alias>.class and config.providers.<alias>.param. keys."},
		{Name: KeyListeners + ".https.", Doc: "TLS settings of the REST API's https listeners; when any is set, the ssl. ones are not used for them, as in Kafka."},
		{Name: KeyAdminListeners + ".https.", Doc: "TLS settings of the https admin listeners, over the ssl. ones.", Status: NotUsedYet},
		{Name: "ssl.", Doc: "TLS settings of the REST API's https listeners (unless listeners.https. ones are set) and of the worker's own connection to Kafka: ssl.truststore.*, ssl.keystore.* (JKS, PKCS12, PEM), ssl.endpoint.identification.algorithm, ssl.protocol, ssl.enabled.protocols."},
		{Name: "sasl.", Doc: "SASL settings of the worker's own connection to Kafka: sasl.mechanism (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512) and sasl.jaas.config (PlainLoginModule or ScramLoginModule). Producers and consumers take theirs from producer.sasl. and consumer.sasl. keys."},
		{Name: "metrics.context.", Doc: "Labels added to every metric.", Status: NotUsedYet},
		{Name: "internal.key.converter.", Doc: removedInternalConverter, Status: Removed},
		{Name: "internal.value.converter.", Doc: removedInternalConverter, Status: Removed},
	}
}

// WorkerWarnings returns human-readable warnings about a worker properties
// file: unknown keys, keys removed from Kafka, keys of distributed mode and
// keys accepted but not used yet. See Def.Warnings.
func WorkerWarnings(raw map[string]string) []string {
	return WorkerDef().Warnings(raw)
}

// bootstrapServers checks host:port pairs as Kafka's clients do when they
// start; checking here reports a typo with the rest of the config instead of
// after a connection timeout.
func bootstrapServers() Validator {
	return Described("non-empty list of host:port", func(v any) error {
		l, ok := v.([]string)
		if !ok {
			return nil
		}
		n := 0
		for _, s := range l {
			if s == "" {
				continue // Kafka skips empty entries
			}
			n++
			i := strings.LastIndexByte(s, ':')
			host, port := "", ""
			if i >= 0 {
				host, port = strings.Trim(s[:i], "[]"), s[i+1:]
			}
			if p, err := strconv.ParseUint(port, 10, 16); host == "" || err != nil || p == 0 {
				return fmt.Errorf("Invalid url in %s: %s", KeyBootstrapServers, s)
			}
		}
		if n == 0 {
			return fmt.Errorf("No resolvable bootstrap urls given in %s", KeyBootstrapServers)
		}
		return nil
	})
}

// urlList checks a listeners list as Kafka does: no blank entries, and
// unless allowEmpty, at least one entry. A nil value (unset, no default)
// passes.
func urlList(key string, allowEmpty bool) Validator {
	return Described("comma-separated URLs such as http://localhost:8083", func(v any) error {
		l, ok := v.([]string)
		if !ok {
			return nil
		}
		if len(l) == 0 && !allowEmpty {
			return errors.New("Empty list")
		}
		for _, s := range l {
			if strings.TrimSpace(s) == "" {
				return fmt.Errorf("Empty URL found when parsing %s list.", key)
			}
		}
		return nil
	})
}

// httpHeaderRules checks response.http.headers.config: comma-separated
// "<action> <name>: <value>" rules. Commas inside double quotes do not split.
func httpHeaderRules() Validator {
	actions := []string{"set", "add", "setDate", "addDate"}
	return Described(`comma-separated "<action> <name>: <value>" rules, action one of set, add, setDate, addDate; quote a rule holding a comma`, func(v any) error {
		s, ok := v.(string)
		if !ok || javaTrim(s) == "" {
			return nil
		}
		for _, rule := range splitOutsideQuotes(s) {
			rule = strings.Trim(strings.TrimSpace(rule), `"`)
			action, rest, _ := strings.Cut(strings.TrimSpace(rule), " ")
			known := false
			for _, a := range actions {
				known = known || strings.EqualFold(a, action)
			}
			if !known {
				return fmt.Errorf("invalid header rule %q: action %q is not one of %s", rule, action, strings.Join(actions, ", "))
			}
			name, _, found := strings.Cut(rest, ":")
			name = strings.TrimSpace(name)
			if !found || name == "" || strings.ContainsAny(name, " \t") {
				return fmt.Errorf("invalid header rule %q: want \"<action> <name>: <value>\" with a name without blanks", rule)
			}
		}
		return nil
	})
}

func splitOutsideQuotes(s string) []string {
	var out []string
	quoted := false
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			quoted = !quoted
		case ',':
			if !quoted {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}
