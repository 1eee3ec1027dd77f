package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/connectors/builtin"
	"github.com/connect-standalone/connect-standalone/runner"
)

// validateOptions is what `connect-standalone validate` is asked for.
type validateOptions struct {
	IO             *IOStreams
	WorkerFile     string
	ConnectorFiles []string
	Strict         bool   // warnings are errors
	Output         string // text or json
}

const validateLongHelp = `Check a worker file and connector files the way starting the worker would,
without connecting to Kafka or touching the offsets file: every problem of
every file is reported at once, each naming its file and key, with a hint
(the expected type, the valid values, or the name you probably meant).

Keys that will not do what their author may expect are warnings: unknown
keys (Kafka ignores them too), keys removed from Kafka, keys of distributed
mode and keys accepted but not used yet. With --strict they are errors.

The report goes to standard output, as text (one line per problem, then a
summary) or as JSON:

  {"valid": true, "files": [{"file": "worker.properties", "kind": "worker",
    "problems": [{"key": "...", "severity": "warning", "message": "...",
    "hint": "..."}]}]}

Exit codes, as the worker's own:
  0  valid (warnings allowed without --strict)
  1  usage error
  2  the worker file has errors
  3  only connector files have errors`

const validateExamples = `  # Before deploying: check the files a worker would be started with
  connect-standalone validate worker.properties connect-file-source.properties

  # In CI: fail on unknown keys too, and read the result with jq
  connect-standalone validate --strict --output json worker.properties conn/*.json | jq .valid`

// newCmdValidate builds the validate subcommand.
func newCmdValidate(ios *IOStreams) *cobra.Command {
	opts := &validateOptions{IO: ios, Output: "text"}
	cmd := &cobra.Command{
		Use:     "validate [--strict] [--output text|json] WORKER_PROPERTIES [CONNECTOR_CONFIG ...]",
		Short:   "Check worker and connector files without starting the worker",
		Long:    validateLongHelp,
		Example: validateExamples,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usage("connect-standalone validate", errors.New("missing the worker properties file"))
			}
			return nil
		},
		DisableFlagsInUseLine: true,
		SilenceUsage:          true,
		SilenceErrors:         true,
		RunE: func(_ *cobra.Command, args []string) error {
			if opts.Output != "text" && opts.Output != "json" {
				return usage("connect-standalone validate", fmt.Errorf("--output %q: want text or json", opts.Output))
			}
			opts.WorkerFile, opts.ConnectorFiles = args[0], args[1:]
			return runValidate(opts)
		},
	}
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usage("connect-standalone validate", err) })
	f := cmd.Flags()
	f.BoolVar(&opts.Strict, "strict", false, "treat warnings, such as unknown keys, as errors")
	f.StringVarP(&opts.Output, "output", "o", "text", "report format: text or json")
	f.SortFlags = false
	return cmd
}

// Severities of a problem.
const (
	severityError   = "error"
	severityWarning = "warning"
)

// validation is the outcome of validate, as its JSON output shows it.
type validation struct {
	Valid bool          `json:"valid"`
	Files []*fileReport `json:"files"`
}

// fileReport is one file's problems, in the order found: load and
// validation errors first, then warnings.
type fileReport struct {
	File      string    `json:"file"`
	Kind      string    `json:"kind"` // worker or connector
	Connector string    `json:"connector,omitempty"`
	Problems  []problem `json:"problems"`

	keys *config.Def       // where hints come from
	raw  map[string]string // the loaded file
}

type problem struct {
	Key      string `json:"key"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	Hint     string `json:"hint,omitempty"`
}

func (r *fileReport) count(severity string) int {
	n := 0
	for _, p := range r.Problems {
		if p.Severity == severity {
			n++
		}
	}
	return n
}

// runValidate validates the files with runner.New, the worker's own
// validation, and writes the report. A file that cannot be loaded does not
// stop the others from being checked. The error, nil when the files are
// valid, carries the exit code's class.
func runValidate(opts *validateOptions) error {
	reg, err := builtin.New(opts.IO.In, opts.IO.Out)
	if err != nil {
		return fmt.Errorf("build plugin registry: %w", err)
	}
	v := validateFiles(opts, reg)
	if opts.Output == "json" {
		err = writeValidationJSON(opts.IO.Out, v)
	} else {
		err = writeValidationText(opts.IO.Out, v)
	}
	if err != nil {
		return fmt.Errorf("write the report: %w", err)
	}
	var workerErrs, connErrs int
	for _, f := range v.Files {
		if f.Kind == "worker" {
			workerErrs += f.count(severityError)
		} else {
			connErrs += f.count(severityError)
		}
	}
	switch {
	case workerErrs > 0:
		return classify(fmt.Errorf("validation failed: %s", plural(workerErrs+connErrs, "error")), runner.ErrWorkerConfig)
	case connErrs > 0:
		return classify(fmt.Errorf("validation failed: %s", plural(connErrs, "error")), runner.ErrConnectorConfig)
	}
	return nil
}

func validateFiles(opts *validateOptions, reg *connectors.Registry) *validation {
	worker := &fileReport{File: opts.WorkerFile, Kind: "worker", keys: config.WorkerDef()}
	v := &validation{Files: []*fileReport{worker}}
	workerProps, err := config.LoadProperties(opts.WorkerFile)
	workerLoaded := err == nil
	if err != nil {
		worker.add(loadProblem(err))
		// Connector files are still checked, against no worker settings:
		// only converters they do not set themselves go unchecked.
		workerProps = map[string]string{}
	}

	// Keyed by path, as runner names connector files: a file given twice is
	// one report, holding the duplicate-name error.
	conns := make(map[string]*fileReport)
	var loaded []config.ConnectorFile
	for _, path := range opts.ConnectorFiles {
		r, seen := conns[path]
		if !seen {
			r = &fileReport{File: path, Kind: "connector", keys: config.ConnectorDef()}
			conns[path] = r
			v.Files = append(v.Files, r)
		}
		cf, err := config.LoadConnectorFile(path)
		if err != nil {
			if !seen {
				r.add(loadProblem(err))
			}
			continue
		}
		r.Connector, r.keys, r.raw = cf.Name, connectorKeys(reg, cf.Config), cf.Config
		loaded = append(loaded, cf)
	}

	var logged warningLog
	_, err = runner.New(runner.Options{
		WorkerFile:  opts.WorkerFile,
		WorkerProps: workerProps,
		Connectors:  loaded,
		Registry:    reg,
		Logger:      slog.New(&warningHandler{log: &logged}),
	})
	// Problems runner does not name a file for are kept, in a report of
	// their own, rather than lost.
	var unattributed *fileReport
	other := func() *fileReport {
		if unattributed == nil {
			unattributed = &fileReport{Kind: "connector", keys: &config.Def{}}
			v.Files = append(v.Files, unattributed)
		}
		return unattributed
	}
	for _, part := range topLevel(err) {
		isWorker := errors.Is(part, runner.ErrWorkerConfig)
		if isWorker && !workerLoaded {
			continue // problems of the empty stand-in, not of the file
		}
		for _, p := range config.Problems(part) {
			if errors.Is(p, runner.ErrWorkerConfig) || errors.Is(p, runner.ErrConnectorConfig) {
				continue // the class of the problems around it
			}
			if isWorker {
				worker.addError(p)
				continue
			}
			r := connectorReport(conns, p)
			switch {
			case r == nil:
				r = other()
			case inheritedConverter(r, p):
				continue // reported once, on the worker file that sets it
			}
			r.addError(p)
		}
	}
	for _, w := range logged.warnings() {
		r := worker
		if w.connector {
			if r = conns[w.file]; r == nil {
				r = other()
			}
		}
		key, msg, hint := config.SplitWarning(w.message)
		severity := severityWarning
		if opts.Strict {
			severity = severityError
		}
		r.add(problem{Key: key, Severity: severity, Message: msg, Hint: hint})
	}

	v.Valid = true
	for _, f := range v.Files {
		if f.count(severityError) > 0 {
			v.Valid = false
		}
	}
	return v
}

// topLevel returns the parts of runner.New's error: one per class of
// problem, each wrapping its class sentinel.
func topLevel(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// connectorReport finds the connector file a problem belongs to: the file
// of a *config.KeyError, or the file a message starts with, as runner names
// the file of a connector defined twice.
func connectorReport(conns map[string]*fileReport, p error) *fileReport {
	var ke *config.KeyError
	if errors.As(p, &ke) {
		return conns[ke.File]
	}
	for path, r := range conns {
		if strings.HasPrefix(p.Error(), path+": ") {
			return r
		}
	}
	return nil
}

// inheritedConverter reports whether p is about a converter the connector
// file does not set: runner checks the worker's converter again for each
// connector that uses it.
func inheritedConverter(r *fileReport, p error) bool {
	var ke *config.KeyError
	if !errors.As(p, &ke) {
		return false
	}
	switch ke.Key {
	case config.KeyKeyConverter, config.KeyValueConverter, config.KeyHeaderConverter:
		_, set := r.raw[ke.Key]
		return !set
	}
	return false
}

func (r *fileReport) add(p problem) { r.Problems = append(r.Problems, p) }

// addError adds a problem runner found: a *config.KeyError gets its key and
// a hint, other errors are reported as they are, less the file's name.
func (r *fileReport) addError(err error) {
	var ke *config.KeyError
	if !errors.As(err, &ke) {
		r.add(problem{Severity: severityError, Message: strings.TrimPrefix(err.Error(), r.File+": ")})
		return
	}
	msg := ke.Err.Error()
	hint := keyHint(r.keys, ke.Key)
	var nf *connectors.NotFoundError
	if errors.As(ke.Err, &nf) {
		// The suggestions become the hint rather than stay in the sentence.
		bare := &connectors.NotFoundError{Name: nf.Name, Kinds: nf.Kinds}
		msg = strings.Replace(msg, nf.Error(), bare.Error(), 1)
		hint = suggestionHint(nf.Suggestions)
	}
	r.add(problem{Key: ke.Key, Severity: severityError, Message: msg, Hint: hint})
}

// loadProblem describes why a file could not be loaded, without repeating
// its name, which the report shows.
func loadProblem(err error) problem {
	p := problem{Severity: severityError, Message: err.Error()}
	var pe *config.ParseError
	var pathErr *fs.PathError
	switch {
	case errors.As(err, &pe):
		c := *pe
		c.File = ""
		p.Message = c.Error()
	case errors.As(err, &pathErr):
		p.Message = "cannot read the file: " + pathErr.Err.Error()
	case errors.Is(err, config.ErrMissing), errors.Is(err, config.ErrInvalid):
		// A connector file's name is missing or contradicts itself.
		p.Key = config.KeyName
		p.Hint = keyHint(config.ConnectorDef(), config.KeyName)
	}
	return p
}

// keyHint says what a declared key expects: its type, and the values its
// validator accepts when it describes them.
func keyHint(keys *config.Def, name string) string {
	k, ok := keys.Key(name)
	if !ok {
		return ""
	}
	hint := "expected " + k.Type.String()
	if desc := config.Describe(k.Validate); desc != "" {
		hint += ": " + desc
	}
	if k.Type == config.Class {
		hint += `: a class name or alias, see "connect-standalone plugins list"`
	}
	return hint
}

func suggestionHint(suggestions []string) string {
	if len(suggestions) == 0 {
		return `see "connect-standalone plugins list"`
	}
	return fmt.Sprintf("did you mean %s?", strings.Join(suggestions, " or "))
}

// connectorKeys returns the keys a connector file may hold, as runner
// assembles them, for hints: the common keys of the connector's kind, its
// plugin's, and those of each transform and predicate under their prefix.
// Whatever cannot be resolved is left out; runner reports why.
func connectorKeys(reg *connectors.Registry, raw map[string]string) *config.Def {
	keys := config.ConnectorDef()
	if p, err := reg.Lookup(raw[config.KeyConnectorClass], connectors.KindSource, connectors.KindSink); err == nil {
		common := config.SourceConnectorDef()
		if p.Kind == connectors.KindSink {
			common = config.SinkConnectorDef()
		}
		keys = common.Merge(p.Def)
	}
	var stages []*config.Def
	stage := func(prefix string, implicit *config.Def, kind connectors.Kind) {
		def := implicit
		if p, err := reg.Lookup(raw[prefix+config.KeyStageType], kind); err == nil {
			def = implicit.Merge(p.Def)
		}
		stages = append(stages, def.Embed(prefix))
	}
	for _, alias := range config.SplitList(raw[config.KeyTransforms]) {
		stage(config.KeyTransforms+"."+alias+".", config.TransformStageDef(), connectors.KindTransform)
	}
	for _, alias := range config.SplitList(raw[config.KeyPredicates]) {
		stage(config.KeyPredicates+"."+alias+".", config.PredicateStageDef(), connectors.KindPredicate)
	}
	return keys.Merge(stages...)
}

func writeValidationJSON(w io.Writer, v *validation) error {
	for _, f := range v.Files {
		if f.Problems == nil {
			f.Problems = []problem{} // [] rather than null, for jq and friends
		}
	}
	return writeJSON(w, v)
}

// writeValidationText writes one line per problem, FILE: KEY: message
// (hint), then FILE: ok for a file without errors, then a summary line.
func writeValidationText(w io.Writer, v *validation) error {
	var b strings.Builder
	var errs, warnings int
	for _, f := range v.Files {
		for _, p := range f.Problems {
			var parts []string
			if f.File != "" {
				parts = append(parts, f.File)
			}
			if p.Key != "" {
				parts = append(parts, p.Key)
			}
			if p.Severity == severityWarning {
				parts = append(parts, "warning")
			}
			line := strings.Join(append(parts, p.Message), ": ")
			if p.Hint != "" {
				line += " (" + p.Hint + ")"
			}
			b.WriteString(line + "\n")
		}
		e := f.count(severityError)
		if e == 0 && f.File != "" {
			fmt.Fprintf(&b, "%s: ok\n", f.File)
		}
		errs += e
		warnings += f.count(severityWarning)
	}
	verdict := "valid"
	if !v.Valid {
		verdict = "invalid"
	}
	fmt.Fprintf(&b, "%s: %s, %s, %s\n", verdict, plural(len(v.Files), "file"), plural(errs, "error"), plural(warnings, "warning"))
	_, err := io.WriteString(w, b.String())
	return err
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// warningLog collects the warnings runner.New logs about the files: it
// decides what deserves a warning, validate only reports them.
type warningLog struct {
	mu   sync.Mutex
	list []loggedWarning
}

type loggedWarning struct {
	message   string
	file      string
	connector bool // about a connector file rather than the worker file
}

func (l *warningLog) warnings() []loggedWarning {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]loggedWarning(nil), l.list...)
}

// warningHandler is a slog.Handler that keeps warnings in a warningLog.
// runner names the file in a "file" attribute and, for connector files,
// the connector in a "connector" attribute.
type warningHandler struct {
	log   *warningLog
	attrs []slog.Attr
}

func (h *warningHandler) Enabled(_ context.Context, l slog.Level) bool { return l == slog.LevelWarn }

func (h *warningHandler) Handle(_ context.Context, r slog.Record) error {
	w := loggedWarning{message: r.Message}
	see := func(a slog.Attr) bool {
		switch a.Key {
		case "file":
			w.file = a.Value.String()
		case "connector":
			w.connector = true
		}
		return true
	}
	for _, a := range h.attrs {
		see(a)
	}
	r.Attrs(see)
	h.log.mu.Lock()
	defer h.log.mu.Unlock()
	h.log.list = append(h.log.list, w)
	return nil
}

func (h *warningHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &warningHandler{log: h.log, attrs: append(append([]slog.Attr(nil), h.attrs...), attrs...)}
}

// WithGroup keeps the handler as it is: runner's attributes are not grouped.
func (h *warningHandler) WithGroup(string) slog.Handler { return h }
