package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/roster"
)

// TestNewServerConfig: a configuration the service cannot serve is an
// error at start, not a surprise at the first request.
func TestNewServerConfig(t *testing.T) {
	for _, c := range []struct {
		name string
		cfg  Config
	}{
		{"no desks", Config{}},
		{"desk name with a slash", Config{Desks: []string{"a/b"}}},
		{"upper-case desk", Config{Desks: []string{"North"}}},
		{"desk twice", Config{Desks: []string{"north", "north"}}},
		{"no such day", Config{Desks: []string{"north"}, RosterStart: roster.D(2026, 2, 30)}},
	} {
		t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
			if _, err := newServer(c.cfg); err == nil {
				t.Error("accepted")
			}
		})
	}
	s, err := newServer(Config{Desks: []string{"north"}, Now: func() time.Time { return start.AddDate(0, 0, 3) }})
	if err != nil {
		t.Fatal(err)
	}
	if want := roster.D(2026, 3, 2); s.cfg.RosterStart != want {
		t.Errorf("default roster start %v, want the Monday %v", s.cfg.RosterStart, want)
	}
}

// Example shows one intake over HTTP, as a CRM's front end would send
// it: the request is recorded even though the caller gave no phone
// number (T2, T14), and the missing fields are named.
func Example() {
	c := &clock{t: start}
	srv, err := newServer(Config{Desks: []string{"harbour-view"}, Location: shanghai,
		RosterStart: roster.D(2026, 3, 2), RosterCycles: 1, Now: c.Now, NewID: seqIDs(), Auth: HeaderAuth{}})
	if err != nil {
		fmt.Println(err)
		return
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	req, _ := http.NewRequest("POST", ts.URL+"/desks/harbour-view/tickets", strings.NewReader(
		`{"kind":"repair","category":"leak","channel":"phone","fields":{"location":"3-201","item":"pipe"}}`))
	req.Header.Set("X-Actor", "li")
	req.Header.Set("X-Role", "agent")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	fmt.Println(res.Status)
	for _, key := range []string{`"number":1`, `"state":"received"`, `"owner":"li"`, `"missing":["person","phone"]`} {
		fmt.Println(key, strings.Contains(string(body), key))
	}
	// Output:
	// 201 Created
	// "number":1 true
	// "state":"received" true
	// "owner":"li" true
	// "missing":["person","phone"] true
}

// TestRun starts the command as main does, on a free port, asks it who
// is on duty over a real connection, and shuts it down.
func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	errc := make(chan error, 1)
	go func() {
		errc <- run(ctx, options{addr: "127.0.0.1:0", desks: "north,south", agents: "a1,a2,a3,a4", tz: "Asia/Shanghai", syncEvery: time.Hour, insecureDevHeaders: true},
			slog.New(slog.DiscardHandler), func(addr string) { addrc <- addr })
	}()
	var addr string
	select {
	case addr = <-addrc:
	case err := <-errc:
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", "http://"+addr+"/desks/south/duty", nil)
	req.Header.Set(headerActor, "a1")
	req.Header.Set(headerRole, "agent")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var d dutyResponse
	err = json.NewDecoder(res.Body).Decode(&d)
	res.Body.Close()
	if err != nil || res.StatusCode != http.StatusOK || d.RosterUntil.Sub(d.RosterFrom) != 12*7*24*time.Hour {
		t.Errorf("status %d, %+v, %v: want four three-week cycles", res.StatusCode, d, err)
	}
	cancel()
	if err := <-errc; err != nil {
		t.Errorf("shutdown: %v", err)
	}
	if err := run(context.Background(), options{addr: "127.0.0.1:0", desks: "x", tz: "Mars/Olympus", insecureDevHeaders: true}, slog.New(slog.DiscardHandler), nil); err == nil {
		t.Error("an unknown time zone was accepted")
	}
}

// TestRouting: the mux's own answers come in JSON too: 404 for an
// unknown path, 405 with Allow, and the redirect of a path that is not
// clean.
func TestRouting(t *testing.T) {
	f := newFixture(t)
	a := f.as(li, "agent")
	if r := a.do(t, "DELETE", "/desks/north/tickets", nil); r.Status != http.StatusMethodNotAllowed || !strings.Contains(r.Header.Get("Allow"), "POST") {
		t.Errorf("405: %d allow %q", r.Status, r.Header.Get("Allow"))
	}
	if r := a.do(t, "GET", "/desks/north/tickets/x/y/z", nil); r.Status != http.StatusNotFound {
		t.Errorf("deep path: %d", r.Status)
	}
	r := a.do(t, "GET", "/desks/north/../north/tickets", nil)
	if r.Status != http.StatusTemporaryRedirect || r.Header.Get("Location") != "/desks/north/tickets" {
		t.Errorf("unclean path: %d location %q: %s", r.Status, r.Header.Get("Location"), r.Body)
	}
	if r := a.do(t, "HEAD", "/desks/north/duty", nil); r.Status != http.StatusOK {
		t.Errorf("HEAD on a GET route: %d", r.Status)
	}
}
