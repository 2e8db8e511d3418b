package phrasebook

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

type hit struct{ pat, start, end int }

// naiveHits finds every occurrence of every pattern with strings.Index
// (case-folded, same word-boundary rule): the reference for the automaton.
func naiveHits(m *matcher, pats []string, text string) []hit {
	sq, idx := squeeze(asciiLower(text))
	var out []hit
	for p, pat := range pats {
		if pat == "" {
			continue
		}
		for from := 0; ; {
			i := strings.Index(sq[from:], pat)
			if i < 0 {
				break
			}
			s := idx[from+i]
			e := idx[from+i+len(pat)-1] + 1
			okStart := !m.wordStart[p] || s == 0 || !isWordByte(text[s-1])
			okEnd := !m.wordEnd[p] || e == len(text) || !isWordByte(text[e])
			if okStart && okEnd {
				out = append(out, hit{p, s, e})
			}
			from += i + 1
		}
	}
	return out
}

func sortHits(h []hit) {
	slices.SortFunc(h, func(a, b hit) int {
		if a.start != b.start {
			return a.start - b.start
		}
		if a.end != b.end {
			return a.end - b.end
		}
		return a.pat - b.pat
	})
}

// Property: the automaton reports exactly the occurrences strings.Index
// finds in the text without its stray whitespace, for random texts over an
// alphabet that makes overlaps and stray spaces common.
func TestMatcher_agrees_with_strings_Index(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	alphabet := []string{"a", "b", "A", "不", "在", "知", "道", " ", " ", "\t", "'", "\xff"}
	randText := func(n int) string { return randUnits(rng, alphabet, n) }
	for round := range 300 {
		var pats []string
		for range 1 + rng.IntN(12) {
			p, _ := squeeze(strings.TrimSpace(asciiLower(randText(1 + rng.IntN(4)))))
			pats = append(pats, strings.TrimSpace(p))
		}
		if round%10 == 0 {
			pats = append(pats, "") // never matches
		}
		m := newMatcher(pats)
		text := randText(rng.IntN(80))
		var got []hit
		m.scan(text, func(p, s, e int) { got = append(got, hit{p, s, e}) })
		want := naiveHits(m, pats, text)
		sortHits(got)
		sortHits(want)
		if !slices.Equal(got, want) {
			t.Fatalf("patterns %q text %q:\n got %v\nwant %v", pats, text, got, want)
		}
	}
}

func TestMatcher_longest_first_at_same_end(t *testing.T) {
	m := newMatcher([]string{"不在", "他在不在", "在不在"})
	var got []int
	m.scan("他在不在", func(p, s, e int) { got = append(got, p) })
	if !slices.Equal(got, []int{1, 2, 0}) {
		t.Fatalf("order %v, want [1 2 0]", got)
	}
}

// Property, over characters of every UTF-8 length and byte sequences that
// are not UTF-8 (a truncated character, a surrogate, an overlong form, a
// stray continuation byte): the automaton, which reads characters, finds
// exactly the occurrences that strings.Index finds in the bytes, for
// patterns that are valid UTF-8. Texts are long (some long enough to be
// read as two halves) and English-like words are common, so word
// boundaries and stray spaces are exercised too.
func TestMatcher_characters_agree_with_bytes(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 17))
	valid := []string{"a", "n", "o", "K", "é", "不", "在", "知", "𠀀", "’", ",", " ", " ", "\t", "1"}
	invalid := []string{"\xe4\xb8", "\xed\xa0\x80", "\xe0\x80\xaf", "\xe0\x83\xa9", "\xc0\xaf", "\xbf", "\xff", "\xf4\x90\x80\x80"}
	randText := func(units []string, n int) string { return randUnits(rng, units, n) }
	all := append(append([]string(nil), valid...), invalid...)
	for round := range 300 {
		pats := randPatterns(rng, valid, 1+rng.IntN(20))
		m := newMatcher(pats)
		if round%2 == 1 {
			m = compile(pats, true) // every non-ASCII byte on its own
		}
		text := randText(all, 200+rng.IntN(400))
		if round%10 == 0 {
			text = randText(all, splitMin) // read as two halves (find)
		}
		got := []hit{}
		m.scan(text, func(p, s, e int) { got = append(got, hit{p, s, e}) })
		want := naiveHits(m, pats, text)
		if want == nil {
			want = []hit{}
		}
		sortHits(got)
		sortHits(want)
		if !slices.Equal(got, want) {
			t.Fatalf("patterns %q text %q:\n got %v\nwant %v", pats, text, got, want)
		}
	}
}

// A pattern holding bytes that are not UTF-8 matches where the text holds
// the same bytes cut the same way, and never inside a character.
func TestMatcher_invalid_pattern_bytes(t *testing.T) {
	m := newMatcher([]string{"\xe4\xb8a", "\xff"})
	var got []hit
	m.scan("不a \xe4\xb8a\xff", func(p, s, e int) { got = append(got, hit{p, s, e}) })
	want := []hit{{0, 5, 8}, {1, 8, 9}}
	if !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

// decodeRune and decodeLastRune agree with the standard library on
// random bytes, valid and not.
func TestDecodeRune_agrees_with_utf8(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 23))
	units := []string{"a", "é", "不", "𠀀", "。", "\xe4\xb8", "\xed\xa0\x80", "\xe0\x80\xaf", "\xe0\xa0\x80", "\xbf", "\xff", "\xef\xbf\xbd"}
	for range 2000 {
		s := randUnits(rng, units, rng.IntN(6))
		for i := 0; i < len(s); i++ {
			r, n := decodeRune(s, i)
			wr, wn := utf8.DecodeRuneInString(s[i:])
			if r != wr || n != wn {
				t.Fatalf("decodeRune(%q, %d) = %q %d, want %q %d", s, i, r, n, wr, wn)
			}
			r, n = decodeLastRune(s, i+1)
			wr, wn = utf8.DecodeLastRuneInString(s[:i+1])
			if r != wr || n != wn {
				t.Fatalf("decodeLastRune(%q, %d) = %q %d, want %q %d", s, i+1, r, n, wr, wn)
			}
		}
	}
}

// A lexicon with more distinct characters than a table by character
// affords is read byte by byte, with the same occurrences.
func TestMatcher_many_characters_read_as_bytes(t *testing.T) {
	rng := rand.New(rand.NewPCG(29, 31))
	var pats []string
	for range 3000 {
		var b strings.Builder
		for range 2 + rng.IntN(3) {
			b.WriteRune(rune(0x4e00 + rng.IntN(0x5000)))
		}
		pats = append(pats, b.String())
	}
	m := newMatcher(pats)
	if !m.bytes || m.states()*m.nclass > 4*maxTable {
		t.Fatalf("bytes %v, %d states x %d classes", m.bytes, m.states(), m.nclass)
	}
	text := strings.Repeat(pats[7]+" "+pats[99]+"x不", 50)
	var got []hit
	m.scan(text, func(p, s, e int) { got = append(got, hit{p, s, e}) })
	want := naiveHits(m, pats, text)
	sortHits(got)
	sortHits(want)
	if len(want) < 100 || !slices.Equal(got, want) {
		t.Fatalf("got %d occurrences, want %d", len(got), len(want))
	}
}

// normEqual(s, want) is normWindow(s) == want, on random text and on
// wants made from it (so that equality is common).
func TestNormEqual_agrees_with_normWindow(t *testing.T) {
	rng := rand.New(rand.NewPCG(43, 47))
	units := []string{"a", "A", " ", "  ", "\t", "’", "'", "不", "在", "這", "这", "們", "们", "\xff", "\xe4\xb8", "\ufffd", "。"}
	gen := func() string { return randUnits(rng, units, rng.IntN(8)) }
	equal := 0
	for range 20000 {
		s := gen()
		want := gen()
		if rng.IntN(2) == 0 {
			want = normWindow(s)
			if rng.IntN(3) == 0 && want != "" {
				want = want[:rng.IntN(len(want))]
			}
		}
		got, exp := normEqual(s, want), normWindow(s) == want
		if got != exp {
			t.Fatalf("normEqual(%q, %q) = %v, normWindow gives %q", s, want, got, normWindow(s))
		}
		if exp {
			equal++
		}
	}
	if equal < 5000 {
		t.Fatalf("only %d equal pairs: the test proves little", equal)
	}
}

// Property: reading a text as two runs that meet (findSplit) gives exactly
// the occurrences of one pass, wherever the text is cut (inside a match,
// among stray spaces, next to bytes that are not UTF-8), for matchers
// reading characters and bytes, with patterns that hold bytes standing
// for themselves and without. find cuts only long texts, at the middle;
// here every character boundary of short texts is tried. And the one pass
// (advance's loop, which reads most characters itself) finds what a pass
// reading every character through decodeKey finds.
func TestMatcher_split_agrees_with_one_pass(t *testing.T) {
	rng := rand.New(rand.NewPCG(37, 41))
	valid := []string{"a", "n", "o", "K", "é", "不", "在", "知", "道", "𠀀", "अ", "’", ",", " ", " ", "  ", "\t", "1"}
	invalid := []string{"\xe4\xb8", "\xe0\x80\xaf", "\xe0\x83\xa9", "\xbf", "\xff", "\xed\xa0\x80", "\xf4\x90\x80\x80"}
	all := append(append([]string(nil), valid...), invalid...)
	randText := func(units []string, n int) string { return randUnits(rng, units, n) }
	cuts, found := 0, 0
	for round := range 400 {
		patUnits := valid
		if round%3 == 0 {
			patUnits = all // some patterns hold bytes standing for themselves
		}
		pats := randPatterns(rng, patUnits, 1+rng.IntN(15))
		m := newMatcher(pats)
		if round%4 == 1 {
			m = compile(pats, true)
		}
		text := randText(all, 20+rng.IntN(120))
		r := run{lastSkip: -1}
		want := m.findRun(text, &r, len(text), nil)
		found += len(want)
		// One pass through step alone (every character cut by decodeKey,
		// none by charClass) finds the same.
		var viaKey []occurrence
		for r = (run{lastSkip: -1}); r.i < len(text); {
			viaKey = m.take(text, &r, 0, 0, viaKey)
		}
		if !slices.Equal(viaKey, want) {
			t.Fatalf("patterns %q text %q:\nadvance %v\n   step %v", pats, text, want, viaKey)
		}
		for mid := 1; mid < len(text); mid++ {
			if text[mid]&0xC0 == 0x80 {
				continue
			}
			got, _ := m.findSplit(text, mid, nil, nil)
			if !slices.Equal(got, want) {
				t.Fatalf("patterns %q text %q cut at %d:\n got %v\nwant %v", pats, text, mid, got, want)
			}
			cuts++
		}
		// find itself, on a text long enough to be cut.
		long := text + randText(all, splitMin) + text
		r = run{lastSkip: -1}
		if got, want := m.find(long, nil, nil), m.findRun(long, &r, len(long), nil); !slices.Equal(got, want) {
			t.Fatalf("patterns %q: find on %d bytes differs from one pass", pats, len(long))
		}
	}
	if cuts < 10000 || found < 1000 {
		t.Fatalf("%d cuts, %d occurrences: the test proves little", cuts, found)
	}
}

// stateNumber divides exactly by the number of classes, for every class
// count a matcher can have and states up to the largest table.
func TestMatcher_stateNumber_divides(t *testing.T) {
	rng := rand.New(rand.NewPCG(53, 59))
	check := func(nc, n uint32) {
		m := &matcher{nclass: int(nc), recip: (1<<48 + uint64(nc) - 1) / uint64(nc)}
		if got := m.stateNumber(n * nc); got != n {
			t.Fatalf("nclass %d: stateNumber(%d) = %d, want %d", nc, n*nc, got, n)
		}
	}
	for nc := uint32(1); nc <= maxClasses+1; nc++ {
		last := (wsFlag - 1) / nc // the largest state below wsFlag
		for _, n := range []uint32{0, 1, last, last - 1, last / 2, rng.Uint32N(last)} {
			check(nc, n)
		}
	}
}

// quoteIn (the messages' quoting, which skips strconv.Quote for plain
// fragments) agrees with strconv.Quote, with and without text around.
func TestQuote_agrees_with_strconv(t *testing.T) {
	rng := rand.New(rand.NewPCG(61, 67))
	units := []string{"a", "不", "在", "é", "’", " ", "\t", "\n", "\"", "\\", "\xff", "\xe4\xb8", "\u200b", "\u9fff", "𠀀", "\x7f", "。"}
	plain := 0
	for range 5000 {
		s := randUnits(rng, units, rng.IntN(6))
		if got, want := quoteIn("", s, ""), strconv.Quote(s); got != want {
			t.Fatalf("quoteIn(\"\", %q, \"\") = %s, want %s", s, got, want)
		}
		if got, want := quoteIn("x ", s, " y"), "x "+strconv.Quote(s)+" y"; got != want {
			t.Fatalf("quoteIn(%q) = %s, want %s", s, got, want)
		}
		if plainQuote(s) {
			plain++
		}
	}
	if plain < 1000 {
		t.Fatalf("only %d plain fragments", plain)
	}
}

// randUnits is n units drawn at random and joined.
func randUnits(rng *rand.Rand, units []string, n int) string {
	var b strings.Builder
	for range n {
		b.WriteString(units[rng.IntN(len(units))])
	}
	return b.String()
}

// randPatterns is up to n random patterns of 1–4 units each, folded and
// squeezed as the linter keeps its patterns (blank ones left out).
func randPatterns(rng *rand.Rand, units []string, n int) []string {
	var pats []string
	for range n {
		p, _ := squeeze(strings.TrimSpace(asciiLower(randUnits(rng, units, 1+rng.IntN(4)))))
		if p = strings.TrimSpace(p); p != "" {
			pats = append(pats, p)
		}
	}
	return pats
}
