package main

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/servicedesk-go/desk/roster"
	"github.com/servicedesk-go/desk/ticket"
)

// dutyOut is one person working at the instant asked (R2, R5, R7).
type dutyOut struct {
	Agent     string    `json:"agent"`
	Shift     string    `json:"shift"`
	Where     string    `json:"where"` // on_site or remote (R2: c is from home)
	Start     time.Time `json:"start"`
	End       time.Time `json:"end"`
	Duty      string    `json:"duty,omitempty"`       // R7 duty cover kind
	ForwardTo string    `json:"forward_to,omitempty"` // R7 duty phone target
}

// dutyResponse answers who is on duty. First is the natural
// first-contact owner or assignee of a request arriving then (T1, T4);
// "" means nobody is on duty and a request stays unowned (T19).
type dutyResponse struct {
	At            time.Time `json:"at"`
	OnDuty        []dutyOut `json:"on_duty"`
	First         string    `json:"first,omitempty"`
	RosterFrom    time.Time `json:"roster_from"`
	RosterUntil   time.Time `json:"roster_until"`
	OutsideRoster bool      `json:"outside_roster,omitempty"`
}

func placeName(p roster.Place) string {
	if p == roster.Remote {
		return "remote"
	}
	return "on_site"
}

// duty answers GET /desks/{desk}/duty?at=RFC3339 (default now): who is
// working at that instant, on site first, leave and offline periods
// left out (R5).
func (s *server) duty(w http.ResponseWriter, r *http.Request, d *desk, _ ticket.Actor) {
	q, err := queryOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	at := s.now()
	if raw := q.Get("at"); raw != "" {
		t, err := parseTime("at", raw)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		at = t
	}
	list, err := d.roster.OnDuty(r.Context(), at)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	until := *d.rosterUntil.Load()
	resp := dutyResponse{At: at.In(s.cfg.Location), OnDuty: make([]dutyOut, 0, len(list)),
		RosterFrom: d.rosterFrom, RosterUntil: until,
		OutsideRoster: at.Before(d.rosterFrom) || !at.Before(until)}
	for _, o := range list {
		out := dutyOut{Agent: o.Agent, Shift: o.Shift, Where: placeName(o.Where),
			Start: o.Start.In(s.cfg.Location), End: o.End.In(s.cfg.Location), ForwardTo: o.ForwardTo}
		if o.Duty != 0 {
			out.Duty = o.Duty.String()
		}
		resp.OnDuty = append(resp.OnDuty, out)
	}
	resp.First, _ = list.FirstAgent()
	writeJSON(w, http.StatusOK, resp)
}

// presenceRequest marks an agent online or offline (R5: staff stay
// online all shift). Agent defaults to the actor; marking someone else
// is for shift leads and the director.
type presenceRequest struct {
	Agent  string `json:"agent"`
	Online *bool  `json:"online"`
	Note   string `json:"note"`
}

// presence answers POST /desks/{desk}/presence: going offline leaves the
// agent out of duty answers until they are marked online again.
func (s *server) presence(w http.ResponseWriter, r *http.Request, d *desk, by ticket.Actor) {
	var in presenceRequest
	if err := s.decodeJSON(w, r, &in, false); err != nil {
		s.fail(w, r, err)
		return
	}
	if in.Online == nil {
		s.fail(w, r, badRequest("online", "online is required: true or false"))
		return
	}
	agent, err := s.onBehalf(by, in.Agent, "agent")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if *in.Online {
		_, err = d.roster.MarkOnline(r.Context(), agent)
	} else {
		_, err = d.roster.MarkOffline(r.Context(), agent, in.Note)
	}
	if err != nil {
		s.failNamed(w, r, err, awayFields)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"agent": agent, "online": *in.Online})
}

// leaveRequest records leave (T15, R5). Only the desks' leads
// (LeadRoles) grant it.
type leaveRequest struct {
	Agent string `json:"agent"`
	From  string `json:"from"`
	Until string `json:"until"`
	Note  string `json:"note"`
}

// leave answers POST /desks/{desk}/leave: the agent is left out of
// duty answers in [from, until). Their open work is listed by GET
// .../handover?agent= for the handover before leave (T15).
func (s *server) leave(w http.ResponseWriter, r *http.Request, d *desk, by ticket.Actor) {
	var in leaveRequest
	if err := s.decodeJSON(w, r, &in, false); err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.leads[by.Role] {
		s.fail(w, r, &apiError{Status: http.StatusForbidden, Msg: fmt.Sprintf("%s may not grant leave; %s do", by, s.leadNames())})
		return
	}
	if in.Agent == "" {
		s.fail(w, r, badRequest("agent", "agent is required: who goes on leave"))
		return
	}
	from, err := parseTime("from", in.From)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	until, err := parseTime("until", in.Until)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if from.IsZero() {
		s.fail(w, r, badRequest("from", "from and until are required"))
		return
	}
	if until.IsZero() {
		s.fail(w, r, badRequest("until", "from and until are required"))
		return
	}
	if !until.After(from) {
		s.fail(w, r, badRequest("until", "until must be after from"))
		return
	}
	a, err := d.roster.GrantLeave(r.Context(), in.Agent, from, until, in.Note)
	if err != nil {
		s.failNamed(w, r, err, awayFields)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": a.ID, "agent": a.Agent, "from": a.From.In(s.cfg.Location), "until": a.Until.In(s.cfg.Location)})
}

// awayFields translates the roster package's names of leave and
// presence inputs to the bodies' JSON fields.
var awayFields = map[string]string{"away.agent": "agent", "away.note": "note", "away.from": "from", "away.until": "until"}

// onBehalf returns the agent an actor acts for: themselves, or anyone
// when the actor is one of the desks' leads (LeadRoles). field names the
// input in a refusal.
func (s *server) onBehalf(by ticket.Actor, agent, field string) (string, error) {
	if agent == "" || agent == by.ID {
		return by.ID, nil
	}
	if s.leads[by.Role] {
		if why := badName(agent); why != "" {
			return "", badRequest(field, field+" "+why)
		}
		return agent, nil
	}
	return "", &apiError{Status: http.StatusForbidden, Field: field,
		Msg: fmt.Sprintf("%s may act only for themselves; %s act for %s", by, s.leadNames(), agent)}
}

// leadNames lists the desks' lead roles for a refusal.
func (s *server) leadNames() string {
	names := make([]string, 0, len(s.leads))
	for r := range s.leads {
		names = append(names, string(r))
	}
	slices.Sort(names)
	return strings.Join(names, " and ")
}

// gapOut is an uncovered interval of required service time (R1).
type gapOut struct {
	Date    string    `json:"date"`
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
	Minutes int       `json:"minutes"`
}

// coverageResponse compares the required service hours with the roster
// as it stands (swaps, leave and presence included).
type coverageResponse struct {
	From             string   `json:"from"`
	Days             int      `json:"days"`
	Covered          bool     `json:"covered"`
	UncoveredMinutes int      `json:"uncovered_minutes"`
	Gaps             []gapOut `json:"gaps"`
}

// coverage answers GET /desks/{desk}/coverage?from=YYYY-MM-DD&days=7:
// every gap between R1's service hours (09:00–24:00 daily) and the
// people rostered. The seed's own a/b/c plan leaves 22:00–24:00 open
// every day, and the answer says so (R2).
func (s *server) coverage(w http.ResponseWriter, r *http.Request, d *desk, _ ticket.Actor) {
	q, err := queryOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	from := roster.DateOf(s.now(), s.cfg.Location)
	if raw := q.Get("from"); raw != "" {
		t, err := time.ParseInLocation(time.DateOnly, raw, s.cfg.Location)
		if err == nil && (t.UTC().Year() < minYear || t.UTC().Year() > maxYear) {
			s.fail(w, r, badRequest("from", fmt.Sprintf("from %q is outside the years %d to %d", raw, minYear, maxYear)))
			return
		}
		if err != nil {
			s.fail(w, r, badRequest("from", fmt.Sprintf("from %q is not a date such as 2026-03-02", raw)))
			return
		}
		from = roster.DateOf(t, s.cfg.Location)
	}
	days := 7
	if raw := q.Get("days"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > 366 {
			s.fail(w, r, badRequest("days", fmt.Sprintf("days %q must be a whole number from 1 to 366", raw)))
			return
		}
		days = n
	}
	rep, err := d.roster.Coverage(r.Context(), s.cfg.Location, roster.ServiceHoursOf(s.cfg.Calendar), from, days)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	resp := coverageResponse{From: from.String(), Days: days, Covered: rep.Covered(),
		UncoveredMinutes: int(rep.Uncovered() / time.Minute), Gaps: []gapOut{}}
	for _, g := range rep.Gaps() {
		resp.Gaps = append(resp.Gaps, gapOut{Date: g.Date.String(), Start: g.Start.In(s.cfg.Location),
			End: g.End.In(s.cfg.Location), Minutes: int(g.Length() / time.Minute)})
	}
	writeJSON(w, http.StatusOK, resp)
}
