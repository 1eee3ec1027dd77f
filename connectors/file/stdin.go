package file

import (
	"errors"
	"io"
	"sync"
)

// stdinSource hands the chunks read from stdin to tasks, one at a time.
//
// Its goroutine reads one chunk ahead and blocks until a task takes it, so at
// most one chunk is held outside a task and none is lost when a task stops
// while waiting. It ends after stdin returns an error (io.EOF included) and
// then closes chunks. It is started by the first task that reads stdin and
// is never stopped by a task: a read blocked on a pipe or a terminal cannot
// be interrupted.
type stdinSource struct {
	r    io.Reader
	once sync.Once

	chunks chan []byte // unbuffered: a chunk is owned either by the reader or by one task
	err    error       // why stdin ended; written before chunks is closed
}

var errNoStdin = errors.New("no standard input to read from")

// start starts the reading goroutine once. It is safe for concurrent use.
func (s *stdinSource) start() error {
	if s == nil || s.r == nil {
		return errNoStdin
	}
	s.once.Do(func() {
		s.chunks = make(chan []byte)
		go s.run()
	})
	return nil
}

func (s *stdinSource) run() {
	defer close(s.chunks)
	for {
		buf := make([]byte, defaultBufSize)
		n, err := s.r.Read(buf)
		if n > 0 {
			s.chunks <- buf[:n]
		}
		if err != nil {
			s.err = err
			return
		}
	}
}

// cause returns why stdin ended, or nil for io.EOF. Call it only after
// receiving from a closed chunks channel.
func (s *stdinSource) cause() error {
	if errors.Is(s.err, io.EOF) {
		return nil
	}
	return s.err
}
