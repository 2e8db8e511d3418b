package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"path"
	"regexp"
	"sync"
	"sync/atomic"
	"time"
	_ "time/tzdata" // the desk's zone is embedded, so the service runs anywhere

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/calendar"
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
	// Calendar is the desks' one business calendar: follow-up contact
	// hours and next contact times, roster day kinds and coverage (and
	// ticket deadlines, for a policy that counts business hours). Nil
	// means DefaultCalendar(Location).
	Calendar *calendar.Calendar
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

	// Tickets, Followups and Rosters are the stores; nil means the
	// in-memory stores (restart and they are gone). Several replicas
	// share a PostgreSQL database by passing its stores to each.
	Tickets   ticket.Store
	Followups followup.Store
	Rosters   roster.Store
	// Ready reports whether the stores can serve (the database is
	// reachable, the schema at the expected version) for /readyz; nil
	// means always ready. Its error is logged; /readyz, which needs no
	// credentials, does not show its text.
	Ready func(ctx context.Context) error

	// Auth decides who the caller is; nil refuses every /desks request
	// (401). main wires a signed-token authenticator, or the header one
	// behind -insecure-dev-headers.
	Auth Authenticator
	// PersonalRoles are the roles that read customers' personal data
	// (the customer record and the policy's personal intake fields,
	// S1); nil means DefaultPersonalRoles. Every other role reads those
	// fields as ticket.Erased.
	PersonalRoles []ticket.Role
	// Preset is the desks' ticket policy: "" or "property" is the seed
	// property desk (ticket.PropertyDesk, deadlines on the clock);
	// "general" is a general support desk (ticket.GeneralDesk with
	// ticket.GeneralRoles: priorities with SLA targets in business hours
	// of Calendar, pauses while the customer is waited for, escalation by
	// itself when an SLA clock passes, subject and description personal
	// under S1). Its PersonalRoles default to GeneralPersonalRoles.
	Preset string

	// DrainInRequest derives follow-ups inside every write request,
	// under a per-desk lock, as the first version of this service did.
	// It is kept only as the baseline of the load benchmark: the
	// service derives in its background runners (runners.go), never in
	// a request.
	DrainInRequest bool

	// GroupIntake writes concurrent intakes together, each group with
	// ticket.Service.ReceiveBatch (group commit, see intakeGroup): one
	// commit and one wait for the desk's case-number row per group
	// instead of per ticket. Every caller is still answered only after
	// its ticket committed. main sets it for PostgreSQL unless
	// -group-intake=false; the DrainInRequest baseline never uses it.
	GroupIntake bool

	// Listen, if set, returns a channel that receives when another
	// process wrote ticket events (PostgreSQL LISTEN, see
	// postgres.Store.Listen), so this replica's derivation runner sleeps
	// until there is work rather than polling for it; Notify tells the
	// other processes that this one wrote. main sets both for
	// PostgreSQL.
	Listen func(ctx context.Context) (<-chan struct{}, error)
	Notify func(desk string)

	// RotationLock, if set, holds off every other process extending the
	// desk's rotation until unlock is called, so that replicas extending
	// it at the same moment publish one rotation, not two people on a
	// shift (the roster's overlap check is per agent). This process's
	// own extensions are serialised without it. main sets it for
	// PostgreSQL (an advisory lock).
	RotationLock func(ctx context.Context, desk string) (unlock func(), err error)

	// DeliveryLeader, if set, reports whether this process is the one
	// replica delivering webhooks now (it takes the part if it is free);
	// the others skip their rounds, so that each event goes out once
	// rather than once per replica. Nil means this process always
	// delivers. main sets it for PostgreSQL (a session advisory lock
	// held while the process lives; another replica takes over when the
	// holder's connection ends).
	DeliveryLeader func(ctx context.Context) (bool, error)
}

// desk is everything one desk runs on: its ticket service, its
// follow-up deriver and queue wired to the ticket outbox, and the
// period its roster covers.
type desk struct {
	name       string
	tickets    *ticket.Service
	policy     ticket.Policy
	queue      *followup.Queue
	sync       *followup.TicketSync
	tasks      followup.Store
	roster     *roster.Service
	rosterFrom time.Time
	// rosterUntil is where the published rotation ends; the roster
	// runner moves it on as it extends the rotation (extendRotation).
	rosterUntil atomic.Pointer[time.Time]

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
	linter  *phrasebook.Linter
	handler http.Handler

	personal map[ticket.Role]bool
	leads    map[ticket.Role]bool // LeadRoles of the preset
	// draining is set when a shutdown began: /readyz answers 503 so a
	// load balancer stops sending work while requests in flight finish.
	draining atomic.Bool
	// rotationMu serialises this process's rotation extensions
	// (extendRotation); Config.RotationLock those of other processes.
	rotationMu sync.Mutex
	// wake tells the local derivation runner that a write left events
	// in the outbox; it never blocks a request.
	wake chan struct{}
	// intake groups concurrent intakes into shared transactions; nil
	// writes each alone.
	intake *intakeGroup
}

// DefaultCalendar is the desks' calendar when Config.Calendar is nil:
// service hours 09:00-24:00 every day (R1), customers called between
// 09:00 and 20:00 (followup.DefaultContactHours), and the State
// Council's holiday schedule with its make-up workdays.
func DefaultCalendar(loc *time.Location) (*calendar.Calendar, error) {
	contact := calendar.Daily(calendar.Span{Start: 9 * time.Hour, End: 20 * time.Hour})
	return calendar.New(calendar.Config{
		Zone:     loc,
		Hours:    calendar.Daily(calendar.Span{Start: 9 * time.Hour, End: 24 * time.Hour}),
		Contact:  &contact,
		Schedule: calendar.China(),
	})
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
	if cfg.Calendar == nil {
		cal, err := DefaultCalendar(cfg.Location)
		if err != nil {
			return nil, fmt.Errorf("crm: calendar: %w", err)
		}
		cfg.Calendar = cal
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
	if cfg.Tickets == nil {
		cfg.Tickets = ticket.NewMemStore()
	}
	if cfg.Followups == nil {
		cfg.Followups = followup.NewMemStore()
	}
	if cfg.Rosters == nil {
		cfg.Rosters = roster.NewMemStore()
	}
	switch cfg.Preset {
	case "", PresetProperty, PresetGeneral:
	default:
		return nil, fmt.Errorf("crm: preset %q: one of %s, %s", cfg.Preset, PresetProperty, PresetGeneral)
	}
	if cfg.PersonalRoles == nil {
		cfg.PersonalRoles = DefaultPersonalRoles()
		if cfg.Preset == PresetGeneral {
			cfg.PersonalRoles = GeneralPersonalRoles()
		}
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
		desks:    map[string]*desk{},
		tasks:    cfg.Followups,
		linter:   linter,
		personal: map[ticket.Role]bool{},
		wake:     make(chan struct{}, 1),
	}
	for _, r := range cfg.PersonalRoles {
		s.personal[r] = true
	}
	s.leads = map[ticket.Role]bool{}
	for _, r := range LeadRoles(cfg.Preset) {
		s.leads[r] = true
	}
	if cfg.GroupIntake && !cfg.DrainInRequest {
		s.intake = &intakeGroup{max: maxIntakeGroup, groups: intakeGroups}
	}
	tickets := cfg.Tickets
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
func (s *server) wireDesk(store ticket.Store, name string) (*desk, error) {
	// The seed regulations count the property desk's deadlines (T5's
	// 3 minutes, T7's 48 hours) on the clock, so the ticket policy keeps
	// no calendar here; a desk that counts in business hours sets
	// pol.Calendar = s.cfg.Calendar.
	pol, auth := ticket.PropertyDesk(), deskAuthorizer()
	if s.cfg.Preset == PresetGeneral {
		// The general desk's SLA targets count business hours.
		pol, auth = ticket.GeneralDesk(), ticket.GeneralRoles()
		pol.Calendar = s.cfg.Calendar
	}
	svc, err := ticket.New(store, ticket.Config{Desk: name, Policy: &pol, Authorizer: auth, Now: s.now, NewID: s.newID})
	if err != nil {
		return nil, fmt.Errorf("crm: desk %s: %w", name, err)
	}
	contact := s.cfg.Calendar
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
	rs, err := roster.New(s.cfg.Rosters, roster.Config{Desk: name, Now: s.now, NewID: s.newID})
	if err != nil {
		return nil, fmt.Errorf("crm: desk %s: roster: %w", name, err)
	}
	// The rotation from RosterStart on, reaching RosterCycles cycles
	// past today; the roster runner keeps it ahead (extendDesk).
	_, ahead := s.rotationSpan(roster.DateOf(s.now(), s.cfg.Location))
	until, err := s.extendRotation(context.Background(), rs, s.cfg.RosterStart, ahead)
	if err != nil {
		return nil, err
	}
	d := &desk{name: name, tickets: svc, policy: svc.Policy(), queue: q, sync: ts, tasks: s.tasks,
		roster: rs, rosterFrom: roster.Instant(s.cfg.RosterStart, 0, s.cfg.Location)}
	d.rosterUntil.Store(&until)
	return d, nil
}

// ServeHTTP serves the routes through the recover and log middleware.
func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// route is one endpoint: a Go 1.22 method and path pattern and its
// handler.
type route struct {
	method, path string
	h            http.HandlerFunc
}

// routes registers the endpoints of routeTable.
func (s *server) routes() http.Handler {
	mux := http.NewServeMux()
	for _, r := range s.routeTable() {
		mux.HandleFunc(r.method+" "+r.path, r.h)
	}
	return s.recoverer(s.logRequests(s.jsonFallback(mux)))
}

// routeTable lists every endpoint, each an operation of openapi.json
// (TestContractServed holds the two to each other).
func (s *server) routeTable() []route {
	return []route{
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
		{"GET", "/healthz", s.healthz},
		{"GET", "/readyz", s.readyz},
		{"GET", "/openapi.json", s.openapi},
	}
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

// withDesk authenticates the caller and resolves {desk} before the
// handler runs: no valid credentials is 401; an unknown desk, or a desk
// the caller may not act on, is 404 alike.
func (s *server) withDesk(h func(http.ResponseWriter, *http.Request, *desk, ticket.Actor)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.cfg.Auth == nil {
			s.fail(w, r, &AuthError{Reason: "the service has no authenticator configured"})
			return
		}
		p, err := s.cfg.Auth.Authenticate(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		name := r.PathValue("desk")
		d, ok := s.desks[name]
		if !ok || !p.mayUse(name) {
			s.fail(w, r, &apiError{Status: http.StatusNotFound, Field: "desk", Msg: fmt.Sprintf("desk %q not found", name)})
			return
		}
		if rec, ok := w.(*statusRecorder); ok {
			rec.desk, rec.actor = d.name, p.Actor.ID
		}
		h(w, r.WithContext(withPrincipal(r.Context(), p)), d, p.Actor)
	}
}

// afterWrite runs after a ticket write has committed: its events wait
// in the outbox, so nothing is lost whatever happens next. It wakes the
// derivation runner of this process and returns at once; the runner of
// any replica derives them. Only the DrainInRequest baseline derives
// here, inside the request.
func (s *server) afterWrite(ctx context.Context, d *desk) {
	if !s.cfg.DrainInRequest {
		select {
		case s.wake <- struct{}{}:
		default: // a wake-up is already pending
		}
		if s.cfg.Notify != nil {
			s.cfg.Notify(d.name)
		}
		return
	}
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

// drainAll drains every desk and returns how many events it handled.
// A desk that fails is logged and retried on the next round; the others
// go on.
func (s *server) drainAll(ctx context.Context) int {
	total := 0
	for _, name := range s.cfg.Desks {
		n, err := s.drain(ctx, s.desks[name])
		total += n
		if err != nil && ctx.Err() == nil {
			s.log.Warn("follow-up derivation deferred", "desk", name, "err", err)
		}
	}
	return total
}

// discardLogger is the silent default: the library logs nothing unless
// asked.
func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
