package kafkatest

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pavlo-v-chernykh/keystore-go/v4"
	"github.com/twmb/franz-go/pkg/kfake"
	"software.sslmate.com/src/go-pkcs12"
)

// Security says how SecureCluster's broker protects itself. The zero value
// is a plaintext broker, as Cluster starts.
type Security struct {
	// Cert makes the broker speak TLS with this certificate.
	Cert *Cert
	// ClientCA, with Cert, makes the broker require client certificates
	// signed by it.
	ClientCA *CA
	// Users turns SASL on, with these accounts.
	Users []User
}

// User is a SASL account: Mechanism is PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512.
type User struct {
	Mechanism, Name, Password string
}

// SecureCluster starts a one-broker kfake cluster, as Cluster does, with
// TLS and SASL as s asks. It returns the cluster and its bootstrap address.
func SecureCluster(t testing.TB, s Security, opts ...kfake.Opt) (*kfake.Cluster, string) {
	t.Helper()
	var sec []kfake.Opt
	if s.Cert != nil {
		tc := &tls.Config{Certificates: []tls.Certificate{s.Cert.TLS()}, MinVersion: tls.VersionTLS12}
		if s.ClientCA != nil {
			tc.ClientAuth = tls.RequireAndVerifyClientCert
			tc.ClientCAs = x509.NewCertPool()
			tc.ClientCAs.AddCert(s.ClientCA.Cert)
		}
		sec = append(sec, kfake.TLS(tc))
	}
	if len(s.Users) > 0 {
		sec = append(sec, kfake.EnableSASL())
		for _, u := range s.Users {
			sec = append(sec, kfake.Superuser(u.Mechanism, u.Name, u.Password))
		}
	}
	return Cluster(t, append(sec, opts...)...)
}

// CA is a certificate authority for tests.
type CA struct {
	Cert *x509.Certificate
	key  crypto.Signer
}

// Cert is a certificate and its key, issued by a CA.
type Cert struct {
	Cert  *x509.Certificate
	Key   crypto.Signer
	Chain []*x509.Certificate // the issuing CA's certificate
}

var serial atomic.Int64

func newKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatalf("generate key: %v", err)
	}
	return k
}

func sign(t testing.TB, tmpl, parent *x509.Certificate, pub crypto.PublicKey, key crypto.Signer) *x509.Certificate {
	t.Helper()
	tmpl.SerialNumber = big.NewInt(serial.Add(1))
	tmpl.NotBefore = time.Now().Add(-time.Hour)
	tmpl.NotAfter = time.Now().Add(24 * time.Hour)
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, key)
	if err != nil {
		t.Fatalf("create certificate: %v", err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatalf("parse certificate: %v", err)
	}
	return c
}

// NewCA creates a self-signed certificate authority named name.
func NewCA(t testing.TB, name string) *CA {
	t.Helper()
	k := newKey(t)
	tmpl := &x509.Certificate{
		Subject:               pkix.Name{CommonName: name},
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	return &CA{Cert: sign(t, tmpl, tmpl, k.Public(), k), key: k}
}

// Issue returns a certificate for hosts (names or IP addresses), good for
// servers and clients alike.
func (ca *CA) Issue(t testing.TB, hosts ...string) *Cert {
	t.Helper()
	k := newKey(t)
	tmpl := &x509.Certificate{
		Subject:     pkix.Name{CommonName: "kafkatest"},
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	return &Cert{Cert: sign(t, tmpl, ca.Cert, k.Public(), ca.key), Key: k, Chain: []*x509.Certificate{ca.Cert}}
}

// TLS returns the certificate as crypto/tls takes it.
func (c *Cert) TLS() tls.Certificate {
	out := tls.Certificate{Certificate: [][]byte{c.Cert.Raw}, PrivateKey: c.Key, Leaf: c.Cert}
	for _, ca := range c.Chain {
		out.Certificate = append(out.Certificate, ca.Raw)
	}
	return out
}

// CertPEM returns the certificate and its chain, PEM-encoded.
func (c *Cert) CertPEM() []byte {
	return CertsPEM(append([]*x509.Certificate{c.Cert}, c.Chain...)...)
}

// KeyPEM returns the private key, PEM-encoded as unencrypted PKCS #8.
func (c *Cert) KeyPEM(t testing.TB) []byte {
	t.Helper()
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: c.pkcs8(t)})
}

func (c *Cert) pkcs8(t testing.TB) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(c.Key)
	if err != nil {
		t.Fatalf("marshal key: %v", err)
	}
	return der
}

// CertsPEM PEM-encodes certificates.
func CertsPEM(certs ...*x509.Certificate) []byte {
	var out []byte
	for _, c := range certs {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	return out
}

// WriteTruststore writes certs into a new file of dir as a truststore of
// type typ (JKS, PKCS12 or PEM) with password (ignored for PEM), and
// returns its path.
func WriteTruststore(t testing.TB, dir, typ, password string, certs ...*x509.Certificate) string {
	t.Helper()
	var data []byte
	switch typ {
	case "PEM":
		data = CertsPEM(certs...)
	case "PKCS12":
		var err error
		if data, err = pkcs12.Modern.EncodeTrustStore(certs, password); err != nil {
			t.Fatalf("encode PKCS12 truststore: %v", err)
		}
	case "JKS":
		ks := keystore.New()
		for i, c := range certs {
			e := keystore.TrustedCertificateEntry{CreationTime: time.Now(), Certificate: keystore.Certificate{Type: "X509", Content: c.Raw}}
			if err := ks.SetTrustedCertificateEntry(fmt.Sprintf("ca%d", i), e); err != nil {
				t.Fatalf("JKS truststore entry: %v", err)
			}
		}
		data = storeJKS(t, ks, password)
	default:
		t.Fatalf("unknown truststore type %q", typ)
	}
	return writeFile(t, dir, "truststore."+typ, data)
}

// WriteKeystore writes c, its key and chain into a new file of dir as a
// keystore of type typ (JKS, PKCS12 or PEM) and returns its path. The
// keystore's password protects the key too; PEM keystores are not
// encrypted.
func WriteKeystore(t testing.TB, dir, typ, password string, c *Cert) string {
	t.Helper()
	var data []byte
	switch typ {
	case "PEM":
		data = append(c.KeyPEM(t), c.CertPEM()...)
	case "PKCS12":
		var err error
		if data, err = pkcs12.Modern.Encode(c.Key, c.Cert, c.Chain, password); err != nil {
			t.Fatalf("encode PKCS12 keystore: %v", err)
		}
	case "JKS":
		ks := keystore.New()
		e := keystore.PrivateKeyEntry{CreationTime: time.Now(), PrivateKey: c.pkcs8(t)}
		for _, cc := range append([]*x509.Certificate{c.Cert}, c.Chain...) {
			e.CertificateChain = append(e.CertificateChain, keystore.Certificate{Type: "X509", Content: cc.Raw})
		}
		if err := ks.SetPrivateKeyEntry("client", e, []byte(password)); err != nil {
			t.Fatalf("JKS keystore entry: %v", err)
		}
		data = storeJKS(t, ks, password)
	default:
		t.Fatalf("unknown keystore type %q", typ)
	}
	return writeFile(t, dir, "keystore."+typ, data)
}

func storeJKS(t testing.TB, ks keystore.KeyStore, password string) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := ks.Store(&b, []byte(password)); err != nil {
		t.Fatalf("store JKS: %v", err)
	}
	return b.Bytes()
}

func writeFile(t testing.TB, dir, name string, data []byte) string {
	t.Helper()
	f, err := os.CreateTemp(dir, name+".*")
	if err != nil {
		t.Fatalf("create %s: %v", name, err)
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatalf("write %s: %v", f.Name(), err)
	}
	return f.Name()
}
