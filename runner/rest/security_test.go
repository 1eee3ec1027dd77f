package rest

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/connectors/builtin"
	"github.com/connect-standalone/connect-standalone/internal/kafkatest"
	"github.com/connect-standalone/connect-standalone/runner"
)

// secured is a running worker whose REST API listens on the listeners of
// its worker properties.
type secured struct {
	t    *testing.T
	urls []string // scheme://host:port, one per listener
}

// lockedBuffer collects log lines written from several goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startSecured runs a worker with the extra worker properties, whose
// listeners key lists the listeners to serve, and the given command-line
// connectors. Logs go to log when it is not nil.
func startSecured(t *testing.T, extra map[string]string, log io.Writer, conns ...config.ConnectorFile) *secured {
	t.Helper()
	_, addr := kafkatest.Cluster(t)
	props := workerProps(addr, t.TempDir())
	for k, v := range extra {
		props[k] = v
	}
	reg, err := builtin.New(strings.NewReader(""), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if log == nil {
		log = t.Output()
	}
	logger := slog.New(slog.NewTextHandler(log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	w, err := runner.New(runner.Options{WorkerFile: "worker.properties", WorkerProps: props, Connectors: conns, Registry: reg, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	srv := New(Options{Worker: w, Registry: reg, Version: connectors.Version, Logger: logger, WorkerProps: props})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	var served []<-chan error
	t.Cleanup(func() {
		cancel()
		for _, ch := range served {
			if err := <-ch; err != nil {
				t.Errorf("serve: %v", err)
			}
		}
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	select {
	case <-w.Ready():
	case err := <-done:
		done <- err
		t.Fatalf("worker ended: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("worker not ready after 30 s")
	}
	s := &secured{t: t}
	for _, l := range w.Listeners() {
		hostPort, ch, err := srv.Listen(ctx, l)
		if err != nil {
			t.Fatal(err)
		}
		served = append(served, ch)
		scheme, _, _ := strings.Cut(l, "://")
		_, port, _ := net.SplitHostPort(hostPort)
		// A wildcard listener is reached on the loopback address.
		s.urls = append(s.urls, scheme+"://127.0.0.1:"+port)
	}
	return s
}

// do makes one request with client; body is JSON-encoded when not nil.
func (s *secured) do(client *http.Client, method, url string, body any, user, password string) (int, []byte, http.Header) {
	s.t.Helper()
	var r io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			s.t.Fatal(err)
		}
		r = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if user != "" || password != "" {
		req.SetBasicAuth(user, password)
	}
	resp, err := client.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	return resp.StatusCode, data, resp.Header
}

// --- certificates ----------------------------------------------------------------

// authority is a test CA that issues server and client certificates.
type authority struct {
	cert    *x509.Certificate
	key     *ecdsa.PrivateKey
	certPEM []byte
}

func newAuthority(t *testing.T) *authority {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "test CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &authority{cert: cert, key: key, certPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
}

// issue returns a PEM certificate for 127.0.0.1 (a server's, or a
// client's) and its PKCS#8 PEM key.
func (a *authority) issue(t *testing.T, serial int64, usage x509.ExtKeyUsage) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(serial),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{usage},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, a.cert, &key.PublicKey, a.key)
	if err != nil {
		t.Fatal(err)
	}
	pk, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pk})
}

// tlsClient trusts the roots in PEM and presents cert when it is not nil.
func tlsClient(t *testing.T, rootsPEM []byte, cert *tls.Certificate) *http.Client {
	t.Helper()
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(rootsPEM) {
		t.Fatal("no root certificate")
	}
	cfg := &tls.Config{RootCAs: roots}
	if cert != nil {
		cfg.Certificates = []tls.Certificate{*cert}
	}
	tr := &http.Transport{TLSClientConfig: cfg}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 10 * time.Second}
}

func writeFile(t *testing.T, path string, data []byte) string {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// --- TLS -------------------------------------------------------------------------

func TestHTTPSKeystores(t *testing.T) {
	ca := newAuthority(t)
	certPEM, keyPEM := ca.issue(t, 2, x509.ExtKeyUsageServerAuth)
	dir := t.TempDir()
	combined := writeFile(t, filepath.Join(dir, "server.pem"), append(append([]byte{}, certPEM...), keyPEM...))
	fixtureCA, err := os.ReadFile(filepath.Join("testdata", "keystore-cert.pem"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		props map[string]string
		roots []byte
	}{
		{"PEM file", map[string]string{"ssl.keystore.type": "PEM", "ssl.keystore.location": combined}, ca.certPEM},
		{"PEM file, type recognised", map[string]string{"ssl.keystore.location": combined}, ca.certPEM},
		{"inline PEM", map[string]string{"ssl.keystore.type": "PEM", "ssl.keystore.certificate.chain": string(certPEM), "ssl.keystore.key": string(keyPEM)}, ca.certPEM},
		{"listeners.https. over ssl.", map[string]string{
			"ssl.keystore.location":                       filepath.Join(dir, "absent.pem"),
			"listeners.https.ssl.keystore.location":       combined,
			"listeners.https.ssl.enabled.protocols":       "TLSv1.3",
			"listeners.https.ssl.keystore.type":           "pem",
			"listeners.https.ssl.client.auth":             "none",
			"listeners.https.ssl.truststore.type":         "PEM",
			"listeners.https.ssl.truststore.certificates": string(ca.certPEM),
		}, ca.certPEM},
		{"PKCS12", map[string]string{"ssl.keystore.type": "PKCS12", "ssl.keystore.location": filepath.Join("testdata", "keystore-legacy.p12"), "ssl.keystore.password": "changeit"}, fixtureCA},
	} {
		t.Run(tc.name, func(t *testing.T) {
			props := map[string]string{"listeners": "https://127.0.0.1:0"}
			for k, v := range tc.props {
				props[k] = v
			}
			s := startSecured(t, props, nil)
			if !strings.HasPrefix(s.urls[0], "https://") {
				t.Fatalf("listener %s", s.urls[0])
			}
			code, data, _ := s.do(tlsClient(t, tc.roots, nil), "GET", s.urls[0]+"/", nil, "", "")
			if code != http.StatusOK {
				t.Errorf("GET / over TLS: %d %s", code, data)
			}
		})
	}
}

func TestHTTPSClientAuth(t *testing.T) {
	ca := newAuthority(t)
	certPEM, keyPEM := ca.issue(t, 2, x509.ExtKeyUsageServerAuth)
	clientCertPEM, clientKeyPEM := ca.issue(t, 3, x509.ExtKeyUsageClientAuth)
	clientCert, err := tls.X509KeyPair(clientCertPEM, clientKeyPEM)
	if err != nil {
		t.Fatal(err)
	}
	other := newAuthority(t)
	strangerPEM, strangerKeyPEM := other.issue(t, 4, x509.ExtKeyUsageClientAuth)
	stranger, err := tls.X509KeyPair(strangerPEM, strangerKeyPEM)
	if err != nil {
		t.Fatal(err)
	}
	trust := writeFile(t, filepath.Join(t.TempDir(), "trust.pem"), ca.certPEM)
	for _, tc := range []struct {
		auth          string
		none, signed  bool // whether a client without a certificate, with one from ca, gets in
		strangerCanIn bool
	}{
		{auth: "required", none: false, signed: true},
		{auth: "requested", none: true, signed: true},
	} {
		t.Run(tc.auth, func(t *testing.T) {
			s := startSecured(t, map[string]string{
				"listeners":                      "https://127.0.0.1:0",
				"ssl.keystore.certificate.chain": string(certPEM),
				"ssl.keystore.key":               string(keyPEM),
				"ssl.client.auth":                tc.auth,
				"ssl.truststore.location":        trust,
			}, nil)
			for _, c := range []struct {
				name string
				cert *tls.Certificate
				want bool
			}{
				{"no certificate", nil, tc.none},
				{"signed certificate", &clientCert, tc.signed},
				{"certificate of another CA", &stranger, tc.strangerCanIn},
			} {
				resp, err := tlsClient(t, ca.certPEM, c.cert).Get(s.urls[0] + "/health")
				if err == nil {
					resp.Body.Close()
				}
				if got := err == nil && resp.StatusCode == http.StatusOK; got != c.want {
					t.Errorf("%s: served %v (err %v), want %v", c.name, got, err, c.want)
				}
			}
		})
	}
}

func TestHTTPAndHTTPSListeners(t *testing.T) {
	ca := newAuthority(t)
	certPEM, keyPEM := ca.issue(t, 2, x509.ExtKeyUsageServerAuth)
	s := startSecured(t, map[string]string{
		"listeners":                      "http://127.0.0.1:0, https://127.0.0.1:0",
		"ssl.keystore.certificate.chain": string(certPEM),
		"ssl.keystore.key":               string(keyPEM),
	}, nil)
	clients := map[string]*http.Client{"http": http.DefaultClient, "https": tlsClient(t, ca.certPEM, nil)}
	if len(s.urls) != 2 {
		t.Fatalf("listeners %v", s.urls)
	}
	for _, u := range s.urls {
		scheme, _, _ := strings.Cut(u, "://")
		if code, data, _ := s.do(clients[scheme], "GET", u+"/connectors", nil, "", ""); code != http.StatusOK {
			t.Errorf("GET %s/connectors: %d %s", u, code, data)
		}
	}
}

func TestTLSSettingErrors(t *testing.T) {
	dir := t.TempDir()
	ca := newAuthority(t)
	certPEM, keyPEM := ca.issue(t, 2, x509.ExtKeyUsageServerAuth)
	pemFile := writeFile(t, filepath.Join(dir, "server.pem"), append(append([]byte{}, certPEM...), keyPEM...))
	jks := writeFile(t, filepath.Join(dir, "server.jks"), []byte{0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2})
	encrypted := writeFile(t, filepath.Join(dir, "enc.pem"), append(append([]byte{}, certPEM...), pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte{1}})...))
	for _, tc := range []struct {
		name  string
		props map[string]string
		want  []string
	}{
		{"no keystore", map[string]string{}, []string{"ssl.keystore.location", "ssl.keystore.certificate.chain"}},
		{"JKS", map[string]string{"ssl.keystore.type": "JKS", "ssl.keystore.location": pemFile}, []string{"ssl.keystore.type", "JKS", "not supported yet for the REST listener"}},
		{"JKS recognised", map[string]string{"ssl.keystore.location": jks}, []string{"ssl.keystore.location", "JKS", "not supported yet for the REST listener"}},
		{"JKS truststore", map[string]string{"ssl.keystore.location": pemFile, "ssl.client.auth": "required", "ssl.truststore.location": jks}, []string{"ssl.truststore.location", "not supported yet for the REST listener"}},
		{"PKCS12 with AES", map[string]string{"ssl.keystore.location": filepath.Join("testdata", "keystore-aes.p12"), "ssl.keystore.password": "changeit"}, []string{"ssl.keystore.location", "not supported yet for the REST listener"}},
		{"PKCS12 wrong password", map[string]string{"ssl.keystore.location": filepath.Join("testdata", "keystore-legacy.p12"), "ssl.keystore.password": "wrong"}, []string{"ssl.keystore.location", "wrong password"}},
		{"missing file", map[string]string{"ssl.keystore.location": filepath.Join(dir, "absent.pem")}, []string{"ssl.keystore.location", "no such file"}},
		{"encrypted key", map[string]string{"ssl.keystore.location": encrypted}, []string{"ssl.key.password", "not supported yet"}},
		{"PEM with a store password", map[string]string{"ssl.keystore.location": pemFile, "ssl.keystore.password": "x"}, []string{"ssl.keystore.password"}},
		{"unknown type", map[string]string{"ssl.keystore.location": pemFile, "ssl.keystore.type": "BKS"}, []string{"ssl.keystore.type=BKS"}},
		{"old protocol", map[string]string{"ssl.keystore.location": pemFile, "ssl.enabled.protocols": "TLSv1.1,TLSv1.2"}, []string{"ssl.enabled.protocols", "TLSv1.1"}},
		{"client auth without truststore", map[string]string{"ssl.keystore.location": pemFile, "ssl.client.auth": "required"}, []string{"ssl.client.auth=required", "ssl.truststore.location"}},
		{"prefix hides ssl. keys", map[string]string{"ssl.keystore.location": pemFile, "listeners.https.ssl.client.auth": "none"}, []string{"listeners.https.ssl.keystore.location"}},
		{"inline chain without key", map[string]string{"ssl.keystore.certificate.chain": string(certPEM)}, []string{"ssl.keystore.key"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := serverTLS(tc.props)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

// --- basic authentication --------------------------------------------------------------

func TestBasicAuth(t *testing.T) {
	const password = "pa55-w0rd:with=odd chars"
	creds := writeFile(t, filepath.Join(t.TempDir(), "credentials.properties"), []byte("# users\nadmin="+strings.ReplaceAll(password, "=", `\=`)+"\nreader = other\n"))
	var log lockedBuffer
	s := startSecured(t, map[string]string{"listeners": "http://127.0.0.1:0", "rest.basic.auth.credentials.file": creds}, &log)
	for _, tc := range []struct {
		name, method, path, user, password string
		want                               int
	}{
		{"no credentials", "GET", "/connectors", "", "", http.StatusUnauthorized},
		{"no credentials, health", "GET", "/health", "", "", http.StatusUnauthorized},
		{"no credentials, unknown path", "GET", "/nowhere", "", "", http.StatusUnauthorized},
		{"wrong password", "GET", "/connectors", "admin", password + "x", http.StatusUnauthorized},
		{"another user's password", "GET", "/connectors", "reader", password, http.StatusUnauthorized},
		{"password as user name", "GET", "/connectors", password, "", http.StatusUnauthorized},
		{"unknown user", "DELETE", "/connectors/x", "root", password, http.StatusUnauthorized},
		{"right credentials", "GET", "/connectors", "admin", password, http.StatusOK},
		{"right credentials, health", "GET", "/health", "reader", "other", http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, data, hdr := s.do(http.DefaultClient, tc.method, s.urls[0]+tc.path, nil, tc.user, tc.password)
			if code != tc.want {
				t.Fatalf("%s %s: %d %s, want %d", tc.method, tc.path, code, data, tc.want)
			}
			if code != http.StatusUnauthorized {
				return
			}
			if got := hdr.Get("WWW-Authenticate"); got != `Basic realm="connect"` {
				t.Errorf("WWW-Authenticate %q", got)
			}
			var e errorBody
			if err := json.Unmarshal(data, &e); err != nil || e.ErrorCode != http.StatusUnauthorized || e.Message != "User cannot access the resource." {
				t.Errorf("body %s (%v)", data, err)
			}
		})
	}
	logged := log.String()
	if !strings.Contains(logged, "invalid credentials") {
		t.Errorf("refusals not logged:\n%s", logged)
	}
	for _, secret := range []string{password, "pa55-w0rd", "other"} {
		if strings.Contains(logged, secret) {
			t.Errorf("the log shows %q:\n%s", secret, logged)
		}
	}
}

func TestSettingsErrorsAtStart(t *testing.T) {
	dir := t.TempDir()
	empty := writeFile(t, filepath.Join(dir, "empty.properties"), []byte("# nobody\n"))
	unreadable := filepath.Join(dir, "a-directory")
	if err := os.Mkdir(unreadable, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		props map[string]string
		want  []string
	}{
		{"missing credentials file", map[string]string{"rest.basic.auth.credentials.file": filepath.Join(dir, "absent.properties")}, []string{"rest.basic.auth.credentials.file", "absent.properties"}},
		{"unreadable credentials file", map[string]string{"rest.basic.auth.credentials.file": unreadable}, []string{"rest.basic.auth.credentials.file"}},
		{"no user", map[string]string{"rest.basic.auth.credentials.file": empty}, []string{"rest.basic.auth.credentials.file", "names no user"}},
		{"empty allowed directory", map[string]string{"rest.allowed.file.dirs": dir + ",,"}, []string{"rest.allowed.file.dirs"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reg, err := builtin.New(strings.NewReader(""), io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			props := workerProps("127.0.0.1:1", dir)
			for k, v := range tc.props {
				props[k] = v
			}
			w, err := runner.New(runner.Options{WorkerProps: props, Registry: reg})
			if err != nil {
				t.Fatal(err)
			}
			srv := New(Options{Worker: w, Registry: reg, WorkerProps: props})
			_, _, err = srv.Listen(t.Context(), "http://127.0.0.1:0")
			if err == nil {
				t.Fatal("Listen: no error")
			}
			for _, want := range tc.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
			// Embedders of the handler get no unprotected API either.
			rec := httptest.NewRecorder()
			srv.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/connectors", nil))
			if rec.Code != http.StatusInternalServerError {
				t.Errorf("handler answered %d, want 500", rec.Code)
			}
		})
	}
}

// --- allowed files ----------------------------------------------------------------

func TestAllowedFileDirs(t *testing.T) {
	root := t.TempDir()
	allowed := filepath.Join(root, "allowed")
	outside := filepath.Join(root, "outside")
	for _, d := range []string{allowed, outside, filepath.Join(allowed, "sub")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	mustSymlink(t, outside, filepath.Join(allowed, "to-outside"))
	mustSymlink(t, filepath.Join(outside, "secret.txt"), filepath.Join(allowed, "secret.txt"))
	mustSymlink(t, filepath.Join(outside, "not-yet.txt"), filepath.Join(allowed, "dangling.txt"))
	// "via" is a link to allowed/sub, so via/.. is allowed itself: the OS
	// follows the link before applying "..".
	mustSymlink(t, filepath.Join(allowed, "sub"), filepath.Join(root, "via"))
	appendLines(t, filepath.Join(outside, "secret.txt"), "s")

	// A command-line connector may name any file: the operator wrote it.
	cli := config.ConnectorFile{Path: "cli.properties", Name: "cli", Config: map[string]string{
		"name": "cli", "connector.class": "FileStreamSource", "tasks.max": "1", "file": filepath.Join(outside, "secret.txt"), "topic": "cli",
	}}
	s := startSecured(t, map[string]string{"listeners": "http://127.0.0.1:0", "rest.allowed.file.dirs": allowed}, nil, cli)
	source := func(file string) map[string]string {
		return map[string]string{"connector.class": "FileStreamSource", "tasks.max": "1", "file": file, "topic": "t"}
	}
	for i, tc := range []struct {
		name string
		file string
		ok   bool
	}{
		{"inside", filepath.Join(allowed, "in.txt"), true},
		{"in a subdirectory not created yet", filepath.Join(allowed, "new", "in.txt"), true},
		{"blank: standard input", "  ", true},
		{"through a link into the directory", root + "/via/../x.txt", true},
		{"outside", filepath.Join(outside, "secret.txt"), false},
		{"dot-dot escape", filepath.Join(allowed) + "/../outside/secret.txt", false},
		{"dot-dot escape past a missing directory", allowed + "/missing/../../outside/x.txt", false},
		{"link to a file outside", filepath.Join(allowed, "secret.txt"), false},
		{"link to a directory outside", filepath.Join(allowed, "to-outside", "secret.txt"), false},
		{"dangling link", filepath.Join(allowed, "dangling.txt"), false},
		{"relative", "relative.txt", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name := fmt.Sprintf("c%d", i)
			code, data, _ := s.do(http.DefaultClient, "POST", s.urls[0]+"/connectors", map[string]any{"name": name, "config": source(tc.file)}, "", "")
			if tc.ok {
				if code != http.StatusCreated {
					t.Fatalf("POST: %d %s", code, data)
				}
				return
			}
			expectRefused(t, code, data, tc.file)
			// PUT creating the connector is checked the same way.
			code, data, _ = s.do(http.DefaultClient, "PUT", s.urls[0]+"/connectors/"+name+"/config", source(tc.file), "", "")
			expectRefused(t, code, data, tc.file)
		})
	}

	// Changing a connector's file is checked; leaving it alone is not.
	inside := filepath.Join(allowed, "in.txt")
	if code, data, _ := s.do(http.DefaultClient, "POST", s.urls[0]+"/connectors", map[string]any{"name": "edit", "config": source(inside)}, "", ""); code != http.StatusCreated {
		t.Fatalf("POST: %d %s", code, data)
	}
	secret := filepath.Join(outside, "secret.txt")
	code, data, _ := s.do(http.DefaultClient, "PATCH", s.urls[0]+"/connectors/edit/config", map[string]any{"file": secret}, "", "")
	expectRefused(t, code, data, secret)
	code, data, _ = s.do(http.DefaultClient, "PUT", s.urls[0]+"/connectors/edit/config", source(secret), "", "")
	expectRefused(t, code, data, secret)
	if code, data, _ := s.do(http.DefaultClient, "PATCH", s.urls[0]+"/connectors/cli/config", map[string]any{"tasks.max": "1", "topic": "cli2"}, "", ""); code != http.StatusOK {
		t.Errorf("PATCH of a command-line connector, file unchanged: %d %s", code, data)
	}
	code, data, _ = s.do(http.DefaultClient, "PATCH", s.urls[0]+"/connectors/cli/config", map[string]any{"file": filepath.Join(outside, "other.txt")}, "", "")
	expectRefused(t, code, data, filepath.Join(outside, "other.txt"))
}

func mustSymlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

// expectRefused checks a 400 naming the file key, the file and the
// setting to change.
func expectRefused(t *testing.T, code int, data []byte, file string) {
	t.Helper()
	var e errorBody
	if err := json.Unmarshal(data, &e); err != nil || code != http.StatusBadRequest || e.ErrorCode != code {
		t.Fatalf("status %d, body %s, want 400", code, data)
	}
	for _, want := range []string{"file: ", fmt.Sprintf("%q", file), "rest.allowed.file.dirs"} {
		if !strings.Contains(e.Message, want) {
			t.Errorf("message %q does not contain %q", e.Message, want)
		}
	}
}

func TestAllowedFileDirsEmpty(t *testing.T) {
	file := filepath.Join(t.TempDir(), "any.txt")
	for _, tc := range []struct {
		listener string
		ok       bool
	}{
		{"http://127.0.0.1:0", true},
		{"http://localhost:0", true},
		{"http://0.0.0.0:0", false},
	} {
		t.Run(tc.listener, func(t *testing.T) {
			s := startSecured(t, map[string]string{"listeners": tc.listener}, nil)
			body := map[string]any{"name": "c", "config": map[string]string{"connector.class": "FileStreamSink", "tasks.max": "1", "file": file, "topics": "t"}}
			code, data, _ := s.do(http.DefaultClient, "POST", s.urls[0]+"/connectors", body, "", "")
			if tc.ok {
				if code != http.StatusCreated {
					t.Errorf("POST: %d %s", code, data)
				}
				return
			}
			expectRefused(t, code, data, file)
			if !strings.Contains(string(data), "loopback") {
				t.Errorf("message %s does not say why", data)
			}
		})
	}
}

func TestLoopbackListener(t *testing.T) {
	for l, want := range map[string]bool{
		"http://127.0.0.1:8083":  true,
		"http://127.1.2.3:8083":  true,
		"https://[::1]:8083":     true,
		"http://LocalHost:8083":  true,
		"http://:8083":           false,
		"http://0.0.0.0:8083":    false,
		"http://[::]:8083":       false,
		"http://10.0.0.1:8083":   false,
		"http://myhost:8083":     false,
		"ftp://127.0.0.1:8083":   false,
		"http://127.0.0.1":       false,
		"HTTPS://127.0.0.1:8083": true,
	} {
		if got := loopbackListener(l); got != want {
			t.Errorf("loopbackListener(%q) = %v, want %v", l, got, want)
		}
	}
}
