package main

import (
	"net/http"
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
	list, err := s.roster.OnDuty(r.Context(), d.name, at)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	resp := dutyResponse{At: at.In(s.cfg.Location), OnDuty: make([]dutyOut, 0, len(list)),
		RosterFrom: d.rosterFrom, RosterUntil: d.rosterUntil,
		OutsideRoster: at.Before(d.rosterFrom) || !at.Before(d.rosterUntil)}
	for _, o := range list {
		out := dutyOut{Agent: o.Agent, Shift: o.Shift, Where: placeName(o.Where),
			Start: o.Start.In(s.cfg.Location), End: o.End.In(s.cfg.Location), ForwardTo: o.ForwardTo}
		if o.Duty != 0 {
			out.Duty = o.Duty.String()
		}
		resp.OnDuty = append(resp.OnDuty, out)
	}
	resp.First, _ = list.First()
	writeJSON(w, http.StatusOK, resp)
}
