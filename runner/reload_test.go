package runner

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/internal/kafkatest"
)

// syncBuffer collects log output written from several goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestEditedConnectorFileReconfigures(t *testing.T) {
	_, addr := kafkatest.Cluster(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "numbers.properties")
	write := func(count string) {
		t.Helper()
		props := fmt.Sprintf("name=numbers\nconnector.class=CountingSource\ntopic=numbers\ncount=%s\n", count)
		if err := os.WriteFile(path, []byte(props), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// An editor's save: a new file renamed over the old one.
	replace := func(count string) {
		t.Helper()
		tmp := path + ".swp"
		props := fmt.Sprintf("name=numbers\nconnector.class=CountingSource\ntopic=numbers\ncount=%s\n", count)
		if err := os.WriteFile(tmp, []byte(props), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, path); err != nil {
			t.Fatal(err)
		}
	}
	write("5")
	cf, err := config.LoadConnectorFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	opts := Options{WorkerFile: "worker.properties", WorkerProps: workerProps(addr, filepath.Join(dir, "connect.offsets")),
		Connectors: []config.ConnectorFile{cf}, Registry: testRegistry(t, nil), Logger: log}
	w, _ := runWorker(t, opts)
	<-w.Ready()
	consumeAll(t, addr, "numbers", 5)

	write("8")
	got := consumeAll(t, addr, "numbers", 8)
	if got[7] != "value-7" {
		t.Errorf("after the edit the topic ends with %q, want value-7", got[7])
	}

	// A broken edit is reported with file and key; the connector runs on.
	write("many")
	eventually(t, "the broken edit reported", func() bool {
		return strings.Contains(logs.String(), path+": count:")
	})
	if st, err := w.Status("numbers"); err != nil || st.State != StateRunning || len(st.Tasks) != 1 || st.Tasks[0].State != StateRunning {
		t.Errorf("after a broken edit: %+v, %v", st, err)
	}
	if info, _ := w.Connector("numbers"); info.Config["count"] != "8" {
		t.Errorf("after a broken edit the config is %v, want the last good one", info.Config)
	}

	replace("10")
	got = consumeAll(t, addr, "numbers", 10)
	if got[9] != "value-9" {
		t.Errorf("after the replacing save the topic ends with %q, want value-9", got[9])
	}
	if info, _ := w.Connector("numbers"); info.Config["count"] != "10" {
		t.Errorf("after the replacing save the config is %v", info.Config)
	}
}
