package file

import (
	"context"
	"io"
	"maps"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// Class names, as Kafka spells them.
const (
	SourceClass = "org.apache.kafka.connect.file.FileStreamSourceConnector"
	SinkClass   = "org.apache.kafka.connect.file.FileStreamSinkConnector"
)

// Configuration keys of the FileStream connectors, spelled as in Kafka.
const (
	KeyFile      = "file"       // source and sink: the file; unset or blank means stdin / stdout
	KeyTopic     = "topic"      // source: the topic records are written to
	KeyBatchSize = "batch.size" // source: the most records one Poll returns
)

// Source partition and offset map keys, as Kafka writes them in the offsets store.
const (
	partitionFilename = "filename"
	offsetPosition    = "position"
)

// Log attribute keys.
const (
	attrFile   = "file"
	attrOffset = "offset"
	attrError  = "error"
)

// defaultBatchSize is Kafka's default for batch.size.
const defaultBatchSize = 2000

func sourceDef() *config.Def {
	return &config.Def{Keys: []config.Key{
		{
			Name:       KeyFile,
			Type:       config.String,
			Importance: config.High,
			Doc:        "Path of the file to read, one record per line. When unset or blank, lines are read from standard input.",
		},
		{
			Name:       KeyTopic,
			Type:       config.String,
			Required:   true,
			Validate:   config.NonEmptyString(),
			Importance: config.High,
			Doc:        "Topic that every line is written to.",
		},
		{
			Name:       KeyBatchSize,
			Type:       config.Int,
			Default:    int32(defaultBatchSize),
			Importance: config.Low,
			Doc:        "Largest number of lines returned by one poll of the task. Values below 1 act as 1.",
		},
	}}
}

// SourcePlugin returns the FileStreamSourceConnector plugin. Tasks configured
// without a file read lines from stdin.
//
// stdin is read by one goroutine, started when the first task that needs it
// starts, that lives until stdin returns an error or io.EOF: a read blocked
// on a pipe or terminal cannot be interrupted, so the goroutine belongs to
// the plugin rather than to a task, and data it has read is handed to
// whichever task reads stdin next, never dropped. Only one task should read
// stdin at a time. stdin may be nil when no input stream exists; such tasks
// then fail to start.
func SourcePlugin(stdin io.Reader) connectors.Plugin {
	def := sourceDef()
	in := &stdinSource{r: stdin}
	return connectors.Plugin{
		Class:   SourceClass,
		Kind:    connectors.KindSource,
		Version: connectors.Version,
		Def:     def,
		NewSource: func() connectors.SourceConnector {
			return &sourceConnector{def: def, stdin: in}
		},
	}
}

// sourceConnector only describes the work: one task reads the one file.
type sourceConnector struct {
	def   *config.Def
	stdin *stdinSource
	props map[string]string
}

func (c *sourceConnector) Config() *config.Def { return c.def }

func (c *sourceConnector) Start(ctx context.Context, cc connectors.ConnectorContext, cfg config.Values) error {
	c.props = maps.Clone(cfg.Raw())
	from := cfg.String(KeyFile)
	if from == "" {
		from = "standard input"
	}
	if cc != nil && cc.Logger() != nil {
		cc.Logger().Info("starting file source connector reading from " + from)
	}
	return nil
}

// TaskConfigs returns one config whatever maxTasks is: a file is read by a
// single task. The config is the connector's full config, as Kafka passes it.
func (c *sourceConnector) TaskConfigs(maxTasks int) ([]map[string]string, error) {
	return []map[string]string{maps.Clone(c.props)}, nil
}

func (c *sourceConnector) Stop(ctx context.Context) error { return nil }

func (c *sourceConnector) NewTask() connectors.SourceTask {
	return newSourceTask(c.def, c.stdin)
}
