package phrasebook

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"maps"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/google/uuid"
)

// Aspect is one scored aspect of a monitored call (K2, 002 质检员 3:
// "服务用语、服务态度、语气语调、客户需求的归纳能力,接待客户应变能力").
type Aspect string

// The K2 aspects.
const (
	AspectLanguage     Aspect = "language"      // 服务用语
	AspectAttitude     Aspect = "attitude"      // 服务态度
	AspectTone         Aspect = "tone"          // 语气语调
	AspectNeeds        Aspect = "needs_summary" // 客户需求的归纳能力
	AspectAdaptability Aspect = "adaptability"  // 接待客户应变能力
)

// Aspects lists the K2 aspects in the seed's order.
func Aspects() []Aspect {
	return []Aspect{AspectLanguage, AspectAttitude, AspectTone, AspectNeeds, AspectAdaptability}
}

// Manner is a checklist item of a review sheet (P5, 000 注意事项).
type Manner struct {
	ID   string
	Rule string
	Text string
}

// MannersChecklist is P5 as checklist items.
func MannersChecklist() []Manner {
	return []Manner{
		{"address", "P5", "正确使用称呼: correct forms of address"},
		{"honorifics", "P5", "正确使用敬语: honorifics"},
		{"articulation", "P5", "同音字和词咬字清楚: clear articulation of homophones"},
		{"no_slang", "P5", "不讲俗语和不易理解的专业语言: no slang or jargon"},
		{"concise", "P5", "语言简练、清楚、明了: concise and clear"},
		{"little_humour", "P5", "少使用幽默语言: little humour"},
		{"identify_caller", "P5", "不失礼节地辨明对方的身份、姓名、工作单位和电话号码: politely establish identity, name, organisation, number"},
		{"no_blame", "P5", "对方不愿透露身份也不失礼或怪罪对方: never blame a caller who will not give them"},
	}
}

// Call is a recorded call that may be picked for review.
type Call struct {
	ID      string
	DeskID  string
	AgentID string
	At      time.Time
}

// Review is a QA review sheet for one call (K2): a score per aspect, the
// P5 manners checklist (true = observed) and the linter's findings on the
// transcript as evidence.
type Review struct {
	ID       uuid.UUID
	DeskID   string
	CallID   string
	AgentID  string
	Reviewer string
	At       time.Time
	Scores   map[Aspect]int
	Manners  map[string]bool
	Evidence []Finding
	Note     string
}

// ReviewPolicy configures QA reviews. The zero value is the seed default.
type ReviewPolicy struct {
	// MonthlyMinimum is how many calls per agent are reviewed each month
	// at least (K2 "每月每人监听不少于1-5次": the seed's desks pick 1 to 5;
	// a stricter desk may pick more). Zero means DefaultMonthlyMinimum.
	MonthlyMinimum int
	// ScaleMax is the top score; scores run 1..ScaleMax. Zero means 5.
	ScaleMax int
	// TrainingBelow: an aspect averaging below this goes into a summary's
	// training focus (K2 weekly training plan). Zero means 3.
	TrainingBelow float64
	// Salt makes Plan reproducible: the same Salt, calls and agents give
	// the same plan.
	Salt uint64
	// Location sets week (Monday first) and month boundaries; nil is UTC.
	Location *time.Location
	Now      func() time.Time
	NewID    func() (uuid.UUID, error) // nil: uuid.NewV7
}

// DefaultMonthlyMinimum is the K2 minimum when a desk chooses none: the
// lower end of the seed's 1–5.
const DefaultMonthlyMinimum = 1

// Reviewer makes review sheets, plans and summaries for one policy.
type Reviewer struct {
	p      ReviewPolicy
	linter *Linter
}

// NewReviewer checks the policy (a MonthlyMinimum of at least 1, a scale
// of at least 1..2) and fills its defaults. linter provides the evidence;
// it may be nil when transcripts are not linted.
func NewReviewer(l *Linter, p ReviewPolicy) (*Reviewer, error) {
	if p.MonthlyMinimum == 0 {
		p.MonthlyMinimum = DefaultMonthlyMinimum
	}
	if p.MonthlyMinimum < 1 {
		return nil, fmt.Errorf("phrasebook: monthly minimum %d: want at least 1 (K2's desks choose 1 to 5): %w", p.MonthlyMinimum, ErrInvalidPolicy)
	}
	if p.ScaleMax == 0 {
		p.ScaleMax = 5
	}
	if p.ScaleMax < 2 {
		return nil, fmt.Errorf("phrasebook: score scale 1..%d is too small: %w", p.ScaleMax, ErrInvalidPolicy)
	}
	if p.TrainingBelow == 0 {
		p.TrainingBelow = 3
	}
	if p.Location == nil {
		p.Location = time.UTC
	}
	if p.Now == nil {
		p.Now = time.Now
	}
	if p.NewID == nil {
		p.NewID = uuid.NewV7
	}
	return &Reviewer{p: p, linter: l}, nil
}

// Sheet starts a review of call: the linter's findings on the transcript
// are attached as evidence; scores and manners are left for the reviewer.
func (r *Reviewer) Sheet(call Call, reviewer, transcript string) (Review, error) {
	if call.ID == "" || call.DeskID == "" || call.AgentID == "" {
		return Review{}, fmt.Errorf("phrasebook: call %q needs an id, a desk and an agent: %w", call.ID, ErrInvalidReview)
	}
	id, err := r.p.NewID()
	if err != nil {
		return Review{}, fmt.Errorf("phrasebook: review id for call %q: %w", call.ID, err)
	}
	rv := Review{
		ID: id, DeskID: call.DeskID, CallID: call.ID, AgentID: call.AgentID, Reviewer: reviewer,
		At: r.p.Now(), Scores: map[Aspect]int{}, Manners: map[string]bool{},
	}
	if r.linter != nil {
		rv.Evidence = r.linter.Lint(transcript)
	}
	return rv, nil
}

// Check reports whether a finished sheet is complete: every aspect scored
// within 1..ScaleMax, no unknown aspect, every P5 item ticked either way.
func (r *Reviewer) Check(rv Review) error {
	for _, a := range Aspects() {
		s, ok := rv.Scores[a]
		if !ok {
			return fmt.Errorf("phrasebook: review of call %q: aspect %s not scored: %w", rv.CallID, a, ErrInvalidReview)
		}
		if s < 1 || s > r.p.ScaleMax {
			return fmt.Errorf("phrasebook: review of call %q: %s score %d outside 1..%d: %w", rv.CallID, a, s, r.p.ScaleMax, ErrInvalidReview)
		}
	}
	for a := range rv.Scores {
		if !slices.Contains(Aspects(), a) {
			return fmt.Errorf("phrasebook: review of call %q: unknown aspect %q: %w", rv.CallID, a, ErrInvalidReview)
		}
	}
	for _, m := range MannersChecklist() {
		if _, ok := rv.Manners[m.ID]; !ok {
			return fmt.Errorf("phrasebook: review of call %q: manner %s (P5) not checked: %w", rv.CallID, m.ID, ErrInvalidReview)
		}
	}
	return nil
}

// Plan is the calls picked for review in one month of one desk (K2).
type Plan struct {
	DeskID   string
	Month    time.Time         // first instant of the month, in the policy's location
	Selected map[string][]Call // agent -> calls, in time order
	Short    map[string]int    // agent -> how many calls short of the minimum (only agents that are short)
}

// Plan picks, for each agent (those given plus any with calls), at least
// the monthly minimum of that month's calls of desk, reproducibly: the
// agent's calls are split in time order into MonthlyMinimum equal runs
// and one call is drawn from each, with a generator seeded by the
// policy's Salt, the desk, the agent and the month, so reviews spread
// over the month and adding an agent or a call elsewhere changes nothing
// for the others. An agent with fewer calls has all of them picked and
// appears in Short. Calls of other desks are ignored.
func (r *Reviewer) Plan(desk string, month time.Time, agents []string, calls []Call) Plan {
	m := month.In(r.p.Location)
	start := time.Date(m.Year(), m.Month(), 1, 0, 0, 0, 0, r.p.Location)
	end := start.AddDate(0, 1, 0)
	byAgent := map[string][]Call{}
	for _, a := range agents {
		byAgent[a] = nil
	}
	for _, c := range calls {
		if c.DeskID != desk || c.At.Before(start) || !c.At.Before(end) {
			continue
		}
		byAgent[c.AgentID] = append(byAgent[c.AgentID], c)
	}
	plan := Plan{DeskID: desk, Month: start, Selected: map[string][]Call{}, Short: map[string]int{}}
	k := r.p.MonthlyMinimum
	for _, agent := range slices.Sorted(maps.Keys(byAgent)) {
		cs := byAgent[agent]
		slices.SortFunc(cs, func(a, b Call) int {
			return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.ID, b.ID))
		})
		if len(cs) <= k {
			if len(cs) > 0 {
				plan.Selected[agent] = slices.Clone(cs)
			}
			if len(cs) < k {
				plan.Short[agent] = k - len(cs)
			}
			continue
		}
		h := fnv.New64a()
		fmt.Fprintf(h, "%s\x00%s\x00%d-%02d", desk, agent, start.Year(), start.Month())
		rng := rand.New(rand.NewPCG(r.p.Salt, h.Sum64()))
		picked := make([]Call, 0, k)
		for i := range k {
			lo, hi := i*len(cs)/k, (i+1)*len(cs)/k
			picked = append(picked, cs[lo+rng.IntN(hi-lo)])
		}
		plan.Selected[agent] = picked
	}
	return plan
}

// Period is the length of a summary.
type Period int

// Summary periods.
const (
	Weekly  Period = iota // ISO weeks, Monday first
	Monthly               // calendar months
)

// Summary is one agent's reviews in one week or month (K2 weekly summary,
// monthly totals).
type Summary struct {
	DeskID   string
	AgentID  string
	Start    time.Time
	End      time.Time // exclusive
	Reviews  int
	Average  map[Aspect]float64
	Findings map[Fault]int  // evidence by fault
	Missed   map[string]int // P5 manners not observed, by item
	// Focus lists aspects averaging below the policy's TrainingBelow: the
	// training plan's topics (K2).
	Focus []Aspect
	// BelowMinimum: a monthly summary with fewer reviews than the
	// MonthlyMinimum.
	BelowMinimum bool
}

// Summarise groups desk's reviews by agent and week or month, in order of
// period then agent. Every agent in agents gets a summary for every period
// that has any review, with zero reviews if need be, so an agent nobody
// monitored shows up as BelowMinimum instead of vanishing. Reviews of
// other desks are ignored.
func (r *Reviewer) Summarise(desk string, agents []string, reviews []Review, period Period) []Summary {
	type key struct {
		start time.Time
		agent string
	}
	acc := map[key]*Summary{}
	sums := map[key]map[Aspect]int{}
	for _, rv := range reviews {
		if rv.DeskID != desk {
			continue
		}
		start, end := r.periodOf(rv.At, period)
		k := key{start, rv.AgentID}
		s, ok := acc[k]
		if !ok {
			s = &Summary{DeskID: desk, AgentID: rv.AgentID, Start: start, End: end,
				Average: map[Aspect]float64{}, Findings: map[Fault]int{}, Missed: map[string]int{}}
			acc[k] = s
			sums[k] = map[Aspect]int{}
		}
		s.Reviews++
		for a, v := range rv.Scores {
			sums[k][a] += v
		}
		for _, f := range rv.Evidence {
			s.Findings[f.Fault]++
		}
		for id, ok := range rv.Manners {
			if !ok {
				s.Missed[id]++
			}
		}
	}
	periods := map[time.Time]time.Time{}
	for k, s := range acc {
		periods[k.start] = s.End
	}
	for start, end := range periods {
		for _, a := range agents {
			k := key{start, a}
			if _, ok := acc[k]; !ok {
				acc[k] = &Summary{DeskID: desk, AgentID: a, Start: start, End: end,
					Average: map[Aspect]float64{}, Findings: map[Fault]int{}, Missed: map[string]int{}}
			}
		}
	}
	out := make([]Summary, 0, len(acc))
	for k, s := range acc {
		for a, total := range sums[k] {
			if s.Reviews > 0 {
				s.Average[a] = float64(total) / float64(s.Reviews)
			}
		}
		for _, a := range Aspects() {
			if avg, ok := s.Average[a]; ok && avg < r.p.TrainingBelow {
				s.Focus = append(s.Focus, a)
			}
		}
		s.BelowMinimum = period == Monthly && s.Reviews < r.p.MonthlyMinimum
		out = append(out, *s)
	}
	slices.SortFunc(out, func(a, b Summary) int {
		return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.AgentID, b.AgentID))
	})
	return out
}

func (r *Reviewer) periodOf(t time.Time, p Period) (time.Time, time.Time) {
	t = t.In(r.p.Location)
	if p == Monthly {
		s := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, r.p.Location)
		return s, s.AddDate(0, 1, 0)
	}
	back := (int(t.Weekday()) + 6) % 7 // days since Monday
	s := time.Date(t.Year(), t.Month(), t.Day()-back, 0, 0, 0, 0, r.p.Location)
	return s, s.AddDate(0, 0, 7)
}
