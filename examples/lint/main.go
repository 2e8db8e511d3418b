// Command lint checks what agents said or wrote against the desk
// regulations (P2, P3) with the phrasebook linter.
//
//	lint [-scope turn|sentence|text] [-other PREFIX]... [-doc] [file ...]
//
// -other marks transcript lines said by someone else (for example
// -other 客户: -other Customer:); they are not checked. -doc reads the
// files as documents about speech (regulations, KPI tables, training
// handouts): only quoted speech in them is checked.
// It reads the named files, or standard input when there are none or a
// file is "-", and prints one line per finding:
//
//	file:line:col: rule: message
//
// with "<stdin>" as the file name for standard input. Lines are 1-based,
// columns count runes. The exit status is 0 when every text is clean, 1
// when there are findings, and 2 on a usage or I/O error.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/servicedesk-go/desk/phrasebook"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Open))
}

// run is main without the process: arguments, streams and the file
// opener are injected so tests can drive it with in-memory readers.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer, open func(string) (*os.File, error)) int {
	fs := flag.NewFlagSet("lint", flag.ContinueOnError)
	fs.SetOutput(stderr)
	scope := fs.String("scope", "turn", "how far back an apology counts for a refusal (P2): turn (same line), sentence or text")
	var others []string
	fs.Func("other", "line prefix of a transcript line said by someone other than the agent (repeatable)", func(v string) error {
		if v == "" {
			return errors.New("empty prefix")
		}
		others = append(others, v)
		return nil
	})
	doc := fs.Bool("doc", false, "the files are documents, not speech: check only the quoted speech in them")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: lint [-scope turn|sentence|text] [-other PREFIX]... [-doc] [file ...]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	policy := phrasebook.LintPolicy{OtherSpeakers: others, Document: *doc}
	switch *scope {
	case "turn":
		policy.ApologyScope = phrasebook.ScopeTurn
	case "sentence":
		policy.ApologyScope = phrasebook.ScopeSentence
	case "text":
		policy.ApologyScope = phrasebook.ScopeText
	default:
		fmt.Fprintf(stderr, "lint: unknown -scope %q: want turn, sentence or text\n", *scope)
		return 2
	}
	cat, err := phrasebook.Builtin()
	if err != nil {
		fmt.Fprintf(stderr, "lint: %v\n", err)
		return 2
	}
	l, err := phrasebook.NewLinter(cat, policy)
	if err != nil {
		fmt.Fprintf(stderr, "lint: %v\n", err)
		return 2
	}
	files := fs.Args()
	if len(files) == 0 {
		files = []string{"-"}
	}
	status := 0
	for _, name := range files {
		text, display, err := read(name, stdin, open)
		if err != nil {
			fmt.Fprintf(stderr, "lint: %v\n", err)
			status = 2
			continue
		}
		for _, f := range l.Lint(text) {
			fmt.Fprintf(stdout, "%s:%d:%d: %s: %s\n", display, f.Line, f.Col, f.Rule, f.Message)
			if status == 0 {
				status = 1
			}
		}
	}
	return status
}

func read(name string, stdin io.Reader, open func(string) (*os.File, error)) (text, display string, err error) {
	if name == "-" || name == "<stdin>" {
		b, err := io.ReadAll(stdin)
		if err != nil {
			return "", "", fmt.Errorf("read standard input: %w", err)
		}
		return string(b), "<stdin>", nil
	}
	f, err := open(name)
	if err != nil {
		return "", "", err
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		return "", "", fmt.Errorf("read %s: %w", name, err)
	}
	return string(b), name, nil
}
