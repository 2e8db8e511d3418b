package roster

import (
	"fmt"
	"math"
	"sort"
	"time"
)

// Load is the work arriving at a desk: Calls arrivals in each Interval,
// each taking AHT (average handling time: talk plus wrap-up) (R8).
type Load struct {
	Calls    float64
	Interval time.Duration
	AHT      time.Duration
}

// Traffic is the offered load in Erlangs: arrival rate times handling time.
func (l Load) Traffic() float64 { return l.Calls * l.AHT.Seconds() / l.Interval.Seconds() }

func (l Load) validate() error {
	switch {
	case l.Calls < 0 || math.IsNaN(l.Calls) || math.IsInf(l.Calls, 0):
		return invalid("load.calls", "%v calls: want a finite number >= 0", l.Calls)
	case l.Interval <= 0:
		return invalid("load.interval", "%v: want > 0", l.Interval)
	case l.AHT <= 0:
		return invalid("load.aht", "%v: want > 0", l.AHT)
	case l.Traffic() > 1e6:
		return invalid("load.calls", "%.0f Erlangs is beyond what a desk staffs", l.Traffic())
	}
	return nil
}

// Target is a service-level goal: a share of calls answered within a time
// ("80 % within 20 s" is ServiceLevel 0.8, AnswerWithin 20 s).
type Target struct {
	ServiceLevel float64
	AnswerWithin time.Duration
}

// DefaultTarget is the common 80/20 goal. The seeds ask only that staffing
// follow the actual volume (R8) and give no figure; a desk sets its own.
func DefaultTarget() Target { return Target{ServiceLevel: 0.8, AnswerWithin: 20 * time.Second} }

func (t Target) validate() error {
	if !(t.ServiceLevel > 0 && t.ServiceLevel < 1) || t.AnswerWithin < 0 {
		return invalid("target", "service level %v within %v: want 0 < level < 1 and time >= 0", t.ServiceLevel, t.AnswerWithin)
	}
	return nil
}

// Staffing is what a number of agents achieves under a Load (Erlang C:
// Poisson arrivals, exponential handling, callers wait in one queue and
// do not abandon).
type Staffing struct {
	Agents          int
	Traffic         float64 // Erlangs offered
	WaitProbability float64 // Erlang C: chance a call has to queue
	ServiceLevel    float64 // share answered within the target time
	// ASA is the average speed of answer. When Overloaded it is
	// InfiniteASA: no finite figure exists, and arithmetic on it is
	// meaningless; test Overloaded, not the number.
	ASA       time.Duration
	Occupancy float64 // traffic / agents
	// Overloaded: agents <= traffic (zero agents included), so the queue
	// grows without bound; WaitProbability is 1, ServiceLevel 0 and ASA
	// InfiniteASA.
	Overloaded bool
}

// InfiniteASA is the ASA of an overloaded desk (Staffing.Overloaded):
// the queue never drains, so calls wait without bound. It is the largest
// Duration, a sentinel to compare with, not a time to add.
const InfiniteASA = time.Duration(math.MaxInt64)

// ErlangB is the blocking probability for traffic Erlangs offered to
// agents servers, by the stable recurrence B(0)=1,
// B(n) = A·B(n-1) / (n + A·B(n-1)); no factorials, so it works for very
// large loads.
func ErlangB(traffic float64, agents int) float64 {
	b := 1.0
	for n := 1; n <= agents; n++ {
		b = traffic * b / (float64(n) + traffic*b)
	}
	return b
}

// ErlangC is the probability that a call waits, from Erlang B:
// C = n·B / (n - A·(1-B)). It is 1 when agents <= traffic (the queue
// grows without bound).
func ErlangC(traffic float64, agents int) float64 {
	if float64(agents) <= traffic {
		return 1
	}
	return erlangCFromB(traffic, agents, ErlangB(traffic, agents))
}

func erlangCFromB(a float64, n int, b float64) float64 {
	fn := float64(n)
	return fn * b / (fn - a*(1-b))
}

func staffingFor(l Load, t Target, n int, b float64) Staffing {
	a := l.Traffic()
	s := Staffing{Agents: n, Traffic: a}
	if n > 0 {
		s.Occupancy = math.Min(1, a/float64(n))
	}
	if a == 0 {
		s.ServiceLevel = 1
		return s
	}
	if float64(n) <= a {
		s.WaitProbability = 1
		s.ASA, s.Overloaded = InfiniteASA, true
		return s
	}
	c := erlangCFromB(a, n, b)
	aht := l.AHT.Seconds()
	s.WaitProbability = c
	s.ServiceLevel = 1 - c*math.Exp(-(float64(n)-a)*t.AnswerWithin.Seconds()/aht)
	s.ASA = time.Duration(c * aht / (float64(n) - a) * float64(time.Second))
	return s
}

// maxAgents bounds Evaluate's input (traffic is bounded at 1e6 Erlangs).
const maxAgents = 10_000_000

// Evaluate returns what agents achieve under load against target.
func Evaluate(load Load, agents int, target Target) (Staffing, error) {
	if err := load.validate(); err != nil {
		return Staffing{}, err
	}
	if err := target.validate(); err != nil {
		return Staffing{}, err
	}
	if agents < 0 || agents > maxAgents {
		return Staffing{}, invalid("agents", "%d: want 0..%d", agents, maxAgents)
	}
	return staffingFor(load, target, agents, ErlangB(load.Traffic(), agents)), nil
}

// AgentsFor returns the fewest agents that meet target under load (R8),
// with what they achieve. It walks n upward with the Erlang B recurrence,
// so the cost is linear in the answer.
func AgentsFor(load Load, target Target) (Staffing, error) {
	if err := load.validate(); err != nil {
		return Staffing{}, err
	}
	if err := target.validate(); err != nil {
		return Staffing{}, err
	}
	a := load.Traffic()
	if a == 0 {
		return staffingFor(load, target, 0, 1), nil
	}
	b := 1.0
	for n := 1; ; n++ {
		b = a * b / (float64(n) + a*b)
		if float64(n) <= a {
			continue
		}
		if s := staffingFor(load, target, n, b); s.ServiceLevel >= target.ServiceLevel {
			return s, nil
		}
	}
}

// HourLoad is the number of calls expected in the hour starting at Start.
type HourLoad struct {
	Start time.Time
	Calls float64
}

// LoadFit compares one hour of load with the roster.
type LoadFit struct {
	Start    time.Time
	Need     int      // agents needed for the target
	Staffed  int      // fewest agents present at any moment of the hour
	Short    int      // Need - Staffed when positive
	Achieved Staffing // what Staffed agents achieve
}

// CheckLoad says, hour by hour, whether the people present (assignments
// with swaps applied, duty covers, minus leave and offline periods) meet
// target for an hourly load profile with handling time aht (R8: "依据本
// 服务中心实际业务量来酌情分配人手"). Staffed is the minimum headcount within
// the hour, so a hole of a few minutes shows.
func CheckLoad(profile []HourLoad, aht time.Duration, target Target, as []Assignment, duties []Duty, away []Away) ([]LoadFit, error) {
	if err := target.validate(); err != nil {
		return nil, err
	}
	idx := indexAway(away)
	type edge struct {
		t     time.Time
		delta int
	}
	var edges []edge
	add := func(s, e time.Time) { edges = append(edges, edge{s, +1}, edge{e, -1}) }
	for _, a := range as {
		idx.present(a.Agent, a.Start, a.End, add)
	}
	for _, d := range duties {
		idx.present(d.Agent, d.Start, d.End, add)
	}
	sort.Slice(edges, func(i, j int) bool {
		if !edges[i].t.Equal(edges[j].t) {
			return edges[i].t.Before(edges[j].t)
		}
		return edges[i].delta < edges[j].delta
	})
	out := make([]LoadFit, 0, len(profile))
	for _, h := range profile {
		load := Load{Calls: h.Calls, Interval: time.Hour, AHT: aht}
		need, err := AgentsFor(load, target)
		if err != nil {
			return nil, fmt.Errorf("hour %s: %w", h.Start.Format(time.RFC3339), err)
		}
		end := h.Start.Add(time.Hour)
		count, i := 0, 0
		for ; i < len(edges) && !edges[i].t.After(h.Start); i++ {
			count += edges[i].delta
		}
		least := count
		for i < len(edges) && edges[i].t.Before(end) {
			// Apply every edge at one instant before looking: a handover
			// (one leaves as the next arrives) is no dip.
			at := edges[i].t
			for ; i < len(edges) && edges[i].t.Equal(at); i++ {
				count += edges[i].delta
			}
			least = min(least, count)
		}
		got, _ := Evaluate(load, least, target)
		fit := LoadFit{Start: h.Start, Need: need.Agents, Staffed: least, Achieved: got}
		if fit.Need > fit.Staffed {
			fit.Short = fit.Need - fit.Staffed
		}
		out = append(out, fit)
	}
	return out, nil
}
