package store

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"strconv"
)

// Rename is one file a commit moves into place.
type Rename struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// WAL is the write-ahead log of one topic partition of a storage sink
// (<logs.dir>/<topic>/<partition>/log): a commit first makes the list of
// renames it is about to do durable, then does them, then removes the log.
// A crash at any point leaves either no log (nothing or everything renamed)
// or a complete log whose renames Recover finishes. A log cut short by a
// crash while it was written is ignored: none of its renames had started.
type WAL struct {
	st   Store
	name string
}

// NewWAL returns the log at name in st.
func NewWAL(st Store, name string) *WAL { return &WAL{st: st, name: name} }

// walLine is one line of the log: a header with the number of renames, or
// a rename, each with the CRC-32 of its JSON so a torn tail is detected.
type walLine struct {
	Count  int     `json:"count,omitempty"`
	Rename *Rename `json:"rename,omitempty"`
}

// Commit does renames as one: durable in the log before the first, the log
// removed after the last.
func (w *WAL) Commit(renames []Rename) error {
	if len(renames) == 0 {
		return nil
	}
	var buf bytes.Buffer
	lines := []walLine{{Count: len(renames)}}
	for i := range renames {
		lines = append(lines, walLine{Rename: &renames[i]})
	}
	for _, l := range lines {
		b, err := json.Marshal(l)
		if err != nil {
			return err
		}
		fmt.Fprintf(&buf, "%08x %s\n", crc32.ChecksumIEEE(b), b)
	}
	f, err := w.st.Create(w.name)
	if err != nil {
		return fmt.Errorf("write-ahead log %s: %w", w.name, err)
	}
	_, err = f.Write(buf.Bytes())
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write-ahead log %s: %w", w.name, err)
	}
	if err := w.apply(renames); err != nil {
		return err
	}
	return w.st.Remove(w.name)
}

// apply does each rename whose source is still there; one already done
// (source gone, target there) is skipped, so replaying is harmless.
func (w *WAL) apply(renames []Rename) error {
	for _, r := range renames {
		ok, err := w.st.Exists(r.From)
		if err != nil {
			return err
		}
		if !ok {
			done, err := w.st.Exists(r.To)
			if err != nil {
				return err
			}
			if !done {
				return fmt.Errorf("write-ahead log %s: neither %s nor %s exists", w.name, r.From, r.To)
			}
			continue
		}
		if err := w.st.Rename(r.From, r.To); err != nil {
			return fmt.Errorf("write-ahead log %s: rename %s to %s: %w", w.name, r.From, r.To, err)
		}
	}
	return nil
}

// Recover finishes the commit a crash interrupted, if its log is complete,
// and removes the log. It returns the renames it found in a complete log.
func (w *WAL) Recover() ([]Rename, error) {
	f, err := w.st.Open(w.name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("write-ahead log %s: %w", w.name, err)
	}
	renames, complete := parseWAL(f)
	f.Close()
	if complete {
		if err := w.apply(renames); err != nil {
			return nil, err
		}
	} else {
		renames = nil
	}
	return renames, w.st.Remove(w.name)
}

// parseWAL reads a log; complete is false when it is cut short or damaged.
func parseWAL(r io.Reader) (renames []Rename, complete bool) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	want := -1
	for sc.Scan() {
		line := sc.Bytes()
		if len(line) < 10 || line[8] != ' ' {
			return nil, false
		}
		sum, err := strconv.ParseUint(string(line[:8]), 16, 32)
		if err != nil || uint32(sum) != crc32.ChecksumIEEE(line[9:]) {
			return nil, false
		}
		var l walLine
		if err := json.Unmarshal(line[9:], &l); err != nil {
			return nil, false
		}
		switch {
		case want < 0 && l.Count > 0 && l.Rename == nil:
			want = l.Count
		case want >= 0 && l.Rename != nil && len(renames) < want:
			renames = append(renames, *l.Rename)
		default:
			return nil, false
		}
	}
	if sc.Err() != nil || want < 0 || len(renames) != want {
		return nil, false
	}
	return renames, true
}
