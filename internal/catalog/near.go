package catalog

import (
	"sort"
	"strings"
)

// Near returns the names and aliases of providers closest to name, if they
// are at most maxEdits edits away (case-insensitive); an exact match is not
// near. At most two, for a did-you-mean.
func (c *Catalog) Near(name string, maxEdits int) []string {
	type hit struct {
		name string
		d    int
	}
	var hits []hit
	lname := strings.ToLower(name)
	for _, p := range c.providers {
		for _, n := range append([]string{p.Name}, p.Aliases...) {
			if d := levenshtein(lname, strings.ToLower(n)); d > 0 && d <= maxEdits {
				hits = append(hits, hit{n, d})
			}
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].d < hits[j].d })
	var out []string
	for _, h := range hits {
		if h.d == hits[0].d && len(out) < 2 {
			out = append(out, h.name)
		}
	}
	return out
}
