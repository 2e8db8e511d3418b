// Command crm is a small HTTP JSON service that embeds the library the
// way a CRM would: it receives customer requests as tickets and runs
// them through their life (T1–T19), derives and hands out follow-up
// calls from the ticket outbox (F1–F13), answers who is on duty from a
// generated seed roster (R1–R5) and lints what agents are about to say
// (P2, P3). It keeps everything in -store: memory (restart and it is
// gone), sqlite:PATH (one process) or a postgres:// URL, migrated at
// start, on which any number of replicas may run side by side.
//
// Follow-up derivation, the return of expired leases, escalation of
// overdue tickets (T6) and webhook delivery run in background runners,
// one set per replica, coordinated only through the database; a request
// never waits for them. SIGTERM stops accepting, lets requests finish,
// stops the runners and closes the store. /healthz is liveness, /readyz
// readiness (database reachable, schema at the expected version).
//
// Callers authenticate with a signed bearer token (JWT, verified with
// github.com/golang-jwt/jwt/v5; key from -jwt-key-file or $CRM_JWT_KEY)
// whose claims are sub (the actor), role (a role of the ticket package:
// agent, shift_lead, qa, office_director, property_administrator,
// repair_lead, department, system; supervisor and admin on a general
// desk), desks (those the caller may act on;
// another desk is 404) and, for department staff, department. Reads
// follow the same rules as writes: a department's staff see the tickets
// dispatched to their department, assigned to them or received by them,
// and only roles that talk to customers read their personal data (S1).
//
// For local development only, -insecure-dev-headers trusts X-Actor and
// X-Role headers from anyone instead (it logs a warning at start):
//
//	go run ./examples/crm -insecure-dev-headers -addr 127.0.0.1:8080 -desks harbour-view
//
// Then, for example:
//
//	H='-H X-Actor:li -H X-Role:agent'
//	curl -s $H -d '{"kind":"repair","category":"leak","channel":"phone",
//	  "fields":{"location":"3-201","item":"pipe","phone":"138...","person":"Ms Wang"}}' \
//	  localhost:8080/desks/harbour-view/tickets
//	curl -s $H -d '{"department":"engineering"}' localhost:8080/desks/harbour-view/tickets/ID/dispatch
//	curl -s -H X-Actor:eng-zhao -H X-Role:department -d '{"summary":"pipe replaced"}' \
//	  localhost:8080/desks/harbour-view/tickets/ID/resolve
//	curl -s $H -d '{"note":"told by phone"}' localhost:8080/desks/harbour-view/tickets/ID/answer
//	curl -s $H -d '{"version":4}' localhost:8080/desks/harbour-view/tickets/ID/accept
//	curl -s $H 'localhost:8080/desks/harbour-view/tickets?state=revisit&kind=repair&limit=20'
//	curl -s $H localhost:8080/desks/harbour-view/tickets/ID/history
//	curl -s $H localhost:8080/desks/harbour-view/overdue
//
// With -preset general the desks run ticket.GeneralDesk with
// ticket.GeneralRoles (roles agent, supervisor, admin; kinds question,
// incident, request, complaint): a ticket takes a subject, description,
// priority and tags, SLA clocks by priority count business hours and
// pause while the customer is waited for, and a passed clock escalates
// by itself (runner.Escalate, every -escalate-every):
//
//	curl -s $H -d '{"kind":"incident","channel":"email","subject":"VPN down",
//	  "priority":"urgent","tags":["network"]}' localhost:8080/desks/harbour-view/tickets
//	curl -s $H -d '{"note":"asked for a screenshot"}' localhost:8080/desks/harbour-view/tickets/ID/wait
//	curl -s $H -d '{}' localhost:8080/desks/harbour-view/tickets/ID/resume
//	curl -s $H -d '{"channel":"email","note":"looking into it"}' localhost:8080/desks/harbour-view/tickets/ID/respond
//	curl -s $H -d '{"add":["vip"]}' localhost:8080/desks/harbour-view/tickets/ID/tag
//	curl -s $H 'localhost:8080/desks/harbour-view/tickets?priority=high,urgent&tag=network'
//	curl -s -H X-Actor:chen -H X-Role:repair_lead -d '{"n":5,"lease":"30m"}' \
//	  localhost:8080/desks/harbour-view/followups/claim
//	curl -s -H X-Actor:chen -H X-Role:repair_lead -d '{"token":"TOKEN","result":"reached",
//	  "checked":["inspect_on_site","service_feedback","suggestions","charges_verified","signature"],
//	  "signed_by":"sig-1","satisfaction":5}' localhost:8080/desks/harbour-view/followups/TASK/complete
//	curl -s $H 'localhost:8080/desks/harbour-view/duty?at=2026-03-02T10:00:00%2B08:00'
//	curl -s -d '{"text":"不知道"}' localhost:8080/lint
//
// Endpoints (JSON in and out; tickets and events in the ticket
// package's own encoding):
//
//	POST /desks/{desk}/tickets                        intake (T2): 201 with the ticket
//	GET  /desks/{desk}/tickets?state=&kind=&owner=&assignee=&customer=
//	     &incomplete=&order=number|number_desc|updated&after=&limit=
//	                                                  a page; "next" is the cursor of the next
//	GET  /desks/{desk}/tickets/{id}                   one ticket
//	GET  /desks/{desk}/tickets/{id}/history           its events (T14)
//	POST /desks/{desk}/tickets/{id}/{action}          dispatch, resolve, answer, accept, reject,
//	                                                  escalate, promise, cancel, complete, take,
//	                                                  refer (T18), handover (T15);
//	                                                  "version" in the body: 409 if it moved on
//	GET  /desks/{desk}/overdue?after=&limit=          past a deadline or stagnating (T4–T13), paged
//	GET  /desks/{desk}/followups?status=&ticket=&owner=&after=&limit=
//	                                                  paged like the ticket list
//	POST /desks/{desk}/followups/claim                {"worker","n","lease","role"}
//	POST /desks/{desk}/followups/{id}/complete        the outcome, with the claim's token
//	POST /desks/{desk}/followups/sync                 derive from pending ticket events now
//	GET  /desks/{desk}/duty?at=RFC3339                who is on duty (R2, R5)
//	GET  /desks/{desk}/coverage?from=DATE&days=7      gaps in the service hours (R1)
//	GET  /desks/{desk}/handover?agent=                open work to hand over before leave (T15)
//	POST /desks/{desk}/presence                       {"online": false, "agent", "note"} (R5)
//	POST /desks/{desk}/leave                          {"agent","from","until","note"}, leads only
//	POST /lint                                        {"text"} → findings (P2, P3)
//	GET  /healthz, /readyz                            liveness, readiness
//
// Every /desks route needs a caller; /lint, /healthz and /readyz need
// none. A desk's roster is generated at start, unless the store holds
// it already: four three-week cycles (R3) of the a/b/c shifts (R2) from
// the Monday of the current week. Follow-ups are derived from the ticket
// outbox by the runner, woken by every write of any replica (on
// PostgreSQL through LISTEN/NOTIFY) and, as a safety net, every
// -sync-every. Webhook dead letters are kept in memory by each replica
// (webhook.MemDeadLetters) and lost when it stops; undelivered events
// stay in the outbox.
//
// Errors are JSON, {"error": "...", "field": "...", "missing": [...]}:
// 400 malformed input (the field named), 401 not authenticated, 403 not
// allowed, 404 not found (another desk's ticket too), 409 version
// conflict, illegal transition or lost lease, 413 body too large, 422
// intake fields missing for a step (listed), 503 with Retry-After when
// the store is unavailable (store.ErrUnavailable from the adapters).
//
// Test it (httptest, -race, and fuzz targets over request bodies):
//
//	go test -race ./examples/crm
//	go test -run '^$' -fuzz '^FuzzAction$' -fuzztime 30s ./examples/crm
//	go test -run '^$' -bench . ./examples/crm
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/servicedesk-go/desk/webhook"
)

func main() {
	o, err := parseFlags(os.Args[1:])
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0) // -h printed the flags: like every example, not an error
	}
	if err != nil {
		os.Exit(2)
	}
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The first signal starts the shutdown; a second one, while it
	// waits for requests in flight, ends the process at once.
	context.AfterFunc(ctx, stop)
	if err := run(ctx, o, log, nil); err != nil {
		log.Error("crm stopped", "err", err)
		stop()
		os.Exit(1)
	}
}

// options are the command-line flags.
type options struct {
	addr, desks, agents, tz string
	preset                  string
	store                   string
	dbConns                 int

	syncEvery, leaseEvery, escalateEvery, rosterEvery time.Duration
	webhookURL, webhookSecretEnv                      string

	jwtKeyFile, jwtKeyEnv, jwtIssuer, jwtAudience string
	insecureDevHeaders                            bool

	drainInRequest  bool
	groupIntake     bool
	shutdownTimeout time.Duration
	debugAddr       string
}

func parseFlags(args []string) (options, error) { return parseFlagsTo(os.Stderr, args) }

// parseFlagsTo is parseFlags printing its complaints and -h to out.
func parseFlagsTo(out io.Writer, args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("crm", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "address to listen on")
	fs.StringVar(&o.desks, "desks", "harbour-view", "comma-separated desks to serve")
	fs.StringVar(&o.agents, "agents", "li,wang,zhang,zhao", "comma-separated agents of each desk's rotation (R3)")
	fs.StringVar(&o.preset, "preset", PresetProperty, "the desks' ticket policy: property (the seed property desk) or general (a general support desk: priorities with SLA in business hours, pauses, escalation by itself when an SLA clock passes)")
	fs.StringVar(&o.tz, "tz", "Asia/Shanghai", "IANA time zone of the desks")
	fs.StringVar(&o.store, "store", "memory", "where the desk is kept: memory, sqlite:PATH or a postgres:// URL (migrated at start; several replicas may share one PostgreSQL database)")
	fs.IntVar(&o.dbConns, "db-conns", 32, "PostgreSQL connections of this process (unless the URL sets pool_max_conns)")
	fs.DurationVar(&o.syncEvery, "sync-every", time.Second, "how often the runner derives follow-ups from pending ticket events when no write wakes it (0: off)")
	fs.DurationVar(&o.leaseEvery, "lease-every", 30*time.Second, "how often claimed follow-ups whose lease expired return to pending (0: off)")
	fs.DurationVar(&o.escalateEvery, "escalate-every", time.Minute, "how often overdue tickets not yet escalated are raised one level, T6 (0: off)")
	fs.DurationVar(&o.rosterEvery, "roster-every", time.Hour, "how often each desk's rotation is extended to reach four three-week cycles (R3) past today (0: off; it is extended at start too)")
	fs.StringVar(&o.webhookURL, "webhook-url", "", "deliver every ticket event to this URL, signed (Standard Webhooks)")
	fs.StringVar(&o.webhookSecretEnv, "webhook-secret-env", "CRM_WEBHOOK_SECRET", "environment variable holding the webhook signing secret")
	fs.StringVar(&o.jwtKeyFile, "jwt-key-file", "", "file with the key that verifies bearer tokens: a PEM public key (RS*, ES*, EdDSA) or an HMAC secret of 32+ bytes (HS256)")
	fs.StringVar(&o.jwtKeyEnv, "jwt-key-env", "CRM_JWT_KEY", "environment variable with the token key, used when -jwt-key-file is not given")
	fs.StringVar(&o.jwtIssuer, "jwt-issuer", "", "required iss of bearer tokens (empty: any)")
	fs.StringVar(&o.jwtAudience, "jwt-audience", "", "required aud of bearer tokens (empty: any)")
	fs.BoolVar(&o.insecureDevHeaders, "insecure-dev-headers", false, "INSECURE, development only: trust X-Actor and X-Role headers from anyone instead of verifying tokens")
	fs.BoolVar(&o.drainInRequest, "drain-in-request", false, "derive follow-ups inside every write request (the old wiring; for the load benchmark's baseline only)")
	fs.BoolVar(&o.groupIntake, "group-intake", true, "on PostgreSQL, write concurrent intakes in shared transactions (group commit; each caller is answered after its ticket committed)")
	fs.DurationVar(&o.shutdownTimeout, "shutdown-timeout", 10*time.Second, "how long a SIGTERM waits for requests in flight; those still running then are cut off")
	fs.StringVar(&o.debugAddr, "debug-addr", "", "if set, serve the Go profiler (net/http/pprof, /debug/pprof/) on this address; keep it on loopback or a private network")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if err := o.check(fs.Args()); err != nil {
		fmt.Fprintf(out, "crm: %v\n", err)
		return o, err
	}
	return o, nil
}

// check refuses what the flags parsed but the service would otherwise
// take for something else: a negative interval switched its runner off
// as 0 does, a -db-conns below 1 gave pgx's default pool, a
// -shutdown-timeout of 0 or less waited 10 s, words after the flags
// (crm migrate) were ignored while the service started, and an empty
// -addr (a variable unset) listened on a random port.
func (o options) check(rest []string) error {
	if len(rest) > 0 {
		return fmt.Errorf("unexpected argument %q: crm takes flags only (crm -h lists them)", rest[0])
	}
	if o.addr == "" {
		// net.Listen would take it for a random port on every interface.
		return fmt.Errorf("-addr is empty: give host:port (127.0.0.1:8080, :8080 for every interface)")
	}
	for _, f := range []struct {
		name string
		d    time.Duration
	}{{"sync-every", o.syncEvery}, {"lease-every", o.leaseEvery}, {"escalate-every", o.escalateEvery}, {"roster-every", o.rosterEvery}} {
		if f.d < 0 {
			return fmt.Errorf("-%s %v: give a positive interval, or 0 to switch that runner off", f.name, f.d)
		}
	}
	if o.shutdownTimeout <= 0 {
		return fmt.Errorf("-shutdown-timeout %v: give a positive duration", o.shutdownTimeout)
	}
	if o.dbConns < 1 {
		return fmt.Errorf("-db-conns %d: give at least 1 (pool_max_conns in the URL takes precedence)", o.dbConns)
	}
	return nil
}

// authenticator builds the -jwt-key-file / -jwt-key-env authenticator,
// or the header one behind -insecure-dev-headers, with its warning.
func authenticator(o options, log *slog.Logger) (Authenticator, error) {
	if o.insecureDevHeaders {
		log.Warn("INSECURE: -insecure-dev-headers trusts X-Actor and X-Role from anyone who reaches the port; never use it outside development")
		return HeaderAuth{}, nil
	}
	var key []byte
	switch {
	case o.jwtKeyFile != "":
		b, err := os.ReadFile(o.jwtKeyFile)
		if err != nil {
			return nil, fmt.Errorf("token key: %w", err)
		}
		key = b
	case o.jwtKeyEnv != "" && os.Getenv(o.jwtKeyEnv) != "":
		key = []byte(os.Getenv(o.jwtKeyEnv))
	default:
		return nil, fmt.Errorf("no token key: give -jwt-key-file or set $%s (or -insecure-dev-headers for local development)", o.jwtKeyEnv)
	}
	a, err := NewBearerAuth(key)
	if err != nil {
		return nil, err
	}
	a.Issuer, a.Audience = o.jwtIssuer, o.jwtAudience
	return a, nil
}

// run serves until ctx is done, then shuts down gracefully: it stops
// accepting and answers /readyz 503, lets the requests in flight finish
// (for up to -shutdown-timeout; those still running then are cut off),
// stops the runners (a runner's round in progress finishes or is
// cancelled between writes; nothing half-written is left, as every
// library write is atomic), then closes the store. ready, if set, is
// told the address actually listened on (for -addr with port 0).
func run(ctx context.Context, o options, log *slog.Logger, ready func(addr string)) error {
	loc, err := time.LoadLocation(o.tz)
	if err != nil {
		return fmt.Errorf("time zone %q: %w", o.tz, err)
	}
	auth, err := authenticator(o, log)
	if err != nil {
		return err
	}
	var secrets []string
	if o.webhookURL != "" {
		// One secret, or two separated by a space during a rotation.
		secrets = strings.Fields(os.Getenv(o.webhookSecretEnv))
		for _, sec := range secrets {
			if _, err := webhook.ParseSecret(sec); err != nil {
				return fmt.Errorf("$%s: %w", o.webhookSecretEnv, err)
			}
		}
		if len(secrets) == 0 {
			return fmt.Errorf("-webhook-url needs a signing secret (whsec_...) in $%s", o.webhookSecretEnv)
		}
	}
	cfg := Config{Desks: splitList(o.desks), Agents: splitList(o.agents), Location: loc, Logger: log,
		Auth: auth, DrainInRequest: o.drainInRequest, Preset: o.preset}
	closeStore, err := openStore(ctx, o.store, o.dbConns, o.groupIntake, &cfg)
	if err != nil {
		return err
	}
	defer closeStore()
	srv, err := newServer(cfg)
	if err != nil {
		return err
	}
	// The runners start before anything is served, so that one the
	// service cannot make (a -webhook-url the sender refuses) stops it
	// at start rather than leaving the events to pile up in the outbox.
	runCtx, stopRunners := context.WithCancel(context.Background())
	defer stopRunners()
	waitRunners, err := srv.startRunners(runCtx, RunnerConfig{Derive: o.syncEvery, Leases: o.leaseEvery, Escalate: o.escalateEvery, Roster: o.rosterEvery,
		Webhook: WebhookConfig{URL: o.webhookURL, Secrets: secrets}})
	if err != nil {
		return err
	}
	// On an early return the runners stop before the store closes; after
	// a shutdown they have stopped already.
	defer func() { stopRunners(); waitRunners() }()
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return err
	}
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute,
		MaxHeaderBytes: 64 << 10,
		ErrorLog:       slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	if o.debugAddr != "" {
		stopDebug, err := serveDebug(o.debugAddr, log)
		if err != nil {
			return err
		}
		defer stopDebug()
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	log.Info("crm listening", "addr", ln.Addr().String(), "desks", o.desks, "store", storeKind(o.store))
	if ready != nil {
		ready(ln.Addr().String())
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("crm shutting down")
	srv.draining.Store(true)
	if o.shutdownTimeout <= 0 {
		o.shutdownTimeout = 10 * time.Second
	}
	shut, stop := context.WithTimeout(context.Background(), o.shutdownTimeout)
	defer stop()
	serr := hs.Shutdown(shut)
	if serr != nil {
		// Requests still running after -shutdown-timeout are cut off:
		// closing their connections cancels their contexts, so their
		// queries end and the store below can close (it waits for every
		// connection in use).
		_ = hs.Close()
		log.Warn("requests cut off at -shutdown-timeout", "timeout", o.shutdownTimeout)
	}
	stopRunners()
	waitRunners()
	if serr != nil {
		return serr
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("crm stopped")
	return nil
}

// storeKind names the store for the log without its credentials.
func storeKind(spec string) string {
	if k, _, ok := strings.Cut(spec, ":"); ok {
		return k
	}
	return spec
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
