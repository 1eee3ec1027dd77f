package config

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Keys every connector understands (Kafka's ConnectorConfig). The converter
// keys are shared with the worker, whose values they override.
const (
	KeyName                     = "name"
	KeyConnectorClass           = "connector.class"
	KeyTasksMax                 = "tasks.max"
	KeyTasksMaxEnforce          = "tasks.max.enforce"
	KeyKeyConverter             = "key.converter"
	KeyValueConverter           = "value.converter"
	KeyHeaderConverter          = "header.converter"
	KeyTransforms               = "transforms"
	KeyPredicates               = "predicates"
	KeyConfigActionReload       = "config.action.reload"
	KeyErrorsRetryTimeout       = "errors.retry.timeout"
	KeyErrorsRetryDelayMaxMs    = "errors.retry.delay.max.ms"
	KeyErrorsTolerance          = "errors.tolerance"
	KeyErrorsLogEnable          = "errors.log.enable"
	KeyErrorsLogIncludeMessages = "errors.log.include.messages"
)

// Keys of sink connectors (Kafka's SinkConnectorConfig).
const (
	KeyTopics                                      = "topics"
	KeyTopicsRegex                                 = "topics.regex"
	KeyErrorsDeadLetterQueueTopicName              = "errors.deadletterqueue.topic.name"
	KeyErrorsDeadLetterQueueTopicReplicationFactor = "errors.deadletterqueue.topic.replication.factor"
	KeyErrorsDeadLetterQueueContextHeadersEnable   = "errors.deadletterqueue.context.headers.enable"
)

// Keys of source connectors (Kafka's SourceConnectorConfig).
const (
	KeyTopicCreationGroups           = "topic.creation.groups"
	KeyExactlyOnceSupport            = "exactly.once.support"
	KeyTransactionBoundary           = "transaction.boundary"
	KeyTransactionBoundaryIntervalMs = "transaction.boundary.interval.ms"
	KeyOffsetsStorageTopic           = "offsets.storage.topic"
)

// Values of errors.tolerance.
const (
	ToleranceNone = "none"
	ToleranceAll  = "all"
)

const (
	groupCommon       = "Common"
	groupTransforms   = "Transforms"
	groupPredicates   = "Predicates"
	groupErrors       = "Error Handling"
	groupTopicCreate  = "Topic Creation"
	groupExactlyOnce  = "Exactly Once Support"
	groupOffsetsTopic = "Offsets Topic"
)

// ConnectorDef returns the keys common to every connector. Each call
// returns a new Def the caller may keep.
func ConnectorDef() *Def {
	return &Def{
		Keys: []Key{
			{
				Name:       KeyName,
				Type:       String,
				Required:   true,
				Validate:   NonEmptyStringWithoutControlChars(),
				Importance: High,
				Group:      groupCommon,
				Doc:        "Name of the connector, unique within the worker.",
			},
			{
				Name:       KeyConnectorClass,
				Type:       String,
				Required:   true,
				Importance: High,
				Group:      groupCommon,
				Doc:        "Class of the connector: its full Java class name (org.apache.kafka.connect.file.FileStreamSourceConnector), its simple name (FileStreamSourceConnector) or its simple name without the Connector suffix (FileStreamSource).",
			},
			{
				Name:       KeyTasksMax,
				Type:       Int,
				Default:    int32(1),
				Validate:   AtLeast(1),
				Importance: High,
				Group:      groupCommon,
				Doc:        "Largest number of tasks the connector may run. A connector may run fewer when it cannot split its work further.",
			},
			{
				Name:       KeyTasksMaxEnforce,
				Type:       Bool,
				Default:    true,
				Importance: Low,
				Group:      groupCommon,
				Doc:        "Deprecated. When true, a connector that asks for more than tasks.max tasks fails; when false, the extra tasks run and a warning is logged.",
			},
			{
				Name:       KeyKeyConverter,
				Type:       Class,
				Importance: Low,
				Group:      groupCommon,
				Doc:        "Converter between record keys and Kafka bytes for this connector, overriding the worker's. Settings under key.converter. in this file configure it; when unset, the worker's converter and its settings are used.",
			},
			{
				Name:       KeyValueConverter,
				Type:       Class,
				Importance: Low,
				Group:      groupCommon,
				Doc:        "Converter between record values and Kafka bytes for this connector, overriding the worker's. Settings under value.converter. in this file configure it; when unset, the worker's converter and its settings are used.",
			},
			{
				Name:       KeyHeaderConverter,
				Type:       Class,
				Importance: Low,
				Group:      groupCommon,
				Doc:        "Converter between header values and Kafka bytes for this connector, overriding the worker's. Settings under header.converter. in this file configure it; when unset, the worker's converter and its settings are used.",
			},
			{
				Name:       KeyConfigActionReload,
				Type:       String,
				Default:    "restart",
				Validate:   In("none", "restart"),
				Importance: Low,
				Group:      groupCommon,
				Doc:        "What to do when a config provider reports that a value this connector uses changed: restart the connector, or nothing.",
				Status:     NotUsedYet,
			},
			{
				Name:       KeyTransforms,
				Type:       List,
				Default:    []string{},
				Validate:   UniqueAliases("transformation aliases"),
				Importance: Low,
				Group:      groupTransforms,
				Doc:        "Aliases of the single message transforms applied to records, in order. Each alias a is configured by transforms.a.type and further transforms.a. keys.",
			},
			{
				Name:       KeyPredicates,
				Type:       List,
				Default:    []string{},
				Validate:   UniqueAliases("predicate aliases"),
				Importance: Low,
				Group:      groupPredicates,
				Doc:        "Aliases of the predicates transforms can be made conditional on. Each alias p is configured by predicates.p.type and further predicates.p. keys.",
			},
			{
				Name:       KeyErrorsRetryTimeout,
				Type:       Long,
				Default:    int64(0),
				Importance: Medium,
				Group:      groupErrors,
				Doc:        "How long, in milliseconds, an operation that failed with a retriable error is retried. 0 means no retries, -1 retries forever.",
			},
			{
				Name:       KeyErrorsRetryDelayMaxMs,
				Type:       Long,
				Default:    int64(60000),
				Importance: Medium,
				Group:      groupErrors,
				Doc:        "Longest wait, in milliseconds, between two retries of a failed operation. Waits grow exponentially up to it.",
			},
			{
				Name:       KeyErrorsTolerance,
				Type:       String,
				Default:    ToleranceNone,
				Validate:   In(ToleranceNone, ToleranceAll),
				Importance: Medium,
				Group:      groupErrors,
				Doc:        "What a record that fails conversion or a transform does: none fails the task at once, all skips the record and goes on.",
			},
			{
				Name:       KeyErrorsLogEnable,
				Type:       Bool,
				Default:    false,
				Importance: Medium,
				Group:      groupErrors,
				Doc:        "Log every failed operation and skipped record. Failures that stop the task are logged either way.",
			},
			{
				Name:       KeyErrorsLogIncludeMessages,
				Type:       Bool,
				Default:    false,
				Importance: Medium,
				Group:      groupErrors,
				Doc:        "When errors.log.enable is true, include the record's topic, partition, offset and timestamp in the log, and for sinks its key and value.",
			},
			{
				Name:       KeyErrorsDeadLetterQueueTopicName,
				Type:       String,
				Default:    "",
				Importance: Medium,
				Group:      groupErrors,
				Doc:        "Topic that records failing conversion or a transform are written to when errors.tolerance is all. Empty means no dead letter queue. For a sink it may not be one of the consumed topics. Source connectors take it too (Kafka's take it for sinks only): their failed records go there with their source partition and offset in headers.",
			},
			{
				Name:       KeyErrorsDeadLetterQueueTopicReplicationFactor,
				Type:       Short,
				Default:    int16(3),
				Importance: Medium,
				Group:      groupErrors,
				Doc:        "Replication factor of the dead letter queue topic when it is created.",
			},
			{
				Name:       KeyErrorsDeadLetterQueueContextHeadersEnable,
				Type:       Bool,
				Default:    false,
				Importance: Medium,
				Group:      groupErrors,
				Doc:        "Add headers naming the failed record's origin and the error to records written to the dead letter queue.",
			},
		},
		Prefixes: []Prefix{
			{Name: KeyKeyConverter + ".", Doc: "Settings of this connector's key.converter, passed to it without the prefix."},
			{Name: KeyValueConverter + ".", Doc: "Settings of this connector's value.converter, passed to it without the prefix."},
			{Name: KeyHeaderConverter + ".", Doc: "Settings of this connector's header.converter, passed to it without the prefix."},
			{Name: KeyTransforms + ".", Doc: "Settings of each transform: transforms.<alias>.type, transforms.<alias>.predicate, transforms.<alias>.negate and the transform's own keys."},
			{Name: KeyPredicates + ".", Doc: "Settings of each predicate: predicates.<alias>.type and the predicate's own keys."},
			{Name: "producer.override.", Doc: "Producer settings for this connector's tasks, over the worker's producer. ones."},
			{Name: "consumer.override.", Doc: "Consumer settings for this connector's tasks, over the worker's consumer. ones."},
			{Name: "admin.override.", Doc: "Admin client settings for this connector, over the worker's admin. ones.", Status: NotUsedYet},
		},
	}
}

// SinkConnectorDef returns the keys of every sink connector: the common
// keys and the sink-only ones. Each call returns a new Def the caller may keep.
func SinkConnectorDef() *Def {
	return ConnectorDef().Merge(&Def{Keys: []Key{
		{
			Name:       KeyTopics,
			Type:       List,
			Default:    []string{},
			Importance: High,
			Group:      groupCommon,
			Doc:        "Topics to consume, comma-separated. Set exactly one of topics and topics.regex.",
		},
		{
			Name:       KeyTopicsRegex,
			Type:       String,
			Default:    "",
			Validate:   Regex(),
			Importance: High,
			Group:      groupCommon,
			Doc:        "Regular expression that the whole name of a topic to consume matches. Set exactly one of topics and topics.regex.",
		},
	}})
}

// SourceConnectorDef returns the keys of every source connector: the common
// keys and the source-only ones. Each call returns a new Def the caller may
// keep.
func SourceConnectorDef() *Def {
	return ConnectorDef().Merge(&Def{
		Keys: []Key{
			{
				Name:       KeyTopicCreationGroups,
				Type:       List,
				Default:    []string{},
				Validate:   UniqueAliases("topic creation groups"),
				Importance: Low,
				Group:      groupTopicCreate,
				Doc:        "Groups of topic creation settings besides the default group, each configured by topic.creation.<group>. keys. Topics the connector writes to that do not exist are created with the settings of the first group whose include pattern matches.",
				Status:     NotUsedYet,
			},
			{
				Name:       KeyExactlyOnceSupport,
				Type:       String,
				Default:    "requested",
				Validate:   OneOf("requested", "required"),
				Importance: Medium,
				Group:      groupExactlyOnce,
				Doc:        "Whether the connector must support exactly-once delivery (required) or only may (requested). Exactly-once source delivery exists in distributed mode only.",
				Status:     DistributedOnly,
			},
			{
				Name:       KeyTransactionBoundary,
				Type:       String,
				Default:    "poll",
				Validate:   OneOf("poll", "interval", "connector"),
				Importance: Medium,
				Group:      groupExactlyOnce,
				Doc:        "Where exactly-once transactions end: after each poll, every transaction.boundary.interval.ms, or where the connector says.",
				Status:     DistributedOnly,
			},
			{
				Name:       KeyTransactionBoundaryIntervalMs,
				Type:       Long,
				Validate:   AtLeast(0),
				Importance: Low,
				Group:      groupExactlyOnce,
				Doc:        "Transaction length in milliseconds when transaction.boundary is interval; unset means the worker's offset.flush.interval.ms.",
				Status:     DistributedOnly,
			},
			{
				Name:       KeyOffsetsStorageTopic,
				Type:       String,
				Validate:   NonEmptyString(),
				Importance: Low,
				Group:      groupOffsetsTopic,
				Doc:        "Topic holding this connector's source offsets instead of the worker's. Standalone workers keep offsets in offset.storage.file.filename.",
				Status:     DistributedOnly,
			},
		},
		Prefixes: []Prefix{
			{Name: "topic.creation.", Doc: "Topic creation settings of the default group and of each topic.creation.groups group: include, exclude, replication.factor, partitions and topic configs.", Status: NotUsedYet},
		},
	})
}

// ValidateSinkTopics checks what Kafka checks across a sink connector's
// keys, with Kafka's messages: exactly one of topics and topics.regex is set
// (not blank), and the dead letter queue topic is not one of the consumed
// topics. Every problem is a *KeyError; several are joined. The messages
// are Kafka's verbatim, so users can search for them.
func ValidateSinkTopics(v Values) error {
	raw := v.Raw()
	topics, regex := raw[KeyTopics], raw[KeyTopicsRegex]
	hasTopics, hasRegex := javaTrim(topics) != "", javaTrim(regex) != ""
	switch {
	case hasTopics && hasRegex:
		return &KeyError{Key: KeyTopics, Err: &kafkaError{
			msg:  fmt.Sprintf("%s and %s are mutually exclusive options, but both are set.", KeyTopics, KeyTopicsRegex),
			kind: ErrInvalid,
		}}
	case !hasTopics && !hasRegex:
		return &KeyError{Key: KeyTopics, Err: &kafkaError{
			msg:  fmt.Sprintf("Must configure one of %s or %s", KeyTopics, KeyTopicsRegex),
			kind: ErrMissing,
		}}
	}
	dlq := javaTrim(raw[KeyErrorsDeadLetterQueueTopicName])
	if dlq == "" {
		return nil
	}
	var errs []error
	if hasTopics {
		list := SplitList(topics)
		for _, t := range list {
			if t == dlq {
				errs = append(errs, &KeyError{Key: KeyTopics, Err: &kafkaError{
					msg:  fmt.Sprintf("The DLQ topic '%s' may not be included in the list of topics ('%s=[%s]') consumed by the connector", dlq, KeyTopics, strings.Join(list, ", ")),
					kind: ErrInvalid,
				}})
				break
			}
		}
	}
	if hasRegex {
		if re, err := regexp.Compile(`^(?:` + javaTrim(regex) + `)$`); err == nil && re.MatchString(dlq) {
			errs = append(errs, &KeyError{Key: KeyTopicsRegex, Err: &kafkaError{
				msg:  fmt.Sprintf("The DLQ topic '%s' may not be included in the regex matching the topics ('%s=%s') consumed by the connector", dlq, KeyTopicsRegex, javaTrim(regex)),
				kind: ErrInvalid,
			}})
		}
	}
	return errors.Join(errs...)
}

// Keys Kafka adds to every transform's own keys under
// "transforms.<alias>.", and the one every predicate has under
// "predicates.<alias>.".
const (
	KeyStageType      = "type"
	KeyStagePredicate = "predicate"
	KeyStageNegate    = "negate"
)

// TransformStageDef returns the keys every transform accepts besides its
// own. As in Kafka, they mask a transform key of the same name.
func TransformStageDef() *Def {
	return &Def{Keys: []Key{
		{Name: KeyStageType, Type: Class, Required: true, Importance: High, Group: groupTransforms,
			Doc: "Class name or alias of the transformation."},
		{Name: KeyStagePredicate, Type: String, Importance: Medium, Group: groupTransforms,
			Doc: "Alias of a predicate, listed in predicates=, that decides whether this transformation applies to a record."},
		{Name: KeyStageNegate, Type: Bool, Default: false, Importance: Medium, Group: groupTransforms,
			Doc: "Apply the transformation to records the predicate is false for, instead of those it is true for. Only valid with predicate."},
	}}
}

// PredicateStageDef returns the key every predicate has besides its own.
func PredicateStageDef() *Def {
	return &Def{Keys: []Key{
		{Name: KeyStageType, Type: Class, Required: true, Importance: High, Group: groupPredicates,
			Doc: "Class name or alias of the predicate."},
	}}
}
