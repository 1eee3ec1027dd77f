// Package transforms holds the Single Message Transforms and predicates
// Kafka ships in org.apache.kafka.connect.transforms, configured with the
// same class names and keys and giving the same records.
//
// A transform never changes the record it is given: it builds new
// StructValues, maps and header lists, and shares only what it leaves as
// it was. Schemas a transform derives from an input schema are cached per
// input schema, as Kafka caches them, so a stream of records with one
// schema costs one schema build.
//
// Schemaless values follow Kafka's rules: a Map is a map[string]any (a
// map[any]any whose keys are all strings is read as one) and a transform
// that builds a map builds a map[string]any.
package transforms
