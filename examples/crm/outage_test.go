package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sync"
	"testing"

	"github.com/servicedesk-go/desk/roster"
	"github.com/servicedesk-go/desk/store/postgres"
	"github.com/servicedesk-go/desk/ticket"
)

// cutProxy forwards TCP connections to a server until cut, when it
// closes every connection and refuses new ones: the database went away.
type cutProxy struct {
	ln    net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

func newCutProxy(t *testing.T, target string) *cutProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{ln: ln}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, s)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(s, c); s.Close() }()
			go func() { _, _ = io.Copy(c, s); c.Close() }()
		}
	}()
	t.Cleanup(p.cut)
	return p
}

func (p *cutProxy) cut() {
	p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// TestPostgresOutage: the service on PostgreSQL, whose connections are
// then cut and refused, answers 503 with Retry-After (not 500), reads
// and writes alike, and /readyz says it is not ready.
func TestPostgresOutage(t *testing.T) {
	dsn := freshPostgres(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	proxy := newCutProxy(t, u.Host)
	u.Host = proxy.ln.Addr().String()
	ctx := context.Background()
	st, err := postgres.Open(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	c := &clock{t: start}
	cfg := Config{Desks: []string{"north"}, Location: shanghai, RosterStart: roster.D(2026, 3, 2), RosterCycles: 1,
		Now: c.Now, NewID: seqIDs(), Auth: HeaderAuth{}, Logger: slog.New(slog.DiscardHandler),
		Tickets: st.Tickets(), Followups: st.Followups(), Rosters: st.Rosters()}
	ms, _ := postgres.ListMigrations()
	cfg.Ready = schemaAt(st.SchemaVersion, ms[len(ms)-1].Version)
	srv, err := newServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	a := as{h: srv, actor: li, role: string(ticket.RoleAgent)}
	tk := ticketOf(t, a.must(t, http.StatusCreated, "POST", "/desks/north/tickets", repairIntake()))
	a.must(t, http.StatusOK, "GET", "/readyz", nil)
	proxy.cut()
	for _, req := range []struct {
		method, path string
		body         any
	}{
		{"GET", ticketPath("north", tk.ID, ""), nil},
		{"POST", "/desks/north/tickets", repairIntake()},
		{"POST", ticketPath("north", tk.ID, "dispatch"), map[string]any{"department": "engineering"}},
		{"GET", "/desks/north/tickets", nil},
		{"GET", "/desks/north/followups", nil},
		{"POST", "/desks/north/followups/claim", nil},
	} {
		r := a.do(t, req.method, req.path, req.body)
		if r.Status != http.StatusServiceUnavailable || r.Header.Get("Retry-After") == "" {
			t.Errorf("%s %s with the database gone: %d Retry-After %q: %s", req.method, req.path, r.Status, r.Header.Get("Retry-After"), r.Body)
		}
	}
	if r := a.do(t, "GET", "/readyz", nil); r.Status != http.StatusServiceUnavailable {
		t.Errorf("/readyz with the database gone: %d", r.Status)
	}
}
