package cmd

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/connect-standalone/connect-standalone/offsets"
)

var updateOffsets = flag.Bool("update-offsets", false, "rewrite the golden files in testdata/offsets")

// offsetsFixture is a stopped worker: its worker file, and the offsets
// file that names, holding content when content is not empty.
type offsetsFixture struct {
	dir, worker, file string
}

const storedOffsets = `{
  "format": "connect-standalone-offsets",
  "version": 1,
  "connectors": {
    "jdbc-source": [
      {"partition": {"schema": "public", "table": "orders"}, "offset": {"id": 9007199254740993, "ratio": 1.0}}
    ],
    "local-file-source": [
      {"partition": {"filename": "a.txt"}, "offset": {"position": 22}},
      {"partition": {"filename": "b.txt"}, "offset": {"position": 7}}
    ]
  }
}
`

func newOffsetsFixture(t *testing.T, content string) offsetsFixture {
	t.Helper()
	dir := t.TempDir()
	fx := offsetsFixture{dir: dir, worker: filepath.Join(dir, "worker.properties"), file: filepath.Join(dir, "connect.offsets")}
	// Kafka trims values, so the trailing blanks must not end up in the path.
	props := "bootstrap.servers=localhost:9092\nkey.converter=org.apache.kafka.connect.json.JsonConverter\n" +
		"offset.storage.file.filename=" + fx.file + "  \n"
	if err := os.WriteFile(fx.worker, []byte(props), 0o644); err != nil {
		t.Fatal(err)
	}
	if content != "" {
		if err := os.WriteFile(fx.file, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return fx
}

// offsetsRoot puts the offsets command under a root named as the real
// one, so that help and messages show the command lines users type.
func offsetsRoot(ios *IOStreams, args ...string) *cobra.Command {
	root := &cobra.Command{Use: "connect-standalone", SilenceErrors: true, SilenceUsage: true}
	root.CompletionOptions.DisableDefaultCmd = true
	root.SetOut(ios.Out)
	root.SetErr(ios.ErrOut)
	root.AddCommand(newCmdOffsets(ios))
	root.SetArgs(append([]string{"offsets"}, args...))
	return root
}

// runOffsets runs the offsets command as the command line would and
// returns its exit code, standard output and standard error.
func runOffsets(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ios, _, out, errOut := testIO()
	root := offsetsRoot(ios, args...)
	err := root.Execute()
	if err != nil {
		report(errOut, root, err)
	}
	return exitCode(err), out.String(), errOut.String()
}

// stored returns every offset in the fixture's file.
func (fx offsetsFixture) stored(t *testing.T) map[string][]offsets.Entry {
	t.Helper()
	data, err := os.ReadFile(fx.file)
	if errors.Is(err, os.ErrNotExist) {
		return map[string][]offsets.Entry{}
	}
	if err != nil {
		t.Fatal(err)
	}
	m, err := offsets.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// storedText renders stored offsets one per line, for comparisons.
func (fx offsetsFixture) storedText(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for c, entries := range fx.stored(t) {
		for _, e := range entries {
			p, err := offsets.FormatMap(e.Partition)
			if err != nil {
				t.Fatal(err)
			}
			o, err := offsets.FormatMap(e.Offset)
			if err != nil {
				t.Fatal(err)
			}
			b.WriteString(c + " " + p + " " + o + "\n")
		}
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if lines[0] == "" {
		return ""
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n") + "\n"
}

// golden compares got with testdata/offsets/name after replacing the
// fixture's directory with DIR.
func golden(t *testing.T, fx offsetsFixture, name, got string) {
	t.Helper()
	got = strings.ReplaceAll(got, fx.dir, "DIR")
	path := filepath.Join("testdata", "offsets", name)
	if *updateOffsets {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update-offsets to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s:\n got:\n%s\nwant:\n%s", path, got, want)
	}
}

// copyJavaFixture copies a Kafka offsets file written by the JDK into dir,
// so that messages name dir.
func copyJavaFixture(t *testing.T, dir, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "offsets", "testdata", "java", name))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestOffsetsShow(t *testing.T) {
	tests := []struct {
		name    string
		content string
		args    []string
		golden  string
	}{
		{"text", storedOffsets, nil, "show.txt"},
		{"json", storedOffsets, []string{"--output", "json"}, "show.json"},
		{"one connector", storedOffsets, []string{"--connector", "local-file-source", "-o", "json"}, "show-connector.json"},
		{"unknown connector as json", storedOffsets, []string{"--connector", "nope", "--output=json"}, "show-unknown.json"},
		{"unknown connector as text", storedOffsets, []string{"--connector", "nope"}, "show-unknown.txt"},
		{"no file yet", "", nil, "show-empty.txt"},
		{"no file yet as json", "", []string{"-o", "json"}, "show-empty.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newOffsetsFixture(t, tt.content)
			code, stdout, stderr := runOffsets(t, append([]string{"show", fx.worker}, tt.args...)...)
			if code != 0 || stderr != "" {
				t.Fatalf("exit code %d, stderr:\n%s", code, stderr)
			}
			golden(t, fx, tt.golden, stdout)
			if _, err := os.Stat(fx.file + ".lock"); err == nil {
				t.Error("show created a lock file: it must only read")
			}
		})
	}
}

func TestOffsetsEdit(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantStdout string
		wantStored string
	}{
		{
			name:       "set an existing partition, keys in another order",
			args:       []string{"set", "WORKER", "--connector", "jdbc-source", "--partition", `{"table":"orders","schema":"public"}`, "--offset", `{"id": 1}`},
			wantStdout: `connector "jdbc-source", partition {"schema": "public", "table": "orders"}: offset set to {"id": 1} (was {"id": 9007199254740993, "ratio": 1.0}) in DIR/connect.offsets` + "\n",
			wantStored: `jdbc-source {"schema": "public", "table": "orders"} {"id": 1}
local-file-source {"filename": "a.txt"} {"position": 22}
local-file-source {"filename": "b.txt"} {"position": 7}
`,
		},
		{
			name:       "set a new connector",
			args:       []string{"set", "WORKER", "--connector", "new", "--partition", `{"f": "x", "n": null, "b": true}`, "--offset", `{"pos": 2.5e3}`},
			wantStdout: `connector "new", partition {"b": true, "f": "x", "n": null}: offset set to {"pos": 2500.0} (was no offset) in DIR/connect.offsets` + "\n",
			wantStored: `jdbc-source {"schema": "public", "table": "orders"} {"id": 9007199254740993, "ratio": 1.0}
local-file-source {"filename": "a.txt"} {"position": 22}
local-file-source {"filename": "b.txt"} {"position": 7}
new {"b": true, "f": "x", "n": null} {"pos": 2500.0}
`,
		},
		{
			name:       "reset one partition",
			args:       []string{"reset", "WORKER", "--connector", "local-file-source", "--partition", `{"filename": "a.txt"}`},
			wantStdout: `connector "local-file-source", partition {"filename": "a.txt"}: offset {"position": 22} removed from DIR/connect.offsets` + "\n",
			wantStored: `jdbc-source {"schema": "public", "table": "orders"} {"id": 9007199254740993, "ratio": 1.0}
local-file-source {"filename": "b.txt"} {"position": 7}
`,
		},
		{
			name: "reset a connector",
			args: []string{"reset", "WORKER", "--connector", "local-file-source"},
			wantStdout: `connector "local-file-source", partition {"filename": "a.txt"}: offset {"position": 22} removed from DIR/connect.offsets
connector "local-file-source", partition {"filename": "b.txt"}: offset {"position": 7} removed from DIR/connect.offsets
`,
			wantStored: `jdbc-source {"schema": "public", "table": "orders"} {"id": 9007199254740993, "ratio": 1.0}
`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newOffsetsFixture(t, storedOffsets)
			args := append([]string(nil), tt.args...)
			args[1] = fx.worker
			code, stdout, stderr := runOffsets(t, args...)
			if code != 0 || stderr != "" {
				t.Fatalf("exit code %d, stderr:\n%s", code, stderr)
			}
			if got := strings.ReplaceAll(stdout, fx.dir, "DIR"); got != tt.wantStdout {
				t.Errorf("stdout:\n%s\nwant:\n%s", got, tt.wantStdout)
			}
			if got := fx.storedText(t); got != tt.wantStored {
				t.Errorf("stored:\n%s\nwant:\n%s", got, tt.wantStored)
			}
		})
	}
}

// TestOffsetsFailures checks every refusal exits 1, explains itself and
// leaves the offsets file exactly as it was.
func TestOffsetsFailures(t *testing.T) {
	tests := []struct {
		name    string
		content string // of the offsets file
		args    []string
		want    []string // substrings of stderr
	}{
		{"no command", storedOffsets, []string{}, []string{"offsets needs a command", "Run 'connect-standalone offsets --help' for usage."}},
		{"unknown command", storedOffsets, []string{"list", "W"}, []string{`unknown offsets command "list"`}},
		{"show without worker file", storedOffsets, []string{"show"}, []string{"missing WORKER_PROPERTIES", "Run 'connect-standalone offsets show --help' for usage."}},
		{"show with two files", storedOffsets, []string{"show", "W", "x"}, []string{`unexpected argument "x"`}},
		{"bad output", storedOffsets, []string{"show", "W", "--output", "yaml"}, []string{`--output "yaml": want text or json`}},
		{"unknown flag", storedOffsets, []string{"reset", "W", "--all"}, []string{"unknown flag: --all", "Run 'connect-standalone offsets reset --help' for usage."}},
		{"set without flags", storedOffsets, []string{"set", "W"}, []string{"missing --connector, --partition, --offset"}},
		{"set without offset", storedOffsets, []string{"set", "W", "--connector", "c", "--partition", "{}"}, []string{"missing --offset"}},
		{"partition not JSON", storedOffsets, []string{"set", "W", "--connector", "c", "--partition", "{x}", "--offset", "{}"},
			[]string{"--partition {x}: invalid character 'x' looking for beginning of object key string"}},
		{"partition not an object", storedOffsets, []string{"set", "W", "--connector", "c", "--partition", `["a"]`, "--offset", "{}"},
			[]string{`--partition ["a"]: want a JSON object, got ["a"]`}},
		{"nested partition", storedOffsets, []string{"set", "W", "--connector", "c", "--partition", `{"a": {"b": 1}}`, "--offset", "{}"},
			[]string{`--partition: field "a" holds an object; partitions and offsets may only hold strings, numbers, booleans and null`}},
		{"array offset value", storedOffsets, []string{"set", "W", "--connector", "c", "--partition", `{}`, "--offset", `{"a": [1]}`},
			[]string{`--offset: field "a" holds an array`}},
		{"null offset", storedOffsets, []string{"set", "W", "--connector", "c", "--partition", `{}`, "--offset", `null`},
			[]string{"--offset null: want a JSON object"}},
		{"integer too big", storedOffsets, []string{"set", "W", "--connector", "c", "--partition", `{}`, "--offset", `{"a": 9223372036854775808}`},
			[]string{"does not fit in a signed 64-bit integer"}},
		{"reset without connector", storedOffsets, []string{"reset", "W"}, []string{"missing --connector"}},
		{"reset an unknown partition", storedOffsets, []string{"reset", "W", "--connector", "local-file-source", "--partition", `{"filename": "c.txt"}`},
			[]string{`connector "local-file-source" has no offset for partition {"filename": "c.txt"} in DIR/connect.offsets`}},
		{"reset an unknown connector", storedOffsets, []string{"reset", "W", "--connector", "nope"},
			[]string{`connector "nope" has no offsets in DIR/connect.offsets`}},
		{"corrupt offsets file", "{", []string{"show", "W"}, []string{"offsets file DIR/connect.offsets: invalid offsets content: not valid JSON"}},
		{"corrupt offsets file on set", "{", []string{"set", "W", "--connector", "c", "--partition", "{}", "--offset", "{}"},
			[]string{"open offsets file DIR/connect.offsets (left untouched): invalid offsets content"}},
		{"Kafka's file in place", "\xAC\xED\x00\x05", []string{"show", "W"},
			[]string{"Kafka's Java-serialized offsets format", "mv DIR/connect.offsets DIR/connect.offsets.kafka && connect-standalone offsets import DIR/worker.properties DIR/connect.offsets.kafka"}},
		{"Kafka's file in place on reset", "\xAC\xED\x00\x05", []string{"reset", "W", "--connector", "c"},
			[]string{"Kafka's Java-serialized offsets format", "offsets import DIR/worker.properties"}},
		{"import without Kafka file", storedOffsets, []string{"import", "W"}, []string{"missing KAFKA_OFFSETS_FILE"}},
		{"import a missing file", storedOffsets, []string{"import", "W", "DIR/none"}, []string{"read Kafka offsets file: open DIR/none: no such file or directory"}},
		{"import our own format", storedOffsets, []string{"import", "W", "DIR/connect.offsets"},
			[]string{"read Kafka offsets file DIR/connect.offsets: Java-serialized offsets, byte 0: not a Java serialization stream"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newOffsetsFixture(t, tt.content)
			args := make([]string, len(tt.args))
			for i, a := range tt.args {
				args[i] = strings.ReplaceAll(a, "DIR", fx.dir)
			}
			if len(args) > 1 && args[1] == "W" {
				args[1] = fx.worker
			}
			code, stdout, stderr := runOffsets(t, args...)
			if code != 1 {
				t.Errorf("exit code = %d, want 1", code)
			}
			stderr = strings.ReplaceAll(stderr, fx.dir, "DIR")
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr does not contain %q:\n%s", w, stderr)
				}
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
			if got, _ := os.ReadFile(fx.file); string(got) != tt.content {
				t.Errorf("the offsets file changed:\n%s", got)
			}
		})
	}
}

func TestOffsetsWorkerFileProblems(t *testing.T) {
	dir := t.TempDir()
	noKey := filepath.Join(dir, "no-key.properties")
	if err := os.WriteFile(noKey, []byte("bootstrap.servers=localhost:9092\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	noDir := filepath.Join(dir, "no-dir.properties")
	if err := os.WriteFile(noDir, []byte("offset.storage.file.filename="+filepath.Join(dir, "missing", "o")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"show", filepath.Join(dir, "none.properties")}, "read DIR/none.properties: open DIR/none.properties: no such file or directory"},
		{[]string{"show", noKey}, `DIR/no-key.properties: offset.storage.file.filename: missing required configuration "offset.storage.file.filename"`},
		{[]string{"reset", noKey, "--connector", "c"}, "DIR/no-key.properties: offset.storage.file.filename: missing"},
		{[]string{"set", noDir, "--connector", "c", "--partition", "{}", "--offset", "{}"}, "directory DIR/missing does not exist"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args[:1], " "), func(t *testing.T) {
			code, _, stderr := runOffsets(t, tt.args...)
			if stderr = strings.ReplaceAll(stderr, dir, "DIR"); code != 1 || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit code %d, stderr:\n%s\nwant 1 and %q", code, stderr, tt.want)
			}
		})
	}
}

// TestOffsetsRefuseARunningWorker holds the offsets file as a running
// worker does; the lock conflicts within one process too.
func TestOffsetsRefuseARunningWorker(t *testing.T) {
	fx := newOffsetsFixture(t, storedOffsets)
	store, err := offsets.OpenFile(fx.file, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()

	java := copyJavaFixture(t, fx.dir, "spec.bin")
	for _, args := range [][]string{
		{"set", fx.worker, "--connector", "c", "--partition", "{}", "--offset", "{}"},
		{"reset", fx.worker, "--connector", "local-file-source"},
		{"import", fx.worker, java, "--force"},
	} {
		t.Run(args[0], func(t *testing.T) {
			code, _, stderr := runOffsets(t, args...)
			if code != 1 || !strings.Contains(stderr, "offsets file is in use by another worker") ||
				!strings.Contains(stderr, "connect-standalone: stop the worker first, then run this command again") {
				t.Errorf("exit code %d, stderr:\n%s", code, stderr)
			}
			if got, _ := os.ReadFile(fx.file); string(got) != storedOffsets {
				t.Errorf("the offsets file changed:\n%s", got)
			}
		})
	}
	// Reading needs no lock.
	if code, _, stderr := runOffsets(t, "show", fx.worker); code != 0 {
		t.Errorf("show while a worker runs: exit code %d, stderr:\n%s", code, stderr)
	}
}

func TestOffsetsImport(t *testing.T) {
	tests := []struct {
		name       string
		content    string
		file       string
		force      bool
		wantCode   int
		golden     string // stdout
		wantStderr []string
		wantStored string
	}{
		{
			name: "into a new file", file: "several.bin", golden: "import-several.txt",
			wantStored: `fichier-été {"filename": "données-東京-😀.txt"} {"line": "café", "position": 7}
jdbc-source {"schema": "public", "table": "orders"} {"incrementing": 9007199254740993, "ratio": 0.5, "timestamp_nanos": 0}
local-file-source {"filename": "/var/log/app.log"} {"position": 1048576}
local-file-source {"filename": "test.txt"} {"position": 22}
`,
		},
		{
			name: "skipped keys are warned about", file: "skipped.bin", golden: "import-skipped.txt",
			wantStderr: []string{
				"connect-standalone: warning: DIR/skipped.bin: byte 81: ignoring an entry with a null key\n",
				`connect-standalone: warning: DIR/skipped.bin: byte 368: ignoring a key whose connector name is not a string: "[42,{\"p\":1}]"` + "\n",
			},
			wantStored: `ok {"p": 1} {"o": 2}` + "\n",
		},
		{name: "an empty map", file: "empty.bin", golden: "import-empty.txt"},
		{
			name: "conflicts are refused", content: storedOffsets, file: "conflict.bin", wantCode: 1,
			wantStderr: []string{
				"connect-standalone: 2 offsets in DIR/connect.offsets differ from DIR/conflict.bin; nothing was imported. Use --force to take Kafka's:\n",
				`connect-standalone:   connector "local-file-source", partition {"filename": "a.txt"}: stored {"position": 22}, Kafka's {"position": 99}` + "\n",
				`connect-standalone:   connector "local-file-source", partition {"filename": "b.txt"}: stored {"position": 7}, Kafka's reset (null)` + "\n",
			},
			wantStored: storedText,
		},
		{
			name: "conflicts with force", content: storedOffsets, file: "conflict.bin", force: true, golden: "import-force.txt",
			wantStored: `jdbc-source {"schema": "public", "table": "orders"} {"id": 9007199254740993, "ratio": 1.0}
local-file-source {"filename": "a.txt"} {"position": 99}
new {"p": 1} {"o": 1}
`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newOffsetsFixture(t, tt.content)
			var java string
			if tt.file == "conflict.bin" {
				java = writeConflictFile(t, fx.dir)
			} else {
				java = copyJavaFixture(t, fx.dir, tt.file)
			}
			args := []string{"import", fx.worker, java}
			if tt.force {
				args = append(args, "--force")
			}
			code, stdout, stderr := runOffsets(t, args...)
			stderr = strings.ReplaceAll(stderr, fx.dir, "DIR")
			if code != tt.wantCode {
				t.Fatalf("exit code %d, want %d; stderr:\n%s", code, tt.wantCode, stderr)
			}
			if tt.golden != "" {
				golden(t, fx, tt.golden, stdout)
			}
			for _, w := range tt.wantStderr {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr does not contain %q:\n%s", w, stderr)
				}
			}
			if len(tt.wantStderr) == 0 && stderr != "" {
				t.Errorf("stderr = %q, want nothing", stderr)
			}
			if got := fx.storedText(t); got != tt.wantStored {
				t.Errorf("stored:\n%s\nwant:\n%s", got, tt.wantStored)
			}
			if code != 0 {
				return
			}
			// A second import finds everything in place.
			before, _ := os.ReadFile(fx.file)
			code, stdout, _ = runOffsets(t, args...)
			if after, _ := os.ReadFile(fx.file); code != 0 || !bytes.Equal(before, after) || strings.Contains(stdout, "added") {
				t.Errorf("importing again: exit code %d, file changed %v, stdout:\n%s", code, !bytes.Equal(before, after), stdout)
			}
		})
	}
}

// storedText is storedOffsets as offsetsFixture.storedText shows it.
const storedText = `jdbc-source {"schema": "public", "table": "orders"} {"id": 9007199254740993, "ratio": 1.0}
local-file-source {"filename": "a.txt"} {"position": 22}
local-file-source {"filename": "b.txt"} {"position": 7}
`

// writeConflictFile writes a Kafka offsets file that disagrees with
// storedOffsets on two partitions, agrees on one, adds one, and holds one
// partition twice with its keys in either order.
func writeConflictFile(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "conflict.bin")
	data := kafkaOffsetsFile(
		`["local-file-source",{"filename":"a.txt"}]`, `{"position":99}`,
		`["local-file-source",{"filename":"b.txt"}]`, "",
		`["jdbc-source",{"table":"orders","schema":"public"}]`, `{"ratio":1.0,"id":9007199254740993}`,
		`["jdbc-source",{"schema":"public","table":"orders"}]`, `{"id":9007199254740993,"ratio":1.0}`,
		`["new",{"p":1}]`, `{"o":1}`,
	)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// kafkaOffsetsFile builds a Kafka offsets file from key, value pairs; an
// empty value is a tombstone. It splices the entries into spec.bin's
// header as the JDK would write them.
func kafkaOffsetsFile(kv ...string) []byte {
	var b bytes.Buffer
	b.Write([]byte("\xAC\xED\x00\x05\x73\x72\x00\x11java.util.HashMap\x05\x07\xDA\xC1\xC3\x16\x60\xD1\x03" +
		"\x00\x02F\x00\x0AloadFactorI\x00\x09threshold\x78\x70\x3F\x40\x00\x00\x00\x00\x00\x0C\x77\x08\x00\x00\x00\x10"))
	n := len(kv) / 2
	b.Write([]byte{0, 0, 0, byte(n)})
	first := true
	for _, s := range kv {
		if s == "" {
			b.WriteByte(0x70)
			continue
		}
		b.WriteByte(0x75)
		if first {
			b.WriteString("\x72\x00\x02[B\xAC\xF3\x17\xF8\x06\x08\x54\xE0\x02\x00\x00\x78\x70")
			first = false
		} else {
			b.Write([]byte{0x71, 0x00, 0x7E, 0x00, 0x02})
		}
		b.Write([]byte{0, 0, byte(len(s) >> 8), byte(len(s))})
		b.WriteString(s)
	}
	b.WriteByte(0x78)
	return b.Bytes()
}

func TestOffsetsImportDisagreeingDuplicates(t *testing.T) {
	fx := newOffsetsFixture(t, "")
	java := filepath.Join(fx.dir, "dup.bin")
	if err := os.WriteFile(java, kafkaOffsetsFile(
		`["c",{"a":1,"b":2}]`, `{"o":1}`,
		`["c",{"b":2,"a":1}]`, "",
		`["c",{"a":1}]`, `{"o":3}`,
	), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runOffsets(t, "import", fx.worker, java)
	want := `connect-standalone: warning: DIR/dup.bin: connector "c", partition {"a": 1, "b": 2} has two offsets, {"o": 1} at byte 81 and reset (null) at byte 140; ` +
		"neither is imported: set the right one with 'connect-standalone offsets set'\n"
	if stderr = strings.ReplaceAll(stderr, fx.dir, "DIR"); code != 0 || stderr != want {
		t.Errorf("exit code %d, stderr:\n%s\nwant 0 and:\n%s", code, stderr, want)
	}
	if got, want := fx.storedText(t), `c {"a": 1} {"o": 3}`+"\n"; got != want {
		t.Errorf("stored:\n%s\nwant:\n%s", got, want)
	}
}

func TestOffsetsHelp(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"show", "--help"}, {"set", "--help"}, {"reset", "--help"}, {"import", "--help"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			ios, _, stdout, stderr := testIO()
			if err := offsetsRoot(ios, args...).Execute(); err != nil {
				t.Fatalf("Execute() error = %v", err)
			}
			name := args[0]
			if name == "--help" {
				name = "offsets"
			}
			golden(t, offsetsFixture{dir: "\x00"}, "help-"+name+".txt", stdout.String())
			if stderr.Len() != 0 {
				t.Errorf("stderr = %q", stderr)
			}
		})
	}
}
