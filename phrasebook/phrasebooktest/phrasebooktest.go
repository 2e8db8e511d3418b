// Package phrasebooktest provides text for tests and benchmarks of the
// phrasebook linter, so that phrasebook's own benchmarks and the
// comparison module phrasebook/lintbench measure one and the same text.
package phrasebooktest

import (
	_ "embed"
	"errors"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/servicedesk-go/desk/phrasebook"
)

//go:embed mixed.tsv
var mixedTSV string

// Sentences returns the plain (ok) and the faulty (bad) sentences of
// mixed.tsv, in file order.
func Sentences() (ok, bad []string) {
	for _, line := range strings.Split(mixedTSV, "\n") {
		kind, text, found := strings.Cut(line, "\t")
		switch {
		case !found || strings.HasPrefix(line, "#"):
		case kind == "ok":
			ok = append(ok, text)
		case kind == "bad":
			bad = append(bad, text)
		}
	}
	return ok, bad
}

// MixedText returns about n bytes (at least n, at most one sentence more)
// of mixed Chinese/English agent text, the same for the same catalogue
// and n: from a fixed seed, sentences drawn from the catalogue's phrases
// that render without values (every language) and the plain sentences
// of Sentences, and one time in twenty a faulty one; each followed by a
// space or, one time in four, a line break.
func MixedText(c *phrasebook.Catalogue, n int) (string, error) {
	if c == nil {
		return "", errors.New("phrasebooktest: nil catalogue")
	}
	var pool []string
	for _, p := range c.Phrases("") {
		for _, lang := range slices.Sorted(maps.Keys(p.Text)) {
			if s := p.Text[lang]; !strings.Contains(s, "{") {
				pool = append(pool, s)
			}
		}
	}
	ok, bad := Sentences()
	pool = append(pool, ok...)
	if len(pool) == 0 || len(bad) == 0 {
		return "", errors.New("phrasebooktest: no plain or no faulty sentences to mix")
	}
	rng := rand.New(rand.NewPCG(2024, 1))
	var b strings.Builder
	b.Grow(n + 256)
	for b.Len() < n {
		if rng.IntN(20) == 0 {
			b.WriteString(bad[rng.IntN(len(bad))])
		} else {
			b.WriteString(pool[rng.IntN(len(pool))])
		}
		if rng.IntN(4) == 0 {
			b.WriteByte('\n')
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String(), nil
}

// Bench returns what the linter's benchmarks measure: the default linter
// (the built-in catalogue, the zero LintPolicy) and MixedText of about n
// bytes drawn from the same catalogue. Both phrasebook's own benchmarks
// and phrasebook/lintbench call it, so they time one linter on one text.
func Bench(n int) (*phrasebook.Linter, string, error) {
	c, err := phrasebook.Builtin()
	if err != nil {
		return nil, "", err
	}
	l, err := phrasebook.NewLinter(c, phrasebook.LintPolicy{})
	if err != nil {
		return nil, "", err
	}
	text, err := MixedText(c, n)
	if err != nil {
		return nil, "", err
	}
	return l, text, nil
}
