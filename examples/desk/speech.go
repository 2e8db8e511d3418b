package main

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/servicedesk-go/desk/phrasebook"
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

// slips are what agents sometimes say instead: P3's forbidden manners
// and a refusal without an apology first (P2), from seed 000.
var slips = []string{
	"不知道。", "他正忙着呢,现在没空。", "你有什么事就说嘛。", "下班了,明天再打。",
	"我们不提供这项服务。", "他还未来上班。", "声音大点,你说什么?我听不见。",
}

func (s *Sim) setupSpeech() error {
	cat, err := phrasebook.Builtin()
	if err != nil {
		return err
	}
	company := "港景物业"
	if s.cfg.Dealer {
		company = "北方依维柯"
	}
	if cat, err = cat.With(phrasebook.Overlay{Values: map[string]string{"company": company}}); err != nil {
		return err
	}
	lint, err := phrasebook.NewLinter(cat, phrasebook.LintPolicy{})
	if err != nil {
		return err
	}
	rev, err := phrasebook.NewReviewer(lint, phrasebook.ReviewPolicy{MonthlyMinimum: 3, Seed: s.cfg.Seed, Location: s.loc, Now: s.clock})
	if err != nil {
		return err
	}
	s.catalogue, s.linter, s.reviewer = cat, lint, rev
	return nil
}

// phrasesFor renders the catalogue's zh-CN phrases of the categories
// that need no values beyond the catalogue's own.
func (s *Sim) phrasesFor(cats []phrasebook.Category) []string {
	var out []string
	for _, c := range cats {
		for _, p := range s.catalogue.Phrases(c) {
			if text, err := s.catalogue.Render(p.ID, "zh-CN", nil); err == nil {
				out = append(out, text)
			}
		}
	}
	return out
}

// speak records what an agent said in a call, lints it (P2, P3) and
// keeps the call for QA sampling (K2).
func (s *Sim) speak(agent, situation string) {
	greet, err := s.catalogue.Greeting(s.now, "zh-CN", phrasebook.GreetingPolicy{Location: s.loc}, nil)
	if err != nil {
		greet = ""
	}
	good := s.phrasesFor(situations[situation])
	var b strings.Builder
	b.WriteString(greet)
	for range 2 {
		if len(good) > 0 {
			b.WriteString(pick(s.rng, good))
		}
	}
	if s.chance(0.06) {
		b.WriteString(pick(s.rng, slips))
	}
	text := b.String()
	s.lines++
	for _, f := range s.linter.Lint(text) {
		s.findings[f.Fault]++
	}
	id := fmt.Sprintf("call-%05d", len(s.calls)+1)
	s.calls = append(s.calls, phrasebook.Call{ID: id, DeskID: s.desk, AgentID: agent, At: s.now})
	s.said[id] = text
}

// qaReviews plans each month's monitored calls (K2: at least the
// desk's minimum per agent) and fills their sheets; scores follow the
// linter's evidence.
func (s *Sim) qaReviews() ([]phrasebook.Review, []phrasebook.Summary, map[string]int, error) {
	months := map[time.Time]bool{}
	for _, c := range s.calls {
		y, m, _ := c.At.In(s.loc).Date()
		months[time.Date(y, m, 1, 0, 0, 0, 0, s.loc)] = true
	}
	keys := make([]time.Time, 0, len(months))
	for m := range months {
		keys = append(keys, m)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].Before(keys[j]) })
	var reviews []phrasebook.Review
	short := map[string]int{}
	for _, month := range keys {
		plan := s.reviewer.Plan(s.desk, month, s.agents, s.calls)
		for a, n := range plan.Short {
			short[a] += n
		}
		agents := make([]string, 0, len(plan.Selected))
		for a := range plan.Selected {
			agents = append(agents, a)
		}
		sort.Strings(agents)
		for _, a := range agents {
			for _, c := range plan.Selected[a] {
				rv, err := s.reviewer.Sheet(c, "qa-tang", s.said[c.ID])
				if err != nil {
					return nil, nil, nil, err
				}
				score := 5 - min(len(rv.Evidence), 3)
				rv.Scores = map[phrasebook.Aspect]int{}
				for _, asp := range phrasebook.Aspects() {
					rv.Scores[asp] = score
				}
				rv.Manners = map[string]bool{}
				for i, m := range phrasebook.MannersChecklist() {
					rv.Manners[m.ID] = len(rv.Evidence) == 0 || i%2 == 0 // a slip costs some manners
				}
				if err := s.reviewer.Check(rv); err != nil {
					return nil, nil, nil, err
				}
				reviews = append(reviews, rv)
			}
		}
	}
	sums := s.reviewer.Summarise(s.desk, s.agents, reviews, phrasebook.Monthly)
	return reviews, sums, short, nil
}
