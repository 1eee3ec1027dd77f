package store

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/url"
	"os"
	"os/user"
	"path"
	"slices"
	"strings"
	"syscall"
	"time"

	gohdfs "github.com/colinmarc/hdfs/v2"
	"github.com/colinmarc/hdfs/v2/hadoopconf"
)

// defaultNamenodePort is Hadoop's dfs.namenode.rpc-address port, used when
// an hdfs:// URL names a host without one.
const defaultNamenodePort = "8020"

// HDFS is a Store on the Hadoop Distributed File System, rooted at the path
// of its hdfs:// URL. It talks to the namenode over Hadoop RPC and to the
// datanodes over the data transfer protocol, with simple authentication
// (no Kerberos).
//
// Its methods are safe for concurrent use; the namenode calls they make go
// one at a time over one connection. A writer or reader it returns is for
// one goroutine. Close the store when done: it keeps a connection and a
// lease-renewal goroutine.
//
// Durability is HDFS's: a written file's Close returns nil once the
// namenode reports the file complete, that is its last block held by the
// minimum number of datanodes (dfs.namenode.replication.min); datanodes
// fsync blocks only with dfs.datanode.synconclose. A rename is durable once
// it returns, the namenode having synced its edit log.
type HDFS struct {
	client *gohdfs.Client
	url    string
	root   string

	// The namenode answers "not yet" to complete while datanodes have not
	// reported the last block; Hadoop's client retries 5 times from 400 ms,
	// doubling (dfs.client.block.write.locateFollowingBlock.*).
	completeDelay   time.Duration
	completeRetries int
}

// OpenHDFS connects to the namenode that rawURL
// (hdfs://host[:port][/base/path]) names and returns the store rooted at
// its path, which it creates. It blocks until the namenode answered, so a
// wrong address or a namenode that is down fails here, naming the URL.
// Connecting times out after 20 s; a call to a connected namenode that
// never answers waits, as with Hadoop's default client.
//
// hadoopConfDir is hadoop.conf.dir: when not empty, core-site.xml and
// hdfs-site.xml there are read for an HA nameservice (a URL host without a
// port that has dfs.ha.namenodes.<host> resolves to the namenodes'
// dfs.namenode.rpc-address.<host>.<id>, tried in turn), fs.defaultFS (used
// when the URL has no host), and the datanode transfer settings. A
// configuration asking for Kerberos is refused.
//
// The HDFS user is HADOOP_USER_NAME, or else the OS user, as in Hadoop's
// simple authentication.
func OpenHDFS(rawURL, hadoopConfDir string) (*HDFS, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("store URL %q: %w", rawURL, err)
	}
	if u.Scheme != "hdfs" {
		return nil, fmt.Errorf("store URL %q: not an hdfs:// URL", rawURL)
	}
	var conf hadoopconf.HadoopConf
	if hadoopConfDir != "" {
		conf, err = hadoopconf.Load(hadoopConfDir)
		if err != nil {
			return nil, fmt.Errorf("store %s: hadoop.conf.dir %s: %w", rawURL, hadoopConfDir, err)
		}
		if conf == nil {
			return nil, fmt.Errorf("store %s: hadoop.conf.dir %s holds no core-site.xml or hdfs-site.xml", rawURL, hadoopConfDir)
		}
	}
	if strings.EqualFold(conf["hadoop.security.authentication"], "kerberos") {
		return nil, fmt.Errorf("store %s: hadoop.security.authentication=kerberos is not supported", rawURL)
	}
	host := u.Host
	if host == "" {
		fsURL, err := defaultFS(conf)
		if err != nil {
			return nil, fmt.Errorf("store %s: %w", rawURL, err)
		}
		host = fsURL.Host
	}
	addrs, err := namenodes(host, conf)
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", rawURL, err)
	}
	root := path.Clean("/" + u.Path)
	h := &HDFS{
		url:             "hdfs://" + host + root,
		root:            root,
		completeDelay:   400 * time.Millisecond,
		completeRetries: 5,
	}

	usr, err := hadoopUser()
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", h.url, err)
	}
	opts := gohdfs.ClientOptionsFromConf(conf)
	opts.Addresses = addrs
	opts.User = usr
	// Hadoop's ipc.client.connect.timeout; without one a dial to a host that
	// drops packets waits for the OS, minutes.
	dialer := &net.Dialer{Timeout: 20 * time.Second, KeepAlive: 30 * time.Second}
	opts.NamenodeDialFunc = dialer.DialContext
	opts.DatanodeDialFunc = dialer.DialContext
	h.client, err = gohdfs.NewClient(opts)
	if err != nil {
		return nil, fmt.Errorf("store %s: connect to namenode %s: %w", h.url, strings.Join(addrs, ","), err)
	}
	// The connection handshake has no answer, so this first call is what
	// shows a namenode is there. It also fills the client's cache of server
	// defaults, which Create reads and the client does not guard against
	// concurrent use.
	if _, err := h.client.ServerDefaults(); err != nil {
		h.client.Close()
		return nil, fmt.Errorf("store %s: namenode %s: %w", h.url, strings.Join(addrs, ","), remoteDetail(err))
	}
	if err := h.client.MkdirAll(root, 0o755); err != nil {
		h.client.Close()
		return nil, h.wrap("create root", "", err)
	}
	return h, nil
}

// defaultFS returns the hdfs:// URL fs.defaultFS names.
func defaultFS(conf hadoopconf.HadoopConf) (*url.URL, error) {
	raw := conf["fs.defaultFS"]
	if raw == "" {
		raw = conf["fs.default.name"]
	}
	if raw == "" {
		return nil, errors.New("the URL names no namenode and hadoop.conf.dir sets no fs.defaultFS")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("fs.defaultFS %q: %w", raw, err)
	}
	if u.Scheme != "hdfs" || u.Host == "" {
		return nil, fmt.Errorf("fs.defaultFS %q is not an hdfs://host URL", raw)
	}
	return u, nil
}

// namenodes returns the RPC addresses of the namenodes that host (a URL's
// host[:port]) stands for.
func namenodes(host string, conf hadoopconf.HadoopConf) ([]string, error) {
	if _, _, err := net.SplitHostPort(host); err == nil {
		return []string{host}, nil
	}
	name := strings.Trim(host, "[]")
	ids := conf["dfs.ha.namenodes."+name]
	if ids == "" {
		return []string{net.JoinHostPort(name, defaultNamenodePort)}, nil
	}
	var addrs []string
	for id := range strings.SplitSeq(ids, ",") {
		key := "dfs.namenode.rpc-address." + name + "." + strings.TrimSpace(id)
		addr := conf[key]
		if addr == "" {
			return nil, fmt.Errorf("nameservice %s: no %s in hadoop.conf.dir", name, key)
		}
		addrs = append(addrs, addr)
	}
	return addrs, nil
}

// hadoopUser is the user Hadoop's simple authentication acts as.
func hadoopUser() (string, error) {
	if name := os.Getenv("HADOOP_USER_NAME"); name != "" {
		return name, nil
	}
	u, err := user.Current()
	if err != nil {
		return "", fmt.Errorf("HDFS user: HADOOP_USER_NAME is not set and the OS user is unknown: %w", err)
	}
	return u.Username, nil
}

// URL is hdfs://<namenode or nameservice><root>.
func (h *HDFS) URL() string { return h.url }

// Close closes the namenode connection. Files being written are left
// incomplete, their lease expiring on the namenode.
func (h *HDFS) Close() error { return h.client.Close() }

// path maps a store name to an absolute HDFS path, refusing names that
// would leave the root.
func (h *HDFS) path(name string) (string, error) {
	clean := path.Clean("/" + name)
	if clean == "/" || strings.Contains(name, "\x00") {
		return "", fmt.Errorf("store %s: invalid name %q", h.url, name)
	}
	return path.Join(h.root, clean), nil
}

// wrap names the store, the operation and the name in err, with the first
// line of the namenode's message: colinmarc's errors give only the Java
// exception class.
func (h *HDFS) wrap(op, name string, err error) error {
	if name != "" {
		op += " " + name
	}
	return fmt.Errorf("store %s: %s: %w", h.url, op, remoteDetail(err))
}

// remoteDetail adds the first line of a namenode exception's message to
// err, keeping err in the chain.
func remoteDetail(err error) error {
	var remote gohdfs.Error
	if !errors.As(err, &remote) {
		return err
	}
	msg, _, _ := strings.Cut(remote.Message(), "\n")
	if msg = strings.TrimSpace(msg); msg == "" {
		return err
	}
	return fmt.Errorf("%w: %s", err, msg)
}

// Create removes any file at name first, since an HDFS create refuses to
// replace one, so a crash in between leaves no file. Data goes to the
// datanodes as it is written. Close blocks until the namenode has the file
// complete, up to about 12 s of retries while datanodes report the last
// block.
func (h *HDFS) Create(name string) (io.WriteCloser, error) {
	p, err := h.path(name)
	if err != nil {
		return nil, err
	}
	if err := h.client.MkdirAll(path.Dir(p), 0o755); err != nil {
		return nil, h.wrap("create", name, err)
	}
	fi, err := h.client.Stat(p)
	switch {
	case err == nil && fi.IsDir():
		return nil, h.wrap("create", name, syscall.EISDIR)
	case err == nil:
		if err := h.client.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, h.wrap("create", name, err)
		}
	case !errors.Is(err, fs.ErrNotExist):
		return nil, h.wrap("create", name, err)
	}
	f, err := h.client.Create(p)
	if err != nil {
		return nil, h.wrap("create", name, err)
	}
	return &hdfsWriter{h: h, name: name, f: f}, nil
}

type hdfsWriter struct {
	h      *HDFS
	name   string
	f      *gohdfs.FileWriter
	closed bool
}

func (w *hdfsWriter) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	if err != nil {
		return n, w.h.wrap("write", w.name, err)
	}
	return n, nil
}

// Close retries while the namenode says the file is not complete yet, as
// Hadoop's client does, so that nil means complete.
func (w *hdfsWriter) Close() error {
	if w.closed {
		return w.h.wrap("close", w.name, fs.ErrClosed)
	}
	w.closed = true
	delay := w.h.completeDelay
	for retries := w.h.completeRetries; ; retries-- {
		err := w.f.Close()
		if err == nil {
			return nil
		}
		if !gohdfs.IsErrReplicating(err) {
			return w.h.wrap("close", w.name, err)
		}
		if retries == 0 {
			return w.h.wrap("close", w.name, fmt.Errorf("%w: the last block has too few replicas", err))
		}
		time.Sleep(delay)
		delay *= 2
	}
}

func (h *HDFS) Open(name string) (io.ReadCloser, error) {
	p, err := h.path(name)
	if err != nil {
		return nil, err
	}
	f, err := h.client.Open(p)
	if err != nil {
		return nil, h.wrap("open", name, err)
	}
	return &hdfsReader{h: h, name: name, f: f}, nil
}

type hdfsReader struct {
	h    *HDFS
	name string
	f    *gohdfs.FileReader
}

func (r *hdfsReader) Read(p []byte) (int, error) {
	n, err := r.f.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		return n, r.h.wrap("read", r.name, err)
	}
	return n, err
}

func (r *hdfsReader) Close() error { return r.f.Close() }

// Rename uses HDFS's rename2 with overwrite, which replaces a file at to in
// one namenode operation.
func (h *HDFS) Rename(from, to string) error {
	pf, err := h.path(from)
	if err != nil {
		return err
	}
	pt, err := h.path(to)
	if err != nil {
		return err
	}
	op := "rename " + from + " to"
	if err := h.client.MkdirAll(path.Dir(pt), 0o755); err != nil {
		return h.wrap(op, to, err)
	}
	if err := h.client.Rename(pf, pt); err != nil {
		return h.wrap(op, to, err)
	}
	return nil
}

func (h *HDFS) Remove(name string) error {
	p, err := h.path(name)
	if err != nil {
		return err
	}
	if err := h.client.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return h.wrap("remove", name, err)
	}
	return nil
}

func (h *HDFS) List(dir string) ([]string, error) {
	p, err := h.path(dir)
	if err != nil {
		return nil, err
	}
	info, entries, err := h.readDir(p)
	if err != nil {
		return nil, h.wrap("list", dir, err)
	}
	if info != nil && !info.IsDir() {
		return nil, h.wrap("list", dir, syscall.ENOTDIR)
	}
	var out []string
	for _, e := range entries {
		if e.Mode().IsRegular() {
			out = append(out, e.Name())
		}
	}
	slices.Sort(out)
	return out, nil
}

// Walk lists each directory once rather than using the client's Walk,
// which asks the namenode about every entry again.
func (h *HDFS) Walk(dir string) ([]string, error) {
	p, err := h.path(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	var walk func(name, p string) error
	walk = func(name, p string) error {
		info, entries, err := h.readDir(p)
		if err != nil {
			return err
		}
		if info != nil && !info.IsDir() {
			out = append(out, name)
		}
		for _, e := range entries {
			child := path.Join(name, e.Name())
			switch {
			case e.IsDir():
				if err := walk(child, path.Join(p, e.Name())); err != nil {
					return err
				}
			case e.Mode().IsRegular():
				out = append(out, child)
			}
		}
		return nil
	}
	if err := walk(strings.TrimPrefix(path.Clean("/"+dir), "/"), p); err != nil {
		return nil, h.wrap("walk", dir, err)
	}
	slices.Sort(out)
	return out, nil
}

// readDir returns what is at p and, for a directory, its entries; info is
// nil when nothing is there, including when a directory vanishes between
// the two namenode calls.
func (h *HDFS) readDir(p string) (info fs.FileInfo, entries []fs.FileInfo, err error) {
	f, err := h.client.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	info = f.Stat()
	if !info.IsDir() {
		return info, nil, nil
	}
	entries, err = f.Readdir(0)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	return info, entries, err
}

// Exists is true for anything but a directory: HDFS releases ship with
// symbolic links disabled, so that is a file.
func (h *HDFS) Exists(name string) (bool, error) {
	p, err := h.path(name)
	if err != nil {
		return false, err
	}
	fi, err := h.client.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, h.wrap("stat", name, err)
	}
	return fi.Mode().IsRegular(), nil
}
