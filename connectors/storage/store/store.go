// Package store is where a storage sink keeps its files: the local file
// system now, HDFS and S3 behind the same interface. Paths are slash
// separated and relative to the store's root (hdfs.url, store.url or a
// directory), as Confluent's storage-common Storage interface sees them.
//
// A storage sink's exactly-once delivery rests on three properties the
// store must give: a file written and closed is durable, a rename is atomic
// and durable, and a listing shows every committed file.
package store

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// Store is a storage sink's file system.
type Store interface {
	// Create creates or truncates the file at name, and its parent
	// directories. Its data is durable once Close returned nil.
	Create(name string) (io.WriteCloser, error)
	// Open opens the file at name for reading.
	Open(name string) (io.ReadCloser, error)
	// Rename moves a file, replacing any file at to, atomically and
	// durably, creating to's parent directories.
	Rename(from, to string) error
	// Remove removes a file; removing a missing one is not an error.
	Remove(name string) error
	// List returns the names of the files directly in dir, sorted; a
	// missing directory lists nothing.
	List(dir string) ([]string, error)
	// Walk returns the names of all files below dir, at any depth, as
	// paths from the store's root, sorted; a missing directory holds none.
	Walk(dir string) ([]string, error)
	// Exists reports whether name is a file.
	Exists(name string) (bool, error)
	// URL names the store in messages.
	URL() string
	// Close releases the store's connections.
	Close() error
}

// ErrUnsupported is returned for a store URL whose scheme this build does
// not serve yet.
var ErrUnsupported = errors.New("store not supported")

// OpenURL returns the store that rawURL names: a file:// URL or a plain path
// is the local file system rooted there; an hdfs:// URL is HDFS, connected
// now (see OpenHDFS) with the Hadoop configuration in hadoopConfDir, if
// not "". The caller closes the store.
func OpenURL(rawURL, hadoopConfDir string) (Store, error) {
	if rawURL == "" {
		return nil, errors.New("no store URL")
	}
	if !strings.Contains(rawURL, "://") {
		return NewLocal(rawURL)
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("store URL %q: %w", rawURL, err)
	}
	switch u.Scheme {
	case "file":
		return NewLocal(u.Path)
	case "hdfs":
		h, err := OpenHDFS(rawURL, hadoopConfDir)
		if err != nil {
			// A nil *HDFS in a Store would not compare equal to nil.
			return nil, err
		}
		return h, nil
	}
	return nil, fmt.Errorf("%w: %q (file:// and hdfs:// URLs and paths are served)", ErrUnsupported, rawURL)
}

// Local is a Store on the local file system under a root directory.
type Local struct {
	root string
}

// NewLocal returns the local store rooted at dir, which it creates.
func NewLocal(dir string) (*Local, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", dir, err)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return nil, fmt.Errorf("store %s: %w", dir, err)
	}
	return &Local{root: abs}, nil
}

// Close does nothing: a local store holds no resources between calls.
func (l *Local) Close() error { return nil }

func (l *Local) URL() string { return "file://" + filepath.ToSlash(l.root) }

// path maps a store name to a local path, refusing names that would leave
// the root.
func (l *Local) path(name string) (string, error) {
	clean := path.Clean("/" + name)
	if clean == "/" || strings.Contains(name, "\x00") {
		return "", fmt.Errorf("store %s: invalid name %q", l.URL(), name)
	}
	return filepath.Join(l.root, filepath.FromSlash(clean)), nil
}

// syncedFile fsyncs before closing, so Close's nil means durable.
type syncedFile struct{ *os.File }

func (f syncedFile) Close() error {
	err := f.File.Sync()
	if cerr := f.File.Close(); err == nil {
		err = cerr
	}
	return err
}

func (l *Local) Create(name string) (io.WriteCloser, error) {
	p, err := l.path(name)
	if err != nil {
		return nil, err
	}
	if err := l.mkdirs(filepath.Dir(p)); err != nil {
		return nil, err
	}
	f, err := os.Create(p)
	if err != nil {
		return nil, err
	}
	return syncedFile{f}, nil
}

func (l *Local) Open(name string) (io.ReadCloser, error) {
	p, err := l.path(name)
	if err != nil {
		return nil, err
	}
	return os.Open(p)
}

func (l *Local) Rename(from, to string) error {
	pf, err := l.path(from)
	if err != nil {
		return err
	}
	pt, err := l.path(to)
	if err != nil {
		return err
	}
	if err := l.mkdirs(filepath.Dir(pt)); err != nil {
		return err
	}
	if err := os.Rename(pf, pt); err != nil {
		return err
	}
	if err := syncDir(filepath.Dir(pt)); err != nil {
		return err
	}
	if filepath.Dir(pf) != filepath.Dir(pt) {
		return syncDir(filepath.Dir(pf))
	}
	return nil
}

func (l *Local) Remove(name string) error {
	p, err := l.path(name)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

func (l *Local) List(dir string) ([]string, error) {
	p, err := l.path(dir)
	if err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if e.Type().IsRegular() {
			out = append(out, e.Name())
		}
	}
	slices.Sort(out)
	return out, nil
}

func (l *Local) Walk(dir string) ([]string, error) {
	p, err := l.path(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	err = filepath.WalkDir(p, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.Type().IsRegular() {
			rel, err := filepath.Rel(l.root, name)
			if err != nil {
				return err
			}
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(out)
	return out, nil
}

func (l *Local) Exists(name string) (bool, error) {
	p, err := l.path(name)
	if err != nil {
		return false, err
	}
	fi, err := os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return fi.Mode().IsRegular(), nil
}

// mkdirs creates dir and makes each new directory's entry durable.
func (l *Local) mkdirs(dir string) error {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil {
			break
		}
		missing = append(missing, d)
		if d == l.root || filepath.Dir(d) == d {
			break
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, d := range missing {
		if err := syncDir(filepath.Dir(d)); err != nil {
			return err
		}
	}
	return nil
}

func syncDir(dir string) error {
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
