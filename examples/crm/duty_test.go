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
