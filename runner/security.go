package runner

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"

	"github.com/IBM/sarama"
	"github.com/pavlo-v-chernykh/keystore-go/v4"
	"github.com/xdg-go/scram"
	"software.sslmate.com/src/go-pkcs12"
)

// Kafka's client security keys.
const (
	keySecurityProtocol          = "security.protocol"
	keySASLMechanism             = "sasl.mechanism"
	keySASLJAASConfig            = "sasl.jaas.config"
	keySSLProtocol               = "ssl.protocol"
	keySSLEnabledProtocols       = "ssl.enabled.protocols"
	keySSLEndpointIdentification = "ssl.endpoint.identification.algorithm"
	keySSLTruststoreType         = "ssl.truststore.type"
	keySSLTruststoreLocation     = "ssl.truststore.location"
	keySSLTruststorePassword     = "ssl.truststore.password"
	keySSLTruststoreCertificates = "ssl.truststore.certificates"
	keySSLKeystoreType           = "ssl.keystore.type"
	keySSLKeystoreLocation       = "ssl.keystore.location"
	keySSLKeystorePassword       = "ssl.keystore.password"
	keySSLKeyPassword            = "ssl.key.password"
	keySSLKeystoreChain          = "ssl.keystore.certificate.chain"
	keySSLKeystoreKey            = "ssl.keystore.key"
)

// securityKeys are read together by applySecurity once every layer is in:
// one setting spans several keys (a truststore's file and its password, a
// mechanism and its login module) that may come from different layers, and,
// as in Kafka, keys the protocol does not use are not read at all.
var securityKeys = func() []clientKey {
	readTogether := func(*sarama.Config, string) error { return nil }
	var keys []clientKey
	for _, n := range []string{
		keySecurityProtocol, keySASLMechanism, keySASLJAASConfig,
		keySSLProtocol, keySSLEnabledProtocols, keySSLEndpointIdentification,
		keySSLTruststoreType, keySSLTruststoreLocation, keySSLTruststorePassword, keySSLTruststoreCertificates,
		keySSLKeystoreType, keySSLKeystoreLocation, keySSLKeystorePassword, keySSLKeyPassword,
		keySSLKeystoreChain, keySSLKeystoreKey,
	} {
		keys = append(keys, clientKey{n, readTogether})
	}
	return keys
}()

// securitySettings are the security keys of a client's layers, the last
// layer winning. Values are trimmed, as Kafka's ConfigDef trims them.
type securitySettings map[string]string

func mergeSecurity(layers []map[string]string) securitySettings {
	s := make(securitySettings)
	for _, l := range layers {
		for _, k := range securityKeys {
			if v, ok := l[k.name]; ok {
				s[k.name] = strings.TrimSpace(v)
			}
		}
	}
	return s
}

// get returns a key's value, or def when it is unset or empty: an empty
// password or location in a properties file means none.
func (s securitySettings) get(key, def string) string {
	if v := s[key]; v != "" {
		return v
	}
	return def
}

// invalid reports a key's bad value, quoting it: call it only for keys that
// hold no secret.
func (s securitySettings) invalid(key string, err error) error {
	return fmt.Errorf("%s=%q: %w", key, s[key], err)
}

// applySecurity sets up TLS and SASL on c as security.protocol asks. Its
// errors name the keys at fault and never hold a password or private key.
func applySecurity(c *sarama.Config, layers []map[string]string) error {
	s := mergeSecurity(layers)
	var useTLS, useSASL bool
	switch strings.ToUpper(s.get(keySecurityProtocol, "PLAINTEXT")) {
	case "PLAINTEXT":
	case "SSL":
		useTLS = true
	case "SASL_PLAINTEXT":
		useSASL = true
	case "SASL_SSL":
		useTLS, useSASL = true, true
	default:
		return s.invalid(keySecurityProtocol, errors.New("expected PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL"))
	}
	var errs []error
	if useTLS {
		tc, err := tlsConfig(s)
		if err != nil {
			errs = append(errs, err)
		} else {
			c.Net.TLS.Enable, c.Net.TLS.Config = true, tc
		}
	}
	if useSASL {
		errs = append(errs, applySASL(c, s))
	}
	return errors.Join(errs...)
}

func applySASL(c *sarama.Config, s securitySettings) error {
	// GSSAPI is Kafka's default mechanism.
	mech := s.get(keySASLMechanism, "GSSAPI")
	switch strings.ToUpper(mech) {
	case sarama.SASLTypePlaintext:
		c.Net.SASL.Mechanism = sarama.SASLTypePlaintext
	case sarama.SASLTypeSCRAMSHA256:
		c.Net.SASL.Mechanism = sarama.SASLTypeSCRAMSHA256
		c.Net.SASL.SCRAMClientGeneratorFunc = func() sarama.SCRAMClient { return &scramClient{hash: scram.SHA256} }
	case sarama.SASLTypeSCRAMSHA512:
		c.Net.SASL.Mechanism = sarama.SASLTypeSCRAMSHA512
		c.Net.SASL.SCRAMClientGeneratorFunc = func() sarama.SCRAMClient { return &scramClient{hash: scram.SHA512} }
	default:
		err := errors.New("not supported; use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512")
		if s[keySASLMechanism] == "" {
			return fmt.Errorf("%s is not set and Kafka's default, GSSAPI, is %w", keySASLMechanism, err)
		}
		return s.invalid(keySASLMechanism, err)
	}
	jaas := s.get(keySASLJAASConfig, "")
	if jaas == "" {
		return fmt.Errorf("%s is required with SASL: set it to a PlainLoginModule or ScramLoginModule entry with username and password", keySASLJAASConfig)
	}
	user, pass, err := jaasCredentials(jaas)
	if err != nil {
		return fmt.Errorf("%s: %w", keySASLJAASConfig, err)
	}
	c.Net.SASL.Enable, c.Net.SASL.Handshake = true, true
	c.Net.SASL.User, c.Net.SASL.Password = user, pass
	return nil
}

// scramClient runs the client side of a SCRAM exchange for sarama.
type scramClient struct {
	hash scram.HashGeneratorFcn
	conv *scram.ClientConversation
}

// Begin starts a conversation. Kafka's SCRAM client and broker use names
// and passwords as given, without SASLprep, so we do the same.
func (sc *scramClient) Begin(user, pass, authzID string) error {
	c, err := sc.hash.NewClientUnprepped(user, pass, authzID)
	if err != nil {
		return err
	}
	sc.conv = c.NewConversation()
	return nil
}

func (sc *scramClient) Step(challenge string) (string, error) { return sc.conv.Step(challenge) }

func (sc *scramClient) Done() bool { return sc.conv.Done() }

// The login modules a Kafka client's sasl.jaas.config may name for the
// mechanisms we support. Kafka reads credentials from either, whatever the
// mechanism.
const (
	plainLoginModule = "org.apache.kafka.common.security.plain.PlainLoginModule"
	scramLoginModule = "org.apache.kafka.common.security.scram.ScramLoginModule"
)

// javaClassName tells a login module's class name, which is safe to quote in
// an error, from anything that might be part of a password.
var javaClassName = regexp.MustCompile(`^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)+$`)

// jaasCredentials reads the user name and password of a sasl.jaas.config
// value. Its errors never hold option values.
func jaasCredentials(v string) (user, pass string, err error) {
	e, err := parseJAAS(v)
	if err != nil {
		return "", "", err
	}
	if e.module != plainLoginModule && e.module != scramLoginModule {
		name := "the login module given"
		if javaClassName.MatchString(e.module) {
			name = "login module " + e.module
		}
		return "", "", fmt.Errorf("%s is not supported; use %s or %s", name, plainLoginModule, scramLoginModule)
	}
	if e.module == scramLoginModule && strings.EqualFold(e.options["tokenauth"], "true") {
		return "", "", errors.New("delegation tokens (tokenauth=true) are not supported")
	}
	user, pass = e.options["username"], e.options["password"]
	switch {
	case user == "":
		return "", "", errors.New("the login module has no username option")
	case pass == "":
		return "", "", errors.New("the login module has no password option")
	}
	return user, pass, nil
}

// jaasEntry is the login module of a sasl.jaas.config value.
type jaasEntry struct {
	module  string
	flag    string
	options map[string]string
}

// jaasSyntaxError says where a sasl.jaas.config value stops parsing. It holds
// none of the value's text: any part of it may be a password.
type jaasSyntaxError struct {
	offset int // in bytes
	msg    string
}

func (e *jaasSyntaxError) Error() string { return fmt.Sprintf("%s at offset %d", e.msg, e.offset) }

// parseJAAS parses a sasl.jaas.config value as Kafka's JaasConfig does:
//
//	<login module class> <flag> [<name>=<value> ...];
//
// with values bare or quoted (' or ", with Java's backslash escapes), // and
// /* */ comments, and exactly one login module. Unlike Kafka, the closing
// semicolon may be left out. On error, the entry holds what was read so far.
func parseJAAS(s string) (jaasEntry, error) {
	l := jaasLexer{s: s}
	e := jaasEntry{options: make(map[string]string)}
	t, err := l.next()
	if err != nil {
		return e, err
	}
	if !t.isText() {
		return e, &jaasSyntaxError{t.off, "expected a login module class name"}
	}
	e.module = t.text
	if t, err = l.next(); err != nil {
		return e, err
	}
	if !t.isText() {
		return e, &jaasSyntaxError{t.off, "expected a control flag (required, requisite, sufficient or optional) after the login module"}
	}
	switch f := strings.ToLower(t.text); f {
	case "required", "requisite", "sufficient", "optional":
		e.flag = f
	default:
		return e, &jaasSyntaxError{t.off, "expected a control flag (required, requisite, sufficient or optional) after the login module"}
	}
	for {
		if t, err = l.next(); err != nil {
			return e, err
		}
		if t.kind == tokEOF || t.kind == ';' {
			break
		}
		if !t.isText() {
			return e, &jaasSyntaxError{t.off, "expected an option name"}
		}
		name := t.text
		if t, err = l.next(); err != nil {
			return e, err
		}
		if t.kind != '=' {
			return e, &jaasSyntaxError{t.off, "expected = after an option name"}
		}
		if t, err = l.next(); err != nil {
			return e, err
		}
		if !t.isText() {
			return e, &jaasSyntaxError{t.off, "expected a value after ="}
		}
		e.options[name] = t.text
	}
	if t.kind == ';' {
		if t, err = l.next(); err != nil {
			return e, err
		}
		if t.kind != tokEOF {
			return e, &jaasSyntaxError{t.off, "text after the login module's closing semicolon: Kafka clients take exactly one login module"}
		}
	}
	return e, nil
}

const (
	tokEOF    = 0
	tokWord   = 'w'
	tokQuoted = 'q'
)

type jaasToken struct {
	kind byte // tokEOF, tokWord, tokQuoted, or the punctuation byte itself
	text string
	off  int
}

func (t jaasToken) isText() bool { return t.kind == tokWord || t.kind == tokQuoted }

type jaasLexer struct {
	s   string
	pos int
}

func (l *jaasLexer) next() (jaasToken, error) {
	l.skipSpaceAndComments()
	start := l.pos
	if l.pos >= len(l.s) {
		return jaasToken{kind: tokEOF, off: start}, nil
	}
	switch c := l.s[l.pos]; c {
	case '=', ';':
		l.pos++
		return jaasToken{kind: c, off: start}, nil
	case '"', '\'':
		text, err := l.quoted(c)
		return jaasToken{kind: tokQuoted, text: text, off: start}, err
	}
	for l.pos < len(l.s) && !l.endsWord() {
		l.pos++
	}
	return jaasToken{kind: tokWord, text: l.s[start:l.pos], off: start}, nil
}

func (l *jaasLexer) endsWord() bool {
	switch c := l.s[l.pos]; {
	case c <= ' ', c == '=', c == ';', c == '"', c == '\'':
		return true
	case c == '/':
		return strings.HasPrefix(l.s[l.pos:], "//") || strings.HasPrefix(l.s[l.pos:], "/*")
	}
	return false
}

// skipSpaceAndComments skips what Java's StreamTokenizer does: control
// characters and spaces, // comments to the end of the line and /* */
// comments (an unclosed one to the end).
func (l *jaasLexer) skipSpaceAndComments() {
	for l.pos < len(l.s) {
		rest := l.s[l.pos:]
		switch {
		case rest[0] <= ' ':
			l.pos++
		case strings.HasPrefix(rest, "//"):
			if i := strings.IndexAny(rest, "\r\n"); i >= 0 {
				l.pos += i
			} else {
				l.pos = len(l.s)
			}
		case strings.HasPrefix(rest, "/*"):
			if i := strings.Index(rest[2:], "*/"); i >= 0 {
				l.pos += 2 + i + 2
			} else {
				l.pos = len(l.s)
			}
		default:
			return
		}
	}
}

// quoted reads a quoted value with Java's escapes: \n \t \b \f \r \a \v,
// octal \0 to \377, and a backslash before any other character standing for
// that character.
func (l *jaasLexer) quoted(q byte) (string, error) {
	start := l.pos
	l.pos++
	var b strings.Builder
	for l.pos < len(l.s) {
		c := l.s[l.pos]
		l.pos++
		switch {
		case c == q:
			return b.String(), nil
		case c != '\\':
			b.WriteByte(c)
		case l.pos == len(l.s):
			// The backslash is the last character: the quote never closes.
		default:
			e := l.s[l.pos]
			l.pos++
			switch e {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'r':
				b.WriteByte('\r')
			case 'a':
				b.WriteByte('\a')
			case 'v':
				b.WriteByte('\v')
			default:
				if e < '0' || e > '7' {
					b.WriteByte(e)
					continue
				}
				// Up to three octal digits, at most \377, as Java reads them.
				n, digits := int(e-'0'), 1
				for digits < 3 && l.pos < len(l.s) && l.s[l.pos] >= '0' && l.s[l.pos] <= '7' && (digits < 2 || e <= '3') {
					n = n*8 + int(l.s[l.pos]-'0')
					l.pos++
					digits++
				}
				b.WriteRune(rune(n))
			}
		}
	}
	return "", &jaasSyntaxError{start, "quoted value is not closed"}
}

// tlsConfig builds the client TLS configuration of the ssl.* keys.
func tlsConfig(s securitySettings) (*tls.Config, error) {
	var errs []error
	c := &tls.Config{MinVersion: tls.VersionTLS12}
	if err := tlsVersions(s, c); err != nil {
		errs = append(errs, err)
	}
	roots, err := trustStore(s)
	if err != nil {
		errs = append(errs, err)
	}
	c.RootCAs = roots
	cert, err := keyStore(s)
	if err != nil {
		errs = append(errs, err)
	}
	if cert != nil {
		c.Certificates = []tls.Certificate{*cert}
	}
	// Kafka's default, https, verifies the broker's host name; empty turns
	// that off, but the certificate chain is still verified.
	switch alg := s[keySSLEndpointIdentification]; {
	case strings.EqualFold(alg, "https"):
	case alg == "":
		if _, set := s[keySSLEndpointIdentification]; set {
			c.InsecureSkipVerify = true
			c.VerifyConnection = verifyChainOnly(roots)
		}
	default:
		errs = append(errs, s.invalid(keySSLEndpointIdentification, errors.New("expected https, or empty not to verify the broker's host name")))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return c, nil
}

// verifyChainOnly checks the broker's certificate chain against roots (the
// system's when nil) without checking its host name.
func verifyChainOnly(roots *x509.CertPool) func(tls.ConnectionState) error {
	return func(cs tls.ConnectionState) error {
		if len(cs.PeerCertificates) == 0 {
			return errors.New("the broker sent no certificate")
		}
		inter := x509.NewCertPool()
		for _, c := range cs.PeerCertificates[1:] {
			inter.AddCert(c)
		}
		_, err := cs.PeerCertificates[0].Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter})
		return err
	}
}

func tlsVersion(name string) (uint16, bool) {
	switch strings.ToUpper(name) {
	case "TLSV1.2":
		return tls.VersionTLS12, true
	case "TLSV1.3":
		return tls.VersionTLS13, true
	}
	return 0, false
}

// tlsVersions maps ssl.protocol and ssl.enabled.protocols onto the versions
// Go offers: ssl.protocol=TLSv1.2 caps the version, as Java's TLSv1.2
// context does, and the enabled protocols bound it both ways.
func tlsVersions(s securitySettings, c *tls.Config) error {
	p := s.get(keySSLProtocol, "TLSv1.3")
	if v, ok := tlsVersion(p); ok {
		if v == tls.VersionTLS12 {
			c.MaxVersion = v
		}
	} else if !strings.EqualFold(p, "TLS") {
		return s.invalid(keySSLProtocol, errors.New("expected TLSv1.2 or TLSv1.3"))
	}
	list := s.get(keySSLEnabledProtocols, "")
	if list == "" {
		return nil
	}
	var lo, hi uint16
	for p := range strings.SplitSeq(list, ",") {
		v, ok := tlsVersion(strings.TrimSpace(p))
		if !ok {
			return s.invalid(keySSLEnabledProtocols, errors.New("expected a list of TLSv1.2 and TLSv1.3"))
		}
		if lo == 0 || v < lo {
			lo = v
		}
		hi = max(hi, v)
	}
	c.MinVersion = lo
	if c.MaxVersion == 0 || hi < c.MaxVersion {
		c.MaxVersion = hi
	}
	if c.MinVersion > c.MaxVersion {
		return fmt.Errorf("%s=%q allows none of %s=%q", keySSLProtocol, s[keySSLProtocol], keySSLEnabledProtocols, list)
	}
	return nil
}

// jksMagic starts every JKS file. Java reads a PKCS12 file named as JKS (its
// keystore.type.compat), so we tell them apart by content, as it does.
var jksMagic = []byte{0xfe, 0xed, 0xfe, 0xed}

// trustStore returns the certificates that verify brokers, or nil for the
// system's, as Kafka uses the JVM's when no truststore is given.
func trustStore(s securitySettings) (*x509.CertPool, error) {
	typ := strings.ToUpper(s.get(keySSLTruststoreType, "JKS"))
	loc, inline, pass := s.get(keySSLTruststoreLocation, ""), s.get(keySSLTruststoreCertificates, ""), s.get(keySSLTruststorePassword, "")
	if loc == "" && inline == "" {
		return nil, nil
	}
	if inline != "" && typ != "PEM" {
		return nil, fmt.Errorf("%s needs %s=PEM", keySSLTruststoreCertificates, keySSLTruststoreType)
	}
	pool := x509.NewCertPool()
	switch typ {
	case "PEM":
		if pass != "" {
			return nil, fmt.Errorf("%s must not be set with %s=PEM", keySSLTruststorePassword, keySSLTruststoreType)
		}
		data, what := []byte(inline), keySSLTruststoreCertificates
		if loc != "" {
			if inline != "" {
				return nil, fmt.Errorf("set %s or %s, not both", keySSLTruststoreLocation, keySSLTruststoreCertificates)
			}
			var err error
			if data, err = os.ReadFile(loc); err != nil {
				return nil, fmt.Errorf("%s: %w", keySSLTruststoreLocation, err)
			}
			what = loc
		}
		if !pool.AppendCertsFromPEM(data) {
			return nil, fmt.Errorf("%s: no PEM certificate in %s", keySSLTruststoreType, what)
		}
	case "JKS", "PKCS12":
		data, err := os.ReadFile(loc)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", keySSLTruststoreLocation, err)
		}
		var certs []*x509.Certificate
		if bytes.HasPrefix(data, jksMagic) {
			certs, err = jksTrusted(data, pass)
		} else {
			certs, err = pkcs12.DecodeTrustStore(data, pass)
		}
		if err != nil {
			return nil, storeError("truststore", loc, keySSLTruststorePassword, err)
		}
		if len(certs) == 0 {
			return nil, fmt.Errorf("%s: no trusted certificate in %s", keySSLTruststoreLocation, loc)
		}
		for _, c := range certs {
			pool.AddCert(c)
		}
	default:
		return nil, s.invalid(keySSLTruststoreType, errors.New("expected JKS, PKCS12 or PEM"))
	}
	return pool, nil
}

// storeError explains why a JKS or PKCS12 file would not open. Neither
// library puts the password in its errors.
func storeError(what, path, passwordKey string, err error) error {
	if errors.Is(err, pkcs12.ErrIncorrectPassword) || strings.Contains(err.Error(), "invalid digest") {
		return fmt.Errorf("cannot open %s %s: %s is wrong", what, path, passwordKey)
	}
	return fmt.Errorf("cannot open %s %s: %w", what, path, err)
}

func loadJKS(data []byte, pass string) (keystore.KeyStore, error) {
	ks := keystore.New()
	if err := ks.Load(bytes.NewReader(data), []byte(pass)); err != nil {
		return ks, err
	}
	return ks, nil
}

func jksTrusted(data []byte, pass string) ([]*x509.Certificate, error) {
	ks, err := loadJKS(data, pass)
	if err != nil {
		return nil, err
	}
	var out []*x509.Certificate
	for _, alias := range ks.Aliases() {
		if !ks.IsTrustedCertificateEntry(alias) {
			continue
		}
		e, err := ks.GetTrustedCertificateEntry(alias)
		if err != nil {
			return nil, err
		}
		c, err := x509.ParseCertificate(e.Certificate.Content)
		if err != nil {
			return nil, fmt.Errorf("certificate %s: %w", alias, err)
		}
		out = append(out, c)
	}
	return out, nil
}

// keyStore returns the client certificate brokers that ask for one get, or
// nil when no keystore is given.
func keyStore(s securitySettings) (*tls.Certificate, error) {
	typ := strings.ToUpper(s.get(keySSLKeystoreType, "JKS"))
	loc, pass := s.get(keySSLKeystoreLocation, ""), s.get(keySSLKeystorePassword, "")
	chain, key := s.get(keySSLKeystoreChain, ""), s.get(keySSLKeystoreKey, "")
	// Java reads a key with the keystore's password unless told otherwise.
	keyPass := s.get(keySSLKeyPassword, pass)
	if loc == "" && chain == "" && key == "" {
		return nil, nil
	}
	if (chain != "" || key != "") && typ != "PEM" {
		return nil, fmt.Errorf("%s and %s need %s=PEM", keySSLKeystoreChain, keySSLKeystoreKey, keySSLKeystoreType)
	}
	switch typ {
	case "PEM":
		if pass != "" {
			return nil, fmt.Errorf("%s must not be set with %s=PEM: only %s may be", keySSLKeystorePassword, keySSLKeystoreType, keySSLKeyPassword)
		}
		certPEM, keyPEM, what := []byte(chain), []byte(key), keySSLKeystoreKey
		switch {
		case loc != "" && (chain != "" || key != ""):
			return nil, fmt.Errorf("set %s, or %s and %s, not both", keySSLKeystoreLocation, keySSLKeystoreChain, keySSLKeystoreKey)
		case loc != "":
			data, err := os.ReadFile(loc)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", keySSLKeystoreLocation, err)
			}
			certPEM, keyPEM, what = data, data, loc
		case chain == "" || key == "":
			return nil, fmt.Errorf("%s and %s go together", keySSLKeystoreChain, keySSLKeystoreKey)
		}
		if s.get(keySSLKeyPassword, "") != "" || bytes.Contains(keyPEM, []byte("ENCRYPTED")) {
			return nil, fmt.Errorf("%s: encrypted PEM private keys are not supported; use an unencrypted key or a PKCS12 or JKS keystore", keySSLKeyPassword)
		}
		cert, err := tls.X509KeyPair(certPEM, keyPEM)
		if err != nil {
			// crypto/tls's errors describe the PEM blocks, never the key.
			return nil, fmt.Errorf("%s: cannot use the PEM key and certificates of %s: %w", keySSLKeystoreType, what, err)
		}
		return &cert, nil
	case "JKS", "PKCS12":
		data, err := os.ReadFile(loc)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", keySSLKeystoreLocation, err)
		}
		if bytes.HasPrefix(data, jksMagic) {
			return jksKey(data, loc, pass, keyPass)
		}
		priv, leaf, cas, err := pkcs12.DecodeChain(data, pass)
		if err != nil {
			return nil, storeError("keystore", loc, keySSLKeystorePassword, err)
		}
		cert := &tls.Certificate{Certificate: [][]byte{leaf.Raw}, PrivateKey: priv, Leaf: leaf}
		for _, c := range cas {
			cert.Certificate = append(cert.Certificate, c.Raw)
		}
		return cert, nil
	default:
		return nil, s.invalid(keySSLKeystoreType, errors.New("expected JKS, PKCS12 or PEM"))
	}
}

// jksKey reads the first private key entry of a JKS keystore, by alias, as
// the key Java's key manager would offer.
func jksKey(data []byte, loc, pass, keyPass string) (*tls.Certificate, error) {
	ks, err := loadJKS(data, pass)
	if err != nil {
		return nil, storeError("keystore", loc, keySSLKeystorePassword, err)
	}
	aliases := ks.Aliases()
	sort.Strings(aliases)
	for _, alias := range aliases {
		if !ks.IsPrivateKeyEntry(alias) {
			continue
		}
		e, err := ks.GetPrivateKeyEntry(alias, []byte(keyPass))
		if err != nil {
			return nil, fmt.Errorf("cannot read key %s of keystore %s: %s (%s unless set) is wrong", alias, loc, keySSLKeyPassword, keySSLKeystorePassword)
		}
		priv, err := x509.ParsePKCS8PrivateKey(e.PrivateKey)
		if err != nil {
			return nil, fmt.Errorf("key %s of keystore %s: %w", alias, loc, err)
		}
		cert := &tls.Certificate{PrivateKey: priv}
		for _, c := range e.CertificateChain {
			cert.Certificate = append(cert.Certificate, c.Content)
		}
		if len(cert.Certificate) == 0 {
			return nil, fmt.Errorf("key %s of keystore %s has no certificate", alias, loc)
		}
		return cert, nil
	}
	return nil, fmt.Errorf("%s: no private key in %s", keySSLKeystoreLocation, loc)
}
