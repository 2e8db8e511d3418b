package roster

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
)

// clock is a settable test clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) set(t time.Time)         { c.t = t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }
func newClock(t time.Time) *clock        { return &clock{t: t} }
func hm(d Date, h, m int) time.Time      { return Instant(d, At(h, m), time.UTC) }
func evidence() Evidence                 { return Evidence{Kind: "chat message", Ref: "wechat:2026-03-01T18:02:11"} }

// mustNew is New for tests: a refused config fails the test.
func mustNew(t testing.TB, store Store, cfg Config) *Service {
	t.Helper()
	svc, err := New(store, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

func seedDesk(t *testing.T, pol Policy) (*Service, *clock, []Assignment) {
	t.Helper()
	day := D(2026, 3, 2)
	clk := newClock(hm(day.AddDays(-1), 18, 0))
	svc := mustNew(t, NewMemStore(), Config{Desk: "d", Now: clk.now, NewID: seqIDs(), Policy: &pol})
	as := seedRoster(day, 2, time.UTC)
	for i := range as {
		as[i].ID = uuid.Nil // Publish fills them in
	}
	if err := svc.Publish(context.Background(), as); err != nil {
		t.Fatal(err)
	}
	stored, err := svc.View(context.Background(), hm(day, 0, 0), hm(day.AddDays(2), 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	return svc, clk, stored.Assignments
}

func TestSwap(t *testing.T) {
	ctx := context.Background()
	day := D(2026, 3, 2)
	t.Run("R4_original_stands_until_consent", func(t *testing.T) {
		svc, clk, as := seedDesk(t, Policy{})
		c := as[2] // cy, shift c on day 1
		if c.Agent != "cy" || c.Shift != "c" {
			t.Fatalf("fixture: %+v", c)
		}
		sw, err := svc.RequestSwap(ctx, SwapRequest{Assignment: c.ID, From: "cy", To: "ann", Reason: "family"})
		if err != nil {
			t.Fatal(err)
		}
		if on, _ := svc.OnDuty(ctx, hm(day, 21, 0)); len(on) != 1 || on[0].Agent != "cy" {
			t.Fatalf("before consent: %+v", on)
		}
		l, _ := svc.Liable(ctx, c.ID, hm(day, 21, 0))
		if l.Agent != "cy" || l.Basis != NoProof || l.Swap != sw.ID {
			t.Fatalf("before consent: liability %+v", l)
		}
		clk.advance(time.Hour)
		consentAt := clk.t
		if _, err := svc.Consent(ctx, sw.ID, "ann", evidence()); err != nil {
			t.Fatal(err)
		}
		on, _ := svc.OnDuty(ctx, hm(day, 21, 0))
		if len(on) != 1 || on[0].Agent != "ann" || on[0].Shift != "c" || on[0].Where != Remote {
			t.Fatalf("after consent: %+v", on)
		}
		l, _ = svc.Liable(ctx, c.ID, hm(day, 21, 0))
		if l.Agent != "ann" || l.Basis != AgreedWithProof {
			t.Fatalf("after consent: %+v", l)
		}
		// At a moment before consent was recorded, cy was still liable.
		l, _ = svc.Liable(ctx, c.ID, consentAt.Add(-time.Minute))
		if l.Agent != "cy" || l.Basis != NoProof {
			t.Fatalf("just before consent: %+v", l)
		}
		// Coverage follows the swap: still 22-24 only.
		rep, err := svc.Coverage(ctx, time.UTC, SeedServiceHours(), day, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Gaps()) != 1 || rep.Gaps()[0].Length() != 2*time.Hour {
			t.Fatalf("coverage after swap: %+v", rep.Gaps())
		}
	})
	t.Run("R4_consent_needs_evidence_and_the_right_person", func(t *testing.T) {
		svc, _, as := seedDesk(t, Policy{})
		sw, err := svc.RequestSwap(ctx, SwapRequest{Assignment: as[2].ID, From: "cy", To: "ann"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Consent(ctx, sw.ID, "ann", Evidence{Kind: "verbal"}); !errors.Is(err, ErrInvalid) {
			t.Fatalf("consent without reference: %v", err)
		}
		if _, err := svc.Consent(ctx, sw.ID, "bo", evidence()); !errors.Is(err, ErrForbidden) {
			t.Fatalf("consent by a third person: %v", err)
		}
		other := mustNew(t, svc.store, Config{Desk: "other-desk"})
		if _, err := other.Consent(ctx, sw.ID, "ann", evidence()); !errors.Is(err, ErrNotFound) {
			t.Fatalf("consent through another desk: %v", err)
		}
		got, _ := svc.store.Swap(ctx, "d", sw.ID)
		if got.Status != SwapRequested || got.Version != 1 {
			t.Fatalf("failed consents changed the swap: %+v", got)
		}
		if _, err := svc.RequestSwap(ctx, SwapRequest{Assignment: as[2].ID, From: "cy", To: "dee"}); !errors.Is(err, ErrSwapState) {
			t.Fatalf("second open request: %v", err)
		}
	})
	t.Run("R4_R6_no_swap_into_an_overlap", func(t *testing.T) {
		// bo ends b at 20:00; c's roll call is at 19:50 (R6).
		svc, _, as := seedDesk(t, Policy{})
		if _, err := svc.RequestSwap(ctx, SwapRequest{Assignment: as[2].ID, From: "cy", To: "bo"}); !errors.Is(err, ErrOverlap) {
			t.Fatalf("b holder taking c: %v", err)
		}
	})
	t.Run("R4_requests_checked", func(t *testing.T) {
		svc, _, as := seedDesk(t, Policy{})
		if _, err := svc.RequestSwap(ctx, SwapRequest{Assignment: as[2].ID, From: "bo", To: "ann"}); !errors.Is(err, ErrForbidden) {
			t.Fatalf("request by someone not holding the shift: %v", err)
		}
		// bo holds b 12-20 on day 1: cannot also take a 09-17.
		if _, err := svc.RequestSwap(ctx, SwapRequest{Assignment: as[0].ID, From: "ann", To: "bo"}); !errors.Is(err, ErrOverlap) {
			t.Fatalf("swap into an overlapping shift: %v", err)
		}
		if _, err := svc.RequestSwap(ctx, SwapRequest{Assignment: uuid.New(), From: "ann", To: "bo"}); !errors.Is(err, ErrNotFound) {
			t.Fatalf("unknown assignment: %v", err)
		}
	})
	t.Run("R4_lead_approval_policy", func(t *testing.T) {
		svc, clk, as := seedDesk(t, Policy{RequireApproval: true})
		c := as[2]
		sw, _ := svc.RequestSwap(ctx, SwapRequest{Assignment: c.ID, From: "cy", To: "ann"})
		if _, err := svc.Approve(ctx, sw.ID, "lead"); !errors.Is(err, ErrSwapState) {
			t.Fatalf("approval before consent: %v", err)
		}
		clk.advance(time.Minute)
		if _, err := svc.Consent(ctx, sw.ID, "ann", evidence()); err != nil {
			t.Fatal(err)
		}
		l, _ := svc.Liable(ctx, c.ID, hm(day, 21, 0))
		if l.Agent != "cy" || l.Basis != AwaitingApproval {
			t.Fatalf("awaiting approval: %+v", l)
		}
		if on, _ := svc.OnDuty(ctx, hm(day, 21, 0)); on[0].Agent != "cy" {
			t.Fatalf("unapproved swap in force: %+v", on)
		}
		clk.advance(time.Minute)
		if _, err := svc.Approve(ctx, sw.ID, "lead"); err != nil {
			t.Fatal(err)
		}
		if on, _ := svc.OnDuty(ctx, hm(day, 21, 0)); on[0].Agent != "ann" {
			t.Fatalf("approved swap not in force: %+v", on)
		}
		// Asked about the minute between consent and approval, after the
		// approval: still cy, awaiting approval.
		if l, _ := svc.Liable(ctx, c.ID, clk.t.Add(-30*time.Second)); l.Agent != "cy" || l.Basis != AwaitingApproval {
			t.Fatalf("between consent and approval, asked later: %+v", l)
		}
		if _, err := svc.Decline(ctx, sw.ID, "cy"); !errors.Is(err, ErrSwapState) {
			t.Fatalf("declining a swap in force: %v", err)
		}
	})
	t.Run("R4_declined_swap_changes_nothing", func(t *testing.T) {
		svc, _, as := seedDesk(t, Policy{})
		sw, _ := svc.RequestSwap(ctx, SwapRequest{Assignment: as[2].ID, From: "cy", To: "ann"})
		if _, err := svc.Decline(ctx, sw.ID, "ann"); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Consent(ctx, sw.ID, "ann", evidence()); !errors.Is(err, ErrSwapState) {
			t.Fatalf("consent after decline: %v", err)
		}
		l, _ := svc.Liable(ctx, as[2].ID, hm(day, 21, 0))
		if l.Agent != "cy" || l.Basis != NoProof {
			t.Fatalf("after decline: %+v", l)
		}
	})
	t.Run("R4_no_swap_rostered_is_liable", func(t *testing.T) {
		svc, _, as := seedDesk(t, Policy{})
		l, err := svc.Liable(ctx, as[0].ID, hm(day, 10, 0))
		if err != nil || l.Agent != "ann" || l.Basis != Rostered || l.Swap != uuid.Nil {
			t.Fatalf("%+v %v", l, err)
		}
	})
	t.Run("R4_chain_of_swaps", func(t *testing.T) {
		svc, clk, as := seedDesk(t, Policy{})
		c := as[2]
		sw1, _ := svc.RequestSwap(ctx, SwapRequest{Assignment: c.ID, From: "cy", To: "ann"})
		clk.advance(time.Minute)
		svc.Consent(ctx, sw1.ID, "ann", evidence())
		clk.advance(time.Minute)
		if _, err := svc.RequestSwap(ctx, SwapRequest{Assignment: c.ID, From: "cy", To: "dee"}); !errors.Is(err, ErrForbidden) {
			t.Fatalf("former holder swapping again: %v", err)
		}
		sw2, err := svc.RequestSwap(ctx, SwapRequest{Assignment: c.ID, From: "ann", To: "dee"})
		if err != nil {
			t.Fatal(err)
		}
		l, _ := svc.Liable(ctx, c.ID, clk.t)
		if l.Agent != "ann" || l.Basis != NoProof || l.Swap != sw2.ID {
			t.Fatalf("holder with an unproven onward swap: %+v", l)
		}
		clk.advance(time.Minute)
		svc.Consent(ctx, sw2.ID, "dee", evidence())
		l, _ = svc.Liable(ctx, c.ID, hm(day, 21, 0))
		if l.Agent != "dee" || l.Basis != AgreedWithProof || l.Swap != sw2.ID {
			t.Fatalf("after the chain: %+v", l)
		}
	})
}

func TestPresenceAndLeave(t *testing.T) {
	ctx := context.Background()
	day := D(2026, 3, 2)
	t.Run("R5_mark_offline_and_online", func(t *testing.T) {
		svc, clk, _ := seedDesk(t, Policy{})
		clk.set(hm(day, 13, 0))
		a1, err := svc.MarkOffline(ctx, "ann", "network down")
		if err != nil {
			t.Fatal(err)
		}
		again, err := svc.MarkOffline(ctx, "ann", "")
		if err != nil || again.ID != a1.ID {
			t.Fatalf("marking offline twice: %v %v", again.ID, err)
		}
		clk.set(hm(day, 14, 0))
		if on, _ := svc.OnDuty(ctx, clk.t); len(on) != 1 || on[0].Agent != "bo" {
			t.Fatalf("ann offline but on duty: %+v", on)
		}
		if _, err := svc.MarkOnline(ctx, "ann"); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.MarkOnline(ctx, "ann"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("marking online twice: %v", err)
		}
		clk.set(hm(day, 15, 0))
		if on, _ := svc.OnDuty(ctx, clk.t); len(on) != 2 {
			t.Fatalf("ann back online: %+v", on)
		}
		rep, _ := svc.Coverage(ctx, time.UTC, SeedServiceHours(), day, 1)
		// b covers 13-14 anyway, so only 22-24 is open.
		if len(rep.Gaps()) != 1 {
			t.Fatalf("gaps %+v", rep.Gaps())
		}
	})
	t.Run("R5_leave_never_on_duty", func(t *testing.T) {
		svc, _, _ := seedDesk(t, Policy{})
		if _, err := svc.GrantLeave(ctx, "bo", hm(day, 0, 0), hm(day.AddDays(1), 0, 0), "sick"); err != nil {
			t.Fatal(err)
		}
		on, _ := svc.OnDuty(ctx, hm(day, 18, 0))
		if len(on) != 0 {
			t.Fatalf("18:00 with bo on leave: %+v", on)
		}
		rep, _ := svc.Coverage(ctx, time.UTC, SeedServiceHours(), day, 2)
		if len(rep.Days[0].Gaps) != 2 || rep.Days[0].Gaps[0].Length() != 3*time.Hour || len(rep.Days[1].Gaps) != 1 {
			t.Fatalf("gaps %+v", rep.Gaps())
		}
		if _, err := svc.GrantLeave(ctx, "bo", hm(day, 0, 0), time.Time{}, ""); !errors.Is(err, ErrInvalid) {
			t.Fatalf("open-ended leave: %v", err)
		}
	})
	t.Run("publish_refuses_overlap", func(t *testing.T) {
		svc, _, _ := seedDesk(t, Policy{})
		dup := NewAssignment(uuid.Nil, "d", "ann", Shift{Name: "x", Start: At(16, 0), End: At(18, 0)}, day, time.UTC)
		if err := svc.Publish(ctx, []Assignment{dup}); !errors.Is(err, ErrOverlap) {
			t.Fatalf("overlapping publish: %v", err)
		}
		// Only the R6 roll call overlaps: cy's c ends 22:00 on day 1, a
		// shift starting 22:05 reports at 21:55.
		late := NewAssignment(uuid.Nil, "d", "cy", Shift{Name: "late", Start: At(22, 5), End: At(23, 0), ReportEarly: 10 * time.Minute}, day, time.UTC)
		if err := svc.Publish(ctx, []Assignment{late}); !errors.Is(err, ErrOverlap) {
			t.Fatalf("publish overlapping through roll call: %v", err)
		}
	})
}

func TestDutyCover(t *testing.T) {
	t.Run("R7_holidays_without_duty", func(t *testing.T) {
		cal := &Holidays{}
		cal.AddHoliday(D(2026, 5, 1), "劳动节")
		cal.AddHoliday(D(2026, 5, 2), "劳动节")
		ctx := context.Background()
		svc := mustNew(t, NewMemStore(), Config{Desk: "d"})
		d, err := svc.AddDuty(ctx, Duty{Desk: "d", Agent: "ann", Kind: HolidayDuty, Where: Remote,
			Start: hm(D(2026, 5, 1), 9, 0), End: hm(D(2026, 5, 1), 21, 0), ForwardTo: "+86 138 0000 0001"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.AddDuty(ctx, Duty{Desk: "d", Agent: "bo", Kind: HolidayDuty,
			Start: hm(D(2026, 5, 2), 9, 0), End: hm(D(2026, 5, 2), 21, 0)}); !errors.Is(err, ErrInvalid) {
			t.Fatalf("duty without forwarding target: %v", err)
		}
		v, err := svc.View(ctx, hm(D(2026, 4, 30), 0, 0), hm(D(2026, 5, 4), 0, 0))
		if err != nil {
			t.Fatal(err)
		}
		missing := HolidaysWithoutDuty(cal, D(2026, 4, 30), 4, v.Duties, time.UTC)
		if len(missing) != 1 || missing[0] != D(2026, 5, 2) {
			t.Fatalf("missing holiday duty: %v", missing)
		}
		on := v.OnDuty(hm(D(2026, 5, 1), 10, 0))
		if len(on) != 1 || on[0].Agent != "ann" || on[0].Duty != HolidayDuty || on[0].ForwardTo != d.ForwardTo {
			t.Fatalf("on duty: %+v", on)
		}
	})
}

func TestServiceConcurrentSteps(t *testing.T) {
	// Consent and decline race on one swap: exactly one wins, the other
	// sees ErrConflict (stale version) or ErrSwapState; nothing is half
	// written.
	for round := 0; round < 20; round++ {
		svc, _, as := seedDesk(t, Policy{})
		ctx := context.Background()
		sw, err := svc.RequestSwap(ctx, SwapRequest{Assignment: as[2].ID, From: "cy", To: "ann"})
		if err != nil {
			t.Fatal(err)
		}
		errs := make(chan error, 2)
		go func() { _, err := svc.Consent(ctx, sw.ID, "ann", evidence()); errs <- err }()
		go func() { _, err := svc.Decline(ctx, sw.ID, "cy"); errs <- err }()
		e1, e2 := <-errs, <-errs
		wins := 0
		for _, e := range []error{e1, e2} {
			switch {
			case e == nil:
				wins++
			case errors.Is(e, ErrConflict), errors.Is(e, ErrSwapState):
			default:
				t.Fatalf("unexpected error %v", e)
			}
		}
		got, _ := svc.store.Swap(ctx, "d", sw.ID)
		if wins != 1 || got.Version != 2 {
			t.Fatalf("round %d: %d winners, version %d", round, wins, got.Version)
		}
		if got.Status == SwapConsented && got.Evidence.empty() || got.Status == SwapDeclined && got.DeclinedBy != "cy" {
			t.Fatalf("half-written swap %+v", got)
		}
	}
}
