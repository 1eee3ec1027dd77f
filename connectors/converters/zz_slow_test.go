package converters

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestZZSlow(t *testing.T) {
	dir := os.Getenv("FDIR")
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	var c SimpleHeaderConverter
	for _, f := range files {
		raw, _ := os.ReadFile(f)
		lines := strings.SplitN(string(raw), "\n", 3)
		s := strings.TrimPrefix(lines[1], "[]byte(")
		s = strings.TrimSuffix(s, ")")
		v, err := strconv.Unquote(s)
		if err != nil {
			continue
		}
		start := time.Now()
		sv, _ := c.ToConnectHeader(ctx, "t", "h", []byte(v))
		c.FromConnectHeader(ctx, "t", "h", sv)
		if d := time.Since(start); d > time.Millisecond {
			t.Logf("%s: %v %q", filepath.Base(f), d, v[:min(len(v), 80)])
		}
	}
}
