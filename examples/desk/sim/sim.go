package sim

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/calendar"
	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/roster"
	"github.com/servicedesk-go/desk/ticket"
)

// Sim is an event-driven desk: an agenda of what will happen, the
// library's ticket service it happens to, and the parts around it (the
// workforce on the roster, the follow-up wiring, what agents say).
type Sim struct {
	cfg   Config
	rng   *rand.Rand
	ids   idSource
	loc   *time.Location
	cal   *calendar.Calendar // the one calendar every package is given
	end   time.Time          // the last day's end; arrivals stop here
	clock agenda

	tickets *ticket.Service
	staff   Staff
	work    *workforce
	follow  *followups
	talk    *speech
	log     journal

	resumed []*ticket.Ticket // open tickets of an earlier run on the same store
	earlier int              // tickets stored by earlier runs
}

// journal is what the report tells besides the stores' records.
type journal struct {
	arrivals   [24]int // requests by hour of the day, over the run
	happened   []Note
	refused    map[string]int
	refusedWhy []string // the first few refusals
	handedOver int
}

// New sets up a simulation: the services on the configured stores, the
// roster for the whole run, the follow-up rules and the phrasebook.
func New(ctx context.Context, cfg Config) (*Sim, error) {
	if err := cfg.fill(); err != nil {
		return nil, err
	}
	s := &Sim{
		cfg: cfg, rng: rand.New(rand.NewPCG(cfg.Seed, 0x5eed)),
		loc: cfg.Start.Location(), end: cfg.Start.AddDate(0, 0, cfg.Days),
		clock: agenda{now: cfg.Start}, staff: *cfg.Staff,
		log: journal{refused: map[string]int{}},
	}
	s.cal = cfg.Calendar
	if s.cal == nil {
		cal, err := DefaultCalendar(s.loc)
		if err != nil {
			return nil, err
		}
		s.cal = cal
	}
	if err := s.setupTickets(); err != nil {
		return nil, err
	}
	if err := s.continueStored(ctx); err != nil {
		return nil, err
	}
	var err error
	if s.work, err = newWorkforce(ctx, s); err != nil {
		return nil, err
	}
	if s.follow, err = newFollowups(s); err != nil {
		return nil, err
	}
	if s.talk, err = newSpeech(s); err != nil {
		return nil, err
	}
	return s, nil
}

// Run simulates a desk and reports on it: New, then Run, then Report.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	s, err := New(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := s.Run(ctx); err != nil {
		return nil, err
	}
	return s.Report(ctx)
}

// Tickets is the ticket service the simulation ran on.
func (s *Sim) Tickets() *ticket.Service { return s.tickets }

// Followups is the follow-up queue the simulation ran on.
func (s *Sim) Followups() *followup.Queue { return s.follow.queue }

// Now is the simulated time: the end of the run once Run returned.
func (s *Sim) Now() time.Time { return s.clock.now }

// newID makes deterministic IDs for every service, distinct for every
// run start so that a run continuing a stored desk makes new ones.
func (s *Sim) newID() uuid.UUID {
	return s.ids.next(s.cfg.Seed, s.cfg.Start)
}

// idSource numbers the run's IDs: a name-based UUID of
// "sim/<seed>/<start date>/<n>", the name built in one reused buffer.
type idSource struct {
	n      uint64
	prefix []byte // "sim/<seed>/<start date>/", made on first use
	buf    []byte
}

func (g *idSource) next(seed uint64, start time.Time) uuid.UUID {
	g.n++
	if g.prefix == nil {
		g.prefix = fmt.Appendf(nil, "sim/%d/%s/", seed, start.Format("20060102"))
	}
	g.buf = strconv.AppendUint(append(g.buf[:0], g.prefix...), g.n, 10)
	return uuid.NewSHA1(uuid.NameSpaceURL, g.buf)
}

func (s *Sim) setupTickets() error {
	var p ticket.Policy
	switch {
	case s.cfg.Policies.Tickets != nil:
		p = *s.cfg.Policies.Tickets
	case s.cfg.Kind == Dealer:
		p = ticket.DealerDesk()
	case s.cfg.Kind == Generic:
		p = ticket.GeneralDesk()
	default:
		p = ticket.PropertyDesk()
	}
	var auth ticket.Authorizer
	if s.cfg.Kind == Generic {
		auth = genericRoles()
	}
	if s.cfg.Policies.Tickets == nil {
		// R1: the desk's clocks count in its service hours.
		p.Calendar = s.cal
	}
	st := s.cfg.Stores.Tickets
	if st == nil {
		st = ticket.NewMemStore()
	}
	svc, err := ticket.New(st, ticket.Config{Desk: s.cfg.Desk, Policy: &p, Authorizer: auth, Now: s.clock.clock, NewID: s.newID})
	if err != nil {
		return err
	}
	s.tickets = svc
	return nil
}

// minutes draws a duration uniformly between lo and hi minutes.
func (s *Sim) minutes(lo, hi float64) time.Duration {
	return time.Duration((lo + s.rng.Float64()*(hi-lo)) * float64(time.Minute))
}

func (s *Sim) chance(p float64) bool { return s.rng.Float64() < p }

func pick[T any](rng *rand.Rand, from []T) T { return from[rng.IntN(len(from))] }

// note records a notable happening for the report.
func (s *Sim) note(rule, format string, args ...any) {
	s.log.happened = append(s.log.happened, Note{At: s.clock.now, Rule: rule, Text: fmt.Sprintf(format, args...)})
}

// Run plays the simulation over its days, then lets the work in
// progress settle for SettleDays more days without new arrivals.
func (s *Sim) Run(ctx context.Context) error {
	s.resumeOpen()
	day := 0
	for d := s.cfg.Start; d.Before(s.end); d = d.AddDate(0, 0, 1) {
		s.scheduleArrivals(d)
		s.work.scheduleDay(d, day)
		day++
	}
	stop := s.stop()
	for t := s.cfg.Start.Add(9 * time.Hour); t.Before(stop); t = t.Add(30 * time.Minute) {
		if h := t.In(s.loc).Hour(); h >= 9 && h < 21 {
			s.clock.at(t, s.follow.round) // follow-up workers look at the queue every half hour of the day
		}
	}
	lastDay := -1
	for {
		h, ok := s.clock.next(stop)
		if !ok {
			break
		}
		if d := int(s.clock.now.Sub(s.cfg.Start).Hours() / 24); d != lastDay && d < s.cfg.Days {
			lastDay = d
			if s.cfg.Progress != nil {
				s.cfg.Progress(d+1, s.cfg.Days)
			}
		}
		if err := h.fn(ctx); err != nil {
			if isRefusal(err) {
				s.log.refused[refusalKind(err)]++
				if len(s.log.refusedWhy) < 5 {
					s.log.refusedWhy = append(s.log.refusedWhy, s.clock.now.In(s.loc).Format("01-02 15:04")+" "+err.Error())
				}
				continue
			}
			return err
		}
	}
	s.clock.now = stop
	_, err := s.follow.sync.Drain(ctx)
	return err
}

// stop is when the run ends: SettleDays after the last day.
func (s *Sim) stop() time.Time { return s.end.AddDate(0, 0, SettleDays) }

func isRefusal(err error) bool { return refusalKind(err) != "" }

func refusalKind(err error) string {
	for _, e := range []error{ticket.ErrInvalidTransition, ticket.ErrForbidden, ticket.ErrInvalid, ticket.ErrIncomplete, followup.ErrInvalid, roster.ErrInvalid} {
		if errors.Is(err, e) {
			return e.Error()
		}
	}
	return ""
}
