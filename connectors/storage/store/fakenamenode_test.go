package store

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"path"
	"slices"
	"strings"
	"sync"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
)

// fakeNamenode answers the metadata calls of Hadoop's ClientNamenodeProtocol
// over Hadoop RPC (version 9, simple authentication) from an in-memory
// namespace, so the real HDFS client can be tested without a cluster. It
// hands out no blocks: writing or reading file data needs datanodes, which
// it does not fake. Messages are encoded by field number from Hadoop's
// RpcHeader.proto, ProtobufRpcEngine.proto, IpcConnectionContext.proto,
// ClientNamenodeProtocol.proto and hdfs.proto.
type fakeNamenode struct {
	ln net.Listener
	wg sync.WaitGroup

	mu     sync.Mutex
	closed bool
	conns  map[net.Conn]bool
	nodes  map[string]*fakeInode // by absolute path; "/" is always there
	ids    uint64
	users  []string // the effective user of each connection
	calls  []string // every method called but renewLease, in order

	// Set before use.
	listLimit        int               // entries per getListing answer, as dfs.ls.limit
	incompleteCloses int               // complete answers false this many times
	refuse           map[string]string // method → the IOException message it fails with
}

type fakeInode struct {
	dir    bool
	id     uint64
	length uint64
}

const (
	exFileNotFound     = "java.io.FileNotFoundException"
	exAlreadyExists    = "org.apache.hadoop.fs.FileAlreadyExistsException"
	exParentNotDir     = "org.apache.hadoop.fs.ParentNotDirectoryException"
	exNotEmptyDir      = "org.apache.hadoop.fs.PathIsNotEmptyDirectoryException"
	exIO               = "java.io.IOException"
	exNoSuchMethod     = "org.apache.hadoop.ipc.RpcNoSuchMethodException"
	errApplication     = 1 // RpcErrorCodeProto.ERROR_APPLICATION
	errNoSuchMethod    = 2 // RpcErrorCodeProto.ERROR_NO_SUCH_METHOD
	connectionCallID   = -3
	fileTypeDir        = 1
	fileTypeFile       = 2
	fakeBlockSize      = 128 << 20
	fakeReplication    = 3
	fakeServerIPCVer   = 9
	statusSuccess      = 0
	statusError        = 1
	rpcHeaderLen       = 7 // "hrpc", version, service class, auth protocol
	rpcVersion         = 9
	authProtocolSimple = 0
)

// newFakeNamenode listens on 127.0.0.1 until the test ends.
func newFakeNamenode(t *testing.T) *fakeNamenode {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	nn := &fakeNamenode{
		ln:        ln,
		conns:     map[net.Conn]bool{},
		nodes:     map[string]*fakeInode{"/": {dir: true, id: 16385}},
		ids:       16385,
		listLimit: 1000,
		refuse:    map[string]string{},
	}
	nn.wg.Go(nn.accept)
	t.Cleanup(func() {
		ln.Close()
		nn.mu.Lock()
		nn.closed = true
		for c := range nn.conns {
			c.Close()
		}
		nn.mu.Unlock()
		nn.wg.Wait()
	})
	return nn
}

func (nn *fakeNamenode) addr() string { return nn.ln.Addr().String() }

func (nn *fakeNamenode) accept() {
	for {
		c, err := nn.ln.Accept()
		if err != nil {
			return
		}
		nn.mu.Lock()
		if nn.closed {
			nn.mu.Unlock()
			c.Close()
			return
		}
		nn.conns[c] = true
		nn.mu.Unlock()
		nn.wg.Go(func() {
			defer func() {
				nn.mu.Lock()
				delete(nn.conns, c)
				nn.mu.Unlock()
				c.Close()
			}()
			nn.serve(c)
		})
	}
}

// serve reads the connection header, then one length-prefixed packet per
// call: the connection context (call id -3, no answer) or a request.
func (nn *fakeNamenode) serve(c net.Conn) {
	r := bufio.NewReader(c)
	hdr := make([]byte, rpcHeaderLen)
	if _, err := io.ReadFull(r, hdr); err != nil {
		return
	}
	if string(hdr[:4]) != "hrpc" || hdr[4] != rpcVersion || hdr[6] != authProtocolSimple {
		return
	}
	for {
		var n uint32
		if err := binary.Read(r, binary.BigEndian, &n); err != nil {
			return
		}
		packet := make([]byte, n)
		if _, err := io.ReadFull(r, packet); err != nil {
			return
		}
		msgs, err := splitDelimited(packet)
		if err != nil || len(msgs) < 2 {
			return
		}
		rpcHeader := decodeFields(msgs[0])
		callID := int32(protowire.DecodeZigZag(rpcHeader.varint(3)))
		if callID == connectionCallID {
			userInfo := decodeFields(decodeFields(msgs[1]).bytes(2))
			nn.mu.Lock()
			nn.users = append(nn.users, string(userInfo.bytes(1)))
			nn.mu.Unlock()
			continue
		}
		if len(msgs) != 3 {
			return
		}
		method := string(decodeFields(msgs[1]).bytes(1))
		resp, rerr := nn.call(method, decodeFields(msgs[2]))
		if _, err := c.Write(responsePacket(callID, rpcHeader.bytes(4), resp, rerr)); err != nil {
			return
		}
	}
}

// remoteError is an exception the namenode throws.
type remoteError struct {
	class, msg string
	code       uint64
}

func ioErr(class, format string, args ...any) *remoteError {
	return &remoteError{class: class, msg: fmt.Sprintf(format, args...), code: errApplication}
}

func responsePacket(callID int32, clientID, resp []byte, rerr *remoteError) []byte {
	var h []byte
	h = protowire.AppendTag(h, 1, protowire.VarintType)
	h = protowire.AppendVarint(h, uint64(uint32(callID)))
	h = protowire.AppendTag(h, 2, protowire.VarintType)
	if rerr == nil {
		h = protowire.AppendVarint(h, statusSuccess)
	} else {
		h = protowire.AppendVarint(h, statusError)
	}
	h = protowire.AppendTag(h, 3, protowire.VarintType)
	h = protowire.AppendVarint(h, fakeServerIPCVer)
	if rerr != nil {
		h = appendString(h, 4, rerr.class)
		// The namenode sends the exception's text and stack trace.
		h = appendString(h, 5, rerr.msg+"\n\tat org.apache.hadoop.hdfs.server.namenode.FSNamesystem")
		h = protowire.AppendTag(h, 6, protowire.VarintType)
		h = protowire.AppendVarint(h, rerr.code)
	}
	h = protowire.AppendTag(h, 7, protowire.BytesType)
	h = protowire.AppendBytes(h, clientID)
	body := protowire.AppendVarint(nil, uint64(len(h)))
	body = append(body, h...)
	if rerr == nil {
		body = protowire.AppendVarint(body, uint64(len(resp)))
		body = append(body, resp...)
	}
	return append(binary.BigEndian.AppendUint32(nil, uint32(len(body))), body...)
}

func (nn *fakeNamenode) call(method string, req fields) ([]byte, *remoteError) {
	nn.mu.Lock()
	defer nn.mu.Unlock()
	if method != "renewLease" {
		nn.calls = append(nn.calls, method)
	}
	if msg, ok := nn.refuse[method]; ok {
		return nil, ioErr(exIO, "%s", msg)
	}
	src := string(req.bytes(1))
	switch method {
	case "renewLease":
		return nil, nil
	case "getServerDefaults":
		var d []byte
		for i, v := range []uint64{fakeBlockSize, 512, 64 << 10, fakeReplication, 4096} {
			d = protowire.AppendTag(d, protowire.Number(i+1), protowire.VarintType)
			d = protowire.AppendVarint(d, v)
		}
		return appendMessage(nil, 1, d), nil
	case "getFileInfo":
		n := nn.nodes[src]
		if n == nil {
			return nil, nil
		}
		return appendMessage(nil, 1, fileStatus("", n)), nil
	case "mkdirs":
		if err := nn.mkdirs(src, req.varint(3) != 0); err != nil {
			return nil, err
		}
		return appendBool(nil, 1, true), nil
	case "getListing":
		return nn.listing(src, string(req.bytes(2))), nil
	case "rename2":
		if err := nn.rename(src, string(req.bytes(2)), req.varint(3) != 0); err != nil {
			return nil, err
		}
		return nil, nil
	case "delete":
		ok, err := nn.delete(src, req.varint(2) != 0)
		if err != nil {
			return nil, err
		}
		return appendBool(nil, 1, ok), nil
	case "create":
		n, err := nn.create(src, req.varint(4), req.varint(5) != 0)
		if err != nil {
			return nil, err
		}
		return appendMessage(nil, 1, fileStatus("", n)), nil
	case "complete":
		if nn.nodes[src] == nil {
			return nil, ioErr(exFileNotFound, "File does not exist: %s", src)
		}
		done := nn.incompleteCloses == 0
		if !done {
			nn.incompleteCloses--
		}
		return appendBool(nil, 1, done), nil
	}
	return nil, &remoteError{class: exNoSuchMethod, msg: "Unknown method " + method, code: errNoSuchMethod}
}

func (nn *fakeNamenode) mkdirs(p string, parents bool) *remoteError {
	var missing []string
	for d := p; ; d = path.Dir(d) {
		n := nn.nodes[d]
		if n != nil && !n.dir {
			return ioErr(exParentNotDir, "Parent path is not a directory: %s", d)
		}
		if n != nil {
			break
		}
		missing = append(missing, d)
	}
	if len(missing) > 1 && !parents {
		return ioErr(exFileNotFound, "Parent directory doesn't exist: %s", path.Dir(p))
	}
	for _, d := range missing {
		nn.ids++
		nn.nodes[d] = &fakeInode{dir: true, id: nn.ids}
	}
	return nil
}

func (nn *fakeNamenode) children(dir string) []string {
	var names []string
	for p := range nn.nodes {
		if p != "/" && path.Dir(p) == dir {
			names = append(names, path.Base(p))
		}
	}
	slices.Sort(names)
	return names
}

// listing answers getListing a page at a time, after startAfter.
func (nn *fakeNamenode) listing(dir, startAfter string) []byte {
	n := nn.nodes[dir]
	if n == nil {
		return nil
	}
	var list []byte
	if !n.dir {
		list = appendMessage(list, 1, fileStatus(path.Base(dir), n))
		return appendMessage(nil, 1, appendUint(list, 2, 0))
	}
	names := nn.children(dir)
	i, _ := slices.BinarySearch(names, startAfter)
	if i < len(names) && names[i] == startAfter {
		i++
	}
	page := names[i:min(i+nn.listLimit, len(names))]
	for _, name := range page {
		list = appendMessage(list, 1, fileStatus(name, nn.nodes[path.Join(dir, name)]))
	}
	list = appendUint(list, 2, uint64(len(names)-i-len(page)))
	return appendMessage(nil, 1, list)
}

// rename follows rename2's checks: the source must exist, the
// destination's parent must be a directory, and an existing destination is
// replaced only with overwrite and only by the same kind, an empty
// directory for a directory.
func (nn *fakeNamenode) rename(src, dst string, overwrite bool) *remoteError {
	s := nn.nodes[src]
	if s == nil || src == "/" {
		return ioErr(exFileNotFound, "rename source %s is not found.", src)
	}
	if dst == src || strings.HasPrefix(dst, src+"/") {
		return ioErr(exIO, "Rename destination %s is a directory or file under source %s", dst, src)
	}
	parent := nn.nodes[path.Dir(dst)]
	if parent == nil {
		return ioErr(exFileNotFound, "rename destination parent %s not found.", path.Dir(dst))
	}
	if !parent.dir {
		return ioErr(exParentNotDir, "rename destination parent %s is a file.", path.Dir(dst))
	}
	if d := nn.nodes[dst]; d != nil {
		switch {
		case !overwrite:
			return ioErr(exAlreadyExists, "rename destination %s already exists.", dst)
		case d.dir != s.dir:
			return ioErr(exIO, "Source %s and destination %s must both be directories", src, dst)
		case d.dir && len(nn.children(dst)) > 0:
			return ioErr(exIO, "rename destination directory is not empty: %s", dst)
		}
	}
	moved := map[string]*fakeInode{}
	for p, n := range nn.nodes {
		if p == src || strings.HasPrefix(p, src+"/") {
			moved[dst+strings.TrimPrefix(p, src)] = n
			delete(nn.nodes, p)
		}
	}
	for p, n := range moved {
		nn.nodes[p] = n
	}
	return nil
}

func (nn *fakeNamenode) delete(p string, recursive bool) (bool, *remoteError) {
	n := nn.nodes[p]
	if n == nil {
		return false, nil
	}
	if n.dir && !recursive && len(nn.children(p)) > 0 {
		return false, ioErr(exNotEmptyDir, "`%s is non empty': Directory is not empty", p)
	}
	for q := range nn.nodes {
		if q == p || strings.HasPrefix(q, p+"/") {
			delete(nn.nodes, q)
		}
	}
	return true, nil
}

// create honours CreateFlag CREATE (1) and OVERWRITE (2).
func (nn *fakeNamenode) create(p string, flag uint64, parents bool) (*fakeInode, *remoteError) {
	if n := nn.nodes[p]; n != nil {
		if n.dir || flag&2 == 0 {
			return nil, ioErr(exAlreadyExists, "%s for client 127.0.0.1 already exists", p)
		}
	}
	parent := nn.nodes[path.Dir(p)]
	switch {
	case parent == nil && !parents:
		return nil, ioErr(exFileNotFound, "Parent directory doesn't exist: %s", path.Dir(p))
	case parent == nil:
		if err := nn.mkdirs(path.Dir(p), true); err != nil {
			return nil, err
		}
	case !parent.dir:
		return nil, ioErr(exParentNotDir, "Parent path is not a directory: %s", path.Dir(p))
	}
	nn.ids++
	n := &fakeInode{id: nn.ids}
	nn.nodes[p] = n
	return n, nil
}

// addFile puts a file of size bytes at p, with its parent directories, as
// a client with datanodes would have written it.
func (nn *fakeNamenode) addFile(t *testing.T, p string, size uint64) {
	t.Helper()
	nn.mu.Lock()
	defer nn.mu.Unlock()
	if err := nn.mkdirs(path.Dir(p), true); err != nil {
		t.Fatalf("add %s: %s", p, err.msg)
	}
	nn.ids++
	nn.nodes[p] = &fakeInode{id: nn.ids, length: size}
}

// stat returns what is at p: "file", "dir" or "".
func (nn *fakeNamenode) stat(p string) string {
	nn.mu.Lock()
	defer nn.mu.Unlock()
	switch n := nn.nodes[p]; {
	case n == nil:
		return ""
	case n.dir:
		return "dir"
	}
	return "file"
}

// paths returns every path in the namespace, sorted.
func (nn *fakeNamenode) paths() []string {
	nn.mu.Lock()
	defer nn.mu.Unlock()
	var out []string
	for p := range nn.nodes {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

func (nn *fakeNamenode) methods() []string {
	nn.mu.Lock()
	defer nn.mu.Unlock()
	return slices.Clone(nn.calls)
}

func (nn *fakeNamenode) setup(f func(nn *fakeNamenode)) {
	nn.mu.Lock()
	defer nn.mu.Unlock()
	f(nn)
}

// fileStatus encodes an HdfsFileStatusProto with all its required fields.
func fileStatus(name string, n *fakeInode) []byte {
	typ, perm := uint64(fileTypeFile), uint64(0o644)
	if n.dir {
		typ, perm = fileTypeDir, 0o755
	}
	b := appendUint(nil, 1, typ)
	b = appendString(b, 2, name)
	b = appendUint(b, 3, n.length)
	b = appendMessage(b, 4, appendUint(nil, 1, perm))
	b = appendString(b, 5, "connect")
	b = appendString(b, 6, "supergroup")
	b = appendUint(b, 7, 1700000000000)
	b = appendUint(b, 8, 1700000000000)
	if !n.dir {
		b = appendUint(b, 10, fakeReplication)
		b = appendUint(b, 11, fakeBlockSize)
	}
	return appendUint(b, 13, n.id)
}

func appendUint(b []byte, num protowire.Number, v uint64) []byte {
	b = protowire.AppendTag(b, num, protowire.VarintType)
	return protowire.AppendVarint(b, v)
}

func appendBool(b []byte, num protowire.Number, v bool) []byte {
	return appendUint(b, num, protowire.EncodeBool(v))
}

func appendString(b []byte, num protowire.Number, s string) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendString(b, s)
}

func appendMessage(b []byte, num protowire.Number, m []byte) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendBytes(b, m)
}

// splitDelimited splits a packet into its varint-length-prefixed messages.
func splitDelimited(b []byte) ([][]byte, error) {
	var msgs [][]byte
	for len(b) > 0 {
		m, n := protowire.ConsumeBytes(b)
		if n < 0 {
			return nil, protowire.ParseError(n)
		}
		msgs = append(msgs, m)
		b = b[n:]
	}
	return msgs, nil
}

// fields is a decoded message's scalar and length-delimited fields, the
// last value of each.
type fields map[protowire.Number]any

func decodeFields(b []byte) fields {
	f := fields{}
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return f
		}
		b = b[n:]
		switch typ {
		case protowire.VarintType:
			v, m := protowire.ConsumeVarint(b)
			if m < 0 {
				return f
			}
			f[num], n = v, m
		case protowire.BytesType:
			v, m := protowire.ConsumeBytes(b)
			if m < 0 {
				return f
			}
			f[num], n = v, m
		default:
			n = protowire.ConsumeFieldValue(num, typ, b)
			if n < 0 {
				return f
			}
		}
		b = b[n:]
	}
	return f
}

func (f fields) varint(num protowire.Number) uint64 {
	v, _ := f[num].(uint64)
	return v
}

func (f fields) bytes(num protowire.Number) []byte {
	v, _ := f[num].([]byte)
	return v
}
