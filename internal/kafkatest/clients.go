package kafkatest

import (
	"testing"

	"github.com/IBM/sarama"
)

// Produce sends values to topic, one record each, waiting for each
// acknowledgement.
func Produce(t testing.TB, addr, topic string, values ...string) {
	t.Helper()
	cfg := sarama.NewConfig()
	cfg.Producer.Return.Successes = true
	p, err := sarama.NewSyncProducer([]string{addr}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	for _, v := range values {
		if _, _, err := p.SendMessage(&sarama.ProducerMessage{Topic: topic, Value: sarama.StringEncoder(v)}); err != nil {
			t.Fatal(err)
		}
	}
}

// CommittedOffset is group's committed offset of partition 0 of topic, or
// -1 while there is none (the group may not exist yet).
func CommittedOffset(t testing.TB, addr, group, topic string) int64 {
	t.Helper()
	admin, err := sarama.NewClusterAdmin([]string{addr}, sarama.NewConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	resp, err := admin.ListConsumerGroupOffsets(group, map[string][]int32{topic: {0}})
	if err != nil {
		return -1
	}
	if b := resp.GetBlock(topic, 0); b != nil {
		return b.Offset
	}
	return -1
}
