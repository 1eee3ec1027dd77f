package offsets

import (
	"errors"
	"os"
	"sync"
)

var errInjected = errors.New("injected fault")

// faultFS is the real file system with failures to order: each failNext*
// field, when set, makes the next matching call fail with that error once.
// A non-nil syncGate makes file fsyncs block until it is closed, after
// signalling syncEntered, so tests can hold a write in progress.
type faultFS struct {
	osFS

	mu              sync.Mutex
	failNextRead    error
	failNextWrite   error
	failNextSync    error
	failNextRename  error
	failNextSyncDir error
	syncGate        chan struct{}
	syncEntered     chan struct{}
	renames         int
}

func (f *faultFS) take(p *error) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	err := *p
	*p = nil
	return err
}

func (f *faultFS) ReadFile(name string) ([]byte, error) {
	if err := f.take(&f.failNextRead); err != nil {
		return nil, &os.PathError{Op: "open", Path: name, Err: err}
	}
	return f.osFS.ReadFile(name)
}

func (f *faultFS) OpenFile(name string, flag int, perm os.FileMode) (syncFile, error) {
	file, err := f.osFS.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err
	}
	return &faultFile{syncFile: file, fs: f}, nil
}

func (f *faultFS) Rename(oldpath, newpath string) error {
	if err := f.take(&f.failNextRename); err != nil {
		return &os.LinkError{Op: "rename", Old: oldpath, New: newpath, Err: err}
	}
	f.mu.Lock()
	f.renames++
	f.mu.Unlock()
	return f.osFS.Rename(oldpath, newpath)
}

func (f *faultFS) SyncDir(dir string) error {
	if err := f.take(&f.failNextSyncDir); err != nil {
		return err
	}
	return f.osFS.SyncDir(dir)
}

func (f *faultFS) renameCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.renames
}

type faultFile struct {
	syncFile
	fs *faultFS
}

func (f *faultFile) Write(p []byte) (int, error) {
	if err := f.fs.take(&f.fs.failNextWrite); err != nil {
		// A short write, as a full disk produces.
		n, _ := f.syncFile.Write(p[:len(p)/2])
		return n, err
	}
	return f.syncFile.Write(p)
}

func (f *faultFile) Sync() error {
	f.fs.mu.Lock()
	gate, entered := f.fs.syncGate, f.fs.syncEntered
	f.fs.mu.Unlock()
	if gate != nil {
		entered <- struct{}{}
		<-gate
	}
	if err := f.fs.take(&f.fs.failNextSync); err != nil {
		return err
	}
	return f.syncFile.Sync()
}
