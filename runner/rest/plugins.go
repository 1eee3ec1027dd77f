package rest

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// pluginType is a plugin kind as Kafka's REST API names it.
func pluginType(k connectors.Kind) string {
	switch k {
	case connectors.KindSource:
		return "source"
	case connectors.KindSink:
		return "sink"
	case connectors.KindConverter:
		return "converter"
	case connectors.KindHeaderConverter:
		return "header_converter"
	case connectors.KindTransform:
		return "transformation"
	case connectors.KindPredicate:
		return "predicate"
	}
	return "unknown"
}

type pluginBody struct {
	Class   string `json:"class"`
	Type    string `json:"type"`
	Version string `json:"version,omitempty"`
}

// listPlugins lists connectors only unless connectorsOnly=false, in Kafka's
// order: sinks, sources, transformations, predicates, converters, header
// converters.
func (s *Server) listPlugins(w http.ResponseWriter, r *http.Request) {
	kinds := []connectors.Kind{connectors.KindSink, connectors.KindSource}
	if v := r.URL.Query().Get("connectorsOnly"); strings.EqualFold(v, "false") {
		kinds = append(kinds, connectors.KindTransform, connectors.KindPredicate, connectors.KindConverter, connectors.KindHeaderConverter)
	}
	out := []pluginBody{}
	for _, k := range kinds {
		ps := s.opts.Registry.Plugins(k)
		slices.SortFunc(ps, func(a, b connectors.Plugin) int { return strings.Compare(a.Class, b.Class) })
		for _, p := range ps {
			out = append(out, pluginBody{Class: p.Class, Type: pluginType(p.Kind), Version: p.Version})
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// shown reports whether a declared key is one a user of this worker sets.
func shown(k config.Key) bool {
	return k.Status != config.DistributedOnly && k.Status != config.Removed
}

func (s *Server) pluginConfig(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("plugin")
	p, err := s.opts.Registry.Lookup(name, connectors.KindSource, connectors.KindSink, connectors.KindConverter,
		connectors.KindHeaderConverter, connectors.KindTransform, connectors.KindPredicate)
	if err != nil {
		writeError(w, http.StatusNotFound, fmt.Sprintf("Unknown plugin %s.", name))
		return
	}
	var keys []config.Key
	if p.Def != nil {
		keys = append(keys, p.Def.Keys...)
	}
	switch p.Kind {
	case connectors.KindSource:
		keys = append(keys, config.SourceConnectorDef().Keys...)
	case connectors.KindSink:
		keys = append(keys, config.SinkConnectorDef().Keys...)
	}
	writeJSON(w, http.StatusOK, shownKeys(keys).ConfigKeyInfos())
}

// shownKeys is a Def of the keys a user of this worker sets.
func shownKeys(keys []config.Key) *config.Def {
	d := &config.Def{}
	for _, k := range keys {
		if shown(k) {
			d.Keys = append(d.Keys, k)
		}
	}
	return d
}

type valueInfo struct {
	Name              string   `json:"name"`
	Value             *string  `json:"value"`
	RecommendedValues []string `json:"recommended_values"`
	Errors            []string `json:"errors"`
	Visible           bool     `json:"visible"`
}

type configInfo struct {
	Definition *config.ConfigKeyInfo `json:"definition"`
	Value      valueInfo             `json:"value"`
}

type configInfos struct {
	Name       string       `json:"name"`
	ErrorCount int          `json:"error_count"`
	Groups     []string     `json:"groups"`
	Configs    []configInfo `json:"configs"`
}

// normalizeType strips a trailing "Connector" and lowercases, as Kafka
// compares a path's plugin type with the body's connector.class.
func normalizeType(s string) string {
	s = strings.ToLower(s[strings.LastIndexAny(s, ".$")+1:])
	return strings.TrimSuffix(s, "connector")
}

// validate checks a connector configuration as creating it would, and
// answers 200 with every key's definition, value and errors, as Kafka's
// ConfigInfos, whether or not it is valid.
func (s *Server) validate(w http.ResponseWriter, r *http.Request) {
	pathType := r.PathValue("plugin")
	var cfg map[string]*string
	if !readJSON(w, r, &cfg) {
		return
	}
	raw := make(map[string]string, len(cfg))
	nulls := make(map[string]bool)
	for k, v := range cfg {
		if v == nil {
			nulls[k] = true
			continue
		}
		raw[k] = *v
	}
	if class, ok := raw[config.KeyConnectorClass]; ok && !strings.HasSuffix(normalizeType(class), normalizeType(pathType)) {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("Included connector type %s does not match request type %s", class, pathType))
		return
	}
	if _, ok := raw[config.KeyConnectorClass]; !ok {
		raw[config.KeyConnectorClass] = pathType
	}
	_, def, problems := s.opts.Worker.ValidateConfig(raw)
	byKey := make(map[string][]string)
	var other []string
	for _, p := range problems {
		var ke *config.KeyError
		if errors.As(p, &ke) {
			byKey[ke.Key] = append(byKey[ke.Key], ke.Err.Error())
			continue
		}
		other = append(other, p.Error())
	}
	for k := range nulls {
		byKey[k] = append(byKey[k], "Null value can not be supplied as the configuration value.")
	}
	out := configInfos{Name: raw[config.KeyConnectorClass], Groups: []string{}, Configs: []configInfo{}}
	seen := make(map[string]bool)
	if def != nil {
		for _, info := range shownKeys(def.Keys).ConfigKeyInfos() {
			seen[info.Name] = true
			if info.Group != nil && !slices.Contains(out.Groups, *info.Group) {
				out.Groups = append(out.Groups, *info.Group)
			}
			out.Configs = append(out.Configs, configInfo{Definition: &info, Value: s.valueInfo(info.Name, raw, byKey)})
		}
	}
	extra := slices.Sorted(func(yield func(string) bool) {
		for k := range cfg {
			if !seen[k] && !yield(k) {
				return
			}
		}
		for k := range byKey {
			if _, inCfg := cfg[k]; !inCfg && !seen[k] && !yield(k) {
				return
			}
		}
	})
	for _, k := range slices.Compact(extra) {
		out.Configs = append(out.Configs, configInfo{Value: s.valueInfo(k, raw, byKey)})
	}
	if len(other) > 0 {
		out.Configs = append(out.Configs, configInfo{Value: valueInfo{Name: "", Errors: other, RecommendedValues: []string{}, Visible: true}})
	}
	for _, c := range out.Configs {
		out.ErrorCount += len(c.Value.Errors)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) valueInfo(key string, raw map[string]string, byKey map[string][]string) valueInfo {
	v := valueInfo{Name: key, RecommendedValues: []string{}, Errors: byKey[key], Visible: true}
	if v.Errors == nil {
		v.Errors = []string{}
	}
	if val, ok := raw[key]; ok {
		v.Value = &val
	}
	return v
}

// --- loggers -------------------------------------------------------------------

type loggerBody struct {
	Level        string `json:"level"`
	LastModified *int64 `json:"last_modified"`
}

// The worker has one logger, "root", whose level the API reads and sets.
const rootLogger = "root"

func (s *Server) level() slog.Level {
	if s.opts.Level == nil {
		return slog.LevelInfo
	}
	return s.opts.Level.Level()
}

// kafkaLevel spells a slog level as log4j does.
func kafkaLevel(l slog.Level) string {
	switch {
	case l < slog.LevelDebug:
		return "TRACE"
	case l < slog.LevelInfo:
		return "DEBUG"
	case l < slog.LevelWarn:
		return "INFO"
	case l < slog.LevelError:
		return "WARN"
	}
	return "ERROR"
}

func (s *Server) loggerBody(name string) loggerBody {
	b := loggerBody{Level: kafkaLevel(s.level())}
	if at, ok := s.loggers[name]; ok {
		ms := at.UnixMilli()
		b.LastModified = &ms
	}
	return b
}

func (s *Server) listLoggers(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]loggerBody{rootLogger: s.loggerBody(rootLogger)})
}

func (s *Server) getLogger(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("logger")
	if name != rootLogger {
		writeError(w, http.StatusNotFound, fmt.Sprintf("Logger %s not found.", name))
		return
	}
	writeJSON(w, http.StatusOK, s.loggerBody(name))
}

// setLogger sets the level of the root logger, the only one this worker
// has; any other name is refused rather than silently ignored.
func (s *Server) setLogger(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("logger")
	var body struct {
		Level *string `json:"level"`
	}
	if !readJSON(w, r, &body) {
		return
	}
	if body.Level == nil {
		writeError(w, http.StatusBadRequest, "Desired 'level' parameter was not specified in request.")
		return
	}
	var lvl slog.Level
	switch strings.ToUpper(*body.Level) {
	case "TRACE", "DEBUG":
		lvl = slog.LevelDebug
	case "INFO":
		lvl = slog.LevelInfo
	case "WARN":
		lvl = slog.LevelWarn
	case "ERROR", "FATAL":
		lvl = slog.LevelError
	default:
		writeError(w, http.StatusNotFound, fmt.Sprintf("invalid log level '%s'.", *body.Level))
		return
	}
	if name != rootLogger {
		writeError(w, http.StatusNotFound, fmt.Sprintf("Logger %s not found: this worker has one logger, %s.", name, rootLogger))
		return
	}
	if s.opts.Level == nil {
		writeError(w, http.StatusForbidden, "the log level cannot be changed at run time")
		return
	}
	s.opts.Level.Set(lvl)
	s.loggers[name] = time.Now()
	if r.URL.Query().Get("scope") == "cluster" {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	writeJSON(w, http.StatusOK, []string{rootLogger})
}
