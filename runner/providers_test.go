package runner

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/internal/kafkatest"
)

// Connector values given as ${provider:path:key} reach the connector
// resolved, and are shown as given.
func TestConfigProviders(t *testing.T) {
	_, addr := kafkatest.Cluster(t)
	dir := t.TempDir()
	secrets := filepath.Join(dir, "secrets.properties")
	if err := os.WriteFile(secrets, []byte("count=4\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("NUMBERS_TOPIC", "resolved-numbers")
	props := workerProps(addr, filepath.Join(dir, "o"))
	props["config.providers"] = "env,file"
	props["config.providers.env.class"] = "org.apache.kafka.common.config.provider.EnvVarConfigProvider"
	props["config.providers.file.class"] = "org.apache.kafka.common.config.provider.FileConfigProvider"
	cfg := map[string]string{"name": "numbers", "connector.class": "CountingSource",
		"topic": "${env:NUMBERS_TOPIC}", "count": "${file:" + secrets + ":count}"}
	opts := Options{WorkerFile: "worker.properties", WorkerProps: props,
		Connectors: []config.ConnectorFile{{Path: "numbers.properties", Name: "numbers", Config: cfg}},
		Registry:   testRegistry(t, nil), Logger: testLogger(t)}
	w, _ := runWorker(t, opts)
	consumeAll(t, addr, "resolved-numbers", 4)

	info, err := w.Connector("numbers")
	if err != nil || info.Config["topic"] != "${env:NUMBERS_TOPIC}" {
		t.Errorf("config shown %v, %v: want the reference as given", info.Config, err)
	}
	tasks, err := w.Tasks("numbers")
	if err != nil || len(tasks) != 1 || tasks[0].Config["topic"] != "${env:NUMBERS_TOPIC}" {
		t.Errorf("task configs shown %v, %v: want the reference as given", tasks, err)
	}
}

// A reference that cannot be resolved is a configuration error naming the
// key, and never shows what other references resolved to.
func TestConfigProviderErrors(t *testing.T) {
	t.Setenv("SECRET_TOPIC", "s3cr3t-value")
	props := workerProps("127.0.0.1:1", filepath.Join(t.TempDir(), "o"))
	props["config.providers"] = "env"
	props["config.providers.env.class"] = "EnvVarConfigProvider"
	cfg := map[string]string{"name": "numbers", "connector.class": "CountingSource",
		"topic": "${env:SECRET_TOPIC}", "count": "${env:NO_SUCH_VARIABLE_HERE}"}
	_, err := New(Options{WorkerFile: "worker.properties", WorkerProps: props,
		Connectors: []config.ConnectorFile{{Path: "numbers.properties", Name: "numbers", Config: cfg}},
		Registry:   testRegistry(t, nil), Logger: testLogger(t)})
	if err == nil {
		t.Fatal("New accepted a reference to a missing variable")
	}
	if msg := err.Error(); !strings.Contains(msg, "numbers.properties: count") || strings.Contains(msg, "s3cr3t") {
		t.Errorf("error %q: want it to name numbers.properties and count, and not the resolved topic", msg)
	}
}
