package offsets

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// open opens path through fsys (the real file system when nil) and closes
// the store when the test ends.
func open(t *testing.T, path string, fsys fileSystem) *FileStore {
	t.Helper()
	if fsys == nil {
		fsys = osFS{}
	}
	s, err := openFile(path, testLogger(t), fsys)
	if err != nil {
		t.Fatalf("OpenFile(%s) error = %v", path, err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func mustSet(t *testing.T, s *FileStore, connector string, entries ...Entry) {
	t.Helper()
	if err := s.Set(t.Context(), connector, entries); err != nil {
		t.Fatalf("Set(%s) error = %v", connector, err)
	}
}

func mustClose(t *testing.T, s *FileStore) {
	t.Helper()
	if err := s.Close(); err != nil {
		t.Fatalf("Close() error = %v", err)
	}
}

func readBytes(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func pos(file string, n int) Entry {
	return Entry{Partition: map[string]any{"filename": file}, Offset: map[string]any{"position": n}}
}

// wantOffset checks the durable offset of one file partition.
func wantOffset(t *testing.T, s *FileStore, connector, file string, want any) {
	t.Helper()
	got, err := s.Get(connector, map[string]any{"filename": file})
	if err != nil {
		t.Fatal(err)
	}
	if want == nil {
		if got != nil {
			t.Errorf("Get(%s, %s) = %v, want none", connector, file, got)
		}
		return
	}
	if got == nil || got["position"] != want {
		t.Errorf("Get(%s, %s) = %v, want position %v", connector, file, got, want)
	}
}

// dirNames lists dir, to check no temporary file is left behind.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, de := range des {
		names = append(names, de.Name())
	}
	return names
}

func TestSetGet(t *testing.T) {
	tests := []struct {
		name    string
		set     []Entry
		get     map[string]any // partition to look up
		want    map[string]any
		wantAll int
	}{
		{
			name: "file position",
			set:  []Entry{pos("test.txt", 22)},
			get:  map[string]any{"filename": "test.txt"},
			want: map[string]any{"position": int64(22)},
		},
		{
			name: "later entry in one Set wins",
			set:  []Entry{pos("a", 1), pos("a", 2)},
			get:  map[string]any{"filename": "a"},
			want: map[string]any{"position": int64(2)},
		},
		{
			name: "partition matches whatever its integer type",
			set:  []Entry{{Partition: map[string]any{"shard": int32(3), "stream": "s"}, Offset: map[string]any{"seq": uint16(9)}}},
			get:  map[string]any{"stream": "s", "shard": 3},
			want: map[string]any{"seq": int64(9)},
		},
		{
			name: "float stays float",
			set:  []Entry{{Partition: map[string]any{"p": 1.0}, Offset: map[string]any{"ts": 2.0}}},
			get:  map[string]any{"p": 1.0},
			want: map[string]any{"ts": 2.0},
		},
		{
			name:    "integral float and integer are different partitions",
			set:     []Entry{{Partition: map[string]any{"p": 1.0}, Offset: map[string]any{}}},
			get:     map[string]any{"p": 1},
			want:    nil,
			wantAll: 1,
		},
		{
			name: "nil partition is the empty partition",
			set:  []Entry{{Partition: nil, Offset: map[string]any{"n": "x"}}},
			get:  map[string]any{},
			want: map[string]any{"n": "x"},
		},
		{
			name:    "tombstone in the same Set",
			set:     []Entry{pos("a", 1), {Partition: map[string]any{"filename": "a"}}},
			get:     map[string]any{"filename": "a"},
			want:    nil,
			wantAll: -1,
		},
		{
			name: "empty offset is not a tombstone",
			set:  []Entry{{Partition: map[string]any{"filename": "a"}, Offset: map[string]any{}}},
			get:  map[string]any{"filename": "a"},
			want: map[string]any{},
		},
		{
			name: "nested offset",
			set: []Entry{{Partition: map[string]any{"db": "x"}, Offset: map[string]any{
				"gtids": []string{"a:1-5", "b:1-2"}, "file": map[string]any{"name": "bin.001", "pos": 4},
			}}},
			get: map[string]any{"db": "x"},
			want: map[string]any{
				"gtids": []any{"a:1-5", "b:1-2"}, "file": map[string]any{"name": "bin.001", "pos": int64(4)},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "connect.offsets")
			s := open(t, path, nil)
			mustSet(t, s, "src", tc.set...)
			for _, reopen := range []bool{false, true} {
				if reopen {
					mustClose(t, s)
					s = open(t, path, nil)
				}
				got, err := s.Get("src", tc.get)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, tc.want) {
					t.Errorf("reopened=%v: Get() = %#v, want %#v", reopen, got, tc.want)
				}
				all, err := s.All("src")
				if err != nil {
					t.Fatal(err)
				}
				wantAll := tc.wantAll
				if wantAll == 0 {
					wantAll = 1
				}
				if wantAll == -1 {
					wantAll = 0
				}
				if len(all) != wantAll {
					t.Errorf("reopened=%v: All() = %v, want %d entries", reopen, all, wantAll)
				}
			}
		})
	}
}

func TestReopenKeepsEverything(t *testing.T) {
	path := filepath.Join(t.TempDir(), "connect.offsets")
	s := open(t, path, nil)
	mustSet(t, s, "local-file-source", pos("b.txt", 5), pos("a.txt", 22))
	mustSet(t, s, "other", pos("x", 1))
	mustSet(t, s, "local-file-source", pos("b.txt", 6))
	mustClose(t, s)

	want := "{\n" +
		"  \"format\": \"connect-standalone-offsets\",\n" +
		"  \"version\": 1,\n" +
		"  \"connectors\": {\n" +
		"    \"local-file-source\": [\n" +
		"      {\"partition\": {\"filename\": \"a.txt\"}, \"offset\": {\"position\": 22}},\n" +
		"      {\"partition\": {\"filename\": \"b.txt\"}, \"offset\": {\"position\": 6}}\n" +
		"    ],\n" +
		"    \"other\": [\n" +
		"      {\"partition\": {\"filename\": \"x\"}, \"offset\": {\"position\": 1}}\n" +
		"    ]\n" +
		"  }\n" +
		"}\n"
	if got := string(readBytes(t, path)); got != want {
		t.Errorf("file =\n%s\nwant\n%s", got, want)
	}

	s = open(t, path, nil)
	all, err := s.All("local-file-source")
	if err != nil {
		t.Fatal(err)
	}
	wantAll := []Entry{
		{Partition: map[string]any{"filename": "a.txt"}, Offset: map[string]any{"position": int64(22)}},
		{Partition: map[string]any{"filename": "b.txt"}, Offset: map[string]any{"position": int64(6)}},
	}
	if !reflect.DeepEqual(all, wantAll) {
		t.Errorf("All() = %v, want %v", all, wantAll)
	}
	if all, _ := s.All("unknown"); all != nil {
		t.Errorf("All(unknown) = %v, want nil", all)
	}
}

func TestTombstones(t *testing.T) {
	path := filepath.Join(t.TempDir(), "connect.offsets")
	s := open(t, path, nil)
	mustSet(t, s, "a", pos("1", 1), pos("2", 2))
	mustSet(t, s, "b", pos("1", 1))

	mustSet(t, s, "a", Entry{Partition: map[string]any{"filename": "1"}})
	mustSet(t, s, "b", Entry{Partition: map[string]any{"filename": "1"}})
	mustSet(t, s, "c", Entry{Partition: map[string]any{"filename": "never-set"}})
	mustClose(t, s)

	got, err := Decode(readBytes(t, path))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]Entry{"a": {{Partition: map[string]any{"filename": "2"}, Offset: map[string]any{"position": int64(2)}}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("file holds %v, want %v", got, want)
	}
	if strings.Contains(string(readBytes(t, path)), "null") {
		t.Errorf("tombstones were written:\n%s", readBytes(t, path))
	}
}

func TestPartitionKeyOrder(t *testing.T) {
	// A hand-edited file may list partition keys in any order.
	path := filepath.Join(t.TempDir(), "connect.offsets")
	if err := os.WriteFile(path, file(`"src": [{"partition": {"z": 1, "a": "x", "m": [1, {"q": 2, "b": 3}]}, "offset": {"n": 1}}]`), 0o644); err != nil {
		t.Fatal(err)
	}
	s := open(t, path, nil)
	p := map[string]any{"m": []any{1, map[string]any{"b": 3, "q": 2}}, "a": "x", "z": int8(1)}
	got, err := s.Get("src", p)
	if err != nil || got["n"] != int64(1) {
		t.Fatalf("Get() = %v, %v; want n=1", got, err)
	}
	mustSet(t, s, "src", Entry{Partition: p, Offset: map[string]any{"n": 2}})
	if all, _ := s.All("src"); len(all) != 1 || all[0].Offset["n"] != int64(2) {
		t.Errorf("All() = %v, want the one partition at n=2", all)
	}
}

func TestOpenEmptyStore(t *testing.T) {
	tests := []struct {
		name    string
		content []byte // nil: no file
	}{
		{"missing file", nil},
		{"empty file", []byte{}},
		{"whitespace only", []byte("\n")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "connect.offsets")
			if tc.content != nil {
				if err := os.WriteFile(path, tc.content, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			s := open(t, path, nil)
			if all, err := s.All("src"); err != nil || all != nil {
				t.Errorf("All() = %v, %v; want nothing", all, err)
			}
			if _, err := os.Stat(path); tc.content == nil && !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("OpenFile created the offsets file (stat: %v); it should wait for the first Set", err)
			}
			mustSet(t, s, "src", pos("a", 1))
			if _, err := Decode(readBytes(t, path)); err != nil {
				t.Errorf("file after Set does not decode: %v", err)
			}
		})
	}
}

func TestOpenMissingDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "no", "such")
	path := filepath.Join(dir, "connect.offsets")
	_, err := OpenFile(path, nil)
	if err == nil || !strings.Contains(err.Error(), "directory "+dir+" does not exist") {
		t.Fatalf("OpenFile() error = %v, want it to name the missing directory %s", err, dir)
	}
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("OpenFile created %s", dir)
	}
}

func TestSetDirectoryRemoved(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	s := open(t, filepath.Join(dir, "connect.offsets"), nil)
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	err := s.Set(t.Context(), "src", []Entry{pos("a", 1)})
	if err == nil || !strings.Contains(err.Error(), "directory "+dir+" does not exist") {
		t.Fatalf("Set() error = %v, want it to name the missing directory %s", err, dir)
	}
}

func TestOpenRefusesBadFile(t *testing.T) {
	for _, tc := range badFiles {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "connect.offsets")
			if err := os.WriteFile(path, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			before, _ := os.Stat(path)
			s, err := OpenFile(path, testLogger(t))
			if !errors.Is(err, tc.want) {
				if s != nil {
					_ = s.Close()
				}
				t.Fatalf("OpenFile() = %v; want error wrapping %q", err, tc.want)
			}
			for _, m := range append([]string{"open offsets file " + path, "left untouched"}, tc.msg...) {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("error %q does not contain %q", err, m)
				}
			}
			if got := readBytes(t, path); string(got) != string(tc.data) {
				t.Errorf("file changed:\n%q\nwant\n%q", got, tc.data)
			}
			after, _ := os.Stat(path)
			if !after.ModTime().Equal(before.ModTime()) || after.Mode() != before.Mode() {
				t.Errorf("file metadata changed: %v %v, want %v %v", after.ModTime(), after.Mode(), before.ModTime(), before.Mode())
			}
			if names := dirNames(t, dir); !slices.Equal(names, []string{"connect.offsets", "connect.offsets.lock"}) {
				t.Errorf("directory holds %v, want only the offsets file and its lock", names)
			}
		})
	}
}

func TestOpenFailureReleasesLock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "connect.offsets")
	if err := os.WriteFile(path, []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenFile(path, nil); !errors.Is(err, ErrInvalid) {
		t.Fatalf("OpenFile() error = %v, want ErrInvalid", err)
	}
	// Once the user fixes the file, the same process can open it.
	if err := os.WriteFile(path, file(""), 0o644); err != nil {
		t.Fatal(err)
	}
	open(t, path, nil)
}

func TestOpenUnreadable(t *testing.T) {
	t.Run("injected", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "connect.offsets")
		content := file(`"s": [{"partition": {}, "offset": {}}]`)
		if err := os.WriteFile(path, content, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := openFile(path, testLogger(t), &faultFS{failNextRead: fs.ErrPermission})
		if !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), "open offsets file "+path) {
			t.Fatalf("OpenFile() error = %v, want a permission error naming %s", err, path)
		}
		if got := readBytes(t, path); string(got) != string(content) {
			t.Errorf("file changed to %q", got)
		}
	})
	t.Run("chmod", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("root reads files whatever their mode")
		}
		path := filepath.Join(t.TempDir(), "connect.offsets")
		content := file("")
		if err := os.WriteFile(path, content, 0o000); err != nil {
			t.Fatal(err)
		}
		_, err := OpenFile(path, testLogger(t))
		if !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), path) {
			t.Fatalf("OpenFile() error = %v, want a permission error naming %s", err, path)
		}
		if err := os.Chmod(path, 0o644); err != nil {
			t.Fatal(err)
		}
		if got := readBytes(t, path); string(got) != string(content) {
			t.Errorf("file changed to %q", got)
		}
	})
}

func TestWriteFailureKeepsOldFile(t *testing.T) {
	tests := []struct {
		name string
		set  func(*faultFS)
		// renamed: the new content reached the file name, but the write was
		// not durable, so it must still not count.
		renamed bool
	}{
		{"short write", func(f *faultFS) { f.failNextWrite = errInjected }, false},
		{"fsync", func(f *faultFS) { f.failNextSync = errInjected }, false},
		{"rename", func(f *faultFS) { f.failNextRename = errInjected }, false},
		{"directory fsync", func(f *faultFS) { f.failNextSyncDir = errInjected }, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "connect.offsets")
			ffs := &faultFS{}
			s := open(t, path, ffs)
			mustSet(t, s, "src", pos("a", 1))
			old := readBytes(t, path)

			tc.set(ffs)
			err := s.Set(t.Context(), "src", []Entry{pos("b", 2)})
			if !errors.Is(err, errInjected) || !strings.Contains(err.Error(), "write offsets file "+path) {
				t.Fatalf("Set() error = %v, want the injected fault naming %s", err, path)
			}
			if got := readBytes(t, path); !tc.renamed && string(got) != string(old) {
				t.Errorf("file changed after a failed write:\n%s\nwant\n%s", got, old)
			}
			wantOffset(t, s, "src", "b", nil) // not durable, so not reported
			if names := dirNames(t, dir); !slices.Equal(names, []string{"connect.offsets", "connect.offsets.lock"}) {
				t.Errorf("directory holds %v, want no temporary file", names)
			}

			// The next Set writes its own entry and the failed one.
			mustSet(t, s, "src", pos("c", 3))
			mustClose(t, s)
			s = open(t, path, nil)
			wantOffset(t, s, "src", "a", int64(1))
			wantOffset(t, s, "src", "b", int64(2))
			wantOffset(t, s, "src", "c", int64(3))
		})
	}
}

func TestCloseWritesPending(t *testing.T) {
	path := filepath.Join(t.TempDir(), "connect.offsets")
	ffs := &faultFS{failNextSync: errInjected}
	s := open(t, path, ffs)
	if err := s.Set(t.Context(), "src", []Entry{pos("a", 1)}); !errors.Is(err, errInjected) {
		t.Fatalf("Set() error = %v, want the injected fault", err)
	}
	mustClose(t, s)
	s = open(t, path, nil)
	wantOffset(t, s, "src", "a", int64(1))
}

func TestCloseReportsFailedWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "connect.offsets")
	ffs := &faultFS{failNextSync: errInjected}
	s := open(t, path, ffs)
	if err := s.Set(t.Context(), "src", []Entry{pos("a", 1)}); !errors.Is(err, errInjected) {
		t.Fatalf("Set() error = %v, want the injected fault", err)
	}
	ffs.failNextRename = errInjected
	err := s.Close()
	if !errors.Is(err, errInjected) || !strings.Contains(err.Error(), "close offsets file "+path) {
		t.Fatalf("Close() error = %v, want the injected fault naming %s", err, path)
	}
	if again := s.Close(); !errors.Is(again, errInjected) {
		t.Errorf("second Close() = %v, want the first result", again)
	}
	// The lock is released even so.
	open(t, path, nil)
}

func TestSetAfterClose(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "connect.offsets"), nil)
	mustClose(t, s)
	if err := s.Set(t.Context(), "src", []Entry{pos("a", 1)}); !errors.Is(err, os.ErrClosed) {
		t.Errorf("Set() after Close = %v, want os.ErrClosed", err)
	}
}

func TestSetRejectsInvalidValues(t *testing.T) {
	path := filepath.Join(t.TempDir(), "connect.offsets")
	s := open(t, path, nil)
	tests := []struct {
		name  string
		entry Entry
		msg   string
	}{
		{"NaN offset", Entry{Partition: map[string]any{"filename": "a"}, Offset: map[string]any{"position": 0.0 / zero()}}, "entries[1].offset"},
		{"channel partition", Entry{Partition: map[string]any{"c": make(chan int)}, Offset: map[string]any{}}, "entries[1].partition"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := s.Set(t.Context(), "src", []Entry{pos("ok", 1), tc.entry})
			if err == nil || !strings.Contains(err.Error(), tc.msg) || !strings.Contains(err.Error(), path) {
				t.Fatalf("Set() error = %v, want it to name %q and %s", err, tc.msg, path)
			}
			// Nothing of the refused Set is kept, not even its valid entry.
			mustSet(t, s, "other", pos("x", 1))
			wantOffset(t, s, "src", "ok", nil)
		})
	}
}

func zero() float64 { return 0 }

func TestStoreDoesNotAlias(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "connect.offsets"), nil)
	part := map[string]any{"filename": "a"}
	off := map[string]any{"position": 1, "list": []any{1}}
	mustSet(t, s, "src", Entry{Partition: part, Offset: off})
	part["filename"] = "b"
	off["position"] = 99
	off["list"].([]any)[0] = 99

	got, _ := s.Get("src", map[string]any{"filename": "a"})
	got["position"] = int64(100)
	got["list"].([]any)[0] = int64(100)
	all, _ := s.All("src")
	all[0].Partition["filename"] = "c"

	got, _ = s.Get("src", map[string]any{"filename": "a"})
	want := map[string]any{"position": int64(1), "list": []any{int64(1)}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Get() = %v, want %v: the store shares maps with its callers", got, want)
	}
}

func TestConcurrentSet(t *testing.T) {
	path := filepath.Join(t.TempDir(), "connect.offsets")
	s := open(t, path, nil)
	const tasks, commits = 16, 25
	var wg sync.WaitGroup
	errs := make(chan error, tasks*commits)
	for task := range tasks {
		wg.Go(func() {
			connector := "conn-" + strconv.Itoa(task%4)
			for i := range commits {
				entries := []Entry{
					pos(fmt.Sprintf("task-%d", task), i),
					{Partition: map[string]any{"shared": true}, Offset: map[string]any{"by": int64(task)}},
				}
				if err := s.Set(t.Context(), connector, entries); err != nil {
					errs <- err
					return
				}
				if _, err := s.Get(connector, map[string]any{"filename": fmt.Sprintf("task-%d", task)}); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	mustClose(t, s)

	s = open(t, path, nil)
	for task := range tasks {
		wantOffset(t, s, "conn-"+strconv.Itoa(task%4), fmt.Sprintf("task-%d", task), int64(commits-1))
	}
	for c := range 4 {
		if all, _ := s.All("conn-" + strconv.Itoa(c)); len(all) != tasks/4+1 {
			t.Errorf("conn-%d has %d entries, want %d", c, len(all), tasks/4+1)
		}
	}
}

// holdWrite makes the next file fsync block; the returned function lets
// it finish. It returns once the writer is blocked.
func holdWrite(t *testing.T, ffs *faultFS, start func()) (release func()) {
	t.Helper()
	gate := make(chan struct{})
	entered := make(chan struct{}, 1)
	ffs.mu.Lock()
	ffs.syncGate, ffs.syncEntered = gate, entered
	ffs.mu.Unlock()
	go start()
	select {
	case <-entered:
	case <-time.After(10 * time.Second):
		t.Fatal("the write never reached fsync")
	}
	var once sync.Once
	release = func() {
		once.Do(func() {
			ffs.mu.Lock()
			ffs.syncGate, ffs.syncEntered = nil, nil
			ffs.mu.Unlock()
			close(gate)
		})
	}
	t.Cleanup(release)
	return release
}

func TestGroupCommit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "connect.offsets")
	ffs := &faultFS{}
	s := open(t, path, ffs)

	first := make(chan error, 1)
	release := holdWrite(t, ffs, func() { first <- s.Set(context.Background(), "src", []Entry{pos("first", 1)}) })

	// While the first write is in progress, many tasks commit.
	const tasks = 20
	var wg sync.WaitGroup
	errs := make(chan error, tasks)
	for i := range tasks {
		wg.Go(func() { errs <- s.Set(context.Background(), "src", []Entry{pos(strconv.Itoa(i), i)}) })
	}
	waitFor(t, func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		return len(s.pending["src"]) == tasks+1 // the first one stays pending until its write completes
	})
	release()
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := ffs.renameCount(); n != 2 {
		t.Errorf("%d Set calls made %d writes, want 2 (one in progress, one for everyone who waited)", tasks+1, n)
	}
	if all, _ := s.All("src"); len(all) != tasks+1 {
		t.Errorf("All() has %d entries, want %d", len(all), tasks+1)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached")
		}
		time.Sleep(time.Millisecond)
	}
}

func TestSetHonoursContext(t *testing.T) {
	t.Run("already cancelled", func(t *testing.T) {
		s := open(t, filepath.Join(t.TempDir(), "connect.offsets"), nil)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if err := s.Set(ctx, "src", []Entry{pos("a", 1)}); !errors.Is(err, context.Canceled) {
			t.Fatalf("Set() = %v, want context.Canceled", err)
		}
		mustClose(t, s)
	})
	t.Run("while waiting", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "connect.offsets")
		ffs := &faultFS{}
		s := open(t, path, ffs)
		ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
		defer cancel()
		done := make(chan error, 1)
		release := holdWrite(t, ffs, func() { done <- s.Set(ctx, "src", []Entry{pos("a", 1)}) })
		select {
		case err := <-done:
			if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), path) {
				t.Fatalf("Set() = %v, want context.DeadlineExceeded naming %s", err, path)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("Set did not return when its context expired")
		}
		release()
		// The abandoned entry is still written.
		mustClose(t, s)
		s = open(t, path, nil)
		wantOffset(t, s, "src", "a", int64(1))
	})
}

func TestLock(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "connect.offsets")
	s := open(t, path, nil)

	_, err := OpenFile(path, nil)
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second OpenFile() error = %v, want ErrLocked", err)
	}
	for _, m := range []string{path, "process " + strconv.Itoa(os.Getpid()), path + ".lock"} {
		if !strings.Contains(err.Error(), m) {
			t.Errorf("error %q does not contain %q", err, m)
		}
	}

	// A symlink to the same file is the same file.
	link := filepath.Join(dir, "link.offsets")
	mustSet(t, s, "src", pos("a", 1))
	if err := os.Symlink(path, link); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenFile(link, nil); !errors.Is(err, ErrLocked) {
		t.Errorf("OpenFile(symlink) error = %v, want ErrLocked", err)
	}

	mustClose(t, s)
	s2 := open(t, path, nil)
	wantOffset(t, s2, "src", "a", int64(1))
}

func TestSymlinkedFile(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real.offsets")
	link := filepath.Join(dir, "link.offsets")
	if err := os.WriteFile(real, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	s := open(t, link, nil)
	mustSet(t, s, "src", pos("a", 1))
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Fatalf("the symlink was replaced: %v, %v", fi, err)
	}
	if got, err := Decode(readBytes(t, real)); err != nil || len(got["src"]) != 1 {
		t.Errorf("the link's target holds %v, %v; want the new entry", got, err)
	}
}

// TestLockAcrossProcesses runs OpenFile in a child process (this test
// binary again) while the parent holds the file.
func TestLockAcrossProcesses(t *testing.T) {
	if path := os.Getenv("OFFSETS_LOCK_CHILD"); path != "" {
		s, err := OpenFile(path, nil)
		if err != nil {
			fmt.Print(err)
			return
		}
		fmt.Print("opened")
		_ = s.Close()
		return
	}
	path := filepath.Join(t.TempDir(), "connect.offsets")
	child := func() string {
		t.Helper()
		cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestLockAcrossProcesses$")
		cmd.Env = append(os.Environ(), "OFFSETS_LOCK_CHILD="+path)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("child process: %v\n%s", err, out)
		}
		return string(out)
	}

	s := open(t, path, nil)
	out := child()
	if want := "in use by another worker (process " + strconv.Itoa(os.Getpid()); !strings.Contains(out, want) {
		t.Errorf("child OpenFile while the parent holds the file: %q, want it to contain %q", out, want)
	}
	mustClose(t, s)
	if out := child(); !strings.HasPrefix(out, "opened") {
		t.Errorf("child OpenFile after the parent closed: %q, want success", out)
	}
}

func TestKeepsFileMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "connect.offsets")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	// A temporary file left by a crash does not get in the way.
	if err := os.WriteFile(path+".tmp", []byte("partial"), 0o666); err != nil {
		t.Fatal(err)
	}
	s := open(t, path, nil)
	mustSet(t, s, "src", pos("a", 1))
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("offsets file mode = %v after a write, want -rw-------", fi.Mode())
	}
	if _, err := os.Stat(path + ".tmp"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("temporary file left behind: %v", err)
	}
}

func TestOpenEmptyPath(t *testing.T) {
	if _, err := OpenFile("", nil); err == nil || !strings.Contains(err.Error(), "offset.storage.file.filename") {
		t.Errorf("OpenFile(\"\") error = %v, want it to name offset.storage.file.filename", err)
	}
}
