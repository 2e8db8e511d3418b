package phrasebook

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strings"
)

//go:embed data/*.json
var dataFS embed.FS

// Category groups phrases by the moment of a call they serve (P1's
// 问候, 询问, 应答, 道歉, 感谢 and the situations of P4, P7, P8).
type Category string

// Categories of the built-in catalogue. A catalogue may use others.
const (
	CategoryGreeting    Category = "greeting"    // P1 问候语句
	CategoryInquiry     Category = "inquiry"     // P1 询问语句
	CategoryResponse    Category = "response"    // P1 应答语句
	CategoryApology     Category = "apology"     // P1 道歉语句
	CategoryThanks      Category = "thanks"      // P1 感谢语句
	CategoryClosing     Category = "closing"     // P9 送声
	CategoryTransfer    Category = "transfer"    // P4 转接
	CategoryUnavailable Category = "unavailable" // P4, P3 the person is not available
	CategoryCallback    Category = "callback"    // P8
	CategoryOutbound    Category = "outbound"    // P7
)

// Languages of the built-in catalogue.
const (
	LangZH = "zh-CN"
	LangEN = "en"
)

// Phrase is one standard phrase in every language the catalogue has for
// it. Text maps a language tag to a template whose named placeholders
// ("{name}", "{company}", "{agent_no}") are filled by Render.
type Phrase struct {
	ID         string            `json:"id"`
	Category   Category          `json:"category"`
	Rules      []string          `json:"rules,omitempty"`      // rule IDs the phrase serves
	Situations []string          `json:"situations,omitempty"` // inbound, outbound, callback, transfer, unavailable
	Source     string            `json:"source,omitempty"`     // seed number, or "library"
	Text       map[string]string `json:"text"`
}

func (p Phrase) clone() Phrase {
	p.Rules = slices.Clone(p.Rules)
	p.Situations = slices.Clone(p.Situations)
	p.Text = maps.Clone(p.Text)
	return p
}

// Overlay is what a desk changes in a catalogue: values such as its
// company name, new placeholder names, replaced or added phrases and added
// languages. A phrase in an overlay with an existing ID merges into it:
// each language of its Text replaces or adds that language, and a
// non-empty Category, Rules, Situations or Source replaces the old one.
// A phrase with a new ID is added and must be complete.
type Overlay struct {
	Values       map[string]string `json:"values,omitempty"`
	Placeholders []string          `json:"placeholders,omitempty"`
	Phrases      []Phrase          `json:"phrases,omitempty"`
}

// Catalogue is an immutable set of phrases with parsed templates. It is
// safe for concurrent use; With returns a new catalogue and leaves the
// receiver untouched.
type Catalogue struct {
	order    []string // phrase IDs in catalogue order
	phrases  map[string]*entry
	declared map[string]struct{}
	values   map[string]string
	langs    []string
}

type entry struct {
	phrase Phrase
	tmpl   map[string]template
}

// Builtin returns the embedded catalogue: P1's phrases verbatim from seed
// 000 (in simplified characters) and the phrases of P3, P4, P6–P9, in
// zh-CN and in English written for this library. It has no company name;
// set one with With(Overlay{Values: map[string]string{"company": ...}}).
func Builtin() (*Catalogue, error) {
	b, err := dataFS.ReadFile("data/phrases.json")
	if err != nil {
		return nil, fmt.Errorf("phrasebook: read embedded catalogue: %w", err)
	}
	return Load(bytes.NewReader(b))
}

// Load reads a whole catalogue in the JSON form of data/phrases.json:
// {"placeholders": [...], "values": {...}, "phrases": [...]}. Unknown
// fields, duplicate IDs, malformed or undeclared placeholders, empty texts
// and missing categories are rejected with a *CatalogueError.
func Load(r io.Reader) (*Catalogue, error) {
	o, err := ParseOverlay(r)
	if err != nil {
		return nil, err
	}
	empty := &Catalogue{phrases: map[string]*entry{}, declared: map[string]struct{}{}, values: map[string]string{}}
	return empty.With(o)
}

// ParseOverlay decodes an overlay (or a whole catalogue) from JSON.
func ParseOverlay(r io.Reader) (Overlay, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var o Overlay
	if err := dec.Decode(&o); err != nil {
		return Overlay{}, &CatalogueError{Problem: "bad json: " + err.Error()}
	}
	if dec.More() {
		return Overlay{}, &CatalogueError{Problem: "trailing data after the json object"}
	}
	return o, nil
}

// With returns a new catalogue with o applied. On any problem it returns a
// *CatalogueError naming the phrase and the problem, and the receiver is
// unchanged either way.
func (c *Catalogue) With(o Overlay) (*Catalogue, error) {
	n := &Catalogue{
		order:    slices.Clone(c.order),
		phrases:  make(map[string]*entry, len(c.phrases)+len(o.Phrases)),
		declared: maps.Clone(c.declared),
		values:   maps.Clone(c.values),
	}
	if n.declared == nil {
		n.declared = map[string]struct{}{}
	}
	if n.values == nil {
		n.values = map[string]string{}
	}
	maps.Copy(n.phrases, c.phrases) // entries are never mutated, sharing is safe
	for _, name := range o.Placeholders {
		if !validName(name) {
			return nil, &CatalogueError{Problem: fmt.Sprintf("placeholder name %q: use a-z, 0-9 and _", name)}
		}
		n.declared[name] = struct{}{}
	}
	for k, v := range o.Values {
		if _, ok := n.declared[k]; !ok {
			return nil, &CatalogueError{Problem: fmt.Sprintf("value for undeclared placeholder %q", k)}
		}
		if strings.ContainsAny(v, "{}") {
			return nil, &CatalogueError{Problem: fmt.Sprintf("value of %q contains a brace", k)}
		}
		n.values[k] = v
	}
	seen := map[string]bool{}
	for _, p := range o.Phrases {
		if !validID(p.ID) {
			return nil, &CatalogueError{PhraseID: p.ID, Problem: "id must be non-empty and use a-z, 0-9, '.', '_' or '-'"}
		}
		if seen[p.ID] {
			return nil, &CatalogueError{PhraseID: p.ID, Problem: "duplicate id in the same catalogue"}
		}
		seen[p.ID] = true
		var merged Phrase
		old, exists := n.phrases[p.ID]
		if exists {
			merged = old.phrase.clone()
			if p.Category != "" {
				merged.Category = p.Category
			}
			if p.Rules != nil {
				merged.Rules = slices.Clone(p.Rules)
			}
			if p.Situations != nil {
				merged.Situations = slices.Clone(p.Situations)
			}
			if p.Source != "" {
				merged.Source = p.Source
			}
			if merged.Text == nil {
				merged.Text = map[string]string{}
			}
			maps.Copy(merged.Text, p.Text)
		} else {
			merged = p.clone()
			n.order = append(n.order, p.ID)
		}
		e, err := n.compile(merged)
		if err != nil {
			return nil, err
		}
		n.phrases[p.ID] = e
	}
	// Earlier phrases may use placeholders only now declared or values
	// only now set; recheck everything so a broken result never escapes.
	langs := map[string]bool{}
	for _, id := range n.order {
		e := n.phrases[id]
		for lang, t := range e.tmpl {
			langs[lang] = true
			for _, name := range t.placeholders() {
				if _, ok := n.declared[name]; !ok {
					return nil, &CatalogueError{PhraseID: id, Lang: lang, Problem: fmt.Sprintf("undeclared placeholder {%s}", name)}
				}
			}
		}
	}
	n.langs = slices.Sorted(maps.Keys(langs))
	return n, nil
}

func (c *Catalogue) compile(p Phrase) (*entry, error) {
	if p.Category == "" {
		return nil, &CatalogueError{PhraseID: p.ID, Problem: "missing category"}
	}
	if len(p.Text) == 0 {
		return nil, &CatalogueError{PhraseID: p.ID, Problem: "no text in any language"}
	}
	for _, r := range p.Rules {
		if !validRuleID(r) {
			return nil, &CatalogueError{PhraseID: p.ID, Problem: fmt.Sprintf("rule %q is not a rule id such as P1", r)}
		}
	}
	e := &entry{phrase: p, tmpl: make(map[string]template, len(p.Text))}
	for lang, text := range p.Text {
		if !validLang(lang) {
			return nil, &CatalogueError{PhraseID: p.ID, Lang: lang, Problem: "language tag must be like zh-CN or en"}
		}
		if strings.TrimSpace(text) == "" {
			return nil, &CatalogueError{PhraseID: p.ID, Lang: lang, Problem: "empty text"}
		}
		t, err := parseTemplate(text)
		if err != nil {
			return nil, &CatalogueError{PhraseID: p.ID, Lang: lang, Problem: err.Error()}
		}
		e.tmpl[lang] = t
	}
	return e, nil
}

func (c *Catalogue) template(id, lang string) (template, error) {
	e, ok := c.phrases[id]
	if !ok {
		return template{}, fmt.Errorf("phrase %q: %w", id, ErrNotFound)
	}
	t, ok := e.tmpl[lang]
	if !ok {
		return template{}, fmt.Errorf("phrase %q has no text in language %q: %w", id, lang, ErrNotFound)
	}
	return t, nil
}

// Phrase returns a copy of the phrase with that ID, or ErrNotFound.
func (c *Catalogue) Phrase(id string) (Phrase, error) {
	e, ok := c.phrases[id]
	if !ok {
		return Phrase{}, fmt.Errorf("phrase %q: %w", id, ErrNotFound)
	}
	return e.phrase.clone(), nil
}

// Phrases returns copies of the phrases of a category ("" for all), in
// catalogue order.
func (c *Catalogue) Phrases(cat Category) []Phrase {
	var out []Phrase
	for _, id := range c.order {
		e := c.phrases[id]
		if cat == "" || e.phrase.Category == cat {
			out = append(out, e.phrase.clone())
		}
	}
	return out
}

// ForSituation returns the phrases tagged with a situation (inbound,
// outbound, callback, transfer, unavailable), in catalogue order.
func (c *Catalogue) ForSituation(situation string) []Phrase {
	var out []Phrase
	for _, id := range c.order {
		e := c.phrases[id]
		if slices.Contains(e.phrase.Situations, situation) {
			out = append(out, e.phrase.clone())
		}
	}
	return out
}

// Languages lists the language tags any phrase has, sorted.
func (c *Catalogue) Languages() []string { return slices.Clone(c.langs) }

// Value returns a catalogue value (such as "company") and whether it is set.
func (c *Catalogue) Value(name string) (string, bool) {
	v, ok := c.values[name]
	return v, ok
}

// literalTexts yields every literal run of every phrase in every
// language; the linter treats them as approved text.
func (c *Catalogue) literalTexts() []string {
	var out []string
	ids := slices.Clone(c.order)
	sort.Strings(ids)
	for _, id := range ids {
		e := c.phrases[id]
		for _, lang := range slices.Sorted(maps.Keys(e.tmpl)) {
			out = append(out, e.tmpl[lang].literals()...)
		}
	}
	return out
}

func validName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isNameByte(s[i]) {
			return false
		}
	}
	return true
}

func validID(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isNameByte(s[i]) && s[i] != '.' && s[i] != '-' {
			return false
		}
	}
	return true
}

func validLang(s string) bool {
	if s == "" || len(s) > 35 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// validRuleID accepts IDs such as "P1", "T17", "K2".
func validRuleID(s string) bool {
	if len(s) < 2 || len(s) > 4 || !strings.ContainsRune("TFRPKS", rune(s[0])) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
