package runner

import (
	"math/rand/v2"

	"github.com/IBM/sarama"
)

// stickyBatchBytes is how much keyless data goes to one partition before the
// partitioner moves on, like the Java producer's sticky partitioner that
// switches partition when a batch fills: records spread over partitions while
// requests stay full.
const stickyBatchBytes = 16384

// stickyPartitioner chooses partitions as Kafka's Java producer does: an
// explicit partition wins, a key is hashed with murmur2 (so keys land where a
// Java producer puts them), and keyless records stick to one partition per
// batch. sarama calls it from one goroutine per topic.
type stickyPartitioner struct {
	keyed   sarama.Partitioner
	current int32
	filled  int
}

func newStickyPartitioner(topic string) sarama.Partitioner {
	return &stickyPartitioner{keyed: sarama.NewMurmur2Partitioner(topic), current: -1}
}

func (p *stickyPartitioner) Partition(m *sarama.ProducerMessage, n int32) (int32, error) {
	if f, ok := m.Metadata.(*inflight); ok && f.partition >= 0 {
		return f.partition, nil
	}
	if m.Key != nil {
		return p.keyed.Partition(m, n)
	}
	if p.current < 0 || p.current >= n || p.filled >= stickyBatchBytes {
		p.current = rand.Int32N(n)
		p.filled = 0
	}
	if m.Value != nil {
		p.filled += m.Value.Length()
	}
	return p.current, nil
}

// RequiresConsistency is true: explicit partitions and keys must not be
// re-hashed to another partition on retry.
func (p *stickyPartitioner) RequiresConsistency() bool { return true }

// MessageRequiresConsistency lets sarama move a keyless record off an
// unavailable partition, as the Java producer does.
func (p *stickyPartitioner) MessageRequiresConsistency(m *sarama.ProducerMessage) bool {
	if f, ok := m.Metadata.(*inflight); ok && f.partition >= 0 {
		return true
	}
	return m.Key != nil
}
