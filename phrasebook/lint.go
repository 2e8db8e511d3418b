package phrasebook

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Fault is the kind of bad manners a finding reports (P3's categories,
// 002 第六条's exaggerated promises and arguing, P2's missing apology).
type Fault string

// Faults of the built-in lexicon.
const (
	FaultRude          Fault = "rude"                // 无礼
	FaultArrogant      Fault = "arrogant"            // 傲慢
	FaultIrresponsible Fault = "irresponsible"       // 有气无力、不负责任
	FaultImpatient     Fault = "impatient"           // 急躁, 独断专横
	FaultHurtful       Fault = "hurtful"             // 不耐烦、出口伤人
	FaultAbsence       Fault = "absence"             // 没有来 / 一直未见到 / 还未来上班
	FaultPromise       Fault = "exaggerated_promise" // 夸大其词的承诺
	FaultArguing       Fault = "arguing"             // 与客户发生争执
	FaultNoApology     Fault = "no_apology"          // P2 refusal before an apology
)

// Forbidden is one entry of the lexicon: fragments that must not be said,
// the rule and fault they break, and the catalogue phrase to say instead.
type Forbidden struct {
	ID       string   `json:"id"`
	Rule     string   `json:"rule"`
	Fault    Fault    `json:"fault"`
	Note     string   `json:"note,omitempty"`
	Patterns []string `json:"patterns"`
	Suggest  string   `json:"suggest"` // phrase ID; must render without values
}

// Lexicon is the linter's word lists. Refusals, RuleExplanations,
// Apologies and Allow are keyed by language tag; all languages are
// matched together, so mixed Chinese/English text works.
type Lexicon struct {
	Forbidden        []Forbidden         `json:"forbidden"`
	Refusals         map[string][]string `json:"refusals"`
	RuleExplanations map[string][]string `json:"rule_explanations"`
	Apologies        map[string][]string `json:"apologies"`
	Allow            map[string][]string `json:"allow"`
}

// BuiltinLexicon returns the embedded lexicon (data/lint.json).
func BuiltinLexicon() (Lexicon, error) {
	b, err := dataFS.ReadFile("data/lint.json")
	if err != nil {
		return Lexicon{}, fmt.Errorf("phrasebook: read embedded lexicon: %w", err)
	}
	return ParseLexicon(bytes.NewReader(b))
}

// ParseLexicon decodes a lexicon from JSON (the form of data/lint.json).
func ParseLexicon(r io.Reader) (Lexicon, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var l Lexicon
	if err := dec.Decode(&l); err != nil {
		return Lexicon{}, &CatalogueError{Problem: "bad lexicon json: " + err.Error()}
	}
	return l, nil
}

// ApologyScope says how far back an apology may be for a refusal (P2).
type ApologyScope int

const (
	// ScopeTurn (the default): the apology comes earlier in the same turn.
	// A turn is one line: transcripts and chat logs put one utterance per
	// line; pass a single message with its line breaks replaced, or use
	// ScopeText, when a message spans lines.
	ScopeTurn ApologyScope = iota
	// ScopeSentence: the apology comes earlier in the same sentence. A
	// sentence ends at a line break, 。!?;!?; or an ASCII . ! ? ; followed
	// by a space or the end of the text.
	ScopeSentence
	// ScopeText: the apology comes anywhere earlier in the text.
	ScopeText
)

// LintPolicy configures a Linter. The zero value is the default: the
// built-in lexicon and ScopeTurn.
type LintPolicy struct {
	ApologyScope ApologyScope
	Lexicon      *Lexicon // nil: BuiltinLexicon
	// OtherSpeakers are line prefixes ("客户:", "Customer:") marking lines
	// of a transcript said by someone other than the agent: nothing on
	// them is flagged, and an apology on them does not count for P2.
	// Leading spaces before the prefix are ignored.
	OtherSpeakers []string
}

// Finding is one problem in a text. Offset and End are byte offsets (End
// exclusive); Line and Col are 1-based, Col counted in runes (an invalid
// byte counts as one rune, as in a for-range loop).
type Finding struct {
	Offset, End  int
	Line, Col    int
	Rule         string // "P3", "P2", ...
	Fault        Fault
	Fragment     string // the text at [Offset, End)
	EntryID      string // lexicon entry ("p3.arrogant.not_here"), or "p2.no_apology"
	Message      string
	SuggestionID string // catalogue phrase to say instead
	Suggestion   string // that phrase, in the language of the fragment
}

// String is "line:col: rule: message".
func (f Finding) String() string {
	return fmt.Sprintf("%d:%d: %s: %s", f.Line, f.Col, f.Rule, f.Message)
}

// Linter checks what an agent said or wrote (P2, P3). It is immutable and
// safe for concurrent use.
//
// Matching model. Every pattern of every kind (forbidden fragments,
// refusals, company-rule explanations, apologies, allow-contexts and the
// clauses of approved phrases) is compiled into one Aho–Corasick
// automaton over bytes, so a text is read once, left to right, whatever
// the number of phrases. The occurrences are then resolved:
//
//  1. An allow span masks every forbidden fragment lying wholly inside it.
//     Allow spans are the lexicon's allow-contexts (暂时不在, 不在办公室,
//     能不能, ...) and the clauses of every catalogue phrase that contain a
//     forbidden fragment: "很抱歉,经理暂时不在,需要给他留言吗?" contains
//     不在, but the approved clause 经理暂时不在 covers it, so nothing is
//     flagged. Clauses are split at punctuation, so full-width and ASCII
//     punctuation both work. Approved clauses mask P3 only; P2 is about
//     order, and an approved refusal still needs its apology first.
//  2. A forbidden fragment inside a longer forbidden fragment is reported
//     once, as the longer one (我也不知道他在不在, not also 不知道, 不在).
//  3. A refusal (不能, 无法, can't, ...) or an explanation of a company rule
//     (公司规定, our policy, ...) not masked by an allow-context and not
//     inside a reported P3 fragment is a P2 finding unless an apology
//     (对不起, 抱歉, 不好意思, sorry, I'm afraid, ...) starts before it within
//     the policy's ApologyScope.
//
// Patterns match ASCII letters case-insensitively, and a pattern that
// begins or ends with an ASCII letter or digit only on a word boundary.
type Linter struct {
	cat     *Catalogue
	policy  LintPolicy
	m       *matcher
	pats    []string  // the compiled patterns, for tests and the benchmark baseline
	kinds   []patKind // per pattern
	entries []int     // per pattern: forbidden entry index, else -1
	lex     Lexicon
	suggest []map[string]string // per forbidden entry: lang -> rendered suggestion
	pool    sync.Pool
}

type patKind uint8

const (
	kindForbidden patKind = iota
	kindRefusal
	kindApology
	kindAllowAll // allow-context: masks P3 and P2
	kindAllowP3  // approved clause: masks P3 only
)

// NewLinter builds a linter over a catalogue (whose phrases become
// approved text and suggestions). The lexicon is validated: every entry
// needs an ID, a rule ID, a fault, non-empty patterns and a suggestion
// that exists in the catalogue and renders without values; problems are
// a *CatalogueError naming the entry.
func NewLinter(c *Catalogue, p LintPolicy) (*Linter, error) {
	if c == nil {
		return nil, fmt.Errorf("phrasebook: new linter: nil catalogue: %w", ErrInvalidPolicy)
	}
	if p.ApologyScope < ScopeTurn || p.ApologyScope > ScopeText {
		return nil, fmt.Errorf("phrasebook: new linter: apology scope %d: %w", p.ApologyScope, ErrInvalidPolicy)
	}
	var lex Lexicon
	if p.Lexicon != nil {
		lex = *p.Lexicon
	} else {
		var err error
		if lex, err = BuiltinLexicon(); err != nil {
			return nil, err
		}
	}
	// Keep private copies: a caller changing its lexicon or prefixes later
	// must not change (or race with) a linter in use.
	lex.Forbidden = slices.Clone(lex.Forbidden)
	p.Lexicon = nil
	p.OtherSpeakers = slices.Clone(p.OtherSpeakers)
	l := &Linter{cat: c, policy: p, lex: lex}
	var pats []string
	add := func(s string, k patKind, entry int) {
		for _, v := range variants(s) {
			pats = append(pats, v)
			l.kinds = append(l.kinds, k)
			l.entries = append(l.entries, entry)
		}
	}
	forbidden := map[string]string{} // pattern -> entry ID
	for i, f := range lex.Forbidden {
		if !validID(f.ID) {
			return nil, &CatalogueError{PhraseID: f.ID, Problem: "lexicon entry id must be non-empty and use a-z, 0-9, '.', '_' or '-'"}
		}
		if !validRuleID(f.Rule) {
			return nil, &CatalogueError{PhraseID: f.ID, Problem: fmt.Sprintf("rule %q is not a rule id such as P3", f.Rule)}
		}
		if f.Fault == "" {
			return nil, &CatalogueError{PhraseID: f.ID, Problem: "missing fault"}
		}
		if len(f.Patterns) == 0 {
			return nil, &CatalogueError{PhraseID: f.ID, Problem: "no patterns"}
		}
		sugg := map[string]string{}
		for _, lang := range c.Languages() {
			if s, err := c.Render(f.Suggest, lang, nil); err == nil {
				sugg[lang] = s
			}
		}
		if len(sugg) == 0 {
			return nil, &CatalogueError{PhraseID: f.ID, Problem: fmt.Sprintf("suggestion %q is not a catalogue phrase that renders without values", f.Suggest)}
		}
		l.suggest = append(l.suggest, sugg)
		for _, pat := range f.Patterns {
			norm := asciiLower(strings.TrimSpace(pat))
			if norm == "" || !utf8.ValidString(norm) {
				return nil, &CatalogueError{PhraseID: f.ID, Problem: fmt.Sprintf("pattern %q is empty or not utf-8", pat)}
			}
			forbidden[norm] = f.ID
			add(norm, kindForbidden, i)
		}
	}
	addList := func(m map[string][]string, k patKind, what string) error {
		for _, lang := range slices.Sorted(maps.Keys(m)) {
			for _, pat := range m[lang] {
				norm := asciiLower(strings.TrimSpace(pat))
				if norm == "" || !utf8.ValidString(norm) {
					return &CatalogueError{Lang: lang, Problem: fmt.Sprintf("%s pattern %q is empty or not utf-8", what, pat)}
				}
				if id, ok := forbidden[norm]; ok && (k == kindAllowAll || k == kindApology) {
					return &CatalogueError{PhraseID: id, Lang: lang, Problem: fmt.Sprintf("%s pattern %q is also forbidden", what, pat)}
				}
				add(norm, k, -1)
			}
		}
		return nil
	}
	if err := addList(lex.Refusals, kindRefusal, "refusal"); err != nil {
		return nil, err
	}
	if err := addList(lex.RuleExplanations, kindRefusal, "rule explanation"); err != nil {
		return nil, err
	}
	if err := addList(lex.Apologies, kindApology, "apology"); err != nil {
		return nil, err
	}
	if err := addList(lex.Allow, kindAllowAll, "allow"); err != nil {
		return nil, err
	}
	// Approved clauses: only those that contain a forbidden fragment can
	// ever mask anything, so only those enter the automaton.
	fpats := slices.Collect(maps.Keys(forbidden))
	seen := map[string]bool{}
	for _, lit := range c.literalTexts() {
		for _, clause := range clauses(lit) {
			norm := asciiLower(clause)
			if seen[norm] {
				continue
			}
			seen[norm] = true
			for _, fp := range fpats {
				if strings.Contains(norm, fp) && norm != fp {
					add(norm, kindAllowP3, -1)
					break
				}
			}
		}
	}
	l.m = newMatcher(pats)
	l.pats = pats
	l.pool.New = func() any { s := make([]occurrence, 0, 64); return &s }
	return l, nil
}

// variants returns s and, when it has an ASCII apostrophe, the same with
// a typographic one (can't / can’t).
func variants(s string) []string {
	if strings.Contains(s, "'") {
		return []string{s, strings.ReplaceAll(s, "'", "\u2019")}
	}
	return []string{s}
}

// clauses splits an approved text at punctuation and slashes, keeping
// runs of at least two runes, trimmed.
func clauses(s string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool {
		return r == '/' || r == '\n' || unicode.IsPunct(r) && r != '\'' && r != '\u2019'
	})
	var out []string
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if utf8.RuneCountInString(p) >= 2 {
			out = append(out, p)
		}
	}
	return out
}

type occurrence struct {
	pat        int32
	start, end int // int, not int32: texts over 2 GiB must not wrap
}

// Lint checks text and returns its findings in order of offset (nil when
// the text is clean). It never panics, whatever the input, including
// invalid UTF-8.
func (l *Linter) Lint(text string) []Finding {
	bufp := l.pool.Get().(*[]occurrence)
	occ := (*bufp)[:0]
	l.m.scan(text, func(p, s, e int) {
		occ = append(occ, occurrence{int32(p), s, e})
	})
	var findings []Finding
	if len(occ) > 0 && len(l.policy.OtherSpeakers) > 0 {
		occ = l.dropOtherSpeakers(text, occ)
	}
	if len(occ) > 0 {
		findings = l.resolve(text, occ)
	}
	*bufp = occ[:0]
	l.pool.Put(bufp)
	if len(findings) > 0 {
		setPositions(text, findings)
	}
	return findings
}

func (l *Linter) resolve(text string, occ []occurrence) []Finding {
	// Start ascending; at equal start, longer first; at equal span, allow
	// kinds first so they mask.
	slices.SortFunc(occ, func(a, b occurrence) int {
		if a.start != b.start {
			return a.start - b.start
		}
		if a.end != b.end {
			return b.end - a.end
		}
		return int(l.kinds[b.pat]) - int(l.kinds[a.pat])
	})
	var (
		findings                 []Finding
		allowAllEnd, allowP3End  = -1, -1
		forbEnd                  = -1 // end of the reported P3 fragments so far
		apologyStart, apologyEnd = -1, -1
	)
	for _, o := range occ {
		switch l.kinds[o.pat] {
		case kindAllowAll:
			allowAllEnd = max(allowAllEnd, o.end)
		case kindAllowP3:
			allowP3End = max(allowP3End, o.end)
		case kindApology:
			apologyStart, apologyEnd = o.start, o.end
		case kindForbidden:
			if allowAllEnd >= o.end || allowP3End >= o.end || forbEnd >= o.end {
				continue
			}
			forbEnd = o.end
			ei := l.entries[o.pat]
			f := l.lex.Forbidden[ei]
			frag := text[o.start:o.end]
			lang := langOf(frag)
			sugg := l.suggest[ei][lang]
			msg := fmt.Sprintf("%s wording %q", strings.ReplaceAll(string(f.Fault), "_", " "), frag)
			if sugg != "" {
				msg += fmt.Sprintf("; say %q instead", sugg)
			}
			findings = append(findings, Finding{
				Offset: o.start, End: o.end, Rule: f.Rule, Fault: f.Fault, Fragment: frag,
				EntryID: f.ID, Message: msg, SuggestionID: f.Suggest, Suggestion: sugg,
			})
		case kindRefusal:
			if allowAllEnd >= o.end || forbEnd >= o.end {
				continue
			}
			if apologyStart >= 0 && apologyStart < o.start && l.inScope(text, min(apologyEnd, o.start), o.start) {
				continue
			}
			frag := text[o.start:o.end]
			findings = append(findings, Finding{
				Offset: o.start, End: o.end, Rule: "P2", Fault: FaultNoApology, Fragment: frag,
				EntryID: "p2.no_apology",
				Message: fmt.Sprintf("refusal or rule explanation %q without an apology before it; apologise first, then explain", frag),
			})
		}
	}
	// Occurrences were visited by start, so findings are already ordered;
	// a stable sort keeps that promise explicit and cheap.
	sort.SliceStable(findings, func(i, j int) bool { return findings[i].Offset < findings[j].Offset })
	return findings
}

// dropOtherSpeakers removes the occurrences on lines that start with one
// of the policy's OtherSpeakers prefixes. Occurrences come in order of
// end offset, and a line's start is found once per line that has any.
func (l *Linter) dropOtherSpeakers(text string, occ []occurrence) []occurrence {
	kept := occ[:0]
	lineStart, lineEnd, other := -1, -1, false
	for _, o := range occ {
		if o.start >= lineEnd || o.start < lineStart {
			lineStart = strings.LastIndexByte(text[:o.start], '\n') + 1
			lineEnd = len(text)
			if i := strings.IndexByte(text[o.start:], '\n'); i >= 0 {
				lineEnd = o.start + i
			}
			line := strings.TrimLeft(text[lineStart:lineEnd], " \t")
			other = false
			for _, p := range l.policy.OtherSpeakers {
				if p != "" && strings.HasPrefix(line, p) {
					other = true
					break
				}
			}
		}
		if !other {
			kept = append(kept, o)
		}
	}
	return kept
}

// inScope reports whether text[from:to] crosses no boundary of the
// policy's apology scope.
func (l *Linter) inScope(text string, from, to int) bool {
	if from > to {
		from = to
	}
	gap := text[from:to]
	switch l.policy.ApologyScope {
	case ScopeText:
		return true
	case ScopeTurn:
		return !strings.ContainsRune(gap, '\n')
	}
	for i := 0; i < len(gap); i++ {
		switch gap[i] {
		case '\n':
			return false
		case '.', '!', '?', ';':
			// The boundary byte itself belongs to the gap; what follows
			// it is either later in the gap or the start of the refusal.
			next := from + i + 1
			if next >= len(text) || text[next] == ' ' || text[next] == '\t' || text[next] == '\r' {
				return false
			}
		}
	}
	return !strings.ContainsAny(gap, "。!?;")
}

func langOf(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return LangZH
		}
	}
	return LangEN
}

// setPositions fills Line and Col of findings sorted by Offset, in one
// pass over the text up to the last finding.
func setPositions(text string, fs []Finding) {
	line, col, pos := 1, 1, 0
	for i := range fs {
		for pos < fs[i].Offset {
			r, size := utf8.DecodeRuneInString(text[pos:])
			if r == '\n' {
				line++
				col = 1
			} else {
				col++
			}
			pos += size
		}
		fs[i].Line, fs[i].Col = line, col
	}
}
