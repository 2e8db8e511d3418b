package roster_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/roster"
)

// The seed's rotation (R3): three weeks, four agents, a/b/c every day.
func ExampleGenerate() {
	spec := roster.SeedSpec("desk-1", roster.D(2026, 3, 2), time.UTC, "ann", "bo", "cy", "dee")
	plan, err := roster.Generate(spec)
	if err != nil {
		panic(err)
	}
	f := plan.Fairness
	fmt.Println("assignments:", len(plan.Assignments), "complete:", plan.Complete())
	fmt.Println("hours spread:", f.HoursSpread)
	fmt.Println("shift spread a/b/c:", f.ShiftSpread["a"], f.ShiftSpread["b"], f.ShiftSpread["c"])
	fmt.Println("weekend spread:", f.WeekendSpread)
	// Output:
	// assignments: 63 complete: true
	// hours spread: 8h0m0s
	// shift spread a/b/c: 1 1 1
	// weekend spread: 1
}

// The seed's own plan leaves 22:00–24:00 uncovered every day (R1, R2).
func ExampleCheckCoverage() {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	spec := roster.SeedSpec("desk-1", roster.D(2026, 3, 2), loc)
	plan, _ := roster.Generate(spec)
	rep, _ := roster.CheckCoverage(roster.CoverageInput{
		Location: loc, From: spec.Start, Days: 2,
		Hours: roster.SeedServiceHours(), Assignments: plan.Assignments,
	})
	for _, g := range rep.Gaps() {
		fmt.Printf("%s %s-%s uncovered (%v)\n", g.Date, g.Start.In(loc).Format("15:04"), g.End.In(loc).Format("15:04"), g.Length())
	}
	// Output:
	// 2026-03-02 22:00-00:00 uncovered (2h0m0s)
	// 2026-03-03 22:00-00:00 uncovered (2h0m0s)
}

// Who takes a call at 13:00: on-site staff first, the earliest start
// first; the first is the natural first-contact owner (T1).
func ExampleWhoIsOn() {
	day := roster.D(2026, 3, 2)
	var as []roster.Assignment
	for i, s := range roster.SeedShifts() {
		as = append(as, roster.NewAssignment(uuid.New(), "desk-1", []string{"ann", "bo", "cy"}[i], s, day, time.UTC))
	}
	offline := roster.Away{ID: uuid.New(), Desk: "desk-1", Agent: "ann", Kind: roster.Offline,
		From: time.Date(2026, 3, 2, 12, 45, 0, 0, time.UTC)}
	for _, at := range []string{"12:30", "13:00", "21:00", "23:00"} {
		t, _ := time.Parse("2006-01-02 15:04", "2026-03-02 "+at)
		on := roster.WhoIsOn(t, as, nil, []roster.Away{offline})
		fmt.Println(at, on.Agents())
	}
	// Output:
	// 12:30 [ann bo]
	// 13:00 [bo]
	// 21:00 [cy]
	// 23:00 []
}

// A swap with proof moves the shift and the liability (R4).
func ExampleService_Consent() {
	ctx := context.Background()
	now := time.Date(2026, 3, 1, 18, 0, 0, 0, time.UTC)
	svc, err := roster.New(roster.NewMemStore(), roster.Config{Desk: "desk-1", Now: func() time.Time { return now }})
	if err != nil {
		panic(err)
	}
	c := roster.NewAssignment(uuid.New(), "desk-1", "cy", roster.SeedShifts()[2], roster.D(2026, 3, 2), time.UTC)
	if err := svc.Publish(ctx, []roster.Assignment{c}); err != nil {
		panic(err)
	}
	sw, _ := svc.RequestSwap(ctx, roster.SwapRequest{Assignment: c.ID, From: "cy", To: "dee", Reason: "exam"})
	l, _ := svc.Liable(ctx, c.ID, c.Start)
	fmt.Println("requested:", l.Agent, "-", l.Basis)

	now = now.Add(time.Hour)
	svc.Consent(ctx, sw.ID, "dee", roster.Evidence{Kind: "chat message", Ref: "wechat 2026-03-01 18:40"})
	l, _ = svc.Liable(ctx, c.ID, c.Start)
	on, _ := svc.OnDuty(ctx, c.Start.Add(time.Hour))
	fmt.Println("consented:", l.Agent, "-", l.Basis, "- on duty:", on.Agents())
	// Output:
	// requested: cy - no proof of agreement
	// consented: dee - agreed swap with proof - on duty: [dee]
}

// Agents for 100 calls in 30 minutes, 3 minutes each, 80 % within 20 s
// (R8).
func ExampleAgentsFor() {
	s, _ := roster.AgentsFor(roster.Load{Calls: 100, Interval: 30 * time.Minute, AHT: 180 * time.Second}, roster.DefaultTarget())
	fmt.Printf("%d agents: service level %.1f%%, P(wait) %.1f%%, occupancy %.1f%%, ASA %.1fs\n",
		s.Agents, 100*s.ServiceLevel, 100*s.WaitProbability, 100*s.Occupancy, s.ASA.Seconds())
	// Output:
	// 14 agents: service level 88.8%, P(wait) 17.4%, occupancy 71.4%, ASA 7.8s
}

func ExampleWriteICal() {
	a := roster.NewAssignment(uuid.MustParse("0190a000-0000-7000-8000-00000000000c"), "desk-1", "cy",
		roster.SeedShifts()[2], roster.D(2026, 3, 2), time.UTC)
	var buf bytes.Buffer
	roster.WriteICal(&buf, []roster.Assignment{a}, roster.ICalOptions{Stamp: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)})
	fmt.Print(strings.ReplaceAll(buf.String(), "\r\n", "\n"))
	// Output:
	// BEGIN:VCALENDAR
	// VERSION:2.0
	// PRODID:-//servicedesk-go//desk roster//EN
	// CALSCALE:GREGORIAN
	// METHOD:PUBLISH
	// BEGIN:VEVENT
	// UID:0190a000-0000-7000-8000-00000000000c@servicedesk-go.invalid
	// DTSTAMP:20260301T000000Z
	// DTSTART:20260302T200000Z
	// DTEND:20260302T220000Z
	// SUMMARY:Shift c: cy (remote)
	// DESCRIPTION:Desk desk-1\, shift c\, remote.\nRoll call at 19:50 (R6).
	// CATEGORIES:c
	// TRANSP:OPAQUE
	// END:VEVENT
	// END:VCALENDAR
}

// Text no store can hold (a NUL character, invalid UTF-8) and text
// longer than Config.Bounds are refused before anything is written, with
// the field named.
func ExampleBounds() {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	svc, err := roster.New(roster.NewMemStore(), roster.Config{Desk: "d", Bounds: roster.Bounds{Name: 8}})
	if err != nil {
		panic(err)
	}
	_, err = svc.GrantLeave(context.Background(), "amy", at, at.Add(time.Hour), "flu\x00")
	fmt.Println(err)
	_, err = svc.GrantLeave(context.Background(), "maximilian", at, at.Add(time.Hour), "")
	fmt.Println(err)
	fmt.Println(roster.DefaultBounds().Text)
	// Output:
	// roster: invalid away.note: contains a NUL character at byte 3
	// roster: invalid away.agent: 10 characters, at most 8 (Config.Bounds)
	// 4000
}

// CheckText is the text rule alone, without a length bound.
func ExampleCheckText() {
	fmt.Println(roster.CheckText("desk", "front desk"))
	fmt.Println(roster.CheckText("desk", "front\xff"))
	// Output:
	// <nil>
	// roster: invalid desk: not valid UTF-8
}
