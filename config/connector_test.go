package config

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestConnectorDefsAreConsistent(t *testing.T) {
	for name, d := range map[string]*Def{"common": ConnectorDef(), "source": SourceConnectorDef(), "sink": SinkConnectorDef()} {
		t.Run(name, func(t *testing.T) { checkDef(t, d) })
	}
	src, sink := SourceConnectorDef(), SinkConnectorDef()
	for _, k := range ConnectorDef().Keys {
		if _, ok := src.Key(k.Name); !ok {
			t.Errorf("source lacks %s", k.Name)
		}
		if _, ok := sink.Key(k.Name); !ok {
			t.Errorf("sink lacks %s", k.Name)
		}
	}
	if _, ok := src.Key(KeyTopics); ok {
		t.Error("source declares topics")
	}
	if _, ok := sink.Key(KeyExactlyOnceSupport); ok {
		t.Error("sink declares exactly.once.support")
	}
	if _, ok := src.prefix("topic.creation.default.partitions"); !ok {
		t.Error("source lacks the topic.creation. prefix")
	}
}

func TestConnectorDefDefaults(t *testing.T) {
	v, err := SinkConnectorDef().Parse(map[string]string{KeyName: "a", KeyConnectorClass: "FileStreamSink", KeyTopics: "t"})
	if err != nil {
		t.Fatal(err)
	}
	if v.Int(KeyTasksMax) != 1 || !v.Bool(KeyTasksMaxEnforce) || v.String(KeyErrorsTolerance) != ToleranceNone ||
		v.Long(KeyErrorsRetryDelayMaxMs) != 60000 || v.Short(KeyErrorsDeadLetterQueueTopicReplicationFactor) != 3 ||
		v.String(KeyKeyConverter) != "" || len(v.List(KeyTransforms)) != 0 || v.String(KeyConfigActionReload) != "restart" {
		t.Errorf("unexpected defaults: %+v", v)
	}
	if err := ValidateSinkTopics(v); err != nil {
		t.Error(err)
	}
}

func TestConnectorDefErrors(t *testing.T) {
	tests := []struct {
		name string
		def  *Def
		set  map[string]string
		key  string
		want string
	}{
		{"blank name", ConnectorDef(), map[string]string{KeyName: "  "}, KeyName, "String may not be empty"},
		{"name with newline", ConnectorDef(), map[string]string{KeyName: "a\nb"}, KeyName, "String may not contain control sequences but had the following ASCII chars: 10"},
		{"missing class", ConnectorDef(), map[string]string{KeyConnectorClass: "\x00delete"}, KeyConnectorClass, `missing required configuration "connector.class"`},
		{"zero tasks", ConnectorDef(), map[string]string{KeyTasksMax: "0"}, KeyTasksMax, "Value must be at least 1"},
		{"tasks not a number", ConnectorDef(), map[string]string{KeyTasksMax: "many"}, KeyTasksMax, "not a number of type INT"},
		{"duplicate transform", ConnectorDef(), map[string]string{KeyTransforms: "a, b, a"}, KeyTransforms, "Duplicate alias provided."},
		{"duplicate predicate", ConnectorDef(), map[string]string{KeyPredicates: "p,p"}, KeyPredicates, "Duplicate alias provided."},
		{"tolerance is case-sensitive", ConnectorDef(), map[string]string{KeyErrorsTolerance: "ALL"}, KeyErrorsTolerance, "String must be one of: none, all"},
		{"reload action", ConnectorDef(), map[string]string{KeyConfigActionReload: "reload"}, KeyConfigActionReload, "String must be one of: none, restart"},
		{"bad topics regex", SinkConnectorDef(), map[string]string{KeyTopicsRegex: "a("}, KeyTopicsRegex, "Invalid regex: "},
		{"dlq replication factor", SinkConnectorDef(), map[string]string{KeyErrorsDeadLetterQueueTopicReplicationFactor: "70000"}, KeyErrorsDeadLetterQueueTopicReplicationFactor, "not a number of type SHORT"},
		{"duplicate topic creation group", SourceConnectorDef(), map[string]string{KeyTopicCreationGroups: "g,g"}, KeyTopicCreationGroups, "Duplicate alias provided."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := map[string]string{KeyName: "c", KeyConnectorClass: "X"}
			for k, v := range tt.set {
				if v == "\x00delete" {
					delete(raw, k)
					continue
				}
				raw[k] = v
			}
			_, err := tt.def.Parse(raw)
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

// TestSourceDistributedOnlyKeys shows exactly-once keys are accepted and
// not checked: they cannot have an effect in standalone mode.
func TestSourceDistributedOnlyKeys(t *testing.T) {
	raw := map[string]string{KeyName: "c", KeyConnectorClass: "X", KeyExactlyOnceSupport: "always", KeyTransactionBoundary: "x", KeyOffsetsStorageTopic: ""}
	if _, err := SourceConnectorDef().Parse(raw); err != nil {
		t.Fatal(err)
	}
	want := []string{
		`"exactly.once.support" has no effect in standalone mode: it configures distributed mode only`,
		`"offsets.storage.topic" has no effect in standalone mode: it configures distributed mode only`,
		`"transaction.boundary" has no effect in standalone mode: it configures distributed mode only`,
	}
	if got := SourceConnectorDef().Warnings(raw); !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestValidateSinkTopics(t *testing.T) {
	tests := []struct {
		name     string
		raw      map[string]string
		want     []string // "key: message" per problem
		sentinel error
	}{
		{"topics", map[string]string{KeyTopics: "a,b"}, nil, nil},
		{"regex", map[string]string{KeyTopicsRegex: "a.*"}, nil, nil},
		{"both", map[string]string{KeyTopics: "a", KeyTopicsRegex: "a.*"},
			[]string{"topics: topics and topics.regex are mutually exclusive options, but both are set."}, ErrInvalid},
		{"neither", map[string]string{}, []string{"topics: Must configure one of topics or topics.regex"}, ErrMissing},
		{"blank ones do not count", map[string]string{KeyTopics: " ", KeyTopicsRegex: "\t"},
			[]string{"topics: Must configure one of topics or topics.regex"}, ErrMissing},
		{"dlq in topics", map[string]string{KeyTopics: "a, dlq", KeyErrorsDeadLetterQueueTopicName: " dlq "},
			[]string{"topics: The DLQ topic 'dlq' may not be included in the list of topics ('topics=[a, dlq]') consumed by the connector"}, ErrInvalid},
		{"dlq matched by regex", map[string]string{KeyTopicsRegex: "d.*", KeyErrorsDeadLetterQueueTopicName: "dlq"},
			[]string{"topics.regex: The DLQ topic 'dlq' may not be included in the regex matching the topics ('topics.regex=d.*') consumed by the connector"}, ErrInvalid},
		{"regex must match the whole name", map[string]string{KeyTopicsRegex: "d", KeyErrorsDeadLetterQueueTopicName: "dlq"}, nil, nil},
		{"dlq elsewhere", map[string]string{KeyTopics: "a", KeyErrorsDeadLetterQueueTopicName: "dlq"}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := map[string]string{KeyName: "c", KeyConnectorClass: "X"}
			for k, v := range tt.raw {
				raw[k] = v
			}
			v, err := SinkConnectorDef().Parse(raw)
			if err != nil {
				t.Fatal(err)
			}
			err = ValidateSinkTopics(v)
			var got []string
			for _, p := range Problems(err) {
				var ke *KeyError
				if !errors.As(p, &ke) {
					t.Errorf("%T is not a *KeyError", p)
				}
				got = append(got, p.Error())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
			if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
				t.Errorf("%v does not wrap %v", err, tt.sentinel)
			}
		})
	}
}
