package followup_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/ticket"
)

func planOne(t *testing.T, rules followup.RuleSet, cal followup.Calendar, tr followup.Trigger, rule string) *followup.Task {
	t.Helper()
	d, err := followup.NewDeriver(followup.NewMemStore(), followup.DeriverConfig{Desk: "d1", Rules: rules, Calendar: cal, Now: func() time.Time { return tr.At }})
	if err != nil {
		t.Fatal(err)
	}
	ts, err := d.Plan(tr)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range ts {
		if x.Rule == rule {
			return x
		}
	}
	t.Fatalf("trigger %s derived no task of rule %s (got %d tasks)", tr.Kind, rule, len(ts))
	return nil
}

// TestPresetWindows checks every preset rule's window against the
// numbers of RULES.md, with calendar-correct months.
func TestPresetWindows(t *testing.T) {
	at := time.Date(2026, 1, 31, 11, 0, 0, 0, shanghai) // a Saturday, 11:00
	day := func(d int) time.Time { return at.AddDate(0, 0, d) }
	feb28 := time.Date(2026, 2, 28, 11, 0, 0, 0, shanghai)
	cases := []struct {
		name      string
		rules     followup.RuleSet
		tr        followup.Trigger
		rule      string
		from, due time.Time
		channel   followup.Channel
	}{
		{"F1_open_case_within_48h", followup.PropertyRules(1), followup.Trigger{Kind: followup.CaseOpen, TicketKind: ticket.Inquiry}, "F1.open", at.Add(24 * time.Hour), at.Add(48 * time.Hour), followup.Phone},
		{"F2_safety_two_days", followup.PropertyRules(1), followup.Trigger{Kind: followup.TicketResolved, TicketKind: ticket.Repair, Category: followup.Safety}, "F2.safety", at, day(2), followup.OnSite},
		{"F2_leak_three_days", followup.PropertyRules(1), followup.Trigger{Kind: followup.TicketResolved, TicketKind: ticket.Repair, Category: followup.Leak}, "F2.leak", at, day(3), followup.OnSite},
		{"F2_general_seven_days", followup.PropertyRules(1), followup.Trigger{Kind: followup.TicketResolved, TicketKind: ticket.Repair, Category: followup.General}, "F2.general", at, day(7), followup.OnSite},
		{"F2_uncategorised_is_general", followup.PropertyRules(1), followup.Trigger{Kind: followup.TicketResolved, TicketKind: ticket.Repair}, "F2.general", at, day(7), followup.OnSite},
		{"F6_major_one_day", followup.PropertyRules(1), followup.Trigger{Kind: followup.ComplaintClosed, TicketKind: ticket.Complaint, Category: followup.SeverityMajor, RevisitRequired: true}, "F6.major", at, day(1), ""},
		{"F6_normal_three_days", followup.PropertyRules(1), followup.Trigger{Kind: followup.ComplaintClosed, TicketKind: ticket.Complaint, Category: followup.SeverityNormal, RevisitRequired: true}, "F6.normal", at, day(3), ""},
		{"F6_minor_seven_days", followup.PropertyRules(1), followup.Trigger{Kind: followup.ComplaintClosed, TicketKind: ticket.Complaint, Category: followup.SeverityMinor, RevisitRequired: true}, "F6.minor", at, day(7), ""},
		{"F6_unknown_severity_three_days", followup.PropertyRules(1), followup.Trigger{Kind: followup.ComplaintClosed, TicketKind: ticket.Complaint, RevisitRequired: true}, "F6.other", at, day(3), ""},
		{"F6_dealer_complaint", followup.DealerRules(1), followup.Trigger{Kind: followup.ComplaintClosed, TicketKind: ticket.Complaint, RevisitRequired: true}, "F6.complaint", at, day(3), ""},
		{"F7_at_once_after_service", followup.PropertyRules(1), followup.Trigger{Kind: followup.ServiceEnded}, "F7.service", at, at, followup.Phone},
		{"F7_at_once_after_answer", followup.PropertyRules(1), followup.Trigger{Kind: followup.TicketAnswered, TicketKind: ticket.Inquiry}, "F7.answered", at, at, followup.Phone},
		{"F8_new_resident_within_a_month_clamped", followup.PropertyRules(1), followup.Trigger{Kind: followup.MoveIn}, "F8.move_in", at, feb28, followup.OnSite},
		{"F13_fee_reminder_three_days_ahead", followup.PropertyRules(1), followup.Trigger{Kind: followup.FeeDue}, "F13.fee", day(-3), at, followup.Phone},
		{"F13_holiday_care", followup.PropertyRules(1), followup.Trigger{Kind: followup.Holiday}, "F13.holiday", day(-2), at, followup.Phone},
		{"F13_birthday_on_the_day", followup.PropertyRules(1), followup.Trigger{Kind: followup.Birthday}, "F13.birthday", at, at.Add(12 * time.Hour), followup.Phone},
		{"F13_regular_care_call", followup.PropertyRules(1), followup.Trigger{Kind: followup.CareCall}, "F13.care", at, day(3), followup.Phone},
		{"F9_enquiry_within_24h", followup.DealerRules(1), followup.Trigger{Kind: followup.Enquiry}, "F9.enquiry", at, at.Add(24 * time.Hour), followup.Phone},
		{"F9_delivery_seven_days", followup.DealerRules(1), followup.Trigger{Kind: followup.VehicleDelivery}, "F9.delivery_7d", day(7), day(8), followup.Phone},
		{"F9_delivery_one_month_clamped", followup.DealerRules(1), followup.Trigger{Kind: followup.VehicleDelivery}, "F9.delivery_1m", feb28, feb28.AddDate(0, 0, 3), followup.Phone},
		{"F9_service_three_to_five_days", followup.DealerRules(1), followup.Trigger{Kind: followup.ServiceVisit}, "F9.service", day(3), day(5), followup.Phone},
		{"F9_repair_quality_revisit", followup.DealerRules(1), followup.Trigger{Kind: followup.TicketResolved, TicketKind: ticket.Repair}, "F9.repair", day(3), day(5), followup.Phone},
		{"F9_lost_sale", followup.DealerRules(1), followup.Trigger{Kind: followup.LostSale}, "F9.lost_sale", at, day(7), followup.Phone},
		{"F9_renewal_ahead", followup.DealerRules(1), followup.Trigger{Kind: followup.RenewalDate}, "F9.renewal", day(-30), day(-23), followup.Phone},
		{"F9_inspection_ahead", followup.DealerRules(1), followup.Trigger{Kind: followup.InspectionDate}, "F9.inspection", day(-14), day(-7), followup.Phone},
		{"F9_maintenance_ahead", followup.DealerRules(1), followup.Trigger{Kind: followup.MaintenanceDate}, "F9.maintenance", day(-7), day(-3), followup.Phone},
		{"F13_invitation_ahead", followup.DealerRules(1), followup.Trigger{Kind: followup.Invitation}, "F13.invitation", day(-7), day(-2), followup.Phone},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tr := c.tr
			tr.Desk, tr.Key, tr.At, tr.Subject = "d1", "k:"+c.name, at, "customer-1"
			task := planOne(t, c.rules, followup.AnyTime{}, tr, c.rule)
			if !task.NotBefore.Equal(c.from) || !task.Due.Equal(c.due) {
				t.Errorf("window %s .. %s, want %s .. %s", task.NotBefore, task.Due, c.from, c.due)
			}
			if c.channel != "" && task.Channel != c.channel { // F6 channels follow F5 sampling
				t.Errorf("channel %s, want %s", task.Channel, c.channel)
			}
			if task.Role == "" {
				t.Error("no responsible role")
			}
		})
	}
}

func TestPresetContents(t *testing.T) {
	at := time.Date(2026, 3, 2, 11, 0, 0, 0, shanghai)
	repair := followup.Trigger{Kind: followup.TicketResolved, TicketKind: ticket.Repair, Category: followup.Leak, Desk: "d1", Key: "r1", At: at}
	t.Run("F4_repair_revisit_checklist", func(t *testing.T) {
		task := planOne(t, followup.PropertyRules(1), followup.AnyTime{}, repair, "F2.leak")
		want := followup.RevisitChecklist()
		if len(task.Checklist) != len(want) {
			t.Fatalf("checklist %v, want %v", task.Checklist, want)
		}
		for i := range want {
			if task.Checklist[i] != want[i] {
				t.Errorf("checklist item %d = %s, want %s", i, task.Checklist[i], want[i])
			}
		}
	})
	t.Run("F3_roles_assigned_from_the_quota", func(t *testing.T) {
		count := map[ticket.Role]int{}
		rules := followup.PropertyRules(5)
		q := followup.F3Quota(5)
		for i := range 600 {
			tr := repair
			tr.Key = "r" + string(rune('a'+i%26)) + time.Duration(i).String()
			task := planOne(t, rules, followup.AnyTime{}, tr, "F2.leak")
			if task.Role != q.Assign(tr.Key) {
				t.Fatalf("task role %s, quota assigns %s", task.Role, q.Assign(tr.Key))
			}
			count[task.Role]++
		}
		if len(count) != 3 || count[ticket.RoleRepairLead] < count[ticket.RoleAdministrator] || count[ticket.RoleAdministrator] < count[ticket.RoleDirector] {
			t.Errorf("roles over 600 repairs: %v", count)
		}
	})
	t.Run("F5_on_site_revisits_need_a_signature", func(t *testing.T) {
		onSite, phone := 0, 0
		for i := range 200 {
			tr := followup.Trigger{Kind: followup.ComplaintClosed, TicketKind: ticket.Complaint, Category: followup.SeverityMajor,
				RevisitRequired: true, Desk: "d1", Key: fmt.Sprint("c", i), At: at}
			task := planOne(t, followup.PropertyRules(1), followup.AnyTime{}, tr, "F6.major")
			signs := slices.Contains(task.Checklist, followup.CheckSignature)
			switch task.Channel {
			case followup.OnSite:
				onSite++
				if !signs {
					t.Fatalf("on-site complaint revisit %s without a signature", tr.Key)
				}
			case followup.Phone:
				phone++
				if signs {
					t.Fatalf("phone revisit %s asks for a signature", tr.Key)
				}
			}
			if task.Channel == followup.OnSite != followup.F5Sampling(1).OnSiteFor(tr.Key) {
				t.Fatalf("channel of %s does not follow the sampling", tr.Key)
			}
		}
		if onSite == 0 || phone == 0 {
			t.Errorf("200 major complaints: %d on site, %d by phone", onSite, phone)
		}
	})
	t.Run("F9_seven_day_call_grades_the_customer", func(t *testing.T) {
		tr := followup.Trigger{Kind: followup.VehicleDelivery, Desk: "d1", Key: "vin1", At: at}
		if task := planOne(t, followup.DealerRules(1), followup.AnyTime{}, tr, "F9.delivery_7d"); !task.Grade {
			t.Error("the 7-day call does not ask for the customer's grade")
		}
		if task := planOne(t, followup.DealerRules(1), followup.AnyTime{}, tr, "F9.delivery_1m"); task.Grade {
			t.Error("the one-month call asks for a grade")
		}
	})
	t.Run("presets_do_not_mix", func(t *testing.T) {
		for _, r := range followup.PropertyRules(1).Rules {
			if r.Cites == "F9" {
				t.Errorf("property preset has dealer rule %s", r.ID)
			}
		}
		for _, r := range followup.DealerRules(1).Rules {
			if r.Cites == "F2" || r.Cites == "F8" || r.Cites == "F1" {
				t.Errorf("dealer preset has property rule %s", r.ID)
			}
		}
		for _, s := range []followup.RuleSet{followup.PropertyRules(1), followup.DealerRules(1)} {
			if err := s.Validate(); err != nil {
				t.Errorf("preset %s: %v", s.Name, err)
			}
		}
	})
}

// TestRuleSetChanges: desks change, add and switch off rules without
// touching library code.
func TestRuleSetChanges(t *testing.T) {
	at := time.Date(2026, 3, 2, 11, 0, 0, 0, shanghai)
	leak := followup.Trigger{Kind: followup.TicketResolved, TicketKind: ticket.Repair, Category: followup.Leak, Desk: "d1", Key: "r1", At: at}
	rules := followup.PropertyRules(1)
	r, ok := rules.Rule("F2.leak")
	if !ok {
		t.Fatal("no F2.leak")
	}
	r.To = followup.Days(1)
	rules.Set(r)
	if task := planOne(t, rules, followup.AnyTime{}, leak, "F2.leak"); !task.Due.Equal(at.AddDate(0, 0, 1)) {
		t.Errorf("changed F2.leak due %s, want one day", task.Due)
	}
	if orig := planOne(t, followup.PropertyRules(1), followup.AnyTime{}, leak, "F2.leak"); !orig.Due.Equal(at.AddDate(0, 0, 3)) {
		t.Error("changing a copy changed the preset")
	}
	rules.Set(followup.Rule{ID: "X.water_meter", Cites: "F13", Trigger: "meter_reading", To: followup.Days(2), Channel: followup.Phone, Role: ticket.RoleAdministrator})
	if task := planOne(t, rules, followup.AnyTime{}, followup.Trigger{Kind: "meter_reading", Desk: "d1", Key: "m1", At: at}, "X.water_meter"); task.Cites != "F13" {
		t.Errorf("added rule task %+v", task)
	}
	if !rules.SwitchOff("F2.leak") || rules.SwitchOff("no such rule") {
		t.Fatal("SwitchOff reports wrongly")
	}
	plan := func() []string {
		d, _ := followup.NewDeriver(followup.NewMemStore(), followup.DeriverConfig{Desk: "d1", Rules: rules, Calendar: followup.AnyTime{}})
		ts, _ := d.Plan(leak)
		var out []string
		for _, task := range ts {
			if task.Cites == "F2" {
				out = append(out, task.Rule)
			}
		}
		return out
	}
	// With the leak rule off, a leak is one of the "other repairs".
	if got := plan(); len(got) != 1 || got[0] != "F2.general" {
		t.Errorf("leak with F2.leak off derives %v, want [F2.general]", got)
	}
	rules.SwitchOff("F2.general")
	if got := plan(); len(got) != 0 {
		t.Errorf("leak with both F2 rules off derives %v", got)
	}
}

func TestRuleValidate(t *testing.T) {
	ok := followup.Rule{ID: "r", Trigger: followup.MoveIn, Channel: followup.Phone, Role: ticket.RoleAgent, To: followup.Days(1)}
	cases := map[string]func(r *followup.Rule){
		"no_id":            func(r *followup.Rule) { r.ID = "" },
		"slash_in_id":      func(r *followup.Rule) { r.ID = "a/b" },
		"no_trigger":       func(r *followup.Rule) { r.Trigger = "" },
		"bad_channel":      func(r *followup.Rule) { r.Channel = "fax" },
		"no_role":          func(r *followup.Rule) { r.Role = "" },
		"due_before_start": func(r *followup.Rule) { r.From = followup.Days(3) },
		"month_vs_days":    func(r *followup.Rule) { r.From = followup.Months(1); r.To = followup.Days(29) },
		"negative_retry":   func(r *followup.Rule) { r.RetryAfter = -time.Hour },
		"bad_sample":       func(r *followup.Rule) { r.Sample = &followup.Sampling{Share: 1.5} },
		"bad_quota": func(r *followup.Rule) {
			r.Roles = &followup.Quota{Shares: []followup.Share{{ticket.RoleAgent, 0.7}, {ticket.RoleQA, 0.7}}}
		},
		"repeated_check": func(r *followup.Rule) {
			r.Checklist = []followup.CheckItem{followup.CheckInspect, followup.CheckInspect}
		},
		"huge_offset": func(r *followup.Rule) { r.To = followup.Months(1_000_000) },
	}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid rule refused: %v", err)
	}
	for name, mut := range cases {
		t.Run(name, func(t *testing.T) {
			r := ok
			mut(&r)
			if err := r.Validate(); !errors.Is(err, followup.ErrInvalid) {
				t.Errorf("Validate: %v, want ErrInvalid", err)
			}
			if _, err := followup.NewDeriver(followup.NewMemStore(), followup.DeriverConfig{Desk: "d", Rules: followup.RuleSet{Rules: []followup.Rule{r}}, Location: time.UTC}); !errors.Is(err, followup.ErrInvalid) {
				t.Errorf("NewDeriver: %v, want ErrInvalid", err)
			}
		})
	}
	dup := followup.RuleSet{Rules: []followup.Rule{ok, ok}}
	if err := dup.Validate(); !errors.Is(err, followup.ErrInvalid) {
		t.Errorf("duplicate rule IDs: %v", err)
	}
}

// TestDeriveIdempotent: the same trigger twice, or by many derivers at
// once, yields one task per rule.
func TestDeriveIdempotent(t *testing.T) {
	ctx := context.Background()
	store := followup.NewMemStore()
	at := time.Date(2026, 3, 2, 11, 0, 0, 0, shanghai)
	tr := followup.Trigger{Kind: followup.VehicleDelivery, Desk: "d1", Key: "delivery:VIN1", Subject: "cust-1", At: at}
	const derivers = 8
	errs := make(chan error, derivers)
	start := make(chan struct{})
	for range derivers {
		d, err := followup.NewDeriver(store, followup.DeriverConfig{Desk: "d1", Rules: followup.DealerRules(1), Calendar: hours})
		if err != nil {
			t.Fatal(err)
		}
		go func() {
			<-start
			for range 20 {
				if _, err := d.Derive(ctx, tr); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	close(start)
	for range derivers {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	ts, _ := store.List(ctx, "d1", followup.Filter{})
	if len(ts) != 2 {
		t.Fatalf("%d tasks from one delivery derived 160 times, want 2 (7 days, one month)", len(ts))
	}
	for _, task := range ts {
		if task.ID != followup.TaskID("d1", tr.Key, task.Rule) {
			t.Errorf("task %s of %s does not carry the ID of its trigger and rule", task.ID, task.Rule)
		}
	}
	if followup.TaskID("d1", "k", "a") == followup.TaskID("d1", "k", "b") || followup.TaskID("d1", "k", "a") == followup.TaskID("d2", "k", "a") {
		t.Error("task IDs collide across rules or desks")
	}
}

func TestTriggerInvalid(t *testing.T) {
	d, _ := followup.NewDeriver(followup.NewMemStore(), followup.DeriverConfig{Desk: "d1", Rules: followup.DealerRules(1), Location: time.UTC})
	at := time.Date(2026, 3, 2, 11, 0, 0, 0, shanghai)
	for name, tr := range map[string]followup.Trigger{
		"no_key":     {Kind: followup.Enquiry, At: at},
		"no_kind":    {Key: "k", At: at},
		"no_time":    {Kind: followup.Enquiry, Key: "k"},
		"other_desk": {Kind: followup.Enquiry, Key: "k", At: at, Desk: "d2"},
	} {
		if _, err := d.Derive(context.Background(), tr); !errors.Is(err, followup.ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
}
