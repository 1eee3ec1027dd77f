package file

import (
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/fsnotify/fsnotify"
)

// watcher turns filesystem events about one path into wake-ups.
//
// It watches the directories holding the path (and its symlink target),
// not the file: a watch on the file itself is lost when the file is
// replaced and cannot exist before the file does. Events are hints only:
// the reader re-reads and re-stats on each, and polls anyway, because
// events can be dropped (queue overflow) or never sent (network
// filesystems).
type watcher struct {
	fw    *fsnotify.Watcher
	names map[string]bool // cleaned paths whose events matter
	wake  chan struct{}   // capacity 1: pending wake-ups coalesce
	stop  chan struct{}   // closed by close
	done  chan struct{}   // closed when the event loop has ended
}

// newWatcher starts watching path. The returned watcher owns one goroutine,
// ended by close.
func newWatcher(log *slog.Logger, path string) (*watcher, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("watch %s: %w", path, err)
	}
	names := map[string]bool{abs: true}
	if target, err := filepath.EvalSymlinks(abs); err == nil {
		if target, err = filepath.Abs(target); err == nil {
			names[target] = true
		}
	}
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watch %s: %w", path, err)
	}
	dirs := make(map[string]bool)
	for n := range names {
		dirs[filepath.Dir(n)] = true
	}
	for d := range dirs {
		if err := fw.Add(d); err != nil {
			return nil, errors.Join(fmt.Errorf("watch directory %s: %w", d, err), fw.Close())
		}
	}
	w := &watcher{fw: fw, names: names, wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	go w.loop(log)
	return w, nil
}

func (w *watcher) loop(log *slog.Logger) {
	defer close(w.done)
	for {
		select {
		case <-w.stop:
			return
		case ev, ok := <-w.fw.Events:
			if !ok {
				return
			}
			if w.names[filepath.Clean(ev.Name)] {
				w.signal()
			}
		case err, ok := <-w.fw.Errors:
			if !ok {
				return
			}
			// Events may have been lost: look at the file again.
			log.Debug("file watch error", attrError, err)
			w.signal()
		}
	}
}

func (w *watcher) signal() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// close stops watching and waits for the event loop to end. It is safe on a nil watcher.
func (w *watcher) close() error {
	if w == nil {
		return nil
	}
	close(w.stop)
	<-w.done
	if err := w.fw.Close(); err != nil {
		return fmt.Errorf("stop watching: %w", err)
	}
	return nil
}
