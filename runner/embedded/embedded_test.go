package embedded

import (
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/IBM/sarama"
	"github.com/rcrowley/go-metrics"
)

func TestMain(m *testing.M) {
	// sarama's meters start a goroutine per client that never stops.
	metrics.UseNilMetrics = true
	m.Run()
}

// freeAddr returns a loopback address with a port nobody listens on now.
func freeAddr(t *testing.T, host string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return net.JoinHostPort(host, strconv.Itoa(port))
}

func start(t *testing.T, addr string) *Broker {
	t.Helper()
	b, err := Start(addr, nil)
	if err != nil {
		t.Fatalf("Start(%q): %v", addr, err)
	}
	t.Cleanup(b.Close)
	return b
}

func TestProduceConsume(t *testing.T) {
	for _, host := range []string{"127.0.0.1", "localhost"} {
		t.Run(host, func(t *testing.T) {
			addr := freeAddr(t, host)
			b := start(t, addr)
			// A host name is advertised as the loopback IP it resolved to.
			_, port, _ := net.SplitHostPort(addr)
			advHost, advPort, err := net.SplitHostPort(b.Addr())
			if ip := net.ParseIP(advHost); err != nil || ip == nil || !ip.IsLoopback() || advPort != port {
				t.Fatalf("Addr() = %q, want a loopback IP with port %s", b.Addr(), port)
			}

			cfg := sarama.NewConfig()
			cfg.Version = sarama.V2_8_0_0
			cfg.Producer.Return.Successes = true
			cfg.Producer.RequiredAcks = sarama.WaitForAll
			client, err := sarama.NewClient([]string{addr}, cfg)
			if err != nil {
				t.Fatalf("connect: %v", err)
			}
			defer client.Close()

			// Clients reconnect to what metadata advertises, not to the bootstrap address.
			for _, br := range client.Brokers() {
				if br.Addr() != b.Addr() {
					t.Errorf("metadata advertises %q, want %q", br.Addr(), b.Addr())
				}
			}
			if id, err := clusterID(client); err != nil || id != ClusterID {
				t.Errorf("cluster id = %q, %v; want %q", id, err, ClusterID)
			}

			p, err := sarama.NewSyncProducerFromClient(client)
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			want := []string{"foo", "bar", "baz"}
			for _, v := range want {
				if _, _, err := p.SendMessage(&sarama.ProducerMessage{Topic: "connect-test", Value: sarama.StringEncoder(v)}); err != nil {
					t.Fatalf("produce %q: %v", v, err)
				}
			}
			parts, err := client.Partitions("connect-test")
			if err != nil || len(parts) != 1 {
				t.Fatalf("auto-created topic partitions = %v, %v; want one", parts, err)
			}

			c, err := sarama.NewConsumerFromClient(client)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			pc, err := c.ConsumePartition("connect-test", 0, sarama.OffsetOldest)
			if err != nil {
				t.Fatal(err)
			}
			defer pc.Close()
			for i, w := range want {
				select {
				case m := <-pc.Messages():
					if string(m.Value) != w || m.Offset != int64(i) {
						t.Fatalf("record %d = %q at %d, want %q at %d", i, m.Value, m.Offset, w, i)
					}
				case err := <-pc.Errors():
					t.Fatalf("consume: %v", err)
				case <-time.After(30 * time.Second):
					t.Fatalf("timed out waiting for record %d", i)
				}
			}
		})
	}
}

func clusterID(client sarama.Client) (string, error) {
	md, err := client.LeastLoadedBroker().GetMetadata(&sarama.MetadataRequest{Version: 7})
	if err != nil {
		return "", err
	}
	if md.ClusterID == nil {
		return "", nil
	}
	return *md.ClusterID, nil
}

func TestStartAddressInUse(t *testing.T) {
	addr := freeAddr(t, "127.0.0.1")
	start(t, addr)
	b, err := Start(addr, nil)
	if err == nil {
		b.Close()
		t.Fatalf("second Start(%q) succeeded, want an error", addr)
	}
	if !strings.Contains(err.Error(), addr) || !strings.Contains(err.Error(), "already in use") {
		t.Errorf("error %q should name %s and say it is already in use", err, addr)
	}
}

func TestStartBadAddress(t *testing.T) {
	for _, addr := range []string{"localhost", "localhost:port", "localhost:70000"} {
		if b, err := Start(addr, nil); err == nil {
			b.Close()
			t.Errorf("Start(%q) succeeded, want an error", addr)
		} else if !strings.Contains(err.Error(), addr) {
			t.Errorf("Start(%q) error %q should name the address", addr, err)
		}
	}
}

func TestCloseTwice(t *testing.T) {
	b := start(t, freeAddr(t, "127.0.0.1"))
	b.Close()
	b.Close()
}

func TestAdvertise(t *testing.T) {
	tests := []struct {
		in   net.Addr
		want string
	}{
		{&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 9092}, "127.0.0.1:9092"},
		{&net.TCPAddr{IP: net.IPv4zero, Port: 9092}, "127.0.0.1:9092"},
		{&net.TCPAddr{IP: net.IPv6unspecified, Port: 9092}, "127.0.0.1:9092"},
		{&net.TCPAddr{IP: net.IPv6loopback, Port: 9092}, "[::1]:9092"},
		{&net.TCPAddr{IP: net.IPv4(192, 0, 2, 7), Port: 19092}, "192.0.2.7:19092"},
	}
	for _, tt := range tests {
		if got := advertise(tt.in); got != tt.want {
			t.Errorf("advertise(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
