// Package builtin assembles the registry of plugins compiled into
// connect-standalone: the FileStream connectors, the storage sinks, the
// JDBC connectors, the converters, and the transforms and predicates.
package builtin

import (
	"fmt"
	"io"

	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/connectors/converters"
	"github.com/connect-standalone/connect-standalone/connectors/file"
	"github.com/connect-standalone/connect-standalone/connectors/jdbc/sink"
	"github.com/connect-standalone/connect-standalone/connectors/jdbc/source"
	"github.com/connect-standalone/connect-standalone/connectors/storage/hdfs"
	"github.com/connect-standalone/connect-standalone/connectors/storage/s3"
	"github.com/connect-standalone/connect-standalone/connectors/transforms"
)

// New returns a new registry of the built-in plugins. stdin and stdout are
// what the FileStream source and sink use when no file is configured. It
// fails if two plugins of a kind claim the same class name, which a test
// guards against. The registry is read-only once returned and safe
// for concurrent reads.
func New(stdin io.Reader, stdout io.Writer) (*connectors.Registry, error) {
	plugins := []connectors.Plugin{
		file.SourcePlugin(stdin),
		file.SinkPlugin(stdout),
		hdfs.Plugin(),
		hdfs.Plugin3(),
		s3.Plugin(),
		sink.Plugin(),
		source.Plugin(),
	}
	plugins = append(plugins, converters.Plugins()...)
	plugins = append(plugins, transforms.Plugins()...)
	r := connectors.NewRegistry()
	for _, p := range plugins {
		if err := r.Register(p); err != nil {
			return nil, fmt.Errorf("build plugin registry: %w", err)
		}
	}
	return r, nil
}
