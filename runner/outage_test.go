package runner

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/internal/kafkatest"
)

// The broker becomes unreachable while a source is sending: the task waits
// and retries, and once the broker is back every record arrives once, in
// order.
func TestSourceSurvivesBrokerOutage(t *testing.T) {
	_, proxy, addr := kafkatest.ClusterBehindProxy(t)
	cfg := map[string]string{"name": "numbers", "connector.class": "CountingSource", "topic": "numbers", "count": "3000", "pace.ms": "20"}
	opts := Options{WorkerFile: "worker.properties", WorkerProps: workerProps(addr, filepath.Join(t.TempDir(), "o")),
		Connectors: []config.ConnectorFile{{Path: "numbers.properties", Name: "numbers", Config: cfg}},
		Registry:   testRegistry(t, nil), Logger: testLogger(t)}
	w, _ := runWorker(t, opts)
	<-w.Ready()
	time.Sleep(100 * time.Millisecond) // records flowing
	for range 2 {
		proxy.SetDown(true)
		time.Sleep(700 * time.Millisecond)
		proxy.SetDown(false)
		time.Sleep(100 * time.Millisecond)
	}
	got := consumeAll(t, addr, "numbers", 3000)
	for i, v := range got {
		if want := fmt.Sprintf("value-%d", i); v != want {
			t.Fatalf("record %d = %q, want %q: lost, duplicated or reordered", i, v, want)
		}
	}
	if st, _ := w.Status("numbers"); st.Tasks[0].State != StateRunning {
		t.Errorf("after the outages: %+v", st)
	}
}

// The broker becomes unreachable under a sink: once it is back the sink
// consumes what was produced meanwhile, by itself.
func TestSinkSurvivesBrokerOutage(t *testing.T) {
	_, proxy, addr := kafkatest.ClusterBehindProxy(t)
	kafkatest.Produce(t, addr, "in", "before-1", "before-2")
	sink := &collectingSink{tasks: 1}
	runWorker(t, sinkOptions(t, addr, sink, "in", nil))
	eventually(t, "the first records flushed", func() bool {
		_, flushed := sink.snapshot()
		return len(flushed) == 2
	})
	proxy.SetDown(true)
	time.Sleep(1500 * time.Millisecond)
	proxy.SetDown(false)
	kafkatest.Produce(t, addr, "in", "after-1", "after-2")
	eventually(t, "the records produced after the outage flushed", func() bool {
		_, flushed := sink.snapshot()
		return slices.Contains(flushed, "after-2")
	})
	_, flushed := sink.snapshot()
	var seen []string
	for _, v := range flushed {
		if !slices.Contains(seen, v) {
			seen = append(seen, v)
		}
	}
	if want := []string{"before-1", "before-2", "after-1", "after-2"}; !slices.Equal(seen, want) {
		t.Errorf("flushed %v, want each of %v in order", flushed, want)
	}
}
