package runner

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/IBM/sarama"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/runner/producer"
)

// converters is the converter set one connector uses.
type converters struct {
	key, value  connectors.Converter
	header      connectors.HeaderConverter
	keyClass    string
	valueClass  string
	headerClass string
}

// connector is one configured connector: its validated config and
// converters, and once started, its plugin instance.
type connector struct {
	name   string
	file   string
	plugin connectors.Plugin
	values config.Values
	conv   converters
	chain  chain
	log    *slog.Logger

	producerLayers []map[string]string // worker producer.*, then connector producer.override.*
	consumerLayers []map[string]string

	impl   connectors.Connector
	errors errorPolicy
	def    *config.Def // the framework's keys and the plugin's
}

// overrides layers the connector's producer.override.* and
// consumer.override.* keys over the worker's producer.* and consumer.*, as
// Kafka's default override policy (All) allows.
func (c *connector) overrides(workerProducer, workerConsumer map[string]string) {
	raw := c.values.Raw()
	c.producerLayers = []map[string]string{workerProducer, config.Subset(raw, "producer.override.")}
	c.consumerLayers = []map[string]string{workerConsumer, config.Subset(raw, "consumer.override.")}
}

// checkClients validates the client settings the connector's tasks will use.
func (c *connector) checkClients() error {
	if c.isSource() {
		if _, _, err := producerConfig("check", c.producerLayers...); err != nil {
			return &config.KeyError{Key: "producer.override.*", Err: err}
		}
		return nil
	}
	if _, _, err := consumerConfig("check", c.consumerLayers...); err != nil {
		return &config.KeyError{Key: "consumer.override.*", Err: err}
	}
	return nil
}

// groupID is the sink's consumer group: connect-<name>, unless overridden.
func (c *connector) groupID() string {
	for _, l := range c.consumerLayers[1:] {
		if g, ok := l["group.id"]; ok && strings.TrimSpace(g) != "" {
			return strings.TrimSpace(g)
		}
	}
	return "connect-" + c.name
}

func (c *connector) isSource() bool { return c.plugin.Kind == connectors.KindSource }

// newConnector validates one connector file against the common connector
// keys, the plugin's own keys and the converters it names, returning every
// problem at once.
func newConnector(cf config.ConnectorFile, reg *connectors.Registry, workerProps map[string]string, log *slog.Logger) (*connector, error) {
	raw := cf.Config
	class := strings.TrimSpace(raw[config.KeyConnectorClass])
	if class == "" {
		return nil, &config.KeyError{Key: config.KeyConnectorClass, Err: fmt.Errorf("%w %q which has no default value", config.ErrMissing, config.KeyConnectorClass)}
	}
	plugin, err := reg.Lookup(class, connectors.KindSource, connectors.KindSink)
	if err != nil {
		return nil, &config.KeyError{Key: config.KeyConnectorClass, Err: err}
	}
	common := config.SourceConnectorDef()
	if plugin.Kind == connectors.KindSink {
		common = config.SinkConnectorDef()
	}
	def := common.Merge(plugin.Def)
	vals, err := def.Parse(raw)
	errs := config.Problems(err)
	warn := func(warning string) { log.Warn(warning, "file", cf.Path, "connector", cf.Name) }
	for _, warning := range def.Warnings(raw) {
		warn(warning)
	}
	if plugin.Kind == connectors.KindSink && err == nil {
		errs = append(errs, config.Problems(config.ValidateSinkTopics(vals))...)
	}
	c := &connector{name: cf.Name, file: cf.Path, plugin: plugin, values: vals, errors: newErrorPolicy(vals), def: def}
	c.log = log.With("connector", c.name)
	conv, err := buildConverters(reg, raw, workerProps)
	errs = append(errs, config.Problems(err)...)
	c.conv = conv
	ch, err := buildChain(reg, vals, warn)
	errs = append(errs, config.Problems(err)...)
	c.chain = ch
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return c, nil
}

// buildConverters resolves key, value and header converters: a class set on
// the connector is configured from the connector's own prefixed keys, an
// unset one falls back to the worker's class and settings, as in Kafka.
func buildConverters(reg *connectors.Registry, conn, worker map[string]string) (converters, error) {
	var out converters
	var errs []error
	pick := func(key string) (class string, settings map[string]string) {
		if c := strings.TrimSpace(conn[key]); c != "" {
			return c, config.Subset(conn, key+".")
		}
		return strings.TrimSpace(worker[key]), config.Subset(worker, key+".")
	}
	for _, which := range []string{config.KeyKeyConverter, config.KeyValueConverter} {
		class, settings := pick(which)
		if class == "" {
			continue // reported as a missing worker key
		}
		p, err := reg.Lookup(class, connectors.KindConverter)
		if err != nil {
			errs = append(errs, &config.KeyError{Key: which, Err: err})
			continue
		}
		settings[connectors.ConverterTypeKey] = strings.TrimSuffix(which, ".converter")
		cv, err := p.NewConverter(settings)
		if err != nil {
			errs = append(errs, &config.KeyError{Key: which, Err: fmt.Errorf("configure %s: %w", p.Class, err)})
			continue
		}
		if which == config.KeyKeyConverter {
			out.key, out.keyClass = cv, p.Class
		} else {
			out.value, out.valueClass = cv, p.Class
		}
	}
	class, settings := pick(config.KeyHeaderConverter)
	if class == "" {
		class = "org.apache.kafka.connect.storage.SimpleHeaderConverter"
	}
	p, err := reg.Lookup(class, connectors.KindHeaderConverter)
	if err != nil {
		errs = append(errs, &config.KeyError{Key: config.KeyHeaderConverter, Err: err})
	} else {
		settings[connectors.ConverterTypeKey] = "header"
		hc, err := p.NewHeaderConverter(settings)
		if err != nil {
			errs = append(errs, &config.KeyError{Key: config.KeyHeaderConverter, Err: fmt.Errorf("configure %s: %w", p.Class, err)})
		}
		out.header, out.headerClass = hc, p.Class
	}
	return out, errors.Join(errs...)
}

// connectorContext is what a running connector sees of the runtime.
type connectorContext struct {
	log         *slog.Logger
	reconfigure func()
}

func (c connectorContext) Logger() *slog.Logger        { return c.log }
func (c connectorContext) RequestTaskReconfiguration() { c.reconfigure() }

// start creates the plugin instance, starts it and returns its task
// configs. reconfigure is what the instance's RequestTaskReconfiguration
// calls.
func (c *connector) start(ctx context.Context, reconfigure func()) ([]map[string]string, error) {
	if c.isSource() {
		c.impl = c.plugin.NewSource()
	} else {
		c.impl = c.plugin.NewSink()
	}
	if err := c.impl.Start(ctx, connectorContext{c.log, reconfigure}, c.values); err != nil {
		return nil, fmt.Errorf("start connector %s (%s): %w", c.name, c.plugin.Class, err)
	}
	return c.taskConfigs()
}

// taskConfigs asks the running instance for its task configs.
func (c *connector) taskConfigs() ([]map[string]string, error) {
	max := c.values.Int(config.KeyTasksMax)
	tasks, err := c.impl.TaskConfigs(max)
	if err != nil {
		return nil, fmt.Errorf("connector %s: task configs: %w", c.name, err)
	}
	if len(tasks) > max {
		msg := fmt.Sprintf("connector %s produced %d task configs, more than tasks.max=%d", c.name, len(tasks), max)
		if c.values.Bool(config.KeyTasksMaxEnforce) {
			return nil, errors.New(msg)
		}
		c.log.Warn(msg + "; running them all because tasks.max.enforce=false")
	}
	// Kafka copies the subscription into every sink task's config.
	for _, t := range tasks {
		for _, k := range []string{config.KeyTopics, config.KeyTopicsRegex} {
			if v, ok := c.values.Raw()[k]; ok {
				t[k] = v
			}
		}
	}
	return tasks, nil
}

func (c *connector) stop(ctx context.Context) {
	if c.impl == nil {
		return
	}
	if err := c.impl.Stop(ctx); err != nil {
		c.log.Warn("connector stop returned an error", "error", err)
	}
}

// convertSource turns a source record into a producer record. It fills rec,
// which the caller owns, to spare an allocation per record. The caller adds
// the record's topic and source position to errors.
func (c *connector) convertSource(ctx context.Context, r *connectors.SourceRecord, rec *producer.Record) error {
	if r.Topic == "" {
		return errors.New("the record has no topic")
	}
	rec.Topic, rec.Partition, rec.Timestamp = r.Topic, r.Partition, r.Timestamp
	if r.Timestamp.IsZero() {
		rec.Timestamp = time.Now()
	}
	var err error
	if rec.Key, err = c.conv.key.FromConnect(ctx, r.Topic, r.Headers, r.Key); err != nil {
		return &stageError{stageKeyConverter, c.conv.keyClass, fmt.Errorf("convert key with %s: %w", c.conv.keyClass, err)}
	}
	if rec.Value, err = c.conv.value.FromConnect(ctx, r.Topic, r.Headers, r.Value); err != nil {
		return &stageError{stageValueConverter, c.conv.valueClass, fmt.Errorf("convert value with %s: %w", c.conv.valueClass, err)}
	}
	if len(r.Headers) > 0 {
		rec.Headers = make([]sarama.RecordHeader, 0, len(r.Headers))
		for _, h := range r.Headers {
			b, err := c.conv.header.FromConnectHeader(ctx, r.Topic, h.Key, h.Value)
			if err != nil {
				return &stageError{stageHeaderConverter, c.conv.headerClass, fmt.Errorf("convert header %q: %w", h.Key, err)}
			}
			rec.Headers = append(rec.Headers, sarama.RecordHeader{Key: []byte(h.Key), Value: b})
		}
	}
	return nil
}

// sourcePosition names where a source record came from as the offsets file
// and the REST API show it: source partition {"filename":"test.txt"}
// offset {"position":9}.
func sourcePosition(r *connectors.SourceRecord) string {
	return "source partition " + jsonText(r.SourcePartition) + " offset " + jsonText(r.SourceOffset)
}

func jsonText(m map[string]any) string {
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Sprint(m)
	}
	return string(b)
}

// convertSink turns a consumed message into a sink record. Errors name the
// topic, partition and offset.
func (c *connector) convertSink(ctx context.Context, m *sarama.ConsumerMessage) (connectors.SinkRecord, error) {
	r := connectors.SinkRecord{
		Record: connectors.Record{Topic: m.Topic, Partition: m.Partition, Timestamp: m.Timestamp},
		Offset: m.Offset, OriginalTopic: m.Topic, OriginalPartition: m.Partition,
	}
	if len(m.Headers) > 0 {
		r.Headers = make(connectors.Headers, 0, len(m.Headers))
		for _, h := range m.Headers {
			v, err := c.conv.header.ToConnectHeader(ctx, m.Topic, string(h.Key), h.Value)
			if err != nil {
				return r, &stageError{stageHeaderConverter, c.conv.headerClass, fmt.Errorf("convert header %q of %s-%d offset %d: %w", h.Key, m.Topic, m.Partition, m.Offset, err)}
			}
			r.Headers = append(r.Headers, connectors.Header{Key: string(h.Key), Value: v})
		}
	}
	var err error
	if r.Key, err = c.conv.key.ToConnect(ctx, m.Topic, r.Headers, m.Key); err != nil {
		return r, &stageError{stageKeyConverter, c.conv.keyClass, fmt.Errorf("convert key of %s-%d offset %d with %s: %w", m.Topic, m.Partition, m.Offset, c.conv.keyClass, err)}
	}
	if r.Value, err = c.conv.value.ToConnect(ctx, m.Topic, r.Headers, m.Value); err != nil {
		return r, &stageError{stageValueConverter, c.conv.valueClass, fmt.Errorf("convert value of %s-%d offset %d with %s: %w", m.Topic, m.Partition, m.Offset, c.conv.valueClass, err)}
	}
	return r, nil
}
