// Package format writes the files of Confluent's storage sinks (HDFS, S3):
// Avro object container files, Parquet, newline-delimited JSON, text and
// raw bytes. A Format is chosen by its Java class name (format.class); it
// makes one Writer per file.
//
// A file holds records of one value schema. Sinks rotate files when the
// schema changes: Write reports a record of another schema with
// ErrSchemaChanged and writes nothing, so the caller can close the file,
// open the next one and write the record there.
package format

import (
	"errors"
	"fmt"
	"io"

	"github.com/connect-standalone/connect-standalone/connectors"
)

// ErrSchemaChanged is returned (wrapped) by Writer.Write for a record whose
// value schema differs from that of the records already in the file.
var ErrSchemaChanged = errors.New("value schema changed")

// Format is one file format. It is immutable and safe for concurrent use.
type Format interface {
	// Extension is the file name extension, with its leading dot (".avro").
	Extension() string
	// NewWriter returns a Writer of a new file whose bytes go to w. The
	// Writer does not close w. Writing may begin at the first Write, when
	// the file's schema is known.
	NewWriter(w io.Writer) (Writer, error)
}

// Writer writes the records of one file. It is not safe for concurrent use.
type Writer interface {
	// Write appends the value of r. A value schema different from the
	// file's is reported with ErrSchemaChanged, and a value the format
	// cannot encode with another error; neither writes anything, so the
	// file stays valid. An error of the underlying io.Writer leaves the
	// file unusable. Writes may be buffered until Close.
	Write(r connectors.SinkRecord) error
	// Close writes what is buffered and the file's trailer, if any. It does
	// not close the underlying io.Writer. A Writer that received no record
	// may write nothing at all.
	Close() error
}

// schemaGuard remembers the value schema of a file's first record.
type schemaGuard struct {
	schema *connectors.Schema
	set    bool
}

// check accepts s when it is the file's schema, and sets it for the first
// record. It reports whether this was the first record.
func (g *schemaGuard) check(s *connectors.Schema) (first bool, err error) {
	if !g.set {
		g.schema, g.set = s, true
		return true, nil
	}
	if g.schema == s || connectors.SchemaEqual(g.schema, s) {
		return false, nil
	}
	return false, fmt.Errorf("%w: file holds %s, record has %s", ErrSchemaChanged, describe(g.schema), describe(s))
}

func describe(s *connectors.Schema) string {
	switch {
	case s == nil:
		return "schemaless values"
	case s.Name != "":
		return fmt.Sprintf("%s %s", s.Type, s.Name)
	}
	return string(s.Type)
}
