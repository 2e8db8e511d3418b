// Package lintbench measures the phrasebook linter against a fair
// baseline: a maintained Aho–Corasick library (github.com/coregx/ahocorasick)
// finding every occurrence of the same patterns in the same text. It is a
// nested module so that the core module does not depend on the library;
// it holds benchmarks and their checks only.
//
//	cd phrasebook/lintbench && go test -run '^$' -bench LintVsAhoCorasick .
package lintbench
