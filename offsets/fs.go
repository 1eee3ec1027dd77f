package offsets

import (
	"io"
	"os"
)

// fileSystem is the seam between FileStore and the disk. Every call the
// store makes while reading or replacing the offsets file goes through it,
// so tests can inject a failing fsync or rename and check that the previous
// file survives.
type fileSystem interface {
	ReadFile(name string) ([]byte, error)
	OpenFile(name string, flag int, perm os.FileMode) (syncFile, error)
	Rename(oldpath, newpath string) error
	Remove(name string) error
	// SyncDir makes a rename in dir durable.
	SyncDir(dir string) error
}

// syncFile is the part of *os.File the store writes through.
type syncFile interface {
	io.Writer
	Sync() error
	Close() error
}

// osFS is the real file system.
type osFS struct{}

func (osFS) ReadFile(name string) ([]byte, error) { return os.ReadFile(name) }

func (osFS) OpenFile(name string, flag int, perm os.FileMode) (syncFile, error) {
	return os.OpenFile(name, flag, perm)
}

func (osFS) Rename(oldpath, newpath string) error { return os.Rename(oldpath, newpath) }

func (osFS) Remove(name string) error { return os.Remove(name) }

func (osFS) SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
