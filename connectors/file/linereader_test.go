package file

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
)

// line is one line as the tests see it: its text and the stream offset just
// past its terminator.
type line struct {
	text string
	pos  int64
}

func (l line) String() string { return fmt.Sprintf("%q@%d", l.text, l.pos) }

// splitAll is the reference splitter: how a pass over the complete input
// splits it, written independently of lineReader. An unterminated last
// line is not a line; a '\r' that ends the input is a terminator.
func splitAll(data []byte) []line {
	var out []line
	start := 0
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case '\n':
			out = append(out, line{string(data[start:i]), int64(i + 1)})
			start = i + 1
		case '\r':
			end := i + 1
			if end < len(data) && data[end] == '\n' {
				end++
			}
			out = append(out, line{string(data[start:i]), int64(end)})
			start = end
			i = end - 1
		}
	}
	return out
}

// chunkReader returns data in pieces of the given sizes, cycling through
// them, then io.EOF.
type chunkReader struct {
	data  []byte
	sizes []int
	i     int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := len(c.data)
	if len(c.sizes) > 0 {
		n = min(n, c.sizes[c.i%len(c.sizes)])
		c.i++
	}
	n = copy(p, c.data[:n])
	c.data = c.data[n:]
	return n, nil
}

// drain appends every line lr can return now.
func drain(lr *lineReader, out []line, idle bool) []line {
	for {
		s, e, pos, ok := lr.next(idle)
		if !ok {
			return out
		}
		out = append(out, line{string(lr.buf[s:e]), pos})
	}
}

// readAll reads src to its end in one pass.
func readAll(t testing.TB, src io.Reader) []line {
	lr := newLineReader(0)
	var out []line
	for {
		out = drain(lr, out, false)
		n, err := lr.fill(src)
		if err != nil && err != io.EOF {
			t.Fatalf("fill: %v", err)
		}
		if n == 0 {
			return drain(lr, out, true)
		}
	}
}

// tail reads data as a file that is appended to in pieces of the given
// sizes, the reader catching up with the end of the file (and so seeing
// no more bytes, idle) after each piece. It starts at offset from, as a
// task resuming from a stored offset does.
func tail(data []byte, sizes []int, from int64) []line {
	lr := newLineReader(from)
	if from > 0 {
		lr.resumeAfter(data[from-1])
	}
	var out []line
	visible := int(from)
	for i := 0; visible < len(data) || i == 0; i++ {
		step := len(data)
		if len(sizes) > 0 {
			step = sizes[i%len(sizes)]
		}
		visible = min(visible+step, len(data))
		src := bytes.NewReader(data[lr.readOffset():visible])
		for {
			out = drain(lr, out, false)
			if n, _ := lr.fill(src); n == 0 {
				break
			}
		}
		out = drain(lr, out, true)
	}
	return out
}

func TestLineReaderSplits(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []line
	}{
		{"lf", "a\nbb\n", []line{{"a", 2}, {"bb", 5}}},
		{"crlf", "a\r\nbb\r\n", []line{{"a", 3}, {"bb", 7}}},
		{"lone cr", "a\rbb\r", []line{{"a", 2}, {"bb", 5}}},
		{"mixed", "a\nb\r\nc\rd\n", []line{{"a", 2}, {"b", 5}, {"c", 7}, {"d", 9}}},
		{"empty lines lf", "\n\n", []line{{"", 1}, {"", 2}}},
		{"empty lines crlf", "\r\n\r\n", []line{{"", 2}, {"", 4}}},
		{"cr cr lf lf cr", "\r\r\n\n\r", []line{{"", 1}, {"", 3}, {"", 4}, {"", 5}}},
		{"lf then cr", "a\n\rb", []line{{"a", 2}, {"", 3}}},
		{"partial only", "abc", nil},
		{"partial after line", "a\nbc", []line{{"a", 2}}},
		{"empty input", "", nil},
		{"multi-byte utf-8", "héllo\nwörld\n", []line{{"héllo", 7}, {"wörld", 14}}},
		{"four-byte utf-8", "😀\r\n😀\n", []line{{"😀", 6}, {"😀", 11}}},
		{"invalid utf-8 passes through", "\xff\xfe\n\xc3\n\xe2\x82\r", []line{{"\xff\xfe", 3}, {"\xc3", 5}, {"\xe2\x82", 8}}},
		{"nul bytes", "a\x00b\n", []line{{"a\x00b", 4}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := splitAll([]byte(tt.in)); !slices.Equal(got, tt.want) {
				t.Fatalf("reference splitAll(%q) = %v, want %v", tt.in, got, tt.want)
			}
			for _, sizes := range [][]int{nil, {1}, {2}, {3}, {1, 2, 5}} {
				got := readAll(t, &chunkReader{data: []byte(tt.in), sizes: sizes})
				if !slices.Equal(got, tt.want) {
					t.Errorf("read in chunks of %v: got %v, want %v", sizes, got, tt.want)
				}
			}
		})
	}
}

// TestLineReaderTailing covers bytes arriving in pieces with the reader
// seeing the end of the data in between, as when following a file.
func TestLineReaderTailing(t *testing.T) {
	tests := []struct {
		name   string
		pieces []string
		want   []line
	}{
		{"cr then lf later", []string{"a\r", "\nb\n"}, []line{{"a", 2}, {"b", 5}}},
		{"cr then cr lf later", []string{"a\r", "\r\n"}, []line{{"a", 2}, {"", 4}}},
		{"cr then text later", []string{"a\r", "b\n"}, []line{{"a", 2}, {"b", 4}}},
		{"cr at the end stays a line", []string{"a\r"}, []line{{"a", 2}}},
		{"cr then lf then nothing", []string{"a\r", "\n"}, []line{{"a", 2}}},
		{"lf split from cr twice", []string{"a\r", "\n", "b\r", "\n", "c\n"}, []line{{"a", 2}, {"b", 5}, {"c", 8}}},
		{"partial line completed later", []string{"ab", "c\nd", "e\n"}, []line{{"abc", 4}, {"de", 7}}},
		{"empty line after crlf", []string{"a\r\n", "\n"}, []line{{"a", 3}, {"", 4}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var data []byte
			var sizes []int
			for _, p := range tt.pieces {
				data = append(data, p...)
				sizes = append(sizes, len(p))
			}
			if got := tail(data, sizes, 0); !slices.Equal(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestLineReaderResume(t *testing.T) {
	tests := []struct {
		name string
		in   string
		from int64
		want []line
	}{
		{"at a line start", "a\nb\nc\n", 2, []line{{"b", 4}, {"c", 6}}},
		{"between cr and lf", "a\r\nb\n", 2, []line{{"b", 5}}},
		{"after crlf", "a\r\nb\n", 3, []line{{"b", 5}}},
		{"after lone cr", "a\rb\n", 2, []line{{"b", 4}}},
		{"lf after lf is a line", "a\n\nb\n", 2, []line{{"", 3}, {"b", 5}}},
		{"after a multi-byte line", "héllo\nwörld\n", 7, []line{{"wörld", 14}}},
		{"at the end", "a\n", 2, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tail([]byte(tt.in), nil, tt.from); !slices.Equal(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestLineReaderHugeLines(t *testing.T) {
	big := strings.Repeat("x", 5<<20)
	in := "short\n" + big + "\r\n" + big + "\rend\n"
	want := []line{
		{"short", 6},
		{big, int64(6 + len(big) + 2)},
		{big, int64(6 + 2*len(big) + 3)},
		{"end", int64(len(in))},
	}
	for _, sizes := range [][]int{nil, {4096}, {defaultBufSize - 1, 7}} {
		got := readAll(t, &chunkReader{data: []byte(in), sizes: sizes})
		if len(got) != len(want) {
			t.Fatalf("chunks %v: got %d lines, want %d", sizes, len(got), len(want))
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("chunks %v: line %d: got %d bytes at %d, want %d bytes at %d", sizes, i, len(got[i].text), got[i].pos, len(want[i].text), want[i].pos)
			}
		}
	}
	// After a huge line the reader gives its big buffer back.
	lr := newLineReader(0)
	lr.feed([]byte(big + "\n"))
	drain(lr, nil, true)
	lr.feed([]byte("a\n"))
	if len(lr.buf) > keepBufSize {
		t.Errorf("buffer is %d bytes after the huge line was consumed, want at most %d", len(lr.buf), keepBufSize)
	}
}

// TestLineReaderManyCRLines guards the scan caches: a file of '\r'-ended
// lines has no '\n' to find, which must not make each line rescan the buffer.
func TestLineReaderManyCRLines(t *testing.T) {
	in := bytes.Repeat([]byte("0123456789\r"), 200_000)
	got := readAll(t, bytes.NewReader(in))
	if len(got) != 200_000 || got[len(got)-1].pos != int64(len(in)) {
		t.Fatalf("got %d lines ending at %d, want 200000 ending at %d", len(got), got[len(got)-1].pos, len(in))
	}
}

func FuzzLineReader(f *testing.F) {
	f.Add([]byte("a\nb\r\nc\rd"), []byte{0, 1, 2})
	f.Add([]byte("\r\r\n\n\r"), []byte{0})
	f.Add([]byte("héllo\r\nwörld\r"), []byte{3, 250})
	f.Fuzz(func(t *testing.T, data, rawSizes []byte) {
		var sizes []int
		for _, s := range rawSizes {
			sizes = append(sizes, int(s)%17+1)
		}
		want := splitAll(data)

		// In one pass, however the reads are cut, the lines and positions
		// are those of the reference.
		if got := readAll(t, &chunkReader{data: data, sizes: sizes}); !slices.Equal(got, want) {
			t.Fatalf("chunks %v: got %v, want %v", sizes, got, want)
		}

		// Following a growing file, the lines are the same; a line whose
		// "\r\n" arrived in two pieces may end before its '\n'.
		got := tail(data, sizes, 0)
		checkTail(t, data, got, want)

		// Resuming at any emitted position yields exactly the remaining lines.
		step := max(len(got)/8, 1)
		for i := 0; i < len(got); i += step {
			rest := tail(data, sizes, got[i].pos)
			checkTail(t, data, rest, want[i+1:])
		}
	})
}

func checkTail(t *testing.T, data []byte, got, want []line) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("tailing: got %v, want %v", got, want)
	}
	var prev int64 = -1
	for i, g := range got {
		w := want[i]
		if g.text != w.text {
			t.Fatalf("tailing: line %d is %q, want %q", i, g.text, w.text)
		}
		splitCRLF := g.pos > 0 && g.pos == w.pos-1 && data[g.pos-1] == '\r' && data[g.pos] == '\n'
		if g.pos != w.pos && !splitCRLF {
			t.Fatalf("tailing: line %d ends at %d, want %d", i, g.pos, w.pos)
		}
		if g.pos <= prev || g.pos > int64(len(data)) {
			t.Fatalf("tailing: line %d ends at %d after %d, input is %d bytes", i, g.pos, prev, len(data))
		}
		prev = g.pos
	}
}

func BenchmarkLineReader(b *testing.B) {
	const total = 8 << 20
	cases := []struct {
		size int
		term string
	}{
		{10, "\n"}, {100, "\n"}, {100, "\r\n"}, {100, "\r"}, {1000, "\n"}, {10_000, "\n"}, {1 << 20, "\n"},
	}
	for _, c := range cases {
		l := append(bytes.Repeat([]byte("x"), c.size), c.term...)
		data := bytes.Repeat(l, max(total/len(l), 2))
		lines := len(data) / len(l)
		b.Run(fmt.Sprintf("len=%d/term=%q", c.size, c.term), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			src := bytes.NewReader(data)
			for b.Loop() {
				src.Reset(data)
				lr := newLineReader(0)
				n := 0
				for {
					for {
						if _, _, _, ok := lr.next(false); !ok {
							break
						}
						n++
					}
					if k, _ := lr.fill(src); k == 0 {
						break
					}
				}
				if _, _, _, ok := lr.next(true); ok {
					n++
				}
				if n != lines {
					b.Fatalf("read %d lines, want %d", n, lines)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*lines), "ns/line")
		})
	}
}
