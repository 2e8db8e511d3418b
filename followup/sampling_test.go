package followup_test

import (
	"fmt"
	"testing"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/ticket"
)

func keys(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("complaint-%d", i)
	}
	return out
}

func TestSampling(t *testing.T) {
	s := followup.F5Sampling(42)
	t.Run("F5_selection_share_and_reproducible", func(t *testing.T) {
		ks := keys(20000)
		sel, onsite := 0, 0
		for _, k := range ks {
			if s.Selected(k) {
				sel++
				if s.OnSiteFor(k) {
					onsite++
				}
			}
			if s.Selected(k) != followup.F5Sampling(42).Selected(k) {
				t.Fatalf("selection of %s is not reproducible", k)
			}
		}
		if share := float64(sel) / float64(len(ks)); share < 0.09 || share > 0.11 {
			t.Errorf("selected share %.3f, want about 0.10", share)
		}
		if share := float64(onsite) / float64(sel); share < 0.26 || share > 0.34 {
			t.Errorf("on-site share %.3f, want about 0.30", share)
		}
		other := followup.F5Sampling(43)
		same := 0
		for _, k := range ks[:2000] {
			if s.Selected(k) == other.Selected(k) {
				same++
			}
		}
		if same == 2000 {
			t.Error("the seed does not change the selection")
		}
	})
	t.Run("F5_plan_meets_the_shares_exactly", func(t *testing.T) {
		for _, n := range []int{0, 1, 9, 10, 95, 100, 1234} {
			rev, on := s.Plan(keys(n))
			wantRev := (n + 9) / 10
			if len(rev) != wantRev {
				t.Errorf("n=%d: %d revisits, want %d", n, len(rev), wantRev)
			}
			wantOn := (3*len(rev) + 9) / 10
			if len(on) != wantOn {
				t.Errorf("n=%d: %d on site, want %d", n, len(on), wantOn)
			}
			if c := s.Check(n, len(rev), len(on)); !c.Met {
				t.Errorf("n=%d: the plan does not pass the check: %s", n, c)
			}
			rev2, _ := s.Plan(reverse(keys(n)))
			if fmt.Sprint(rev) != fmt.Sprint(rev2) {
				t.Errorf("n=%d: the plan depends on the order of the keys", n)
			}
		}
	})
	t.Run("F5_check", func(t *testing.T) {
		cases := []struct {
			name                    string
			complaints, rev, onsite int
			met                     bool
		}{
			{"ten_percent_thirty_on_site", 100, 10, 3, true},
			{"too_few_revisits", 100, 9, 3, false},
			{"too_few_on_site", 100, 10, 2, false},
			{"rounding_up", 95, 10, 3, true},
			{"rounding_up_short", 95, 9, 3, false},
			{"no_complaints", 0, 0, 0, true},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				if got := s.Check(c.complaints, c.rev, c.onsite); got.Met != c.met {
					t.Errorf("Check(%d, %d, %d) = %s, want met %v", c.complaints, c.rev, c.onsite, got, c.met)
				}
			})
		}
	})
}

func reverse(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[len(s)-1-i] = v
	}
	return out
}

func TestQuota(t *testing.T) {
	q := followup.F3Quota(9)
	t.Run("F3_plan_ten_repairs", func(t *testing.T) {
		plan := q.Plan(keys(10))
		count := map[ticket.Role]int{}
		for _, r := range plan {
			count[r]++
		}
		if count[ticket.RoleDirector] != 1 || count[ticket.RoleAdministrator] != 3 || count[ticket.RoleRepairLead] != 6 {
			t.Errorf("plan for 10 repairs: %v, want 1/3/6", count)
		}
		if c := q.Check(10, count); !c.Met || !c.AllRevisited {
			t.Errorf("the plan fails the check: %s", c)
		}
	})
	t.Run("F3_plan_counts_add_up", func(t *testing.T) {
		for _, n := range []int{0, 1, 3, 7, 99, 1000} {
			if got := len(q.Plan(keys(n))); got != n {
				t.Errorf("n=%d: plan assigns %d", n, got)
			}
		}
	})
	t.Run("F3_assign_shares", func(t *testing.T) {
		count := map[ticket.Role]int{}
		for _, k := range keys(30000) {
			count[q.Assign(k)]++
		}
		for _, s := range q.Shares {
			share := float64(count[s.Role]) / 30000
			if share < s.Min-0.015 || share > s.Min+0.015 {
				t.Errorf("%s share %.3f, want about %.2f", s.Role, share, s.Min)
			}
		}
	})
	t.Run("F3_check", func(t *testing.T) {
		cases := []struct {
			name    string
			repairs int
			byRole  map[ticket.Role]int
			met     bool
			all     bool
		}{
			{"shares_met", 10, map[ticket.Role]int{ticket.RoleDirector: 1, ticket.RoleAdministrator: 3, ticket.RoleRepairLead: 6}, true, true},
			{"director_short", 20, map[ticket.Role]int{ticket.RoleDirector: 1, ticket.RoleAdministrator: 6, ticket.RoleRepairLead: 13}, false, true},
			{"not_every_repair_revisited", 10, map[ticket.Role]int{ticket.RoleDirector: 1, ticket.RoleAdministrator: 3, ticket.RoleRepairLead: 5}, false, false},
			{"no_repairs", 0, nil, true, true},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				got := q.Check(c.repairs, c.byRole)
				if got.Met != c.met || got.AllRevisited != c.all {
					t.Errorf("Check = %s (all revisited %v), want met %v all %v", got, got.AllRevisited, c.met, c.all)
				}
			})
		}
	})
	t.Run("invalid_quotas", func(t *testing.T) {
		for name, bad := range map[string]followup.Quota{
			"empty":      {},
			"over_100":   {Shares: []followup.Share{{ticket.RoleDirector, 0.5}, {ticket.RoleQA, 0.6}}},
			"repeated":   {Shares: []followup.Share{{ticket.RoleQA, 0.1}, {ticket.RoleQA, 0.1}}},
			"negative":   {Shares: []followup.Share{{ticket.RoleQA, -0.1}}},
			"empty_role": {Shares: []followup.Share{{"", 0.1}}},
		} {
			if bad.Validate() == nil {
				t.Errorf("%s validated", name)
			}
		}
	})
}
