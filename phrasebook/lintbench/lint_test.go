package lintbench

import (
	"runtime"
	"testing"
	"time"

	"github.com/coregx/ahocorasick"
	"github.com/servicedesk-go/desk/phrasebook"
	"github.com/servicedesk-go/desk/phrasebook/phrasebooktest"
)

// setup returns the default linter and the 1 MiB (or n bytes) of mixed
// Chinese/English text phrasebook's own benchmarks read too.
func setup(tb testing.TB, n int) (*phrasebook.Linter, string) {
	tb.Helper()
	l, text, err := phrasebooktest.Bench(n)
	if err != nil {
		tb.Fatal(err)
	}
	return l, text
}

// acBaseline is the straightforward use of the library for the same
// matching: fold ASCII letters to lower case (the library matches bytes
// exactly, the linter's patterns are lower case) and collect every
// occurrence, overlapping ones included.
type acBaseline struct {
	ac  *ahocorasick.Automaton
	buf []byte
}

func newBaseline(tb testing.TB, pats []string) *acBaseline {
	tb.Helper()
	ac, err := ahocorasick.NewBuilder().AddStrings(pats).Build()
	if err != nil {
		tb.Fatal(err)
	}
	return &acBaseline{ac: ac}
}

func (a *acBaseline) occurrences(text string) int {
	a.buf = append(a.buf[:0], text...)
	for i, c := range a.buf {
		if c >= 'A' && c <= 'Z' {
			a.buf[i] = c + ('a' - 'A')
		}
	}
	return len(a.ac.FindAllOverlapping(a.buf))
}

// BenchmarkLintVsAhoCorasick times, on the same 1 MiB of mixed text and
// alternating within every iteration, the public Lint (matching, context
// rules, findings with positions and suggestions) and the library finding
// every occurrence of the linter's own patterns (Linter.Patterns). It
// reports both throughputs by the wall clock and lint/ac, the linter's
// speed as a multiple of the library's (target >= 1.0); on Linux also
// cpu-lint/ac, the same ratio by the CPU time of the benchmark's thread,
// which a busy machine disturbs less. The library matches bytes exactly,
// so its side folds ASCII letters first (Lint folds inside its
// automaton); lint/acmatch and cpu-lint/acmatch compare with the
// library's matching alone on a text folded before the loop, the
// stricter ratio.
func BenchmarkLintVsAhoCorasick(b *testing.B) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	l, text := setup(b, 1<<20)
	base := newBaseline(b, l.Patterns())
	// The library's matching alone, on a copy of the text folded once
	// before the loop: the stricter comparison, in which the case folding
	// the library needs is not counted (Lint folds inside its automaton).
	base.occurrences(text)
	folded := append([]byte(nil), base.buf...)
	var tLint, tAC, tMatch, cLint, cAC, cMatch time.Duration
	_, haveCPU := phrasebooktest.ThreadCPU()
	for b.Loop() {
		c0, _ := phrasebooktest.ThreadCPU()
		t0 := time.Now()
		if len(l.Lint(text)) == 0 {
			b.Fatal("no findings")
		}
		t1 := time.Now()
		c1, _ := phrasebooktest.ThreadCPU()
		if base.occurrences(text) == 0 {
			b.Fatal("no occurrences")
		}
		t2 := time.Now()
		c2, _ := phrasebooktest.ThreadCPU()
		if len(base.ac.FindAllOverlapping(folded)) == 0 {
			b.Fatal("no occurrences")
		}
		t3 := time.Now()
		c3, _ := phrasebooktest.ThreadCPU()
		tLint += t1.Sub(t0)
		tAC += t2.Sub(t1)
		tMatch += t3.Sub(t2)
		cLint += c1 - c0
		cAC += c2 - c1
		cMatch += c3 - c2
	}
	mb := float64(len(text)) * float64(b.N) / 1e6
	b.ReportMetric(mb/tLint.Seconds(), "lint-MB/s")
	b.ReportMetric(mb/tAC.Seconds(), "ac-MB/s")
	b.ReportMetric(tAC.Seconds()/tLint.Seconds(), "lint/ac")
	b.ReportMetric(mb/tMatch.Seconds(), "acmatch-MB/s")
	b.ReportMetric(tMatch.Seconds()/tLint.Seconds(), "lint/acmatch")
	if haveCPU && cLint > 0 && cAC > 0 && cMatch > 0 {
		b.ReportMetric(mb/cLint.Seconds(), "cpu-lint-MB/s")
		b.ReportMetric(mb/cAC.Seconds(), "cpu-ac-MB/s")
		b.ReportMetric(cAC.Seconds()/cLint.Seconds(), "cpu-lint/ac")
		b.ReportMetric(mb/cMatch.Seconds(), "cpu-acmatch-MB/s")
		b.ReportMetric(cMatch.Seconds()/cLint.Seconds(), "cpu-lint/acmatch")
	}
}

// The baseline does the same matching: on text without stray whitespace
// or word-glued English, the library finds exactly the occurrences the
// linter's automaton starts from, so the benchmark compares like with
// like. (Counted through a linter-independent check: every finding's
// fragment is among the library's occurrences.)
func TestBaselineFindsWhatLintFinds(t *testing.T) {
	l, text := setup(t, 64<<10)
	base := newBaseline(t, l.Patterns())
	base.occurrences(text)
	type span struct{ s, e int }
	found := map[span]bool{}
	for _, m := range base.ac.FindAllOverlapping(base.buf) {
		found[span{m.Start, m.End}] = true
	}
	fs := l.Lint(text)
	if len(fs) < 10 {
		t.Fatalf("only %d findings", len(fs))
	}
	for _, f := range fs {
		if !found[span{f.Offset, f.End}] {
			t.Fatalf("finding %q at %d..%d is not an occurrence the library found", f.Fragment, f.Offset, f.End)
		}
	}
}
