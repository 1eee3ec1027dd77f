package offsets

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"syscall"
	"time"
)

// ErrLocked is wrapped by OpenFile when another process, or another
// FileStore in this process, has the offsets file open. Two workers
// sharing one file would overwrite each other's offsets.
var ErrLocked = errors.New("offsets file is in use by another worker")

const attrFile = "file"

// FileStore is the Store behind offset.storage.file.filename. Unlike
// Kafka's FileOffsetBackingStore, which rewrites its file in place without
// fsync, it replaces the file atomically and durably on every commit: a
// crash leaves either the previous file or the new one, never a torn or
// empty one.
//
// Set calls that arrive while a write is in progress are gathered into the
// next write (group commit), so many tasks committing at once cost one
// fsync rather than one each. A single goroutine, started by OpenFile and
// stopped by Close, does all writing.
//
// Get and All report only what is durable on disk: the entries of a Set
// that is still in progress, was abandoned or failed are not visible until
// a later write succeeds. A FileStore is safe for concurrent use.
type FileStore struct {
	path   string // as configured; named in errors
	target string // path with symlinks resolved; the file actually replaced
	dir    string // target's directory
	logger *slog.Logger
	fs     fileSystem
	lock   *os.File
	perm   os.FileMode // for each new file

	kick   chan struct{} // capacity 1: "a round has work"
	stop   chan struct{} // closed by Close
	exited chan struct{} // closed by the writer goroutine

	closeOnce sync.Once
	closeErr  error
	finalErr  error // written by the writer goroutine before exited closes

	mu      sync.Mutex
	closed  bool
	durable state                      // what the file on disk holds; replaced, never mutated
	pending map[string]map[string]seqd // accepted by Set, not yet durable
	seq     uint64                     // last sequence number handed to a pending entry
	cur     *round                     // the round that the next write will complete

	noDirSync bool // the file system cannot fsync directories; writer goroutine only
}

// seqd is a pending entry with the order in which Set accepted it. A nil
// offset is a tombstone.
type seqd struct {
	item
	seq uint64
}

// round is one write of the file and everyone waiting on it. err is set
// before done is closed.
type round struct {
	done chan struct{}
	err  error
	used bool // some Set is waiting on this round
}

func newRound() *round { return &round{done: make(chan struct{})} }

var _ Store = (*FileStore)(nil)

// OpenFile opens the offsets file at path, loading its content, and takes
// an exclusive lock on a ".lock" file next to it that Close releases; it
// never waits for the lock. A missing or empty file is an empty store; the
// file is created by the first Set. The directory must exist: the lock
// lives there.
//
// OpenFile fails, leaving the file exactly as it was, when the content is
// not a valid offsets file (wrapping ErrInvalid, ErrUnsupportedVersion, or
// ErrJavaFormat for a file written by Kafka's own worker), when the file
// cannot be read, or when another worker holds the lock (ErrLocked).
//
// A nil logger discards logs. The returned store must be closed.
func OpenFile(path string, logger *slog.Logger) (*FileStore, error) {
	return openFile(path, logger, osFS{})
}

func openFile(path string, logger *slog.Logger, fsys fileSystem) (*FileStore, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if path == "" {
		return nil, errors.New("open offsets file: no path given; set offset.storage.file.filename")
	}
	target := path
	// Follow a symlink so the rename replaces the file it points to, as
	// Kafka's in-place rewrite would, instead of the link itself.
	if resolved, err := filepath.EvalSymlinks(path); err == nil {
		target = resolved
	}
	dir := filepath.Dir(target)
	switch fi, err := os.Stat(dir); {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("open offsets file %s: directory %s does not exist; create it or fix offset.storage.file.filename", path, dir)
	case err != nil:
		return nil, fmt.Errorf("open offsets file %s: %w", path, err)
	case !fi.IsDir():
		return nil, fmt.Errorf("open offsets file %s: %s is not a directory", path, dir)
	}

	lock, err := lockFile(target + ".lock")
	if err != nil {
		return nil, fmt.Errorf("open offsets file %s: %w", path, err)
	}

	// Replacements keep the permissions a user gave the file.
	perm := os.FileMode(0o644)
	if fi, err := os.Stat(target); err == nil {
		perm = fi.Mode().Perm()
	}

	data, err := fsys.ReadFile(target)
	var st state
	switch {
	case errors.Is(err, fs.ErrNotExist):
		st = state{}
		logger.Info("offsets file does not exist yet; starting with no stored offsets", attrFile, path)
	case err != nil:
		_ = lock.Close()
		return nil, fmt.Errorf("open offsets file %s: %w", path, err)
	default:
		if st, err = decodeState(data); err != nil {
			_ = lock.Close()
			return nil, fmt.Errorf("open offsets file %s (left untouched): %w", path, err)
		}
		n := 0
		for _, m := range st {
			n += len(m)
		}
		logger.Info("loaded offsets", attrFile, path, "connectors", len(st), "partitions", n)
	}

	s := &FileStore{
		path:    path,
		target:  target,
		dir:     dir,
		logger:  logger,
		fs:      fsys,
		lock:    lock,
		perm:    perm,
		kick:    make(chan struct{}, 1),
		stop:    make(chan struct{}),
		exited:  make(chan struct{}),
		durable: st,
		pending: map[string]map[string]seqd{},
		cur:     newRound(),
	}
	go s.run()
	return s, nil
}

// Get returns a copy of the durable offset of one partition of a connector,
// or nil when none is stored. The partition matches by value, whatever its
// key order or Go integer type. It does not block on writes and is safe for
// concurrent use.
func (s *FileStore) Get(connector string, partition map[string]any) (map[string]any, error) {
	p, err := normalizeMap(partition)
	if err != nil {
		return nil, fmt.Errorf("get offset from %s: partition: %w", s.path, err)
	}
	key, err := partitionKey(p)
	if err != nil {
		return nil, fmt.Errorf("get offset from %s: partition: %w", s.path, err)
	}
	s.mu.Lock()
	it, ok := s.durable[connector][key]
	s.mu.Unlock()
	if !ok {
		return nil, nil
	}
	return copyMap(it.offset), nil
}

// All returns copies of every durable entry of a connector, sorted by
// partition; nil when it has none. It does not block on writes and is safe
// for concurrent use.
func (s *FileStore) All(connector string) ([]Entry, error) {
	s.mu.Lock()
	m := s.durable[connector]
	s.mu.Unlock()
	// m is never mutated once it is in durable, so it can be read unlocked.
	if len(m) == 0 {
		return nil, nil
	}
	out := make([]Entry, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, Entry{Partition: copyMap(m[k].partition), Offset: copyMap(m[k].offset)})
	}
	return out, nil
}

// Set stores entries for a connector and blocks until they are durable:
// written to a temporary file, fsynced, renamed over the offsets file and
// the directory fsynced. Later entries for the same partition win; a nil
// Offset removes the partition. Set copies the entries; the caller may
// reuse them once it returns.
//
// Set is safe for concurrent use, and concurrent calls share one write. If
// the write fails, Set returns the error and the entries stay pending: the
// next Set, or Close, writes them along with its own. Cancelling ctx
// abandons the wait and returns the context's error; the entries may still
// be written. Set fails without storing anything when an entry holds a
// value JSON cannot represent, and after Close.
func (s *FileStore) Set(ctx context.Context, connector string, entries []Entry) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("set offsets of connector %q in %s: %w", connector, s.path, context.Cause(ctx))
	}
	items, err := normalizeEntries(entries)
	if err != nil {
		return fmt.Errorf("set offsets of connector %q in %s: %w", connector, s.path, err)
	}

	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return fmt.Errorf("set offsets of connector %q in %s: %w", connector, s.path, os.ErrClosed)
	}
	if len(items) == 0 && len(s.pending) == 0 {
		s.mu.Unlock()
		return nil
	}
	pm := s.pending[connector]
	if pm == nil && len(items) > 0 {
		pm = make(map[string]seqd, len(items))
		s.pending[connector] = pm
	}
	for _, ki := range items {
		s.seq++
		pm[ki.key] = seqd{item: ki.item, seq: s.seq}
	}
	r := s.cur
	r.used = true
	s.mu.Unlock()

	select {
	case s.kick <- struct{}{}:
	default: // a kick is already queued; it will pick this round up
	}
	select {
	case <-r.done:
		if r.err != nil {
			return fmt.Errorf("set offsets of connector %q: %w", connector, r.err)
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("set offsets of connector %q in %s: %w", connector, s.path, context.Cause(ctx))
	}
}

// Close waits for the write in progress, if any, then writes the entries
// still pending from a failed or abandoned Set, and releases the lock. It
// returns the final write's error, so nothing a Set accepted is dropped
// silently. It is safe to call more than once: later calls return the first
// call's result. Set must not be called after Close; it fails if it is.
func (s *FileStore) Close() error {
	s.closeOnce.Do(func() {
		s.mu.Lock()
		s.closed = true
		s.mu.Unlock()
		close(s.stop)
		<-s.exited
		var err error
		if s.finalErr != nil {
			err = fmt.Errorf("close offsets file %s: %w", s.path, s.finalErr)
		}
		if lerr := s.lock.Close(); lerr != nil {
			err = errors.Join(err, fmt.Errorf("close offsets file %s: release lock: %w", s.path, lerr))
		}
		s.closeErr = err
	})
	return s.closeErr
}

// run is the writer goroutine: one round at a time, each covering every
// Set accepted before it started.
func (s *FileStore) run() {
	defer close(s.exited)
	for {
		select {
		case <-s.kick:
			_ = s.flush(false) // the round's waiters receive the error
		case <-s.stop:
			s.finalErr = s.flush(true)
			return
		}
	}
}

// flush writes the durable state merged with everything pending, then
// completes the current round. With final set it also writes when only
// entries of an earlier failed or abandoned round are pending.
func (s *FileStore) flush(final bool) error {
	s.mu.Lock()
	r := s.cur
	if !r.used && !(final && len(s.pending) > 0) {
		s.mu.Unlock()
		return nil
	}
	s.cur = newRound()
	next, upto := s.mergeLocked()
	s.mu.Unlock()

	err := s.write(next)

	s.mu.Lock()
	if err == nil {
		s.durable = next
		s.dropPendingLocked(upto)
	}
	s.mu.Unlock()
	r.err = err
	close(r.done)
	return err
}

// mergeLocked returns the durable state with all pending entries applied,
// and the sequence number they reach. Connectors without pending entries
// share their maps with durable; changed ones are copied.
func (s *FileStore) mergeLocked() (state, uint64) {
	next := maps.Clone(s.durable)
	if next == nil {
		next = state{}
	}
	for c, pm := range s.pending {
		m := maps.Clone(next[c])
		if m == nil {
			m = map[string]item{}
		}
		for k, p := range pm {
			if p.offset == nil {
				delete(m, k)
			} else {
				m[k] = p.item
			}
		}
		if len(m) == 0 {
			delete(next, c)
		} else {
			next[c] = m
		}
	}
	return next, s.seq
}

// dropPendingLocked forgets pending entries now on disk, keeping those a
// Set replaced while the write was in progress.
func (s *FileStore) dropPendingLocked(upto uint64) {
	for c, pm := range s.pending {
		for k, p := range pm {
			if p.seq <= upto {
				delete(pm, k)
			}
		}
		if len(pm) == 0 {
			delete(s.pending, c)
		}
	}
}

// write replaces the offsets file with st: write a temporary file next to
// it, fsync it, rename it over the old file, fsync the directory. Until the
// rename the old file is untouched; the rename is atomic, so readers and
// crashes see the old or the new content, never a mix.
func (s *FileStore) write(st state) error {
	start := time.Now()
	data, err := encodeState(st)
	if err != nil {
		return fmt.Errorf("write offsets file %s: encode: %w", s.path, err)
	}
	// One writer goroutine and the lock make a fixed temporary name safe.
	// Removing a leftover from a crash first means the file is always
	// created, so it always gets perm.
	tmp := s.target + ".tmp"
	if err := s.fs.Remove(tmp); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("write offsets file %s: %w", s.path, err)
	}
	f, err := s.fs.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, s.perm)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("write offsets file %s: directory %s does not exist: %w", s.path, s.dir, err)
		}
		return fmt.Errorf("write offsets file %s: %w", s.path, err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = s.fs.Rename(tmp, s.target)
	}
	if err != nil {
		_ = s.fs.Remove(tmp) // best effort; the next write removes it anyway
		return fmt.Errorf("write offsets file %s: %w", s.path, err)
	}
	if err := s.syncDir(); err != nil {
		// The new content may be visible but is not known to survive a
		// crash, so the caller must not count it as durable; the next
		// write repeats everything.
		return fmt.Errorf("write offsets file %s: sync directory %s: %w", s.path, s.dir, err)
	}
	s.logger.Debug("wrote offsets", attrFile, s.path, "bytes", len(data), "duration", time.Since(start))
	return nil
}

// syncDir fsyncs the directory, tolerating file systems that cannot: they
// offer no stronger guarantee to wait for, and refusing to write at all
// would lose every offset.
func (s *FileStore) syncDir() error {
	if s.noDirSync {
		return nil
	}
	err := s.fs.SyncDir(s.dir)
	if errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOTSUP) {
		s.noDirSync = true
		s.logger.Warn("file system cannot fsync directories; offsets renames may not survive a power loss",
			attrFile, s.path, "error", err)
		return nil
	}
	return err
}
