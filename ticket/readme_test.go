package ticket_test

import (
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/servicedesk-go/desk/ticket"
)

var updateReadme = flag.Bool("update-readme", false, "rewrite the lifecycle diagram in ../README.md")

// TestReadmeDiagram fails when the README's lifecycle diagram is not the
// one the code declares. Run with -update-readme to redraw it.
func TestReadmeDiagram(t *testing.T) {
	const path = "../README.md"
	const begin, end = "<!-- lifecycle:begin -->\n", "<!-- lifecycle:end -->"
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(raw)
	i, j := strings.Index(s, begin), strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatalf("%s has no %q ... %q section", path, begin, end)
	}
	want := "```mermaid\n" + ticket.Diagram() + "```\n"
	if got := s[i+len(begin) : j]; got != want {
		if *updateReadme {
			s = s[:i+len(begin)] + want + s[j:]
			if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Fatalf("README diagram is stale; run go test ./ticket -run TestReadmeDiagram -update-readme\ngot:\n%s\nwant:\n%s", got, want)
	}
}
