package rest

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"golang.org/x/crypto/pkcs12"

	"github.com/connect-standalone/connect-standalone/config"
)

// Keys of an https listener's TLS settings, without their prefix.
const (
	sslKeystoreType      = "ssl.keystore.type"
	sslKeystoreLocation  = "ssl.keystore.location"
	sslKeystorePassword  = "ssl.keystore.password"
	sslKeyPassword       = "ssl.key.password"
	sslKeystoreChain     = "ssl.keystore.certificate.chain"
	sslKeystoreKey       = "ssl.keystore.key"
	sslTruststoreType    = "ssl.truststore.type"
	sslTruststoreLoc     = "ssl.truststore.location"
	sslTruststorePass    = "ssl.truststore.password"
	sslTruststoreCerts   = "ssl.truststore.certificates"
	sslEnabledProtocols  = "ssl.enabled.protocols"
	httpsListenersPrefix = config.KeyListeners + ".https."
)

// tlsKeys reads the TLS settings of https listeners as Kafka does
// (AbstractConfig.valuesWithPrefixAllOrNothing): when any
// listeners.https. key is set, those alone are read and the ssl. keys are
// ignored; otherwise the ssl. keys are.
type tlsKeys struct {
	props  map[string]string
	prefix string // httpsListenersPrefix or ""
}

func newTLSKeys(props map[string]string) tlsKeys {
	for k := range props {
		if strings.HasPrefix(k, httpsListenersPrefix) {
			return tlsKeys{props: props, prefix: httpsListenersPrefix}
		}
	}
	return tlsKeys{props: props}
}

// get returns a key's trimmed value, as Kafka parses strings and passwords.
func (k tlsKeys) get(key string) string { return javaTrim(k.props[k.prefix+key]) }

// name is a key as the user spelt it, for errors.
func (k tlsKeys) name(key string) string { return k.prefix + key }

// storeType is a store's type, upper-cased: explicit, else PEM for inline
// certificates or a file holding PEM, JKS for a file starting with the JKS
// (or JCEKS) magic number, else PKCS12. Kafka defaults to JKS; recognising
// the content lets a PEM or PKCS12 file work without the type key.
func storeType(set string, data []byte) string {
	switch {
	case set != "":
		return strings.ToUpper(set)
	case data == nil || bytes.Contains(data, []byte("-----BEGIN ")):
		return "PEM"
	case bytes.HasPrefix(data, []byte{0xfe, 0xed, 0xfe, 0xed}), bytes.HasPrefix(data, []byte{0xce, 0xce, 0xce, 0xce}):
		return "JKS"
	}
	return "PKCS12"
}

// serverTLS builds an https listener's TLS configuration, reporting every
// problem at once, each naming its key.
func serverTLS(props map[string]string) (*tls.Config, error) {
	k := newTLSKeys(props)
	cert, certErr := k.certificate()
	minV, maxV, protoErr := k.protocols()
	auth, authErr := k.clientAuth()
	pool, poolErr := k.trustPool()
	if auth != tls.NoClientCert && pool == nil && poolErr == nil {
		// Go, like Java, would otherwise trust every public CA to vouch
		// for a client: anyone could get a certificate that passes.
		poolErr = fmt.Errorf("%s=%s needs the certificates that sign client certificates: set %s or %s",
			k.name(config.KeySSLClientAuth), k.get(config.KeySSLClientAuth), k.name(sslTruststoreLoc), k.name(sslTruststoreCerts))
	}
	if err := errors.Join(certErr, protoErr, authErr, poolErr); err != nil {
		return nil, err
	}
	return &tls.Config{
		Certificates: []tls.Certificate{cert},
		MinVersion:   minV,
		MaxVersion:   maxV,
		ClientAuth:   auth,
		ClientCAs:    pool,
	}, nil
}

// certificate loads the listener's certificate chain and private key from
// a keystore file or inline PEM.
func (k tlsKeys) certificate() (tls.Certificate, error) {
	loc, chain, key := k.get(sslKeystoreLocation), k.get(sslKeystoreChain), k.get(sslKeystoreKey)
	if chain != "" || key != "" {
		switch {
		case loc != "":
			return tls.Certificate{}, fmt.Errorf("set %s, or %s and %s, not both", k.name(sslKeystoreLocation), k.name(sslKeystoreChain), k.name(sslKeystoreKey))
		case chain == "" || key == "":
			return tls.Certificate{}, fmt.Errorf("inline PEM needs both %s and %s", k.name(sslKeystoreChain), k.name(sslKeystoreKey))
		case storeType(k.get(sslKeystoreType), nil) != "PEM":
			return tls.Certificate{}, fmt.Errorf("%s and %s are PEM: set %s=PEM or leave it unset", k.name(sslKeystoreChain), k.name(sslKeystoreKey), k.name(sslKeystoreType))
		}
		if err := k.noStorePassword(); err != nil {
			return tls.Certificate{}, err
		}
		return k.pemKeyPair([]byte(chain), []byte(key), k.name(sslKeystoreChain)+" and "+k.name(sslKeystoreKey))
	}
	if loc == "" {
		return tls.Certificate{}, fmt.Errorf("an https listener needs a certificate: set %s (a PEM or PKCS12 file), or %s and %s (inline PEM)",
			k.name(sslKeystoreLocation), k.name(sslKeystoreChain), k.name(sslKeystoreKey))
	}
	data, err := os.ReadFile(loc)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("%s: %w", k.name(sslKeystoreLocation), err)
	}
	where := k.name(sslKeystoreLocation) + " " + loc
	switch t := storeType(k.get(sslKeystoreType), data); t {
	case "PEM":
		if err := k.noStorePassword(); err != nil {
			return tls.Certificate{}, err
		}
		return k.pemKeyPair(data, data, where)
	case "PKCS12":
		return pkcs12KeyPair(data, k.get(sslKeystorePassword), where)
	case "JKS":
		return tls.Certificate{}, fmt.Errorf("%s: JKS keystores are not supported yet for the REST listener; convert it to PEM or PKCS12 (keytool -importkeystore -deststoretype PKCS12) and set %s to match",
			where, k.name(sslKeystoreType))
	default:
		return tls.Certificate{}, fmt.Errorf("%s=%s: want PEM, PKCS12 or JKS", k.name(sslKeystoreType), t)
	}
}

// noStorePassword rejects a keystore password with a PEM keystore, as
// Kafka does: a PEM key's password is ssl.key.password.
func (k tlsKeys) noStorePassword() error {
	if k.get(sslKeystorePassword) != "" {
		return fmt.Errorf("%s cannot be set with a PEM keystore; only %s may be, for an encrypted key", k.name(sslKeystorePassword), k.name(sslKeyPassword))
	}
	return nil
}

// pemKeyPair parses a PEM certificate chain, leaf first, and the PEM
// private key matching it.
func (k tlsKeys) pemKeyPair(certPEM, keyPEM []byte, where string) (tls.Certificate, error) {
	for rest := keyPEM; ; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			break
		}
		if b.Type == "ENCRYPTED PRIVATE KEY" || strings.Contains(b.Headers["Proc-Type"], "ENCRYPTED") {
			return tls.Certificate{}, fmt.Errorf("%s: encrypted private keys are not supported yet for the REST listener (%s); decrypt it with openssl pkcs8 -topk8 -nocrypt and protect the file by its permissions",
				where, k.name(sslKeyPassword))
		}
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("%s: %w", where, err)
	}
	return cert, nil
}

// pkcs12KeyPair reads a PKCS12 keystore's private key and its certificate
// chain, with the leaf, the certificate of that key, first.
func pkcs12KeyPair(data []byte, password, where string) (tls.Certificate, error) {
	blocks, err := pkcs12.ToPEM(data, password)
	if err != nil {
		return tls.Certificate{}, pkcs12Error(where, err)
	}
	var certs [][]byte
	var keyPEM []byte
	for _, b := range blocks {
		b.Headers = nil
		if b.Type == "CERTIFICATE" {
			certs = append(certs, pem.EncodeToMemory(b))
		} else if strings.HasSuffix(b.Type, "PRIVATE KEY") && keyPEM == nil {
			keyPEM = pem.EncodeToMemory(b)
		}
	}
	if keyPEM == nil {
		return tls.Certificate{}, fmt.Errorf("%s: the keystore holds no private key", where)
	}
	for i := range certs {
		chain := append([][]byte{certs[i]}, slices.Delete(slices.Clone(certs), i, i+1)...)
		if cert, err := tls.X509KeyPair(bytes.Join(chain, nil), keyPEM); err == nil {
			return cert, nil
		}
	}
	return tls.Certificate{}, fmt.Errorf("%s: no certificate in the keystore matches its private key", where)
}

func pkcs12Error(where string, err error) error {
	var notImpl pkcs12.NotImplementedError
	if errors.As(err, &notImpl) {
		return fmt.Errorf("%s: %v: PKCS12 files protected with AES (the default of OpenSSL 3 and recent keytool) are not supported yet for the REST listener; convert it to PEM, or export it with openssl pkcs12 -export -legacy", where, err)
	}
	return fmt.Errorf("%s: %w (a wrong password, or not a PKCS12 file)", where, err)
}

// trustPool loads the certificates that sign client certificates; nil when
// none are configured.
func (k tlsKeys) trustPool() (*x509.CertPool, error) {
	loc, inline := k.get(sslTruststoreLoc), k.get(sslTruststoreCerts)
	pool := x509.NewCertPool()
	switch {
	case loc != "" && inline != "":
		return nil, fmt.Errorf("set %s or %s, not both", k.name(sslTruststoreLoc), k.name(sslTruststoreCerts))
	case inline != "":
		if t := storeType(k.get(sslTruststoreType), nil); t != "PEM" {
			return nil, fmt.Errorf("%s is PEM: set %s=PEM or leave it unset", k.name(sslTruststoreCerts), k.name(sslTruststoreType))
		}
		if !pool.AppendCertsFromPEM([]byte(inline)) {
			return nil, fmt.Errorf("%s: no PEM certificate found", k.name(sslTruststoreCerts))
		}
		return pool, nil
	case loc == "":
		return nil, nil
	}
	data, err := os.ReadFile(loc)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", k.name(sslTruststoreLoc), err)
	}
	where := k.name(sslTruststoreLoc) + " " + loc
	switch t := storeType(k.get(sslTruststoreType), data); t {
	case "PEM":
		if !pool.AppendCertsFromPEM(data) {
			return nil, fmt.Errorf("%s: no PEM certificate found", where)
		}
	case "PKCS12":
		blocks, err := pkcs12.ToPEM(data, k.get(sslTruststorePass))
		if err != nil {
			return nil, pkcs12Error(where, err)
		}
		for _, b := range blocks {
			if b.Type != "CERTIFICATE" {
				continue
			}
			c, err := x509.ParseCertificate(b.Bytes)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", where, err)
			}
			pool.AddCert(c)
		}
	case "JKS":
		return nil, fmt.Errorf("%s: JKS truststores are not supported yet for the REST listener; convert it to PEM and set %s=PEM", where, k.name(sslTruststoreType))
	default:
		return nil, fmt.Errorf("%s=%s: want PEM, PKCS12 or JKS", k.name(sslTruststoreType), t)
	}
	return pool, nil
}

// protocols maps ssl.enabled.protocols, Kafka's default TLSv1.2,TLSv1.3,
// to a version range. Older versions are refused rather than enabled.
func (k tlsKeys) protocols() (minV, maxV uint16, err error) {
	raw, set := k.props[k.prefix+sslEnabledProtocols]
	if !set {
		return tls.VersionTLS12, tls.VersionTLS13, nil
	}
	for _, p := range config.SplitList(raw) {
		var v uint16
		switch p {
		case "TLSv1.2":
			v = tls.VersionTLS12
		case "TLSv1.3":
			v = tls.VersionTLS13
		default:
			return 0, 0, fmt.Errorf("%s: %q is not supported for the REST listener; use TLSv1.2 and TLSv1.3", k.name(sslEnabledProtocols), p)
		}
		if minV == 0 || v < minV {
			minV = v
		}
		maxV = max(maxV, v)
	}
	if minV == 0 {
		return 0, 0, fmt.Errorf("%s names no protocol; use TLSv1.2 and TLSv1.3", k.name(sslEnabledProtocols))
	}
	return minV, maxV, nil
}

// clientAuth maps ssl.client.auth: requested verifies a certificate when
// the client offers one, required refuses a client without one.
func (k tlsKeys) clientAuth() (tls.ClientAuthType, error) {
	switch v := strings.ToLower(k.get(config.KeySSLClientAuth)); v {
	case "", "none":
		return tls.NoClientCert, nil
	case "requested":
		return tls.VerifyClientCertIfGiven, nil
	case "required":
		return tls.RequireAndVerifyClientCert, nil
	default:
		return tls.NoClientCert, fmt.Errorf("%s=%s: want none, requested or required", k.name(config.KeySSLClientAuth), v)
	}
}
