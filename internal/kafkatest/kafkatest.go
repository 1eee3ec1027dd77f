// Package kafkatest starts an in-process Kafka-protocol broker for tests.
package kafkatest

import (
	"testing"

	"github.com/rcrowley/go-metrics"
	"github.com/twmb/franz-go/pkg/kfake"
)

func init() {
	// sarama's go-metrics meters start a ticker goroutine per client that
	// never stops; tests do not read the metrics.
	metrics.UseNilMetrics = true
}

// Cluster starts a one-broker kfake cluster on a random loopback port with
// topic auto-creation, closed when the test ends. It returns the cluster and
// its bootstrap address.
func Cluster(t testing.TB, opts ...kfake.Opt) (*kfake.Cluster, string) {
	t.Helper()
	opts = append([]kfake.Opt{kfake.NumBrokers(1), kfake.AllowAutoTopicCreation(), kfake.DefaultNumPartitions(1)}, opts...)
	c, err := kfake.NewCluster(opts...)
	if err != nil {
		t.Fatalf("start kfake cluster: %v", err)
	}
	t.Cleanup(c.Close)
	return c, c.ListenAddrs()[0]
}
