package store

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func write(t *testing.T, st Store, name, content string) {
	t.Helper()
	f, err := st.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(f, content); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, st Store, name string) string {
	t.Helper()
	f, err := st.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestOpenURL(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		url     string
		wantErr error
	}{
		{dir, nil},
		{"file://" + dir, nil},
		{"s3://bucket", ErrUnsupported},
	} {
		st, err := OpenURL(tt.url, "")
		if !errors.Is(err, tt.wantErr) {
			t.Errorf("OpenURL(%q) error %v, want %v", tt.url, err, tt.wantErr)
		}
		if err == nil && st.URL() != "file://"+filepath.ToSlash(dir) {
			t.Errorf("OpenURL(%q).URL() = %q", tt.url, st.URL())
		}
	}

	// An hdfs:// URL connects at once: a sink fails at start, naming it.
	nn := newFakeNamenode(t)
	st, err := OpenURL("hdfs://"+nn.addr()+"/base", "")
	if err != nil {
		t.Fatal(err)
	}
	st.(io.Closer).Close()
	if st.URL() != "hdfs://"+nn.addr()+"/base" {
		t.Errorf("OpenURL(hdfs://...).URL() = %q", st.URL())
	}
	down := "hdfs://" + deadAddr(t) + "/base"
	if _, err := OpenURL(down, ""); err == nil || errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), down) {
		t.Errorf("OpenURL(%q) with no namenode: %v", down, err)
	}
}

func TestLocal(t *testing.T) {
	dir := t.TempDir()
	st, err := NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	write(t, st, "topics/+tmp/t/partition=0/a_tmp.avro", "data")
	if err := st.Rename("topics/+tmp/t/partition=0/a_tmp.avro", "topics/t/partition=0/t+0+0000000000+0000000002.avro"); err != nil {
		t.Fatal(err)
	}
	if got := read(t, st, "topics/t/partition=0/t+0+0000000000+0000000002.avro"); got != "data" {
		t.Errorf("renamed file holds %q", got)
	}
	if ok, _ := st.Exists("topics/+tmp/t/partition=0/a_tmp.avro"); ok {
		t.Error("the source of a rename still exists")
	}
	names, err := st.List("topics/t/partition=0")
	if err != nil || !slices.Equal(names, []string{"t+0+0000000000+0000000002.avro"}) {
		t.Errorf("List = %v, %v", names, err)
	}
	if names, err := st.List("topics/missing"); err != nil || names != nil {
		t.Errorf("List of a missing directory = %v, %v", names, err)
	}
	write(t, st, "topics/t/year=2024/month=05/t+0+0000000003+0000000004.avro", "more")
	all, err := st.Walk("topics/t")
	want := []string{"topics/t/partition=0/t+0+0000000000+0000000002.avro", "topics/t/year=2024/month=05/t+0+0000000003+0000000004.avro"}
	if err != nil || !slices.Equal(all, want) {
		t.Errorf("Walk = %v, %v; want %v", all, err, want)
	}
	if all, err := st.Walk("topics/missing"); err != nil || all != nil {
		t.Errorf("Walk of a missing directory = %v, %v", all, err)
	}
	if err := st.Remove("topics/missing/x"); err != nil {
		t.Errorf("Remove of a missing file: %v", err)
	}
	// Names cannot leave the root.
	write(t, st, "../../escape", "x")
	if _, err := os.Stat(filepath.Join(dir, "escape")); err != nil {
		t.Errorf("a name with .. was not kept inside the root: %v", err)
	}
	if _, err := st.Create(""); err == nil {
		t.Error("Create of an empty name succeeded")
	}
}

// crashStore fails every operation after a number of successful mutations,
// as a crash would, then recovers when reopened.
type crashStore struct {
	Store
	left int
}

var errCrash = errors.New("crash")

func (c *crashStore) step() error {
	if c.left == 0 {
		return errCrash
	}
	c.left--
	return nil
}

func (c *crashStore) Create(name string) (io.WriteCloser, error) {
	if err := c.step(); err != nil {
		return nil, err
	}
	return c.Store.Create(name)
}

func (c *crashStore) Rename(from, to string) error {
	if err := c.step(); err != nil {
		return err
	}
	return c.Store.Rename(from, to)
}

func (c *crashStore) Remove(name string) error {
	if err := c.step(); err != nil {
		return err
	}
	return c.Store.Remove(name)
}

// A crash at any step of a commit leaves either none or all of its files in
// place once the log is recovered.
func TestWALCommitIsAtomic(t *testing.T) {
	renames := []Rename{
		{"tmp/a_tmp", "final/t+0+0000000000+0000000002.avro"},
		{"tmp/b_tmp", "final/t+0+0000000003+0000000005.avro"},
	}
	for crashAfter := 0; crashAfter <= 4; crashAfter++ {
		t.Run("after "+strings.Repeat("step ", crashAfter), func(t *testing.T) {
			local, err := NewLocal(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			write(t, local, "tmp/a_tmp", "a")
			write(t, local, "tmp/b_tmp", "b")
			err = NewWAL(&crashStore{Store: local, left: crashAfter}, "logs/t/0/log").Commit(renames)
			if crashAfter == 4 && err != nil {
				t.Fatalf("a commit with no crash failed: %v", err)
			}
			if _, err := NewWAL(local, "logs/t/0/log").Recover(); err != nil {
				t.Fatalf("recover: %v", err)
			}
			committed, _ := local.List("final")
			if len(committed) != 0 && len(committed) != 2 {
				t.Fatalf("after a crash at step %d and recovery, %d of 2 files are committed", crashAfter, len(committed))
			}
			// The commit wrote its log first (step 1): from then on, the
			// recovery finishes it.
			if want := crashAfter >= 1; (len(committed) == 2) != want {
				t.Errorf("crash after %d steps: committed %v, want all: %v", crashAfter, committed, want)
			}
			if ok, _ := local.Exists("logs/t/0/log"); ok {
				t.Error("the log survived its recovery")
			}
		})
	}
}

func TestWALIgnoresATornLog(t *testing.T) {
	local, err := NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	write(t, local, "tmp/a_tmp", "a")
	var full bytes.Buffer
	wal := NewWAL(local, "log")
	// The log as Commit writes it, then cut at every length.
	c := &captureStore{Store: local}
	if err := NewWAL(c, "log").Commit([]Rename{{"tmp/a_tmp", "final/a"}}); err != nil {
		t.Fatal(err)
	}
	full.Write(c.log)
	if err := local.Rename("final/a", "tmp/a_tmp"); err != nil {
		t.Fatal(err)
	}
	// Only the final newline can go without losing a rename.
	for n := 0; n < full.Len()-1; n++ {
		write(t, local, "log", full.String()[:n])
		got, err := wal.Recover()
		if err != nil {
			t.Fatalf("cut at %d: %v", n, err)
		}
		if got != nil {
			t.Fatalf("a log cut at %d of %d bytes was applied: %v", n, full.Len(), got)
		}
		if ok, _ := local.Exists("tmp/a_tmp"); !ok {
			t.Fatalf("a log cut at %d moved the file", n)
		}
	}
}

// captureStore keeps what was written to the file named log.
type captureStore struct {
	Store
	log []byte
}

type captureFile struct {
	io.WriteCloser
	c *captureStore
}

func (f captureFile) Write(p []byte) (int, error) {
	f.c.log = append(f.c.log, p...)
	return f.WriteCloser.Write(p)
}

func (c *captureStore) Create(name string) (io.WriteCloser, error) {
	w, err := c.Store.Create(name)
	if err != nil || name != "log" {
		return w, err
	}
	return captureFile{w, c}, nil
}

func FuzzParseWAL(f *testing.F) {
	f.Add([]byte("0a1b2c3d {\"count\":1}\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		renames, complete := parseWAL(bytes.NewReader(data))
		if !complete && renames != nil {
			t.Errorf("an incomplete log returned renames %v", renames)
		}
	})
}
