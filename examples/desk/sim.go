package main

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/phrasebook"
	"github.com/servicedesk-go/desk/roster"
	"github.com/servicedesk-go/desk/ticket"
)

// Config sets up a simulation.
type Config struct {
	Seed   uint64
	Start  time.Time // local midnight of the first day; its location is the desk's
	Days   int
	Dealer bool // a car dealer's service desk (seed 004) instead of a property desk

	// Stores; nil means in-memory.
	Tickets   ticket.Store
	Followups followup.Store
	Rosters   roster.Store

	// Progress, if set, is called once per simulated day.
	Progress func(day, days int)
}

// Sim is an event-driven desk: a clock, an agenda of things that will
// happen, and the library's services they happen to.
type Sim struct {
	cfg  Config
	rng  *rand.Rand
	now  time.Time
	end  time.Time
	loc  *time.Location
	desk string

	queue agenda
	seq   int
	ids   uint64

	tickets  *ticket.Service
	tstore   ticket.Store
	roster   *roster.Service
	assigns  []roster.Assignment
	unfilled int
	agents   []string
	lead     ticket.Actor
	revisit  map[ticket.Role][]ticket.Actor // follow-up workers by role (F3)

	deriver  *followup.Deriver
	fqueue   *followup.Queue
	fsync    *followup.TicketSync
	fstore   followup.Store
	outcomes map[followup.Result]int
	noticed  map[uuid.UUID]bool // reopened tickets whose rework notice is planned
	claims   map[claimKey]int   // how often each attempt of each task was worked

	catalogue *phrasebook.Catalogue
	linter    *phrasebook.Linter
	reviewer  *phrasebook.Reviewer
	calls     []phrasebook.Call
	said      map[string]string // call ID → what the agent said
	findings  map[phrasebook.Fault]int
	lines     int

	arrivals   [24]int // arrivals by hour of day, over the run
	happened   []string
	resumed    []*ticket.Ticket // open tickets of an earlier run on the same store
	earlier    int              // tickets stored by earlier runs
	refused    map[string]int
	refusedWhy []string // the first few refusals, for the report
	handedOvr  int
}

// desk staff besides the rostered agents.
var (
	workers = map[string]ticket.Actor{
		"engineering": {ID: "eng-zhao", Role: ticket.RoleDepartment},
		"security":    {ID: "sec-qian", Role: ticket.RoleDepartment},
		"finance":     {ID: "fin-sun", Role: ticket.RoleDepartment},
		"cleaning":    {ID: "cln-zheng", Role: ticket.RoleDepartment},
		"workshop":    {ID: "ws-feng", Role: ticket.RoleDepartment},
		"sales":       {ID: "sal-jiang", Role: ticket.RoleDepartment},
	}
	webform = ticket.Actor{ID: "webform", Role: ticket.RoleSystem}
)

func newSim(ctx context.Context, cfg Config) (*Sim, error) {
	if cfg.Days < 1 {
		return nil, fmt.Errorf("simulate at least one day, not %d", cfg.Days)
	}
	s := &Sim{
		cfg: cfg, rng: rand.New(rand.NewPCG(cfg.Seed, 0x5eed)),
		now: cfg.Start, end: cfg.Start.AddDate(0, 0, cfg.Days), loc: cfg.Start.Location(),
		desk:     "harbour-view",
		agents:   []string{"agent-li", "agent-wu", "agent-he", "agent-ma"},
		lead:     ticket.Actor{ID: "lead-zhou", Role: ticket.RoleShiftLead},
		refused:  map[string]int{},
		said:     map[string]string{},
		findings: map[phrasebook.Fault]int{},
		outcomes: map[followup.Result]int{},
		noticed:  map[uuid.UUID]bool{},
		claims:   map[claimKey]int{},
		revisit: map[ticket.Role][]ticket.Actor{
			ticket.RoleDirector:      {{ID: "dir-gao", Role: ticket.RoleDirector}},
			ticket.RoleAdministrator: {{ID: "adm-lin", Role: ticket.RoleAdministrator}, {ID: "adm-xu", Role: ticket.RoleAdministrator}},
			ticket.RoleRepairLead:    {{ID: "rl-chen", Role: ticket.RoleRepairLead}},
		},
	}
	if cfg.Dealer {
		s.desk = "north-motors"
	}
	if err := s.setupTickets(); err != nil {
		return nil, err
	}
	if err := s.continueStored(ctx); err != nil {
		return nil, err
	}
	if err := s.setupRoster(ctx); err != nil {
		return nil, err
	}
	if err := s.setupFollowups(); err != nil {
		return nil, err
	}
	if err := s.setupSpeech(); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Sim) clock() time.Time { return s.now }

// newID makes deterministic IDs for every service, distinct for every
// run start so that a run continuing a stored desk makes new ones.
func (s *Sim) newID() uuid.UUID {
	s.ids++
	return uuid.NewSHA1(uuid.NameSpaceURL, fmt.Appendf(nil, "sim/%d/%s/%d", s.cfg.Seed, s.cfg.Start.Format("20060102"), s.ids))
}

func (s *Sim) setupTickets() error {
	p := ticket.PropertyDesk()
	if s.cfg.Dealer {
		p = ticket.DealerDesk()
	}
	// R1: service hours 09:00–24:00; the desk's clocks count in them.
	p.Calendar = ticket.Hours{Open: 9 * time.Hour, Close: 24 * time.Hour, Location: s.loc}
	s.tstore = s.cfg.Tickets
	if s.tstore == nil {
		s.tstore = ticket.NewMemStore()
	}
	svc, err := ticket.New(s.tstore, ticket.Config{Desk: s.desk, Policy: &p, Now: s.clock, NewID: s.newID})
	if err != nil {
		return err
	}
	s.tickets = svc
	return nil
}

// at schedules fn at time t (not before now).
func (s *Sim) at(t time.Time, fn func(ctx context.Context) error) {
	if t.Before(s.now) {
		t = s.now
	}
	s.seq++
	heap.Push(&s.queue, &happening{at: t, seq: s.seq, fn: fn})
}

func (s *Sim) after(d time.Duration, fn func(ctx context.Context) error) { s.at(s.now.Add(d), fn) }

// minutes draws a duration uniformly between lo and hi minutes.
func (s *Sim) minutes(lo, hi float64) time.Duration {
	return time.Duration((lo + s.rng.Float64()*(hi-lo)) * float64(time.Minute))
}

func (s *Sim) chance(p float64) bool { return s.rng.Float64() < p }

func pick[T any](rng *rand.Rand, from []T) T { return from[rng.IntN(len(from))] }

// note records a notable happening for the report.
func (s *Sim) note(format string, args ...any) {
	s.happened = append(s.happened, s.now.Format("Mon 01-02 15:04")+"  "+fmt.Sprintf(format, args...))
}

// Run plays the simulation over its days, then lets the work in
// progress settle for two more days without new arrivals.
func (s *Sim) Run(ctx context.Context) error {
	s.resumeOpen()
	day := 0
	for d := s.cfg.Start; d.Before(s.end); d = d.AddDate(0, 0, 1) {
		s.scheduleArrivals(d)
		s.scheduleDay(d, day)
		day++
	}
	stop := s.end.Add(48 * time.Hour)
	for t := s.cfg.Start.Add(9 * time.Hour); t.Before(stop); t = t.Add(30 * time.Minute) {
		if h := t.In(s.loc).Hour(); h >= 9 && h < 21 {
			s.at(t, s.followupRound) // follow-up workers look at the queue every half hour of the day
		}
	}
	lastDay := -1
	for s.queue.Len() > 0 {
		h := heap.Pop(&s.queue).(*happening)
		if h.at.After(stop) {
			break
		}
		s.now = h.at
		if d := int(s.now.Sub(s.cfg.Start).Hours() / 24); d != lastDay && d < s.cfg.Days {
			lastDay = d
			if s.cfg.Progress != nil {
				s.cfg.Progress(d+1, s.cfg.Days)
			}
		}
		if err := h.fn(ctx); err != nil {
			if isRefusal(err) {
				s.refused[refusalKind(err)]++
				if len(s.refusedWhy) < 5 {
					s.refusedWhy = append(s.refusedWhy, s.now.In(s.loc).Format("01-02 15:04")+" "+err.Error())
				}
				continue
			}
			return err
		}
	}
	s.now = stop
	_, err := s.fsync.Drain(ctx)
	return err
}

func isRefusal(err error) bool {
	return errors.Is(err, ticket.ErrInvalidTransition) || errors.Is(err, ticket.ErrForbidden) ||
		errors.Is(err, ticket.ErrInvalid) || errors.Is(err, ticket.ErrIncomplete) ||
		errors.Is(err, followup.ErrInvalid) || errors.Is(err, roster.ErrInvalid)
}

func refusalKind(err error) string {
	for _, e := range []error{ticket.ErrInvalidTransition, ticket.ErrForbidden, ticket.ErrInvalid, ticket.ErrIncomplete, followup.ErrInvalid, roster.ErrInvalid} {
		if errors.Is(err, e) {
			return e.Error()
		}
	}
	return "other"
}

// claimKey is one attempt at one follow-up task.
type claimKey struct {
	task    uuid.UUID
	attempt int
}

// happening is one scheduled step; agenda orders them by time, then by
// scheduling order, so runs are deterministic.
type happening struct {
	at  time.Time
	seq int
	fn  func(ctx context.Context) error
}

type agenda []*happening

func (a agenda) Len() int { return len(a) }
func (a agenda) Less(i, j int) bool {
	if !a[i].at.Equal(a[j].at) {
		return a[i].at.Before(a[j].at)
	}
	return a[i].seq < a[j].seq
}
func (a agenda) Swap(i, j int) { a[i], a[j] = a[j], a[i] }
func (a *agenda) Push(x any)   { *a = append(*a, x.(*happening)) }
func (a *agenda) Pop() any {
	old := *a
	h := old[len(old)-1]
	*a = old[:len(old)-1]
	return h
}
