package phrasebooktest_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/servicedesk-go/desk/phrasebook"
	"github.com/servicedesk-go/desk/phrasebook/phrasebooktest"
)

// The text is the same on every call (benchmarks on both sides of a
// comparison read one text), about the size asked for, and mixes plain
// and faulty sentences.
func TestMixedText_deterministic(t *testing.T) {
	c, err := phrasebook.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	a, err := phrasebooktest.MixedText(c, 64<<10)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if b, _ := phrasebooktest.MixedText(c, 64<<10); b != a {
			t.Fatal("two calls gave different texts")
		}
	}
	if len(a) < 64<<10 || len(a) > 64<<10+1024 {
		t.Fatalf("%d bytes for 64 KiB", len(a))
	}
	ok, bad := phrasebooktest.Sentences()
	if len(ok) == 0 || len(bad) == 0 {
		t.Fatalf("%d plain, %d faulty sentences", len(ok), len(bad))
	}
	if !strings.Contains(a, bad[0]) && !strings.Contains(a, bad[1]) {
		t.Fatal("no faulty sentence mixed in")
	}
	if _, err := phrasebooktest.MixedText(nil, 10); err == nil {
		t.Fatal("nil catalogue accepted")
	}
}

func ExampleMixedText() {
	c, err := phrasebook.Builtin()
	if err != nil {
		panic(err)
	}
	text, err := phrasebooktest.MixedText(c, 1<<20)
	if err != nil {
		panic(err)
	}
	l, err := phrasebook.NewLinter(c, phrasebook.LintPolicy{})
	if err != nil {
		panic(err)
	}
	fmt.Println(len(text) >= 1<<20, len(l.Lint(text)) > 0)
	// Output: true true
}
