package roster

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Rules are the hard constraints and the weights of the soft ones used by
// Generate and Audit. Start from SeedRules; every number is a default a
// desk may change, and zero means zero.
type Rules struct {
	// MinRest is the least time between the end of one shift and the
	// start of the next for the same person. Overlap is always forbidden.
	MinRest time.Duration
	// MinDaysOff is the least number of days without a shift start in
	// each 7-day week of the cycle (weeks counted from Spec.Start).
	MinDaysOff int
	// Soft-constraint weights: balanced hours (per average shift worked),
	// balanced count of each shift type, balanced weekend/holiday work.
	HoursWeight, ShiftWeight, WeekendWeight float64
}

// SeedRules returns the defaults. The seeds give no numbers for rest or
// days off, so these are the library's: 11 hours' rest, counted from the
// end of one shift to the R6 report time of the next (so with the R2
// shifts c, ending 22:00, is not followed by a, reporting 08:50, but may
// be followed by b), and one day off a week (the statutory minimum,
// 劳动法 第三十八条 "每周至少休息一日").
func SeedRules() Rules {
	return Rules{MinRest: 11 * time.Hour, MinDaysOff: 1, HoursWeight: 1, ShiftWeight: 1, WeekendWeight: 1}
}

// Spec describes the rotation to generate.
type Spec struct {
	Desk     string
	Agents   []string
	Shifts   []Shift
	Demand   map[string]int // people per shift name per day; nil: one each; a shift missing from a non-nil map: nobody
	Start    Date           // first day of the cycle
	Weeks    int            // cycle length (R3: 3)
	Location *time.Location // nil: the Calendar's zone if it has one (a calendar.Calendar), else UTC
	Calendar Calendar       // nil: Weekends
	Rules    *Rules         // nil: SeedRules()
	Leave    []Away         // known absences; an agent away at any moment of a slot cannot take it
	// Previous are shifts already worked or planned before Start (the
	// last days of the previous cycle): the first days respect overlap
	// and minimum rest against them. A cycle repeated verbatim is not
	// checked across its own wrap; generate the next cycle with this one
	// as Previous instead, or Audit two copies back to back.
	Previous []Assignment
	DaysOff  map[string][]time.Weekday
	NewID    func() uuid.UUID // nil: UUIDv7
}

// SeedSpec is R3: a three-week cycle for four agents over the a/b/c
// shifts, every shift staffed by one person every day.
func SeedSpec(desk string, start Date, loc *time.Location, agents ...string) Spec {
	if len(agents) == 0 {
		agents = []string{"agent-1", "agent-2", "agent-3", "agent-4"}
	}
	return Spec{Desk: desk, Agents: agents, Shifts: SeedShifts(), Start: start, Weeks: 3, Location: loc}
}

// Reason says why an agent could not take a slot.
type Reason uint8

const (
	// ReasonLeave: on leave or away during the slot.
	ReasonLeave Reason = iota + 1
	// ReasonOverlap: already holds a shift that overlaps it.
	ReasonOverlap
	// ReasonRest: less than the minimum rest after their previous shift.
	ReasonRest
	// ReasonDaysOff: taking it would leave fewer days off in the week than
	// Rules.MinDaysOff.
	ReasonDaysOff
	// ReasonFixedDayOff: the weekday is one of the agent's fixed days off.
	ReasonFixedDayOff
)

func (r Reason) String() string {
	switch r {
	case ReasonLeave:
		return "on leave"
	case ReasonOverlap:
		return "overlapping shift"
	case ReasonRest:
		return "minimum rest"
	case ReasonDaysOff:
		return "weekly days off"
	case ReasonFixedDayOff:
		return "fixed day off"
	}
	return fmt.Sprintf("Reason(%d)", uint8(r))
}

// Exclusion groups the agents excluded from a slot for one reason.
type Exclusion struct {
	Reason Reason
	Agents []string
}

// Unfilled is a slot the generator could not staff in full.
type Unfilled struct {
	Date       Date
	Shift      string
	Start, End time.Time
	Missing    int
	Excluded   []Exclusion // every agent not placed, by reason
}

// UnfilledError lists the unfilled slots; it wraps ErrUnfilled.
type UnfilledError struct{ Slots []Unfilled }

func (e *UnfilledError) Error() string {
	missing := 0
	for _, s := range e.Slots {
		missing += s.Missing
	}
	first := e.Slots[0]
	return fmt.Sprintf("roster: %d places in %d slots left unfilled, first %s shift %s: relax the rules or add agents",
		missing, len(e.Slots), first.Date, first.Shift)
}

// Unwrap makes errors.Is(err, ErrUnfilled) true.
func (e *UnfilledError) Unwrap() error { return ErrUnfilled }

// Plan is the generated rotation.
type Plan struct {
	Assignments []Assignment // ordered by Start, then agent
	Unfilled    []Unfilled
	// Emptied lists the slots a clock change left with no time (end at
	// or before start, see Shift.On): never staffed, always a plan
	// error, so the desk decides what that night needs.
	Emptied  []Unfilled
	Fairness Fairness
}

// ClockChangeError lists the slots a clock change emptied; it wraps
// ErrClockChange.
type ClockChangeError struct{ Slots []Unfilled }

func (e *ClockChangeError) Error() string {
	first := e.Slots[0]
	return fmt.Sprintf("roster: %d slots have no time after a clock change, first %s shift %s (%s to %s): move the shift out of the skipped hour",
		len(e.Slots), first.Date, first.Shift, first.Start.Format(time.RFC3339), first.End.Format(time.RFC3339))
}

// Unwrap makes errors.Is(err, ErrClockChange) true.
func (e *ClockChangeError) Unwrap() error { return ErrClockChange }

// Complete reports whether every slot was staffed.
func (p *Plan) Complete() bool { return len(p.Unfilled) == 0 && len(p.Emptied) == 0 }

// Err is nil for a complete plan; otherwise an *UnfilledError, a
// *ClockChangeError or both joined (errors.Is finds ErrUnfilled and
// ErrClockChange).
func (p *Plan) Err() error {
	var errs []error
	if len(p.Unfilled) > 0 {
		errs = append(errs, &UnfilledError{Slots: p.Unfilled})
	}
	if len(p.Emptied) > 0 {
		errs = append(errs, &ClockChangeError{Slots: p.Emptied})
	}
	return errors.Join(errs...)
}

// AgentLoad is one agent's share of a plan.
type AgentLoad struct {
	Agent    string
	Hours    time.Duration
	Days     int
	Shifts   map[string]int
	Weekends int // shifts starting on a rest day or holiday
}

// Fairness reports the spread (max - min over agents) of each soft
// constraint, and the loads behind it.
type Fairness struct {
	Agents        []AgentLoad
	HoursSpread   time.Duration
	ShiftSpread   map[string]int
	WeekendSpread int
}

// Measure computes the fairness figures of assignments over agents.
func Measure(as []Assignment, agents []string, shifts []Shift, cal Calendar, loc *time.Location) Fairness {
	if cal == nil {
		cal = Weekends{}
	}
	pos := make(map[string]int, len(agents))
	f := Fairness{Agents: make([]AgentLoad, len(agents)), ShiftSpread: map[string]int{}}
	for i, a := range agents {
		pos[a] = i
		f.Agents[i] = AgentLoad{Agent: a, Shifts: map[string]int{}}
		for _, s := range shifts {
			f.Agents[i].Shifts[s.Name] = 0
		}
	}
	// Distinct (agent, day) pairs, packed and sorted: cheaper than a map
	// at a year's scale.
	var origin Date
	if len(as) > 0 {
		origin = as[0].Date
	}
	pairs := make([]uint64, 0, len(as))
	for _, a := range as {
		i, ok := pos[a.Agent]
		if !ok {
			continue
		}
		l := &f.Agents[i]
		l.Hours += a.Duration()
		l.Shifts[a.Shift]++
		if k := cal.Kind(a.Date); k != Workday {
			l.Weekends++
		}
		pairs = append(pairs, uint64(i)<<32|uint64(uint32(int32(origin.DaysUntil(a.Date)))))
	}
	slices.Sort(pairs)
	for k, p := range pairs {
		if k == 0 || p != pairs[k-1] {
			f.Agents[p>>32].Days++
		}
	}
	if len(agents) == 0 {
		return f
	}
	minH, maxH := f.Agents[0].Hours, f.Agents[0].Hours
	minW, maxW := f.Agents[0].Weekends, f.Agents[0].Weekends
	for _, l := range f.Agents {
		minH, maxH = min(minH, l.Hours), max(maxH, l.Hours)
		minW, maxW = min(minW, l.Weekends), max(maxW, l.Weekends)
	}
	f.HoursSpread, f.WeekendSpread = maxH-minH, maxW-minW
	for _, s := range shifts {
		lo, hi := f.Agents[0].Shifts[s.Name], f.Agents[0].Shifts[s.Name]
		for _, l := range f.Agents {
			lo, hi = min(lo, l.Shifts[s.Name]), max(hi, l.Shifts[s.Name])
		}
		f.ShiftSpread[s.Name] = hi - lo
	}
	return f
}

func (sp *Spec) validate() error {
	switch {
	case sp.Desk == "":
		return invalid("spec.desk", "empty desk")
	case len(sp.Agents) == 0:
		return invalid("spec.agents", "no agents")
	case len(sp.Shifts) == 0:
		return invalid("spec.shifts", "no shifts")
	case sp.Weeks <= 0 || sp.Weeks > 520:
		return invalid("spec.weeks", "%d weeks: want 1..520", sp.Weeks)
	case !sp.Start.Valid():
		return invalid("spec.start", "%v is not a calendar day", sp.Start)
	}
	seen := map[string]bool{}
	for _, a := range sp.Agents {
		if a == "" || seen[a] {
			return invalid("spec.agents", "agent %q is empty or repeated", a)
		}
		seen[a] = true
	}
	names := map[string]bool{}
	for _, s := range sp.Shifts {
		if err := s.Validate(); err != nil {
			return err
		}
		if names[s.Name] {
			return invalid("spec.shifts", "shift %q repeated", s.Name)
		}
		names[s.Name] = true
	}
	for name, n := range sp.Demand {
		if !names[name] {
			return invalid("spec.demand", "unknown shift %q", name)
		}
		if n < 0 {
			return invalid("spec.demand", "negative demand %d for shift %q", n, name)
		}
	}
	if r := sp.Rules; r != nil && (r.MinRest < 0 || r.MinDaysOff < 0 || r.MinDaysOff > 7 ||
		r.HoursWeight < 0 || r.ShiftWeight < 0 || r.WeekendWeight < 0) {
		return invalid("spec.rules", "negative or impossible rule")
	}
	for agent, wds := range sp.DaysOff {
		if !seen[agent] {
			return invalid("spec.days_off", "unknown agent %q", agent)
		}
		for _, wd := range wds {
			if wd < time.Sunday || wd > time.Saturday {
				return invalid("spec.days_off", "weekday %d for agent %q", wd, agent)
			}
		}
	}
	return nil
}

func defaultID() uuid.UUID {
	id, err := uuid.NewV7()
	if err != nil {
		return uuid.New()
	}
	return id
}

// Generate builds the rotation described by spec. It works slot by slot
// in time order; for each slot it takes the eligible agents (hard
// constraints: no leave, no overlap, minimum rest, weekly days off, fixed
// days off) with the lowest soft cost (hours so far, times on this shift,
// weekend shifts so far, each weighted by Rules), ties broken by a
// rotating agent order so the result is deterministic. Hard constraints
// are never broken: a slot without enough eligible agents is left short
// and listed in Plan.Unfilled with every excluded agent's reason. A slot
// that a clock change empties (Shift.On) is never staffed and is listed
// in Plan.Emptied; Plan.Err reports both. The error is only for an
// invalid spec (ErrInvalid).
func Generate(spec Spec) (*Plan, error) {
	if err := spec.validate(); err != nil {
		return nil, err
	}
	g := newGenerator(spec)
	d := spec.Start
	for day := 0; day < g.days; day++ {
		for si := range g.shifts {
			g.fillSlot(day, d, si)
		}
		d = d.AddDays(1)
	}
	plan := g.plan
	slices.SortStableFunc(plan.Assignments, func(a, b Assignment) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return strings.Compare(a.Agent, b.Agent)
	})
	plan.Fairness = Measure(plan.Assignments, spec.Agents, spec.Shifts, g.cal, g.loc)
	return plan, nil
}

// agentState is what Generate knows of one agent so far.
type agentState struct {
	minutes   float64
	shifts    []int // times on each shift, in start order
	weekends  int
	lastEnd   time.Time
	week      int
	weekDays  int
	lastDay   Date
	hasLastDy bool
}

// generator is Generate's working state: the spec with its defaults
// filled in, each agent's state and the plan being built.
type generator struct {
	spec       Spec
	rules      Rules
	loc        *time.Location
	cal        Calendar
	newID      func() uuid.UUID
	shifts     []Shift // in start order
	n          int     // agents
	avgMinutes float64 // nominal minutes of the average shift
	leave      map[string][]Away
	fixedOff   [][7]bool
	st         []agentState
	maxDays    int // working days a week leaves (MinDaysOff)
	days       int
	plan       *Plan
	cost       []float64
	reason     []Reason
	cand       []int
}

// newGenerator fills the spec's defaults (SeedRules, the calendar's zone
// or UTC, Weekends, UUIDv7) and each agent's state from spec.Previous.
func newGenerator(spec Spec) *generator {
	g := &generator{spec: spec, rules: SeedRules(), loc: spec.Location, cal: spec.Calendar, newID: spec.NewID}
	if spec.Rules != nil {
		g.rules = *spec.Rules
	}
	if z, ok := spec.Calendar.(interface{ Zone() *time.Location }); ok && g.loc == nil {
		g.loc = z.Zone() // the desk's zone
	}
	if g.loc == nil {
		g.loc = time.UTC
	}
	if g.cal == nil {
		g.cal = Weekends{}
	}
	if g.newID == nil {
		g.newID = defaultID
	}
	g.shifts = append([]Shift(nil), spec.Shifts...)
	sort.SliceStable(g.shifts, func(i, j int) bool { return g.shifts[i].Start < g.shifts[j].Start })
	g.n = len(spec.Agents)
	nShift := len(g.shifts)
	for _, s := range g.shifts {
		g.avgMinutes += s.Nominal().Minutes()
	}
	g.avgMinutes /= float64(nShift)

	g.leave = indexAway(spec.Leave)
	g.fixedOff = make([][7]bool, g.n)
	for i, a := range spec.Agents {
		for _, wd := range spec.DaysOff[a] {
			g.fixedOff[i][wd] = true
		}
	}
	g.st = make([]agentState, g.n)
	shiftCounts := make([]int, g.n*nShift)
	pos := make(map[string]int, g.n)
	for i := range g.st {
		g.st[i].shifts = shiftCounts[i*nShift : (i+1)*nShift]
		g.st[i].week = -1
		pos[spec.Agents[i]] = i
	}
	for _, p := range spec.Previous {
		if i, ok := pos[p.Agent]; ok && p.End.After(g.st[i].lastEnd) {
			g.st[i].lastEnd = p.End
		}
	}
	g.maxDays = 7 - g.rules.MinDaysOff
	g.days = spec.Weeks * 7
	total := 0
	for _, s := range g.shifts {
		total += demandOf(spec.Demand, s.Name)
	}
	g.plan = &Plan{Assignments: make([]Assignment, 0, total*g.days)}
	g.cost = make([]float64, g.n)
	g.reason = make([]Reason, g.n)
	g.cand = make([]int, 0, g.n)
	return g
}

// fillSlot staffs shift si on date d, the day-th of the rotation: the
// eligible agents with the lowest cost, as many as the demand asks. A
// slot a clock change empties goes to Plan.Emptied, a short one to
// Plan.Unfilled.
func (g *generator) fillSlot(day int, d Date, si int) {
	s := g.shifts[si]
	need := demandOf(g.spec.Demand, s.Name)
	if need == 0 {
		return
	}
	start, end := s.On(d, g.loc)
	if !end.After(start) {
		// A clock change emptied the slot: staffing it would
		// write an event that ends before it starts.
		g.plan.Emptied = append(g.plan.Emptied, Unfilled{Date: d, Shift: s.Name, Start: start, End: end, Missing: need})
		return
	}
	week := day / 7
	weekend := g.cal.Kind(d) != Workday
	g.candidates(week, d, si, start.Add(-s.ReportEarly), end, weekend)
	n, nShift := g.n, len(g.shifts)
	rot := (day*nShift + si) % n
	slices.SortFunc(g.cand, func(a, b int) int {
		if c := cmp.Compare(g.cost[a], g.cost[b]); c != 0 {
			return c
		}
		return cmp.Compare((a-rot+n)%n, (b-rot+n)%n)
	})
	take := min(need, len(g.cand))
	for _, i := range g.cand[:take] {
		g.assign(i, week, d, si, start, end, weekend)
	}
	if take < need {
		g.plan.Unfilled = append(g.plan.Unfilled, g.unfilled(d, s, start, end, need-take))
	}
}

// candidates sets g.cand to the agents who may work a slot reporting at
// report and ending at end (the hard constraints), with each one's soft
// cost in g.cost; g.reason holds why each of the others may not.
func (g *generator) candidates(week int, d Date, si int, report, end time.Time, weekend bool) {
	rules, wd := &g.rules, d.Weekday()
	g.cand = g.cand[:0]
	for i := 0; i < g.n; i++ {
		a := &g.st[i]
		r := Reason(0)
		switch {
		case g.fixedOff[i][wd]:
			r = ReasonFixedDayOff
		case !a.lastEnd.IsZero() && report.Before(a.lastEnd):
			r = ReasonOverlap
		case !a.lastEnd.IsZero() && report.Sub(a.lastEnd) < rules.MinRest:
			r = ReasonRest
		case a.week == week && !(a.hasLastDy && a.lastDay == d) && a.weekDays >= g.maxDays:
			r = ReasonDaysOff
		case len(g.leave[g.spec.Agents[i]]) > 0 && leaveOverlaps(g.leave[g.spec.Agents[i]], report, end):
			r = ReasonLeave
		}
		g.reason[i] = r
		if r != 0 {
			continue
		}
		c := rules.HoursWeight*a.minutes/g.avgMinutes + rules.ShiftWeight*float64(a.shifts[si])
		if weekend {
			c += rules.WeekendWeight * float64(a.weekends)
		}
		g.cost[i] = c
		g.cand = append(g.cand, i)
	}
}

// assign gives agent i shift si on date d and updates the agent's state.
func (g *generator) assign(i, week int, d Date, si int, start, end time.Time, weekend bool) {
	s := g.shifts[si]
	a := &g.st[i]
	g.plan.Assignments = append(g.plan.Assignments, Assignment{ID: g.newID(), Desk: g.spec.Desk,
		Agent: g.spec.Agents[i], Shift: s.Name, Date: d,
		Start: start, End: end, Where: s.Where, ReportEarly: s.ReportEarly})
	a.minutes += end.Sub(start).Minutes()
	a.shifts[si]++
	if weekend {
		a.weekends++
	}
	if end.After(a.lastEnd) {
		a.lastEnd = end
	}
	if a.week != week {
		a.week, a.weekDays = week, 0
	}
	if !(a.hasLastDy && a.lastDay == d) {
		a.weekDays++
		a.lastDay, a.hasLastDy = d, true
	}
	g.reason[i] = 0
}

// unfilled describes a slot left short by missing agents, with every
// excluded agent grouped by reason.
func (g *generator) unfilled(d Date, s Shift, start, end time.Time, missing int) Unfilled {
	u := Unfilled{Date: d, Shift: s.Name, Start: start, End: end, Missing: missing}
	groups := map[Reason][]string{}
	for i := 0; i < g.n; i++ {
		if g.reason[i] != 0 {
			groups[g.reason[i]] = append(groups[g.reason[i]], g.spec.Agents[i])
		}
	}
	for r := ReasonLeave; r <= ReasonFixedDayOff; r++ {
		if len(groups[r]) > 0 {
			u.Excluded = append(u.Excluded, Exclusion{Reason: r, Agents: groups[r]})
		}
	}
	return u
}

func demandOf(m map[string]int, name string) int {
	if m == nil {
		return 1
	}
	return m[name]
}

func leaveOverlaps(list []Away, s, e time.Time) bool {
	for _, a := range list {
		if a.Overlaps(s, e) {
			return true
		}
	}
	return false
}

// Violation is a broken hard constraint found by Audit.
type Violation struct {
	Reason      Reason
	Agent       string
	First, Next uuid.UUID // the two assignments involved (Next is Nil for leave)
}

func (v Violation) String() string {
	return fmt.Sprintf("%s: %s between %s and %s", v.Agent, v.Reason, v.First, v.Next)
}

// Audit checks assignments against the hard constraints of rules: no
// overlap (including the R6 early report), minimum rest, weekly days off
// counted in 7-day weeks from cycleStart, and no shift during leave. It
// returns every violation, in agent then time order.
func Audit(as []Assignment, rules Rules, cycleStart Date, leave []Away) []Violation {
	sorted := make([]*Assignment, len(as))
	for i := range as {
		sorted[i] = &as[i]
	}
	slices.SortFunc(sorted, func(a, b *Assignment) int {
		if c := strings.Compare(a.Agent, b.Agent); c != 0 {
			return c
		}
		return a.Start.Compare(b.Start)
	})
	idx := indexAway(leave)
	var out []Violation
	var latest *Assignment // the agent's earlier shift with the latest end
	week, days := 0, 0
	var lastDay Date
	for i, a := range sorted {
		newAgent := i == 0 || sorted[i-1].Agent != a.Agent
		if newAgent {
			latest, days = nil, 0
		}
		if latest != nil {
			gap := a.ReportAt().Sub(latest.End)
			if gap < 0 {
				out = append(out, Violation{ReasonOverlap, a.Agent, latest.ID, a.ID})
			} else if gap < rules.MinRest {
				out = append(out, Violation{ReasonRest, a.Agent, latest.ID, a.ID})
			}
		}
		if latest == nil || a.End.After(latest.End) {
			latest = a
		}
		if l := idx[a.Agent]; len(l) > 0 && leaveOverlaps(l, a.ReportAt(), a.End) {
			out = append(out, Violation{Reason: ReasonLeave, Agent: a.Agent, First: a.ID})
		}
		// Days with a shift start per 7-day week of the cycle; shifts of
		// one agent come in start order, so dates are non-decreasing.
		w := floorDiv(cycleStart.DaysUntil(a.Date), 7)
		if newAgent || w != week {
			week, days = w, 0
		}
		if days == 0 || a.Date != lastDay {
			days++
			lastDay = a.Date
			if days > 7-rules.MinDaysOff {
				out = append(out, Violation{Reason: ReasonDaysOff, Agent: a.Agent, First: a.ID})
			}
		}
	}
	return out
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
