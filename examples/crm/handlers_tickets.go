package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

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
	}
	if in.Complaint != nil {
		intake.Complaint = &ticket.ComplaintInfo{Class: in.Complaint.Class, Severity: ticket.Severity(in.Complaint.Severity)}
	}
	if c := in.Customer; c != nil {
		intake.Customer = &ticket.Customer{ID: c.ID, Name: c.Name, Phone: c.Phone, Address: c.Address, Grade: c.Grade}
	}
	t, err := d.tickets.Receive(r.Context(), by, intake)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.log.Info("ticket received", "desk", d.name, "ticket", t) // LogValuer: no personal data (S1)
	s.afterWrite(r.Context(), d)
	w.Header().Set("Location", fmt.Sprintf("/desks/%s/tickets/%s", d.name, t.ID))
	writeJSON(w, http.StatusCreated, t)
}

// get answers one ticket of the desk; another desk's is 404.
func (s *server) get(w http.ResponseWriter, r *http.Request, d *desk, _ ticket.Actor) {
	id, err := parseID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := d.tickets.Get(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, t)
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
	evs, err := d.tickets.History(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, historyResponse{Ticket: id.String(), Events: evs})
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
//	?state=received,dispatched&kind=repair&owner=li&assignee=&customer=
//	&incomplete=true&order=number|number_desc|updated&after=CURSOR&limit=50
//
// state and kind may be repeated or comma separated; unknown values are
// 400 rather than an empty page.
func (s *server) list(w http.ResponseWriter, r *http.Request, d *desk, _ ticket.Actor) {
	f, order, err := s.filterOf(r, d)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	limit := f.Limit
	f.Limit = limit + 1 // one more tells whether a next page exists
	ts, err := d.tickets.List(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	resp := listResponse{Tickets: ts}
	if len(ts) > limit {
		resp.Tickets = ts[:limit]
		resp.Next = encodeCursor(order, ts[limit-1].Cursor(f.Order))
	}
	if resp.Tickets == nil {
		resp.Tickets = []*ticket.Ticket{}
	}
	writeJSON(w, http.StatusOK, resp)
}

func (s *server) filterOf(r *http.Request, d *desk) (ticket.Filter, string, error) {
	var f ticket.Filter
	q, err := queryOf(r)
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
	f.Limit = 50
	if raw := q.Get("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > s.cfg.MaxPage {
			return f, "", badRequest("limit", fmt.Sprintf("limit %q must be a whole number from 1 to %d", raw, s.cfg.MaxPage))
		}
		f.Limit = n
	}
	return f, order, nil
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

// overdue answers the desk's tickets past a deadline (T4, T5, T7a, T7b,
// T13) or stagnating (T10), one entry per deadline.
func (s *server) overdue(w http.ResponseWriter, r *http.Request, d *desk, _ ticket.Actor) {
	od, err := d.tickets.Overdue(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]overdueItem, 0, len(od))
	for _, o := range od {
		out = append(out, overdueItem{Ticket: o.Ticket, Deadline: string(o.Deadline), Rule: o.Rule,
			Due: o.Due, By: o.By.Round(time.Second).String(), BySeconds: int64(o.By / time.Second)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"overdue": out})
}
