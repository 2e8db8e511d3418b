package phrasebook_test

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"github.com/servicedesk-go/desk/phrasebook"
	"github.com/servicedesk-go/desk/phrasebook/phrasebooktest"
)

// benchSetup returns the default linter and about n bytes of the mixed
// Chinese/English text that phrasebook/lintbench reads too.
func benchSetup(tb testing.TB, n int) (*phrasebook.Linter, string) {
	tb.Helper()
	l, text, err := phrasebooktest.Bench(n)
	if err != nil {
		tb.Fatal(err)
	}
	return l, text
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
	l, text := benchSetup(b, 1<<20)
	pats := l.Patterns()
	states, classes := phrasebook.MatcherSize(l)
	b.Logf("patterns: %d, automaton states: %d, character classes: %d", len(pats), states, classes)
	b.Run("Baseline", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			if baselineOccurrences(pats, text) == 0 {
				b.Fatal("no occurrences")
			}
		}
	})
	b.Run("Matcher", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			if phrasebook.MatcherOccurrences(l, text) == 0 {
				b.Fatal("no occurrences")
			}
		}
	})
	b.Run("Lint", func(b *testing.B) {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		b.SetBytes(int64(len(text)))
		c0, ok := phrasebooktest.ThreadCPU()
		for b.Loop() {
			if len(l.Lint(text)) == 0 {
				b.Fatal("no findings")
			}
		}
		if c1, _ := phrasebooktest.ThreadCPU(); ok && c1 > c0 {
			b.ReportMetric(float64(len(text))*float64(b.N)/1e6/(c1-c0).Seconds(), "cpu-MB/s")
		}
	})
}

// BenchmarkLintMessage: one typical chat message, the per-message cost.
func BenchmarkLintMessage(b *testing.B) {
	l, _ := benchSetup(b, 0)
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
	l, text := benchSetup(t, 64<<10)
	n := phrasebook.MatcherOccurrences(l, text)
	base := baselineOccurrences(l.Patterns(), text)
	if n == 0 || n > base {
		t.Fatalf("automaton %d occurrences, baseline %d", n, base)
	}
}

// BenchmarkMatcherScaling: the automaton's throughput over the same text
// with the linter's own patterns plus 100, 1,000 and 10,000 random
// Chinese and English ones. One pass per character: MB/s should stay
// within a small factor while the pattern count grows a hundredfold.
func BenchmarkMatcherScaling(b *testing.B) {
	l, text := benchSetup(b, 1<<20)
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
		count := phrasebook.NewMatcherCounter(append(l.Patterns(), extra[:n]...))
		b.Run(fmt.Sprintf("extra_patterns_%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				if count(text) == 0 {
					b.Fatal("no occurrences")
				}
			}
		})
	}
}
