// Package e2e runs the connect-standalone binary the way users do, with
// files in a directory, against an embedded or in-process Kafka broker.
// Its tests are skipped under -short.
package e2e
