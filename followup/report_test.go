package followup_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/ticket"
)

func reportTask(n int, rule, cites, cat string, kind ticket.Kind, status followup.Status, due, closed time.Time, by ticket.Role, score int, signed bool) *followup.Task {
	t := &followup.Task{
		ID: uuid.NewSHA1(uuid.NameSpaceOID, []byte(fmt.Sprint(n))), Desk: "d1", Rule: rule, Cites: cites,
		Category: cat, TicketKind: kind, Subject: fmt.Sprint("c", n), Status: status, Due: due, ClosedAt: closed,
		Attempts: 1, Revisit: true, Synced: true, Channel: followup.Phone,
	}
	if status.Final() {
		t.Outcome = &followup.Outcome{By: ticket.Actor{ID: "x", Role: by}, Satisfaction: score, Channel: followup.Phone, At: closed}
		if signed {
			t.Outcome.Channel, t.Outcome.SignedBy = followup.OnSite, "sig"
		}
	}
	return t
}

func TestReport(t *testing.T) {
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, shanghai)
	to := time.Date(2026, 4, 1, 0, 0, 0, 0, shanghai)
	d := func(day int) time.Time { return time.Date(2026, 3, day, 12, 0, 0, 0, shanghai) }
	tasks := []*followup.Task{
		// Repairs (F2): 4 due, 3 reached (one late), 1 unreachable.
		reportTask(1, "F2.leak", "F2", followup.Leak, ticket.Repair, followup.Done, d(5), d(4), ticket.RoleRepairLead, 5, true),
		reportTask(2, "F2.leak", "F2", followup.Leak, ticket.Repair, followup.Problem, d(6), d(7), ticket.RoleAdministrator, 2, true),
		reportTask(3, "F2.safety", "F2", followup.Safety, ticket.Repair, followup.Done, d(8), d(8), ticket.RoleDirector, 4, true),
		reportTask(4, "F2.safety", "F2", followup.Safety, ticket.Repair, followup.Unreachable, d(9), d(9), ticket.RoleRepairLead, 0, false),
		// Complaints (F6): 2 due, both reached on time, one signed on site.
		reportTask(5, "F6.minor", "F6", followup.SeverityMinor, ticket.Complaint, followup.Done, d(10), d(9), ticket.RoleAgent, 3, false),
		reportTask(6, "F6.major", "F6", followup.SeverityMajor, ticket.Complaint, followup.Done, d(11), d(11), ticket.RoleShiftLead, 4, true),
		// Cancelled and open tasks.
		reportTask(7, "F1.open", "F1", "", ticket.Inquiry, followup.Cancelled, d(12), d(11), ticket.RoleAgent, 0, false),
		reportTask(8, "F1.open", "F1", "", ticket.Inquiry, followup.Pending, d(20), time.Time{}, "", 0, false),
	}
	var due, ended []*followup.Task
	for _, task := range tasks {
		if !task.Due.Before(from) && task.Due.Before(to) {
			due = append(due, task)
		}
		if !task.ClosedAt.IsZero() && !task.ClosedAt.Before(from) && task.ClosedAt.Before(to) {
			ended = append(ended, task)
		}
	}
	r := followup.BuildReport("d1", from, to, due, ended, followup.ReportOptions{Complaints: 20})
	check := func(name string, got, want any) {
		t.Helper()
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	t.Run("K1_revisit_and_on_time_rates", func(t *testing.T) {
		check("due", r.Due, 7)                   // the cancelled one is left out
		check("revisit", r.Revisit, "5/7 71.4%") // done or problem
		check("on time", r.OnTime, "4/7 57.1%")  // task 2 was late
		check("complaint feedback on time", r.ComplaintOnTime, "2/2 100.0%")
	})
	t.Run("F12_effective_contact_rate", func(t *testing.T) {
		check("contact", r.Contact, "5/6 83.3%")
		check("met", r.ContactMet, true)
		r2 := followup.BuildReport("d1", from, to, due, ended, followup.ReportOptions{Targets: followup.Targets{Contact: 0.9}})
		check("met at 90%", r2.ContactMet, false)
	})
	t.Run("K4_satisfaction_by_category", func(t *testing.T) {
		check("scored", r.Scored, 5)
		check("mean", fmt.Sprintf("%.2f", r.Satisfaction), "3.60")
		var leak followup.Line
		for _, l := range r.ByCategory {
			if l.Key == followup.Leak {
				leak = l
			}
		}
		check("leak line", fmt.Sprintf("%d %d %d %.1f", leak.Due, leak.Reached, leak.Problems, leak.Satisfaction), "2 1 1 3.5")
	})
	t.Run("F10_unreachable_list", func(t *testing.T) {
		if len(r.Unreachable) != 1 || r.Unreachable[0].Subject != "c4" {
			t.Errorf("unreachable %+v", r.Unreachable)
		}
	})
	t.Run("F3_check_in_report", func(t *testing.T) {
		check("repairs", r.F3.Repairs, 4)
		check("revisited", r.F3.Revisited, 3)
		check("met", r.F3.Met, false) // one repair was never reached
	})
	t.Run("F5_check_in_report", func(t *testing.T) {
		if r.F5 == nil {
			t.Fatal("no F5 check with a complaint count")
		}
		check("F5", fmt.Sprint(r.F5.Revisits, r.F5.OnSiteSigned, r.F5.Met), "2 1 true")
		r2 := followup.BuildReport("d1", from, to, due, ended, followup.ReportOptions{Complaints: 30})
		check("F5 with 30 complaints", r2.F5.Met, false)
		r3 := followup.BuildReport("d1", from, to, due, ended, followup.ReportOptions{})
		if r3.F5 != nil {
			t.Error("F5 judged without the complaint count")
		}
	})
	t.Run("F11_K3_monthly_report_text_and_json", func(t *testing.T) {
		var text bytes.Buffer
		if err := r.Text(&text); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"revisit rate (K1)", "5/7 71.4%", "F2.leak", "unreachable (F10)", "c4", "F3 repairs 4"} {
			if !strings.Contains(text.String(), want) {
				t.Errorf("text report lacks %q:\n%s", want, text.String())
			}
		}
		var js bytes.Buffer
		if err := r.JSON(&js); err != nil {
			t.Fatal(err)
		}
		var back followup.Report
		if err := json.Unmarshal(js.Bytes(), &back); err != nil {
			t.Fatal(err)
		}
		if back.Revisit != r.Revisit || len(back.ByRule) != len(r.ByRule) || back.F3.Repairs != 4 {
			t.Errorf("JSON round trip lost data: %+v", back)
		}
	})
}
