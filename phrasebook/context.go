package phrasebook

import (
	"strings"
	"unicode/utf8"
)

// Context rules. The automaton finds candidates (a forbidden fragment, a
// refusal); these rules read the words around a candidate, within its
// clause or sentence, to decide whether it is what the rule is about. They
// run for candidates only, so they cost nothing on text without any.
//
// A clause ends at a line break, at full-width or ASCII punctuation
// (,,、;;::。!!??) and at quotation marks; an ASCII '.' ends one when a
// space, a line break, a non-ASCII character or the end of the text
// follows it (so 3.5 and 2024.08 do not). A sentence ends at 。!!??;;, a
// line break or such a '.'.

// LintContext is the lexicon's words for the context rules, all in
// simplified characters and lower case; text is compared with them after
// traditional characters are simplified and letters lower-cased.
type LintContext struct {
	// CustomerSubjects and AgentSubjects: the nearest of them before a
	// word, in its clause, says who its subject is (您不知道 is the
	// customer's, 我不知道 the agent's; 您这个要求我们满足不了 the agent's).
	CustomerSubjects []string `json:"customer_subjects"`
	AgentSubjects    []string `json:"agent_subjects"`
	// Conditionals before a word in its clause (如果, if), and
	// ConditionalsAfter ending its clause (的话, 时), make the clause a
	// condition, not a statement: 如果您不在家, 不能及时赶到的话,
	// 不清楚对方来历时.
	Conditionals      []string `json:"conditionals"`
	ConditionalsAfter []string `json:"conditionals_after"`
	// Particles may follow a "bare" word (经理不在呢) without making it
	// anything else; any other word after it does (不在保修范围).
	Particles string `json:"particles"`
	// KPIWords in the clause make a number a measure, not a promise
	// (回访率 100%, our callback rate was 100%).
	KPIWords []string `json:"kpi_words"`

	sets *contextSets // built by normalized
}

// contextSets are the word lists indexed for lastEnd.
type contextSets struct {
	customers, agents, conditionals, kpi wordSet
}

// wordSet indexes words by their last byte, so that a backward scan of a
// window finds the occurrence ending last with one lookup per byte.
type wordSet struct{ byLast [256][]string }

func newWordSet(words []string) wordSet {
	var ws wordSet
	for _, w := range words {
		if w != "" {
			ws.byLast[w[len(w)-1]] = append(ws.byLast[w[len(w)-1]], w)
		}
	}
	return ws
}

// lastEnd returns the end offset of the occurrence of a word of the set
// that ends last in s, -1 when none occurs. A word that begins or ends
// with an ASCII letter or digit only counts on a word boundary.
func (ws *wordSet) lastEnd(s string) int {
	for e := len(s); e > 0; e-- {
		for _, w := range ws.byLast[s[e-1]] {
			i := e - len(w)
			if i < 0 || s[i:e] != w {
				continue
			}
			if isWordByte(w[0]) && i > 0 && isWordByte(s[i-1]) || isWordByte(w[len(w)-1]) && e < len(s) && isWordByte(s[e]) {
				continue
			}
			return e
		}
	}
	return -1
}

func (ws *wordSet) in(s string) bool { return ws.lastEnd(s) >= 0 }

// window is the text a context rule reads: a clause or sentence bounded
// by lo and hi (the whole text, or a quotation in document mode).
type window struct {
	text   string
	lo, hi int
}

// breakAt reports whether a clause (and whether a sentence) ends at the
// rune r found at text[i:i+size].
func (w window) breakAt(i int, r rune, size int) (clause, sentence bool) {
	switch r {
	case '\n', '\r', '。', '!', '！', '?', '？', ';', '；':
		return true, true
	case ',', '，', '、', ':', '：', '“', '”', '"', '「', '」', '『', '』', '(', ')', '（', '）':
		return true, false
	case '.':
		j := i + size
		if j >= w.hi || w.text[j] == ' ' || w.text[j] == '\n' || w.text[j] == '\r' || w.text[j] >= utf8.RuneSelf {
			return true, true
		}
	}
	return false, false
}

// clauseBefore returns the start of the clause holding pos.
func (w window) clauseBefore(pos int) int {
	for i := pos; i > w.lo; {
		r, size := decodeLastRune(w.text[w.lo:], i-w.lo)
		if c, _ := w.breakAt(i-size, r, size); c {
			return i
		}
		i -= size
	}
	return w.lo
}

// clauseAfter returns the end of the clause holding pos.
func (w window) clauseAfter(pos int) int {
	for i := pos; i < w.hi; {
		r, size := decodeRune(w.text[:w.hi], i)
		if c, _ := w.breakAt(i, r, size); c {
			return i
		}
		i += size
	}
	return w.hi
}

// sentenceAfter returns the end of the sentence holding pos and the rune
// that ends it (0 at the end of the window).
func (w window) sentenceAfter(pos int) (int, rune) {
	for i := pos; i < w.hi; {
		r, size := decodeRune(w.text[:w.hi], i)
		if _, s := w.breakAt(i, r, size); s {
			return i, r
		}
		i += size
	}
	return w.hi, 0
}

// isQuestion reports whether the sentence holding pos asks something: it
// ends with a question mark, or its last word is 吗.
func (w window) isQuestion(pos int) bool {
	end, r := w.sentenceAfter(pos)
	if r == '?' || r == '？' {
		return true
	}
	s := strings.TrimRight(w.text[pos:end], " \t")
	return strings.HasSuffix(s, "吗") || strings.HasSuffix(s, "嗎")
}

type subject int

const (
	subjectNone subject = iota
	subjectCustomer
	subjectAgent
)

// subjectOf returns who the nearest subject word of before (the clause up
// to a word) names.
func (c *LintContext) subjectOf(before string) subject {
	ci, ai := c.sets.customers.lastEnd(before), c.sets.agents.lastEnd(before)
	switch {
	case ci < 0 && ai < 0:
		return subjectNone
	case ci > ai:
		return subjectCustomer
	}
	return subjectAgent
}

func (c *LintContext) conditional(before, after string) bool {
	if c.sets.conditionals.in(before) {
		return true
	}
	after = strings.TrimRight(after, " \t")
	for _, w := range c.ConditionalsAfter {
		if strings.HasSuffix(after, w) {
			return true
		}
	}
	return false
}

// bare reports whether after (the rest of a clause) holds nothing but
// particles.
func (c *LintContext) bare(after string) bool {
	for _, r := range after {
		if r == ' ' || r == '\t' || strings.ContainsRune(c.Particles, r) {
			continue
		}
		return false
	}
	return true
}

// quoteSpans returns the quoted parts of a document: the text between
// “ and ”, 「 and 」, 『 and 』, or a pair of ASCII double quotes. A line
// break ends a quotation left open, and an opening mark inside one starts
// a new one (converted documents often lose closing marks).
func quoteSpans(text string) [][2]int {
	var spans [][2]int
	open := -1
	closeAt := func(i int) {
		if open >= 0 && i > open {
			spans = append(spans, [2]int{open, i})
		}
		open = -1
	}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch r {
		case '“', '「', '『':
			closeAt(i)
			open = i + size
		case '”', '」', '』', '\n':
			closeAt(i)
		case '"':
			if open >= 0 {
				closeAt(i)
			} else {
				open = i + size
			}
		}
		i += size
	}
	closeAt(len(text))
	return spans
}
