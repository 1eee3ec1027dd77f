package runner

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// stage is one transform of a connector's chain, with the predicate that
// decides whether it applies.
type stage struct {
	alias     string
	class     string
	transform connectors.Transform
	sink      connectors.SinkRecordTransform // set when transform reads sink coordinates

	predicate      connectors.Predicate // nil: the stage always applies
	predicateAlias string
	negate         bool
}

// chain is a connector's transforms in the order of its transforms key.
// A chain is safe for concurrent use by the connector's tasks.
type chain []stage

// buildChain configures the transforms and predicates named by a
// connector's transforms and predicates keys, reporting every problem at
// once, each naming its key as the user wrote it
// ("transforms.addTopic.topic.field"). warn receives what Kafka would
// silently ignore: unknown keys under a transform's prefix, unused
// predicates.
func buildChain(reg *connectors.Registry, vals config.Values, warn func(string)) (chain, error) {
	raw := vals.Raw()
	var errs []error
	predicates := make(map[string]connectors.Predicate)
	predicateClass := make(map[string]string)
	for _, alias := range vals.List(config.KeyPredicates) {
		prefix := config.KeyPredicates + "." + alias + "."
		p, settings, err := plugin(reg, raw, prefix, config.PredicateStageDef(), connectors.KindPredicate, warn)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		pred, err := p.NewPredicate(settings)
		if err != nil {
			errs = append(errs, embedError(prefix, err))
			continue
		}
		predicates[alias], predicateClass[alias] = pred, p.Class
	}

	used := make(map[string]bool)
	var out chain
	for _, alias := range vals.List(config.KeyTransforms) {
		prefix := config.KeyTransforms + "." + alias + "."
		st := stage{alias: alias}
		predicateKey, negateKey := prefix+config.KeyStagePredicate, prefix+config.KeyStageNegate
		_, hasPredicate := raw[predicateKey]
		if _, ok := raw[negateKey]; ok && !hasPredicate {
			errs = append(errs, &config.KeyError{Key: negateKey, Err: fmt.Errorf("%w: config '%s' was provided but there is no config '%s' defining a predicate to be negated",
				config.ErrInvalid, negateKey, predicateKey)})
		}
		p, settings, err := plugin(reg, raw, prefix, config.TransformStageDef(), connectors.KindTransform, warn)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		st.class = p.Class
		if name := strings.TrimSpace(raw[predicateKey]); hasPredicate {
			used[name] = true
			pred, ok := predicates[name]
			switch {
			case ok:
				st.predicate, st.predicateAlias = pred, name
				st.negate = strings.EqualFold(strings.TrimSpace(raw[negateKey]), "true")
			case slices.Contains(vals.List(config.KeyPredicates), name):
				// Its own configuration problem is reported above.
			default:
				errs = append(errs, &config.KeyError{Key: predicateKey, Err: fmt.Errorf("%w %q: no predicate has this alias; list it in predicates= and configure it with predicates.%s.type",
					config.ErrInvalid, name, name)})
			}
		}
		tr, err := p.NewTransform(settings)
		if err != nil {
			errs = append(errs, embedError(prefix, err))
			continue
		}
		st.transform = tr
		st.sink, _ = tr.(connectors.SinkRecordTransform)
		out = append(out, st)
	}
	for _, alias := range vals.List(config.KeyPredicates) {
		if !used[alias] {
			warn(fmt.Sprintf("predicate %q (%s) is not used by any transform", alias, predicateClass[alias]))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// plugin resolves the plugin named by prefix+"type" and parses its
// settings: once under their full names, for errors and warnings, and
// once without the prefix, for the plugin's constructor.
func plugin(reg *connectors.Registry, raw map[string]string, prefix string, implicit *config.Def, kind connectors.Kind, warn func(string)) (connectors.Plugin, config.Values, error) {
	typeKey := prefix + config.KeyStageType
	class, ok := raw[typeKey]
	if !ok || strings.TrimSpace(class) == "" {
		return connectors.Plugin{}, config.Values{}, &config.KeyError{Key: typeKey, Err: fmt.Errorf("%w %q which has no default value", config.ErrMissing, typeKey)}
	}
	p, err := reg.Lookup(class, kind)
	if err != nil {
		return connectors.Plugin{}, config.Values{}, &config.KeyError{Key: typeKey, Err: err}
	}
	def := implicit.Merge(p.Def)
	embedded := def.Embed(prefix)
	own := make(map[string]string)
	for k, v := range raw {
		if strings.HasPrefix(k, prefix) {
			own[k] = v
		}
	}
	if _, err := embedded.Parse(own); err != nil {
		return p, config.Values{}, err
	}
	for _, w := range embedded.Warnings(own) {
		warn(w)
	}
	settings, err := p.Def.Parse(config.Subset(raw, prefix))
	return p, settings, err
}

// embedError names a constructor's problem by its full key: a *KeyError
// for "static.value" becomes one for "transforms.a.static.value"; any
// other error is reported against the plugin's type key.
func embedError(prefix string, err error) error {
	var out []error
	for _, p := range config.Problems(err) {
		var ke *config.KeyError
		if errors.As(p, &ke) {
			out = append(out, &config.KeyError{Key: prefix + ke.Key, Err: ke.Err})
			continue
		}
		out = append(out, &config.KeyError{Key: prefix + config.KeyStageType, Err: p})
	}
	return errors.Join(out...)
}

// apply runs the chain over a record: each stage whose predicate passes
// (or fails, when negated) replaces the record; keep=false drops it and
// ends the chain, as a null does in Kafka. An error names the stage.
func (c chain) apply(r connectors.Record) (connectors.Record, bool, error) {
	out, keep, err := c.run(connectors.SinkRecord{Record: r}, false)
	return out.Record, keep, err
}

// applySink is apply for sink records, so transforms that read a record's
// Kafka offset see it. The record's original coordinates stay as they were.
func (c chain) applySink(r connectors.SinkRecord) (connectors.SinkRecord, bool, error) {
	return c.run(r, true)
}

// run is the chain itself; sink says whether r is a sink record, whose
// coordinates SinkRecordTransforms may read.
func (c chain) run(r connectors.SinkRecord, sink bool) (connectors.SinkRecord, bool, error) {
	for i := range c {
		st := &c[i]
		ok, err := st.applies(r.Record)
		if err != nil {
			return r, false, err
		}
		if !ok {
			continue
		}
		out, keep := r, false
		if sink && st.sink != nil {
			out, keep, err = st.sink.ApplySink(r)
			out.Offset, out.OriginalTopic, out.OriginalPartition = r.Offset, r.OriginalTopic, r.OriginalPartition
		} else {
			out.Record, keep, err = st.transform.Apply(r.Record)
		}
		if err != nil {
			return r, false, st.errorf(err)
		}
		if !keep {
			return r, false, nil
		}
		r = out
	}
	return r, true, nil
}

func (st *stage) applies(r connectors.Record) (bool, error) {
	if st.predicate == nil {
		return true, nil
	}
	ok, err := st.predicate.Test(r)
	if err != nil {
		return false, &stageError{stageTransformation, st.class, fmt.Errorf("predicate %s of transform %s: %w", st.predicateAlias, st.alias, err)}
	}
	return ok != st.negate, nil
}

func (st *stage) errorf(err error) error {
	return &stageError{stageTransformation, st.class, fmt.Errorf("transform %s (%s): %w", st.alias, st.class, err)}
}
