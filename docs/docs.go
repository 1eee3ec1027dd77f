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

	if err := add("transforms.md", "Transforms and predicates",
		transformsIntro, config.TransformStageDef()); err != nil {
		return nil, err
	}

	var index bytes.Buffer
	index.WriteString("# Built-in plugins\n\nGenerated from the code; `go generate ./docs` rewrites these pages.\n\n")
	index.WriteString("| Class | Kind | Aliases |\n|---|---|---|\n")
	for _, p := range reg.Plugins() {
		page := pageName(p)
		aliases := reg.Aliases(p)
		fmt.Fprintf(&index, "| [%s](%s) | %s | %s |\n", p.Class, page, p.Kind, codeList(aliases))
		var b bytes.Buffer
		fmt.Fprintf(&b, "# %s\n\n`%s`, a %s plugin. ", simpleName(p), p.Class, p.Kind)
		if len(aliases) > 0 {
			fmt.Fprintf(&b, "Aliases: %s.\n\n", codeList(aliases))
		} else {
			b.WriteString("It has no alias: Kafka computes none for a nested class, so write the full class name.\n\n")
		}
		if p.Doc != "" {
			fmt.Fprintf(&b, "%s\n\n", strings.TrimSpace(p.Doc))
		}
		switch p.Kind {
		case connectors.KindTransform:
			b.WriteString("Its keys are written under `transforms.<alias>.`, next to the keys every transform has (see [transforms](transforms.md)).\n\n")
		case connectors.KindPredicate:
			b.WriteString("Its keys are written under `predicates.<alias>.`, next to `predicates.<alias>.type` (see [transforms](transforms.md)).\n\n")
		}
		b.WriteString("## Configuration\n\n")
		if err := p.Def.WriteMarkdown(&b); err != nil {
			return nil, err
		}
		if p.Example != "" {
			fmt.Fprintf(&b, "\n## Example\n\n%s\n", strings.TrimSpace(p.Example))
		}
		pages[page] = b.Bytes()
	}
	index.WriteString("\nSee also [the worker](worker.md), [source connectors](source-connector.md), [sink connectors](sink-connector.md) and [transforms](transforms.md).\n")
	pages["README.md"] = index.Bytes()
	return pages, nil
}

const transformsIntro = `A connector file lists its transforms in order with ` + "`transforms=a,b`" + ` and configures
each under ` + "`transforms.<alias>.`" + `: the keys below, which every transform has, and the
transform's own keys (see each transform's page). Predicates are listed with ` + "`predicates=p`" + ` and
configured under ` + "`predicates.<alias>.`" + ` with ` + "`type`" + ` and their own keys.

Each record passes through the transforms in order. A transform with a predicate applies only
to records the predicate is true for (false for, with ` + "`negate=true`" + `); other records pass
unchanged. A transform that drops a record (Filter) ends the chain: the record is not sent, and
its source offset or Kafka offset still counts as processed, so it is not read again.

Transforms run before the converters on the source path and after them on the sink path.
A transform that fails stops the task with an error naming the transform, its class and the
record (topic, partition and offset, or source partition and offset).`

// simpleName is the class name without its package: "InsertField$Value".
func simpleName(p connectors.Plugin) string {
	return p.Class[strings.LastIndex(p.Class, ".")+1:]
}

func codeList(names []string) string {
	if len(names) == 0 {
		return ""
	}
	return "`" + strings.Join(names, "`, `") + "`"
}

// pageName names a plugin's page after its simple class name and kind, as a
// class can be both a converter and a header converter. A nested class's
// "$" becomes "-", which needs no escaping in links or shells.
func pageName(p connectors.Plugin) string {
	return fmt.Sprintf("%s.%s.md", strings.ReplaceAll(simpleName(p), "$", "-"), p.Kind)
}
