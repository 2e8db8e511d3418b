package phrasebook

import "unicode/utf8"

// matcher finds every occurrence of every pattern in one left-to-right pass
// over the bytes of a text (Aho–Corasick). The automaton is compiled into
// a full transition table (failure links resolved at build time), indexed
// by state and byte class, so scanning costs one table load per byte no
// matter how many patterns there are.
//
// Byte classes: every byte that occurs in some pattern gets its own class,
// all other bytes share class 0 (which always leads back towards the
// root). ASCII upper-case letters share the class of their lower-case
// letter, so English patterns (stored lower-case) match case-insensitively
// at no cost. UTF-8 is matched as bytes: a pattern is valid UTF-8, so a
// match always starts and ends on a rune boundary of the text.
type matcher struct {
	class    [256]uint16
	nclass   int
	delta    []int32 // delta[s+class] = next s, where s = state*nclass
	firstOut int32   // s >= firstOut: the state ends some patterns
	outStart []int32 // patterns ending in state n: outList[outStart[n]:outStart[n+1]]
	outList  []int32
	patLen   []int32
	// wordStart/wordEnd: the pattern begins/ends with an ASCII letter or
	// digit and must not be glued to another one in the text ("no" must
	// not match inside "know").
	wordStart []bool
	wordEnd   []bool
	// wsClass is the class of ' ' and '\t'. A stray one (see stray) is
	// skipped while the automaton is inside a match, so "不 知道" and
	// "don't  know" match 不知道 and "don't know".
	wsClass uint16
}

func foldByte(b byte) byte {
	if b >= 'A' && b <= 'Z' {
		return b + ('a' - 'A')
	}
	if b == '\t' {
		return ' '
	}
	return b
}

// asciiLower folds ASCII letters to lower case and a tab to a space,
// exactly as the matcher does while scanning; other bytes are left alone.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		b[i] = foldByte(c)
	}
	return string(b)
}

func isWordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

// newMatcher compiles patterns; empty patterns never match. Patterns are
// folded to lower case.
func newMatcher(patterns []string) *matcher {
	m := &matcher{patLen: make([]int32, len(patterns)), wordStart: make([]bool, len(patterns)), wordEnd: make([]bool, len(patterns))}
	// Byte classes.
	for _, p := range patterns {
		for i := 0; i < len(p); i++ {
			b := foldByte(p[i])
			if m.class[b] == 0 {
				m.nclass++
				m.class[b] = uint16(m.nclass)
			}
		}
	}
	if m.class[' '] == 0 {
		m.nclass++
		m.class[' '] = uint16(m.nclass)
	}
	m.class['\t'] = m.class[' ']
	m.wsClass = m.class[' ']
	m.nclass++ // class 0
	for b := 'A'; b <= 'Z'; b++ {
		m.class[b] = m.class[b+('a'-'A')]
	}
	nc := m.nclass

	// Trie in the dense table; -1 = no edge yet.
	newState := func() int32 {
		s := int32(len(m.delta) / nc)
		for i := 0; i < nc; i++ {
			m.delta = append(m.delta, -1)
		}
		return s
	}
	newState() // root
	own := [][]int32{nil}
	for pi, p := range patterns {
		m.patLen[pi] = int32(len(p))
		if p == "" {
			continue
		}
		m.wordStart[pi] = isWordByte(p[0])
		m.wordEnd[pi] = isWordByte(p[len(p)-1])
		s := int32(0)
		for i := 0; i < len(p); i++ {
			c := int(m.class[foldByte(p[i])])
			next := m.delta[int(s)*nc+c]
			if next < 0 {
				next = newState()
				own = append(own, nil)
				m.delta[int(s)*nc+c] = next
			}
			s = next
		}
		own[s] = append(own[s], int32(pi))
	}
	nstates := len(m.delta) / nc

	// Breadth-first: resolve failure links into the table.
	fail := make([]int32, nstates)
	queue := make([]int32, 0, nstates)
	for c := 0; c < nc; c++ {
		if t := m.delta[c]; t > 0 {
			fail[t] = 0
			queue = append(queue, t)
		} else {
			m.delta[c] = 0
		}
	}
	for qi := 0; qi < len(queue); qi++ {
		s := queue[qi]
		row := int(s) * nc
		frow := int(fail[s]) * nc
		for c := 0; c < nc; c++ {
			if t := m.delta[row+c]; t >= 0 {
				fail[t] = m.delta[frow+c]
				queue = append(queue, t)
			} else {
				m.delta[row+c] = m.delta[frow+c]
			}
		}
	}

	// Outputs: own patterns plus those of the failure chain (already
	// complete for shallower states in BFS order).
	outs := make([][]int32, nstates)
	outs[0] = own[0]
	for _, s := range queue {
		o := append([]int32(nil), own[s]...)
		outs[s] = append(o, outs[fail[s]]...)
	}
	// Renumber: states without outputs first (the root stays 0), then
	// those with outputs, so scan tells them apart with one comparison;
	// and premultiply state numbers by the number of classes, so a
	// transition is one load without a multiplication.
	newID := make([]int32, nstates)
	order := make([]int32, 0, nstates)
	for pass := 0; pass < 2; pass++ {
		for s := 0; s < nstates; s++ {
			if (len(outs[s]) > 0) == (pass == 1) {
				newID[s] = int32(len(order))
				order = append(order, int32(s))
			}
		}
		if pass == 0 {
			m.firstOut = int32(len(order) * nc)
		}
	}
	trans := make([]int32, len(m.delta))
	m.outStart = make([]int32, nstates+1)
	for n, s := range order {
		for c := 0; c < nc; c++ {
			trans[n*nc+c] = newID[m.delta[int(s)*nc+c]] * int32(nc)
		}
		m.outStart[n] = int32(len(m.outList))
		m.outList = append(m.outList, outs[s]...)
	}
	m.outStart[nstates] = int32(len(m.outList))
	// A space or tab read outside the root may be stray (skipped): its
	// transitions carry wsFlag, which puts them above firstOut, so the
	// scan loop's one comparison also catches them.
	ws := int(m.wsClass)
	for n := 1; n < nstates; n++ {
		trans[n*nc+ws] |= wsFlag
	}
	m.delta = trans
	return m
}

// wsFlag marks the transitions on a space or tab out of a state other
// than the root (see scan).
const wsFlag = 1 << 30

// scan calls fn for every occurrence, in order of end offset (occurrences
// ending at the same byte come longest first). start and end are byte
// offsets into text, end exclusive.
//
// Stray whitespace: while the automaton is inside a match (not at the
// root), a space or tab that follows another one, or that stands between
// two non-ASCII runes (between Chinese characters), is skipped: the state
// stays as it was. An occurrence spanning skipped bytes starts earlier
// than end minus the pattern length; its start is found by walking back
// over the text with the same rule.
func (m *matcher) scan(text string, fn func(pat, start, end int)) {
	nc := m.nclass
	outStart := m.outStart
	firstOut := m.firstOut
	lastSkip := -1
	s := int32(0)
	for i := 0; ; i++ {
		var t int32
		if i, s, t = m.advance(text, i, s); i >= len(text) {
			return
		}
		if t&wsFlag != 0 {
			if stray(text, i) {
				lastSkip = i
				continue
			}
			if t &^= wsFlag; t < firstOut {
				s = t
				continue
			}
		}
		s = t
		end := i + 1
		n := int(s) / nc
		for _, p := range m.outList[outStart[n]:outStart[n+1]] {
			start := end - int(m.patLen[p])
			if lastSkip >= start {
				start = walkBack(text, end, int(m.patLen[p]))
			}
			if m.wordStart[p] && start > 0 && isWordByte(text[start-1]) {
				continue
			}
			if m.wordEnd[p] && end < len(text) && isWordByte(text[end]) {
				continue
			}
			fn(int(p), start, end)
		}
	}
}

// advance runs the automaton from state s over text[i:] until a
// transition reaches firstOut or above (a state ending some patterns, or
// a space or tab out of a state other than the root), and returns the
// offset of that byte (len(text) at the end), the state before it and the
// transition. Its loop calls nothing, so it keeps everything in registers.
func (m *matcher) advance(text string, i int, s int32) (int, int32, int32) {
	delta := m.delta
	class := &m.class
	firstOut := m.firstOut
	rest := text[i:]
	for j := 0; j < len(rest); j++ {
		t := delta[int(s)+int(class[rest[j]])]
		if t >= firstOut {
			return i + j, s, t
		}
		s = t
	}
	return len(text), s, 0
}

// squeeze drops the stray spaces and tabs of s (see stray) and returns
// the rest with, for each byte kept, its offset in s. Patterns are
// squeezed and trimmed before they are compiled, so a pattern never holds
// a byte that scan would skip.
func squeeze(s string) (string, []int) {
	b := make([]byte, 0, len(s))
	idx := make([]int, 0, len(s))
	for i := 0; i < len(s); i++ {
		if isSpace(s[i]) && stray(s, i) {
			continue
		}
		b = append(b, s[i])
		idx = append(idx, i)
	}
	return string(b), idx
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' }

// stray reports whether the space or tab at text[i] is skipped inside a
// match: it follows another space or tab, or it stands between two
// non-ASCII bytes (ignoring further spaces and tabs).
func stray(text string, i int) bool {
	if i == 0 {
		return false
	}
	prev := text[i-1]
	if isSpace(prev) {
		return true
	}
	if prev < utf8.RuneSelf {
		return false
	}
	for j := i + 1; j < len(text); j++ {
		if !isSpace(text[j]) {
			return text[j] >= utf8.RuneSelf
		}
	}
	return false
}

// walkBack returns the start of an occurrence of n pattern bytes ending at
// end, not counting the bytes scan skipped.
func walkBack(text string, end, n int) int {
	j := end
	for n > 0 && j > 0 {
		j--
		if isSpace(text[j]) && stray(text, j) {
			continue
		}
		n--
	}
	return j
}

// states reports the automaton size (for tests and benchmarks).
func (m *matcher) states() int { return len(m.outStart) - 1 }
