package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"path"
	"regexp"
	"sync"
	"time"
	_ "time/tzdata" // the desk's zone is embedded, so the service runs anywhere

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/phrasebook"
	"github.com/servicedesk-go/desk/roster"
	"github.com/servicedesk-go/desk/ticket"
)

// Config configures the service. Only Desks is required; every other
// zero value has a documented default.
type Config struct {
	// Desks are the desks served, each under /desks/{desk}/. A path
	// naming any other desk is 404: the service does not create desks
	// on demand.
	Desks []string
	// Agents are the people of each desk's generated rotation (R3: four
	// agents over the a/b/c shifts of R2). Default li, wang, zhang, zhao.
	Agents []string
	// Location is the desks' time zone; nil means Asia/Shanghai.
	Location *time.Location
	// RosterStart is the first day of the rotation; zero means the
	// Monday of the week that contains Now().
	RosterStart roster.Date
	// RosterCycles is how many three-week cycles (R3) are generated, each
	// continuing the previous one; 0 means 4.
	RosterCycles int
	// Now is the clock of every package; nil means time.Now.
	Now func() time.Time
	// NewID makes ticket, event and lease IDs; nil means UUIDv7.
	NewID func() uuid.UUID
	// Seed makes the F3 role assignment and the F5 sampling of the
	// follow-up rules reproducible.
	Seed uint64
	// Logger receives request and ticket logs (never personal data:
	// tickets are logged through their slog.LogValuer); nil discards.
	Logger *slog.Logger
	// MaxBody limits request bodies; 0 means 64 KiB. Larger bodies are
	// answered 413.
	MaxBody int64
	// MaxPage caps the limit of a ticket list; 0 means 200.
	MaxPage int
	// MaxLease caps the lease a worker may ask for when claiming
	// follow-ups; 0 means 8 hours.
	MaxLease time.Duration
}

// desk is everything one desk runs on: its ticket service, its
// follow-up deriver and queue wired to the ticket outbox, and the
// period its roster covers.
type desk struct {
	name        string
	tickets     *ticket.Service
	policy      ticket.Policy
	queue       *followup.Queue
	sync        *followup.TicketSync
	rosterFrom  time.Time
	rosterUntil time.Time

	syncMu sync.Mutex // serialises this desk's outbox drains in this process
}

// server is the HTTP JSON service. Its desks are fixed at construction,
// so handlers read the map without locking; every package it wires is
// safe for concurrent use.
type server struct {
	cfg     Config
	now     func() time.Time
	newID   func() uuid.UUID
	log     *slog.Logger
	desks   map[string]*desk
	tasks   followup.Store
	roster  *roster.Service
	linter  *phrasebook.Linter
	handler http.Handler
}

// deskName is what a desk may be called: it appears in paths.
var deskName = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// newServer wires the library for the configured desks: one
// ticket.Service per desk on a shared ticket.MemStore, a follow-up
// deriver and queue per desk on a shared followup.MemStore fed from the
// ticket outbox (followup's recipe), a generated seed rotation per desk
// in a shared roster, and a phrase linter.
func newServer(cfg Config) (*server, error) {
	if len(cfg.Desks) == 0 {
		return nil, fmt.Errorf("crm: name at least one desk")
	}
	if cfg.Location == nil {
		loc, err := time.LoadLocation("Asia/Shanghai")
		if err != nil {
			return nil, fmt.Errorf("crm: load time zone: %w", err)
		}
		cfg.Location = loc
	}
	if len(cfg.Agents) == 0 {
		cfg.Agents = []string{"li", "wang", "zhang", "zhao"}
	}
	if cfg.RosterCycles <= 0 {
		cfg.RosterCycles = 4
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.NewID == nil {
		cfg.NewID = ticket.NewV7
	}
	if cfg.Logger == nil {
		cfg.Logger = discardLogger()
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = 64 << 10
	}
	if cfg.MaxPage <= 0 {
		cfg.MaxPage = 200
	}
	if cfg.MaxLease <= 0 {
		cfg.MaxLease = 8 * time.Hour
	}
	if cfg.RosterStart == (roster.Date{}) {
		d := roster.DateOf(cfg.Now(), cfg.Location)
		for d.Weekday() != time.Monday {
			d = d.AddDays(-1)
		}
		cfg.RosterStart = d
	}
	if !cfg.RosterStart.Valid() {
		return nil, fmt.Errorf("crm: roster start %v is not a day", cfg.RosterStart)
	}

	cat, err := phrasebook.Builtin()
	if err != nil {
		return nil, fmt.Errorf("crm: phrase catalogue: %w", err)
	}
	linter, err := phrasebook.NewLinter(cat, phrasebook.LintPolicy{})
	if err != nil {
		return nil, fmt.Errorf("crm: linter: %w", err)
	}

	s := &server{
		cfg: cfg, now: cfg.Now, newID: cfg.NewID, log: cfg.Logger,
		desks:  map[string]*desk{},
		tasks:  followup.NewMemStore(),
		roster: roster.New(roster.NewMemStore(), roster.Config{Now: cfg.Now, NewID: cfg.NewID}),
		linter: linter,
	}
	tickets := ticket.NewMemStore()
	for _, name := range cfg.Desks {
		if !deskName.MatchString(name) {
			return nil, fmt.Errorf("crm: desk name %q: use lower-case letters, digits, - and _", name)
		}
		if _, dup := s.desks[name]; dup {
			return nil, fmt.Errorf("crm: desk %q named twice", name)
		}
		d, err := s.wireDesk(tickets, name)
		if err != nil {
			return nil, err
		}
		s.desks[name] = d
	}
	s.handler = s.routes()
	return s, nil
}

// wireDesk builds one desk: tickets on the shared store, follow-ups
// derived from its outbox, and its rotation published to the roster.
func (s *server) wireDesk(store *ticket.MemStore, name string) (*desk, error) {
	pol := ticket.PropertyDesk()
	svc, err := ticket.New(store, ticket.Config{Desk: name, Policy: &pol, Now: s.now, NewID: s.newID})
	if err != nil {
		return nil, fmt.Errorf("crm: desk %s: %w", name, err)
	}
	contact := followup.DefaultContactHours(s.cfg.Location)
	der, err := followup.NewDeriver(s.tasks, followup.DeriverConfig{
		Desk: name, Rules: followup.PropertyRules(s.cfg.Seed), Calendar: contact, Now: s.now,
	})
	if err != nil {
		return nil, fmt.Errorf("crm: desk %s: %w", name, err)
	}
	q, err := followup.NewQueue(s.tasks, followup.QueueConfig{
		Desk: name, Tickets: svc, Calendar: contact, Now: s.now, NewID: s.newID,
	})
	if err != nil {
		return nil, fmt.Errorf("crm: desk %s: %w", name, err)
	}
	ts, err := followup.NewTicketSync(svc, der, q, svc)
	if err != nil {
		return nil, fmt.Errorf("crm: desk %s: %w", name, err)
	}
	from, until, err := s.publishRotation(name)
	if err != nil {
		return nil, err
	}
	return &desk{name: name, tickets: svc, policy: svc.Policy(), queue: q, sync: ts,
		rosterFrom: from, rosterUntil: until}, nil
}

// publishRotation generates the seed rotation (R2 shifts, R3 three-week
// cycles) for the desk's agents, each cycle continuing the previous one
// so that rest across the boundary holds, and publishes it.
func (s *server) publishRotation(name string) (from, until time.Time, err error) {
	ctx := context.Background()
	start := s.cfg.RosterStart
	var prev []roster.Assignment
	for range s.cfg.RosterCycles {
		spec := roster.SeedSpec(name, start, s.cfg.Location, s.cfg.Agents...)
		spec.Previous = prev
		spec.NewID = s.newID
		plan, err := roster.Generate(spec)
		if err != nil {
			return from, until, fmt.Errorf("crm: desk %s rotation: %w", name, err)
		}
		if err := plan.Err(); err != nil {
			// Hard constraints are kept; a short slot is a staffing
			// matter the roster reports, not a reason not to serve.
			s.log.Warn("rotation leaves slots unfilled", "desk", name, "slots", len(plan.Unfilled))
		}
		if err := s.roster.Publish(ctx, name, plan.Assignments); err != nil {
			return from, until, fmt.Errorf("crm: desk %s rotation: %w", name, err)
		}
		prev = plan.Assignments
		start = start.AddDays(spec.Weeks * 7)
	}
	from = roster.Instant(s.cfg.RosterStart, 0, s.cfg.Location)
	until = roster.Instant(start, 0, s.cfg.Location)
	return from, until, nil
}

// ServeHTTP serves the routes through the recover and log middleware.
func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// routes registers the endpoints with Go 1.22 method and path patterns.
func (s *server) routes() http.Handler {
	mux := http.NewServeMux()
	type route struct {
		method, path string
		h            http.HandlerFunc
	}
	rs := []route{
		{"POST", "/desks/{desk}/tickets", s.withDesk(s.receive)},
		{"GET", "/desks/{desk}/tickets", s.withDesk(s.list)},
		{"GET", "/desks/{desk}/tickets/{id}", s.withDesk(s.get)},
		{"GET", "/desks/{desk}/tickets/{id}/history", s.withDesk(s.history)},
		{"POST", "/desks/{desk}/tickets/{id}/{action}", s.withDesk(s.act)},
		{"GET", "/desks/{desk}/overdue", s.withDesk(s.overdue)},
		{"GET", "/desks/{desk}/followups", s.withDesk(s.listFollowups)},
		{"POST", "/desks/{desk}/followups/claim", s.withDesk(s.claim)},
		{"POST", "/desks/{desk}/followups/sync", s.withDesk(s.syncFollowups)},
		{"POST", "/desks/{desk}/followups/{id}/complete", s.withDesk(s.complete)},
		{"GET", "/desks/{desk}/duty", s.withDesk(s.duty)},
		{"GET", "/desks/{desk}/coverage", s.withDesk(s.coverage)},
		{"GET", "/desks/{desk}/handover", s.withDesk(s.handover)},
		{"POST", "/desks/{desk}/presence", s.withDesk(s.presence)},
		{"POST", "/desks/{desk}/leave", s.withDesk(s.leave)},
		{"POST", "/lint", s.lint},
	}
	for _, r := range rs {
		mux.HandleFunc(r.method+" "+r.path, r.h)
	}
	return s.recoverer(s.logRequests(s.jsonFallback(mux)))
}

// jsonFallback serves the mux, but answers its own 404 and 405 (with
// the Allow header the mux computes) in JSON, so that no reply is ever
// plain text.
func (s *server) jsonFallback(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if clean := cleanPath(r.URL.Path); clean != r.URL.Path {
			// The mux would redirect in HTML; say the same in JSON.
			u := *r.URL
			u.Path, u.RawPath = clean, ""
			w.Header().Set("Location", u.String())
			s.fail(w, r, &apiError{Status: http.StatusTemporaryRedirect, Msg: fmt.Sprintf("%s is not a clean path; use %s", r.URL.Path, clean)})
			return
		}
		h, pattern := mux.Handler(r)
		if pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		probe := &headerProbe{header: http.Header{}}
		h.ServeHTTP(probe, r)
		switch probe.status {
		case http.StatusMethodNotAllowed:
			allow := probe.header.Get("Allow")
			w.Header().Set("Allow", allow)
			s.fail(w, r, &apiError{Status: http.StatusMethodNotAllowed, Msg: fmt.Sprintf("%s is not allowed on %s; use %s", r.Method, r.URL.Path, allow)})
		case http.StatusNotFound, 0:
			s.fail(w, r, &apiError{Status: http.StatusNotFound, Msg: fmt.Sprintf("no endpoint %s", r.URL.Path)})
		default:
			// Any other answer of the mux itself, kept with its headers.
			for k, v := range probe.header {
				if k != "Content-Type" && k != "Content-Length" {
					w.Header()[k] = v
				}
			}
			s.fail(w, r, &apiError{Status: probe.status, Msg: http.StatusText(probe.status)})
		}
	})
}

// cleanPath is the path the mux routes: path.Clean, keeping a trailing
// slash and a leading one.
func cleanPath(p string) string {
	if p == "" {
		return "/"
	}
	if p[0] != '/' {
		p = "/" + p
	}
	np := path.Clean(p)
	if p[len(p)-1] == '/' && np != "/" {
		np += "/"
	}
	return np
}

// headerProbe records what the mux's built-in answer would be.
type headerProbe struct {
	header http.Header
	status int
}

func (p *headerProbe) Header() http.Header { return p.header }
func (p *headerProbe) Write(b []byte) (int, error) {
	if p.status == 0 {
		p.status = http.StatusOK
	}
	return len(b), nil
}
func (p *headerProbe) WriteHeader(code int) {
	if p.status == 0 {
		p.status = code
	}
}

// withDesk resolves {desk} and the actor headers before the handler
// runs: an unknown desk is 404, missing or unknown actor headers 400.
func (s *server) withDesk(h func(http.ResponseWriter, *http.Request, *desk, ticket.Actor)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("desk")
		d, ok := s.desks[name]
		if !ok {
			s.fail(w, r, &apiError{Status: http.StatusNotFound, Field: "desk", Msg: fmt.Sprintf("desk %q not found", name)})
			return
		}
		by, err := actorOf(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if rec, ok := w.(*statusRecorder); ok {
			rec.desk, rec.actor = d.name, by.ID
		}
		h(w, r, d, by)
	}
}

// afterWrite runs the follow-up wiring after a ticket write: derive the
// new events' tasks, then acknowledge them. The write has committed and
// its events wait in the outbox, so a failure here loses nothing: it is
// logged and the next write, POST .../followups/sync or the background
// loop of main retries.
func (s *server) afterWrite(ctx context.Context, d *desk) {
	if _, err := s.drain(ctx, d); err != nil {
		s.log.Warn("follow-up derivation deferred", "desk", d.name, "err", err)
	}
}

// drain derives follow-ups from every pending ticket event of the desk.
// TicketSync is idempotent and safe to run twice at once; serialising
// one desk's drains in this process only saves duplicate work, and
// desks drain independently.
func (s *server) drain(ctx context.Context, d *desk) (int, error) {
	d.syncMu.Lock()
	defer d.syncMu.Unlock()
	return d.sync.Drain(ctx)
}

// drainAll drains every desk (the background loop of main).
func (s *server) drainAll(ctx context.Context) {
	for _, name := range s.cfg.Desks {
		s.afterWrite(ctx, s.desks[name])
	}
}

// discardLogger is the silent default: the library logs nothing unless
// asked.
func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
