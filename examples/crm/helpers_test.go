package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/roster"
	"github.com/servicedesk-go/desk/ticket"
)

// shanghai is the desks' zone in the tests.
var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}()

// start is Monday 2 March 2026, 10:00 in Shanghai: shift a is on (R2).
var start = time.Date(2026, 3, 2, 10, 0, 0, 0, shanghai)

// clock is the injected clock; tests move it.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// seqIDs makes deterministic UUIDs.
func seqIDs() func() uuid.UUID {
	var mu sync.Mutex
	n := 0
	return func() uuid.UUID {
		mu.Lock()
		defer mu.Unlock()
		n++
		return uuid.NewSHA1(uuid.NameSpaceOID, fmt.Appendf(nil, "crm-test/%d", n))
	}
}

// lockedBuffer collects log output from concurrent handlers.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

type fixture struct {
	srv   *server
	clock *clock
	logs  *lockedBuffer
}

// newFixture serves desks north and south on a fixed clock with one
// three-week roster cycle from the Monday of the clock.
func newFixture(t testing.TB) *fixture {
	t.Helper()
	c := &clock{t: start}
	logs := &lockedBuffer{}
	srv, err := newServer(Config{
		Desks: []string{"north", "south"}, Location: shanghai,
		RosterStart: roster.D(2026, 3, 2), RosterCycles: 1,
		Now: c.Now, NewID: seqIDs(), Seed: 7, Auth: HeaderAuth{},
		Logger: slog.New(slog.NewJSONHandler(logs, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{srv: srv, clock: c, logs: logs}
}

// as is a caller with actor headers; an empty actor or role sends none.
type as struct {
	h           http.Handler
	actor, role string
	extra       map[string]string // more request headers
}

// A department's staff (zhao) are of the engineering department.
func (f *fixture) as(actor string, role ticket.Role) as {
	a := as{h: f.srv, actor: actor, role: string(role)}
	if role == ticket.RoleDepartment {
		a.extra = map[string]string{"X-Department": engineering}
	}
	return a
}

// reply is an answer as the tests read it.
type reply struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r reply) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// errBody is the JSON error answer.
type errBody struct {
	Error   string   `json:"error"`
	Field   string   `json:"field"`
	Missing []string `json:"missing"`
}

func (r reply) err(t testing.TB) errBody {
	t.Helper()
	var e errBody
	r.decode(t, &e)
	if e.Error == "" {
		t.Fatalf("error answer without a message: %s", r.Body)
	}
	return e
}

// do sends a request through an httptest.ResponseRecorder. body may be
// nil, a string or []byte (sent verbatim) or a value (sent as JSON).
func (a as) do(t testing.TB, method, path string, body any) reply {
	t.Helper()
	var raw []byte
	switch b := body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	case []byte:
		raw = b
	default:
		js, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		raw = js
	}
	req := httptest.NewRequest(method, path, bytes.NewReader(raw))
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if a.actor != "" {
		req.Header.Set(headerActor, a.actor)
	}
	if a.role != "" {
		req.Header.Set(headerRole, a.role)
	}
	for k, v := range a.extra {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	a.h.ServeHTTP(rec, req)
	res := rec.Result()
	b, _ := io.ReadAll(res.Body)
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s %s: content type %q, want JSON (body %s)", method, path, ct, b)
	}
	checkContract(t, req, raw, res.StatusCode, res.Header, b)
	return reply{Status: res.StatusCode, Header: res.Header, Body: b}
}

// must sends a request and fails the test unless it answers want.
func (a as) must(t testing.TB, want int, method, path string, body any) reply {
	t.Helper()
	r := a.do(t, method, path, body)
	if r.Status != want {
		t.Fatalf("%s %s as %s/%s: status %d, want %d: %s", method, path, a.actor, a.role, r.Status, want, r.Body)
	}
	return r
}

// pages reads a cursor-paged list (q, a path with its query) from the
// first page to the last, handing each page's reply to each (with the
// page's index from 0), which returns the page's next cursor. A list
// that has not ended after max pages fails the test.
func (a as) pages(t testing.TB, q string, max int, each func(page int, r reply) (next string)) {
	t.Helper()
	after := ""
	for page := 0; ; page++ {
		if page > max {
			t.Fatalf("%s: paging does not end after %d pages", q, max)
		}
		u := q
		if after != "" {
			u += "&after=" + url.QueryEscape(after)
		}
		if after = each(page, a.must(t, http.StatusOK, "GET", u, nil)); after == "" {
			return
		}
	}
}

// ticketOf decodes a ticket answer.
func ticketOf(t testing.TB, r reply) *ticket.Ticket {
	t.Helper()
	var tk ticket.Ticket
	r.decode(t, &tk)
	return &tk
}

// The people of the tests.
const (
	li   = "li"       // agent, first contact
	zhao = "eng-zhao" // engineering department
	chen = "chen"     // repair lead
	zhou = "zhou"     // shift lead

	engineering = "engineering" // zhao's department
)

// repairIntake is a complete property-desk repair (T2) of a leak (F2).
func repairIntake() map[string]any {
	return map[string]any{
		"kind": "repair", "category": "leak", "channel": "phone",
		"fields": map[string]string{"person": "王女士", "phone": "13800000000", "location": "3-201", "item": "water pipe"},
	}
}

// newRepair records a repair on desk and returns it.
func (f *fixture) newRepair(t testing.TB, desk string) *ticket.Ticket {
	t.Helper()
	return ticketOf(t, f.as(li, ticket.RoleAgent).must(t, http.StatusCreated, "POST", "/desks/"+desk+"/tickets", repairIntake()))
}

func ticketPath(desk string, id uuid.UUID, rest string) string {
	p := "/desks/" + desk + "/tickets/" + id.String()
	if rest != "" {
		p += "/" + rest
	}
	return p
}

// derive runs what the background runner of main does between
// requests: derive every desk's follow-ups from the pending ticket
// events. The tests call it where a runner would have run by then.
func (f *fixture) derive(t testing.TB) {
	t.Helper()
	f.srv.drainAll(context.Background())
}

// startRunners starts srv's runners, failing the test if it refuses.
func startRunners(t testing.TB, srv *server, ctx context.Context, rc RunnerConfig) (wait func()) {
	t.Helper()
	wait, err := srv.startRunners(ctx, rc)
	if err != nil {
		t.Fatal(err)
	}
	return wait
}
