package main

import (
	"fmt"
	"io"
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
		RosterStart: roster.D(2026, 3, 2), RosterCycles: 1, Now: c.Now, NewID: seqIDs()})
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
