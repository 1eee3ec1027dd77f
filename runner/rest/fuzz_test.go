package rest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/connect-standalone/connect-standalone/connectors/builtin"
	"github.com/connect-standalone/connect-standalone/runner"
)

// FuzzRequests sends arbitrary bodies to every endpoint that reads one, on
// a worker that is not running: whatever comes in, the answer is a client
// error or "not ready", with Kafka's error body, and never a crash.
func FuzzRequests(f *testing.F) {
	for _, seed := range []string{
		`{"name":"a","config":{"connector.class":"FileStreamSource","topic":"t"}}`,
		`{"name":"a/b","config":{}}`, `{"offsets":[{"partition":{"filename":"x"},"offset":{"position":1}}]}`,
		`{"level":"DEBUG"}`, `{"tasks.max":null}`, `[1,2]`, `{"name":`, "\x00\xff", `null`, `"x"`,
	} {
		f.Add(seed)
	}
	reg, err := builtin.New(strings.NewReader(""), io.Discard)
	if err != nil {
		f.Fatal(err)
	}
	w, err := runner.New(runner.Options{WorkerProps: map[string]string{
		"bootstrap.servers": "127.0.0.1:1", "key.converter": "StringConverter", "value.converter": "StringConverter",
		"offset.storage.file.filename": "/nonexistent/offsets",
	}, Registry: reg})
	if err != nil {
		f.Fatal(err)
	}
	h := New(Options{Worker: w, Registry: reg}).Handler()
	routes := []struct{ method, path string }{
		{"POST", "/connectors"}, {"PUT", "/connectors/a/config"}, {"PATCH", "/connectors/a/config"},
		{"PATCH", "/connectors/a/offsets"}, {"PUT", "/connector-plugins/FileStreamSource/config/validate"},
		{"PUT", "/admin/loggers/root"},
	}
	f.Fuzz(func(t *testing.T, body string) {
		for _, rt := range routes {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(rt.method, rt.path, strings.NewReader(body)))
			switch rec.Code {
			case http.StatusOK, http.StatusBadRequest, http.StatusNotFound, http.StatusForbidden,
				http.StatusRequestEntityTooLarge, http.StatusServiceUnavailable:
			default:
				t.Errorf("%s %s with %q: status %d: %s", rt.method, rt.path, body, rec.Code, rec.Body)
			}
			if rec.Code != http.StatusOK && !strings.Contains(rec.Body.String(), `"error_code"`) {
				t.Errorf("%s %s with %q: status %d without an error body: %s", rt.method, rt.path, body, rec.Code, rec.Body)
			}
		}
	})
}
