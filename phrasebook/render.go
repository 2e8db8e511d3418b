package phrasebook

import (
	"fmt"
	"strings"
)

// template is a parsed phrase text: literal runs and named placeholders.
// Parsing happens once, when a catalogue is built, so Render only joins.
type template struct {
	parts []part
	size  int // bytes of literal text, a hint for the builder
}

type part struct {
	lit  string
	name string // placeholder name; lit is unused when name != ""
}

// parseTemplate splits text into literals and {placeholders}. "{{" and "}}"
// stand for literal braces. A placeholder name is one or more of a-z, 0-9
// and '_'. An unclosed or empty brace, or a stray '}', is an error.
func parseTemplate(text string) (template, error) {
	var t template
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			t.parts = append(t.parts, part{lit: lit.String()})
			t.size += lit.Len()
			lit.Reset()
		}
	}
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch c {
		case '{':
			if i+1 < len(text) && text[i+1] == '{' {
				lit.WriteByte('{')
				i++
				continue
			}
			j := i + 1
			for j < len(text) && isNameByte(text[j]) {
				j++
			}
			if j >= len(text) || text[j] != '}' {
				return template{}, fmt.Errorf("malformed placeholder at byte %d: want {name} with a-z, 0-9 or _ (write {{ for a literal brace)", i)
			}
			if j == i+1 {
				return template{}, fmt.Errorf("empty placeholder {} at byte %d", i)
			}
			flush()
			t.parts = append(t.parts, part{name: text[i+1 : j]})
			i = j
		case '}':
			if i+1 < len(text) && text[i+1] == '}' {
				lit.WriteByte('}')
				i++
				continue
			}
			return template{}, fmt.Errorf("stray } at byte %d (write }} for a literal brace)", i)
		default:
			lit.WriteByte(c)
		}
	}
	flush()
	return t, nil
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_'
}

// placeholders lists the names used by the template, in order, once each.
func (t template) placeholders() []string {
	var out []string
	for _, p := range t.parts {
		if p.name != "" && !containsString(out, p.name) {
			out = append(out, p.name)
		}
	}
	return out
}

// literals returns the literal runs of the template (used as approved
// phrase text by the linter).
func (t template) literals() []string {
	var out []string
	for _, p := range t.parts {
		if p.name == "" {
			out = append(out, p.lit)
		}
	}
	return out
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Render fills phrase id's text in lang with values. Values given to
// Render take precedence over the catalogue's own values (Overlay.Values,
// such as the company name). Every placeholder of the text must have a
// value that is not empty or blank, and every key of values must be a
// placeholder the catalogue declares: both mistakes are a *RenderError,
// never a blank or a literal "{name}" in the output. A phrase or language
// the catalogue lacks is ErrNotFound.
func (c *Catalogue) Render(id, lang string, values map[string]string) (string, error) {
	for k := range values {
		if _, ok := c.declared[k]; !ok {
			return "", &RenderError{PhraseID: id, Lang: lang, Placeholder: k, Err: ErrUnknownPlaceholder}
		}
	}
	t, err := c.template(id, lang)
	if err != nil {
		return "", err
	}
	return c.fill(id, lang, t, values)
}

func (c *Catalogue) fill(id, lang string, t template, values map[string]string) (string, error) {
	var b strings.Builder
	b.Grow(t.size + 16*len(t.parts))
	for _, p := range t.parts {
		if p.name == "" {
			b.WriteString(p.lit)
			continue
		}
		v, ok := values[p.name]
		if !ok {
			v, ok = c.values[p.name]
		}
		if !ok || strings.TrimSpace(v) == "" {
			return "", &RenderError{PhraseID: id, Lang: lang, Placeholder: p.name, Err: ErrMissingValue}
		}
		b.WriteString(v)
	}
	return b.String(), nil
}

// Placeholders lists the placeholders phrase id uses in lang, in order of
// first use; a UI can ask for exactly these values.
func (c *Catalogue) Placeholders(id, lang string) ([]string, error) {
	t, err := c.template(id, lang)
	if err != nil {
		return nil, err
	}
	return t.placeholders(), nil
}
