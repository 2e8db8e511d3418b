package main

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/ticket"
)

// badCase is one request that must be refused with a 4xx JSON answer
// naming the problem.
type badCase struct {
	name        string
	actor, role string // "" sends no header
	method      string
	path        string
	body        any
	status      int
	field       string   // the field the answer must name, if any
	missing     []string // the fields a 422 must list
}

// badCases builds the table over a fixture holding, on desk north, a
// received repair, an incomplete one and a claimed follow-up, and a
// repair on desk south.
func badCases(t *testing.T, f *fixture) []badCase {
	t.Helper()
	agent := f.as(li, ticket.RoleAgent)
	rcv := f.newRepair(t, "north")
	incomplete := ticketOf(t, agent.must(t, http.StatusCreated, "POST", "/desks/north/tickets",
		map[string]any{"kind": "repair", "channel": "online", "fields": map[string]string{"person": "张先生"}}))
	other := f.newRepair(t, "south")

	// A claimed revisit, for the follow-up errors.
	fix := f.newRepair(t, "north")
	p := func(a string) string { return ticketPath("north", fix.ID, a) }
	agent.must(t, http.StatusOK, "POST", p("dispatch"), map[string]any{"department": "engineering"})
	f.as(zhao, ticket.RoleDepartment).must(t, http.StatusOK, "POST", p("resolve"), map[string]any{"summary": "fixed"})
	var claimed taskList
	f.derive(t)
	agent.must(t, http.StatusOK, "POST", "/desks/north/followups/claim", map[string]any{"n": 10}).decode(t, &claimed)
	if len(claimed.Tasks) == 0 {
		t.Fatal("fixture: no follow-up to claim")
	}
	task := "/desks/north/followups/" + claimed.Tasks[0].ID.String() + "/complete"
	token := claimed.Tasks[0].Token

	tp := func(id uuid.UUID, rest string) string { return ticketPath("north", id, rest) }
	cursor := encodeCursor("number_desc", &ticket.Cursor{Number: 3})
	A, R := li, string(ticket.RoleAgent)
	return []badCase{
		// Routing.
		{"unknown desk", A, R, "GET", "/desks/west/tickets", nil, 404, "desk", nil},
		{"unknown path", A, R, "GET", "/nowhere", nil, 404, "", nil},
		{"method not allowed", A, R, "PUT", "/desks/north/tickets", "{}", 405, "", nil},
		{"unknown action", A, R, "POST", tp(rcv.ID, "teleport"), nil, 404, "action", nil},

		// Actor headers.
		{"no X-Actor", "", R, "GET", "/desks/north/tickets", nil, 400, headerActor, nil},
		{"no X-Role", A, "", "GET", "/desks/north/tickets", nil, 400, headerRole, nil},
		{"unknown role", A, "boss", "GET", "/desks/north/tickets", nil, 400, headerRole, nil},
		{"actor too long", strings.Repeat("x", 129), R, "GET", "/desks/north/tickets", nil, 400, headerActor, nil},

		// Bodies.
		{"malformed JSON", A, R, "POST", "/desks/north/tickets", `{"kind":`, 400, "body", nil},
		{"syntax error", A, R, "POST", "/desks/north/tickets", `{"kind" "repair"}`, 400, "body", nil},
		{"not an object", A, R, "POST", "/desks/north/tickets", `[1,2]`, 400, "body", nil},
		{"unknown field", A, R, "POST", "/desks/north/tickets", `{"kind":"repair","channel":"phone","colour":"red"}`, 400, "colour", nil},
		{"wrong type", A, R, "POST", tp(rcv.ID, "dispatch"), `{"version":"one","department":"x"}`, 400, "version", nil},
		{"trailing data", A, R, "POST", tp(rcv.ID, "answer"), `{} {}`, 400, "body", nil},
		{"empty intake", A, R, "POST", "/desks/north/tickets", "", 400, "body", nil},
		{"body too large", A, R, "POST", "/desks/north/tickets", `{"note":"` + strings.Repeat("a", 70<<10) + `"}`, 413, "", nil},
		{"action body too large", A, R, "POST", tp(rcv.ID, "resolve"), `{"summary":"` + strings.Repeat("a", 70<<10) + `"}`, 413, "", nil},

		// IDs and times.
		{"bad UUID", A, R, "GET", "/desks/north/tickets/not-a-uuid", nil, 400, "id", nil},
		{"bad UUID in action", A, R, "POST", "/desks/north/tickets/1234/dispatch", `{}`, 400, "id", nil},
		{"bad due time", A, R, "POST", tp(rcv.ID, "dispatch"), map[string]any{"department": "x", "due": "tomorrow"}, 400, "due", nil},
		{"bad appointment", A, R, "POST", tp(rcv.ID, "dispatch"), map[string]any{"department": "x", "appointment": "2026-13-01"}, 400, "appointment", nil},
		{"bad reply_by", A, R, "POST", tp(rcv.ID, "promise"), map[string]any{"reply_by": "soon"}, 400, "reply_by", nil},
		{"no reply_by", A, R, "POST", tp(rcv.ID, "promise"), map[string]any{}, 400, "reply_by", nil},
		{"bad duty time", A, R, "GET", "/desks/north/duty?at=10am", nil, 400, "at", nil},

		// ticket sentinels.
		{"T14 not found", A, R, "GET", tp(uuid.New(), ""), nil, 404, "", nil},
		{"not found history", A, R, "GET", tp(uuid.New(), "history"), nil, 404, "", nil},
		{"not found action", A, R, "POST", tp(uuid.New(), "answer"), nil, 404, "", nil},
		{"tenancy get", A, R, "GET", tp(other.ID, ""), nil, 404, "", nil},
		{"tenancy history", A, R, "GET", tp(other.ID, "history"), nil, 404, "", nil},
		{"tenancy action", A, R, "POST", tp(other.ID, "dispatch"), map[string]any{"department": "x"}, 404, "", nil},
		{"version conflict", A, R, "POST", tp(rcv.ID, "dispatch"), map[string]any{"version": rcv.Version + 5, "department": "x"}, 409, "", nil},
		{"negative version", A, R, "POST", tp(rcv.ID, "dispatch"), map[string]any{"version": -1, "department": "x"}, 400, "version", nil},
		{"T8 invalid transition", A, R, "POST", tp(rcv.ID, "accept"), nil, 409, "", nil},
		{"T9 invalid transition", A, R, "POST", tp(rcv.ID, "resolve"), map[string]any{"summary": "x"}, 409, "", nil},
		{"forbidden role", "qa-sun", string(ticket.RoleQA), "POST", tp(rcv.ID, "dispatch"), map[string]any{"department": "x"}, 403, "", nil},
		{"forbidden cancel", "qa-sun", string(ticket.RoleQA), "POST", tp(rcv.ID, "cancel"), map[string]any{"reason": "withdrawn", "note": "customer withdrew"}, 403, "", nil},
		{"T4 department acts on a ticket not its own", zhao, string(ticket.RoleDepartment), "POST", tp(rcv.ID, "cancel"), map[string]any{"reason": "withdrawn", "note": "customer withdrew"}, 404, "", nil},
		{"T19 take owned", A, R, "POST", tp(rcv.ID, "take"), nil, 403, "", nil},
		{"T2 incomplete dispatch", A, R, "POST", tp(incomplete.ID, "dispatch"), map[string]any{"department": "x"}, 422, "", []string{"location", "item"}},
		{"unknown kind", A, R, "POST", "/desks/north/tickets", map[string]any{"kind": "miracle", "channel": "phone"}, 400, "kind", nil},
		{"kind given twice", A, R, "POST", "/desks/north/tickets", `{"kind":"repair","channel":"phone","kind":"inquiry"}`, 400, "kind", nil},
		{"nested name given twice", A, R, "POST", "/desks/north/tickets", `{"kind":"repair","channel":"phone","fields":{"item":"tap","item":"pipe"}}`, 400, "item", nil},
		{"version given twice", A, R, "POST", tp(rcv.ID, "dispatch"), `{"version":99,"department":"x","version":0}`, 400, "version", nil},
		// encoding/json matches names ignoring case; the document does not.
		{"KIND for kind", A, R, "POST", "/desks/north/tickets", `{"KIND":"repair","channel":"phone"}`, 400, "KIND", nil},
		{"kind and Kind", A, R, "POST", "/desks/north/tickets", `{"kind":"repair","channel":"phone","Kind":"inquiry"}`, 400, "Kind", nil},
		{"nested Name", A, R, "POST", "/desks/north/tickets", `{"kind":"repair","channel":"phone","customer":{"Name":"x"}}`, 400, "Name", nil},
		{"Version for version", A, R, "POST", tp(rcv.ID, "dispatch"), `{"Version":99,"department":"x"}`, 400, "Version", nil},
		{"null complaint", A, R, "POST", "/desks/north/tickets", `{"kind":"repair","channel":"phone","complaint":null}`, 400, "complaint", nil},
		{"null in a map", A, R, "POST", "/desks/north/tickets", `{"kind":"repair","channel":"phone","fields":{"item":null}}`, 400, "item", nil},
		{"null tag", A, R, "POST", tp(rcv.ID, "tag"), `{"add":[null]}`, 400, "add", nil},
		{"null body", A, R, "POST", tp(rcv.ID, "take"), `null`, 400, "body", nil},
		{"body not UTF-8", A, R, "POST", "/desks/north/tickets", "{\"kind\":\"repair\",\"channel\":\"phone\",\"note\":\"\xff\xfe\"}", 400, "body", nil},
		{"action body not UTF-8", A, R, "POST", tp(rcv.ID, "dispatch"), "{\"department\":\"eng\xc3\"}", 400, "body", nil},
		// A \u escape of half a UTF-16 surrogate pair is no character:
		// encoding/json stored U+FFFD in its place and answered 201.
		{"lone surrogate escape", A, R, "POST", "/desks/north/tickets", `{"kind":"repair","channel":"phone","note":"leak \ud800 here"}`, 400, "note", nil},
		{"lone surrogate in a field name", A, R, "POST", "/desks/north/tickets", `{"kind":"repair","channel":"phone","fields":{"\udc00":"x"}}`, 400, "fields", nil},
		{"lone surrogate in an action", A, R, "POST", tp(rcv.ID, "dispatch"), `{"department":"eng\ud83d"}`, 400, "department", nil},
		{"no kind", A, R, "POST", "/desks/north/tickets", map[string]any{"channel": "phone"}, 400, "kind", nil},
		{"unknown channel", A, R, "POST", "/desks/north/tickets", map[string]any{"kind": "repair", "channel": "pigeon"}, 400, "channel", nil},
		{"complaint info on repair", A, R, "POST", "/desks/north/tickets", map[string]any{"kind": "repair", "channel": "phone", "complaint": map[string]string{"class": "noise", "severity": "major"}}, 400, "complaint", nil},
		{"blank field name", A, R, "POST", "/desks/north/tickets", map[string]any{"kind": "repair", "channel": "phone", "fields": map[string]string{" ": "x"}}, 400, "fields", nil},
		{"dispatch to nobody", A, R, "POST", tp(rcv.ID, "dispatch"), map[string]any{}, 400, "assignment", nil},
		{"past due", A, R, "POST", tp(rcv.ID, "dispatch"), map[string]any{"department": "x", "due": "2020-01-01T00:00:00Z"}, 400, "due", nil},
		{"T9 no summary", A, R, "POST", tp(incomplete.ID, "resolve"), map[string]any{"on_spot": true}, 400, "summary", nil},
		{"T7b reply too far", A, R, "POST", tp(rcv.ID, "promise"), map[string]any{"reply_by": f.clock.Now().Add(72 * time.Hour).Format(time.RFC3339)}, 400, "reply_by", nil},
		{"T7b reply in the past", A, R, "POST", tp(rcv.ID, "promise"), map[string]any{"reply_by": "2020-01-01T00:00:00Z"}, 400, "reply_by", nil},
		{"T11 cancel reason", A, R, "POST", tp(rcv.ID, "cancel"), map[string]any{"reason": "bored"}, 400, "reason", nil},
		{"T6 negative level", A, R, "POST", tp(rcv.ID, "escalate"), map[string]any{"level": -2}, 400, "level", nil},
		{"T2 complete nothing", A, R, "POST", tp(rcv.ID, "complete"), map[string]any{}, 400, "fields", nil},

		// Lists.
		{"unknown state", A, R, "GET", "/desks/north/tickets?state=limbo", nil, 400, "state", nil},
		{"unknown kind filter", A, R, "GET", "/desks/north/tickets?kind=repair,miracle", nil, 400, "kind", nil},
		{"unknown order", A, R, "GET", "/desks/north/tickets?order=random", nil, 400, "order", nil},
		{"bad limit", A, R, "GET", "/desks/north/tickets?limit=0", nil, 400, "limit", nil},
		{"limit too big", A, R, "GET", "/desks/north/tickets?limit=100000", nil, 400, "limit", nil},
		{"bad incomplete", A, R, "GET", "/desks/north/tickets?incomplete=maybe", nil, 400, "incomplete", nil},
		{"malformed query", A, R, "GET", "/desks/north/tickets?after=%%%", nil, 400, "query", nil},
		{"garbage cursor", A, R, "GET", "/desks/north/tickets?after=***", nil, 400, "after", nil},
		{"malformed duty query", A, R, "GET", "/desks/north/duty?at=%zz", nil, 400, "query", nil},
		{"non-JSON cursor", A, R, "GET", "/desks/north/tickets?after=bm90IGpzb24", nil, 400, "after", nil},
		{"cursor of another order", A, R, "GET", "/desks/north/tickets?order=number&after=" + cursor, nil, 400, "after", nil},
		{"bad follow-up status", A, R, "GET", "/desks/north/followups?status=lost", nil, 400, "status", nil},
		{"bad follow-up ticket", A, R, "GET", "/desks/north/followups?ticket=x", nil, 400, "ticket", nil},
		// The library's refusals of a filter name the query parameter.
		{"owner with NUL", A, R, "GET", "/desks/north/tickets?owner=%00", nil, 400, "owner", nil},
		{"tag too long", A, R, "GET", "/desks/north/tickets?tag=" + strings.Repeat("t", 201), nil, 400, "tag", nil},
		{"follow-up owner not UTF-8", A, R, "GET", "/desks/north/followups?owner=%ff", nil, 400, "owner", nil},
		{"follow-up cursor in year 0", A, R, "GET", "/desks/north/followups?after=" + encodeOpaque(followupCursor{Due: time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)}), nil, 400, "after", nil},
		{"handover agent with NUL", A, R, "GET", "/desks/north/handover?agent=%00", nil, 400, "agent", nil},
		// A parameter of one value given twice: the service read the
		// first, a proxy in front may read the last (as with a JSON name
		// given twice). state, kind, priority, tag and status are lists.
		{"limit given twice", A, R, "GET", "/desks/north/tickets?limit=1&limit=500", nil, 400, "limit", nil},
		{"order given twice", A, R, "GET", "/desks/north/tickets?order=number&order=updated", nil, 400, "order", nil},
		{"owner given twice", A, R, "GET", "/desks/north/tickets?owner=li&owner=wang", nil, 400, "owner", nil},
		{"overdue after given twice", A, R, "GET", "/desks/north/overdue?after=e30&after=e30", nil, 400, "after", nil},
		{"follow-up ticket given twice", A, R, "GET", "/desks/north/followups?ticket=" + rcv.ID.String() + "&ticket=" + other.ID.String(), nil, 400, "ticket", nil},
		{"handover agent given twice", A, R, "GET", "/desks/north/handover?agent=li&agent=wang", nil, 400, "agent", nil},
		{"duty at given twice", A, R, "GET", "/desks/north/duty?at=2026-03-02T10:00:00Z&at=2026-03-02T23:00:00Z", nil, 400, "at", nil},
		{"coverage days given twice", A, R, "GET", "/desks/north/coverage?days=1&days=366", nil, 400, "days", nil},
		// The library's refusals of a body's input name the JSON field
		// sent, not the library's name (field "item", away.agent).
		{"intake field value with NUL", A, R, "POST", "/desks/north/tickets", map[string]any{"kind": "repair", "channel": "phone", "fields": map[string]string{"item": "tap\x00"}}, 400, "fields", nil},
		{"intake field name with NUL", A, R, "POST", "/desks/north/tickets", map[string]any{"kind": "repair", "channel": "phone", "fields": map[string]string{"it\x00em": "tap"}}, 400, "fields", nil},
		{"intake undeclared attribute", A, R, "POST", "/desks/north/tickets", map[string]any{"kind": "repair", "channel": "phone", "attrs": map[string]string{"floor": "3"}}, 400, "attrs", nil},
		{"intake tag with NUL", A, R, "POST", "/desks/north/tickets", map[string]any{"kind": "repair", "channel": "phone", "tags": []string{"v\x00ip"}}, 400, "tags", nil},
		{"intake complaint class with NUL", A, R, "POST", "/desks/north/tickets", map[string]any{"kind": "complaint", "channel": "phone", "complaint": map[string]string{"class": "no\x00ise", "severity": "major"}}, 400, "complaint", nil},
		{"intake customer phone with NUL", A, R, "POST", "/desks/north/tickets", map[string]any{"kind": "repair", "channel": "phone", "customer": map[string]string{"id": "c1", "phone": "138\x00"}}, 400, "customer", nil},
		{"complete a field with NUL", A, R, "POST", tp(incomplete.ID, "complete"), map[string]any{"fields": map[string]string{"item": "tap\x00"}}, 400, "fields", nil},
		{"leave for an agent with NUL", zhou, string(ticket.RoleShiftLead), "POST", "/desks/north/leave", map[string]any{"agent": "wang\x00", "from": "2026-03-03T00:00:00Z", "until": "2026-03-04T00:00:00Z"}, 400, "agent", nil},
		{"leave note with NUL", zhou, string(ticket.RoleShiftLead), "POST", "/desks/north/leave", map[string]any{"agent": "wang", "note": "sick\x00", "from": "2026-03-03T00:00:00Z", "until": "2026-03-04T00:00:00Z"}, 400, "note", nil},
		{"leave without until", zhou, string(ticket.RoleShiftLead), "POST", "/desks/north/leave", map[string]any{"agent": "wang", "from": "2026-03-03T00:00:00Z"}, 400, "until", nil},
		{"presence note too long", A, R, "POST", "/desks/north/presence", map[string]any{"online": false, "note": strings.Repeat("n", 5000)}, 400, "note", nil},

		// followup sentinels.
		{"claim bad lease", A, R, "POST", "/desks/north/followups/claim", map[string]any{"lease": "forever"}, 400, "lease", nil},
		{"claim negative lease", A, R, "POST", "/desks/north/followups/claim", map[string]any{"lease": "-5m"}, 400, "lease", nil},
		{"claim lease too long", A, R, "POST", "/desks/north/followups/claim", map[string]any{"lease": "100h"}, 400, "lease", nil},
		{"claim negative n", A, R, "POST", "/desks/north/followups/claim", map[string]any{"n": -1}, 400, "n", nil},
		{"claim bad role", A, R, "POST", "/desks/north/followups/claim", map[string]any{"role": "wizard"}, 400, "role", nil},
		{"claim for another", A, R, "POST", "/desks/north/followups/claim", map[string]any{"worker": "wang"}, 403, "worker", nil},
		// The claim goes to the store without the queue's checks: a
		// worker PostgreSQL cannot hold was a 500 there.
		{"claim for a worker with NUL", zhou, string(ticket.RoleShiftLead), "POST", "/desks/north/followups/claim", map[string]any{"worker": "wang\x00"}, 400, "worker", nil},
		{"presence for an agent with a newline", zhou, string(ticket.RoleShiftLead), "POST", "/desks/north/presence", map[string]any{"agent": "wang\nli", "online": false}, 400, "agent", nil},
		{"X-Actor not UTF-8", "li\xff", R, "GET", "/desks/north/tickets", nil, 400, headerActor, nil},
		{"complete bad task ID", A, R, "POST", "/desks/north/followups/xyz/complete", map[string]any{"token": token, "result": "reached"}, 400, "id", nil},
		{"complete unknown task", A, R, "POST", "/desks/north/followups/" + uuid.NewString() + "/complete", map[string]any{"token": token, "result": "withdrawn", "note": "x"}, 404, "", nil},
		{"complete bad token", A, R, "POST", task, map[string]any{"token": "abc", "result": "reached"}, 400, "token", nil},
		{"complete wrong token", A, R, "POST", task, map[string]any{"token": uuid.NewString(), "result": "withdrawn", "note": "x"}, 409, "", nil},
		{"complete as another worker", "wang", R, "POST", task, map[string]any{"token": token, "result": "withdrawn", "note": "x"}, 409, "", nil},
		{"complete bad result", A, R, "POST", task, map[string]any{"token": token, "result": "meh"}, 400, "result", nil},
		{"complete bad channel", A, R, "POST", task, map[string]any{"token": token, "result": "reached", "channel": "fax"}, 400, "channel", nil},
		{"F4 checklist missing", A, R, "POST", task, map[string]any{"token": token, "result": "reached", "channel": "on_site"}, 400, "checked", nil},
		{"K4 satisfaction out of scale", A, R, "POST", task, map[string]any{"token": token, "result": "reached", "satisfaction": 9}, 400, "satisfaction", nil},
		{"T13 problem without note", A, R, "POST", task, map[string]any{"token": token, "result": "problem_found"}, 400, "note", nil},
		{"complete empty body", A, R, "POST", task, "", 400, "body", nil},
		{"tenancy follow-up", A, R, "POST", strings.Replace(task, "/north/", "/south/", 1), map[string]any{"token": token, "result": "withdrawn", "note": "x"}, 404, "", nil},

		// Lint.
		{"lint empty body", "", "", "POST", "/lint", "", 400, "body", nil},
		{"lint unknown field", "", "", "POST", "/lint", `{"text":"您好","lang":"zh"}`, 400, "lang", nil},
		{"lint wrong type", "", "", "POST", "/lint", `{"text":42}`, 400, "text", nil},
		{"lint too large", "", "", "POST", "/lint", fmt.Sprintf(`{"text":%q}`, strings.Repeat("不知道", 30<<10)), 413, "", nil},
	}
}

// TestErrorMapping sends every bad request of the table and checks the
// status, the JSON error body, the field it names and the missing
// fields it lists: ErrNotFound 404, ErrConflict and
// ErrInvalidTransition 409, ErrForbidden 403, ErrIncomplete 422,
// ErrInvalid 400, malformed input 400, oversized bodies 413. None of
// them may change a ticket.
func TestErrorMapping(t *testing.T) {
	f := newFixture(t)
	cases := badCases(t, f)
	before := snapshot(t, f)
	for _, c := range cases {
		t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
			a := as{h: f.srv, actor: c.actor, role: c.role}
			r := a.do(t, c.method, c.path, c.body)
			if r.Status != c.status {
				t.Fatalf("status %d, want %d: %s", r.Status, c.status, r.Body)
			}
			e := r.err(t)
			if e.Field != c.field {
				t.Errorf("field %q, want %q (%s)", e.Field, c.field, e.Error)
			}
			if !slices.Equal(e.Missing, c.missing) {
				t.Errorf("missing %v, want %v", e.Missing, c.missing)
			}
			if c.status == http.StatusMethodNotAllowed && r.Header.Get("Allow") == "" {
				t.Error("405 without an Allow header")
			}
		})
	}
	if after := snapshot(t, f); after != before {
		t.Errorf("refused requests changed the desks:\nbefore %s\nafter  %s", before, after)
	}
}

// snapshot is every ticket of both desks, as JSON.
func snapshot(t *testing.T, f *fixture) string {
	t.Helper()
	var b strings.Builder
	for _, d := range []string{"north", "south"} {
		r := f.as(zhou, ticket.RoleShiftLead).must(t, http.StatusOK, "GET", "/desks/"+d+"/tickets?limit=200", nil)
		b.Write(r.Body)
	}
	return b.String()
}

// TestTenancy: a ticket of desk north requested under desk south is
// 404 everywhere, exactly like a ticket that does not exist, and
// south's lists do not show it.
func TestTenancy(t *testing.T) {
	f := newFixture(t)
	north := f.newRepair(t, "north")
	agent := f.as(li, ticket.RoleAgent)
	missing := agent.must(t, http.StatusNotFound, "GET", ticketPath("south", uuid.New(), ""), nil).err(t)
	for _, c := range []struct{ method, rest string }{
		{"GET", ""}, {"GET", "history"}, {"POST", "dispatch"}, {"POST", "answer"}, {"POST", "cancel"},
	} {
		var body any
		switch c.rest {
		case "dispatch":
			body = map[string]any{"department": "x"}
		case "cancel":
			body = map[string]any{"reason": "withdrawn", "note": "customer withdrew"}
		}
		e := agent.must(t, http.StatusNotFound, c.method, ticketPath("south", north.ID, c.rest), body).err(t)
		// The same answer as for a ticket that does not exist, but for
		// the ID: the other desk's ticket is not revealed.
		if e.Field != missing.Field || !strings.Contains(e.Error, "not found") {
			t.Errorf("%s %s: %+v, unlike a missing ticket's %+v", c.method, c.rest, e, missing)
		}
	}
	var page listResponse
	agent.must(t, http.StatusOK, "GET", "/desks/south/tickets", nil).decode(t, &page)
	if len(page.Tickets) != 0 {
		t.Errorf("south lists north's ticket: %+v", page.Tickets)
	}
	// Desks number their cases independently.
	s := f.newRepair(t, "south")
	if s.Number != 1 || s.Desk != "south" {
		t.Errorf("south's first case: number %d desk %q", s.Number, s.Desk)
	}
	got := ticketOf(t, agent.must(t, http.StatusOK, "GET", ticketPath("north", north.ID, ""), nil))
	if got.Version != north.Version || got.State != ticket.Received {
		t.Errorf("north's ticket changed through south: %+v", got)
	}
}

// TestTypeErrorsSayWhatIsWanted: a JSON value of the wrong type is a
// 400 that says what the field takes; an integer field takes a whole
// number ("must be a JSON number, not number 1.5" said nothing).
func TestTypeErrorsSayWhatIsWanted(t *testing.T) {
	f := newFixture(t)
	a := f.as(li, ticket.RoleAgent)
	tk := f.newRepair(t, "north")
	for body, want := range map[string]string{
		`{"version":1.5,"department":"x"}`:   "version must be a whole number in range, not number 1.5",
		`{"version":1e400,"department":"x"}`: "version must be a whole number in range",
		`{"department":5}`:                   "department must be a JSON string, not number",
		`{"department":"x","written":"yes"}`: "written must be a JSON boolean, not string",
	} {
		r := a.must(t, http.StatusBadRequest, "POST", ticketPath("north", tk.ID, "dispatch"), body)
		if e := r.err(t); !strings.Contains(e.Error, want) {
			t.Errorf("%s: %q, want it to say %q", body, e.Error, want)
		}
	}
}

// TestSurrogatePairEscape: a \u escape of a whole surrogate pair is the
// character it encodes, stored as sent; only half a pair is refused
// (badCases).
func TestSurrogatePairEscape(t *testing.T) {
	f := newFixture(t)
	agent := f.as(li, ticket.RoleAgent)
	r := agent.must(t, http.StatusCreated, "POST", "/desks/north/tickets", `{"kind":"repair","channel":"phone","fields":{"item":"tap \ud83d\udca7"}}`)
	if got := ticketOf(t, r).Fields["item"]; got != "tap 💧" {
		t.Errorf("item %q, want %q", got, "tap 💧")
	}
}
