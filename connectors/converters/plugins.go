package converters

import "github.com/connect-standalone/connect-standalone/connectors"

// Plugins returns the built-in converter plugins. Like Kafka,
// StringConverter, ByteArrayConverter, JsonConverter, the number converters
// and BooleanConverter are registered both as converters and as header
// converters; SimpleHeaderConverter only as a header converter. Each call
// returns a new slice.
func Plugins() []connectors.Plugin {
	out := append([]connectors.Plugin{
		{
			Class: ClassStringConverter, Kind: connectors.KindConverter, Version: connectors.Version, Def: stringDef,
			NewConverter: func(cfg map[string]string) (connectors.Converter, error) { return asConverter(NewStringConverter(cfg)) },
		},
		{
			Class: ClassStringConverter, Kind: connectors.KindHeaderConverter, Version: connectors.Version, Def: stringDef,
			NewHeaderConverter: func(cfg map[string]string) (connectors.HeaderConverter, error) {
				return asHeaderConverter(NewStringConverter(cfg))
			},
		},
		{
			Class: ClassByteArrayConverter, Kind: connectors.KindConverter, Version: connectors.Version, Def: byteArrayDef,
			NewConverter: func(cfg map[string]string) (connectors.Converter, error) {
				return asConverter(NewByteArrayConverter(cfg))
			},
		},
		{
			Class: ClassByteArrayConverter, Kind: connectors.KindHeaderConverter, Version: connectors.Version, Def: byteArrayDef,
			NewHeaderConverter: func(cfg map[string]string) (connectors.HeaderConverter, error) {
				return asHeaderConverter(NewByteArrayConverter(cfg))
			},
		},
		{
			Class: ClassJsonConverter, Kind: connectors.KindConverter, Version: connectors.Version, Def: jsonDef,
			NewConverter: func(cfg map[string]string) (connectors.Converter, error) { return asConverter(NewJsonConverter(cfg)) },
		},
		{
			Class: ClassJsonConverter, Kind: connectors.KindHeaderConverter, Version: connectors.Version, Def: jsonDef,
			NewHeaderConverter: func(cfg map[string]string) (connectors.HeaderConverter, error) {
				return asHeaderConverter(NewJsonConverter(cfg))
			},
		},
		{
			Class: ClassSimpleHeaderConverter, Kind: connectors.KindHeaderConverter, Version: connectors.Version, Def: simpleHeaderDef,
			NewHeaderConverter: func(cfg map[string]string) (connectors.HeaderConverter, error) {
				return asHeaderConverter(NewSimpleHeaderConverter(cfg))
			},
		},
	}, primitivePlugins()...)
	for i := range out {
		d := converterDocs[out[i].Class]
		out[i].Doc, out[i].Example = d.doc, d.example
	}
	return out
}

// asConverter and asHeaderConverter keep a failed constructor's nil
// pointer from becoming a non-nil interface.
func asConverter[C connectors.Converter](c C, err error) (connectors.Converter, error) {
	if err != nil {
		return nil, err
	}
	return c, nil
}

func asHeaderConverter[C connectors.HeaderConverter](c C, err error) (connectors.HeaderConverter, error) {
	if err != nil {
		return nil, err
	}
	return c, nil
}
