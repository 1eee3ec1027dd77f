package runner

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
)

// The connectors created or changed over the REST API outlive the process in
// a small JSON file next to the offsets file (Kafka's standalone worker
// forgets them). Connectors named on the command line are not in it: their
// files stay authoritative, and a REST change to one lasts until the worker
// restarts.
const stateVersion = 1

type stateFile struct {
	Version    int              `json:"version"`
	Connectors []stateConnector `json:"connectors"`
}

type stateConnector struct {
	Name   string            `json:"name"`
	Config map[string]string `json:"config"`
	Target TargetState       `json:"target_state"`
}

// statePath is the REST connectors' file for an offsets file.
func statePath(offsetsFile string) string {
	return offsetsFile + ".connectors.json"
}

// loadState reads the REST connectors' file; a missing file is an empty one.
func loadState(path string) ([]stateConnector, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read connectors state %s: %w", path, err)
	}
	var st stateFile
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, fmt.Errorf("read connectors state %s: %w (fix or remove the file; it holds the connectors created over the REST API)", path, err)
	}
	if st.Version != stateVersion {
		return nil, fmt.Errorf("read connectors state %s: version %d, this worker reads version %d", path, st.Version, stateVersion)
	}
	for _, c := range st.Connectors {
		switch c.Target {
		case TargetStarted, TargetPaused, TargetStopped:
		default:
			return nil, fmt.Errorf("read connectors state %s: connector %q: unknown target state %q", path, c.Name, c.Target)
		}
	}
	return st.Connectors, nil
}

// saveState writes the REST connectors' file: written whole to a temporary
// file, synced, then renamed over the old one, so a crash leaves one or the
// other. A failure is logged: the connectors keep running, and the next
// change tries again. The caller holds ops.
func (w *Worker) saveState() {
	if w.statePath == "" {
		return
	}
	st := stateFile{Version: stateVersion, Connectors: []stateConnector{}}
	for _, name := range slices.Sorted(maps.Keys(w.conns)) {
		m := w.conns[name]
		if m.file != "" {
			continue
		}
		st.Connectors = append(st.Connectors, stateConnector{Name: m.name, Config: m.raw, Target: m.target})
	}
	if err := writeFileAtomic(w.statePath, st); err != nil {
		w.log.Error("cannot save the connectors created over the REST API; they will be lost at restart unless a later change saves them", "file", w.statePath, "error", err)
	}
}

func writeFileAtomic(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after the rename there is nothing left to remove
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
