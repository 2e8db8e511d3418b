package lintbench

import (
	"math/rand/v2"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/coregx/ahocorasick"
	"github.com/servicedesk-go/desk/phrasebook"
)

// mixedText builds about n bytes of mixed Chinese/English agent text from
// a fixed seed: catalogue phrases, plain sentences and, one time in
// twenty, a forbidden or refusing one.
func mixedText(tb testing.TB, n int) string {
	tb.Helper()
	c, err := phrasebook.Builtin()
	if err != nil {
		tb.Fatal(err)
	}
	var pool []string
	for _, p := range c.Phrases("") {
		for _, s := range p.Text {
			if !strings.Contains(s, "{") {
				pool = append(pool, s)
			}
		}
	}
	ok, bad := benchSentences(tb, "../testdata/bench_mixed.tsv")
	pool = append(pool, ok...)
	rng := rand.New(rand.NewPCG(2024, 1))
	var b strings.Builder
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
	return b.String()
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
// which a busy machine disturbs less.
func BenchmarkLintVsAhoCorasick(b *testing.B) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	c, err := phrasebook.Builtin()
	if err != nil {
		b.Fatal(err)
	}
	l, err := phrasebook.NewLinter(c, phrasebook.LintPolicy{})
	if err != nil {
		b.Fatal(err)
	}
	base := newBaseline(b, l.Patterns())
	text := mixedText(b, 1<<20)
	var tLint, tAC, cLint, cAC time.Duration
	_, haveCPU := threadCPU()
	for b.Loop() {
		c0, _ := threadCPU()
		t0 := time.Now()
		if len(l.Lint(text)) == 0 {
			b.Fatal("no findings")
		}
		t1 := time.Now()
		c1, _ := threadCPU()
		if base.occurrences(text) == 0 {
			b.Fatal("no occurrences")
		}
		t2 := time.Now()
		c2, _ := threadCPU()
		tLint += t1.Sub(t0)
		tAC += t2.Sub(t1)
		cLint += c1 - c0
		cAC += c2 - c1
	}
	mb := float64(len(text)) * float64(b.N) / 1e6
	b.ReportMetric(mb/tLint.Seconds(), "lint-MB/s")
	b.ReportMetric(mb/tAC.Seconds(), "ac-MB/s")
	b.ReportMetric(tAC.Seconds()/tLint.Seconds(), "lint/ac")
	if haveCPU && cLint > 0 && cAC > 0 {
		b.ReportMetric(mb/cLint.Seconds(), "cpu-lint-MB/s")
		b.ReportMetric(mb/cAC.Seconds(), "cpu-ac-MB/s")
		b.ReportMetric(cAC.Seconds()/cLint.Seconds(), "cpu-lint/ac")
	}
}

// The baseline does the same matching: on text without stray whitespace
// or word-glued English, the library finds exactly the occurrences the
// linter's automaton starts from, so the benchmark compares like with
// like. (Counted through a linter-independent check: every finding's
// fragment is among the library's occurrences.)
func TestBaselineFindsWhatLintFinds(t *testing.T) {
	c, err := phrasebook.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	l, err := phrasebook.NewLinter(c, phrasebook.LintPolicy{})
	if err != nil {
		t.Fatal(err)
	}
	base := newBaseline(t, l.Patterns())
	text := mixedText(t, 64<<10)
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

// benchSentences reads the plain and the faulty sentences that the
// benchmarks mix with the catalogue (testdata/bench_mixed.tsv, shared by
// phrasebook's and lintbench's benchmarks so both measure one text).
func benchSentences(tb testing.TB, path string) (ok, bad []string) {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		kind, text, found := strings.Cut(line, "\t")
		switch {
		case !found || strings.HasPrefix(line, "#"):
		case kind == "ok":
			ok = append(ok, text)
		case kind == "bad":
			bad = append(bad, text)
		}
	}
	if len(ok) == 0 || len(bad) == 0 {
		tb.Fatalf("%s holds no ok or no bad sentence", path)
	}
	return ok, bad
}
