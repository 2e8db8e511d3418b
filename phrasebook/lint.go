package phrasebook

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math/bits"
	"slices"
	"strconv"
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
	// Bare: the fragment counts only when nothing but particles follows
	// it in its clause (经理不在。, not 不在保修范围内 or 不在小区).
	Bare bool `json:"bare,omitempty"`
	// UnlessCustomer: the fragment does not count when its subject is the
	// customer (您不知道, if you're not sure), in a condition (如果您不在家)
	// or in a polite question naming the customer after it in its clause
	// (不知道明天您方便吗?).
	UnlessCustomer bool `json:"unless_customer,omitempty"`
	// UnlessKPI: the fragment does not count in a clause about a rate or
	// target (回访率达到100%).
	UnlessKPI bool `json:"unless_kpi,omitempty"`
}

// Lexicon is the linter's word lists. Refusals, RuleExplanations,
// Apologies and Allow are keyed by language tag; all languages are
// matched together, so mixed Chinese/English text works.
//
// A pattern may be a template: a '*' stands for a slot of up to
// LintPolicy.SlotRunes runes within one clause (说了*遍 matches 说了三遍 and
// 说了好几遍; 是不会*的 matches 我们是不会赔偿的). Patterns are written in
// simplified characters; each is also matched in traditional characters.
type Lexicon struct {
	Forbidden        []Forbidden         `json:"forbidden"`
	Refusals         map[string][]string `json:"refusals"`
	RuleExplanations map[string][]string `json:"rule_explanations"`
	Apologies        map[string][]string `json:"apologies"`
	Allow            map[string][]string `json:"allow"`
	Context          LintContext         `json:"context"`
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
// built-in lexicon, ScopeTurn, speech and slots of 4 runes.
type LintPolicy struct {
	ApologyScope ApologyScope
	Lexicon      *Lexicon // nil: BuiltinLexicon
	// Document: the text is not speech but a document about speech (a
	// regulation, a KPI table, a training handout). Only quoted speech in
	// it is linted (see quoteSpans); procedural text around the quotes is
	// never flagged, and an apology counts only inside the same quotation.
	Document bool
	// SlotRunes is how many runes a '*' slot of a template pattern may
	// stand for, and how far an approved-phrase anchor (暂时 of 经理暂时不在)
	// may stand before the fragment it excuses (经理暂时还不在). 0 means 4.
	SlotRunes int
	// OtherSpeakers are line prefixes ("客户:", "Customer:") marking lines
	// of a transcript said by someone other than the agent: nothing on
	// them is flagged, and an apology on them does not count for P2.
	// Leading spaces before the prefix are ignored.
	OtherSpeakers []string
}

// Finding is one problem in a text. Offset and End are byte offsets (End
// exclusive); Line and Col are 1-based, Col counted in runes (in invalid
// UTF-8, every byte that is not a continuation byte 10xxxxxx counts as
// one).
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
	cat      *Catalogue
	policy   LintPolicy
	m        *matcher
	pats     []string                    // the compiled patterns, for tests and the benchmark baseline
	kinds    []patKind                   // per pattern
	entries  []int                       // per pattern: forbidden entry index, else -1
	tails    [][]string                  // per pattern: the parts after the head of a template
	base     []string                    // per pattern: the lexicon's (simplified) pattern
	anchors  map[string][]string         // forbidden pattern -> approved anchors
	approved map[string][]approvedClause // forbidden pattern -> approved clauses holding it
	// per pattern: anchors and approved clauses of its lexicon pattern
	patAnchors  [][]string
	patApproved [][]approvedClause
	patMsg      []string // the message of a finding whose fragment is the pattern itself
	patSugg     []string // and its suggestion
	lex         Lexicon
	suggest     []map[string]string // per forbidden entry: lang -> rendered suggestion
	// per forbidden entry: the message's fixed parts
	faultText   []string
	suggestText []map[string]string
	pool        sync.Pool
}

// scratch is the memory one Lint call works in, kept for the next.
type scratch struct {
	occ  []occurrence
	tail []occurrence // find's memory
}

type patKind uint8

const (
	kindForbidden patKind = iota
	kindRefusal
	kindApology
	kindAllowAll // allow-context: masks P3 and P2
)

// NewLinter builds a linter over a catalogue (whose phrases become
// approved text and suggestions). The lexicon is validated: every entry
// needs an ID, a rule ID, a fault, non-empty patterns and a suggestion
// that exists in the catalogue and renders without values; problems are
// a *CatalogueError naming the entry.
func NewLinter(c *Catalogue, p LintPolicy) (*Linter, error) {
	lex, err := p.prepare(c)
	if err != nil {
		return nil, err
	}
	l := &Linter{cat: c, policy: p, lex: lex, anchors: map[string][]string{}, approved: map[string][]approvedClause{}}
	forbidden, err := l.addForbidden()
	if err != nil {
		return nil, err
	}
	for _, list := range []struct {
		m    map[string][]string
		k    patKind
		what string
	}{
		{lex.Refusals, kindRefusal, "refusal"},
		{lex.RuleExplanations, kindRefusal, "rule explanation"},
		{lex.Apologies, kindApology, "apology"},
		{lex.Allow, kindAllowAll, "allow"},
	} {
		if err := l.addList(list.m, list.k, list.what, forbidden); err != nil {
			return nil, err
		}
	}
	l.addApproved(slices.Sorted(maps.Keys(forbidden)))
	l.addMessages()
	l.m = newMatcher(l.pats)
	l.pool.New = func() any { return &scratch{occ: make([]occurrence, 0, 64)} }
	return l, nil
}

// prepare checks the policy, fills its defaults (SlotRunes 4, the
// built-in lexicon) and returns the lexicon to use. It keeps private
// copies: a caller changing its lexicon or prefixes later must not change
// (or race with) a linter in use.
func (p *LintPolicy) prepare(c *Catalogue) (Lexicon, error) {
	if c == nil {
		return Lexicon{}, fmt.Errorf("phrasebook: new linter: nil catalogue: %w", ErrInvalidPolicy)
	}
	if p.ApologyScope < ScopeTurn || p.ApologyScope > ScopeText {
		return Lexicon{}, fmt.Errorf("phrasebook: new linter: apology scope %d: %w", p.ApologyScope, ErrInvalidPolicy)
	}
	if p.SlotRunes < 0 {
		return Lexicon{}, fmt.Errorf("phrasebook: new linter: slot runes %d: %w", p.SlotRunes, ErrInvalidPolicy)
	}
	if p.SlotRunes == 0 {
		p.SlotRunes = 4
	}
	var lex Lexicon
	if p.Lexicon != nil {
		lex = *p.Lexicon
	} else {
		var err error
		if lex, err = BuiltinLexicon(); err != nil {
			return Lexicon{}, err
		}
	}
	lex.Forbidden = slices.Clone(lex.Forbidden)
	lex.Context = lex.Context.normalized()
	p.Lexicon = nil
	p.OtherSpeakers = slices.Clone(p.OtherSpeakers)
	return lex, nil
}

// addPattern adds every variant of pattern s, of kind k and lexicon
// entry (-1 for none), to the patterns the automaton looks for.
func (l *Linter) addPattern(s string, k patKind, entry int) {
	for _, v := range variants(s) {
		head, tail, _ := strings.Cut(v, "*")
		var tails []string
		if tail != "" {
			tails = strings.Split(tail, "*")
		}
		l.pats = append(l.pats, head)
		l.kinds = append(l.kinds, k)
		l.entries = append(l.entries, entry)
		l.tails = append(l.tails, tails)
		l.base = append(l.base, s)
	}
}

// addForbidden validates the lexicon's forbidden entries, renders each
// one's suggestion and message parts and adds its patterns. It returns
// the forbidden patterns with their entry IDs.
func (l *Linter) addForbidden() (map[string]string, error) {
	c := l.cat
	forbidden := map[string]string{} // pattern -> entry ID
	for i, f := range l.lex.Forbidden {
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
		l.faultText = append(l.faultText, strings.ReplaceAll(string(f.Fault), "_", " ")+" wording ")
		st := map[string]string{}
		for lang, text := range sugg {
			st[lang] = "; say " + strconv.Quote(text) + " instead"
		}
		l.suggestText = append(l.suggestText, st)
		for _, pat := range f.Patterns {
			norm := normPattern(pat)
			if !validPattern(norm) {
				return nil, &CatalogueError{PhraseID: f.ID, Problem: fmt.Sprintf("pattern %q is empty, not utf-8, or a template with an empty part", pat)}
			}
			forbidden[norm] = f.ID
			l.addPattern(norm, kindForbidden, i)
		}
	}
	return forbidden, nil
}

// addList adds one list of the lexicon (refusals, rule explanations,
// apologies, allowed contexts) by language. An apology or allowed
// context may not also be forbidden.
func (l *Linter) addList(m map[string][]string, k patKind, what string, forbidden map[string]string) error {
	for _, lang := range slices.Sorted(maps.Keys(m)) {
		for _, pat := range m[lang] {
			norm := normPattern(pat)
			if !validPattern(norm) {
				return &CatalogueError{Lang: lang, Problem: fmt.Sprintf("%s pattern %q is empty, not utf-8, or a template with an empty part", what, pat)}
			}
			if id, ok := forbidden[norm]; ok && (k == kindAllowAll || k == kindApology) {
				return &CatalogueError{PhraseID: id, Lang: lang, Problem: fmt.Sprintf("%s pattern %q is also forbidden", what, pat)}
			}
			l.addPattern(norm, k, -1)
		}
	}
	return nil
}

// addApproved records the catalogue's approved clauses that hold a
// forbidden pattern (fpats, sorted): only those can ever mask anything,
// so only those enter the automaton. Each such clause also gives its
// fragments an anchor: the two runes before the fragment (暂时 of
// 经理暂时不在). A fragment with one of its anchors at most SlotRunes runes
// before it in its clause is the approved phrase with words inserted
// (经理暂时还不在), and is masked too.
func (l *Linter) addApproved(fpats []string) {
	seen := map[string]bool{}
	for _, lit := range l.cat.literalTexts() {
		for _, clause := range clauses(lit) {
			norm := normPattern(clause)
			if seen[norm] || strings.Contains(norm, "*") {
				continue
			}
			seen[norm] = true
			for _, fp := range fpats {
				i := strings.Index(norm, fp)
				if i < 0 || norm == fp || strings.Contains(fp, "*") {
					continue
				}
				for j := i; j >= 0; {
					l.approved[fp] = append(l.approved[fp], approvedClause{norm, j})
					k := strings.Index(norm[j+1:], fp)
					if k < 0 {
						break
					}
					j += 1 + k
				}
				if before := []rune(norm[:i]); len(before) >= 2 {
					a := string(before[len(before)-2:])
					if !slices.Contains(l.anchors[fp], a) {
						l.anchors[fp] = append(l.anchors[fp], a)
					}
				}
			}
		}
	}
}

// addMessages gives each pattern its anchors, approved clauses and the
// message of a finding whose fragment is the pattern itself.
func (l *Linter) addMessages() {
	for p, b := range l.base {
		l.patAnchors = append(l.patAnchors, l.anchors[b])
		l.patApproved = append(l.patApproved, l.approved[b])
		msg, sugg := "", ""
		switch l.kinds[p] {
		case kindForbidden:
			msg, sugg = l.forbiddenMessage(l.entries[p], l.pats[p])
		case kindRefusal:
			msg = refusalMessage(l.pats[p])
		}
		l.patMsg = append(l.patMsg, msg)
		l.patSugg = append(l.patSugg, sugg)
	}
}

// Patterns returns the literal strings the linter's automaton looks for:
// every pattern of the lexicon (the head of a template), its typographic-
// apostrophe and traditional-character variants, all in lower case. It is
// for tools and benchmarks that need the same set of strings, for
// example to compare with another matcher.
func (l *Linter) Patterns() []string { return slices.Clone(l.pats) }

// variants returns s, the same with a typographic apostrophe when it has
// an ASCII one (can't / can’t), and the same in traditional characters
// when it has any with a traditional form (办不了 / 辦不了).
func variants(s string) []string {
	out := []string{s}
	if strings.Contains(s, "'") {
		out = append(out, strings.ReplaceAll(s, "'", "\u2019"))
	}
	if t, ok := traditional(s); ok {
		out = append(out, t)
	}
	return out
}

// normPattern is a pattern as the matcher compares it: trimmed, ASCII in
// lower case, stray whitespace dropped.
func normPattern(p string) string {
	sq, _ := squeeze(asciiLower(strings.TrimSpace(p)))
	return strings.TrimSpace(sq)
}

// validPattern: non-empty UTF-8, and no template part empty.
func validPattern(p string) bool {
	if p == "" || !utf8.ValidString(p) {
		return false
	}
	for _, part := range strings.Split(p, "*") {
		if strings.TrimSpace(part) == "" {
			return false
		}
	}
	return true
}

// normalized returns the context words as normWindow reads text.
func (c LintContext) normalized() LintContext {
	norm := func(ws []string) []string {
		var out []string
		for _, w := range ws {
			if w = normWindow(strings.TrimSpace(w)); w != "" {
				out = append(out, w)
			}
		}
		return out
	}
	n := LintContext{
		CustomerSubjects:  norm(c.CustomerSubjects),
		AgentSubjects:     norm(c.AgentSubjects),
		Conditionals:      norm(c.Conditionals),
		ConditionalsAfter: norm(c.ConditionalsAfter),
		Particles:         normWindow(c.Particles),
		KPIWords:          norm(c.KPIWords),
	}
	n.sets = &contextSets{
		customers:    newWordSet(n.CustomerSubjects),
		agents:       newWordSet(n.AgentSubjects),
		conditionals: newWordSet(n.Conditionals),
		kpi:          newWordSet(n.KPIWords),
	}
	return n
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

// approvedClause is a catalogue clause holding a forbidden pattern at
// byte offset at.
type approvedClause struct {
	text string
	at   int
}

// Lint checks text and returns its findings in order of offset (nil when
// the text is clean). It never panics, whatever the input, including
// invalid UTF-8.
func (l *Linter) Lint(text string) []Finding {
	sc := l.pool.Get().(*scratch)
	occ := l.m.find(text, sc.occ[:0], &sc.tail)
	if len(occ) > 0 && len(l.policy.OtherSpeakers) > 0 {
		occ = l.dropOtherSpeakers(text, occ)
	}
	var report []occurrence
	switch {
	case len(occ) == 0:
	case l.policy.Document:
		report = l.resolveQuotes(text, occ)
	default:
		report = l.resolve(window{text, 0, len(text)}, occ)
	}
	findings := l.findings(text, report)
	sc.occ = occ[:0]
	l.pool.Put(sc)
	if len(findings) > 0 {
		setPositions(text, findings)
	}
	return findings
}

// resolveQuotes resolves, quotation by quotation, the occurrences lying
// wholly inside one (document mode), and returns those to report in occ's
// memory. occ is in order of end offset.
func (l *Linter) resolveQuotes(text string, occ []occurrence) []occurrence {
	k := 0 // occ[:k]: reported so far; each quotation's go to occ[k:]
	i := 0
	for _, q := range quoteSpans(text) {
		for i < len(occ) && occ[i].end <= q[0] {
			i++
		}
		j, n := i, k
		for j < len(occ) && occ[j].end <= q[1] {
			if occ[j].start >= q[0] {
				occ[n] = occ[j]
				n++
			}
			j++
		}
		if n > k {
			k += len(l.resolve(window{text, q[0], q[1]}, occ[k:n]))
		}
		i = j
	}
	return occ[:k]
}

// completeTemplates replaces each occurrence of a template's head with
// the whole template's span when its other parts follow, each within
// SlotRunes runes of the part before and in the same clause, and drops it
// otherwise.
func (l *Linter) completeTemplates(w window, occ []occurrence) []occurrence {
	kept := occ[:0]
	for _, o := range occ {
		if tails := l.tails[o.pat]; tails != nil {
			end, ok := o.end, true
			for _, t := range tails {
				limit := w.clauseAfter(end)
				stop := end
				for n := 0; n < l.policy.SlotRunes && stop < limit; n++ {
					_, size := utf8.DecodeRuneInString(w.text[stop:limit])
					stop += size
				}
				stop = min(limit, stop+len(t))
				i := strings.Index(asciiLower(w.text[end:stop]), t)
				if i < 0 {
					ok = false
					break
				}
				end += i + len(t)
			}
			if !ok {
				continue
			}
			o.end = end
		}
		kept = append(kept, o)
	}
	return kept
}

// masked reports whether the context rules excuse forbidden entry f's
// fragment at o (see Forbidden and the approved-phrase anchors).
func (l *Linter) masked(w window, o occurrence, f *Forbidden) bool {
	anchors, approved := l.patAnchors[o.pat], l.patApproved[o.pat]
	if !f.Bare && !f.UnlessCustomer && !f.UnlessKPI && len(anchors) == 0 && len(approved) == 0 {
		return false
	}
	for _, a := range approved {
		// Simplified and traditional characters take the same number of
		// bytes in UTF-8, so the clause sits at the same offsets.
		s, e := o.start-a.at, o.start-a.at+len(a.text)
		if s >= w.lo && e <= w.hi && e >= o.end {
			if raw := w.text[s:e]; raw == a.text || normEqual(raw, a.text) {
				return true
			}
		}
	}
	ctx := &l.lex.Context
	after := "" // the rest of the clause, read only by the rules below
	if f.Bare || f.UnlessKPI || f.UnlessCustomer {
		after = normWindow(w.text[o.end:w.clauseAfter(o.end)])
	}
	if f.Bare && !ctx.bare(after) {
		return true
	}
	before := normWindow(w.text[w.clauseBefore(o.start):o.start])
	if len(anchors) > 0 {
		n := 0
		for i := len(before); i > 0 && n < l.policy.SlotRunes+2; n++ {
			_, size := utf8.DecodeLastRuneInString(before[:i])
			i -= size
			if n+1 >= 2 {
				for _, a := range anchors {
					if strings.HasPrefix(before[i:], a) {
						return true
					}
				}
			}
		}
	}
	if f.UnlessKPI && (ctx.sets.kpi.in(before) || ctx.sets.kpi.in(after)) {
		return true
	}
	if f.UnlessCustomer {
		subj := ctx.subjectOf(before)
		if subj == subjectCustomer || ctx.conditional(before, after) {
			return true
		}
		if subj == subjectNone && ctx.sets.customers.in(after) && w.isQuestion(o.end) {
			return true
		}
	}
	return false
}

// notRefusal reports whether the context rules excuse the refusal at o:
// it is in a condition (如果师傅不能按时到, if you can't make it), or in a
// question whose subject is not the agent (您是不能登录吗?).
func (l *Linter) notRefusal(w window, o occurrence) bool {
	ctx := &l.lex.Context
	before := normWindow(w.text[w.clauseBefore(o.start):o.start])
	after := normWindow(w.text[o.end:w.clauseAfter(o.end)])
	if ctx.conditional(before, after) {
		return true
	}
	return ctx.subjectOf(before) != subjectAgent && w.isQuestion(o.end)
}

// resolve applies the context rules and the masking, ordering and apology
// rules (see Linter) to the occurrences in window w, and returns those to
// report, in order of start, in occ's memory.
func (l *Linter) resolve(w window, occ []occurrence) []occurrence {
	text := w.text
	occ = l.completeTemplates(w, occ)
	// Start ascending; at equal start, longer first; at equal span, allow
	// kinds first so they mask.
	// The scan delivers them by end, which is by start too but for
	// occurrences nested in one another: an insertion sort moves only
	// those, a few places each.
	cmp := func(a, b occurrence) int {
		if a.start != b.start {
			return a.start - b.start
		}
		if a.end != b.end {
			return b.end - a.end
		}
		return int(l.kinds[b.pat]) - int(l.kinds[a.pat])
	}
	for i := range occ {
		for j := i; j > 0 && cmp(occ[j-1], occ[j]) > 0; j-- {
			occ[j-1], occ[j] = occ[j], occ[j-1]
		}
	}
	var (
		report                   = occ[:0] // written behind the reading
		allowAllEnd              = -1
		forbEnd                  = -1 // end of the reported P3 fragments so far
		apologyStart, apologyEnd = -1, -1
		// ScopeTurn: the first line break after the apology (-1: none
		// found in text[apologyEnd:nlFrom]).
		nlAt, nlFrom = -1, 0
	)
	for _, o := range occ {
		switch l.kinds[o.pat] {
		case kindAllowAll:
			allowAllEnd = max(allowAllEnd, o.end)
		case kindApology:
			apologyStart, apologyEnd = o.start, o.end
			nlAt, nlFrom = -1, o.end
		case kindForbidden:
			if allowAllEnd >= o.end || forbEnd >= o.end {
				continue
			}
			if l.masked(w, o, &l.lex.Forbidden[l.entries[o.pat]]) {
				continue
			}
			forbEnd = o.end
			report = append(report, o)
		case kindRefusal:
			if allowAllEnd >= o.end || forbEnd >= o.end {
				continue
			}
			if apologyStart >= 0 && apologyStart < o.start {
				apologised := false
				switch {
				case apologyEnd >= o.start:
					apologised = true
				case l.policy.ApologyScope == ScopeTurn:
					// Line breaks are looked for once per apology, not
					// once per refusal after it.
					if nlAt < 0 && nlFrom < o.start {
						if k := strings.IndexByte(text[nlFrom:o.start], '\n'); k >= 0 {
							nlAt = nlFrom + k
						} else {
							nlFrom = o.start
						}
					}
					apologised = nlAt < 0 || nlAt >= o.start
				default:
					apologised = l.inScope(text, apologyEnd, o.start)
				}
				if apologised {
					continue
				}
			}
			if l.notRefusal(w, o) {
				continue
			}
			report = append(report, o)
		}
	}
	return report
}

// findings returns the findings of the reported occurrences (in order of
// start), in a slice of exactly their number.
func (l *Linter) findings(text string, report []occurrence) []Finding {
	if len(report) == 0 {
		return nil
	}
	findings := make([]Finding, len(report))
	for i, o := range report {
		frag := text[o.start:o.end]
		if l.kinds[o.pat] == kindRefusal {
			findings[i] = Finding{
				Offset: o.start, End: o.end, Rule: "P2", Fault: FaultNoApology, Fragment: frag,
				EntryID: "p2.no_apology",
				Message: l.refusalMessage(o.pat, frag),
			}
			continue
		}
		ei := l.entries[o.pat]
		f := &l.lex.Forbidden[ei]
		msg, sugg := l.patMsg[o.pat], l.patSugg[o.pat]
		if frag != l.pats[o.pat] {
			msg, sugg = l.forbiddenMessage(ei, frag)
		}
		findings[i] = Finding{
			Offset: o.start, End: o.end, Rule: f.Rule, Fault: f.Fault, Fragment: frag,
			EntryID: f.ID, Message: msg, SuggestionID: f.Suggest, Suggestion: sugg,
		}
	}
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

// forbiddenMessage is the message and suggestion of a finding of
// forbidden entry ei whose fragment is frag, in frag's language.
func (l *Linter) forbiddenMessage(ei int, frag string) (msg, sugg string) {
	lang := langOf(frag)
	return quoteIn(l.faultText[ei], frag, l.suggestText[ei][lang]), l.suggest[ei][lang]
}

func refusalMessage(frag string) string {
	return quoteIn("refusal or rule explanation ", frag, " without an apology before it; apologise first, then explain")
}

func (l *Linter) refusalMessage(p int32, frag string) string {
	if frag == l.pats[p] {
		return l.patMsg[p]
	}
	return refusalMessage(frag)
}

// quoteIn is before + strconv.Quote(s) + after without strconv.Quote's
// cost for the usual fragment (printable text with no quote or
// backslash is only wrapped), built in one allocation.
func quoteIn(before, s, after string) string {
	if plainQuote(s) {
		return before + `"` + s + `"` + after
	}
	return before + strconv.Quote(s) + after
}

// plainQuote reports whether strconv.Quote(s) is s between double quotes:
// s is printable and holds no quote or backslash.
func plainQuote(s string) bool {
	for _, r := range s {
		if r < ' ' || r == '"' || r == '\\' || r == utf8.RuneError || (r < 0x4e00 || r > 0x9fff) && !strconv.IsPrint(r) {
			return false
		}
	}
	return true
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
// pass over the text up to the last finding: line breaks are counted with
// strings.Count, columns by runeCount.
func setPositions(text string, fs []Finding) {
	count := runeCount
	line, col, pos := 1, 1, 0
	for i := range fs {
		seg := text[pos:fs[i].Offset]
		// strings.Count is vectorised, LastIndexByte is not: look back
		// for the last line break only when there is one.
		if nls := strings.Count(seg, "\n"); nls > 0 {
			line += nls
			col = 1 + count(seg[strings.LastIndexByte(seg, '\n')+1:])
		} else {
			col += count(seg)
		}
		pos = fs[i].Offset
		fs[i].Line, fs[i].Col = line, col
	}
}

// runeCount counts the characters of s as its bytes less its continuation
// bytes (10xxxxxx), eight at a time: the runes of valid UTF-8; in invalid
// UTF-8, every byte that is not a continuation byte.
func runeCount(s string) int {
	cont := 0
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		cont += bits.OnesCount64(x &^ (x << 1) & 0x8080808080808080)
	}
	for ; i < len(s); i++ {
		if s[i]&0xC0 == 0x80 {
			cont++
		}
	}
	return len(s) - cont
}
