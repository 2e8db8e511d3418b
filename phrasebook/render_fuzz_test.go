package phrasebook

import (
	"errors"
	"strings"
	"testing"
)

// FuzzRender: any template text either is rejected as an invalid
// catalogue or renders; rendering with every value given never fails and
// leaves no placeholder behind; rendering with a value missing fails with
// ErrMissingValue exactly when the template uses it.
func FuzzRender(f *testing.F) {
	for _, s := range []string{"您好,{name}", "{{x}} {x}", "{", "}", "{}", "{X}", "{name}{name}", "a}}b{{c", "\xff{x}"} {
		f.Add(s)
	}
	base, err := Load(strings.NewReader(`{"placeholders":["x","name"]}`))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		c, err := base.With(Overlay{Phrases: []Phrase{{ID: "p", Category: "greeting", Text: map[string]string{"zz": text}}}})
		if err != nil {
			if !errors.Is(err, ErrInvalidCatalogue) {
				t.Fatalf("With: %v is not ErrInvalidCatalogue", err)
			}
			return
		}
		out, err := c.Render("p", "zz", map[string]string{"x": "\x00X\x00", "name": "\x00N\x00"})
		if err != nil {
			t.Fatalf("render with all values: %v", err)
		}
		tmpl, _ := parseTemplate(text)
		uses := map[string]int{}
		for _, p := range tmpl.parts {
			if p.name != "" {
				uses[p.name]++
			}
		}
		if strings.Count(out, "\x00X\x00") < uses["x"] || strings.Count(out, "\x00N\x00") < uses["name"] {
			t.Fatalf("%q rendered %q: placeholders lost", text, out)
		}
		// Literal text round-trips: removing the values leaves the
		// template's literals.
		lits := strings.Join(tmpl.literals(), "")
		stripped := strings.NewReplacer("\x00X\x00", "", "\x00N\x00", "").Replace(out)
		if !strings.Contains(text, "\x00") && stripped != lits {
			t.Fatalf("%q rendered %q: literals %q, want %q", text, out, stripped, lits)
		}
		_, err = c.Render("p", "zz", map[string]string{"x": "1"})
		if (uses["name"] > 0) != errors.Is(err, ErrMissingValue) {
			t.Fatalf("%q without name: %v", text, err)
		}
	})
}

// FuzzLoad: arbitrary catalogue JSON is either rejected with
// ErrInvalidCatalogue or yields a catalogue whose every phrase renders
// once every declared placeholder has a value.
func FuzzLoad(f *testing.F) {
	b, err := dataFS.ReadFile("data/phrases.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(b))
	f.Add(`{"placeholders":["a"],"values":{"a":"x"},"phrases":[{"id":"p","category":"c","text":{"en":"{a}"}}]}`)
	f.Add(`{"phrases":[{"id":"p","category":"c","text":{"en":"{b}"}}]}`)
	f.Fuzz(func(t *testing.T, data string) {
		c, err := Load(strings.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrInvalidCatalogue) {
				t.Fatalf("Load: %v is not ErrInvalidCatalogue", err)
			}
			return
		}
		values := map[string]string{}
		for name := range c.declared {
			values[name] = "v"
		}
		for _, p := range c.Phrases("") {
			for lang := range p.Text {
				if _, err := c.Render(p.ID, lang, values); err != nil {
					t.Fatalf("%s/%s: %v", p.ID, lang, err)
				}
			}
		}
	})
}
