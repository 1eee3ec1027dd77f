//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package offsets

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// lockFile takes an exclusive, non-blocking flock on path, creating it if
// needed, and records this process's id in it for the error another process
// will print. Closing the returned file releases the lock. The kernel drops
// the lock when the process dies, so a crash never leaves a stale lock; the
// lock file itself is never removed, because removing it would let a second
// process lock a fresh inode while the first still holds the old one.
//
// flock locks belong to the open file description, so a second lockFile in
// the same process conflicts too, which is what keeps two stores in one
// process apart.
func lockFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	for {
		err = unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
		if !errors.Is(err, unix.EINTR) {
			break
		}
	}
	if err != nil {
		holder := lockHolder(f)
		_ = f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w (%s holds %s)", ErrLocked, holder, path)
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	// The pid is a courtesy for the error message; failing to write it does
	// not weaken the lock.
	if f.Truncate(0) == nil {
		_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return f, nil
}

// lockHolder describes the process that wrote its id into a lock file.
func lockHolder(f *os.File) string {
	b, err := io.ReadAll(io.LimitReader(f, 32))
	if err != nil {
		return "another process"
	}
	pid, err := strconv.Atoi(string(bytes.TrimSpace(b)))
	if err != nil || pid <= 0 {
		return "another process"
	}
	return "process " + strconv.Itoa(pid)
}
