package rostertest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/roster"
)

func testInvalid(t *testing.T, s roster.Store) {
	ctx := context.Background()
	bad := assignment("d1", 1, "", 9, 8)
	if err := s.AddAssignments(ctx, "d1", []roster.Assignment{bad}); !errors.Is(err, roster.ErrInvalid) {
		t.Errorf("assignment without agent: %v", err)
	}
	if err := s.AddAssignments(ctx, "", []roster.Assignment{assignment("", 1, "amy", 9, 8)}); !errors.Is(err, roster.ErrInvalid) {
		t.Errorf("empty desk: %v", err)
	}
	sw := swap("d1", 2)
	sw.To = sw.From
	if _, err := s.SaveSwap(ctx, sw); !errors.Is(err, roster.ErrInvalid) {
		t.Errorf("swap to self: %v", err)
	}
	d := duty("d1", 3, "amy", 12, 2)
	d.ForwardTo = ""
	if err := s.AddDuty(ctx, d); !errors.Is(err, roster.ErrInvalid) {
		t.Errorf("duty without forwarding target: %v", err)
	}
	if _, err := s.Assignments(ctx, "", base, base.Add(time.Hour)); !errors.Is(err, roster.ErrInvalid) {
		t.Errorf("listing an empty desk: %v", err)
	}
	if list, _ := s.Assignments(ctx, "d1", base, base.Add(72*time.Hour)); len(list) != 0 {
		t.Errorf("invalid input stored %d assignments", len(list))
	}
}

// testInputs: a NUL character or invalid UTF-8 in any text of a record
// (desk, agent, shift, reason, note, evidence, names, forwarding target)
// is refused by every store alike, as an *InputError naming the field,
// and nothing is stored (issue 12: PostgreSQL cannot hold such text, so
// no store accepts it).
func testInputs(t *testing.T, s roster.Store) {
	ctx := context.Background()
	bads := []struct{ name, v string }{{"nul", "a\x00b"}, {"bad_utf8", "a\xffb"}}
	type write struct {
		field string
		do    func(bad string, n int) error
	}
	writes := []write{
		{"assignment.desk", func(bad string, n int) error {
			a := assignment(bad, n, "amy", 9, 8)
			return s.AddAssignments(ctx, bad, []roster.Assignment{a})
		}},
		{"assignment.agent", func(bad string, n int) error {
			return s.AddAssignments(ctx, "d1", []roster.Assignment{assignment("d1", n, bad, 9, 8)})
		}},
		{"assignment.shift", func(bad string, n int) error {
			a := assignment("d1", n, "amy", 9, 8)
			a.Shift = bad
			return s.AddAssignments(ctx, "d1", []roster.Assignment{a})
		}},
		{"swap.desk", func(bad string, n int) error {
			_, err := s.SaveSwap(ctx, swap(bad, n))
			return err
		}},
		{"swap.from", func(bad string, n int) error {
			sw := swap("d1", n)
			sw.From = bad
			_, err := s.SaveSwap(ctx, sw)
			return err
		}},
		{"swap.to", func(bad string, n int) error {
			sw := swap("d1", n)
			sw.To = bad
			_, err := s.SaveSwap(ctx, sw)
			return err
		}},
		{"swap.reason", func(bad string, n int) error {
			sw := swap("d1", n)
			sw.Reason = bad
			_, err := s.SaveSwap(ctx, sw)
			return err
		}},
		{"swap.evidence.kind", func(bad string, n int) error {
			sw := swap("d1", n)
			sw.Status, sw.ConsentAt, sw.Evidence = roster.SwapConsented, base, roster.Evidence{Kind: bad, Ref: "msg-1"}
			_, err := s.SaveSwap(ctx, sw)
			return err
		}},
		{"swap.evidence.ref", func(bad string, n int) error {
			sw := swap("d1", n)
			sw.Status, sw.ConsentAt, sw.Evidence = roster.SwapConsented, base, roster.Evidence{Kind: "chat", Ref: bad}
			_, err := s.SaveSwap(ctx, sw)
			return err
		}},
		{"swap.approved_by", func(bad string, n int) error {
			sw := swap("d1", n)
			sw.Status, sw.ConsentAt, sw.Evidence = roster.SwapApproved, base, roster.Evidence{Kind: "chat", Ref: "msg-1"}
			sw.NeedsApproval, sw.ApprovedBy, sw.ApprovedAt = true, bad, base
			_, err := s.SaveSwap(ctx, sw)
			return err
		}},
		{"swap.declined_by", func(bad string, n int) error {
			sw := swap("d1", n)
			sw.Status, sw.DeclinedBy, sw.DeclinedAt = roster.SwapDeclined, bad, base
			_, err := s.SaveSwap(ctx, sw)
			return err
		}},
		{"away.desk", func(bad string, n int) error {
			_, err := s.SaveAway(ctx, away(bad, n, "amy", 0, 24))
			return err
		}},
		{"away.agent", func(bad string, n int) error {
			_, err := s.SaveAway(ctx, away("d1", n, bad, 0, 24))
			return err
		}},
		{"away.note", func(bad string, n int) error {
			a := away("d1", n, "amy", 0, 24)
			a.Note = bad
			_, err := s.SaveAway(ctx, a)
			return err
		}},
		{"duty.desk", func(bad string, n int) error { return s.AddDuty(ctx, duty(bad, n, "amy", 12, 2)) }},
		{"duty.agent", func(bad string, n int) error { return s.AddDuty(ctx, duty("d1", n, bad, 12, 2)) }},
		{"duty.forward_to", func(bad string, n int) error {
			d := duty("d1", n, "amy", 12, 2)
			d.ForwardTo = bad
			return s.AddDuty(ctx, d)
		}},
	}
	n := 100
	for _, w := range writes {
		for _, b := range bads {
			n++
			err := w.do(b.v, n)
			var ie *roster.InputError
			if !errors.Is(err, roster.ErrInvalid) || !errors.As(err, &ie) || ie.Field != w.field {
				t.Errorf("%s with %s: got %v, want an *InputError for %s", w.field, b.name, err, w.field)
			}
		}
	}
	from, to := base.Add(-72*time.Hour), base.Add(72*time.Hour)
	if list, err := s.Assignments(ctx, "d1", from, to); err != nil || len(list) != 0 {
		t.Errorf("refused text stored %d assignments (%v)", len(list), err)
	}
	if list, err := s.Swaps(ctx, "d1", from, to); err != nil || len(list) != 0 {
		t.Errorf("refused text stored %d swaps (%v)", len(list), err)
	}
	if list, err := s.Aways(ctx, "d1", from, to); err != nil || len(list) != 0 {
		t.Errorf("refused text stored %d away periods (%v)", len(list), err)
	}
	if list, err := s.Duties(ctx, "d1", from, to); err != nil || len(list) != 0 {
		t.Errorf("refused text stored %d duties (%v)", len(list), err)
	}
	// A record refused for its desk left nothing under any ID either.
	for i := 101; i <= n; i++ {
		if _, err := s.Assignment(ctx, "d1", id(i)); !errors.Is(err, roster.ErrNotFound) {
			t.Errorf("assignment %d after refused writes: %v", i, err)
		}
	}
	// Reads name their desk too: a desk no store can hold is refused
	// alike, never a driver's error nor an empty answer.
	for _, b := range bads {
		reads := map[string]func() error{
			"Assignments": func() error { _, err := s.Assignments(ctx, b.v, from, to); return err },
			"Assignment":  func() error { _, err := s.Assignment(ctx, b.v, id(1)); return err },
			"Swaps":       func() error { _, err := s.Swaps(ctx, b.v, from, to); return err },
			"Aways":       func() error { _, err := s.Aways(ctx, b.v, from, to); return err },
			"Duties":      func() error { _, err := s.Duties(ctx, b.v, from, to); return err },
		}
		for name, read := range reads {
			var ie *roster.InputError
			if err := read(); !errors.As(err, &ie) || ie.Field != "desk" {
				t.Errorf("%s of a desk with %s: got %v, want an *InputError for desk", name, b.name, err)
			}
		}
	}
	// The same texts, well formed, are accepted: the rule refuses only
	// what no store can hold.
	a := assignment("d1", 1, "amy\u00e9", 9, 8)
	a.Shift = "早班"
	if err := s.AddAssignments(ctx, "d1", []roster.Assignment{a}); err != nil {
		t.Errorf("well-formed UTF-8: %v", err)
	}
}
