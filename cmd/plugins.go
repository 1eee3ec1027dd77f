package cmd

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/connectors/builtin"
)

// pluginsOptions is what `connect-standalone plugins` is asked for.
type pluginsOptions struct {
	IO       *IOStreams
	Describe string // the plugin to describe; empty lists them all
	Output   string // text, markdown or json
}

const pluginsLongHelp = `List the plugins built into connect-standalone, or describe one plugin's
configuration keys: name, type, default, importance, valid values and
documentation. A connector's description also holds the keys every source
or sink connector has.

NAME is a full class name, its simple name or its alias, as in a
connector.class or transforms.<alias>.type value.

JSON output has the shapes of Kafka's REST API: the list is that of
GET /connector-plugins?connectorsOnly=false, a description that of
GET /connector-plugins/{plugin}/config.`

const pluginsExamples = `  connect-standalone plugins
  connect-standalone plugins describe FileStreamSource
  connect-standalone plugins describe 'org.apache.kafka.connect.transforms.InsertField$Value' --output markdown
  connect-standalone plugins list --output json | jq -r '.[].class'`

// newCmdPlugins builds the plugins subcommand.
func newCmdPlugins(ios *IOStreams) *cobra.Command {
	opts := &pluginsOptions{IO: ios, Output: "text"}
	cmd := &cobra.Command{
		Use:     "plugins [list | describe NAME] [--output text|markdown|json]",
		Short:   "List the built-in plugins or describe one's configuration keys",
		Long:    pluginsLongHelp,
		Example: pluginsExamples,
		Args: func(_ *cobra.Command, args []string) error {
			switch {
			case len(args) == 0, len(args) == 1 && args[0] == "list":
				return nil
			case args[0] == "list":
				return usage("connect-standalone plugins", fmt.Errorf("list takes no arguments, got %q", args[1]))
			case args[0] == "describe" && len(args) == 2:
				return nil
			case args[0] == "describe":
				return usage("connect-standalone plugins", errors.New("describe takes one plugin name"))
			}
			return usage("connect-standalone plugins", fmt.Errorf("unknown action %q: want list or describe NAME", args[0]))
		},
		DisableFlagsInUseLine: true,
		SilenceUsage:          true,
		SilenceErrors:         true,
		RunE: func(_ *cobra.Command, args []string) error {
			switch opts.Output {
			case "text", "markdown", "json":
			default:
				return usage("connect-standalone plugins", fmt.Errorf("--output %q: want text, markdown or json", opts.Output))
			}
			if len(args) == 2 {
				opts.Describe = args[1]
			}
			return runPlugins(opts)
		},
	}
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usage("connect-standalone plugins", err) })
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "text", "format: text, markdown or json")
	return cmd
}

// kafkaOrder is the order of Kafka's GET /connector-plugins, which plugins
// follows when listing and when a name matches plugins of several kinds.
var kafkaOrder = []connectors.Kind{
	connectors.KindSink, connectors.KindSource, connectors.KindTransform,
	connectors.KindPredicate, connectors.KindConverter, connectors.KindHeaderConverter,
}

func runPlugins(opts *pluginsOptions) error {
	reg, err := builtin.New(opts.IO.In, opts.IO.Out)
	if err != nil {
		return fmt.Errorf("build plugin registry: %w", err)
	}
	// The writers below ignore write errors: bufio keeps the first for Flush.
	bw := bufio.NewWriter(opts.IO.Out)
	if opts.Describe == "" {
		err = writePluginList(bw, reg, opts.Output)
	} else {
		p, lerr := reg.Lookup(opts.Describe, kafkaOrder...)
		var nf *connectors.NotFoundError
		if errors.As(lerr, &nf) {
			// Lookup names the first kind asked for; any kind was.
			return fmt.Errorf("%w\nRun 'connect-standalone plugins list' to see them all.",
				&connectors.NotFoundError{Name: nf.Name, Suggestions: nf.Suggestions})
		}
		if lerr != nil {
			return lerr
		}
		err = writePlugin(bw, reg, p, opts.Output)
	}
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		return fmt.Errorf("write plugins: %w", err)
	}
	return nil
}

func pluginsInKafkaOrder(reg *connectors.Registry) []connectors.Plugin {
	var out []connectors.Plugin
	for _, k := range kafkaOrder {
		out = append(out, reg.Plugins(k)...)
	}
	return out
}

// pluginInfo is one plugin as Kafka's GET /connector-plugins lists it.
type pluginInfo struct {
	Class   string `json:"class"`
	Type    string `json:"type"`
	Version string `json:"version,omitempty"`
}

func writePluginList(w io.Writer, reg *connectors.Registry, format string) error {
	plugins := pluginsInKafkaOrder(reg)
	switch format {
	case "json":
		out := make([]pluginInfo, 0, len(plugins))
		for _, p := range plugins {
			out = append(out, pluginInfo{Class: p.Class, Type: p.Kind.String(), Version: p.Version})
		}
		return writeJSON(w, out)
	case "markdown":
		fmt.Fprint(w, "| Type | Class | Aliases |\n|---|---|---|\n")
		for _, p := range plugins {
			fmt.Fprintf(w, "| %s | `%s` | %s |\n", p.Kind, p.Class, codeSpans(reg.Aliases(p)))
		}
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TYPE\tCLASS\tALIASES")
	for _, p := range plugins {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", p.Kind, p.Class, strings.Join(reg.Aliases(p), ", "))
	}
	return tw.Flush()
}

// pluginKeys returns the keys of p's configuration: its own, and for a
// connector those every connector of its kind has that p does not
// redeclare.
func pluginKeys(p connectors.Plugin) (own, common *config.Def) {
	var base *config.Def
	switch p.Kind {
	case connectors.KindSource:
		base = config.SourceConnectorDef()
	case connectors.KindSink:
		base = config.SinkConnectorDef()
	default:
		return p.Def, nil
	}
	all := p.Def.Merge(base)
	return p.Def, &config.Def{Keys: all.Keys[len(p.Def.Keys):], Prefixes: all.Prefixes[len(p.Def.Prefixes):]}
}

func writePlugin(w io.Writer, reg *connectors.Registry, p connectors.Plugin, format string) error {
	own, common := pluginKeys(p)
	switch format {
	case "json":
		// As Kafka's GET /connector-plugins/{plugin}/config: the plugin's
		// keys, then the framework's.
		return writeJSON(w, own.Merge(common).ConfigKeyInfos())
	case "markdown":
		return writePluginMarkdown(w, reg, p, own, common)
	}
	return writePluginText(w, reg, p, own, common)
}

// describeHeader is what is said of a plugin before its keys.
func describeHeader(reg *connectors.Registry, p connectors.Plugin) (about string, aliases []string) {
	about = fmt.Sprintf("a %s plugin, version %s", p.Kind, p.Version)
	var also []string
	for _, k := range kafkaOrder {
		if q, err := reg.Lookup(p.Class, k); err == nil && q.Kind != p.Kind {
			also = append(also, q.Kind.String())
		}
	}
	if len(also) > 0 {
		about += "; also a " + strings.Join(also, " and a ") + " with the same keys"
	}
	return about, reg.Aliases(p)
}

func commonTitle(p connectors.Plugin) string {
	return fmt.Sprintf("Keys every %s connector has", p.Kind)
}

func writePluginMarkdown(w io.Writer, reg *connectors.Registry, p connectors.Plugin, own, common *config.Def) error {
	about, aliases := describeHeader(reg, p)
	fmt.Fprintf(w, "# %s\n\n`%s`, %s. ", p.Class[strings.LastIndex(p.Class, ".")+1:], p.Class, about)
	if len(aliases) > 0 {
		fmt.Fprintf(w, "Aliases: %s.\n\n", codeSpans(aliases))
	} else {
		fmt.Fprint(w, "It has no alias: write the full class name.\n\n")
	}
	if doc := strings.TrimSpace(p.Doc); doc != "" {
		fmt.Fprintf(w, "%s\n\n", doc)
	}
	fmt.Fprint(w, "## Configuration\n\n")
	if err := writeKeysMarkdown(w, own); err != nil {
		return err
	}
	if common != nil {
		fmt.Fprintf(w, "\n## %s\n\n", commonTitle(p))
		if err := writeKeysMarkdown(w, common); err != nil {
			return err
		}
	}
	if ex := strings.TrimSpace(p.Example); ex != "" {
		fmt.Fprintf(w, "\n## Example\n\n%s\n", ex)
	}
	return nil
}

func writeKeysMarkdown(w io.Writer, def *config.Def) error {
	if len(def.Keys) == 0 && len(def.Prefixes) == 0 {
		_, err := fmt.Fprint(w, "No configuration keys.\n")
		return err
	}
	return def.WriteMarkdown(w)
}

// textWidth is where key documentation wraps in text output.
const textWidth = 80

func writePluginText(w io.Writer, reg *connectors.Registry, p connectors.Plugin, own, common *config.Def) error {
	about, aliases := describeHeader(reg, p)
	fmt.Fprintf(w, "%s\n  %s\n", p.Class, about)
	if len(aliases) > 0 {
		fmt.Fprintf(w, "  aliases: %s\n", strings.Join(aliases, ", "))
	} else {
		fmt.Fprint(w, "  no alias: write the full class name\n")
	}
	if doc := strings.TrimSpace(p.Doc); doc != "" {
		fmt.Fprintf(w, "\n%s\n", doc)
	}
	fmt.Fprint(w, "\nKeys:\n")
	writeKeysText(w, own)
	if common != nil {
		fmt.Fprintf(w, "\n%s:\n", commonTitle(p))
		writeKeysText(w, common)
	}
	if ex := strings.TrimSpace(p.Example); ex != "" {
		fmt.Fprintf(w, "\nExample:\n\n%s\n", ex)
	}
	return nil
}

// writeKeysText writes each key as a heading line with its type, default
// and importance, then its valid values, status and documentation,
// indented; then the key prefixes.
func writeKeysText(w io.Writer, def *config.Def) {
	if len(def.Keys) == 0 && len(def.Prefixes) == 0 {
		fmt.Fprint(w, "  none\n")
		return
	}
	for i, ki := range def.ConfigKeyInfos() {
		k := def.Keys[i]
		dflt := "required"
		switch {
		case ki.DefaultValue == nil && !ki.Required:
			dflt = "no default"
		case ki.DefaultValue != nil && *ki.DefaultValue == "":
			dflt = `default ""`
		case ki.DefaultValue != nil:
			dflt = "default " + *ki.DefaultValue
		}
		fmt.Fprintf(w, "  %s (%s, %s, importance %s)\n", ki.Name, ki.Type, dflt, strings.ToLower(ki.Importance))
		if desc := config.Describe(k.Validate); desc != "" {
			fmt.Fprintf(w, "      valid values: %s\n", desc)
		}
		if k.Status != config.Active {
			fmt.Fprintf(w, "      status: %s\n", k.Status)
		}
		wrapText(w, ki.Documentation, "      ")
	}
	if len(def.Prefixes) > 0 {
		fmt.Fprint(w, "\n  Keys under these prefixes are passed on:\n")
		for _, p := range def.Prefixes {
			status := ""
			if p.Status != config.Active {
				status = " (" + p.Status.String() + ")"
			}
			fmt.Fprintf(w, "  %s*%s\n", p.Name, status)
			wrapText(w, p.Doc, "      ")
		}
	}
}

// wrapText writes s word-wrapped at textWidth, each line indented.
func wrapText(w io.Writer, s, indent string) {
	line := indent
	for _, word := range strings.Fields(s) {
		if len(line) > len(indent) && len(line)+1+len(word) > textWidth {
			fmt.Fprintln(w, line)
			line = indent
		}
		if len(line) > len(indent) {
			line += " "
		}
		line += word
	}
	if len(line) > len(indent) {
		fmt.Fprintln(w, line)
	}
}

func codeSpans(names []string) string {
	if len(names) == 0 {
		return ""
	}
	return "`" + strings.Join(names, "`, `") + "`"
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
