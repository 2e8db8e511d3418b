package main

import (
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/ticket"
)

// TestDuty asks who is on duty over HTTP against the generated seed
// rotation: the a/b/c shifts of R2, on site and from home, nobody in
// the 22:00–24:00 gap the seed's own plan leaves (R1, R2), and the
// roster's period reported.
func TestDuty(t *testing.T) {
	f := newFixture(t)
	agent := f.as(li, ticket.RoleAgent)
	ask := func(at string) dutyResponse {
		t.Helper()
		path := "/desks/north/duty"
		if at != "" {
			path += "?at=" + url.QueryEscape(at)
		}
		var d dutyResponse
		agent.must(t, http.StatusOK, "GET", path, nil).decode(t, &d)
		return d
	}
	shifts := func(d dutyResponse) []string {
		var out []string
		for _, o := range d.OnDuty {
			out = append(out, o.Shift+"/"+o.Where)
		}
		return out
	}
	for _, c := range []struct {
		name, at string
		want     []string
	}{
		{"R2_a_shift_morning", "2026-03-02T10:00:00+08:00", []string{"a/on_site"}},
		{"R2_a_and_b_overlap", "2026-03-03T13:00:00+08:00", []string{"a/on_site", "b/on_site"}},
		{"R2_c_from_home", "2026-03-04T21:00:00+08:00", []string{"c/remote"}},
		{"R2_gap_22_to_24", "2026-03-04T23:00:00+08:00", nil},
		{"R1_before_service_hours", "2026-03-05T08:00:00+08:00", nil},
		{"utc_input", "2026-03-02T02:00:00Z", []string{"a/on_site"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := ask(c.at)
			if got := shifts(d); !slices.Equal(got, c.want) {
				t.Fatalf("on duty %v, want %v", got, c.want)
			}
			if len(c.want) == 0 {
				if d.First != "" {
					t.Errorf("T19: nobody on duty, yet first is %q", d.First)
				}
				return
			}
			if d.First != d.OnDuty[0].Agent || !slices.Contains(f.srv.cfg.Agents, d.First) {
				t.Errorf("first %q is not the first rostered agent on duty %+v", d.First, d.OnDuty)
			}
			at, _ := time.Parse(time.RFC3339, c.at)
			for _, o := range d.OnDuty {
				if o.Start.After(at) || !o.End.After(at) {
					t.Errorf("%s's shift %s–%s does not contain %s", o.Agent, o.Start, o.End, at)
				}
			}
			if d.OutsideRoster {
				t.Error("inside the cycle, reported outside the roster")
			}
		})
	}
	t.Run("default_now", func(t *testing.T) {
		d := ask("")
		if !d.At.Equal(f.clock.Now()) || !slices.Equal(shifts(d), []string{"a/on_site"}) {
			t.Errorf("at %v on duty %v; want the clock's now, shift a", d.At, shifts(d))
		}
	})
	t.Run("outside_the_generated_cycle", func(t *testing.T) {
		d := ask("2026-06-01T10:00:00+08:00")
		if !d.OutsideRoster || len(d.OnDuty) != 0 {
			t.Errorf("outside %v on duty %v", d.OutsideRoster, d.OnDuty)
		}
		if want := time.Date(2026, 3, 23, 0, 0, 0, 0, shanghai); !d.RosterUntil.Equal(want) {
			t.Errorf("R3: one three-week cycle ends %v, want %v", d.RosterUntil, want)
		}
	})
	t.Run("tenancy", func(t *testing.T) {
		agent.must(t, http.StatusNotFound, "GET", "/desks/west/duty", nil)
	})
}

// TestPresenceAndLeave: an agent who goes offline (R5) or is on leave
// is left out of the duty answer; only leads grant leave or mark
// someone else.
func TestPresenceAndLeave(t *testing.T) {
	f := newFixture(t)
	now := func() dutyResponse {
		var d dutyResponse
		f.as(zhou, ticket.RoleShiftLead).must(t, http.StatusOK, "GET", "/desks/north/duty", nil).decode(t, &d)
		return d
	}
	on := now().First
	if on == "" {
		t.Fatal("nobody on shift a at 10:00")
	}
	self := f.as(on, ticket.RoleAgent)
	self.must(t, http.StatusOK, "POST", "/desks/north/presence", map[string]any{"online": false, "note": "network down"})
	if d := now(); len(d.OnDuty) != 0 {
		t.Errorf("R5: %s is offline, yet on duty: %+v", on, d.OnDuty)
	}
	f.clock.Advance(10 * time.Minute)
	self.must(t, http.StatusOK, "POST", "/desks/north/presence", map[string]any{"online": true})
	if d := now(); d.First != on {
		t.Errorf("back online, first on duty is %q, want %q", d.First, on)
	}
	// South's roster is its own.
	var south dutyResponse
	f.as(zhou, ticket.RoleShiftLead).must(t, http.StatusOK, "GET", "/desks/south/duty", nil).decode(t, &south)
	if len(south.OnDuty) != 1 {
		t.Errorf("north's presence changed south: %+v", south.OnDuty)
	}

	lead := f.as(zhou, ticket.RoleShiftLead)
	from, until := f.clock.Now().Add(-time.Hour), f.clock.Now().Add(8*time.Hour)
	leave := map[string]any{"agent": on, "from": from.Format(time.RFC3339), "until": until.Format(time.RFC3339), "note": "sick"}
	self.must(t, http.StatusForbidden, "POST", "/desks/north/leave", leave)
	lead.must(t, http.StatusCreated, "POST", "/desks/north/leave", leave)
	if d := now(); len(d.OnDuty) != 0 {
		t.Errorf("%s is on leave, yet on duty: %+v", on, d.OnDuty)
	}

	for _, c := range []struct {
		name   string
		who    as
		path   string
		body   any
		status int
		field  string
	}{
		{"online_missing", self, "/desks/north/presence", map[string]any{}, 400, "online"},
		{"offline_for_another", self, "/desks/north/presence", map[string]any{"agent": "someone", "online": false}, 403, "agent"},
		{"online_when_not_offline", self, "/desks/north/presence", map[string]any{"online": true}, 404, ""},
		{"leave_without_agent", lead, "/desks/north/leave", map[string]any{"from": from.Format(time.RFC3339), "until": until.Format(time.RFC3339)}, 400, "agent"},
		{"leave_bad_from", lead, "/desks/north/leave", map[string]any{"agent": "x", "from": "monday", "until": until.Format(time.RFC3339)}, 400, "from"},
		{"leave_backwards", lead, "/desks/north/leave", map[string]any{"agent": "x", "from": until.Format(time.RFC3339), "until": from.Format(time.RFC3339)}, 400, "until"},
		{"leave_without_times", lead, "/desks/north/leave", map[string]any{"agent": "x"}, 400, "from"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := c.who.must(t, c.status, "POST", c.path, c.body).err(t)
			if e.Field != c.field {
				t.Errorf("field %q, want %q", e.Field, c.field)
			}
		})
	}
}

// TestCoverage: R1 asks for 09:00–24:00 every day; the seed's a/b/c
// plan (R2) ends at 22:00, and the coverage answer reports that
// two-hour gap on every day rather than hiding it.
func TestCoverage(t *testing.T) {
	f := newFixture(t)
	lead := f.as(zhou, ticket.RoleShiftLead)
	var c coverageResponse
	lead.must(t, http.StatusOK, "GET", "/desks/north/coverage?from=2026-03-02&days=7", nil).decode(t, &c)
	if c.Covered || len(c.Gaps) != 7 || c.UncoveredMinutes != 7*120 {
		t.Fatalf("R1/R2: covered %v, %d gaps, %d minutes: %+v", c.Covered, len(c.Gaps), c.UncoveredMinutes, c.Gaps)
	}
	for i, g := range c.Gaps {
		day := time.Date(2026, 3, 2+i, 0, 0, 0, 0, shanghai)
		if !g.Start.Equal(day.Add(22*time.Hour)) || !g.End.Equal(day.Add(24*time.Hour)) || g.Minutes != 120 {
			t.Errorf("R2_gap_22_to_24 on %s: %+v", day.Format(time.DateOnly), g)
		}
	}
	for _, bad := range []struct{ query, field string }{
		{"from=March", "from"}, {"days=0", "days"}, {"days=1000", "days"}, {"days=x", "days"},
	} {
		if e := lead.must(t, http.StatusBadRequest, "GET", "/desks/north/coverage?"+bad.query, nil).err(t); e.Field != bad.field {
			t.Errorf("%s: field %q", bad.query, e.Field)
		}
	}
}
