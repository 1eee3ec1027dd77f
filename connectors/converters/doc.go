// Package converters holds Kafka Connect's built-in converters, written to
// produce and accept the same bytes as Kafka's Java classes:
//
//   - StringConverter (org.apache.kafka.connect.storage.StringConverter)
//   - ByteArrayConverter (org.apache.kafka.connect.converters.ByteArrayConverter)
//   - JsonConverter (org.apache.kafka.connect.json.JsonConverter)
//   - SimpleHeaderConverter (org.apache.kafka.connect.storage.SimpleHeaderConverter)
//   - ShortConverter, IntegerConverter, LongConverter, FloatConverter,
//     DoubleConverter and BooleanConverter (org.apache.kafka.connect.converters)
//
// Each converter is built from its prefix-stripped config map, which the
// runtime completes with connectors.ConverterTypeKey. Plugins lists them all
// for the registry.
//
// Values follow the Go types documented on connectors.Schema. Where Kafka
// holds a Java object that this package has no Go type for yet (Struct,
// BigDecimal, java.util.Date), conversion fails with a *DataError that wraps
// ErrUnsupported instead of guessing.
//
// Every converter is immutable once built and safe for concurrent use; none
// of them blocks or does I/O, so the ctx they take is unused.
package converters
