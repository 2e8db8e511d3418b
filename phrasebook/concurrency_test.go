package phrasebook

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// A Linter, a Catalogue and a Walker are shared across goroutines; run
// with -race.
func TestConcurrentUse(t *testing.T) {
	c := builtin(t)
	l := linter(t, LintPolicy{})
	w, err := NewWalker(CallbackScript(), ScriptPolicy{})
	if err != nil {
		t.Fatal(err)
	}
	// The tuned corpus, clean and faulty utterances, one per line.
	var b strings.Builder
	for _, cl := range readCorpus(t, "testdata/lint_tuned.tsv") {
		b.WriteString(cl.text + "\n")
	}
	text := b.String()
	want := len(l.Lint(text))
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 8 {
		wg.Go(func() {
			for i := range 20 {
				if n := len(l.Lint(text)); n != want {
					errs <- fmt.Errorf("goroutine %d: %d findings, want %d", g, n, want)
					return
				}
				if _, err := c.Render("transfer.confirm", LangZH, map[string]string{"name": "王先生", "person": "张经理"}); err != nil {
					errs <- err
					return
				}
				_ = w.Branches()
				_, _ = w.Step()
				if i == 0 && g < 3 {
					_ = w.Take([]string{"confirmed", "introduced", "yes"}[g])
				}
				_ = w.AgreeReply(time.Now(), time.Now().Add(time.Hour))
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
