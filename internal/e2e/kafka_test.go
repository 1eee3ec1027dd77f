package e2e

import (
	"strings"
	"testing"

	"github.com/IBM/sarama"
)

// TestKafkaSubcommand runs the broker on its own on a free port, reads the
// address it prints, sends a record through it and stops it with SIGTERM.
func TestKafkaSubcommand(t *testing.T) {
	needBinary(t)
	t.Parallel()
	p := run(t, t.TempDir(), false, "kafka", "--listen", "127.0.0.1:0")

	var addr string
	eventually(t, p, startDeadline, "the listening line on stdout", func() bool {
		line, _, complete := strings.Cut(p.stdout.String(), "\n")
		addr, complete = strings.CutPrefix(line, "listening on ")
		return complete && addr != ""
	})
	if !strings.HasPrefix(addr, "127.0.0.1:") || strings.HasSuffix(addr, ":0") {
		t.Fatalf("printed address %q, want 127.0.0.1 and the port picked", addr)
	}

	cfg := sarama.NewConfig()
	cfg.Producer.Return.Successes = true
	producer, err := sarama.NewSyncProducer([]string{addr}, cfg)
	if err != nil {
		t.Fatalf("connect a producer to %s: %v", addr, err)
	}
	if _, _, err := producer.SendMessage(&sarama.ProducerMessage{
		Topic: "lab", Key: sarama.StringEncoder("k"), Value: sarama.StringEncoder("hello"),
	}); err != nil {
		t.Fatalf("produce: %v", err)
	}
	if err := producer.Close(); err != nil {
		t.Fatal(err)
	}
	got := consume(t, addr, "lab", 1)
	if string(got[0].Key) != "k" || string(got[0].Value) != "hello" {
		t.Errorf("consumed %q=%q, want k=hello", got[0].Key, got[0].Value)
	}

	p.stop(t)
	if out := p.stdout.String(); out != "listening on "+addr+"\n" {
		t.Errorf("stdout = %q, want only the listening line", out)
	}
}
