package file

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math"
	"os"
	"time"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

const (
	// idleInterval is how long Poll waits for a line before returning
	// (nil, nil), so the runtime regains control (offset commits, stop
	// requests) on a quiet file.
	idleInterval = time.Second
	// watchedPollInterval re-checks a watched file in case an event was
	// missed; unwatchedPollInterval is used when no watch could be set up.
	watchedPollInterval   = 500 * time.Millisecond
	unwatchedPollInterval = 250 * time.Millisecond
)

// span locates one line in the reader's buffer.
type span struct {
	start, end int
	pos        int64 // stream offset just past the line's terminator
}

// pendingLine is a line taken from the reader, not yet made a record.
type pendingLine struct {
	text string
	pos  int64
}

// sourceTask reads lines from a file, or from stdin when no file is
// configured. The runtime calls Start, Poll and Stop from one goroutine.
type sourceTask struct {
	def   *config.Def
	stdin *stdinSource

	log       *slog.Logger
	filename  string // as configured, trimmed; "" reads stdin
	topic     string
	batchSize int
	partition map[string]any // shared by every record of the task, never modified

	lr      *lineReader
	spans   []span        // scratch of take
	pending []pendingLine // lines taken for the current Poll; reused

	// The latest Poll's records and their positions, for FillOffset.
	polled    []connectors.SourceRecord
	positions []int64

	// File mode.
	f             *os.File
	w             *watcher // nil when watching failed: polling only
	watchRetried  bool
	missingLogged bool

	// Stdin mode.
	stdinOffset map[string]any // {"position": nil}, shared by every record
	stdinEnded  bool
	stdinErr    error // returned by the next Poll, once

	stopped bool

	idle, watchedPoll, unwatchedPoll time.Duration
}

func newSourceTask(def *config.Def, stdin *stdinSource) *sourceTask {
	return &sourceTask{
		def:           def,
		stdin:         stdin,
		idle:          idleInterval,
		watchedPoll:   watchedPollInterval,
		unwatchedPoll: unwatchedPollInterval,
	}
}

// Start parses the task config, reads the stored offset of the file and
// opens it when it already exists; a missing file is waited for by Poll.
// Cancelling ctx abandons reading the stored offset.
func (t *sourceTask) Start(ctx context.Context, tc connectors.SourceTaskContext, cfg map[string]string) error {
	vals, err := t.def.Parse(cfg)
	if err != nil {
		return fmt.Errorf("configure file source task: %w", err)
	}
	t.log = nil
	if tc != nil {
		t.log = tc.Logger()
	}
	if t.log == nil {
		t.log = slog.New(slog.DiscardHandler)
	}
	t.filename = vals.String(KeyFile)
	t.topic = vals.String(KeyTopic)
	t.batchSize = max(vals.Int(KeyBatchSize), 1)

	if t.filename == "" {
		t.partition = map[string]any{partitionFilename: nil}
		t.stdinOffset = map[string]any{offsetPosition: nil}
		t.lr = newLineReader(0)
		if err := t.stdin.start(); err != nil {
			return fmt.Errorf("start file source task: %w", err)
		}
		return nil
	}

	t.partition = map[string]any{partitionFilename: t.filename}
	if tc == nil {
		return errors.New("start file source task: no task context to read offsets from")
	}
	stored, err := tc.Offset(ctx, t.partition)
	if err != nil {
		return fmt.Errorf("read stored offset of %s: %w", t.filename, err)
	}
	pos, err := storedPosition(stored)
	if err != nil {
		return fmt.Errorf("read stored offset of %s: %w", t.filename, err)
	}
	t.lr = newLineReader(pos)
	t.watch()
	if _, err := t.open(); err != nil {
		err = errors.Join(err, t.w.close())
		t.w = nil
		return err
	}
	return nil
}

// storedPosition extracts the position of a stored offset. The offsets
// store hands integers back as int64; a float with an integral value (a
// hand-edited "22.0") is accepted too.
func storedPosition(offset map[string]any) (int64, error) {
	v, ok := offset[offsetPosition]
	if !ok || v == nil {
		return 0, nil
	}
	var pos int64
	switch p := v.(type) {
	case int64:
		pos = p
	case float64:
		if p != math.Trunc(p) || p < 0 || p >= math.MaxInt64 {
			return 0, fmt.Errorf("position %v is not a non-negative integer", p)
		}
		pos = int64(p)
	default:
		return 0, fmt.Errorf("position %v has type %T, want an integer", v, v)
	}
	if pos < 0 {
		return 0, fmt.Errorf("position %d is negative", pos)
	}
	return pos, nil
}

// watch sets up the file watch; without it the file is polled.
func (t *sourceTask) watch() {
	w, err := newWatcher(t.log, t.filename)
	if err != nil {
		t.log.Info(fmt.Sprintf("cannot watch %s for changes, checking it every %v instead", t.filename, t.unwatchedPoll), attrError, err)
		return
	}
	t.w = w
}

// open opens the file unless it is open, and reports whether it is. A
// missing file is not an error: it is logged once and waited for.
func (t *sourceTask) open() (bool, error) {
	if t.f != nil {
		return true, nil
	}
	f, err := os.Open(t.filename)
	if errors.Is(err, fs.ErrNotExist) {
		if !t.missingLogged {
			t.missingLogged = true
			t.log.Warn(fmt.Sprintf("couldn't find file %s, waiting for it to be created", t.filename), attrFile, t.filename)
		}
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("open %s: %w", t.filename, err)
	}
	if pos := t.lr.readOffset(); pos > 0 {
		// A '\r' just before the resume point may pair with a '\n' at it.
		var prev [1]byte
		if _, err := f.ReadAt(prev[:], pos-1); err == nil {
			t.lr.resumeAfter(prev[0])
		}
		if _, err := f.Seek(pos, io.SeekStart); err != nil {
			return false, errors.Join(fmt.Errorf("seek %s to position %d: %w", t.filename, pos, err), f.Close())
		}
		t.log.Info(fmt.Sprintf("resuming %s at byte %d", t.filename, pos), attrFile, t.filename, attrOffset, pos)
	}
	t.f = f
	if t.missingLogged {
		t.missingLogged = false
		t.log.Info(fmt.Sprintf("file %s exists now; reading it", t.filename), attrFile, t.filename)
	}
	if t.w == nil && !t.watchRetried {
		// The directory may not have existed when the task started.
		t.watchRetried = true
		t.watch()
	}
	return true, nil
}

// Poll returns up to batch.size lines. It blocks until at least one line is
// complete, the idle interval (1 s) passes (nil, nil) or ctx is done
// (nil, ctx.Err()). Lines already read are returned without waiting.
func (t *sourceTask) Poll(ctx context.Context) ([]connectors.SourceRecord, error) {
	if t.lr == nil || t.stopped {
		return nil, errors.New("poll file source task: not running")
	}
	if t.filename == "" {
		return t.pollStdin(ctx)
	}
	var idle, recheck *time.Timer
	defer func() {
		if idle != nil {
			idle.Stop()
			recheck.Stop()
		}
	}()
	for {
		recs, err := t.readFile(ctx)
		if err != nil || len(recs) > 0 {
			return recs, err
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var wake <-chan struct{}
		every := t.unwatchedPoll
		if t.w != nil {
			wake, every = t.w.wake, t.watchedPoll
		}
		if idle == nil {
			idle, recheck = time.NewTimer(t.idle), time.NewTimer(every)
		} else {
			recheck.Reset(every)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-idle.C:
			return nil, nil
		case <-wake:
		case <-recheck.C:
		}
	}
}

// readFile returns the lines available now, without waiting for more.
func (t *sourceTask) readFile(ctx context.Context) ([]connectors.SourceRecord, error) {
	if ok, err := t.open(); !ok {
		return nil, err
	}
	for {
		t.take(false)
		if len(t.pending) >= t.batchSize {
			return t.records(), nil
		}
		n, err := t.lr.fill(t.f)
		if err != nil && !errors.Is(err, io.EOF) {
			if len(t.pending) > 0 {
				return t.records(), nil // the error comes back on the next read
			}
			return nil, fmt.Errorf("read %s at position %d: %w", t.filename, t.lr.readOffset(), err)
		}
		if n == 0 {
			t.take(true)
			if len(t.pending) > 0 {
				return t.records(), nil
			}
			again, err := t.checkFile()
			if !again || err != nil {
				return nil, err
			}
			continue
		}
		if len(t.pending) == 0 && ctx.Err() != nil {
			// A long line is still being read: keep what was read for the
			// next Poll and return promptly.
			return nil, ctx.Err()
		}
	}
}

// checkFile looks, once the open file has nothing more to read, for the
// ways a file is rotated: truncated in place (copytruncate), or its name
// now leading to another file (renamed over, or deleted and created again)
// or to none (deleted). In each case the file is read from its start, as
// tail -F does, rather than from a position that belongs to the old
// content. Looking only at the end of the open file means that every line
// of the old file is read first. It reports whether there may be more to
// read now.
func (t *sourceTask) checkFile() (bool, error) {
	cur, err := t.f.Stat()
	if err != nil || !cur.Mode().IsRegular() {
		return false, nil
	}
	if at := t.lr.readOffset(); cur.Size() < at {
		t.log.Warn(fmt.Sprintf("file %s was truncated to %d bytes, below the read position %d; reading it again from the start%s",
			t.filename, cur.Size(), at, t.dropping()), attrFile, t.filename, attrOffset, at)
		if _, err := t.f.Seek(0, io.SeekStart); err != nil {
			return false, fmt.Errorf("seek %s to its start after truncation: %w", t.filename, err)
		}
		t.lr = newLineReader(0)
		return true, nil
	}
	now, err := os.Stat(t.filename)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		t.log.Warn(fmt.Sprintf("file %s was removed; waiting for it to be created again, to read it from the start%s", t.filename, t.dropping()),
			attrFile, t.filename)
		t.missingLogged = true
		return false, t.reopen()
	case err != nil || os.SameFile(cur, now):
		// An error is taken as transient: the open file is still good.
		return false, nil
	}
	t.log.Warn(fmt.Sprintf("file %s was replaced by another file; reading the new one from the start%s", t.filename, t.dropping()),
		attrFile, t.filename)
	if err := t.reopen(); err != nil {
		return false, err
	}
	return t.open()
}

// dropping describes, for a log message, the unterminated bytes at the end
// of a file given up on: its last line never got its terminator.
func (t *sourceTask) dropping() string {
	if n := t.lr.buffered(); n > 0 {
		return fmt.Sprintf(" (dropping its last %d bytes, an unterminated line)", n)
	}
	return ""
}

// reopen closes the file so that the next open reads the file now at the
// path from its start.
func (t *sourceTask) reopen() error {
	err := t.f.Close()
	t.f = nil
	t.lr = newLineReader(0)
	if err != nil {
		return fmt.Errorf("close %s: %w", t.filename, err)
	}
	return nil
}

// pollStdin is Poll for standard input.
func (t *sourceTask) pollStdin(ctx context.Context) ([]connectors.SourceRecord, error) {
	var idle *time.Timer
	defer func() {
		if idle != nil {
			idle.Stop()
		}
	}()
	for {
		recs, err := t.readStdin()
		if err != nil || len(recs) > 0 {
			return recs, err
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var chunks <-chan []byte
		if !t.stdinEnded {
			chunks = t.stdin.chunks
		}
		if idle == nil {
			idle = time.NewTimer(t.idle)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-idle.C:
			return nil, nil
		case c, ok := <-chunks:
			t.receive(c, ok)
		}
	}
}

// readStdin returns the lines available now, without waiting for more.
func (t *sourceTask) readStdin() ([]connectors.SourceRecord, error) {
	if err := t.stdinErr; err != nil {
		t.stdinErr = nil
		return nil, err
	}
	t.take(false)
	for len(t.pending) < t.batchSize && !t.stdinEnded {
		select {
		case c, ok := <-t.stdin.chunks:
			t.receive(c, ok)
			t.take(false)
		default:
			t.take(true)
			return t.records(), nil
		}
	}
	if t.stdinEnded {
		t.take(true)
		if len(t.pending) < t.batchSize {
			// Input has ended: its unterminated last line will never get a
			// terminator, so it is emitted as it is.
			if s, e, pos, ok := t.lr.rest(); ok {
				t.pending = append(t.pending, pendingLine{text: string(t.lr.buf[s:e]), pos: pos})
			}
		}
	}
	return t.records(), nil
}

// receive takes one result of a receive from the stdin chunks channel.
func (t *sourceTask) receive(chunk []byte, ok bool) {
	if ok {
		t.lr.feed(chunk)
		return
	}
	t.stdinEnded = true
	if err := t.stdin.cause(); err != nil {
		t.stdinErr = fmt.Errorf("read standard input: %w", err)
	}
}

// take moves the complete lines buffered to t.pending, up to batch.size
// lines in all. idle settles a '\r' that is the last byte buffered. The
// lines taken share one string copied from the buffer, so reading costs one
// allocation per buffer of lines rather than one per line.
func (t *sourceTask) take(idle bool) {
	t.spans = t.spans[:0]
	for len(t.pending)+len(t.spans) < t.batchSize {
		s, e, pos, ok := t.lr.next(idle)
		if !ok {
			break
		}
		t.spans = append(t.spans, span{start: s, end: e, pos: pos})
	}
	if len(t.spans) == 0 {
		return
	}
	base := t.spans[0].start
	text := string(t.lr.buf[base:t.spans[len(t.spans)-1].end])
	for _, sp := range t.spans {
		t.pending = append(t.pending, pendingLine{text: text[sp.start-base : sp.end-base], pos: sp.pos})
	}
}

// records turns the pending lines into records and empties t.pending.
// Only the last record of a file's batch carries an offset: the runtime
// stores an offset once every record before it is in Kafka, so the batch's
// last position is the only one that could ever be stored before the next
// batch's, bar a crash in between, after which the batch is read again.
func (t *sourceTask) records() []connectors.SourceRecord {
	if len(t.pending) == 0 {
		return nil
	}
	now := time.Now()
	recs := make([]connectors.SourceRecord, len(t.pending))
	t.positions = t.positions[:0]
	for i, l := range t.pending {
		recs[i] = connectors.SourceRecord{
			Record: connectors.Record{
				Topic:     t.topic,
				Partition: -1,
				Value:     connectors.SchemaAndValue{Schema: connectors.StringSchema, Value: l.text},
				Timestamp: now,
			},
			SourcePartition: t.partition,
			SourceOffset:    t.stdinOffset,
		}
		t.positions = append(t.positions, l.pos)
	}
	t.polled = recs
	if t.stdinOffset == nil {
		t.FillOffset(&recs[len(recs)-1])
	}
	clear(t.pending) // drop references to the lines' text
	t.pending = t.pending[:0]
	return recs
}

// FillOffset gives r, a record of the latest Poll, its offset: the position
// just past its line.
func (t *sourceTask) FillOffset(r *connectors.SourceRecord) {
	if r.SourceOffset != nil {
		return
	}
	for i := range t.polled {
		if &t.polled[i] == r {
			r.SourceOffset = map[string]any{offsetPosition: t.positions[i]}
			return
		}
	}
}

// Stop closes the file and stops watching it. Lines read but not yet
// returned are dropped; for a file they are read again from the committed
// offset by the next task.
func (t *sourceTask) Stop(ctx context.Context) error {
	t.stopped = true
	err := t.w.close()
	t.w = nil
	if t.f != nil {
		if cerr := t.f.Close(); cerr != nil {
			err = errors.Join(err, fmt.Errorf("close %s: %w", t.filename, cerr))
		}
		t.f = nil
	}
	return err
}
