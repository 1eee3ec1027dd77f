package file

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSinkFileGone removes the sink's file, or its directory, or puts a
// directory in its place while records are written: writes to the old file
// still succeed, but they are lost with it, so Flush must fail and the
// runtime must not commit their offsets.
func TestSinkFileGone(t *testing.T) {
	tests := []struct {
		name   string
		remove func(t *testing.T, dir, path string)
	}{
		{"file deleted", func(t *testing.T, dir, path string) { mustDo(t, os.Remove(path)) }},
		{"directory deleted", func(t *testing.T, dir, path string) { mustDo(t, os.RemoveAll(dir)) }},
		{"directory in its place", func(t *testing.T, dir, path string) {
			mustDo(t, os.Remove(path))
			mustDo(t, os.Mkdir(path, 0o755))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			noLeaks(t)
			dir := filepath.Join(t.TempDir(), "out")
			mustDo(t, os.Mkdir(dir, 0o755))
			path := filepath.Join(dir, "out.txt")
			task := startSink(t, nil, map[string]string{KeyFile: path})
			mustDo(t, task.Put(t.Context(), sinkRecords("a")))
			mustDo(t, task.Flush(t.Context(), nil))

			tt.remove(t, dir, path)
			if err := task.Put(t.Context(), sinkRecords("b")); err != nil {
				t.Fatalf("put after removal: %v (the write itself cannot tell)", err)
			}
			err := task.Flush(t.Context(), nil)
			want := "file " + path + " was deleted while records were written to it"
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("flush after removal = %v, want an error containing %q", err, want)
			}
		})
	}
}

// TestSinkFileMovedAway rotates the sink's file by renaming it: the lines
// written so far are in the renamed file, later ones go to a new file at
// the configured path.
func TestSinkFileMovedAway(t *testing.T) {
	noLeaks(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	logs := &logBuffer{}
	task := SinkPlugin(nil).NewSink().NewTask()
	mustDo(t, task.Start(t.Context(), connectorContext{testLogger(t, logs)}, map[string]string{KeyFile: path}))
	t.Cleanup(func() { mustDo(t, task.Stop(t.Context())) })

	mustDo(t, task.Put(t.Context(), sinkRecords("a")))
	mustDo(t, os.Rename(path, path+".1"))
	mustDo(t, task.Put(t.Context(), sinkRecords("b")))
	mustDo(t, task.Flush(t.Context(), nil))
	mustDo(t, task.Put(t.Context(), sinkRecords("c")))
	mustDo(t, task.Flush(t.Context(), nil))

	if got, _ := os.ReadFile(path + ".1"); string(got) != "a\nb\n" {
		t.Errorf("moved file holds %q, want the lines written before the flush noticed", got)
	}
	if got, _ := os.ReadFile(path); string(got) != "c\n" {
		t.Errorf("new file holds %q, want the later line", got)
	}
	if want := "file " + path + " was moved away; appending to a new file at that path"; logs.Count(want) != 1 {
		t.Errorf("the move was not logged as %q:\n%s", want, logs)
	}
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
