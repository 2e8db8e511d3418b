package deskcmd

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/servicedesk-go/desk/examples/desk/sim"
)

// TestText_fits_80_columns: no line of the text report is wider than 80
// columns, for the default week, a dealer's month and a continued run's
// header.
func TestText_fits_80_columns(t *testing.T) {
	for _, args := range [][]string{{}, {"-dealer", "-days", "30"}, {"-days", "3", "-start", "2026-03-30"}} {
		out := runArgs(t, args...)
		for i, line := range strings.Split(out, "\n") {
			if n := utf8.RuneCountInString(line); n > Width {
				t.Errorf("desk %v line %d is %d columns: %q", args, i+1, n, line)
			}
		}
	}
}

// TestText_durations_in_words: durations read "27 h 30 min", never Go's
// "27h30m0s".
func TestText_durations_in_words(t *testing.T) {
	for _, tc := range []struct {
		min  float64
		want string
	}{{0.5, "30 s"}, {3, "3 min"}, {60, "1 h"}, {1650, "27 h 30 min"}, {2880, "48 h"}} {
		if got := mins(tc.min); got != tc.want {
			t.Errorf("%v minutes: %q, want %q", tc.min, got, tc.want)
		}
	}
	out := runArgs(t)
	for _, goStyle := range []string{"h0m", "m0s", "0s)"} {
		if strings.Contains(out, goStyle) {
			t.Errorf("the report prints a Go duration (%q)", goStyle)
		}
	}
}

// TestUnmet_marked_alike: every unmet target is marked NOT MET in the
// text, "unmet" in the JSON and class unmet on the page, and nothing
// else is.
func TestUnmet_marked_alike(t *testing.T) {
	for _, args := range [][]string{{}, {"-dealer", "-days", "3"}} {
		r := decode(t, runArgs(t, append(args, "-format", "json")...))
		text := runArgs(t, args...)
		var page strings.Builder
		if err := WriteHTML(&page, r); err != nil {
			t.Fatal(err)
		}
		unmet := 0
		for _, tg := range r.Targets {
			line := ""
			for _, l := range strings.Split(text, "\n") {
				if strings.HasPrefix(l, tg.Rule+" ") && strings.Contains(l, tg.Name) {
					line = l
				}
			}
			if line == "" {
				t.Fatalf("desk %v: no text line for target %s %q", args, tg.Rule, tg.Name)
			}
			if (tg.Status == sim.Unmet) != strings.HasSuffix(line, unmetMark) {
				t.Errorf("desk %v: target %s is %s, text line %q", args, tg.Rule, tg.Status, line)
			}
			if tg.Status == sim.Unmet {
				unmet++
			}
		}
		if unmet == 0 {
			t.Fatalf("desk %v: no unmet target to check the marking with", args)
		}
		if n := strings.Count(text, unmetMark); n != unmet {
			t.Errorf("desk %v: %d NOT MET in the text, %d unmet targets", args, n, unmet)
		}
		if n := strings.Count(page.String(), `<tr class="unmet">`); n != unmet {
			t.Errorf("desk %v: %d unmet rows on the page, %d unmet targets", args, n, unmet)
		}
	}
}

// TestDealer_F3_not_applicable: a dealer has no F3 roles; the report
// says so instead of printing them met.
func TestDealer_F3_not_applicable(t *testing.T) {
	r := decode(t, runArgs(t, "-dealer", "-days", "3", "-format", "json"))
	text := runArgs(t, "-dealer", "-days", "3")
	if !strings.Contains(text, "Dealer service desk north-motors") || strings.Contains(text, "Refused actions") {
		t.Fatalf("dealer run:\n%s", text)
	}
	for _, tg := range r.Targets {
		if tg.Rule == "F3" {
			if tg.Status != sim.NotApplicable || !strings.Contains(text, "F3: "+tg.Note) {
				t.Fatalf("dealer F3: %+v", tg)
			}
			return
		}
	}
	t.Fatal("no F3 row")
}
