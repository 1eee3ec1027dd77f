package e2e

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/connect-standalone/connect-standalone/internal/kafkatest"
)

var soakSeed = flag.Uint64("soak.seed", 0, "seed of TestSoakKillRestart's random kill delays; 0 picks one (it is logged)")

// Soak parameters. A cycle is a start plus a kill at a random moment in
// [minLife, maxLife): some kills land during start-up, most while lines
// stream. The flush interval is short so that a kill leaves little in
// flight, and the session timeout is short so that the sink's consumer
// group forgets the killed member quickly.
const (
	soakCycles        = 20
	soakMinLife       = 50 * time.Millisecond
	soakMaxLife       = 2500 * time.Millisecond
	soakFlushInterval = 200 * time.Millisecond
	soakLinesPerBurst = 20
	soakBurstEvery    = 5 * time.Millisecond
	// sourceInFlight is the runner's cap on a source task's unacknowledged
	// records.
	sourceInFlight = 16384
)

// TestSoakKillRestart streams numbered lines through a file source, a topic
// and a file sink while the worker is killed with SIGKILL and restarted
// again and again, against one broker that outlives every worker. After a
// last graceful stop, every line written must be in the sink (at least
// once), first occurrences in the order written. Repeats are counted: each
// kill may repeat what was in flight, that is the lines the source sent
// since its offsets were last flushed plus the records the sink wrote since
// its consumer offsets were last committed. A kill may tear the line the
// sink was writing; the restarted sink writes that line again in full.
//
// Replay a failure with -soak.seed=<the logged seed>.
func TestSoakKillRestart(t *testing.T) {
	needBinary(t)
	t.Parallel()
	seed := *soakSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("soak: seed %d (replay with -soak.seed=%d)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, seed))
	start := time.Now()

	_, bootstrap := kafkatest.Cluster(t, kfake.GroupMinSessionTimeout(500*time.Millisecond))
	dir := t.TempDir()
	args, source, sink := fileWorker(t, dir, bootstrap, map[string]string{
		"offset.flush.interval.ms":       strconv.Itoa(int(soakFlushInterval.Milliseconds())),
		"consumer.session.timeout.ms":    "2000",
		"consumer.heartbeat.interval.ms": "400",
		// A member killed while the group rebalances holds the rebalance
		// up for this long.
		"consumer.max.poll.interval.ms": "2000",
	})
	writeFile(t, dir, "test.txt", "")

	w := startLineWriter(t, source)

	// sinkAt[i] is the sink's size when the i-th worker was dead: what the
	// next worker wrote starts there.
	var sinkAt []int
	for cycle := range soakCycles {
		life := soakMinLife + time.Duration(rng.Int64N(int64(soakMaxLife-soakMinLife)))
		runThenKill(t, dir, life, args...)
		sinkAt = append(sinkAt, len(readFile(t, sink)))
		t.Logf("soak: cycle %d killed after %v, %d lines written, sink at %d bytes", cycle, life, w.written.Load(), sinkAt[cycle])
	}

	p := run(t, dir, false, args...)
	written := w.stop(t)
	wantLast := "soak-" + strconv.Itoa(written-1) + "\n"
	eventually(t, p, 2*startDeadline, "the last line written in the sink", func() bool {
		return strings.Contains(readFile(t, sink), wantLast)
	})
	p.stop(t)

	r := checkSoakSink(t, readFile(t, sink), written, sinkAt)
	t.Logf("soak: %d cycles, %d lines written, %d lost, %d duplicates", soakCycles, written, r.lost, r.duplicates)
	t.Logf("soak: at most %d duplicates after one kill; bound per kill: the records the source sent since its last offsets flush (one %v interval of reading, at most %d in flight) plus those the sink wrote since its last commit (one interval of consuming); %d torn lines; took %v",
		r.maxPerKill, soakFlushInterval, sourceInFlight, r.torn, time.Since(start).Round(time.Millisecond))
}

// lineWriter appends numbered lines to a file from its own goroutine.
type lineWriter struct {
	written atomic.Int64 // lines fully written so far
	quit    chan struct{}
	done    chan error
	once    sync.Once
	err     error
}

func startLineWriter(t *testing.T, path string) *lineWriter {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	w := &lineWriter{quit: make(chan struct{}), done: make(chan error, 1)}
	go func() {
		defer f.Close()
		tick := time.NewTicker(soakBurstEvery)
		defer tick.Stop()
		var buf []byte
		for n := 0; ; {
			select {
			case <-w.quit:
				w.done <- nil
				return
			case <-tick.C:
			}
			buf = buf[:0]
			for range soakLinesPerBurst {
				buf = fmt.Appendf(buf, "soak-%d\n", n)
				n++
			}
			// One write per burst: the reader sees whole lines or a
			// burst's prefix, as from any appending program.
			if _, err := f.Write(buf); err != nil {
				w.done <- err
				return
			}
			w.written.Store(int64(n))
		}
	}()
	t.Cleanup(func() { _ = w.end() })
	return w
}

// stop ends the writer and returns how many lines it wrote.
func (w *lineWriter) stop(t *testing.T) int {
	t.Helper()
	if err := w.end(); err != nil {
		t.Fatalf("append to the source file: %v", err)
	}
	return int(w.written.Load())
}

func (w *lineWriter) end() error {
	w.once.Do(func() {
		close(w.quit)
		w.err = <-w.done
	})
	return w.err
}

type soakResult struct {
	lost, duplicates, torn, maxPerKill int
}

// checkSoakSink checks the sink holds soak-0 .. soak-<written-1>, each at
// least once, first occurrences in order. sinkAt holds the sink's size at
// each kill, where a torn line may have been cut.
func checkSoakSink(t *testing.T, content string, written int, sinkAt []int) soakResult {
	t.Helper()
	var r soakResult
	seen := make([]bool, written)
	next := 0 // the next number whose first occurrence is expected
	perKill := make([]int, len(sinkAt)+1)
	segment := 0
	killedAt := make(map[int]bool, len(sinkAt))
	for _, at := range sinkAt {
		killedAt[at] = true
	}
	// take counts one whole line of the sink.
	take := func(line string, at int) {
		n, err := strconv.Atoi(strings.TrimPrefix(line, "soak-"))
		if err != nil || n < 0 || n >= written || line != "soak-"+strconv.Itoa(n) {
			t.Errorf("sink line at byte %d is %q: not a line written, nor one torn by a kill", at, line)
			return
		}
		if seen[n] {
			r.duplicates++
			perKill[segment]++
			return
		}
		if n != next {
			t.Errorf("sink line at byte %d is soak-%d, want soak-%d next: first occurrences out of order", at, n, next)
		}
		seen[n] = true
		next = n + 1
	}
	sc := bufio.NewScanner(strings.NewReader(content))
	sc.Buffer(nil, 1<<20)
	sc.Split(scanWholeLines)
	offset := 0
	for sc.Scan() {
		line := sc.Text()
		lineStart := offset
		offset += len(line) + 1
		for segment < len(sinkAt) && lineStart >= sinkAt[segment] {
			segment++
		}
		// A torn line runs to where the sink stood when a worker died; the
		// restarted worker's first line follows it on the same line.
		if cut := tornAt(line, lineStart, killedAt); cut > 0 {
			r.torn++
			take(line[cut:], lineStart+cut)
			continue
		}
		take(line, lineStart)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if r.torn > len(sinkAt) {
		t.Errorf("%d torn lines, more than the %d kills", r.torn, len(sinkAt))
	}
	for n, ok := range seen {
		if !ok {
			if r.lost < 10 {
				t.Errorf("soak-%d is missing from the sink", n)
			}
			r.lost++
		}
	}
	for _, d := range perKill {
		r.maxPerKill = max(r.maxPerKill, d)
	}
	return r
}

// tornAt returns where the restarted worker's line starts in line, which
// starts at byte start of the sink, when line is a written line's prefix
// cut where the sink stood at a kill; otherwise 0.
func tornAt(line string, start int, killedAt map[int]bool) int {
	if !strings.HasPrefix(line, "soak-") {
		return 0
	}
	for i := 1; i < len(line); i++ {
		if killedAt[start+i] && strings.HasPrefix(line[i:], "soak-") {
			return i
		}
	}
	return 0
}

// scanWholeLines splits at "\n" only, so that byte offsets add up, and
// fails on a last line without one: a graceful stop never leaves one.
func scanWholeLines(data []byte, atEOF bool) (int, []byte, error) {
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		return i + 1, data[:i], nil
	}
	if atEOF && len(data) > 0 {
		return 0, nil, fmt.Errorf("the sink ends in a partial line %q after a graceful stop", data)
	}
	return 0, nil, nil
}
