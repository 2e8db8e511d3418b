package roster

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// The year benchmark: 52 weeks, 500 agents, a/b/c with 150/150/60 people
// per day (360 places a day, 131,040 assignments), generated, audited for
// hard constraints and checked for R1 coverage. The baselines do the
// least work that yields the same assignments, in the same run, so the
// ratio is what matters:
//   - BenchmarkYearBaselineEnumerate places every slot round-robin with
//     the same ID generator and the same clock-change resolution;
//   - BenchmarkYearBaselineCopy only copies the finished assignments.

func yearSpec(b testing.TB) Spec {
	agents := make([]string, 500)
	for i := range agents {
		agents[i] = fmt.Sprintf("agent-%03d", i)
	}
	return Spec{Desk: "bench", Agents: agents, Shifts: SeedShifts(),
		Demand: map[string]int{"a": 150, "b": 150, "c": 60},
		Start:  D(2026, 1, 5), Weeks: 52, Location: mustLoc(b, "Asia/Shanghai")}
}

func BenchmarkYearGenerateAndCheck(b *testing.B) {
	spec := yearSpec(b)
	b.ReportAllocs()
	for b.Loop() {
		plan, err := Generate(spec)
		if err != nil || !plan.Complete() {
			b.Fatalf("plan: %v %v", err, plan.Err())
		}
		if v := Audit(plan.Assignments, SeedRules(), spec.Start, nil); len(v) != 0 {
			b.Fatalf("violations: %v", v[:1])
		}
		rep, err := CheckCoverage(CoverageInput{Location: spec.Location, From: spec.Start, Days: spec.Weeks * 7,
			Hours: SeedServiceHours(), Assignments: plan.Assignments})
		if err != nil || len(rep.Gaps()) != spec.Weeks*7 {
			b.Fatalf("coverage: %v, %d gaps", err, len(rep.Gaps()))
		}
	}
}

func BenchmarkYearGenerate(b *testing.B) {
	spec := yearSpec(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Generate(spec); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkYearBaselineEnumerate(b *testing.B) {
	spec := yearSpec(b)
	b.ReportAllocs()
	for b.Loop() {
		out := make([]Assignment, 0, 360*7*spec.Weeks)
		next := 0
		d := spec.Start
		for day := 0; day < spec.Weeks*7; day++ {
			for _, s := range spec.Shifts {
				start, end := s.On(d, spec.Location)
				for k := 0; k < spec.Demand[s.Name]; k++ {
					out = append(out, Assignment{ID: defaultID(), Desk: spec.Desk, Agent: spec.Agents[next%len(spec.Agents)],
						Shift: s.Name, Date: d, Start: start, End: end, Where: s.Where, ReportEarly: s.ReportEarly})
					next++
				}
			}
			d = d.AddDays(1)
		}
		if len(out) != 131040 {
			b.Fatal(len(out))
		}
	}
}

func BenchmarkYearBaselineCopy(b *testing.B) {
	plan, err := Generate(yearSpec(b))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		cp := make([]Assignment, len(plan.Assignments))
		copy(cp, plan.Assignments)
		var total time.Duration
		for i := range cp {
			total += cp[i].Duration()
		}
		if total <= 0 {
			b.Fatal(total)
		}
	}
}

// BenchmarkOnDutyYearStore asks the Service who is on duty at one instant
// with a year for 500 agents in the MemStore (the first-contact pick of a
// ticket system). BenchmarkOnDutyBaseline answers the same question from
// the assignments of that day already in memory.
func BenchmarkOnDutyYearStore(b *testing.B) {
	spec := yearSpec(b)
	plan, err := Generate(spec)
	if err != nil {
		b.Fatal(err)
	}
	svc := mustNew(b, NewMemStore(), Config{Desk: spec.Desk})
	ctx := context.Background()
	if err := svc.Publish(ctx, plan.Assignments); err != nil {
		b.Fatal(err)
	}
	at := Instant(spec.Start.AddDays(200), At(13, 0), spec.Location)
	b.ReportAllocs()
	for b.Loop() {
		on, err := svc.OnDuty(ctx, at)
		if err != nil || len(on) != 300 {
			b.Fatalf("%d on duty, %v", len(on), err)
		}
	}
}

func BenchmarkOnDutyBaseline(b *testing.B) {
	spec := yearSpec(b)
	plan, err := Generate(spec)
	if err != nil {
		b.Fatal(err)
	}
	at := Instant(spec.Start.AddDays(200), At(13, 0), spec.Location)
	var day []Assignment
	for _, a := range plan.Assignments {
		if a.Date == spec.Start.AddDays(200) {
			day = append(day, a)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if on := WhoIsOn(at, day, nil, nil); len(on) != 300 {
			b.Fatalf("%d on duty", len(on))
		}
	}
}
