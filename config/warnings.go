package config

import (
	"fmt"
	"slices"
)

// Warnings describes the keys of raw that will not do what their author may
// expect, one sentence each, sorted by key:
//
//   - keys d neither declares nor covers by a prefix, as Kafka logs unused
//     keys, with the nearest declared key when one is close (a likely typo);
//   - Removed keys, with the reason from their Doc;
//   - DistributedOnly keys, which have no effect in standalone mode;
//   - NotUsedYet keys, accepted for compatibility but without effect yet.
//
// Callers log them; strict validation turns them into errors.
func (d *Def) Warnings(raw map[string]string) []string {
	names := make([]string, 0, len(raw))
	for name := range raw {
		names = append(names, name)
	}
	slices.Sort(names)
	var out []string
	for _, name := range names {
		status, doc := Active, ""
		if k, ok := d.Key(name); ok {
			status, doc = k.Status, k.Doc
		} else if p, ok := d.prefix(name); ok {
			status, doc = p.Status, p.Doc
		} else {
			msg := fmt.Sprintf("%q is not a known configuration key and is ignored", name)
			if near := d.nearest(name); near != "" {
				msg += fmt.Sprintf("; did you mean %q?", near)
			}
			out = append(out, msg)
			continue
		}
		switch status {
		case NotUsedYet:
			out = append(out, fmt.Sprintf("%q is accepted but not used yet: it has no effect", name))
		case DistributedOnly:
			out = append(out, fmt.Sprintf("%q has no effect in standalone mode: it configures distributed mode only", name))
		case Removed:
			out = append(out, fmt.Sprintf("%q is deprecated and ignored: %s", name, doc))
		}
	}
	return out
}

// nearest returns the declared key closest to name by edit distance, when
// it is close enough to be a likely typo.
func (d *Def) nearest(name string) string {
	limit := max(1, len(name)/4)
	best, bestDist := "", limit+1
	for _, k := range d.Keys {
		if k.Status == Removed {
			continue
		}
		if dist := EditDistance(name, k.Name, bestDist); dist < bestDist {
			best, bestDist = k.Name, dist
		}
	}
	return best
}

// EditDistance is the Levenshtein distance of a and b in bytes, or any
// value of at least limit once it is known to reach limit. It ranks the
// "did you mean" suggestions for mistyped keys and class names.
func EditDistance(a, b string, limit int) int {
	if d := len(a) - len(b); d >= limit || -d >= limit {
		return limit
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin >= limit {
			return limit
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
