package runner

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/IBM/sarama"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/internal/kafkatest"
	"github.com/connect-standalone/connect-standalone/runner/producer"
)

// The secrets of these tests: no error may contain them.
const (
	saslPassword  = "sasl-Pa55word-7d1e"
	storePassword = "store-Pa55word-41c9"
	wrongPassword = "wrong-Pa55word-a0b3"
)

const (
	plainJAAS = plainLoginModule + ` required username="alice" password="` + saslPassword + `";`
	scramJAAS = scramLoginModule + ` required username="alice" password="` + saslPassword + `";`
)

// pki is what a test's broker and client are given.
type pki struct {
	dir       string
	ca        *kafkatest.CA
	server    *kafkatest.Cert // for 127.0.0.1, where kfake listens
	wrongHost *kafkatest.Cert // for another host
	clientCA  *kafkatest.CA
	client    *kafkatest.Cert
}

func newPKI(t *testing.T) *pki {
	ca, clientCA := kafkatest.NewCA(t, "broker-ca"), kafkatest.NewCA(t, "client-ca")
	return &pki{
		dir:       t.TempDir(),
		ca:        ca,
		server:    ca.Issue(t, "127.0.0.1", "localhost"),
		wrongHost: ca.Issue(t, "broker.invalid"),
		clientCA:  clientCA,
		client:    clientCA.Issue(t, "client"),
	}
}

func (p *pki) truststore(t *testing.T, typ string) map[string]string {
	path := kafkatest.WriteTruststore(t, p.dir, typ, storePassword, p.ca.Cert)
	m := map[string]string{"ssl.truststore.type": typ, "ssl.truststore.location": path}
	if typ != "PEM" {
		m["ssl.truststore.password"] = storePassword
	}
	return m
}

func (p *pki) keystore(t *testing.T, typ string) map[string]string {
	path := kafkatest.WriteKeystore(t, p.dir, typ, storePassword, p.client)
	m := map[string]string{"ssl.keystore.type": typ, "ssl.keystore.location": path}
	if typ != "PEM" {
		m["ssl.keystore.password"] = storePassword
	}
	return m
}

// merge joins key maps, later ones winning.
func merge(ms ...map[string]string) map[string]string {
	out := make(map[string]string)
	for _, m := range ms {
		maps.Copy(out, m)
	}
	return out
}

// prefixed puts keys under each prefix, as a properties file spells them.
func prefixed(keys map[string]string, prefixes ...string) map[string]string {
	out := make(map[string]string)
	for _, p := range prefixes {
		for k, v := range keys {
			out[p+k] = v
		}
	}
	return out
}

// clientLayers are a source's producer layers and a sink's consumer layers,
// built from a worker file and a connector file as the runner builds them.
func clientLayers(worker, connector map[string]string) (prod, cons []map[string]string) {
	prod = []map[string]string{config.Subset(worker, "producer."), config.Subset(connector, "producer.override.")}
	cons = []map[string]string{config.Subset(worker, "consumer."), config.Subset(connector, "consumer.override.")}
	return prod, cons
}

// roundTrip produces a record with a producer built by producerConfig and
// reads it back with a consumer built by consumerConfig.
func roundTrip(t *testing.T, addr string, prod, cons []map[string]string) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 15*time.Second)
	defer cancel()
	po, _, err := producerConfig("secure-producer", prod...)
	if err != nil {
		return err
	}
	delivered := make(chan error, 1)
	po.OnDelivery = func(_ []*producer.Record, err error) {
		select {
		case delivered <- err:
		default:
		}
	}
	p, err := producer.New([]string{addr}, po)
	if err != nil {
		return err
	}
	defer p.Close(ctx)
	if _, err := p.Send(ctx, &producer.Record{Topic: "secure", Partition: -1, Value: []byte("hello")}); err != nil {
		return err
	}
	select {
	case err := <-delivered:
		if err != nil {
			return err
		}
	case <-ctx.Done():
		return ctx.Err()
	}

	cc, _, err := consumerConfig("secure-consumer", cons...)
	if err != nil {
		return err
	}
	c, err := sarama.NewConsumer([]string{addr}, cc)
	if err != nil {
		return err
	}
	defer c.Close()
	pc, err := c.ConsumePartition("secure", 0, sarama.OffsetOldest)
	if err != nil {
		return err
	}
	defer pc.Close()
	select {
	case m := <-pc.Messages():
		if string(m.Value) != "hello" {
			return fmt.Errorf("consumed %q, want hello", m.Value)
		}
		return nil
	case err := <-pc.Errors():
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func TestSecureProduceAndConsume(t *testing.T) {
	users := []kafkatest.User{
		{Mechanism: "PLAIN", Name: "alice", Password: saslPassword},
		{Mechanism: "SCRAM-SHA-256", Name: "alice", Password: saslPassword},
		{Mechanism: "SCRAM-SHA-512", Name: "alice", Password: saslPassword},
	}
	tests := []struct {
		name string
		// broker says how the broker is secured.
		broker func(p *pki) kafkatest.Security
		// files returns the worker's and the connector's properties.
		files func(t *testing.T, p *pki) (worker, connector map[string]string)
	}{
		{"SSL with a PEM truststore",
			func(p *pki) kafkatest.Security { return kafkatest.Security{Cert: p.server} },
			func(t *testing.T, p *pki) (map[string]string, map[string]string) {
				return prefixed(merge(map[string]string{"security.protocol": "SSL"}, p.truststore(t, "PEM")), "producer.", "consumer."), nil
			}},
		{"SSL with inline PEM certificates",
			func(p *pki) kafkatest.Security { return kafkatest.Security{Cert: p.server} },
			func(t *testing.T, p *pki) (map[string]string, map[string]string) {
				return prefixed(map[string]string{"security.protocol": "ssl", "ssl.truststore.type": "PEM",
					"ssl.truststore.certificates": string(kafkatest.CertsPEM(p.ca.Cert))}, "producer.", "consumer."), nil
			}},
		{"SSL with a JKS truststore",
			func(p *pki) kafkatest.Security { return kafkatest.Security{Cert: p.server} },
			func(t *testing.T, p *pki) (map[string]string, map[string]string) {
				return prefixed(merge(map[string]string{"security.protocol": "SSL"}, p.truststore(t, "JKS")), "producer.", "consumer."), nil
			}},
		{"SSL with a PKCS12 truststore",
			func(p *pki) kafkatest.Security { return kafkatest.Security{Cert: p.server} },
			func(t *testing.T, p *pki) (map[string]string, map[string]string) {
				return prefixed(merge(map[string]string{"security.protocol": "SSL"}, p.truststore(t, "PKCS12")), "producer.", "consumer."), nil
			}},
		{"SSL with a PKCS12 file under the default type, JKS, as Java reads it",
			func(p *pki) kafkatest.Security { return kafkatest.Security{Cert: p.server} },
			func(t *testing.T, p *pki) (map[string]string, map[string]string) {
				ts := p.truststore(t, "PKCS12")
				delete(ts, "ssl.truststore.type")
				return prefixed(merge(map[string]string{"security.protocol": "SSL"}, ts), "producer.", "consumer."), nil
			}},
		{"SSL with TLSv1.3 only",
			func(p *pki) kafkatest.Security { return kafkatest.Security{Cert: p.server} },
			func(t *testing.T, p *pki) (map[string]string, map[string]string) {
				return prefixed(merge(map[string]string{"security.protocol": "SSL", "ssl.protocol": "TLSv1.3", "ssl.enabled.protocols": "TLSv1.3"},
					p.truststore(t, "PEM")), "producer.", "consumer."), nil
			}},
		{"host name verification off accepts a certificate for another host",
			func(p *pki) kafkatest.Security { return kafkatest.Security{Cert: p.wrongHost} },
			func(t *testing.T, p *pki) (map[string]string, map[string]string) {
				return prefixed(merge(map[string]string{"security.protocol": "SSL", "ssl.endpoint.identification.algorithm": ""},
					p.truststore(t, "JKS")), "producer.", "consumer."), nil
			}},
		{"client certificate from a JKS keystore",
			func(p *pki) kafkatest.Security { return kafkatest.Security{Cert: p.server, ClientCA: p.clientCA} },
			func(t *testing.T, p *pki) (map[string]string, map[string]string) {
				return prefixed(merge(map[string]string{"security.protocol": "SSL"}, p.truststore(t, "JKS"), p.keystore(t, "JKS")), "producer.", "consumer."), nil
			}},
		{"client certificate from a PKCS12 keystore",
			func(p *pki) kafkatest.Security { return kafkatest.Security{Cert: p.server, ClientCA: p.clientCA} },
			func(t *testing.T, p *pki) (map[string]string, map[string]string) {
				return prefixed(merge(map[string]string{"security.protocol": "SSL"}, p.truststore(t, "PKCS12"), p.keystore(t, "PKCS12")), "producer.", "consumer."), nil
			}},
		{"client certificate from a PEM keystore file",
			func(p *pki) kafkatest.Security { return kafkatest.Security{Cert: p.server, ClientCA: p.clientCA} },
			func(t *testing.T, p *pki) (map[string]string, map[string]string) {
				return prefixed(merge(map[string]string{"security.protocol": "SSL"}, p.truststore(t, "PEM"), p.keystore(t, "PEM")), "producer.", "consumer."), nil
			}},
		{"client certificate from an inline PEM key and chain",
			func(p *pki) kafkatest.Security { return kafkatest.Security{Cert: p.server, ClientCA: p.clientCA} },
			func(t *testing.T, p *pki) (map[string]string, map[string]string) {
				return prefixed(merge(map[string]string{"security.protocol": "SSL", "ssl.keystore.type": "PEM",
					"ssl.keystore.certificate.chain": string(p.client.CertPEM()), "ssl.keystore.key": string(p.client.KeyPEM(t))},
					p.truststore(t, "PEM")), "producer.", "consumer."), nil
			}},
		{"SASL_PLAINTEXT with PLAIN",
			func(p *pki) kafkatest.Security { return kafkatest.Security{Users: users} },
			func(t *testing.T, p *pki) (map[string]string, map[string]string) {
				return prefixed(map[string]string{"security.protocol": "SASL_PLAINTEXT", "sasl.mechanism": "PLAIN", "sasl.jaas.config": plainJAAS}, "producer.", "consumer."), nil
			}},
		{"SASL_PLAINTEXT with SCRAM-SHA-256",
			func(p *pki) kafkatest.Security { return kafkatest.Security{Users: users} },
			func(t *testing.T, p *pki) (map[string]string, map[string]string) {
				return prefixed(map[string]string{"security.protocol": "SASL_PLAINTEXT", "sasl.mechanism": "SCRAM-SHA-256", "sasl.jaas.config": scramJAAS}, "producer.", "consumer."), nil
			}},
		{"SASL_PLAINTEXT with SCRAM-SHA-512",
			func(p *pki) kafkatest.Security { return kafkatest.Security{Users: users} },
			func(t *testing.T, p *pki) (map[string]string, map[string]string) {
				return prefixed(map[string]string{"security.protocol": "SASL_PLAINTEXT", "sasl.mechanism": "SCRAM-SHA-512", "sasl.jaas.config": scramJAAS}, "producer.", "consumer."), nil
			}},
		{"SASL_SSL with SCRAM-SHA-512 and a PKCS12 truststore",
			func(p *pki) kafkatest.Security { return kafkatest.Security{Cert: p.server, Users: users} },
			func(t *testing.T, p *pki) (map[string]string, map[string]string) {
				return prefixed(merge(map[string]string{"security.protocol": "SASL_SSL", "sasl.mechanism": "SCRAM-SHA-512", "sasl.jaas.config": scramJAAS},
					p.truststore(t, "PKCS12")), "producer.", "consumer."), nil
			}},
		{"SASL_SSL with PLAIN and a client certificate",
			func(p *pki) kafkatest.Security {
				return kafkatest.Security{Cert: p.server, ClientCA: p.clientCA, Users: users}
			},
			func(t *testing.T, p *pki) (map[string]string, map[string]string) {
				return prefixed(merge(map[string]string{"security.protocol": "SASL_SSL", "sasl.mechanism": "PLAIN", "sasl.jaas.config": plainJAAS},
					p.truststore(t, "JKS"), p.keystore(t, "PKCS12")), "producer.", "consumer."), nil
			}},
		{"the connector's overrides complete the worker's settings",
			func(p *pki) kafkatest.Security { return kafkatest.Security{Cert: p.server, Users: users} },
			func(t *testing.T, p *pki) (map[string]string, map[string]string) {
				worker := prefixed(merge(map[string]string{"security.protocol": "SASL_SSL", "sasl.mechanism": "PLAIN",
					"sasl.jaas.config": plainLoginModule + ` required username="nobody" password="nothing";`}, p.truststore(t, "PEM")), "producer.", "consumer.")
				connector := prefixed(map[string]string{"sasl.mechanism": "SCRAM-SHA-256", "sasl.jaas.config": scramJAAS}, "producer.override.", "consumer.override.")
				return worker, connector
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newPKI(t)
			_, addr := kafkatest.SecureCluster(t, tt.broker(p))
			prod, cons := clientLayers(tt.files(t, p))
			if err := roundTrip(t, addr, prod, cons); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// checkClient connects as the worker's start-up check does, once.
func checkClient(t *testing.T, addr string, worker map[string]string) error {
	t.Helper()
	c, _, err := adminConfig("check", worker)
	if err != nil {
		return err
	}
	c.Metadata.Retry.Max = 0
	return waitForKafka(t.Context(), []string{addr}, c, 100*time.Millisecond, slog.New(slog.DiscardHandler))
}

func TestSecureConnectionFailures(t *testing.T) {
	users := []kafkatest.User{{Mechanism: "SCRAM-SHA-256", Name: "alice", Password: saslPassword}}
	tests := []struct {
		name   string
		broker func(p *pki) kafkatest.Security
		worker func(t *testing.T, p *pki) map[string]string
		want   string
	}{
		{"a certificate for another host, host name verification on",
			func(p *pki) kafkatest.Security { return kafkatest.Security{Cert: p.wrongHost} },
			func(t *testing.T, p *pki) map[string]string {
				return merge(map[string]string{"security.protocol": "SSL"}, p.truststore(t, "PEM"))
			}, "x509: cannot validate certificate for 127.0.0.1"},
		{"a certificate for another host, explicit https",
			func(p *pki) kafkatest.Security { return kafkatest.Security{Cert: p.wrongHost} },
			func(t *testing.T, p *pki) map[string]string {
				return merge(map[string]string{"security.protocol": "SSL", "ssl.endpoint.identification.algorithm": "HTTPS"}, p.truststore(t, "PEM"))
			}, "x509: cannot validate certificate for 127.0.0.1"},
		{"no host name check still verifies the chain",
			func(p *pki) kafkatest.Security { return kafkatest.Security{Cert: p.wrongHost} },
			func(t *testing.T, p *pki) map[string]string {
				other := kafkatest.NewCA(t, "other")
				return map[string]string{"security.protocol": "SSL", "ssl.endpoint.identification.algorithm": "",
					"ssl.truststore.type": "PEM", "ssl.truststore.certificates": string(kafkatest.CertsPEM(other.Cert))}
			}, "unknown authority"},
		{"a broker signed by an untrusted CA",
			func(p *pki) kafkatest.Security { return kafkatest.Security{Cert: p.server} },
			func(t *testing.T, p *pki) map[string]string {
				other := kafkatest.NewCA(t, "other")
				return map[string]string{"security.protocol": "SSL",
					"ssl.truststore.location": kafkatest.WriteTruststore(t, p.dir, "JKS", storePassword, other.Cert), "ssl.truststore.password": storePassword}
			}, "unknown authority"},
		{"a wrong SASL password",
			func(p *pki) kafkatest.Security { return kafkatest.Security{Users: users} },
			func(t *testing.T, p *pki) map[string]string {
				return map[string]string{"security.protocol": "SASL_PLAINTEXT", "sasl.mechanism": "SCRAM-SHA-256",
					"sasl.jaas.config": scramLoginModule + ` required username="alice" password="` + wrongPassword + `";`}
			}, "security.protocol, ssl.* and sasl.* settings"},
		{"a broker that wants SASL, spoken to in plaintext",
			func(p *pki) kafkatest.Security { return kafkatest.Security{Users: users} },
			func(t *testing.T, p *pki) map[string]string { return nil },
			"check bootstrap.servers"},
		{"no client certificate for a broker that requires one",
			func(p *pki) kafkatest.Security { return kafkatest.Security{Cert: p.server, ClientCA: p.clientCA} },
			func(t *testing.T, p *pki) map[string]string {
				return merge(map[string]string{"security.protocol": "SSL"}, p.truststore(t, "PEM"))
			}, "cannot connect to Kafka"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newPKI(t)
			_, addr := kafkatest.SecureCluster(t, tt.broker(p))
			keys := tt.worker(t, p)
			err := checkClient(t, addr, keys)
			if err == nil || !errors.Is(err, ErrKafkaConnect) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want ErrKafkaConnect containing %q", err, tt.want)
			}
			// The same keys given to a source's producer.
			rtErr := roundTrip(t, addr, []map[string]string{keys}, []map[string]string{keys})
			if rtErr == nil {
				t.Fatal("a producer with the same keys connected")
			}
			for _, err := range []error{err, rtErr} {
				for _, secret := range []string{saslPassword, wrongPassword, storePassword} {
					if strings.Contains(err.Error(), secret) {
						t.Errorf("error %q holds a password", err)
					}
				}
			}
		})
	}
}

func TestWorkerCheckClientTakesAdminKeys(t *testing.T) {
	p := newPKI(t)
	_, addr := kafkatest.SecureCluster(t, kafkatest.Security{Cert: p.server,
		Users: []kafkatest.User{{Mechanism: "PLAIN", Name: "alice", Password: saslPassword}}})
	worker := merge(map[string]string{
		"bootstrap.servers":       addr,
		"offset.storage.filename": "/tmp/offsets",
		"key.converter":           "org.apache.kafka.connect.json.JsonConverter",
		"security.protocol":       "SASL_SSL",
		"sasl.mechanism":          "PLAIN",
		"sasl.jaas.config":        plainLoginModule + ` required username="alice" password="not-it";`,
		"producer.sasl.mechanism": "GSSAPI", // not the admin client's
		"admin.sasl.jaas.config":  plainJAAS,
		"admin.no.such.key":       "x",
	}, p.truststore(t, "PEM"))
	c, warns, err := adminConfig("check", worker)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(warns, ",") != "no.such.key" {
		t.Errorf("warnings = %v, want only the unknown admin.* key", warns)
	}
	if !c.Net.TLS.Enable || !c.Net.SASL.Enable || c.Net.SASL.Password != saslPassword {
		t.Fatalf("TLS %v, SASL %v: the admin.* keys should win over the worker's", c.Net.TLS.Enable, c.Net.SASL.Enable)
	}
	if err := checkClient(t, addr, worker); err != nil {
		t.Fatal(err)
	}
}

func TestSecurityConfigErrors(t *testing.T) {
	p := newPKI(t)
	jks := kafkatest.WriteTruststore(t, p.dir, "JKS", storePassword, p.ca.Cert)
	p12 := kafkatest.WriteTruststore(t, p.dir, "PKCS12", storePassword, p.ca.Cert)
	jksKey := kafkatest.WriteKeystore(t, p.dir, "JKS", storePassword, p.client)
	p12Key := kafkatest.WriteKeystore(t, p.dir, "PKCS12", storePassword, p.client)
	pemFile := kafkatest.WriteTruststore(t, p.dir, "PEM", "", p.ca.Cert)
	notAStore := filepath.Join(p.dir, "not-a-store")
	if err := os.WriteFile(notAStore, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	sasl := func(kv ...string) map[string]string {
		m := map[string]string{"security.protocol": "SASL_PLAINTEXT", "sasl.mechanism": "PLAIN", "sasl.jaas.config": plainJAAS}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	ssl := func(kv ...string) map[string]string {
		m := map[string]string{"security.protocol": "SSL"}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	tests := []struct {
		name string
		keys map[string]string
		want string // "" for no error
	}{
		{"unknown protocol", map[string]string{"security.protocol": "SASL_GSSAPI"}, `security.protocol="SASL_GSSAPI": expected PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL`},
		{"GSSAPI, Kafka's default mechanism", sasl("sasl.mechanism", ""), "sasl.mechanism is not set and Kafka's default, GSSAPI, is not supported"},
		{"GSSAPI", sasl("sasl.mechanism", "GSSAPI"), `sasl.mechanism="GSSAPI": not supported; use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512`},
		{"OAUTHBEARER", sasl("sasl.mechanism", "OAUTHBEARER"), `sasl.mechanism="OAUTHBEARER": not supported`},
		{"no JAAS config", sasl("sasl.jaas.config", ""), "sasl.jaas.config is required with SASL"},
		{"Kerberos login module", sasl("sasl.jaas.config", `com.sun.security.auth.module.Krb5LoginModule required useKeyTab=true keyTab="/k";`),
			"sasl.jaas.config: login module com.sun.security.auth.module.Krb5LoginModule is not supported"},
		{"OAuth login module", sasl("sasl.jaas.config", `org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;`),
			"OAuthBearerLoginModule is not supported"},
		{"JAAS config without a password", sasl("sasl.jaas.config", plainLoginModule+` required username="alice";`), "sasl.jaas.config: the login module has no password option"},
		{"JAAS config without a flag", sasl("sasl.jaas.config", plainLoginModule+` username="alice" password="`+saslPassword+`";`), "sasl.jaas.config: expected a control flag"},
		{"JAAS config with an unclosed quote", sasl("sasl.jaas.config", plainLoginModule+` required username="alice" password="`+saslPassword), "sasl.jaas.config: quoted value is not closed"},
		{"JAAS config with a bare password broken by a space", sasl("sasl.jaas.config", plainLoginModule+` required password=`+saslPassword+` `+saslPassword+`;`), "sasl.jaas.config: expected = after an option name"},
		{"JAAS config with two modules", sasl("sasl.jaas.config", plainJAAS+" "+scramJAAS), "exactly one login module"},
		{"SCRAM delegation tokens", sasl("sasl.mechanism", "SCRAM-SHA-256", "sasl.jaas.config", scramLoginModule+` required username="a" password="b" tokenauth="true";`), "tokenauth=true"},
		{"wrong JKS truststore password", ssl("ssl.truststore.location", jks, "ssl.truststore.password", wrongPassword), "ssl.truststore.password is wrong"},
		{"wrong PKCS12 truststore password", ssl("ssl.truststore.type", "PKCS12", "ssl.truststore.location", p12, "ssl.truststore.password", wrongPassword), "ssl.truststore.password is wrong"},
		{"wrong JKS keystore password", ssl("ssl.keystore.location", jksKey, "ssl.keystore.password", wrongPassword), "ssl.keystore.password is wrong"},
		{"wrong JKS key password", ssl("ssl.keystore.location", jksKey, "ssl.keystore.password", storePassword, "ssl.key.password", wrongPassword), "ssl.key.password (ssl.keystore.password unless set) is wrong"},
		{"wrong PKCS12 keystore password", ssl("ssl.keystore.type", "PKCS12", "ssl.keystore.location", p12Key, "ssl.keystore.password", wrongPassword), "ssl.keystore.password is wrong"},
		{"missing truststore", ssl("ssl.truststore.location", filepath.Join(p.dir, "missing.jks"), "ssl.truststore.password", storePassword), "ssl.truststore.location: open"},
		{"not a truststore", ssl("ssl.truststore.location", notAStore, "ssl.truststore.password", storePassword), "cannot open truststore " + notAStore},
		{"unknown truststore type", ssl("ssl.truststore.type", "JCEKS", "ssl.truststore.location", jks), `ssl.truststore.type="JCEKS": expected JKS, PKCS12 or PEM`},
		{"unknown keystore type", ssl("ssl.keystore.type", "BKS", "ssl.keystore.location", jksKey), `ssl.keystore.type="BKS": expected JKS, PKCS12 or PEM`},
		{"PEM truststore with a password", ssl("ssl.truststore.type", "PEM", "ssl.truststore.location", pemFile, "ssl.truststore.password", storePassword), "ssl.truststore.password must not be set with ssl.truststore.type=PEM"},
		{"inline certificates need PEM", ssl("ssl.truststore.certificates", string(kafkatest.CertsPEM(p.ca.Cert))), "ssl.truststore.certificates needs ssl.truststore.type=PEM"},
		{"PEM truststore file and inline certificates", ssl("ssl.truststore.type", "PEM", "ssl.truststore.location", pemFile, "ssl.truststore.certificates", string(kafkatest.CertsPEM(p.ca.Cert))), "not both"},
		{"PEM truststore without certificates", ssl("ssl.truststore.type", "PEM", "ssl.truststore.certificates", "nothing here"), "no PEM certificate"},
		{"inline key without its chain", ssl("ssl.keystore.type", "PEM", "ssl.keystore.key", string(p.client.KeyPEM(t))), "go together"},
		{"inline key needs PEM", ssl("ssl.keystore.key", string(p.client.KeyPEM(t)), "ssl.keystore.certificate.chain", string(p.client.CertPEM())), "need ssl.keystore.type=PEM"},
		{"encrypted PEM key", ssl("ssl.keystore.type", "PEM", "ssl.keystore.key", string(p.client.KeyPEM(t)), "ssl.keystore.certificate.chain", string(p.client.CertPEM()), "ssl.key.password", storePassword),
			"encrypted PEM private keys are not supported"},
		{"mismatched PEM key", ssl("ssl.keystore.type", "PEM", "ssl.keystore.key", string(p.server.KeyPEM(t)), "ssl.keystore.certificate.chain", string(p.client.CertPEM())), "cannot use the PEM key and certificates"},
		{"LDAPS identification", ssl("ssl.endpoint.identification.algorithm", "ldaps"), `ssl.endpoint.identification.algorithm="ldaps": expected https, or empty`},
		{"TLSv1.1", ssl("ssl.protocol", "TLSv1.1"), `ssl.protocol="TLSv1.1": expected TLSv1.2 or TLSv1.3`},
		{"SSLv3 enabled", ssl("ssl.enabled.protocols", "TLSv1.2,SSLv3"), `ssl.enabled.protocols="TLSv1.2,SSLv3": expected a list of TLSv1.2 and TLSv1.3`},
		{"TLSv1.2 context with only TLSv1.3 enabled", ssl("ssl.protocol", "TLSv1.2", "ssl.enabled.protocols", "TLSv1.3"), "allows none of"},
		{"several problems at once", ssl("ssl.truststore.type", "JCEKS", "ssl.truststore.location", jks, "ssl.keystore.type", "BKS", "ssl.keystore.location", jksKey, "ssl.protocol", "SSL"), "ssl.keystore.type"},
		{"ssl.* keys mean nothing for PLAINTEXT", map[string]string{"ssl.truststore.type": "JCEKS", "ssl.truststore.location": "/nowhere", "ssl.keystore.key": "x"}, ""},
		{"sasl.* keys mean nothing for SSL", ssl("sasl.mechanism", "GSSAPI", "sasl.jaas.config", "junk"), ""},
		{"ssl.* keys mean nothing for SASL_PLAINTEXT", sasl("ssl.truststore.location", "/nowhere"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, perr := producerConfig("id", tt.keys)
			_, _, cerr := consumerConfig("id", tt.keys)
			_, _, aerr := adminConfig("id", tt.keys)
			for _, err := range []error{perr, cerr, aerr} {
				if tt.want == "" {
					if err != nil {
						t.Fatalf("unexpected error: %v", err)
					}
					continue
				}
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("error = %v, want one containing %q", err, tt.want)
				}
				for _, secret := range []string{saslPassword, storePassword, wrongPassword, "PRIVATE KEY"} {
					if strings.Contains(err.Error(), secret) {
						t.Errorf("error %q holds a secret", err)
					}
				}
			}
		})
	}
}

func TestSecurityKeysAreClientKeys(t *testing.T) {
	keys := map[string]string{
		"security.protocol": "SASL_SSL", "sasl.mechanism": "SCRAM-SHA-512", "sasl.jaas.config": scramJAAS,
		"ssl.endpoint.identification.algorithm": "https", "ssl.protocol": "TLSv1.2", "ssl.enabled.protocols": "TLSv1.2",
	}
	o, warns, err := producerConfig("id", keys)
	if err != nil || len(warns) > 0 {
		t.Fatalf("warnings %v, error %v", warns, err)
	}
	c := o.Config
	if !c.Net.TLS.Enable || c.Net.TLS.Config.MinVersion != 0x0303 || c.Net.TLS.Config.MaxVersion != 0x0303 || c.Net.TLS.Config.InsecureSkipVerify {
		t.Errorf("TLS config not as asked: %+v", c.Net.TLS.Config)
	}
	if !c.Net.SASL.Enable || c.Net.SASL.Mechanism != sarama.SASLTypeSCRAMSHA512 || c.Net.SASL.User != "alice" || c.Net.SASL.SCRAMClientGeneratorFunc == nil {
		t.Errorf("SASL config not as asked: mechanism %q user %q", c.Net.SASL.Mechanism, c.Net.SASL.User)
	}
	d, _, _ := consumerConfig("id")
	if d.Net.TLS.Enable || d.Net.SASL.Enable {
		t.Error("PLAINTEXT is the default")
	}
}

func TestParseJAAS(t *testing.T) {
	tests := []struct {
		in   string
		want jaasEntry
	}{
		{plainJAAS, jaasEntry{plainLoginModule, "required", map[string]string{"username": "alice", "password": saslPassword}}},
		{"m.M required;", jaasEntry{"m.M", "required", map[string]string{}}},
		{"m.M REQUIRED", jaasEntry{"m.M", "required", map[string]string{}}},
		{"m.M optional a=b", jaasEntry{"m.M", "optional", map[string]string{"a": "b"}}},
		{"  m.M  sufficient  a = 'x y'  b=\"p;=\\\"q\\\\\"\n;  ", jaasEntry{"m.M", "sufficient", map[string]string{"a": "x y", "b": `p;="q\`}}},
		{`m.M requisite a="\n\t\101\0\x" b=c`, jaasEntry{"m.M", "requisite", map[string]string{"a": "\n\tA\x00x", "b": "c"}}},
		{`m.M required a="\477"`, jaasEntry{"m.M", "required", map[string]string{"a": "'7"}}},
		{"m.M required // a comment\n a=b /* another */ c=\"d\"; // trailing", jaasEntry{"m.M", "required", map[string]string{"a": "b", "c": "d"}}},
		{`"m.M" required a=1 a=2;`, jaasEntry{"m.M", "required", map[string]string{"a": "2"}}},
		{`m.M required password="päss wörd";`, jaasEntry{"m.M", "required", map[string]string{"password": "päss wörd"}}},
	}
	for _, tt := range tests {
		got, err := parseJAAS(tt.in)
		if err != nil {
			t.Errorf("parseJAAS(%q): %v", tt.in, err)
			continue
		}
		if got.module != tt.want.module || got.flag != tt.want.flag || !maps.Equal(got.options, tt.want.options) {
			t.Errorf("parseJAAS(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
	for _, in := range []string{"", "  // nothing", "m.M", "m.M always", "m.M required a", "m.M required a=", "m.M required a=;", "m.M required =b",
		`m.M required a="b`, `m.M required a="b\`, "m.M required; m.N required;", "m.M required;;", "; m.M required"} {
		if _, err := parseJAAS(in); err == nil {
			t.Errorf("parseJAAS(%q) succeeded", in)
		} else if !errors.As(err, new(*jaasSyntaxError)) {
			t.Errorf("parseJAAS(%q): %v is not a syntax error", in, err)
		}
	}
}

// quoteJAAS writes s as a quoted JAAS value.
func quoteJAAS(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// jaasVocabulary holds every word parse errors are made of: a value that
// is part of it may show in an error without having leaked.
const jaasVocabulary = "expected a login module class name; expected a control flag (required, requisite, sufficient or optional) after the login module; " +
	"expected an option name; expected = after an option name; expected a value after =; quoted value is not closed; " +
	"text after the login module's closing semicolon: Kafka clients take exactly one login module at offset 0123456789"

// credentialsVocabulary holds every word of jaasCredentials' own errors,
// which may also name the login module.
const credentialsVocabulary = "the login module given login module is not supported; use " + plainLoginModule + " or " + scramLoginModule +
	" delegation tokens (tokenauth=true) are not supported the login module has no username option the login module has no password option"

func FuzzParseJAAS(f *testing.F) {
	for _, s := range []string{
		plainJAAS, scramJAAS, "m.M required", `m.M optional a='b' c="d\"e";`, "m.M required // c\n a=b /* c */;",
		`m.M required a="\377\12\x"`, "m.M required password=", `m.M required password="unclosed`, "a b c d", ";;", "/*", `"`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := parseJAAS(s)
		if err != nil {
			var se *jaasSyntaxError
			if !errors.As(err, &se) || se.offset < 0 || se.offset > len(s) {
				t.Fatalf("error %v has no offset within the input", err)
			}
			// The options read before the error may hold a password.
			for _, v := range e.options {
				if len(v) >= 4 && !strings.Contains(jaasVocabulary, v) && strings.Contains(err.Error(), v) {
					t.Fatalf("error %q holds the value %q", err, v)
				}
			}
			return
		}
		var b strings.Builder
		b.WriteString(quoteJAAS(e.module) + " " + e.flag)
		for k, v := range e.options {
			b.WriteString(" " + quoteJAAS(k) + "=" + quoteJAAS(v))
		}
		b.WriteString(";")
		again, err := parseJAAS(b.String())
		if err != nil {
			t.Fatalf("%q parsed as %+v, written back as %q: %v", s, e, b.String(), err)
		}
		if again.module != e.module || again.flag != e.flag || !maps.Equal(again.options, e.options) {
			t.Fatalf("round trip of %q: %+v, then %+v", s, e, again)
		}
		if _, _, err := jaasCredentials(s); err != nil {
			vocabulary := credentialsVocabulary + e.module
			for k, v := range e.options {
				if len(v) >= 4 && !strings.Contains(vocabulary, v) && strings.Contains(err.Error(), v) {
					t.Fatalf("error %q holds the value of %s", err, k)
				}
			}
		}
	})
}
