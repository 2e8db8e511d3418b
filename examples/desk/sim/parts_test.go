package sim

import (
	"testing"
	"time"

	"github.com/servicedesk-go/desk/phrasebook"
)

func TestDuration(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{{45 * time.Second, "45 s"}, {3 * time.Minute, "3 min"}, {27*time.Hour + 30*time.Minute, "27 h 30 min"}, {48 * time.Hour, "48 h"}} {
		if got := Duration(tc.d); got != tc.want {
			t.Errorf("Duration(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

// TestPhoneLine_R8_queue: with two agents on duty a third simultaneous
// call waits for the first free one, and the hour counts it out of
// target when the wait is longer than the target time.
func TestPhoneLine_R8_queue(t *testing.T) {
	p := phoneLine{free: map[string]time.Time{}, within: 20 * time.Second}
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	on := []string{"a", "b"}
	var waits []time.Duration
	for _, handle := range []time.Duration{5 * time.Minute, 3 * time.Minute, 4 * time.Minute} {
		_, wait := p.answer(at, on, handle)
		p.offered(at, time.UTC, wait)
		waits = append(waits, wait)
	}
	if waits[0] != 0 || waits[1] != 0 || waits[2] != 3*time.Minute {
		t.Fatalf("waits %v, want 0, 0, 3m", waits)
	}
	p.offered(at, time.UTC, -1) // nobody on duty
	if h := p.hours[10]; h.offered != 4 || h.answered != 3 || h.inTime != 2 {
		t.Fatalf("hour 10: %+v", h)
	}
}

// TestScore_K2_said_and_done: a clean call promptly followed through
// scores full marks; a rude phrase costs attitude and tone; a late
// follow-through costs needs and adaptability.
func TestScore_K2_said_and_done(t *testing.T) {
	clean := phrasebook.Review{}
	score(&clean, false)
	rude := phrasebook.Review{Evidence: []phrasebook.Finding{{Fault: phrasebook.FaultRude}}}
	score(&rude, false)
	late := phrasebook.Review{}
	score(&late, true)
	for _, a := range phrasebook.Aspects() {
		if clean.Scores[a] != 5 {
			t.Errorf("clean call: %s %d", a, clean.Scores[a])
		}
	}
	if rude.Scores[phrasebook.AspectAttitude] >= 5 || rude.Scores[phrasebook.AspectTone] >= 5 || rude.Manners["honorifics"] {
		t.Errorf("rude call: %v %v", rude.Scores, rude.Manners)
	}
	if late.Scores[phrasebook.AspectNeeds] >= 5 || late.Scores[phrasebook.AspectAdaptability] >= 5 || late.Scores[phrasebook.AspectLanguage] != 5 {
		t.Errorf("late follow-through: %v", late.Scores)
	}
}

func TestQuantile(t *testing.T) {
	ds := []time.Duration{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	if quantile(ds, 0.5) != 5 || quantile(ds, 0.9) != 9 || quantile(ds[:1], 0.9) != 1 || quantile(nil, 0.5) != 0 {
		t.Fatal("nearest-rank quantiles")
	}
}

func TestConfig_invalid(t *testing.T) {
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	for name, cfg := range map[string]Config{
		"no days":   {Start: start},
		"no start":  {Days: 1},
		"bad kind":  {Start: start, Days: 1, Kind: "garage"},
		"no agents": {Start: start, Days: 1, Staff: &Staff{}},
		"negative":  {Start: start, Days: 1, Arrivals: &Profile{-1}},
	} {
		if _, err := New(t.Context(), cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestPercent(t *testing.T) {
	for _, tc := range []struct {
		x    float64
		want string
	}{{0.52, "52 %"}, {0.2954, "29.5 %"}, {0.2999, "29.9 %"}, {1, "100 %"}, {0.9996, "99.9 %"}, {0.0004, "0.0 %"}, {0, "0 %"}} {
		if got := Percent(tc.x); got != tc.want {
			t.Errorf("Percent(%v) = %q, want %q", tc.x, got, tc.want)
		}
	}
}
