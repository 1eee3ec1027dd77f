package transforms

import "github.com/connect-standalone/connect-standalone/connectors"

// routingPlugins returns the transforms that decide where a record goes:
// to another topic, or nowhere.
func routingPlugins() []connectors.Plugin {
	return []connectors.Plugin{
		{
			Class:        Package + ".RegexRouter",
			Kind:         connectors.KindTransform,
			Version:      connectors.Version,
			Def:          regexRouterDef,
			Doc:          regexRouterDoc,
			Example:      regexRouterExample,
			NewTransform: newRegexRouter,
		},
		{
			Class:        Package + ".Filter",
			Kind:         connectors.KindTransform,
			Version:      connectors.Version,
			Def:          filterDef,
			Doc:          filterDoc,
			Example:      filterExample,
			NewTransform: newFilter,
		},
	}
}
