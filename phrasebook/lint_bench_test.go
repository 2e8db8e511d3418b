package phrasebook

import (
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"strings"
	"testing"
)

// benchText builds about n bytes of mixed Chinese/English agent text:
// catalogue phrases, plain sentences and, now and then, a forbidden
// fragment, from a fixed seed.
func benchText(tb testing.TB, n int) string {
	tb.Helper()
	c := builtin(tb)
	var pool []string
	for _, p := range c.Phrases("") {
		for _, s := range p.Text {
			if !strings.Contains(s, "{") {
				pool = append(pool, s)
			}
		}
	}
	ok, bad := benchSentences(tb, "testdata/bench_mixed.tsv")
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

// baselineOccurrences is the straightforward approach: every occurrence of
// every pattern with its position, by strings.Index in a loop over a
// lower-cased copy of the text.
func baselineOccurrences(pats []string, text string) int {
	lower := strings.ToLower(text)
	n := 0
	for _, pat := range pats {
		for from := 0; ; {
			i := strings.Index(lower[from:], pat)
			if i < 0 {
				break
			}
			n++
			from += i + 1
		}
	}
	return n
}

// BenchmarkLint compares, in the same run and on the same 1 MiB of mixed
// text: Matcher (the automaton's one pass, all occurrences), Lint (the
// pass plus resolution and positions) and Baseline (strings.Index per
// pattern). Read the ratio from the MB/s columns; Lint also reports
// cpu-MB/s, its throughput by the CPU time of its thread (on Linux).
// The comparison with a maintained Aho–Corasick library is in the nested
// module phrasebook/lintbench.
func BenchmarkLint(b *testing.B) {
	l := linter(b, LintPolicy{})
	text := benchText(b, 1<<20)
	b.Logf("patterns: %d, automaton states: %d, byte classes: %d", len(l.pats), l.m.states(), l.m.nclass)
	b.Run("Baseline", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			if baselineOccurrences(l.pats, text) == 0 {
				b.Fatal("no occurrences")
			}
		}
	})
	b.Run("Matcher", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			n := 0
			l.m.scan(text, func(p, s, e int) { n++ })
			if n == 0 {
				b.Fatal("no occurrences")
			}
		}
	})
	b.Run("Lint", func(b *testing.B) {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		b.SetBytes(int64(len(text)))
		c0, ok := threadCPU()
		for b.Loop() {
			if len(l.Lint(text)) == 0 {
				b.Fatal("no findings")
			}
		}
		if c1, _ := threadCPU(); ok && c1 > c0 {
			b.ReportMetric(float64(len(text))*float64(b.N)/1e6/(c1-c0).Seconds(), "cpu-MB/s")
		}
	})
}

// BenchmarkLintMessage: one typical chat message, the per-message cost.
func BenchmarkLintMessage(b *testing.B) {
	l := linter(b, LintPolicy{})
	msg := "很抱歉,经理暂时不在,需要给他留言吗? Sorry, the manager is not available at the moment."
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	for b.Loop() {
		if len(l.Lint(msg)) != 0 {
			b.Fatal("approved text flagged")
		}
	}
}

// The baseline and the automaton agree on the number of occurrences in
// the benchmark text (modulo word boundaries, which only the automaton
// applies, so the automaton never finds more).
func TestBenchmarkBaselineAgrees(t *testing.T) {
	l := linter(t, LintPolicy{})
	text := benchText(t, 64<<10)
	n := 0
	l.m.scan(text, func(p, s, e int) { n++ })
	base := baselineOccurrences(l.pats, text)
	if n == 0 || n > base {
		t.Fatalf("automaton %d occurrences, baseline %d", n, base)
	}
}

// BenchmarkMatcherScaling: the automaton's throughput over the same text
// with the linter's own patterns plus 100, 1,000 and 10,000 random
// Chinese and English ones. One pass per byte: MB/s should stay within
// a small factor while the pattern count grows a hundredfold.
func BenchmarkMatcherScaling(b *testing.B) {
	l := linter(b, LintPolicy{})
	text := benchText(b, 1<<20)
	rng := rand.New(rand.NewPCG(3, 5))
	var extra []string
	for len(extra) < 10000 {
		var sb strings.Builder
		if rng.IntN(2) == 0 {
			for range 2 + rng.IntN(4) {
				sb.WriteRune(rune(0x4e00 + rng.IntN(0x5000)))
			}
		} else {
			for range 4 + rng.IntN(8) {
				sb.WriteByte(byte('a' + rng.IntN(26)))
			}
		}
		extra = append(extra, sb.String())
	}
	for _, n := range []int{100, 1000, 10000} {
		pats := append(append([]string(nil), l.pats...), extra[:n]...)
		m := newMatcher(pats)
		b.Run(fmt.Sprintf("extra_patterns_%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				hits := 0
				m.scan(text, func(p, s, e int) { hits++ })
				if hits == 0 {
					b.Fatal("no occurrences")
				}
			}
		})
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
