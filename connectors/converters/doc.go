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
// Values follow the Go types documented on connectors.Schema: Struct values
// are *connectors.StructValue, Decimals connectors.Decimal, and Date, Time
// and Timestamp values time.Time in UTC.
//
// Every converter is immutable once built and safe for concurrent use; none
// of them blocks or does I/O, so the ctx they take is unused.
package converters
