package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/roster"
	"github.com/servicedesk-go/desk/store"
	"github.com/servicedesk-go/desk/ticket"
	"github.com/servicedesk-go/desk/webhook"
)

// outageStore is a ticket store whose database went away: every call
// fails as an adapter reports a refused connection, wrapped in
// store.ErrUnavailable.
type outageStore struct {
	ticket.Store
	down bool
}

func (o *outageStore) err() error {
	return fmt.Errorf("postgres: query: %w", store.Unavailable(&net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}))
}

func (o *outageStore) Create(ctx context.Context, t *ticket.Ticket, e []ticket.Event) error {
	if o.down {
		return o.err()
	}
	return o.Store.Create(ctx, t, e)
}

func (o *outageStore) Get(ctx context.Context, desk string, id uuid.UUID) (*ticket.Ticket, error) {
	if o.down {
		return nil, o.err()
	}
	return o.Store.Get(ctx, desk, id)
}

func (o *outageStore) List(ctx context.Context, desk string, f ticket.Filter) ([]*ticket.Ticket, error) {
	if o.down {
		return nil, o.err()
	}
	return o.Store.List(ctx, desk, f)
}

// TestStoreOutage: a store that cannot be reached is 503 with
// Retry-After (the client may retry), not a 500; and /readyz says so.
func TestStoreOutage(t *testing.T) {
	st := &outageStore{Store: ticket.NewMemStore()}
	c := &clock{t: start}
	down := false
	srv, err := newServer(Config{Desks: []string{"north"}, Location: shanghai, RosterStart: roster.D(2026, 3, 2), RosterCycles: 1,
		Now: c.Now, NewID: seqIDs(), Auth: HeaderAuth{}, Tickets: st, Logger: slog.New(slog.DiscardHandler),
		Ready: schemaAt(func(context.Context) (int, error) {
			if down {
				return 0, errors.New("failed to connect to `user=crm database=desk`: 10.0.0.7:5432: connection refused")
			}
			return 3, nil
		}, 3)})
	if err != nil {
		t.Fatal(err)
	}
	a := as{h: srv, actor: li, role: "agent"}
	a.must(t, http.StatusOK, "GET", "/readyz", nil)
	st.down, down = true, true
	for _, req := range []struct{ method, path string }{
		{"POST", "/desks/north/tickets"}, {"GET", "/desks/north/tickets"}, {"GET", "/desks/north/tickets/" + uuid.NewString()},
	} {
		var body any
		if req.method == "POST" {
			body = repairIntake()
		}
		r := a.do(t, req.method, req.path, body)
		if r.Status != http.StatusServiceUnavailable || r.Header.Get("Retry-After") == "" {
			t.Errorf("%s %s in an outage: %d Retry-After %q: %s", req.method, req.path, r.Status, r.Header.Get("Retry-After"), r.Body)
		}
	}
	if r := a.do(t, "GET", "/readyz", nil); r.Status != http.StatusServiceUnavailable || r.Header.Get("Retry-After") == "" {
		t.Errorf("/readyz in an outage: %d", r.Status)
	} else if strings.Contains(string(r.Body), "10.0.0.7") || strings.Contains(string(r.Body), "user=") ||
		!strings.Contains(string(r.Body), `"reason":"database unreachable"`) {
		// /readyz answers anyone: the driver's message, which names the
		// database's host, user and name, stays in the log.
		t.Errorf("/readyz in an outage tells anyone %s", r.Body)
	}
	a.must(t, http.StatusOK, "GET", "/healthz", nil) // alive all the same
	srv.draining.Store(true)
	st.down, down = false, false
	if r := a.do(t, "GET", "/readyz", nil); r.Status != http.StatusServiceUnavailable {
		t.Errorf("/readyz while shutting down: %d", r.Status)
	}
}

// TestTimesThatCannotBeEncoded: a time whose year, in UTC, is outside
// what the answer can encode again is a 400 naming the field, and the
// ticket is unchanged (before, the dispatch was written and the answer
// was a 200 with an empty body).
func TestTimesThatCannotBeEncoded(t *testing.T) {
	f := newFixture(t)
	agent := f.as(li, ticket.RoleAgent)
	tk := f.newRepair(t, "north")
	for _, bad := range []string{"9999-12-31T23:00:00-05:00", "0000-01-01T00:30:00+01:00", "9999-01-01T00:00:00Z"} {
		r := agent.do(t, "POST", ticketPath("north", tk.ID, "dispatch"), map[string]any{"department": "engineering", "appointment": bad})
		if r.Status != http.StatusBadRequest || r.err(t).Field != "appointment" {
			t.Errorf("appointment %s: %d %s", bad, r.Status, r.Body)
		}
	}
	if r := agent.do(t, "GET", "/desks/north/coverage?from=0001-01-01", nil); r.Status != http.StatusBadRequest {
		t.Errorf("coverage from year 1: %d", r.Status)
	}
	got := ticketOf(t, agent.must(t, http.StatusOK, "GET", ticketPath("north", tk.ID, ""), nil))
	if got.Version != tk.Version || got.State != ticket.Received {
		t.Errorf("refused dispatch changed the ticket: version %d state %s", got.Version, got.State)
	}
}

// TestWriteJSONNeverEmpty: a value that cannot be encoded is a 500 with
// a JSON body, never a 2xx with an empty one.
func TestWriteJSONNeverEmpty(t *testing.T) {
	rec := newRecorder()
	writeJSON(rec, http.StatusOK, map[string]any{"t": time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)})
	if rec.Code != http.StatusInternalServerError || rec.Body.Len() == 0 {
		t.Errorf("unencodable answer: %d %q", rec.Code, rec.Body)
	}
}

// TestWriteJSONAsEncodingJSON: answers are encoded with
// github.com/go-json-experiment/json/v1 for speed; the bytes are those
// encoding/json (HTML not escaped) writes, for tickets with every part
// set, lists, nil slices and maps, odd text and times. Invalid UTF-8
// (which the library refuses in what it stores) is the one difference:
// both write U+FFFD for it, encoding/json escaped and this raw.
func TestWriteJSONAsEncodingJSON(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 0, 0, 123456789, shanghai)
	full := &ticket.Ticket{ID: uuid.New(), Desk: "north", Number: 7, Kind: ticket.Repair, Category: "leak",
		Channel: ticket.Phone, State: ticket.Resolved, Owner: "li", Department: "engineering", Priority: ticket.PriorityHigh,
		Fields:     map[string]string{"person": "王先生", "note": "<b>&'\"</b> \u2028\u2029 \x00 end", "z": "", "a": "1"},
		Tags:       []string{"vip", "漏水"},
		Deadlines:  []ticket.Deadline{{Name: "resolution", Start: at, Due: at.Add(time.Hour), Done: at.Add(time.Minute), PausedFor: 90 * time.Second, Escalated: 1}, {Name: "dispatch", Start: at, Due: at.Add(time.Hour)}},
		Resolution: &ticket.Resolution{Summary: "fixed", Resolver: "zhao", At: at},
		ReceivedAt: at, UpdatedAt: at.UTC(), ClosedAt: at.Add(time.Hour), Version: 9}
	values := map[string]any{
		"full ticket":   full,
		"empty ticket":  &ticket.Ticket{},
		"list":          listResponse{Tickets: []*ticket.Ticket{full, {ID: uuid.New()}}, Next: "abc"},
		"empty list":    listResponse{},
		"history":       historyResponse{},
		"overdue":       overdueResponse{},
		"error":         &apiError{Status: 400, Msg: "bad <input>", Field: "fields.x", Missing: []string{"phone"}},
		"map of any":    map[string]any{"n": 1.5e300, "i": int64(-1 << 62), "b": []byte{0, 1, 2}, "nil": nil, "s": []string(nil), "m": map[string]int(nil), "u": uint8(255)},
		"strings":       []string{"", "\t\n\r", "\u007f", "\U0001F600", "a\\b"},
		"time and zone": []time.Time{at, {}, at.In(time.FixedZone("", -3*3600-1800))},
	}
	for name, v := range values {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			t.Fatalf("%s: encoding/json: %v", name, err)
		}
		rec := newRecorder()
		writeJSON(rec, http.StatusOK, v)
		if rec.Code != http.StatusOK || rec.Body.String() != want.String() {
			t.Errorf("%s: %d\n got %s\nwant %s", name, rec.Code, rec.Body, want.String())
		}
	}
	rec := newRecorder()
	writeJSON(rec, http.StatusOK, map[string]string{"bad": "a\xff\xfeb"})
	var got map[string]string
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || got["bad"] != "a\ufffd\ufffdb" {
		t.Errorf("invalid UTF-8: %q decodes to %q, %v", rec.Body, got["bad"], err)
	}
}

// TestFollowupPages: the follow-up list is paged like the ticket list:
// every task once, in the store's order, whatever the page size, with
// tasks sharing one due time.
func TestFollowupPages(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	due := start.Add(48 * time.Hour)
	var want []uuid.UUID
	for i := range 23 {
		task := &followup.Task{ID: uuid.NewSHA1(uuid.NameSpaceOID, fmt.Appendf(nil, "page-%d", i)), Desk: "north",
			Rule: "F1.test", Cites: "F1", Trigger: followup.TicketResolved, Key: fmt.Sprint(i), Subject: fmt.Sprint("case ", i),
			Channel: followup.Phone, Role: ticket.RoleAgent, NotBefore: start, Due: due.Add(time.Duration(i%3) * time.Hour),
			MaxAttempts: 3, Status: followup.Pending, CreatedAt: start, UpdatedAt: start}
		if err := f.srv.tasks.Create(ctx, task); err != nil {
			t.Fatal(err)
		}
	}
	all, err := f.srv.tasks.List(ctx, "north", followup.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, task := range all {
		want = append(want, task.ID)
	}
	agent := f.as(li, ticket.RoleAgent)
	for _, size := range []int{1, 4, 7, 23, 50} {
		var got []uuid.UUID
		agent.pages(t, fmt.Sprintf("/desks/north/followups?limit=%d", size), 30, func(_ int, r reply) string {
			var p taskPage
			r.decode(t, &p)
			if len(p.Tasks) > size {
				t.Fatalf("page of %d with limit %d", len(p.Tasks), size)
			}
			for _, task := range p.Tasks {
				got = append(got, task.ID)
			}
			return p.Next
		})
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("limit %d: paged %d tasks %v, want %d %v", size, len(got), got, len(want), want)
		}
	}
	if r := agent.do(t, "GET", "/desks/north/followups?after=garbage", nil); r.Status != http.StatusBadRequest || r.err(t).Field != "after" {
		t.Errorf("bad cursor: %d", r.Status)
	}
	if r := agent.do(t, "GET", "/desks/north/followups?limit=0", nil); r.Status != http.StatusBadRequest || r.err(t).Field != "limit" {
		t.Errorf("limit 0: %d", r.Status)
	}
}

// TestOverduePages: the overdue list is paged the same way.
func TestOverduePages(t *testing.T) {
	f := newFixture(t)
	for range 9 {
		f.newRepair(t, "north")
	}
	f.clock.Advance(time.Hour) // every one missed its three-minute dispatch (T5), some more
	agent := f.as(li, ticket.RoleAgent)
	var whole overdueResponse
	agent.must(t, http.StatusOK, "GET", "/desks/north/overdue?limit=200", nil).decode(t, &whole)
	if len(whole.Overdue) < 9 || whole.Next != "" {
		t.Fatalf("one page of everything: %d entries, next %q", len(whole.Overdue), whole.Next)
	}
	var got []string
	agent.pages(t, "/desks/north/overdue?limit=2", 20, func(_ int, r reply) string {
		var p overdueResponse
		r.decode(t, &p)
		for _, o := range p.Overdue {
			got = append(got, o.Ticket.ID.String()+o.Deadline)
		}
		return p.Next
	})
	var want []string
	for _, o := range whole.Overdue {
		want = append(want, o.Ticket.ID.String()+o.Deadline)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("paged %v, want %v", got, want)
	}
}

// TestRunners: writes never derive inside the request; the runner,
// woken by them, derives the follow-ups; the lease runner returns a
// dead worker's task to pending; the escalation runner raises an
// overdue ticket once (T6), and a second round raises nothing more.
func TestRunners(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	agent := f.as(li, ticket.RoleAgent)
	tk := f.newRepair(t, "north")
	agent.must(t, http.StatusOK, "POST", ticketPath("north", tk.ID, "dispatch"), map[string]any{"department": "engineering"})
	f.as(zhao, ticket.RoleDepartment).must(t, http.StatusOK, "POST", ticketPath("north", tk.ID, "resolve"), map[string]any{"summary": "sealed"})
	listFor := func() []taskOut {
		var p taskPage
		agent.must(t, http.StatusOK, "GET", "/desks/north/followups?ticket="+tk.ID.String(), nil).decode(t, &p)
		return p.Tasks
	}
	if got := listFor(); len(got) != 0 {
		t.Fatalf("a write derived in the request: %+v", got)
	}
	wait := startRunners(t, f.srv, ctx, RunnerConfig{Derive: time.Hour}) // only a write's wake-up can run it
	f.as(zhao, ticket.RoleDepartment).must(t, http.StatusOK, "POST", ticketPath("north", tk.ID, "escalate"), map[string]any{"reason": "wakes the runner"})
	deadline := time.Now().Add(10 * time.Second)
	for len(listFor()) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the woken runner derived nothing in 10 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	wait()

	var claimed taskList
	f.as(chen, ticket.RoleRepairLead).must(t, http.StatusOK, "POST", "/desks/north/followups/claim", map[string]any{"n": 1, "lease": "10m"}).decode(t, &claimed)
	if len(claimed.Tasks) != 1 {
		t.Fatalf("claimed %d", len(claimed.Tasks))
	}
	bg := context.Background()
	// The lease runner (the library's runner.ExpireLeases) releases
	// only what expired.
	leaseCtx, stopLeases := context.WithCancel(bg)
	waitLeases := startRunners(t, f.srv, leaseCtx, RunnerConfig{Leases: 5 * time.Millisecond})
	time.Sleep(50 * time.Millisecond) // several rounds
	if got, _ := f.srv.tasks.Get(bg, "north", claimed.Tasks[0].ID); got.Status != followup.Claimed {
		t.Errorf("a live lease was released: %s", got.Status)
	}
	f.clock.Advance(11 * time.Minute)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		got, _ := f.srv.tasks.Get(bg, "north", claimed.Tasks[0].ID)
		if got.Status != followup.Claimed {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("an expired lease stayed for 10 s: %s %+v", got.Status, got.Lease)
		}
	}
	stopLeases()
	waitLeases()

	late := f.newRepair(t, "north")
	f.clock.Advance(10 * time.Minute) // past the three-minute dispatch (T5)
	for range 2 {
		if err := f.srv.escalateOverdue(bg); err != nil {
			t.Fatal(err)
		}
	}
	var h historyResponse
	agent.must(t, http.StatusOK, "GET", ticketPath("north", late.ID, "history"), nil).decode(t, &h)
	n := 0
	for _, e := range h.Events {
		if e.Action == ticket.ActEscalate {
			n++
			if e.Actor != escalator.ID {
				t.Errorf("escalated by %s", e.Actor)
			}
		}
	}
	if n != 1 {
		t.Errorf("T6: overdue ticket escalated %d times by two rounds, want once", n)
	}
}

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }

// TestWebhookRunner: the webhook runner delivers every ticket event,
// signed, to a receiver that verifies it with the library's Verifier.
func TestWebhookRunner(t *testing.T) {
	f := newFixture(t)
	secret := webhook.NewSecret()
	v, err := webhook.NewVerifier(webhook.VerifierConfig{Secrets: []string{secret}})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	got := map[string]bool{}
	recv := httptest.NewServer(v.Handler(func(_ context.Context, d webhook.Delivery) error {
		mu.Lock()
		defer mu.Unlock()
		got[d.ID] = true
		return nil
	}))
	defer recv.Close()
	tk := f.newRepair(t, "north")
	f.as(li, ticket.RoleAgent).must(t, http.StatusOK, "POST", ticketPath("north", tk.ID, "dispatch"), map[string]any{"department": "engineering"})
	ctx, cancel := context.WithCancel(context.Background())
	wait := startRunners(t, f.srv, ctx, RunnerConfig{Webhook: WebhookConfig{URL: recv.URL, Secrets: []string{secret}, Every: 10 * time.Millisecond}})
	defer func() { cancel(); wait() }()
	var h historyResponse
	f.as(li, ticket.RoleAgent).must(t, http.StatusOK, "GET", ticketPath("north", tk.ID, "history"), nil).decode(t, &h)
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		n := 0
		for _, e := range h.Events {
			if got[e.ID.String()] {
				n++
			}
		}
		mu.Unlock()
		if n == len(h.Events) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d events delivered in 10 s", n, len(h.Events))
		}
		time.Sleep(10 * time.Millisecond)
	}
}
