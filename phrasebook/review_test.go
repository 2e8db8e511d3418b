package phrasebook

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
)

func testReviewer(t *testing.T, p ReviewPolicy) *Reviewer {
	t.Helper()
	now := time.Date(2026, 3, 31, 17, 0, 0, 0, time.UTC)
	p.Now = func() time.Time { return now }
	n := 0
	p.NewID = func() (uuid.UUID, error) {
		n++
		return uuid.NewSHA1(uuid.NameSpaceOID, fmt.Appendf(nil, "review-%d", n)), nil
	}
	r, err := NewReviewer(linter(t, LintPolicy{}), p)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func monthOfCalls(desk string, agents []string, perAgent int) []Call {
	var calls []Call
	for ai, a := range agents {
		for i := range perAgent {
			at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration(i*30*24/perAgent) * time.Hour).Add(time.Duration(ai) * time.Minute)
			calls = append(calls, Call{ID: fmt.Sprintf("%s-%s-%03d", desk, a, i), DeskID: desk, AgentID: a, At: at})
		}
	}
	return calls
}

func TestPlan_K2_monthly_minimum(t *testing.T) {
	agents := []string{"a1", "a2", "a3"}
	calls := monthOfCalls("desk1", agents, 40)
	calls = append(calls, monthOfCalls("desk2", agents, 40)...)
	calls = append(calls, Call{ID: "april", DeskID: "desk1", AgentID: "a1", At: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)})
	calls = append(calls, monthOfCalls("desk1", []string{"few"}, 2)...)
	march := time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)
	for minimum := 1; minimum <= 6; minimum++ { // K2's 1..5, and a stricter desk's 6
		t.Run(fmt.Sprintf("K2_minimum_%d", minimum), func(t *testing.T) {
			r := testReviewer(t, ReviewPolicy{MonthlyMinimum: minimum, Salt: 42})
			plan := r.Plan("desk1", march, append(agents, "idle"), calls)
			for _, a := range agents {
				got := plan.Selected[a]
				if len(got) != minimum {
					t.Fatalf("%s: %d calls, want %d", a, len(got), minimum)
				}
				for i, c := range got {
					if c.DeskID != "desk1" || c.AgentID != a || c.At.Month() != time.March {
						t.Fatalf("%s: foreign call %+v", a, c)
					}
					if i > 0 && !got[i-1].At.Before(c.At) {
						t.Fatalf("%s: calls not distinct and in time order: %v", a, got)
					}
				}
			}
			if plan.Short["idle"] != minimum {
				t.Errorf("idle agent short %d, want %d", plan.Short["idle"], minimum)
			}
			if want := max(0, minimum-2); plan.Short["few"] != want || len(plan.Selected["few"]) != min(2, minimum) {
				t.Errorf("few: selected %d short %d", len(plan.Selected["few"]), plan.Short["few"])
			}
			// Reproducible: same seed, same plan; the calls' order does not matter.
			shuffled := slices.Clone(calls)
			slices.Reverse(shuffled)
			if again := r.Plan("desk1", march, append(agents, "idle"), shuffled); !reflect.DeepEqual(again, plan) {
				t.Fatalf("plan not reproducible")
			}
		})
	}
	// A different seed gives a different plan (with 40 calls and 3 picks
	// per agent, a coincidence for all three agents is negligible).
	a := testReviewer(t, ReviewPolicy{MonthlyMinimum: 3, Salt: 1}).Plan("desk1", march, agents, calls)
	b := testReviewer(t, ReviewPolicy{MonthlyMinimum: 3, Salt: 2}).Plan("desk1", march, agents, calls)
	if reflect.DeepEqual(a.Selected, b.Selected) {
		t.Fatalf("seed has no effect")
	}
	for _, bad := range []int{-1, -5} {
		if _, err := NewReviewer(nil, ReviewPolicy{MonthlyMinimum: bad}); !errors.Is(err, ErrInvalidPolicy) {
			t.Errorf("minimum %d: %v", bad, err)
		}
	}
}

func fullReview(r *Reviewer, t *testing.T, call Call, transcript string, score int, at time.Time) Review {
	t.Helper()
	rv, err := r.Sheet(call, "qa1", transcript)
	if err != nil {
		t.Fatal(err)
	}
	rv.At = at
	for _, a := range Aspects() {
		rv.Scores[a] = score
	}
	for _, m := range MannersChecklist() {
		rv.Manners[m.ID] = m.ID != "concise" || score >= 3
	}
	if err := r.Check(rv); err != nil {
		t.Fatal(err)
	}
	return rv
}

func TestReview_K2_sheet_and_summaries(t *testing.T) {
	r := testReviewer(t, ReviewPolicy{MonthlyMinimum: 2})
	call := Call{ID: "c1", DeskID: "desk1", AgentID: "a1", At: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	rv, err := r.Sheet(call, "qa1", "您好。\n不知道,明天再打。")
	if err != nil {
		t.Fatal(err)
	}
	if len(rv.Evidence) != 2 || rv.Evidence[0].Fragment != "不知道" || rv.ID == uuid.Nil {
		t.Fatalf("evidence %v id %v", rv.Evidence, rv.ID)
	}
	if err := r.Check(rv); !errors.Is(err, ErrInvalidReview) {
		t.Fatalf("empty sheet passes: %v", err)
	}
	rv.Scores = map[Aspect]int{AspectLanguage: 6, AspectAttitude: 3, AspectTone: 3, AspectNeeds: 3, AspectAdaptability: 3}
	if err := r.Check(rv); !errors.Is(err, ErrInvalidReview) {
		t.Fatalf("score 6 passes: %v", err)
	}
	if _, err := r.Sheet(Call{ID: "x"}, "qa1", ""); !errors.Is(err, ErrInvalidReview) {
		t.Fatalf("call without desk: %v", err)
	}

	mon := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC) // a Monday
	reviews := []Review{
		fullReview(r, t, call, "不知道", 2, mon),
		fullReview(r, t, call, "对不起,让您久等了。", 4, mon.Add(6*24*time.Hour+13*time.Hour)), // Sunday 23:00, same week
		fullReview(r, t, Call{ID: "c2", DeskID: "desk1", AgentID: "a1"}, "", 5, mon.Add(7*24*time.Hour)),
		fullReview(r, t, Call{ID: "c3", DeskID: "desk2", AgentID: "a1"}, "随便", 1, mon),
	}
	weekly := r.Summarise("desk1", []string{"a1", "a2"}, reviews, Weekly)
	if len(weekly) != 4 {
		t.Fatalf("weekly summaries: %d, want 2 weeks x 2 agents", len(weekly))
	}
	w1 := weekly[0]
	if w1.AgentID != "a1" || !w1.Start.Equal(time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)) || w1.Reviews != 2 {
		t.Fatalf("week 1: %+v", w1)
	}
	if w1.Average[AspectTone] != 3 || w1.Findings[FaultIrresponsible] != 1 || w1.Missed["concise"] != 1 {
		t.Fatalf("week 1 figures: %+v", w1)
	}
	if len(w1.Focus) != 0 {
		t.Fatalf("average 3 is not below 3: focus %v", w1.Focus)
	}
	if weekly[1].AgentID != "a2" || weekly[1].Reviews != 0 {
		t.Fatalf("unmonitored agent missing: %+v", weekly[1])
	}
	monthly := r.Summarise("desk1", []string{"a1", "a2"}, reviews, Monthly)
	if len(monthly) != 2 || monthly[0].Reviews != 3 || monthly[0].BelowMinimum || !monthly[1].BelowMinimum {
		t.Fatalf("monthly: %+v", monthly)
	}
	low := r.Summarise("desk2", nil, reviews, Monthly)
	if len(low) != 1 || !slices.Equal(low[0].Focus, Aspects()) || !low[0].BelowMinimum {
		t.Fatalf("desk2: %+v", low)
	}
}

// TestReview_P5_every_manner_checked: a review sheet carries P5's manners
// as a checklist (forms of address, honorifics, articulation, no slang,
// concise, little humour, establishing the caller, never blaming), each
// citing P5, and a sheet that leaves one of them unchecked is refused.
func TestReview_P5_every_manner_checked(t *testing.T) {
	list := MannersChecklist()
	if len(list) != 8 {
		t.Fatalf("P5 checklist has %d items, want the 8 manners of the rule", len(list))
	}
	r := testReviewer(t, ReviewPolicy{MonthlyMinimum: 1})
	call := Call{ID: "c1", DeskID: "desk1", AgentID: "a1", At: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	rv := fullReview(r, t, call, "您好,请问有什么可以帮您?", 5, call.At)
	for _, m := range list {
		if m.Rule != "P5" {
			t.Errorf("manner %s cites %q, want P5", m.ID, m.Rule)
		}
		missing := rv
		missing.Manners = map[string]bool{}
		for id, ok := range rv.Manners {
			if id != m.ID {
				missing.Manners[id] = ok
			}
		}
		if err := r.Check(missing); !errors.Is(err, ErrInvalidReview) {
			t.Errorf("a sheet without manner %s passes Check: %v", m.ID, err)
		}
	}
}
