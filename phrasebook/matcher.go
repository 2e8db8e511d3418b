package phrasebook

import (
	"math/bits"
	"unicode/utf8"
)

// matcher finds every occurrence of every pattern in one left-to-right pass
// over a text (Aho–Corasick). The automaton reads characters, not bytes:
// a Chinese character is one step, not three. It is compiled into a full
// transition table (failure links resolved at build time), indexed by
// state and character class, so scanning costs one table load per
// character no matter how many patterns there are.
//
// Character classes: every character that occurs in some pattern gets its
// own class, all others share class 0 (which always leads back to the
// root). ASCII upper-case letters share the class of their lower-case
// letter, and a tab that of a space, so English patterns (stored lower
// case) match case-insensitively at no cost.
//
// Text is cut into characters as UTF-8; a byte that does not start a
// complete, shortest-form sequence stands for itself (see decodeKey). A
// pattern, cut the same way, matches exactly where its bytes occur in the
// text: it starts with a byte that is not a continuation byte (10xxxxxx),
// and the text has a character boundary before every such byte.
type matcher struct {
	ascii   [utf8.RuneSelf]uint16 // class of an ASCII byte
	invalid [256]uint16           // class of a byte standing for itself
	// hi and lo: the class of rune r >= 0x80 is lo[hi[r>>6]][r&63]; hi
	// points every block of 64 runes without any class at block 0.
	hi     []uint16
	lo     [][64]uint16
	nclass int
	// first is what advance's loop reads for each byte: the class of an
	// ASCII byte (and, reading bytes, of every byte), else lead3 or slow.
	first [256]uint16
	// hi3 is hi for three-byte characters: hi3[c&0x0F][b1&0x3F] is the
	// block of the character c b1 b2 (c in 0xE0–0xEF).
	hi3      [16][64]uint16
	delta    []uint32 // delta[s+class] = next s, where s = state*nclass
	firstOut uint32   // s >= firstOut: the state ends some patterns
	recip    uint64   // ceil(2^48 / nclass), see stateNumber
	outStart []int32  // patterns ending in state n: outList[outStart[n]:outStart[n+1]]
	outList  []int32
	patLen   []int32
	// wordStart/wordEnd: the pattern begins/ends with an ASCII letter or
	// digit and must not be glued to another one in the text ("no" must
	// not match inside "know").
	wordStart []bool
	wordEnd   []bool
	// bytes: the matcher reads every non-ASCII byte on its own (a lexicon
	// with too many distinct characters for a table by character).
	bytes bool
}

// Marks in matcher.first for the non-ASCII bytes of a matcher reading
// characters; no class reaches them (see maxClasses).
const (
	lead3 = 0xFFFE // 0xE0–0xEF: may start a three-byte character, decoded in advance's loop
	slow  = 0xFFFF // any other non-ASCII byte: cut by decodeKey, outside the loop
)

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

// decodeKey cuts the character at s[i] (i < len(s)): an ASCII byte
// (folded, see foldByte), a complete shortest-form UTF-8 sequence of two
// to four bytes (as its code point), or else the byte s[i] alone, as
// -1-s[i]. It returns the key and the number of bytes.
func decodeKey(s string, i int) (int32, int) {
	c := s[i]
	switch {
	case c < utf8.RuneSelf:
		return int32(foldByte(c)), 1
	case c >= 0xC2 && c < 0xE0:
		if i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
			return int32(c&0x1F)<<6 | int32(s[i+1]&0x3F), 2
		}
	case c >= 0xE0 && c < 0xF0:
		if i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
			if r := int32(c&0x0F)<<12 | int32(s[i+1]&0x3F)<<6 | int32(s[i+2]&0x3F); r >= 0x800 {
				return r, 3
			}
		}
	case c >= 0xF0 && c < 0xF5:
		if i+3 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 && s[i+3]&0xC0 == 0x80 {
			if r := int32(c&0x07)<<18 | int32(s[i+1]&0x3F)<<12 | int32(s[i+2]&0x3F)<<6 | int32(s[i+3]&0x3F); r >= 0x10000 && r <= utf8.MaxRune {
				return r, 4
			}
		}
	}
	return -1 - int32(c), 1
}

// classOf returns the class of a key of decodeKey.
func (m *matcher) classOf(k int32) uint16 {
	switch {
	case k < 0:
		return m.invalid[-1-k]
	case k < utf8.RuneSelf:
		return m.ascii[k]
	}
	return m.lo[m.hi[k>>6]][k&63]
}

// maxTable bounds the transition table of a matcher reading characters
// (states times classes; at most one state per pattern character): 16 MiB.
const maxTable = 1 << 22

// newClasses numbers the classes of the patterns' characters (bytes:
// every non-ASCII byte on its own) and returns, per class, whether its
// characters are not ASCII, and each pattern as its keys (see decodeKey).
func newClasses(patterns []string, bytes bool) (*matcher, []bool, [][]int32) {
	m := &matcher{patLen: make([]int32, len(patterns)), wordStart: make([]bool, len(patterns)), wordEnd: make([]bool, len(patterns)), bytes: bytes}
	// Classes, in order of first appearance; ' ' always has one.
	m.hi = make([]uint16, (utf8.MaxRune+1)>>6)
	m.lo = make([][64]uint16, 1) // block 0: no class
	m.nclass = 1                 // class 0
	isNonASCII := []bool{false}
	assign := func(k int32) {
		if k >= 0 && k < utf8.RuneSelf && m.ascii[k] != 0 || k < 0 && m.invalid[-1-k] != 0 {
			return
		}
		if k >= utf8.RuneSelf && m.classOf(k) != 0 {
			return
		}
		if m.nclass > maxClasses {
			m.nclass = maxTable // over budget: newMatcher reads bytes
			return
		}
		c := uint16(m.nclass)
		m.nclass++
		isNonASCII = append(isNonASCII, k < 0 || k >= utf8.RuneSelf)
		switch {
		case k < 0:
			m.invalid[-1-k] = c
		case k < utf8.RuneSelf:
			m.ascii[k] = c
		default:
			if m.hi[k>>6] == 0 {
				m.hi[k>>6] = uint16(len(m.lo))
				m.lo = append(m.lo, [64]uint16{})
			}
			m.lo[m.hi[k>>6]][k&63] = c
		}
	}
	keys := make([][]int32, len(patterns))
	for pi, p := range patterns {
		for i := 0; i < len(p); {
			k, size := m.key(p, i)
			keys[pi] = append(keys[pi], k)
			assign(k)
			i += size
		}
	}
	assign(' ')
	m.ascii['\t'] = m.ascii[' ']
	for b := 'A'; b <= 'Z'; b++ {
		m.ascii[b] = m.ascii[b+('a'-'A')]
	}
	return m, isNonASCII, keys
}

// maxClasses keeps class numbers within uint16 and below lead3 and slow
// (and hi's block numbers too: a block holds at least one class).
const maxClasses = lead3 - 1

// key is decodeKey, or for a matcher reading bytes, every non-ASCII byte
// on its own.
func (m *matcher) key(s string, i int) (int32, int) {
	if m.bytes && s[i] >= utf8.RuneSelf {
		return -1 - int32(s[i]), 1
	}
	return decodeKey(s, i)
}

// newMatcher compiles patterns; empty patterns never match. Patterns are
// folded to lower case.
func newMatcher(patterns []string) *matcher { return compile(patterns, false) }

// compile is newMatcher; bytes: read every non-ASCII byte on its own even
// if the table by characters would fit (for tests).
func compile(patterns []string, bytes bool) *matcher {
	m, isNonASCII, keys := newClasses(patterns, bytes)
	total := 2
	for _, k := range keys {
		total += len(k)
	}
	if !bytes && total*m.nclass > maxTable {
		// Too many distinct characters for a table of states by
		// characters: read every non-ASCII byte on its own instead (the
		// table then has at most 128 more columns than ASCII needs).
		m, isNonASCII, keys = newClasses(patterns, true)
	}
	wsClass := m.ascii[' ']
	m.ascii['\t'] = wsClass
	for b := 'A'; b <= 'Z'; b++ {
		m.ascii[b] = m.ascii[b+('a'-'A')]
	}
	nc := m.nclass
	var delta []int32
	if !m.bytes {
		// At most one state per pattern character, and the table fits
		// the budget: allocate it once instead of growing it.
		delta = make([]int32, 0, total*nc)
	}

	// Trie in the dense table; -1 = no edge yet. label: the class read
	// to reach each state.
	var label []uint16
	newState := func(c uint16) int32 {
		s := int32(len(delta) / nc)
		for i := 0; i < nc; i++ {
			delta = append(delta, -1)
		}
		label = append(label, c)
		return s
	}
	newState(0) // root
	own := [][]int32{nil}
	for pi, p := range patterns {
		m.patLen[pi] = int32(len(p))
		if p == "" {
			continue
		}
		m.wordStart[pi] = isWordByte(p[0])
		m.wordEnd[pi] = isWordByte(p[len(p)-1])
		s := int32(0)
		for _, k := range keys[pi] {
			c := m.classOf(k)
			next := delta[int(s)*nc+int(c)]
			if next < 0 {
				next = newState(c)
				own = append(own, nil)
				delta[int(s)*nc+int(c)] = next
			}
			s = next
		}
		own[s] = append(own[s], int32(pi))
	}
	nstates := len(delta) / nc

	// Breadth-first: resolve failure links into the table.
	fail := make([]int32, nstates)
	queue := make([]int32, 0, nstates)
	for c := 0; c < nc; c++ {
		if t := delta[c]; t > 0 {
			fail[t] = 0
			queue = append(queue, t)
		} else {
			delta[c] = 0
		}
	}
	for qi := 0; qi < len(queue); qi++ {
		s := queue[qi]
		row := int(s) * nc
		frow := int(fail[s]) * nc
		for c := 0; c < nc; c++ {
			if t := delta[row+c]; t >= 0 {
				fail[t] = delta[frow+c]
				queue = append(queue, t)
			} else {
				delta[row+c] = delta[frow+c]
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
	// Renumber, in breadth-first order (the root, then the states near it,
	// which a text visits most, close together): states without outputs
	// first, then those with outputs, so scan tells them apart with one
	// comparison; and premultiply state numbers by the number of classes,
	// so a transition is one load without a multiplication.
	bfs := append([]int32{0}, queue...)
	newID := make([]int32, nstates)
	order := make([]int32, 0, nstates)
	for pass := 0; pass < 2; pass++ {
		for _, s := range bfs {
			if (len(outs[s]) > 0) == (pass == 1) {
				newID[s] = int32(len(order))
				order = append(order, s)
			}
		}
		if pass == 0 {
			m.firstOut = uint32(len(order) * nc)
		}
	}
	trans := make([]uint32, len(delta))
	m.outStart = make([]int32, nstates+1)
	for n, s := range order {
		for c := 0; c < nc; c++ {
			trans[n*nc+c] = uint32(newID[delta[int(s)*nc+c]]) * uint32(nc)
		}
		m.outStart[n] = int32(len(m.outList))
		m.outList = append(m.outList, outs[s]...)
		// A space or tab read after a non-ASCII character or another space
		// may be stray (see stray): its transition carries wsFlag, which
		// puts it above firstOut, so the loop's one comparison in advance also
		// catches it. After an ASCII character it never is, and out of the
		// root it is never skipped.
		if s != 0 && (isNonASCII[label[s]] || label[s] == wsClass) {
			trans[n*nc+int(wsClass)] |= wsFlag
		}
	}
	m.outStart[nstates] = int32(len(m.outList))
	m.delta = trans
	m.recip = (1<<48 + uint64(nc) - 1) / uint64(nc)
	m.setFirst()
	return m
}

// setFirst fills first and hi3, what charClass reads.
//
// An overlong three-byte form (0xE0, then 0x80–0x9F, then a continuation
// byte) is no character: decodeKey cuts it into three bytes standing for
// themselves. If no pattern holds such a byte, all three have class 0,
// which leads to the root from every state, and no pattern starts at a
// continuation byte; so reading the three bytes as one character of
// class 0 gives the same states and occurrences, and hi3 points the
// overlong forms to block 0. If some pattern holds a byte standing for
// itself, 0xE0 is left to decodeKey instead.
func (m *matcher) setFirst() {
	exact := false // some pattern holds a byte standing for itself
	for _, c := range m.invalid {
		exact = exact || c != 0
	}
	for b := range 256 {
		switch {
		case b < utf8.RuneSelf:
			m.first[b] = m.ascii[b]
		case m.bytes:
			m.first[b] = m.invalid[b]
		case b == 0xE0 && exact:
			m.first[b] = slow
		case b >= 0xE0 && b < 0xF0:
			m.first[b] = lead3
		default:
			m.first[b] = slow
		}
	}
	// hi[:1024] covers the runes below 0x10000: (c&0x0F)<<6|b1&0x3F is
	// r>>6 for the three-byte character c b1 b2; hi[:32], the runes below
	// 0x800, has no class of a three-byte character.
	for c := range m.hi3 {
		copy(m.hi3[c][:], m.hi[c<<6:])
	}
	clear(m.hi3[0][:0x20])
}

// wsFlag marks the transitions on a space or tab that may be stray (see
// newMatcher and find).
const wsFlag = 1 << 30

// occurrence is one occurrence of pattern pat at text[start:end].
type occurrence struct {
	pat        int32
	start, end int // int, not int32: texts over 2 GiB must not wrap
}

// scan calls fn for every occurrence, in order of end offset (occurrences
// ending at the same byte come longest first). start and end are byte
// offsets into text, end exclusive.
func (m *matcher) scan(text string, fn func(pat, start, end int)) {
	for _, o := range m.find(text, nil, nil) {
		fn(int(o.pat), o.start, o.end)
	}
}

// find appends every occurrence in text to dst, in order of end offset
// (occurrences ending at the same byte come longest first). buf is
// memory find may use and keep for the next call (nil: none).
//
// Stray whitespace: while the automaton is inside a match (not at the
// root), a space or tab that follows another one, or that stands between
// two non-ASCII characters (between Chinese characters), is skipped: the
// state stays as it was. An occurrence spanning skipped bytes starts
// earlier than end minus the pattern length; its start is found by
// walking back over the text with the same rule.
//
// A text of splitMin bytes or more is read as two halves at once (see
// findSplit).
func (m *matcher) find(text string, dst []occurrence, buf *[]occurrence) []occurrence {
	mid := len(text) / 2
	for mid < len(text) && text[mid]&0xC0 == 0x80 {
		mid++ // to a byte that is not a continuation byte
	}
	if len(text) < splitMin || mid == len(text) {
		r := run{lastSkip: -1}
		return m.findRun(text, &r, len(text), dst)
	}
	if buf == nil {
		buf = new([]occurrence)
	}
	dst, *buf = m.findSplit(text, mid, dst, (*buf)[:0])
	return dst
}

// splitMin is the length from which find reads a text as two halves: a
// chat message is read in one.
const splitMin = 4 << 10

// run is one pass of the automaton: the offset of the next character,
// the state before it, and the offset of the last space or tab it
// skipped as stray (-1: none).
type run struct {
	i        int
	s        uint32
	lastSkip int
}

// findRun continues r up to end (a character boundary) and appends the
// occurrences ending there or before to dst.
func (m *matcher) findRun(text string, r *run, end int, dst []occurrence) []occurrence {
	for r.i < end {
		var t uint32
		var size int
		if r.i, r.s, t, size = m.advance(text, r.i, end, r.s); r.i >= end {
			break
		}
		dst = m.take(text, r, t, size, dst)
	}
	return dst
}

// findSplit is find reading the text as two runs at once, a from 0 and b
// from mid (the root state there), so the CPU overlaps their chains of
// dependent table loads. mid must be a character boundary: 0 < mid <
// len(text) and text[mid] is not a continuation byte (10xxxxxx), which is
// never inside a character as decodeKey cuts them. a's occurrences go to
// dst, b's to tail, which findSplit returns for reuse.
//
// Then a continues after mid in step with a third run c, which repeats
// b's first steps (from the root at mid), until a and c are in the same
// state at the same offset P. From there a would go on exactly as b
// went, reporting the same patterns at the same ends; an occurrence's
// start is a function of the text, its end and its pattern (walkBack
// skips exactly the bytes the automaton skips inside a match, and
// lastSkip only saves that walk when no byte was skipped), so the
// occurrences are the same too. The result is a's up to P, then b's
// ending after P. a and c agree within as many characters as the state a
// is in at mid has (fewer than the longest pattern), plus stray spaces.
func (m *matcher) findSplit(text string, mid int, dst, tail []occurrence) ([]occurrence, []occurrence) {
	a := run{lastSkip: -1}
	b := run{i: mid, lastSkip: -1}
	for a.i < mid && b.i < len(text)-2 {
		var aStopped bool
		var t uint32
		var size int
		a.i, a.s, b.i, b.s, aStopped, t, size = m.advance2(text, mid, a.i, a.s, b.i, b.s)
		switch {
		case aStopped && a.i < mid:
			dst = m.take(text, &a, t, size, dst)
		case !aStopped && b.i < len(text)-2:
			tail = m.take(text, &b, t, size, tail)
		}
	}
	dst = m.findRun(text, &a, mid, dst)
	tail = m.findRun(text, &b, len(text), tail)
	c := run{i: mid, lastSkip: -1}
	for a.i < len(text) && a.s != c.s {
		dst = m.take(text, &a, 0, 0, dst)
		m.move(text, &c, 0, 0)
	}
	for _, o := range tail {
		if o.end > a.i {
			dst = append(dst, o)
		}
	}
	return dst, tail
}

// take reads the character at r.i, of size bytes with transition t (see
// move), and appends the occurrences ending with it to dst.
func (m *matcher) take(text string, r *run, t uint32, size int, dst []occurrence) []occurrence {
	if !m.move(text, r, t, size) {
		return dst
	}
	end := r.i
	n := m.stateNumber(r.s)
	for _, p := range m.outList[m.outStart[n]:m.outStart[n+1]] {
		start := end - int(m.patLen[p])
		if r.lastSkip >= start {
			start = walkBack(text, end, int(m.patLen[p]))
		}
		if m.wordStart[p] && start > 0 && isWordByte(text[start-1]) {
			continue
		}
		if m.wordEnd[p] && end < len(text) && isWordByte(text[end]) {
			continue
		}
		dst = append(dst, occurrence{p, start, end})
	}
	return dst
}

// stateNumber returns s / nclass, the number of the premultiplied state
// s, without a division: s = n*nclass and recip*nclass = 2^48+e with
// 0 <= e < nclass, so s*recip = n*2^48 + n*e, and n*e < s < 2^30 (see
// wsFlag): shifted right by 48 (the high word of the 128-bit product
// shifted left by 16), the product is n.
func (m *matcher) stateNumber(s uint32) uint32 {
	hi, lo := bits.Mul64(uint64(s), m.recip)
	return uint32(hi<<16 | lo>>48)
}

// move reads the character at r.i, of size bytes with transition t
// (size 0: a character advance does not read; move cuts it with
// decodeKey), and reports whether r's state then ends some patterns
// (never after a stray space or tab, which keeps the state).
func (m *matcher) move(text string, r *run, t uint32, size int) bool {
	if size == 0 {
		var k int32
		k, size = m.key(text, r.i)
		t = m.delta[r.s+uint32(m.classOf(k))]
	}
	if t&wsFlag != 0 {
		if stray(text, r.i) {
			r.lastSkip = r.i
			r.i++
			return false
		}
		t &^= wsFlag
	}
	r.i += size
	r.s = t
	return t >= m.firstOut
}

// charClass returns the class and size of the character at text[i] for
// the loops of advance and advance2, which read ASCII and three-byte
// characters (Chinese) themselves; size 0 for any other (move reads it,
// through decodeKey). Reading bytes, every byte is read here. text[i+2]
// must exist (the loops stop two bytes before the end). Small enough to
// be inlined.
func (m *matcher) charClass(text string, i int) (uint16, int) {
	c := text[i]
	cls := m.first[c]
	if cls < lead3 {
		return cls, 1
	}
	if cls == slow || text[i+1]&0xC0 != 0x80 || text[i+2]&0xC0 != 0x80 {
		return 0, 0
	}
	return m.lo[m.hi3[c&0x0F][text[i+1]&0x3F]][text[i+2]&0x3F], 3
}

// advance runs the automaton from state s over text[i:end] and returns
// the offset of the first character it does not read and the state
// before it; then the transition on that character and its size, which
// take completes. It stops before a character whose transition reaches
// firstOut (a state ending some patterns, or a space or tab that may be
// stray), before one charClass does not read (size 0), and before the
// last two bytes of the text (size 0). Nearly every step stays in this
// loop, whose variables stay in registers: a byte-table load for ASCII,
// two small table loads for a three-byte character, and the transition.
func (m *matcher) advance(text string, i, end int, s uint32) (int, uint32, uint32, int) {
	delta := m.delta
	firstOut := m.firstOut
	end = min(end, len(text)-2)
	for i < end {
		cls, size := m.charClass(text, i)
		if size == 0 {
			break
		}
		t := delta[s+uint32(cls)]
		if t >= firstOut {
			return i, s, t, size
		}
		s = t
		i += size
	}
	return i, s, 0, 0
}

// advance2 is advance for two runs at once: a (ai, as) over text[:aEnd]
// and b (bi, bs) over text. Each step of the loop is a step of a and one
// of b: two chains of table loads that do not depend on each other. It
// returns when either stops (aStopped: a did), with both, and the
// transition and size for take of the one that stopped.
func (m *matcher) advance2(text string, aEnd, ai int, as uint32, bi int, bs uint32) (int, uint32, int, uint32, bool, uint32, int) {
	delta := m.delta
	firstOut := m.firstOut
	aEnd = min(aEnd, len(text)-2)
	for ai < aEnd && bi < len(text)-2 {
		cls, size := m.charClass(text, ai)
		if size == 0 {
			return ai, as, bi, bs, true, 0, 0
		}
		t := delta[as+uint32(cls)]
		if t >= firstOut {
			return ai, as, bi, bs, true, t, size
		}
		as = t
		ai += size

		cls, size = m.charClass(text, bi)
		if size == 0 {
			return ai, as, bi, bs, false, 0, 0
		}
		t = delta[bs+uint32(cls)]
		if t >= firstOut {
			return ai, as, bi, bs, false, t, size
		}
		bs = t
		bi += size
	}
	return ai, as, bi, bs, ai >= aEnd, 0, 0
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
