package runner

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/connect-standalone/connect-standalone/config"
)

// reloadDelay lets an editor finish saving (several writes, or a rename
// after a write) before the file is read.
const reloadDelay = 200 * time.Millisecond

// watched is one command-line connector file and what was last applied.
type watched struct {
	path    string // absolute
	name    string // the connector it defines now
	content []byte // as last applied, to skip events that changed nothing
	timer   *time.Timer
}

// watchFiles reconfigures a command-line connector when its file is saved,
// until ctx is done. It watches the files' directories, not the files, so
// editors that save by writing a new file and renaming it over the old one
// are seen too. A file that no longer parses or validates is reported with
// its file and keys, and the connector keeps running on its last good
// configuration.
func (w *Worker) watchFiles(ctx context.Context) {
	files := make(map[string]*watched)
	dirs := make(map[string]bool)
	for _, m := range w.files {
		abs, err := filepath.Abs(m.file)
		if err != nil {
			continue
		}
		content, _ := os.ReadFile(abs)
		files[abs] = &watched{path: abs, name: m.name, content: content}
		dirs[filepath.Dir(abs)] = true
	}
	if len(files) == 0 {
		return
	}
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		w.log.Warn("cannot watch connector files; edits take effect at the next start", "error", err)
		return
	}
	defer fw.Close()
	for d := range dirs {
		if err := fw.Add(d); err != nil {
			w.log.Warn("cannot watch a connector file directory; edits to its files take effect at the next start", "directory", d, "error", err)
		}
	}
	due := make(chan *watched)
	for {
		select {
		case <-ctx.Done():
			for _, f := range files {
				if f.timer != nil {
					f.timer.Stop()
				}
			}
			return
		case ev, ok := <-fw.Events:
			if !ok {
				return
			}
			f := files[filepath.Clean(ev.Name)]
			if f == nil || !ev.Has(fsnotify.Write|fsnotify.Create|fsnotify.Rename|fsnotify.Chmod) {
				continue
			}
			if f.timer != nil {
				f.timer.Stop()
			}
			f.timer = time.AfterFunc(reloadDelay, func() {
				select {
				case due <- f:
				case <-ctx.Done():
				}
			})
		case err, ok := <-fw.Errors:
			if !ok {
				return
			}
			w.log.Debug("connector file watch error", "error", err)
		case f := <-due:
			w.reloadFile(ctx, f)
		}
	}
}

// reloadFile applies a saved connector file. A missing file (an editor
// between removing and writing it) waits for the next event.
func (w *Worker) reloadFile(ctx context.Context, f *watched) {
	content, err := os.ReadFile(f.path)
	if errors.Is(err, os.ErrNotExist) || bytes.Equal(content, f.content) {
		return
	}
	log := w.log.With("file", f.path)
	if err != nil {
		log.Error("cannot read the changed connector file; the connector keeps its last good configuration", "error", err)
		return
	}
	cf, err := config.ParseConnectorFile(f.path, content)
	if err != nil {
		log.Error("the changed connector file is invalid; the connector keeps its last good configuration", "connector", f.name, "error", err)
		return
	}
	if cf.Name != f.name {
		log.Error(fmt.Sprintf("the changed connector file renames connector %s to %s; renaming takes a restart, so the connector keeps its last good configuration", f.name, cf.Name))
		return
	}
	err = w.reconfigureFile(cf)
	var cfgErr *ConfigError
	switch {
	case errors.As(err, &cfgErr):
		for _, p := range cfgErr.Problems {
			log.Error("the changed connector file is invalid; the connector keeps its last good configuration", "connector", f.name, "problem", config.InFile(f.path, p))
		}
		return
	case err != nil:
		log.Error("cannot apply the changed connector file", "connector", f.name, "error", err)
		return
	}
	f.content = content
	log.Info("connector reconfigured from its changed file", "connector", f.name)
}

// reconfigureFile replaces a command-line connector's configuration with its
// file's new content; the connector keeps its target state.
func (w *Worker) reconfigureFile(cf config.ConnectorFile) error {
	conn, err := w.build(cf.Name, cf.Path, cf.Config)
	if err != nil {
		return err
	}
	w.ops.Lock()
	defer w.ops.Unlock()
	if err := w.running(); err != nil {
		return err
	}
	m := w.conns[cf.Name]
	if m == nil {
		// Deleted over the REST API meanwhile: the file brings it back.
		target := TargetStarted
		m = &managed{name: cf.Name, file: cf.Path, target: target, gate: newGate(false)}
		w.conns[cf.Name] = m
	} else {
		w.halt(m)
	}
	m.raw, m.conn = cf.Config, conn
	return w.launch(m)
}
