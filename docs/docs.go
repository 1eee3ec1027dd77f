// Package docs generates the configuration reference in docs/reference from
// the same key definitions the worker parses with, so the pages cannot drift
// from the code: TestReferenceUpToDate fails when they are stale.
package docs

//go:generate go test -run TestReferenceUpToDate -update

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/connectors/builtin"
)

// Reference returns every reference page by file name: the worker, the
// common connector keys, an index of plugins, and one page per plugin.
func Reference() (map[string][]byte, error) {
	reg, err := builtin.New(nil, nil)
	if err != nil {
		return nil, fmt.Errorf("build registry: %w", err)
	}
	pages := make(map[string][]byte)
	add := func(name, title, intro string, def *config.Def) error {
		var b bytes.Buffer
		fmt.Fprintf(&b, "# %s\n\n%s\n\n", title, intro)
		if err := def.WriteMarkdown(&b); err != nil {
			return err
		}
		pages[name] = b.Bytes()
		return nil
	}
	if err := add("worker.md", "Worker configuration",
		"Keys of the worker properties file, the first file on the command line.", config.WorkerDef()); err != nil {
		return nil, err
	}
	if err := add("source-connector.md", "Source connector configuration",
		"Keys every source connector file accepts, besides the connector's own.", config.SourceConnectorDef()); err != nil {
		return nil, err
	}
	if err := add("sink-connector.md", "Sink connector configuration",
		"Keys every sink connector file accepts, besides the connector's own.", config.SinkConnectorDef()); err != nil {
		return nil, err
	}

	var index bytes.Buffer
	index.WriteString("# Built-in plugins\n\nGenerated from the code; `go generate ./docs` rewrites these pages.\n\n")
	index.WriteString("| Class | Kind | Aliases |\n|---|---|---|\n")
	for _, p := range reg.Plugins() {
		page := pageName(p)
		fmt.Fprintf(&index, "| [%s](%s) | %s | %s |\n", p.Class, page, p.Kind, "`"+strings.Join(p.Aliases(), "`, `")+"`")
		intro := fmt.Sprintf("`%s`, a %s plugin. Aliases: `%s`.", p.Class, p.Kind, strings.Join(p.Aliases(), "`, `"))
		if err := add(page, p.Aliases()[0], intro, p.Def); err != nil {
			return nil, err
		}
	}
	index.WriteString("\nSee also [the worker](worker.md), [source connectors](source-connector.md) and [sink connectors](sink-connector.md).\n")
	pages["README.md"] = index.Bytes()
	return pages, nil
}

// pageName names a plugin's page after its simple class name and kind, as a
// class can be both a converter and a header converter.
func pageName(p connectors.Plugin) string {
	return fmt.Sprintf("%s.%s.md", p.Aliases()[0], p.Kind)
}
