package cmd

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"reflect"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/offsets"
)

// offsetsOptions is what an `offsets` subcommand is asked for.
type offsetsOptions struct {
	IO         *IOStreams
	WorkerFile string
	JavaFile   string // import only
	Connector  string
	Partition  string // JSON object, as typed
	Offset     string // JSON object, as typed
	Output     string // show only: text or json
	Force      bool   // import only
}

const offsetsLongHelp = `Show and edit the source offsets a worker keeps in the file named by
offset.storage.file.filename in its worker file, while the worker is
stopped. No Kafka is needed.

Only source connectors have offsets here: sink connectors' offsets are
their consumer group's, in Kafka.

Commands that write take the lock the worker takes, so they refuse to run
while a worker uses the file, and they replace the file atomically, as
the worker does. A worker started afterwards resumes from the new offsets.

Partitions and offsets are JSON objects, as in Kafka's REST API
(GET /connectors/NAME/offsets); set accepts only strings, numbers,
booleans and null as their values, as that API does.

Exit codes: 0 done, 1 usage error or failure.`

const offsetsExamples = `  # Everything stored, then one connector as Kafka's REST API shows it
  connect-standalone offsets show worker.properties
  connect-standalone offsets show worker.properties --connector local-file-source --output json

  # Re-read a file from line 0, or from a given byte
  connect-standalone offsets reset worker.properties --connector local-file-source \
      --partition '{"filename": "test.txt"}'
  connect-standalone offsets set worker.properties --connector local-file-source \
      --partition '{"filename": "test.txt"}' --offset '{"position": 1024}'

  # Move from Apache Kafka's connect-standalone.sh: convert its offsets file
  connect-standalone offsets import worker.properties /tmp/connect.offsets.kafka`

// newCmdOffsets builds the offsets command and its subcommands.
func newCmdOffsets(ios *IOStreams) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "offsets",
		Short:   "Show, set, reset or import a stopped worker's source offsets",
		Long:    offsetsLongHelp,
		Example: offsetsExamples,
		// Reached only when no subcommand matched.
		Args: cobra.ArbitraryArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usage(c.CommandPath(), errors.New("offsets needs a command: show, set, reset or import"))
			}
			return usage(c.CommandPath(), fmt.Errorf("unknown offsets command %q: want show, set, reset or import", args[0]))
		},
		DisableFlagsInUseLine: true,
		SilenceUsage:          true,
		SilenceErrors:         true,
	}
	cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usage(c.CommandPath(), err) })
	cmd.AddCommand(
		newCmdOffsetsShow(ios),
		newCmdOffsetsSet(ios),
		newCmdOffsetsReset(ios),
		newCmdOffsetsImport(ios),
	)
	return cmd
}

func newCmdOffsetsShow(ios *IOStreams) *cobra.Command {
	opts := &offsetsOptions{IO: ios, Output: "text"}
	cmd := &cobra.Command{
		Use:   "show WORKER_PROPERTIES [--connector NAME] [--output text|json]",
		Short: "List the stored offsets of every connector, or of one",
		Long: `List every connector, source partition and offset in the worker's offsets
file, as a table or, with --output json, in the shape of Kafka's
GET /connectors/NAME/offsets response for each connector:

  {"connectors": {"NAME": {"offsets": [{"partition": {...}, "offset": {...}}]}}}

It only reads the file, so it also works while a worker runs, showing the
offsets last committed.`,
		Args: exactArgs("WORKER_PROPERTIES"),
		RunE: func(c *cobra.Command, args []string) error {
			opts.WorkerFile = args[0]
			if opts.Output != "text" && opts.Output != "json" {
				return usage(c.CommandPath(), fmt.Errorf("--output %q: want text or json", opts.Output))
			}
			return runOffsetsShow(opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Connector, "connector", "", "show only this connector")
	f.StringVarP(&opts.Output, "output", "o", "text", "output format: text or json")
	return subcommand(cmd)
}

func newCmdOffsetsSet(ios *IOStreams) *cobra.Command {
	opts := &offsetsOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "set WORKER_PROPERTIES --connector NAME --partition JSON --offset JSON",
		Short: "Set the offset of one source partition",
		Long: `Set the offset of one source partition of a connector, adding the partition
if it has none. The worker must be stopped.`,
		Args: exactArgs("WORKER_PROPERTIES"),
		RunE: func(c *cobra.Command, args []string) error {
			opts.WorkerFile = args[0]
			partition, offset, err := parseSetFlags(opts)
			if err != nil {
				return usage(c.CommandPath(), err)
			}
			return runOffsetsSet(c, opts, partition, offset)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Connector, "connector", "", "the connector's name (required)")
	f.StringVar(&opts.Partition, "partition", "", `the source partition, a JSON object such as '{"filename": "test.txt"}' (required)`)
	f.StringVar(&opts.Offset, "offset", "", `the offset, a JSON object such as '{"position": 0}' (required)`)
	return subcommand(cmd)
}

func newCmdOffsetsReset(ios *IOStreams) *cobra.Command {
	opts := &offsetsOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "reset WORKER_PROPERTIES --connector NAME [--partition JSON]",
		Short: "Remove the offset of one source partition, or every offset of a connector",
		Long: `Remove the stored offset of one source partition of a connector, or with
no --partition every offset of the connector, so that it starts over from
wherever its connector starts without one. The worker must be stopped.
Removing what is not stored is an error, so a mistyped name is noticed.`,
		Args: exactArgs("WORKER_PROPERTIES"),
		RunE: func(c *cobra.Command, args []string) error {
			opts.WorkerFile = args[0]
			if opts.Connector == "" {
				return usage(c.CommandPath(), errors.New("missing --connector"))
			}
			var partition map[string]any
			if c.Flags().Changed("partition") {
				var err error
				if partition, err = parseFlagMap("--partition", opts.Partition); err != nil {
					return usage(c.CommandPath(), err)
				}
			}
			return runOffsetsReset(c, opts, partition)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Connector, "connector", "", "the connector's name (required)")
	f.StringVar(&opts.Partition, "partition", "", "the source partition, a JSON object; without it, every partition")
	return subcommand(cmd)
}

func newCmdOffsetsImport(ios *IOStreams) *cobra.Command {
	opts := &offsetsOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "import WORKER_PROPERTIES KAFKA_OFFSETS_FILE [--force]",
		Short: "Copy the offsets of Apache Kafka's standalone worker into the worker's file",
		Long: `Read an offsets file written by Apache Kafka's connect-standalone.sh (its
offset.storage.file.filename, in Java serialization) and store its offsets
in the worker's offsets file, then print how many were imported for each
connector. The worker must be stopped; the Kafka file is only read.

An entry that the worker's file already holds with a different offset is a
conflict: nothing is written unless --force is given, which replaces it.
Entries Kafka recorded as reset (a null offset) remove the partition with
--force and are otherwise left out. Keys Kafka itself would ignore are
skipped with a warning. Importing the same file again changes nothing, so
after a failure part way, running the import again completes it.

When the worker's file is itself the Kafka file, move it aside first and
import the moved file.`,
		Args: exactArgs("WORKER_PROPERTIES", "KAFKA_OFFSETS_FILE"),
		RunE: func(c *cobra.Command, args []string) error {
			opts.WorkerFile, opts.JavaFile = args[0], args[1]
			return runOffsetsImport(c, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Force, "force", false, "replace or remove offsets the worker's file already holds")
	return subcommand(cmd)
}

// subcommand applies the settings every offsets subcommand shares.
func subcommand(cmd *cobra.Command) *cobra.Command {
	cmd.DisableFlagsInUseLine = true
	cmd.SilenceUsage = true
	cmd.SilenceErrors = true
	cmd.Flags().SortFlags = false
	return cmd
}

// exactArgs requires exactly the named arguments.
func exactArgs(names ...string) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		switch {
		case len(args) < len(names):
			return usage(c.CommandPath(), fmt.Errorf("missing %s", names[len(args)]))
		case len(args) > len(names):
			return usage(c.CommandPath(), fmt.Errorf("unexpected argument %q", args[len(names)]))
		}
		return nil
	}
}

// parseSetFlags checks set's flags and parses its partition and offset.
func parseSetFlags(opts *offsetsOptions) (partition, offset map[string]any, err error) {
	var missing []string
	for _, f := range []struct{ name, value string }{
		{"--connector", opts.Connector}, {"--partition", opts.Partition}, {"--offset", opts.Offset},
	} {
		if f.value == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return nil, nil, fmt.Errorf("missing %s", strings.Join(missing, ", "))
	}
	if partition, err = parseFlagMap("--partition", opts.Partition); err != nil {
		return nil, nil, err
	}
	if offset, err = parseFlagMap("--offset", opts.Offset); err != nil {
		return nil, nil, err
	}
	return partition, offset, nil
}

// parseFlagMap parses a partition or offset flag and holds it to what
// Kafka's REST API accepts (OffsetUtils.validateFormat): an object whose
// values are primitives or null.
func parseFlagMap(flag, text string) (map[string]any, error) {
	m, err := offsets.ParseMap([]byte(text))
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", flag, text, err)
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		kind := ""
		switch m[k].(type) {
		case map[string]any:
			kind = "an object"
		case []any:
			kind = "an array"
		default:
			continue
		}
		return nil, fmt.Errorf("%s: field %q holds %s; partitions and offsets may only hold strings, numbers, booleans and null",
			flag, k, kind)
	}
	return m, nil
}

// offsetsFile returns the offsets file named by a worker file, as the
// worker reads it: trimmed, relative to the current directory.
func offsetsFile(workerFile string) (string, error) {
	props, err := config.LoadProperties(workerFile)
	if err != nil {
		return "", err
	}
	key, _ := config.WorkerDef().Key(config.KeyOffsetStorageFileFilename)
	vals, err := (&config.Def{Keys: []config.Key{key}}).Parse(props)
	if err != nil {
		return "", config.InFile(workerFile, err)
	}
	return vals.String(config.KeyOffsetStorageFileFilename), nil
}

// javaFormatHint says what to do with a file Kafka's own worker wrote.
func javaFormatHint(workerFile, path string) string {
	return fmt.Sprintf("\nit was written by Apache Kafka's worker; convert it with: mv %s %s.kafka && connect-standalone offsets import %s %s.kafka",
		path, path, workerFile, path)
}

// openStore opens the offsets file for writing, taking the worker's lock.
func openStore(workerFile string) (*offsets.FileStore, string, error) {
	path, err := offsetsFile(workerFile)
	if err != nil {
		return nil, "", err
	}
	store, err := offsets.OpenFile(path, nil)
	switch {
	case errors.Is(err, offsets.ErrLocked):
		return nil, "", fmt.Errorf("%w\nstop the worker first, then run this command again", err)
	case errors.Is(err, offsets.ErrJavaFormat):
		return nil, "", fmt.Errorf("%w%s", err, javaFormatHint(workerFile, path))
	case err != nil:
		return nil, "", err
	}
	return store, path, nil
}

// closeStore closes store, keeping the first error.
func closeStore(store *offsets.FileStore, err *error) {
	if cerr := store.Close(); *err == nil {
		*err = cerr
	}
}

func runOffsetsShow(opts *offsetsOptions) error {
	path, err := offsetsFile(opts.WorkerFile)
	if err != nil {
		return err
	}
	// Read without the lock: the worker replaces the file atomically, so
	// this sees one whole commit even while a worker runs.
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		data, err = nil, nil // no commit yet: nothing stored
	}
	if err != nil {
		return fmt.Errorf("read offsets file: %w", err)
	}
	all, err := offsets.Decode(data)
	switch {
	case errors.Is(err, offsets.ErrJavaFormat):
		return fmt.Errorf("offsets file %s: %w%s", path, err, javaFormatHint(opts.WorkerFile, path))
	case err != nil:
		return fmt.Errorf("offsets file %s: %w", path, err)
	}
	if opts.Connector != "" {
		all = map[string][]offsets.Entry{opts.Connector: all[opts.Connector]}
	}
	if opts.Output == "json" {
		return writeOffsetsJSON(opts.IO.Out, all)
	}
	return writeOffsetsTable(opts.IO.Out, path, opts.Connector, all)
}

// offsetsBody is one connector's offsets as Kafka's REST API returns them.
type offsetsBody struct {
	Offsets []offsetJSON `json:"offsets"`
}

type offsetJSON struct {
	Partition json.RawMessage `json:"partition"`
	Offset    json.RawMessage `json:"offset"`
}

// writeOffsetsJSON keeps numbers exactly as the offsets file has them, so
// a float offset such as 1.0 is not shown as the integer 1.
func writeOffsetsJSON(w io.Writer, all map[string][]offsets.Entry) error {
	out := struct {
		Connectors map[string]offsetsBody `json:"connectors"`
	}{Connectors: make(map[string]offsetsBody, len(all))}
	for c, entries := range all {
		body := offsetsBody{Offsets: make([]offsetJSON, 0, len(entries))}
		for _, e := range entries {
			p, err := offsets.FormatMap(e.Partition)
			if err != nil {
				return err
			}
			o, err := offsets.FormatMap(e.Offset)
			if err != nil {
				return err
			}
			body.Offsets = append(body.Offsets, offsetJSON{Partition: json.RawMessage(p), Offset: json.RawMessage(o)})
		}
		out.Connectors[c] = body
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func writeOffsetsTable(w io.Writer, path, connector string, all map[string][]offsets.Entry) error {
	n := 0
	for _, entries := range all {
		n += len(entries)
	}
	if n == 0 {
		if connector != "" {
			_, err := fmt.Fprintf(w, "no offsets stored for connector %q in %s\n", connector, path)
			return err
		}
		_, err := fmt.Fprintf(w, "no offsets stored in %s\n", path)
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CONNECTOR\tPARTITION\tOFFSET")
	for _, c := range slices.Sorted(maps.Keys(all)) {
		for _, e := range all[c] {
			p, err := offsets.FormatMap(e.Partition)
			if err != nil {
				return err
			}
			o, err := offsets.FormatMap(e.Offset)
			if err != nil {
				return err
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\n", c, p, o)
		}
	}
	return tw.Flush()
}

func runOffsetsSet(c *cobra.Command, opts *offsetsOptions, partition, offset map[string]any) (err error) {
	store, path, err := openStore(opts.WorkerFile)
	if err != nil {
		return err
	}
	defer closeStore(store, &err)
	old, err := store.Get(opts.Connector, partition)
	if err != nil {
		return err
	}
	if err := store.Set(c.Context(), opts.Connector, []offsets.Entry{{Partition: partition, Offset: offset}}); err != nil {
		return err
	}
	p, _ := offsets.FormatMap(partition) // Set accepted both, so both format
	o, _ := offsets.FormatMap(offset)
	was := "no offset"
	if old != nil {
		was, _ = offsets.FormatMap(old)
	}
	_, err = fmt.Fprintf(opts.IO.Out, "connector %q, partition %s: offset set to %s (was %s) in %s\n", opts.Connector, p, o, was, path)
	return err
}

func runOffsetsReset(c *cobra.Command, opts *offsetsOptions, partition map[string]any) (err error) {
	store, path, err := openStore(opts.WorkerFile)
	if err != nil {
		return err
	}
	defer closeStore(store, &err)
	var remove []offsets.Entry
	if partition != nil {
		old, err := store.Get(opts.Connector, partition)
		if err != nil {
			return err
		}
		if old == nil {
			p, _ := offsets.FormatMap(partition)
			return fmt.Errorf("connector %q has no offset for partition %s in %s; 'connect-standalone offsets show' lists what is stored",
				opts.Connector, p, path)
		}
		remove = []offsets.Entry{{Partition: partition, Offset: old}}
	} else if remove, err = store.All(opts.Connector); err != nil {
		return err
	}
	if len(remove) == 0 {
		return fmt.Errorf("connector %q has no offsets in %s; 'connect-standalone offsets show' lists what is stored", opts.Connector, path)
	}
	tombstones := make([]offsets.Entry, len(remove))
	for i, e := range remove {
		tombstones[i] = offsets.Entry{Partition: e.Partition}
	}
	if err := store.Set(c.Context(), opts.Connector, tombstones); err != nil {
		return err
	}
	for _, e := range remove {
		p, _ := offsets.FormatMap(e.Partition)
		o, _ := offsets.FormatMap(e.Offset)
		if _, err := fmt.Fprintf(opts.IO.Out, "connector %q, partition %s: offset %s removed from %s\n", opts.Connector, p, o, path); err != nil {
			return err
		}
	}
	return nil
}

// importCounts is what an import did to one connector.
type importCounts struct {
	added, replaced, unchanged, removed, tombstones int
}

func (n importCounts) String() string {
	var parts []string
	for _, p := range []struct {
		n    int
		what string
	}{
		{n.added, "added"}, {n.replaced, "replaced"}, {n.unchanged, "unchanged"}, {n.removed, "removed"},
		{n.tombstones, "reset in Kafka (nothing to remove)"},
	} {
		if p.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", p.n, p.what))
		}
	}
	return strings.Join(parts, ", ")
}

func runOffsetsImport(c *cobra.Command, opts *offsetsOptions) (err error) {
	data, err := os.ReadFile(opts.JavaFile)
	if err != nil {
		return fmt.Errorf("read Kafka offsets file: %w", err)
	}
	entries, warnings, err := offsets.ReadJavaOffsets(data)
	if err != nil {
		return fmt.Errorf("read Kafka offsets file %s: %w", opts.JavaFile, err)
	}
	byConnector, more, err := groupJavaEntries(entries)
	if err != nil {
		return fmt.Errorf("read Kafka offsets file %s: %w", opts.JavaFile, err)
	}
	for _, w := range append(warnings, more...) {
		fmt.Fprintf(opts.IO.ErrOut, "connect-standalone: warning: %s: %s\n", opts.JavaFile, w)
	}

	store, path, err := openStore(opts.WorkerFile)
	if err != nil {
		return err
	}
	defer closeStore(store, &err)

	// Decide everything before writing anything, so a conflict leaves the
	// file as it was.
	counts := make(map[string]*importCounts, len(byConnector))
	writes := make(map[string][]offsets.Entry, len(byConnector))
	var conflicts []string
	names := slices.Sorted(maps.Keys(byConnector))
	for _, name := range names {
		n := &importCounts{}
		counts[name] = n
		for _, e := range byConnector[name] {
			old, err := store.Get(name, e.Partition)
			if err != nil {
				return err
			}
			switch {
			case reflect.DeepEqual(old, e.Offset):
				if old == nil {
					n.tombstones++
				} else {
					n.unchanged++
				}
				continue
			case old == nil:
				n.added++
			case !opts.Force:
				conflicts = append(conflicts, describeConflict(name, e, old))
				continue
			case e.Offset == nil:
				n.removed++
			default:
				n.replaced++
			}
			writes[name] = append(writes[name], offsets.Entry{Partition: e.Partition, Offset: e.Offset})
		}
	}
	if len(conflicts) > 0 {
		return fmt.Errorf("%d offsets in %s differ from %s; nothing was imported. Use --force to take Kafka's:\n%s",
			len(conflicts), path, opts.JavaFile, strings.Join(conflicts, "\n"))
	}
	for _, name := range names {
		if len(writes[name]) == 0 {
			continue
		}
		if err := store.Set(c.Context(), name, writes[name]); err != nil {
			return err
		}
	}

	if len(names) == 0 {
		_, err = fmt.Fprintf(opts.IO.Out, "no offsets to import from %s\n", opts.JavaFile)
		return err
	}
	fmt.Fprintf(opts.IO.Out, "imported offsets from %s into %s:\n", opts.JavaFile, path)
	tw := tabwriter.NewWriter(opts.IO.Out, 0, 0, 2, ' ', 0)
	for _, name := range names {
		fmt.Fprintf(tw, "  %s\t%s\n", name, counts[name])
	}
	return tw.Flush()
}

// groupJavaEntries groups entries by connector, one per partition. Java
// compares keys byte for byte, so one partition can appear twice with its
// keys in another order. Kafka's connector only ever read one of them, and
// which cannot be told from the file, so when their offsets differ neither
// is imported and a warning says so.
func groupJavaEntries(entries []offsets.JavaEntry) (map[string][]offsets.JavaEntry, []string, error) {
	type key struct{ connector, partition string }
	var order []key
	byKey := map[key][]offsets.JavaEntry{}
	for _, e := range entries {
		p, err := offsets.FormatMap(e.Partition)
		if err != nil {
			return nil, nil, fmt.Errorf("byte %d: %w", e.Pos, err)
		}
		k := key{e.Connector, p}
		if _, seen := byKey[k]; !seen {
			order = append(order, k)
		}
		byKey[k] = append(byKey[k], e)
	}
	out := map[string][]offsets.JavaEntry{}
	var warnings []string
	for _, k := range order {
		es := byKey[k]
		if i := slices.IndexFunc(es, func(e offsets.JavaEntry) bool { return !reflect.DeepEqual(e.Offset, es[0].Offset) }); i > 0 {
			warnings = append(warnings, fmt.Sprintf(
				"connector %q, partition %s has two offsets, %s at byte %d and %s at byte %d; neither is imported: "+
					"set the right one with 'connect-standalone offsets set'",
				k.connector, k.partition, describeJavaOffset(es[0].Offset), es[0].Pos, describeJavaOffset(es[i].Offset), es[i].Pos))
			continue
		}
		out[k.connector] = append(out[k.connector], es[0])
	}
	return out, warnings, nil
}

// describeJavaOffset shows an offset read from Kafka's file.
func describeJavaOffset(o map[string]any) string {
	if o == nil {
		return "reset (null)"
	}
	text, _ := offsets.FormatMap(o) // read from JSON, so it formats
	return text
}

// describeConflict is one line of the conflict report.
func describeConflict(connector string, e offsets.JavaEntry, old map[string]any) string {
	p, _ := offsets.FormatMap(e.Partition)
	ours, _ := offsets.FormatMap(old)
	return fmt.Sprintf("  connector %q, partition %s: stored %s, Kafka's %s", connector, p, ours, describeJavaOffset(e.Offset))
}
