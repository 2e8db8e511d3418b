package phrasebook

// Hooks into the linter's automaton for the benchmarks in package
// phrasebook_test (lint_bench_test.go), which read their text from
// phrasebooktest (a package that imports this one).

// MatcherOccurrences is the number of occurrences the linter's automaton
// finds in text, before any context rule.
func MatcherOccurrences(l *Linter, text string) int { return len(l.m.find(text, nil, nil)) }

// MatcherSize is the number of states and character classes of the
// linter's automaton.
func MatcherSize(l *Linter) (states, classes int) { return l.m.states(), l.m.nclass }

// NewMatcherCounter compiles patterns into an automaton and returns a
// function counting their occurrences in a text.
func NewMatcherCounter(patterns []string) func(text string) int {
	m := newMatcher(patterns)
	return func(text string) int { return len(m.find(text, nil, nil)) }
}
