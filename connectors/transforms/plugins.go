package transforms

import (
	"slices"

	"github.com/connect-standalone/connect-standalone/connectors"
)

// Plugins returns every built-in transform and predicate. Each call
// returns a new slice.
func Plugins() []connectors.Plugin {
	return slices.Concat(
		fieldPlugins(),
		conversionPlugins(),
		routingPlugins(),
		headerPlugins(),
		predicatePlugins(),
	)
}
