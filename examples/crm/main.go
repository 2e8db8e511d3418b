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
//	                                                  escalate, promise, cancel, complete, take;
//	                                                  "version" in the body: 409 if it moved on
//	GET  /desks/{desk}/overdue                        past a deadline or stagnating (T4–T13)
//	GET  /desks/{desk}/followups?status=&ticket=&owner=
//	POST /desks/{desk}/followups/claim                {"worker","n","lease","role"}
//	POST /desks/{desk}/followups/{id}/complete        the outcome, with the claim's token
//	POST /desks/{desk}/followups/sync                 derive from pending ticket events now
//	GET  /desks/{desk}/duty?at=RFC3339                who is on duty (R2, R5)
//	POST /lint                                        {"text"} → findings (P2, P3)
//
// Errors are JSON, {"error": "...", "field": "...", "missing": [...]}:
// 400 malformed input (the field named), 403 not allowed, 404 not found
// (another desk's ticket too), 409 version conflict, illegal transition
// or lost lease, 413 body too large, 422 intake fields missing for a
// step (listed).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	desks := flag.String("desks", "harbour-view", "comma-separated desks to serve")
	agents := flag.String("agents", "li,wang,zhang,zhao", "comma-separated agents of each desk's rotation (R3)")
	tz := flag.String("tz", "Asia/Shanghai", "IANA time zone of the desks")
	every := flag.Duration("sync-every", 30*time.Second, "how often pending ticket events are derived into follow-ups in the background (0: only after writes)")
	flag.Parse()
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	if err := run(*addr, *desks, *agents, *tz, *every, log); err != nil {
		log.Error("crm stopped", "err", err)
		os.Exit(1)
	}
}

func run(addr, desks, agents, tz string, every time.Duration, log *slog.Logger) error {
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return fmt.Errorf("time zone %q: %w", tz, err)
	}
	srv, err := newServer(Config{Desks: splitList(desks), Agents: splitList(agents), Location: loc, Logger: log})
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if every > 0 {
		go func() {
			tick := time.NewTicker(every)
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
		Addr: addr, Handler: srv,
		ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute,
		MaxHeaderBytes: 64 << 10,
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.ListenAndServe() }()
	log.Info("crm listening", "addr", addr, "desks", desks)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shut); err != nil && !errors.Is(err, http.ErrServerClosed) {
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
