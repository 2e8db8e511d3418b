package sim

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/phrasebook"
	"github.com/servicedesk-go/desk/ticket"
)

// lines the simulated agents say, by situation: standard phrases from the
// catalogue, rendered for the desk.
var situations = map[string][]phrasebook.Category{
	"inbound":  {phrasebook.CategoryInquiry, phrasebook.CategoryResponse, phrasebook.CategoryClosing},
	"answer":   {phrasebook.CategoryResponse, phrasebook.CategoryThanks, phrasebook.CategoryClosing},
	"apology":  {phrasebook.CategoryApology},
	"refusal":  {phrasebook.CategoryApology},
	"callback": {phrasebook.CategoryCallback, phrasebook.CategoryThanks},
}

// done is the deadline that tells whether what the agent promised in a
// call of that situation was then done in time (T5, T7a, T7b).
var done = map[string]ticket.DeadlineName{
	"inbound": ticket.DeadlineDispatch,
	"answer":  ticket.DeadlineAnswer,
	"apology": ticket.DeadlineReply,
}

// slips are what agents sometimes say instead: P3's forbidden manners
// and a refusal without an apology first (P2), from seed 000.
var slips = []string{
	"不知道。", "他正忙着呢,现在没空。", "你有什么事就说嘛。", "下班了,明天再打。",
	"我们不提供这项服务。", "他还未来上班。", "声音大点,你说什么?我听不见。",
}

// speech is what agents say: the desk's phrases, the linter that checks
// every call (P2, P3) and the QA reviewer who samples them (K2).
type speech struct {
	catalogue *phrasebook.Catalogue
	linter    *phrasebook.Linter
	reviewer  *phrasebook.Reviewer
	calls     []call
	byID      map[string]int
	// lines holds each situation's rendered phrases: the catalogue is
	// immutable and they need no values of the call, so they are
	// rendered once per run, not once per call.
	lines     map[string][]string
	greetings map[string]string // by greeting word (GreetingID)
}

// call is one recorded call: who said what, about which ticket.
type call struct {
	phrasebook.Call
	situation string
	ticket    uuid.UUID
	text      string
	findings  []phrasebook.Finding
}

func newSpeech(s *Sim) (*speech, error) {
	cat, err := phrasebook.Builtin()
	if err != nil {
		return nil, err
	}
	company := "港景物业"
	if s.cfg.Kind == Dealer {
		company = "北方依维柯"
	}
	if cat, err = cat.With(phrasebook.Overlay{Values: map[string]string{"company": company}}); err != nil {
		return nil, err
	}
	lint, err := phrasebook.NewLinter(cat, phrasebook.LintPolicy{})
	if err != nil {
		return nil, err
	}
	rp := s.cfg.Policies.Review
	if rp.Salt == 0 {
		rp.Salt = s.cfg.Seed
	}
	if rp.Location == nil {
		rp.Location = s.loc
	}
	if rp.Now == nil {
		rp.Now = s.clock.clock
	}
	if rp.NewID == nil {
		rp.NewID = func() (uuid.UUID, error) { return s.newID(), nil }
	}
	rev, err := phrasebook.NewReviewer(lint, rp)
	if err != nil {
		return nil, err
	}
	return &speech{catalogue: cat, linter: lint, reviewer: rev, byID: map[string]int{}, lines: map[string][]string{}, greetings: map[string]string{}}, nil
}

// phrasesFor renders the catalogue's zh-CN phrases of the categories
// that need no values beyond the catalogue's own.
func (sp *speech) phrasesFor(cats []phrasebook.Category) []string {
	var out []string
	for _, c := range cats {
		for _, p := range sp.catalogue.Phrases(c) {
			if text, err := sp.catalogue.Render(p.ID, "zh-CN", nil); err == nil {
				out = append(out, text)
			}
		}
	}
	return out
}

// greeting is the call's first sentence for now (P1). The catalogue's
// greeting is its greeting word for the time (GreetingID) with the
// company: rendered once per word and run.
func (sp *speech) greeting(s *Sim) string {
	p := phrasebook.GreetingPolicy{Holidays: s.cal}
	id, err := phrasebook.GreetingID(s.clock.now, p)
	if err != nil {
		return ""
	}
	greet, ok := sp.greetings[id]
	if !ok {
		if greet, err = sp.catalogue.Greeting(s.clock.now, "zh-CN", p, nil); err != nil {
			greet = ""
		}
		sp.greetings[id] = greet
	}
	return greet
}

// slipChance is how often an agent slips into a forbidden phrase: the
// last agent on the staff list more often than the others, so that QA
// has someone to coach.
func slipChance(s *Sim, agent string) float64 {
	if agents := s.staff.Agents; agent == agents[len(agents)-1] {
		return 0.2
	}
	return 0.05
}

// speak records what an agent said in a call about a ticket, lints it
// (P2, P3) and keeps the call for QA sampling (K2).
func (sp *speech) speak(s *Sim, agent, situation string, tk uuid.UUID) {
	greet := sp.greeting(s)
	good, ok := sp.lines[situation]
	if !ok {
		good = sp.phrasesFor(situations[situation])
		sp.lines[situation] = good
	}
	var b strings.Builder
	b.WriteString(greet)
	for range 2 {
		if len(good) > 0 {
			b.WriteString(pick(s.rng, good))
		}
	}
	if s.chance(slipChance(s, agent)) {
		b.WriteString(pick(s.rng, slips))
	}
	c := call{
		Call:      phrasebook.Call{ID: fmt.Sprintf("call-%05d", len(sp.calls)+1), DeskID: s.cfg.Desk, AgentID: agent, At: s.clock.now},
		situation: situation, ticket: tk, text: b.String(),
	}
	c.findings = sp.linter.Lint(c.text)
	sp.byID[c.ID] = len(sp.calls)
	sp.calls = append(sp.calls, c)
}

// reviews plans each month's monitored calls (K2: at least the desk's
// minimum per agent) and fills their sheets from what was said (the
// linter's findings on the transcript) and done (whether the step the
// call promised then happened in time).
func (sp *speech) reviews(ctx context.Context, s *Sim) ([]phrasebook.Review, []phrasebook.Summary, error) {
	months := map[time.Time]bool{}
	plain := make([]phrasebook.Call, len(sp.calls))
	for i, c := range sp.calls {
		y, m, _ := c.At.In(s.loc).Date()
		months[time.Date(y, m, 1, 0, 0, 0, 0, s.loc)] = true
		plain[i] = c.Call
	}
	keys := make([]time.Time, 0, len(months))
	for m := range months {
		keys = append(keys, m)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].Before(keys[j]) })
	var reviews []phrasebook.Review
	for _, month := range keys {
		plan := sp.reviewer.Plan(s.cfg.Desk, month, s.staff.Agents, plain)
		agents := make([]string, 0, len(plan.Selected))
		for a := range plan.Selected {
			agents = append(agents, a)
		}
		sort.Strings(agents)
		for _, a := range agents {
			for _, pc := range plan.Selected[a] {
				c := sp.calls[sp.byID[pc.ID]]
				rv, err := sp.reviewer.Sheet(c.Call, s.staff.QA, c.text)
				if err != nil {
					return nil, nil, err
				}
				late, err := lateAfter(ctx, s, c)
				if err != nil {
					return nil, nil, err
				}
				score(&rv, late)
				if err := sp.reviewer.Check(rv); err != nil {
					return nil, nil, err
				}
				reviews = append(reviews, rv)
			}
		}
	}
	return reviews, sp.reviewer.Summarise(s.cfg.Desk, s.staff.Agents, reviews, phrasebook.Monthly), nil
}

// lateAfter reports whether the step a call promised was done late: the
// ticket's deadline for it ran past due.
func lateAfter(ctx context.Context, s *Sim, c call) (bool, error) {
	name, ok := done[c.situation]
	if !ok || c.ticket == uuid.Nil {
		return false, nil
	}
	tk, err := s.tickets.Get(ctx, c.ticket)
	if err != nil {
		return false, err
	}
	for _, d := range tk.Deadlines {
		if d.Name == name && !d.Start.After(c.At) && d.Late(s.clock.now) {
			return true, nil
		}
	}
	return false, nil
}

// score fills a sheet: each aspect starts at the top of the scale and
// loses two points per finding that bears on it, one when what the call
// promised was done late; the P5 manners the findings contradict are
// ticked as not observed.
func score(rv *phrasebook.Review, late bool) {
	hits := map[phrasebook.Aspect]int{}
	manners := map[string]bool{}
	for _, m := range phrasebook.MannersChecklist() {
		manners[m.ID] = true
	}
	for _, f := range rv.Evidence {
		hits[phrasebook.AspectLanguage] += 2
		switch f.Fault {
		case phrasebook.FaultRude, phrasebook.FaultArrogant, phrasebook.FaultHurtful:
			hits[phrasebook.AspectAttitude] += 2
			hits[phrasebook.AspectTone] += 2
			manners["honorifics"] = false
			manners["no_blame"] = false
		case phrasebook.FaultIrresponsible, phrasebook.FaultAbsence:
			hits[phrasebook.AspectAttitude] += 2
			hits[phrasebook.AspectNeeds] += 2
			manners["concise"] = false
		case phrasebook.FaultNoApology:
			hits[phrasebook.AspectAdaptability] += 2
			manners["address"] = false
		default:
			hits[phrasebook.AspectAttitude]++
		}
	}
	if late {
		hits[phrasebook.AspectNeeds]++
		hits[phrasebook.AspectAdaptability]++
	}
	rv.Scores = map[phrasebook.Aspect]int{}
	for _, a := range phrasebook.Aspects() {
		rv.Scores[a] = max(1, 5-hits[a])
	}
	rv.Manners = manners
	if late {
		rv.Note = "what the call promised was done late"
	}
}
