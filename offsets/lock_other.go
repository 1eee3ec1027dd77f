//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package offsets

import (
	"fmt"
	"os"
	"runtime"
)

// lockFile refuses to run without a lock: two workers sharing one offsets
// file would silently overwrite each other's offsets.
func lockFile(path string) (*os.File, error) {
	return nil, fmt.Errorf("lock %s: exclusive file locks are not implemented on %s", path, runtime.GOOS)
}
