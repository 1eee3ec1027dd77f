package transforms

import "github.com/connect-standalone/connect-standalone/connectors"

// headerPlugins returns the transforms that add or remove headers.
func headerPlugins() []connectors.Plugin {
	return []connectors.Plugin{
		{
			Class:        Package + ".InsertHeader",
			Kind:         connectors.KindTransform,
			Version:      connectors.Version,
			Def:          insertHeaderDef,
			Doc:          insertHeaderDoc,
			Example:      insertHeaderExample,
			NewTransform: newInsertHeader,
		},
		{
			Class:        Package + ".DropHeaders",
			Kind:         connectors.KindTransform,
			Version:      connectors.Version,
			Def:          dropHeadersDef,
			Doc:          dropHeadersDoc,
			Example:      dropHeadersExample,
			NewTransform: newDropHeaders,
		},
	}
}
