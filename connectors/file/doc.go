// Package file holds Kafka Connect's FileStream connectors:
// org.apache.kafka.connect.file.FileStreamSourceConnector, which turns each
// line of a file (or of standard input) into a record, and
// org.apache.kafka.connect.file.FileStreamSinkConnector, which appends each
// record's value as a line to a file (or to standard output).
//
// Configuration keys, class names and the source partition and offset maps
// are Kafka's, so existing .properties files and offsets keep working. The
// behaviour differs from Kafka's where Kafka's is a bug:
//
//   - Source offsets are byte offsets of the end of each emitted line, so a
//     restart resumes exactly after the last committed line, whatever the
//     encoding (Kafka counts UTF-16 characters but seeks in bytes).
//   - Lines of any length are read; lines already buffered are returned by
//     the next Poll without waiting for the file to grow.
//   - A lone '\r' ends a line even when it is the last byte written so far,
//     without ever producing the line twice or an extra empty line when a
//     '\n' follows later.
//   - Line bytes are passed through unchanged: invalid UTF-8 is neither
//     rejected nor replaced by the task. The StringConverter then writes
//     U+FFFD for each malformed sequence, exactly as Kafka's worker does
//     after reading the file as UTF-8, so Kafka holds the same bytes from
//     either worker.
//   - Growth of the file wakes a waiting Poll at once (a watch on the
//     file's directory, backed by polling), instead of after a 1 s sleep.
//   - When standard input ends, its unterminated last line is emitted; a
//     file's unterminated last line waits for its terminator, as in Kafka.
//   - A rotated file is noticed and logged, instead of being read from a
//     position that belongs to its old content or, once replaced or
//     deleted, never read again: after the last line of the old file, a
//     file truncated below the read position, renamed over or deleted and
//     created again is read from its start, as tail -F does.
//   - The sink's Flush fsyncs the file, so committed consumer offsets never
//     run ahead of data on disk, and []byte values are written raw instead
//     of Java's "[B@1b6d3586".
package file
