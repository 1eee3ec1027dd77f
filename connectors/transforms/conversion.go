package transforms

import (
	"slices"

	"github.com/connect-standalone/connect-standalone/connectors"
)

// conversionPlugins returns the transforms that change types and shapes
// (Cast, TimestampConverter, Flatten) and TimestampRouter.
func conversionPlugins() []connectors.Plugin {
	return slices.Concat(
		castPlugins(),
		timestampConverterPlugins(),
		flattenPlugins(),
		[]connectors.Plugin{timestampRouterPlugin()},
	)
}
