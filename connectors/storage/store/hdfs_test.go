package store

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"net"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	gohdfs "github.com/colinmarc/hdfs/v2"
	"github.com/colinmarc/hdfs/v2/hadoopconf"
)

// openFake opens the store at base on a fake namenode, through the real
// HDFS client.
func openFake(t *testing.T, nn *fakeNamenode, base string) *HDFS {
	t.Helper()
	h, err := OpenHDFS("hdfs://"+nn.addr()+base, "")
	if err != nil {
		t.Fatal(err)
	}
	h.completeDelay = time.Millisecond
	t.Cleanup(func() { h.Close() })
	return h
}

// deadAddr is a local address nothing listens on.
func deadAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func count(calls []string, method string) int {
	n := 0
	for _, c := range calls {
		if c == method {
			n++
		}
	}
	return n
}

func TestHDFSExistsRenameRemove(t *testing.T) {
	nn := newFakeNamenode(t)
	h := openFake(t, nn, "/base")
	if h.URL() != "hdfs://"+nn.addr()+"/base" {
		t.Errorf("URL() = %q", h.URL())
	}
	nn.addFile(t, "/base/topics/+tmp/t/partition=0/a_tmp.avro", 4)

	for name, want := range map[string]bool{
		"topics/+tmp/t/partition=0/a_tmp.avro": true,
		"topics/+tmp/t":                        false, // a directory
		"topics/missing":                       false,
	} {
		if got, err := h.Exists(name); err != nil || got != want {
			t.Errorf("Exists(%q) = %v, %v; want %v", name, got, err, want)
		}
	}

	// The target's parents are created, as the namenode's rename2 needs.
	final := "topics/t/partition=0/t+0+0000000000+0000000002.avro"
	if err := h.Rename("topics/+tmp/t/partition=0/a_tmp.avro", final); err != nil {
		t.Fatal(err)
	}
	if got := nn.stat("/base/" + final); got != "file" {
		t.Errorf("the rename target is %q", got)
	}
	if got := nn.stat("/base/topics/+tmp/t/partition=0/a_tmp.avro"); got != "" {
		t.Errorf("the rename source is still a %s", got)
	}

	// A rename replaces the file at its target.
	nn.addFile(t, "/base/x/new", 1)
	nn.addFile(t, "/base/x/old", 2)
	if err := h.Rename("x/new", "x/old"); err != nil {
		t.Fatal(err)
	}
	var length uint64
	nn.setup(func(nn *fakeNamenode) { length = nn.nodes["/base/x/old"].length })
	if length != 1 || nn.stat("/base/x/new") != "" {
		t.Errorf("after replacing x/old by x/new: x/old has %d bytes, x/new is %q", length, nn.stat("/base/x/new"))
	}

	err := h.Rename("x/missing", "x/other")
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), h.URL()) || !strings.Contains(err.Error(), "x/missing") {
		t.Errorf("rename of a missing file: %v", err)
	}

	if err := h.Remove("x/old"); err != nil {
		t.Fatal(err)
	}
	if got := nn.stat("/base/x/old"); got != "" {
		t.Errorf("a removed file is a %s", got)
	}
	if err := h.Remove("x/missing"); err != nil {
		t.Errorf("Remove of a missing file: %v", err)
	}
}

func TestHDFSListWalk(t *testing.T) {
	nn := newFakeNamenode(t)
	// Two entries a page makes the client ask for the rest of a listing.
	nn.setup(func(nn *fakeNamenode) { nn.listLimit = 2 })
	h := openFake(t, nn, "/")
	for _, p := range []string{"/l/c", "/l/a", "/l/b", "/l/sub/deep/d", "/l/sub/e", "/other/f"} {
		nn.addFile(t, p, 1)
	}

	before := count(nn.methods(), "getListing")
	names, err := h.List("l")
	if err != nil || !slices.Equal(names, []string{"a", "b", "c"}) {
		t.Errorf("List = %v, %v", names, err)
	}
	if pages := count(nn.methods(), "getListing") - before; pages != 2 {
		t.Errorf("List of 4 entries, 2 a page, made %d getListing calls", pages)
	}
	if names, err := h.List("missing"); err != nil || names != nil {
		t.Errorf("List of a missing directory = %v, %v", names, err)
	}
	if _, err := h.List("l/a"); !errors.Is(err, syscall.ENOTDIR) {
		t.Errorf("List of a file: %v", err)
	}

	all, err := h.Walk("l")
	want := []string{"l/a", "l/b", "l/c", "l/sub/deep/d", "l/sub/e"}
	if err != nil || !slices.Equal(all, want) {
		t.Errorf("Walk = %v, %v; want %v", all, err, want)
	}
	if all, err := h.Walk("/l/sub/"); err != nil || !slices.Equal(all, []string{"l/sub/deep/d", "l/sub/e"}) {
		t.Errorf("Walk of a subdirectory = %v, %v", all, err)
	}
	if all, err := h.Walk("missing"); err != nil || all != nil {
		t.Errorf("Walk of a missing directory = %v, %v", all, err)
	}
}

func TestHDFSNamesStayUnderRoot(t *testing.T) {
	nn := newFakeNamenode(t)
	h := openFake(t, nn, "/base")
	f, err := h.Create("../../escape")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if nn.stat("/base/escape") != "file" || nn.stat("/escape") != "" {
		t.Errorf("a name with .. was not kept inside the root: %v", nn.paths())
	}
	for _, name := range []string{"", "/", "..", "a\x00b"} {
		if _, err := h.Create(name); err == nil {
			t.Errorf("Create(%q) succeeded", name)
		}
		if err := h.Rename("escape", name); err == nil {
			t.Errorf("Rename to %q succeeded", name)
		}
	}
}

// Creating and closing an empty file needs no datanode: create, then
// complete, both namenode calls.
func TestHDFSCreateEmptyFile(t *testing.T) {
	nn := newFakeNamenode(t)
	h := openFake(t, nn, "/base")
	nn.addFile(t, "/base/d/f", 10)

	f, err := h.Create("d/f")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	var length uint64
	nn.setup(func(nn *fakeNamenode) { length = nn.nodes["/base/d/f"].length })
	if length != 0 {
		t.Errorf("Create kept the old file's %d bytes", length)
	}
	if calls := nn.methods(); !slices.Contains(calls, "delete") || !slices.Contains(calls, "create") {
		t.Errorf("Create over a file called %v; want a delete, then a create", calls)
	}
	if err := f.Close(); err == nil {
		t.Error("a second Close succeeded")
	}

	if _, err := h.Create("d"); err == nil || !strings.Contains(err.Error(), h.URL()) {
		t.Errorf("Create over a directory: %v", err)
	}

	t.Run("complete retried", func(t *testing.T) {
		nn.setup(func(nn *fakeNamenode) { nn.incompleteCloses = 2 })
		before := count(nn.methods(), "complete")
		f, err := h.Create("n/e/w")
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatalf("Close while the namenode twice said not complete: %v", err)
		}
		if n := count(nn.methods(), "complete") - before; n != 3 {
			t.Errorf("Close called complete %d times, want 3", n)
		}
		if nn.stat("/base/n/e") != "dir" {
			t.Errorf("Create did not make the parents: %v", nn.paths())
		}
	})

	t.Run("complete never", func(t *testing.T) {
		nn.setup(func(nn *fakeNamenode) { nn.incompleteCloses = 100 })
		f, err := h.Create("never")
		if err != nil {
			t.Fatal(err)
		}
		err = f.Close()
		if !errors.Is(err, gohdfs.ErrReplicating) || !strings.Contains(err.Error(), h.URL()) || !strings.Contains(err.Error(), "never") {
			t.Errorf("Close of a file never complete: %v", err)
		}
	})
}

// Writing data starts with the namenode's addBlock; with no datanode a
// namenode refuses it, and the error says why.
func TestHDFSWriteRefused(t *testing.T) {
	nn := newFakeNamenode(t)
	h := openFake(t, nn, "/base")
	const refusal = "File /base/t could only be written to 0 of the 1 minReplication nodes. There are 0 datanode(s) running and 0 node(s) are excluded in this operation."
	nn.setup(func(nn *fakeNamenode) { nn.refuse["addBlock"] = refusal })
	f, err := h.Create("t")
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.Write([]byte("data"))
	if err == nil || !strings.Contains(err.Error(), h.URL()) || !strings.Contains(err.Error(), "write t") || !strings.Contains(err.Error(), refusal) {
		t.Errorf("Write with addBlock refused: %v", err)
	}
	calls := nn.methods()
	if i := slices.Index(calls, "create"); i < 0 || !slices.Contains(calls[i:], "addBlock") {
		t.Errorf("calls %v; want create, then addBlock", calls)
	}
}

func TestHDFSOpen(t *testing.T) {
	nn := newFakeNamenode(t)
	h := openFake(t, nn, "/base")
	if _, err := h.Open("missing"); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), h.URL()) {
		t.Errorf("Open of a missing file: %v", err)
	}
	// An empty file has no blocks, so reading it needs no datanode.
	nn.addFile(t, "/base/empty", 0)
	if got := read(t, h, "empty"); got != "" {
		t.Errorf("empty file read as %q", got)
	}
}

// memLog serves the log's bytes from memory: reading a file's data needs a
// datanode. Whether the log exists, and every rename and removal, is the
// HDFS store's.
type memLog struct {
	Store
	name string
	data []byte
}

func (m memLog) Open(name string) (io.ReadCloser, error) {
	if name != m.name {
		return m.Store.Open(name)
	}
	r, err := m.Store.Open(name)
	if err != nil {
		return nil, err
	}
	r.Close()
	return io.NopCloser(bytes.NewReader(m.data)), nil
}

func TestHDFSWALRecover(t *testing.T) {
	renames := []Rename{
		{"topics/+tmp/t/partition=0/a_tmp", "topics/t/partition=0/t+0+0000000000+0000000002.avro"},
		{"topics/+tmp/t/partition=0/b_tmp", "topics/t/partition=0/t+0+0000000003+0000000005.avro"},
	}
	// The log as Commit writes it.
	local, err := NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range renames {
		write(t, local, r.From, "x")
	}
	c := &captureStore{Store: local}
	if err := NewWAL(c, "log").Commit(renames); err != nil {
		t.Fatal(err)
	}

	nn := newFakeNamenode(t)
	h := openFake(t, nn, "/base")
	const logName = "logs/t/0/log"
	// A crash after the first rename: one source left, one target there.
	nn.addFile(t, "/base/"+renames[0].From, 1)
	nn.addFile(t, "/base/"+renames[1].To, 1)
	nn.addFile(t, "/base/"+logName, uint64(len(c.log)))

	got, err := NewWAL(memLog{h, logName, c.log}, logName).Recover()
	if err != nil || !slices.Equal(got, renames) {
		t.Fatalf("Recover = %v, %v", got, err)
	}
	for _, r := range renames {
		if nn.stat("/base/"+r.From) != "" || nn.stat("/base/"+r.To) != "file" {
			t.Errorf("after recovery: %v", nn.paths())
		}
	}
	if nn.stat("/base/"+logName) != "" {
		t.Error("the log survived its recovery")
	}
	if got, err := NewWAL(h, logName).Recover(); err != nil || got != nil {
		t.Errorf("Recover with no log = %v, %v", got, err)
	}
}

func TestHDFSUser(t *testing.T) {
	nn := newFakeNamenode(t)
	t.Setenv("HADOOP_USER_NAME", "kafka")
	openFake(t, nn, "/")
	t.Setenv("HADOOP_USER_NAME", "")
	openFake(t, nn, "/")
	u, err := user.Current()
	if err != nil {
		t.Skip(err)
	}
	nn.setup(func(nn *fakeNamenode) {
		if !slices.Equal(nn.users, []string{"kafka", u.Username}) {
			t.Errorf("connections as %v, want kafka then %s", nn.users, u.Username)
		}
	})
}

func TestHDFSNoNamenode(t *testing.T) {
	rawURL := "hdfs://" + deadAddr(t) + "/base"
	start := time.Now()
	_, err := OpenHDFS(rawURL, "")
	if err == nil || !strings.Contains(err.Error(), rawURL) || !strings.Contains(err.Error(), "refused") {
		t.Errorf("OpenHDFS with no namenode: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("OpenHDFS with no namenode took %v", d)
	}
}

func writeConf(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, props := range files {
		xml := "<configuration>\n" + props + "</configuration>\n"
		if err := os.WriteFile(filepath.Join(dir, name), []byte(xml), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func prop(name, value string) string {
	return "<property><name>" + name + "</name><value>" + value + "</value></property>\n"
}

func TestOpenHDFSHadoopConf(t *testing.T) {
	nn := newFakeNamenode(t)
	// The first namenode of the nameservice is down; the client fails over.
	ha := writeConf(t, map[string]string{
		"core-site.xml": prop("fs.defaultFS", "hdfs://mycluster"),
		"hdfs-site.xml": prop("dfs.nameservices", "mycluster") +
			prop("dfs.ha.namenodes.mycluster", "nn1, nn2") +
			prop("dfs.namenode.rpc-address.mycluster.nn1", deadAddr(t)) +
			prop("dfs.namenode.rpc-address.mycluster.nn2", nn.addr()),
	})
	for _, rawURL := range []string{"hdfs://mycluster/base", "hdfs:///base"} {
		h, err := OpenHDFS(rawURL, ha)
		if err != nil {
			t.Errorf("OpenHDFS(%q): %v", rawURL, err)
			continue
		}
		if h.URL() != "hdfs://mycluster/base" {
			t.Errorf("OpenHDFS(%q).URL() = %q", rawURL, h.URL())
		}
		if ok, err := h.Exists("x"); ok || err != nil {
			t.Errorf("Exists through the nameservice = %v, %v", ok, err)
		}
		h.Close()
	}

	for _, tt := range []struct {
		name, url, wantErr string
		files              map[string]string
	}{
		{"kerberos", "hdfs://" + nn.addr(), "kerberos is not supported",
			map[string]string{"core-site.xml": prop("hadoop.security.authentication", "Kerberos")}},
		{"empty directory", "hdfs://" + nn.addr(), "no core-site.xml or hdfs-site.xml", map[string]string{}},
		{"no defaultFS", "hdfs:///base", "no fs.defaultFS",
			map[string]string{"hdfs-site.xml": prop("dfs.replication", "1")}},
		{"nameservice without addresses", "hdfs://mycluster/", "dfs.namenode.rpc-address.mycluster.nn2",
			map[string]string{"hdfs-site.xml": prop("dfs.ha.namenodes.mycluster", "nn1,nn2") +
				prop("dfs.namenode.rpc-address.mycluster.nn1", nn.addr())}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := OpenHDFS(tt.url, writeConf(t, tt.files))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), tt.url) {
				t.Errorf("error %v, want one naming %s and saying %q", err, tt.url, tt.wantErr)
			}
		})
	}
}

func TestNamenodes(t *testing.T) {
	conf := hadoopconf.HadoopConf{
		"dfs.ha.namenodes.ns":           "a,b",
		"dfs.namenode.rpc-address.ns.a": "nn1:8020",
		"dfs.namenode.rpc-address.ns.b": "nn2:8020",
	}
	for host, want := range map[string][]string{
		"nn:9000":    {"nn:9000"},
		"nn":         {"nn:8020"},
		"[::1]:9000": {"[::1]:9000"},
		"[::1]":      {"[::1]:8020"},
		"ns":         {"nn1:8020", "nn2:8020"},
		"ns:8020":    {"ns:8020"},
	} {
		if got, err := namenodes(host, conf); err != nil || !slices.Equal(got, want) {
			t.Errorf("namenodes(%q) = %v, %v; want %v", host, got, err, want)
		}
	}
}
