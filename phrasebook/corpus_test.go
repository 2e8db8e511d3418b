package phrasebook

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"
)

// corpusLine is one labelled utterance of testdata/lint_*.tsv.
type corpusLine struct {
	line   int
	rules  map[string]bool // rules the utterance breaks ("P2", "P3")
	detail string
	text   string
}

func readCorpus(t *testing.T, path string) []corpusLine {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []corpusLine
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		s := sc.Text()
		if strings.TrimSpace(s) == "" || strings.HasPrefix(s, "#") {
			continue
		}
		parts := strings.Split(s, "\t")
		if len(parts) != 3 || parts[2] == "" {
			t.Fatalf("%s:%d: want label TAB detail TAB text, got %q", path, n, s)
		}
		rules := map[string]bool{}
		if parts[0] != "clean" {
			for _, r := range strings.Split(parts[0], "+") {
				if r != "P2" && r != "P3" {
					t.Fatalf("%s:%d: label %q", path, n, parts[0])
				}
				rules[r] = true
			}
		}
		out = append(out, corpusLine{n, rules, parts[1], parts[2]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// score counts, per rule, the utterances flagged and labelled (tp), flagged
// but not labelled (fp) and labelled but not flagged (fn).
type score struct{ tp, fp, fn int }

func (s score) precision() float64 {
	if s.tp+s.fp == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.tp+s.fp)
}

func (s score) recall() float64 {
	if s.tp+s.fn == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.tp+s.fn)
}

func scoreCorpus(t *testing.T, l *Linter, lines []corpusLine) (map[string]*score, []string) {
	t.Helper()
	scores := map[string]*score{"P2": {}, "P3": {}}
	var wrong []string
	for _, c := range lines {
		fs := l.Lint(c.text)
		got := map[string]bool{}
		for _, f := range fs {
			got[f.Rule] = true
			if f.Rule == "P3" && (f.SuggestionID == "" || f.Suggestion == "") {
				t.Errorf("line %d: P3 finding without a suggestion: %+v", c.line, f)
			}
		}
		for rule, s := range scores {
			switch {
			case got[rule] && c.rules[rule]:
				s.tp++
			case got[rule]:
				s.fp++
				wrong = append(wrong, fmt.Sprintf("line %d: false %s (%s) %q: %v", c.line, rule, c.detail, c.text, fs))
			case c.rules[rule]:
				s.fn++
				wrong = append(wrong, fmt.Sprintf("line %d: missed %s (%s) %q", c.line, rule, c.detail, c.text))
			}
		}
	}
	return scores, wrong
}

// The linter's precision and recall per rule on the labelled corpus: the
// tuned part (lexicon and context rules were changed by looking at it),
// the held-out part (written before any rule change, only ever evaluated)
// and the probe (written after the rules, only printed). Targets on the
// held-out part:
// precision >= 0.95 and recall >= 0.90 for P2 and P3. The table:
//
//	go test -run TestLint_P2_P3_corpus_precision_recall -v ./phrasebook
func TestLint_P2_P3_corpus_precision_recall(t *testing.T) {
	l := linter(t, LintPolicy{})
	const minPrecision, minRecall = 0.95, 0.90
	t.Logf("%-9s %-4s %5s %4s %4s %4s %9s %6s", "part", "rule", "lines", "tp", "fp", "fn", "precision", "recall")
	for _, part := range []struct{ name, path string }{
		{"tuned", "testdata/lint_tuned.tsv"},
		{"held-out", "testdata/lint_heldout.tsv"},
		{"probe", "testdata/lint_probe.tsv"},
	} {
		lines := readCorpus(t, part.path)
		scores, wrong := scoreCorpus(t, l, lines)
		for _, rule := range []string{"P2", "P3"} {
			s := scores[rule]
			t.Logf("%-9s %-4s %5d %4d %4d %4d %9.3f %6.3f", part.name, rule, len(lines), s.tp, s.fp, s.fn, s.precision(), s.recall())
		}
		if part.name == "probe" {
			continue // written after the rules: printed, no target, never tuned on
		}
		if part.name == "tuned" {
			for _, w := range wrong {
				t.Log("tuned " + w)
			}
			continue
		}
		// Held-out misses are counted, not listed: looking at them to add
		// words would turn the held-out part into a tuned one.
		for _, rule := range []string{"P2", "P3"} {
			s := scores[rule]
			if s.precision() < minPrecision || s.recall() < minRecall {
				t.Errorf("held-out %s: precision %.3f (target %.2f), recall %.3f (target %.2f)", rule, s.precision(), minPrecision, s.recall(), minRecall)
			}
		}
	}
}

// The corpus is big enough and balanced enough for the table to mean
// something (issue: at least 400 utterances, clean ones included).
func TestLintCorpus_size(t *testing.T) {
	n := map[string]int{}
	for _, p := range []string{"testdata/lint_tuned.tsv", "testdata/lint_heldout.tsv"} {
		for _, c := range readCorpus(t, p) {
			n["all"]++
			if len(c.rules) == 0 {
				n["clean"]++
			}
			for r := range c.rules {
				n[r]++
			}
		}
	}
	if n["all"] < 400 || n["clean"] < 150 || n["P2"] < 80 || n["P3"] < 80 {
		t.Fatalf("corpus too small or unbalanced: %v", n)
	}
}
