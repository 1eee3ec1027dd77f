package kafkatest

import (
	"encoding/binary"
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/twmb/franz-go/pkg/kfake"
)

// Proxy relays the Kafka protocol between clients and a kfake broker that
// advertises the proxy's address, so every connection, bootstrap or not,
// passes through it. It can break connections at chosen moments, as a
// network or a broker failure would.
type Proxy struct {
	ln      net.Listener
	backend string

	mu    sync.Mutex
	conns map[net.Conn]struct{}

	lose atomic.Int32 // produce responses still to lose
	lost atomic.Int32 // produce responses lost so far
	down atomic.Bool  // refuse every connection, as an unreachable broker
}

// ClusterBehindProxy starts a one-broker kfake cluster, as Cluster does,
// reachable only through a Proxy. It returns the cluster, the proxy and the
// bootstrap address (the proxy's).
func ClusterBehindProxy(t testing.TB, opts ...kfake.Opt) (*kfake.Cluster, *Proxy, string) {
	t.Helper()
	front, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("proxy listen: %v", err)
	}
	p := &Proxy{ln: front, conns: make(map[net.Conn]struct{})}
	listen := func(network, _ string) (net.Listener, error) {
		back, err := net.Listen(network, "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		p.backend = back.Addr().String()
		return &advertised{Listener: back, addr: front.Addr()}, nil
	}
	c, _ := Cluster(t, append([]kfake.Opt{kfake.ListenFn(listen)}, opts...)...)
	go p.accept()
	t.Cleanup(p.close)
	return c, p, front.Addr().String()
}

// advertised makes kfake put the proxy's address in its metadata.
type advertised struct {
	net.Listener
	addr net.Addr
}

func (a *advertised) Addr() net.Addr { return a.addr }

// LoseProduceResponses makes the proxy drop the connection instead of
// relaying the next n produce responses: the broker has written the
// records, the client never hears so.
func (p *Proxy) LoseProduceResponses(n int) { p.lose.Add(int32(n)) }

// Lost is the number of produce responses lost so far.
func (p *Proxy) Lost() int { return int(p.lost.Load()) }

// CutAll closes every open connection, as a broker restart would.
func (p *Proxy) CutAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.conns {
		c.Close()
	}
}

// SetDown makes the broker unreachable, closing every connection and
// refusing new ones, or reachable again.
func (p *Proxy) SetDown(down bool) {
	p.down.Store(down)
	if down {
		p.CutAll()
	}
}

func (p *Proxy) close() {
	p.ln.Close()
	p.CutAll()
}

func (p *Proxy) track(conns ...net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range conns {
		p.conns[c] = struct{}{}
	}
}

func (p *Proxy) accept() {
	for {
		client, err := p.ln.Accept()
		if err != nil {
			return
		}
		if p.down.Load() {
			client.Close()
			continue
		}
		broker, err := net.Dial("tcp", p.backend)
		if err != nil {
			client.Close()
			continue
		}
		p.track(client, broker)
		go p.relay(client, broker)
	}
}

// relay copies frames both ways, remembering the correlation ids of produce
// requests whose responses are to be lost.
func (p *Proxy) relay(client, broker net.Conn) {
	var mu sync.Mutex
	doomed := make(map[int32]bool)
	stop := func() {
		client.Close()
		broker.Close()
		p.mu.Lock()
		delete(p.conns, client)
		delete(p.conns, broker)
		p.mu.Unlock()
	}
	go func() {
		defer stop()
		for {
			frame, err := readFrame(client)
			if err != nil {
				return
			}
			// Request header: api key int16, api version int16, correlation id int32.
			if len(frame) >= 12 && binary.BigEndian.Uint16(frame[4:]) == 0 && p.lose.Add(-1) >= 0 {
				mu.Lock()
				doomed[int32(binary.BigEndian.Uint32(frame[8:]))] = true
				mu.Unlock()
			} else if p.lose.Load() < 0 {
				p.lose.Store(0)
			}
			if _, err := broker.Write(frame); err != nil {
				return
			}
		}
	}()
	defer stop()
	for {
		frame, err := readFrame(broker)
		if err != nil {
			return
		}
		// Response header: correlation id int32.
		mu.Lock()
		lose := len(frame) >= 8 && doomed[int32(binary.BigEndian.Uint32(frame[4:]))]
		mu.Unlock()
		if lose {
			p.lost.Add(1)
			return
		}
		if _, err := client.Write(frame); err != nil {
			return
		}
	}
}

// readFrame reads one size-prefixed Kafka frame, size included.
func readFrame(r io.Reader) ([]byte, error) {
	var size [4]byte
	if _, err := io.ReadFull(r, size[:]); err != nil {
		return nil, err
	}
	n := binary.BigEndian.Uint32(size[:])
	if n > 512<<20 {
		return nil, errors.New("frame too large")
	}
	frame := make([]byte, 4+n)
	copy(frame, size[:])
	_, err := io.ReadFull(r, frame[4:])
	return frame, err
}
