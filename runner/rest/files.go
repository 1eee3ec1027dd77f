package rest

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/runner"
)

// fileKey is the key that names a file in the FileStream connectors'
// configs. Any connector's file key is checked: a plugin that reads or
// writes a file by another name is not guarded.
const fileKey = "file"

// javaTrim trims as Java's String.trim does, like Kafka's config parsing,
// so a value is checked exactly as the connector will read it.
func javaTrim(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
}

// allowedDirs resolves rest.allowed.file.dirs once, at start, so a file is
// compared with the directories the OS would reach.
func allowedDirs(dirs []string) ([]string, error) {
	out := make([]string, 0, len(dirs))
	for _, d := range dirs {
		if d == "" {
			return nil, &config.KeyError{Key: config.KeyRestAllowedFileDirs, Err: fmt.Errorf("%w: an empty directory name", config.ErrInvalid)}
		}
		real, err := realPath(d)
		if err != nil {
			return nil, &config.KeyError{Key: config.KeyRestAllowedFileDirs, Err: err}
		}
		out = append(out, real)
	}
	return out, nil
}

// checkFile refuses a config, created or changed over the API, whose file
// lies outside rest.allowed.file.dirs. A file equal to the connector's
// current one is not checked again: it was accepted when it was set, or
// written by the operator in a connector file. A blank file is standard
// input or output, not a file.
func (s *Server) checkFile(name string, cfg map[string]string) error {
	// A config provider reference must not hide a path: check what it
	// resolves to. A reference that does not resolve fails validation later.
	if resolved, err := s.opts.Worker.Resolve(map[string]string{fileKey: cfg[fileKey]}); err == nil {
		cfg = resolved
	}
	file := javaTrim(cfg[fileKey])
	if file == "" {
		return nil
	}
	if cur, err := s.opts.Worker.Connector(name); err == nil && javaTrim(cur.Config[fileKey]) == file {
		return nil
	}
	refuse := func(format string, args ...any) error {
		return &runner.ConfigError{Problems: []error{&config.KeyError{Key: fileKey, Err: fmt.Errorf(format, args...)}}}
	}
	if len(s.fileDirs) == 0 {
		if !s.exposed.Load() {
			return nil
		}
		return refuse("%q is refused: the REST API listens beyond the loopback interface and %s is empty, so connectors created over it may use no file; list the directories they may use in %s in the worker configuration",
			file, config.KeyRestAllowedFileDirs, config.KeyRestAllowedFileDirs)
	}
	real, err := realPath(file)
	if err != nil {
		return refuse("%q is refused: %v; connectors created over the REST API may use only files that resolve inside %s", file, err, config.KeyRestAllowedFileDirs)
	}
	for _, d := range s.fileDirs {
		if within(d, real) {
			return nil
		}
	}
	return refuse("%q is refused: it resolves to %s, outside the directories in %s (%s); add its directory to %s in the worker configuration",
		file, real, config.KeyRestAllowedFileDirs, strings.Join(s.fileDirs, ", "), config.KeyRestAllowedFileDirs)
}

// within reports whether path is dir or lies under it; both are resolved.
func within(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// realPath resolves p as the OS would when opening it: relative to the
// working directory, following every symbolic link of the part that exists
// and applying each ".." to what precedes it once resolved (cleaning p
// first would wrongly cancel "link/.."). The part that does not exist yet
// is appended as written. A dangling link is an error: creating the file
// would create its target, wherever that is.
func realPath(p string) (string, error) {
	if !filepath.IsAbs(p) {
		wd, err := os.Getwd()
		if err != nil {
			return "", fmt.Errorf("resolve %s: %w", p, err)
		}
		p = wd + string(filepath.Separator) + p
	}
	vol := filepath.VolumeName(p)
	real := vol + string(filepath.Separator)
	missing := false
	for _, part := range strings.Split(p[len(vol):], string(filepath.Separator)) {
		switch part {
		case "", ".":
			continue
		case "..":
			real = filepath.Dir(real)
			continue
		}
		next := filepath.Join(real, part)
		if !missing {
			fi, err := os.Lstat(next)
			switch {
			case errors.Is(err, fs.ErrNotExist):
				missing = true
			case err != nil:
				return "", fmt.Errorf("resolve %s: %w", p, err)
			case fi.Mode()&fs.ModeSymlink != 0:
				if next, err = filepath.EvalSymlinks(next); err != nil {
					return "", fmt.Errorf("resolve %s: %w", p, err)
				}
			}
		}
		real = next
	}
	return real, nil
}

// loopbackListener reports whether a listener URL binds only the loopback
// interface. An empty host binds every interface, and a host name other
// than localhost may resolve to anything.
func loopbackListener(listener string) bool {
	_, hostPort, err := listenAddr(listener)
	if err != nil {
		return false
	}
	host, _, err := net.SplitHostPort(hostPort)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
