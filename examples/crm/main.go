// Command crm is a small HTTP JSON service that embeds the library the
// way a CRM would: it receives customer requests as tickets and runs
// them through their life (T1–T19), derives and hands out follow-up
// calls from the ticket outbox (F1–F13), answers who is on duty from a
// generated seed roster (R1–R5) and lints what agents are about to say
// (P2, P3). Everything is in memory; restart and it is gone.
//
// Run it:
//
//	go run ./examples/crm -addr 127.0.0.1:8080 -desks harbour-view
//
// The acting person is named by two headers, X-Actor and X-Role (a
// role of the ticket package: agent, shift_lead, qa, office_director,
// property_administrator, repair_lead, department, system). A real CRM
// sets them after its own authentication. Then, for example:
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
//	GET  /desks/{desk}/overdue                        past a deadline or stagnating (T4–T13)
//	GET  /desks/{desk}/followups?status=&ticket=&owner=
//	POST /desks/{desk}/followups/claim                {"worker","n","lease","role"}
//	POST /desks/{desk}/followups/{id}/complete        the outcome, with the claim's token
//	POST /desks/{desk}/followups/sync                 derive from pending ticket events now
//	GET  /desks/{desk}/duty?at=RFC3339                who is on duty (R2, R5)
//	GET  /desks/{desk}/coverage?from=DATE&days=7      gaps in the service hours (R1)
//	GET  /desks/{desk}/handover?agent=                open work to hand over before leave (T15)
//	POST /desks/{desk}/presence                       {"online": false, "agent", "note"} (R5)
//	POST /desks/{desk}/leave                          {"agent","from","until","note"}, leads only
//	POST /lint                                        {"text"} → findings (P2, P3)
//
// Every /desks route needs the actor headers; /lint needs none. A
// desk's roster is generated at start: four three-week cycles (R3) of
// the a/b/c shifts (R2) from the Monday of the current week. Follow-ups
// are derived from the ticket outbox after every write, and every
// -sync-every in the background.
//
// Errors are JSON, {"error": "...", "field": "...", "missing": [...]}:
// 400 malformed input (the field named), 403 not allowed, 404 not found
// (another desk's ticket too), 409 version conflict, illegal transition
// or lost lease, 413 body too large, 422 intake fields missing for a
// step (listed).
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
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

func main() {
	var o options
	flag.StringVar(&o.addr, "addr", "127.0.0.1:8080", "address to listen on")
	flag.StringVar(&o.desks, "desks", "harbour-view", "comma-separated desks to serve")
	flag.StringVar(&o.agents, "agents", "li,wang,zhang,zhao", "comma-separated agents of each desk's rotation (R3)")
	flag.StringVar(&o.tz, "tz", "Asia/Shanghai", "IANA time zone of the desks")
	flag.DurationVar(&o.syncEvery, "sync-every", 30*time.Second, "how often pending ticket events are derived into follow-ups in the background (0: only after writes)")
	flag.Parse()
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o, log, nil); err != nil {
		log.Error("crm stopped", "err", err)
		stop()
		os.Exit(1)
	}
}

// options are the command-line flags.
type options struct {
	addr, desks, agents, tz string
	syncEvery               time.Duration
}

// run serves until ctx is done, then shuts down gracefully. ready, if
// set, is told the address actually listened on (for -addr with port 0).
func run(ctx context.Context, o options, log *slog.Logger, ready func(addr string)) error {
	loc, err := time.LoadLocation(o.tz)
	if err != nil {
		return fmt.Errorf("time zone %q: %w", o.tz, err)
	}
	srv, err := newServer(Config{Desks: splitList(o.desks), Agents: splitList(o.agents), Location: loc, Logger: log})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if o.syncEvery > 0 {
		go func() {
			tick := time.NewTicker(o.syncEvery)
			defer tick.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-tick.C:
					srv.drainAll(ctx)
				}
			}
		}()
	}
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute,
		MaxHeaderBytes: 64 << 10,
		ErrorLog:       slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	log.Info("crm listening", "addr", ln.Addr().String(), "desks", o.desks)
	if ready != nil {
		ready(ln.Addr().String())
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shut, stop := context.WithTimeout(context.Background(), 10*time.Second)
	defer stop()
	if err := hs.Shutdown(shut); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
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
