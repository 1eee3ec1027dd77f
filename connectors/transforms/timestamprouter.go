package transforms

import (
	"strconv"
	"strings"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/connectors/transforms/datefmt"
)

// TimestampRouter's keys.
const (
	KeyTopicFormat           = "topic.format"
	KeyRouterTimestampFormat = "timestamp.format"
)

func timestampRouterDef() *config.Def {
	return &config.Def{Keys: []config.Key{
		{Name: KeyTopicFormat, Type: config.String, Default: "${topic}-${timestamp}", Importance: config.High,
			Doc: "The new topic name: ${topic} stands for the record's topic and ${timestamp} for its formatted timestamp."},
		{Name: KeyRouterTimestampFormat, Type: config.String, Default: "yyyyMMdd", Importance: config.High, Validate: datePattern(),
			Doc: "How ${timestamp} is written: a java.text.SimpleDateFormat pattern, applied in UTC."},
	}}
}

// datePattern accepts a java.text.SimpleDateFormat pattern. Kafka's
// TimestampRouter only finds a bad pattern when it routes the first
// record; checking it with the rest of the configuration stops a
// connector that would fail on its first record from starting at all.
func datePattern() config.Validator {
	return config.Described("SimpleDateFormat pattern", func(v any) error {
		s, ok := v.(string)
		if !ok {
			return nil
		}
		_, err := datefmt.Compile(s)
		return err
	})
}

type timestampRouter struct {
	topicFormat string
	format      *datefmt.Format
}

func newTimestampRouter(cfg config.Values) (connectors.Transform, error) {
	f, err := datefmt.Compile(cfg.String(KeyRouterTimestampFormat))
	if err != nil {
		return nil, &config.KeyError{Key: KeyRouterTimestampFormat, Err: err}
	}
	return &timestampRouter{topicFormat: cfg.String(KeyTopicFormat), format: f}, nil
}

func (t *timestampRouter) Apply(r connectors.Record) (connectors.Record, bool, error) {
	if r.Timestamp.IsZero() {
		return r, false, connectors.DataErrorf("Timestamp missing on record: %s", recordString(r))
	}
	topic := strings.ReplaceAll(t.topicFormat, "${topic}", r.Topic)
	r.Topic = strings.ReplaceAll(topic, "${timestamp}", t.format.Format(r.Timestamp))
	return r, true, nil
}

// recordString prints a record as Kafka's ConnectRecord.toString does.
func recordString(r connectors.Record) string {
	var b strings.Builder
	b.WriteString("ConnectRecord{topic='" + r.Topic + "', kafkaPartition=")
	if r.Partition < 0 {
		b.WriteString("null")
	} else {
		b.WriteString(strconv.Itoa(int(r.Partition)))
	}
	b.WriteString(", key=" + javaString(r.Key.Value) + ", keySchema=" + schemaOrNull(r.Key.Schema))
	b.WriteString(", value=" + javaString(r.Value.Value) + ", valueSchema=" + schemaOrNull(r.Value.Schema))
	b.WriteString(", timestamp=null, headers=ConnectHeaders(headers=")
	if len(r.Headers) > 0 {
		hs := make([]string, len(r.Headers))
		for i, h := range r.Headers {
			hs[i] = "ConnectHeader(key=" + h.Key + ", value=" + javaString(h.Value.Value) + ", schema=" + schemaOrNull(h.Value.Schema) + ")"
		}
		b.WriteString("[" + strings.Join(hs, ", ") + "]")
	}
	b.WriteString(")}")
	return b.String()
}

func javaString(v any) string {
	s, _ := connectors.AppendJavaString(nil, v)
	return string(s)
}

func schemaOrNull(s *connectors.Schema) string {
	if s == nil {
		return "null"
	}
	return schemaString(s)
}

func timestampRouterPlugin() connectors.Plugin {
	return connectors.Plugin{
		Class:        Package + ".TimestampRouter",
		Kind:         connectors.KindTransform,
		Version:      connectors.Version,
		Def:          timestampRouterDef(),
		Doc:          timestampRouterDoc,
		Example:      timestampRouterExample,
		NewTransform: newTimestampRouter,
	}
}

const timestampRouterDoc = "Renames the record's topic from its old name and its timestamp, for example to " +
	"write each day's records to their own table or index in a sink. `topic.format` says how the name is " +
	"built and `timestamp.format` how the timestamp is written (UTC). A record without a timestamp is an error."

const timestampRouterExample = "```properties\n" +
	"transforms=daily\n" +
	"transforms.daily.type=org.apache.kafka.connect.transforms.TimestampRouter\n" +
	"transforms.daily.topic.format=${topic}_${timestamp}\n" +
	"transforms.daily.timestamp.format=yyyy-MM-dd\n" +
	"```\n\n" +
	"A record of topic `orders` with timestamp 1483425001864 (2017-01-03T06:30:01.864Z) goes to topic " +
	"`orders_2017-01-03`; key, value and headers are unchanged.\n"
