//go:build unix

package file

import (
	"io/fs"
	"syscall"
)

// unlinked reports whether the file described by fi, from an open file's
// Stat, has no name left in the file system.
func unlinked(fi fs.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && st.Nlink == 0
}
