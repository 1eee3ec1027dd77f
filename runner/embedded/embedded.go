// Package embedded runs an in-process, in-memory Kafka-protocol broker so a
// worker can be tried without installing Kafka. Nothing it stores survives
// Close: it is for labs, demos and tests, never for data that matters.
package embedded

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"syscall"

	"github.com/twmb/franz-go/pkg/kfake"
)

// ClusterID is the cluster id the embedded broker reports to clients.
const ClusterID = "connect-standalone-embedded"

// Broker is a running embedded broker. Its methods are safe for concurrent use.
type Broker struct {
	cluster *kfake.Cluster
	addr    string
}

// Start listens on addr (host:port, as in the first bootstrap.servers entry)
// and serves the Kafka protocol from memory: one broker, topics created on
// first use with one partition. It returns once the broker accepts
// connections; the caller owns the Broker and must Close it.
//
// The broker advertises, in metadata, the address it actually bound to, so a
// client that bootstrapped through a host name (localhost) reconnects to an
// address that is certainly listening. An unspecified host ("", 0.0.0.0, ::)
// listens on every interface and advertises 127.0.0.1. Port 0 picks a free
// port; Addr reports it.
func Start(addr string, logger *slog.Logger) (*Broker, error) {
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("start embedded kafka: address %q is not host:port: %w", addr, err)
	}
	port, err := strconv.ParseUint(portStr, 10, 16)
	if err != nil {
		return nil, fmt.Errorf("start embedded kafka: address %q has an invalid port", addr)
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}

	var advertised string
	listen := func(network, _ string) (net.Listener, error) {
		// kfake asks for 127.0.0.1:<port>; we honour the user's host instead.
		ln, err := net.Listen(network, net.JoinHostPort(host, strconv.Itoa(int(port))))
		if err != nil {
			return nil, err
		}
		advertised = advertise(ln.Addr())
		return &advertisedListener{Listener: ln, addr: advertisedAddr{ln.Addr(), advertised}}, nil
	}
	c, err := kfake.NewCluster(
		kfake.NumBrokers(1),
		kfake.Ports(int(port)),
		kfake.ListenFn(listen),
		kfake.ClusterID(ClusterID),
		kfake.AllowAutoTopicCreation(),
		kfake.DefaultNumPartitions(1),
		kfake.WithLogger(kfakeLogger{logger}),
	)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return nil, fmt.Errorf("start embedded kafka: %s is already in use (is a Kafka broker already running there?): %w", addr, err)
		}
		return nil, fmt.Errorf("start embedded kafka on %s: %w", addr, err)
	}
	logger.Warn("embedded Kafka broker keeps data in memory only: not durable, for labs and tests",
		"listen", addr, "advertised", advertised, "cluster.id", ClusterID)
	return &Broker{cluster: c, addr: advertised}, nil
}

// Addr returns the host:port the broker advertises to clients.
func (b *Broker) Addr() string { return b.addr }

// Close stops the broker, dropping every connection and all data. It does
// not block on clients and is safe to call more than once.
func (b *Broker) Close() { b.cluster.Close() }

// advertise picks the host clients are told to reconnect to: the bound IP,
// or loopback when the listener took every interface.
func advertise(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return a.String()
	}
	ip := tcp.IP
	if ip == nil || ip.IsUnspecified() {
		ip = net.IPv4(127, 0, 0, 1)
	}
	return net.JoinHostPort(ip.String(), strconv.Itoa(tcp.Port))
}

// advertisedListener reports the advertised address from Addr, which kfake
// copies into metadata, find-coordinator and describe-cluster responses.
type advertisedListener struct {
	net.Listener
	addr advertisedAddr
}

func (l *advertisedListener) Addr() net.Addr { return l.addr }

type advertisedAddr struct {
	net.Addr
	s string
}

func (a advertisedAddr) String() string { return a.s }

// kfakeLogger routes kfake's logs to slog. kfake logs every request at its
// info level, which is debug detail for a worker's user.
type kfakeLogger struct{ l *slog.Logger }

func (k kfakeLogger) Logf(level kfake.LogLevel, msg string, args ...any) {
	var lvl slog.Level
	switch level {
	case kfake.LogLevelError:
		lvl = slog.LevelError
	case kfake.LogLevelWarn:
		lvl = slog.LevelWarn
	case kfake.LogLevelNone:
		return
	default:
		lvl = slog.LevelDebug
	}
	if !k.l.Enabled(context.Background(), lvl) {
		return
	}
	k.l.Log(context.Background(), lvl, fmt.Sprintf(msg, args...))
}
