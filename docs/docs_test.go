package docs

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/reference")

func TestReferenceUpToDate(t *testing.T) {
	pages, err := Reference()
	if err != nil {
		t.Fatal(err)
	}
	dir := "reference"
	if *update {
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, b := range pages {
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var onDisk []string
	for _, e := range entries {
		onDisk = append(onDisk, e.Name())
	}
	var want []string
	for name := range pages {
		want = append(want, name)
	}
	slices.Sort(want)
	if !slices.Equal(onDisk, want) {
		t.Fatalf("docs/reference holds %v, want %v; run go generate ./docs", onDisk, want)
	}
	for name, b := range pages {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, b) {
			t.Errorf("docs/reference/%s is stale; run go generate ./docs", name)
		}
	}
}
