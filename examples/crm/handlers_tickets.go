package main

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/ticket"
)

// intakeRequest is the body of POST /desks/{desk}/tickets (T2). Missing
// intake fields do not refuse the request: it is recorded as incomplete
// with the fields named (T2, T14).
type intakeRequest struct {
	Kind       string            `json:"kind"`
	Category   string            `json:"category"`
	Channel    string            `json:"channel"`
	Fields     map[string]string `json:"fields"`
	Complaint  *complaintIn      `json:"complaint"`
	Unattended bool              `json:"unattended"` // T19: nobody received it
	Note       string            `json:"note"`
	Customer   *customerIn       `json:"customer"`
	Attrs      map[string]string `json:"attrs"`
	// Subject and description are the request in the customer's words
	// (personal under Policy.PersonalText, S1); priority is one of the
	// desk's (Policy.Priorities); tags are free labels.
	Subject     string   `json:"subject"`
	Description string   `json:"description"`
	Priority    string   `json:"priority"`
	Tags        []string `json:"tags"`
}

type complaintIn struct {
	Class    string `json:"class"`
	Severity string `json:"severity"`
}

type customerIn struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Phone   string `json:"phone"`
	Address string `json:"address"`
	Grade   string `json:"grade"`
}

// receive records a new request (T2): 201 with the ticket, whose owner
// is the acting agent (T1) unless it arrived unattended (T19).
func (s *server) receive(w http.ResponseWriter, r *http.Request, d *desk, by ticket.Actor) {
	var in intakeRequest
	if err := s.decodeJSON(w, r, &in, false); err != nil {
		s.fail(w, r, err)
		return
	}
	intake := ticket.Intake{
		Kind: ticket.Kind(in.Kind), Category: in.Category, Channel: ticket.Channel(in.Channel),
		Fields: in.Fields, Unattended: in.Unattended, Note: in.Note, Attrs: in.Attrs,
		Subject: in.Subject, Description: in.Description, Priority: ticket.Priority(in.Priority), Tags: in.Tags,
	}
	if in.Complaint != nil {
		intake.Complaint = &ticket.ComplaintInfo{Class: in.Complaint.Class, Severity: ticket.Severity(in.Complaint.Severity)}
	}
	if c := in.Customer; c != nil {
		intake.Customer = &ticket.Customer{ID: c.ID, Name: c.Name, Phone: c.Phone, Address: c.Address, Grade: c.Grade}
	}
	var t *ticket.Ticket
	var err error
	if s.intake != nil {
		t, err = s.intake.receive(r.Context(), d.tickets, by, intake)
	} else {
		t, err = d.tickets.Receive(r.Context(), by, intake)
	}
	if err != nil {
		s.failNamed(w, r, err, intakeFields)
		return
	}
	s.log.Info("ticket received", "desk", d.name, "ticket", t) // LogValuer: no personal data (S1)
	s.afterWrite(r.Context(), d)
	w.Header().Set("Location", fmt.Sprintf("/desks/%s/tickets/%s", d.name, t.ID))
	writeJSON(w, http.StatusCreated, s.readable(principalOf(r), d.policy, t))
}

// intakeFields translates the ticket package's names of intake inputs
// to the intake body's JSON fields; an entry of fields or attrs is named
// by the map (see failNamed), a customer's or a complaint's text by its
// object.
var intakeFields = map[string]string{
	"field": "fields", "attribute": "attrs", "tag": "tags", "customer": "customer", "complaint": "complaint",
}

// get answers one ticket of the desk; another desk's is 404.
func (s *server) get(w http.ResponseWriter, r *http.Request, d *desk, _ ticket.Actor) {
	id, err := parseID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := s.readTicket(r, d, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.readable(principalOf(r), d.policy, t))
}

// readTicket reads a ticket the caller may read. One they may not is
// 404 with the very answer of a ticket that does not exist (or is
// another desk's), so that the answer tells nothing of it.
func (s *server) readTicket(r *http.Request, d *desk, id uuid.UUID) (*ticket.Ticket, error) {
	t, err := d.tickets.Get(r.Context(), id)
	if errors.Is(err, ticket.ErrNotFound) || (err == nil && !mayRead(principalOf(r), t)) {
		return nil, &apiError{Status: http.StatusNotFound, Msg: fmt.Sprintf("ticket %s not found", id)}
	}
	if err != nil {
		return nil, err
	}
	return t, nil
}

// historyResponse is the append-only history of a ticket (T14).
type historyResponse struct {
	Ticket string         `json:"ticket"`
	Events []ticket.Event `json:"events"`
}

func (s *server) history(w http.ResponseWriter, r *http.Request, d *desk, _ ticket.Actor) {
	id, err := parseID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := s.readTicket(r, d, id); err != nil {
		s.fail(w, r, err)
		return
	}
	evs, err := d.tickets.History(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, historyResponse{Ticket: id.String(), Events: s.readableEvents(principalOf(r), d.policy, evs)})
}

// listResponse is one page of tickets. Next is the cursor of the next
// page ("" when this is the last): pass it as ?after= with the same
// order.
type listResponse struct {
	Tickets []*ticket.Ticket `json:"tickets"`
	Next    string           `json:"next,omitempty"`
}

// pageCursor is what the opaque ?after= string holds: the order it was
// made for and the library's cursor, as base64url of JSON.
type pageCursor struct {
	Order string `json:"o"`
	ticket.Cursor
}

// orders maps the ?order= values to the library's orders.
var orders = map[string]ticket.Order{
	"number":      ticket.ByNumber,
	"number_desc": ticket.ByNumberDesc,
	"updated":     ticket.ByUpdated,
}

func encodeCursor(order string, c *ticket.Cursor) string {
	b, _ := json.Marshal(pageCursor{Order: order, Cursor: *c}) // plain struct: cannot fail
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(order, raw string) (*ticket.Cursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil || len(raw) > 512 {
		return nil, badRequest("after", "after is not a cursor from a previous page's next")
	}
	var pc pageCursor
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&pc); err != nil || pc.Number < 0 {
		return nil, badRequest("after", "after is not a cursor from a previous page's next")
	}
	if pc.Order != order {
		return nil, badRequest("after", fmt.Sprintf("the cursor was made for order %q, not %q", pc.Order, order))
	}
	return &pc.Cursor, nil
}

// list answers a page of the desk's tickets:
//
//	?state=received,dispatched&kind=repair&priority=high,urgent&tag=vip
//	&owner=li&assignee=&customer=&incomplete=true
//	&order=number|number_desc|updated&after=CURSOR&limit=50
//
// state, kind, priority and tag may be repeated or comma separated;
// unknown states, kinds and priorities are 400 rather than an empty
// page. A ticket matches any of the priorities given and every tag.
func (s *server) list(w http.ResponseWriter, r *http.Request, d *desk, _ ticket.Actor) {
	f, order, err := s.filterOf(r, d)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := principalOf(r)
	ts, next, err := s.listReadable(r, d, p, f)
	if err != nil {
		s.failNamed(w, r, err, listFields)
		return
	}
	resp := listResponse{Tickets: make([]*ticket.Ticket, 0, len(ts))}
	for _, t := range ts {
		resp.Tickets = append(resp.Tickets, s.readable(p, d.policy, t))
	}
	if next != nil {
		resp.Next = encodeCursor(order, next)
	}
	writeJSON(w, http.StatusOK, resp)
}

// listReadable returns up to f.Limit tickets matching f that the caller
// may read, and the cursor of the last one when more follow. Each is a
// store query of f.Limit+1 (one more tells whether a next page exists):
// one for most roles; for a department's staff, who read what is
// dispatched to their department, assigned to them or received by them
// (mayRead), one with ticket.Filter.Department, one with Assignee and
// one with Owner, merged in the list order.
func (s *server) listReadable(r *http.Request, d *desk, p Principal, f ticket.Filter) ([]*ticket.Ticket, *ticket.Cursor, error) {
	limit := f.Limit
	f.Limit = limit + 1
	filters := []ticket.Filter{f}
	if p.Actor.Role == ticket.RoleDepartment {
		filters = filters[:0]
		if p.Department != "" {
			byDept := f
			byDept.Department = p.Department
			filters = append(filters, byDept)
		}
		if f.Assignee == "" || f.Assignee == p.Actor.ID {
			mine := f
			mine.Assignee = p.Actor.ID
			filters = append(filters, mine)
		}
		if f.Owner == "" || f.Owner == p.Actor.ID {
			owned := f
			owned.Owner = p.Actor.ID
			filters = append(filters, owned)
		}
	}
	var out []*ticket.Ticket
	seen := map[uuid.UUID]bool{}
	for _, lf := range filters {
		ts, err := d.tickets.List(r.Context(), lf)
		if err != nil {
			return nil, nil, err
		}
		for _, t := range ts {
			if !seen[t.ID] && mayRead(p, t) {
				seen[t.ID] = true
				out = append(out, t)
			}
		}
	}
	if len(filters) > 1 {
		// Each list holds its first Limit+1 after the cursor, so the
		// first Limit+1 of the merged order are among them.
		slices.SortStableFunc(out, func(a, b *ticket.Ticket) int {
			switch {
			case a.Cursor(f.Order).Beyond(f.Order, b):
				return -1
			case b.Cursor(f.Order).Beyond(f.Order, a):
				return 1
			}
			return 0
		})
	}
	if len(out) > limit {
		return out[:limit], out[limit-1].Cursor(f.Order), nil
	}
	return out, nil, nil
}

func (s *server) filterOf(r *http.Request, d *desk) (ticket.Filter, string, error) {
	var f ticket.Filter
	q, err := queryOf(r, "state", "kind", "priority", "tag")
	if err != nil {
		return f, "", err
	}
	for _, v := range listValues(q["state"]) {
		st := ticket.State(v)
		if !slices.Contains(ticket.States(), st) {
			return f, "", badRequest("state", fmt.Sprintf("unknown state %q", v))
		}
		f.States = append(f.States, st)
	}
	for _, v := range listValues(q["kind"]) {
		k := ticket.Kind(v)
		if _, ok := d.policy.Kinds[k]; !ok {
			return f, "", badRequest("kind", fmt.Sprintf("unknown kind %q on desk %s", v, d.name))
		}
		f.Kinds = append(f.Kinds, k)
	}
	for _, v := range listValues(q["priority"]) {
		pr := ticket.Priority(v)
		if _, ok := d.policy.Rank(pr); !ok {
			return f, "", badRequest("priority", fmt.Sprintf("unknown priority %q on desk %s; one of %v", v, d.name, d.policy.PriorityOrder()))
		}
		f.Priorities = append(f.Priorities, pr)
	}
	f.Tags = listValues(q["tag"])
	f.Owner, f.Assignee, f.Customer = q.Get("owner"), q.Get("assignee"), q.Get("customer")
	if f.Incomplete, err = parseBool("incomplete", q.Get("incomplete")); err != nil {
		return f, "", err
	}
	order := q.Get("order")
	if order == "" {
		order = "number"
	}
	o, ok := orders[order]
	if !ok {
		return f, "", badRequest("order", fmt.Sprintf("unknown order %q; one of number, number_desc, updated", order))
	}
	f.Order = o
	if raw := q.Get("after"); raw != "" {
		if f.After, err = decodeCursor(order, raw); err != nil {
			return f, "", err
		}
	}
	if f.Limit, err = s.limitOf(q); err != nil {
		return f, "", err
	}
	return f, order, nil
}

// listFields translates the ticket package's names of filter inputs to
// the query parameters of the ticket list.
var listFields = map[string]string{
	"filter owner": "owner", "filter assignee": "assignee", "filter customer": "customer",
	"filter tag": "tag", "filter state": "state", "filter kind": "kind", "filter priority": "priority",
}

// listValues splits repeated and comma-separated query values.
func listValues(vs []string) []string {
	var out []string
	for _, v := range vs {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// overdueItem is one ticket past one deadline, or stagnating (T10).
type overdueItem struct {
	Ticket    *ticket.Ticket `json:"ticket"`
	Deadline  string         `json:"deadline"`
	Rule      string         `json:"rule"`
	Due       time.Time      `json:"due"`
	By        string         `json:"by"`
	BySeconds int64          `json:"by_seconds"`
}

// overdueResponse is one page of overdue entries, earliest due first.
type overdueResponse struct {
	Overdue []overdueItem `json:"overdue"`
	Next    string        `json:"next,omitempty"`
}

// overdue answers the desk's tickets past a deadline (T4, T5, T7a, T7b,
// T13) or stagnating (T10), one entry per deadline, most overdue first
// (ticket.Service.Overdue's order) and paged like the ticket list: ?limit= (default 50) and ?after= the
// previous page's next. A department's staff see the tickets they may read.
func (s *server) overdue(w http.ResponseWriter, r *http.Request, d *desk, _ ticket.Actor) {
	q, err := queryOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	limit, err := s.limitOf(q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var after *ticket.OverdueCursor
	if raw := q.Get("after"); raw != "" {
		after = new(ticket.OverdueCursor)
		if err := decodeOpaque(raw, after); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	p := principalOf(r)
	resp := overdueResponse{Overdue: []overdueItem{}}
	// The service's pages, most overdue first; this page ends between
	// two tickets' runs of entries, so its next starts at a ticket. A
	// department's staff read only some tickets (mayRead): their page
	// reads on in pages of MaxPage, as their follow-up list does, not
	// a query per ticket of other departments, and ends after MaxPage
	// entries or more, short or empty, with a next cursor after the last
	// entry read.
	read := limit
	if !readsAll(p) {
		read = max(limit, s.cfg.MaxPage)
	}
	var last *ticket.OverdueCursor
	scanned := 0
pages:
	for {
		page, err := d.tickets.Overdue(r.Context(), ticket.OverdueQuery{After: after, Limit: read})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if len(page) == 0 {
			break
		}
		for i := 0; i < len(page); {
			j := i + 1
			for j < len(page) && page[j].Ticket.ID == page[i].Ticket.ID &&
				(page[j].Deadline == ticket.DeadlineStagnant) == (page[i].Deadline == ticket.DeadlineStagnant) {
				j++
			}
			var items []overdueItem
			if mayRead(p, page[i].Ticket) {
				for _, o := range page[i:j] {
					items = append(items, overdueItem{Ticket: s.readable(p, d.policy, o.Ticket), Deadline: string(o.Deadline), Rule: o.Rule,
						Due: o.Due, By: o.By.Round(time.Second).String(), BySeconds: int64(o.By / time.Second)})
				}
			}
			if len(items) > 0 && len(resp.Overdue) > 0 && len(resp.Overdue)+len(items) > limit {
				resp.Next = encodeOpaque(last)
				break pages
			}
			resp.Overdue = append(resp.Overdue, items...)
			after = page[j-1].Cursor()
			if len(items) > 0 {
				last = after
			}
			i = j
		}
		if scanned += len(page); !readsAll(p) && scanned >= s.cfg.MaxPage {
			resp.Next = encodeOpaque(after)
			break
		}
	}
	writeJSON(w, http.StatusOK, resp)
}

// limitOf reads ?limit=: 50 by default, at most MaxPage.
func (s *server) limitOf(q url.Values) (int, error) {
	raw := q.Get("limit")
	if raw == "" {
		return 50, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > s.cfg.MaxPage {
		return 0, badRequest("limit", fmt.Sprintf("limit %q must be a whole number from 1 to %d", raw, s.cfg.MaxPage))
	}
	return n, nil
}

// encodeOpaque and decodeOpaque make the ?after= cursors of the overdue
// and follow-up lists: base64url of JSON, refused when not one of ours.
func encodeOpaque(v any) string {
	b, _ := json.Marshal(v) // plain structs of times, UUIDs and strings
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeOpaque(raw string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil || len(raw) > 512 {
		return badRequest("after", "after is not a cursor from a previous page's next")
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return badRequest("after", "after is not a cursor from a previous page's next")
	}
	return nil
}
