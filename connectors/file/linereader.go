package file

import (
	"bytes"
	"io"
)

const (
	// defaultBufSize keeps reads large: one read syscall per ~650 lines of
	// 100 bytes.
	defaultBufSize = 64 << 10
	// keepBufSize bounds the memory a reader keeps after a huge line: once
	// the buffer is drained, a larger one is given back.
	keepBufSize = 4 * defaultBufSize
)

// lineReader splits a byte stream into lines ended by "\n", "\r\n" or a lone
// "\r", and tracks the stream offset just past each line's terminator.
//
// It owns its buffer instead of wrapping bufio.Reader because bufio.Reader
// splits at one delimiter byte only and caps a line at its buffer size
// (ReadLine) or copies it (ReadBytes); here a line is any length and is
// handed out as a slice of the buffer, so splitting allocates nothing.
//
// A '\r' that is the last byte buffered is ambiguous: it may be a lone
// terminator or the start of "\r\n". next waits for the following byte
// unless the caller says no more bytes are available now (idle); then the
// line is emitted with the one-byte terminator and crEnd remembers that a
// '\n' arriving next belongs to it and is skipped, not read as an empty line.
// The same rule applies on resume: the byte before the resume offset is
// looked at (see resumeAfter).
//
// A lineReader is not safe for concurrent use.
type lineReader struct {
	buf  []byte
	r, w int   // buf[r:w] is read but not yet consumed
	pos  int64 // stream offset of buf[r]

	crEnd bool // the last line ended with a '\r' that was the last byte buffered

	// Scan caches: they keep splitting linear when one terminator kind is
	// far away or absent (a file of "\r"-ended lines, a huge line arriving
	// over many reads).
	lf   int // index of the next '\n' at or after r, or below r when unknown
	lfTo int // buf[..lfTo] was scanned for '\n' (meaningful when lf < r)
	crTo int // buf[r:crTo] holds no '\r'
}

func newLineReader(pos int64) *lineReader {
	return &lineReader{buf: make([]byte, defaultBufSize), pos: pos, lf: -1}
}

// resumeAfter tells the reader that the byte just before its start offset
// was prev, so that "\r" + "\n" split by a restart is not read as an extra
// empty line.
func (lr *lineReader) resumeAfter(prev byte) {
	lr.crEnd = prev == '\r'
}

// buffered returns how many bytes were read but not yet consumed.
func (lr *lineReader) buffered() int { return lr.w - lr.r }

// readOffset returns the stream offset of the next byte to read.
func (lr *lineReader) readOffset() int64 { return lr.pos + int64(lr.w-lr.r) }

// fill reads once from src into the buffer and returns what src.Read returned.
func (lr *lineReader) fill(src io.Reader) (int, error) {
	free := lr.space()
	n, err := src.Read(free)
	lr.w += n
	return n, err
}

// feed appends p to the buffer.
func (lr *lineReader) feed(p []byte) {
	for len(p) > 0 {
		n := copy(lr.space(), p)
		lr.w += n
		p = p[n:]
	}
}

// space returns the free tail of the buffer, first compacting or growing it
// so that at least a quarter of the buffer is free: reads stay large and a
// line longer than the buffer makes it grow instead of failing.
func (lr *lineReader) space() []byte {
	if lr.r == lr.w {
		if len(lr.buf) > keepBufSize {
			lr.buf = make([]byte, defaultBufSize)
		}
		lr.shift(lr.r)
	}
	if len(lr.buf)-lr.w >= len(lr.buf)/4 {
		return lr.buf[lr.w:]
	}
	n := lr.w - lr.r
	if n <= len(lr.buf)*3/4 {
		copy(lr.buf, lr.buf[lr.r:lr.w])
	} else {
		grown := make([]byte, 2*len(lr.buf))
		copy(grown, lr.buf[lr.r:lr.w])
		lr.buf = grown
	}
	lr.shift(lr.r)
	return lr.buf[lr.w:]
}

// shift records that buf's unconsumed bytes moved d bytes to the front.
func (lr *lineReader) shift(d int) {
	lr.r -= d
	lr.w -= d
	lr.lf -= d
	lr.lfTo = max(lr.lfTo-d, 0)
	lr.crTo = max(lr.crTo-d, 0)
	if lr.lf < 0 {
		lr.lf = -1
	}
}

// nextLF returns the index of the first '\n' in buf[r:w], or -1.
func (lr *lineReader) nextLF() int {
	if lr.lf >= lr.r {
		return lr.lf
	}
	from := max(lr.r, lr.lfTo)
	if i := bytes.IndexByte(lr.buf[from:lr.w], '\n'); i >= 0 {
		lr.lf = from + i
		lr.lfTo = lr.lf + 1
		return lr.lf
	}
	lr.lf = -1
	lr.lfTo = lr.w
	return -1
}

// nextCR returns the index of the first '\r' in buf[r:limit], or -1.
func (lr *lineReader) nextCR(limit int) int {
	from := max(lr.r, lr.crTo)
	if from >= limit {
		return -1
	}
	if i := bytes.IndexByte(lr.buf[from:limit], '\r'); i >= 0 {
		lr.crTo = from + i
		return from + i
	}
	lr.crTo = limit
	return -1
}

// next consumes the next complete line. It returns the line's bounds in the
// buffer (valid until the next fill, feed or space call) and the stream
// offset just past its terminator. idle reports that no more bytes are
// available right now, which settles a '\r' that is the last byte buffered.
// ok is false when no complete line is buffered.
func (lr *lineReader) next(idle bool) (start, end int, endPos int64, ok bool) {
	if lr.crEnd && lr.r < lr.w {
		lr.crEnd = false
		if lr.buf[lr.r] == '\n' {
			lr.r++
			lr.pos++
		}
	}
	if lr.r == lr.w {
		return 0, 0, lr.pos, false
	}
	lf := lr.nextLF()
	limit := lr.w
	if lf >= 0 {
		limit = lf
	}
	var eol, after int
	crEnd := false
	if cr := lr.nextCR(limit); cr >= 0 {
		eol, after = cr, cr+1
		switch {
		case after < lr.w:
			if lr.buf[after] == '\n' {
				after++
			}
		case !idle:
			return 0, 0, lr.pos, false
		default:
			crEnd = true
		}
	} else if lf >= 0 {
		eol, after = lf, lf+1
	} else {
		return 0, 0, lr.pos, false
	}
	start = lr.r
	lr.pos += int64(after - lr.r)
	lr.r = after
	lr.crEnd = crEnd
	return start, eol, lr.pos, true
}

// rest consumes the unterminated bytes left at the end of a stream that has
// ended for good (standard input at EOF).
func (lr *lineReader) rest() (start, end int, endPos int64, ok bool) {
	if lr.crEnd && lr.r < lr.w && lr.buf[lr.r] == '\n' {
		lr.r++
		lr.pos++
	}
	lr.crEnd = false
	if lr.r == lr.w {
		return 0, 0, lr.pos, false
	}
	start, end = lr.r, lr.w
	lr.pos += int64(lr.w - lr.r)
	lr.r = lr.w
	return start, end, lr.pos, true
}
