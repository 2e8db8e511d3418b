package followup

import (
	"fmt"
	"math"
	"slices"

	"github.com/servicedesk-go/desk/ticket"
)

// Share is a role's minimum share of revisits (F3).
type Share struct {
	Role ticket.Role `json:"role"`
	Min  float64     `json:"min"`
}

// Quota divides revisits among roles (F3): every repair is revisited by
// someone, each revisit counts for one role, and each role makes at
// least its Min share. Assign picks a role per task from a hash of the
// Salt and the key (reproducible, stateless); Plan divides a known
// batch exactly; Check judges a month's actual revisits.
type Quota struct {
	Shares []Share
	// Salt varies the choice between desks or runs: a random number (not
	// a "seed" in this package's sense, which is the regulation
	// documents); the same Salt and key give the same role.
	Salt uint64
}

// F3Quota returns the seeds' shares: office director 10 %, property
// administrators 30 %, repair lead 60 %.
func F3Quota(salt uint64) Quota {
	return Quota{Salt: salt, Shares: []Share{
		{ticket.RoleDirector, 0.10},
		{ticket.RoleAdministrator, 0.30},
		{ticket.RoleRepairLead, 0.60},
	}}
}

// Validate reports a quota without roles, with a repeated role, a share
// outside [0, 1], or shares adding up to more than 100 %.
func (q Quota) Validate() error {
	if len(q.Shares) == 0 {
		return invalid("quota", "name at least one role")
	}
	sum := 0.0
	seen := map[ticket.Role]bool{}
	for _, s := range q.Shares {
		if s.Role == "" || seen[s.Role] {
			return invalid("quota", "empty or repeated role %q", s.Role)
		}
		seen[s.Role] = true
		if !(s.Min >= 0 && s.Min <= 1) {
			return invalid("quota", "share %v of %s must lie between 0 and 1", s.Min, s.Role)
		}
		sum += s.Min
	}
	if sum > 1+1e-9 {
		return invalid("quota", "minimum shares add up to %.0f%%, more than 100%%", 100*sum)
	}
	return nil
}

func (q Quota) clone() Quota {
	q.Shares = slices.Clone(q.Shares)
	return q
}

// weights returns the shares scaled to add up to one (when they add up
// to less, the rest is spread in proportion).
func (q Quota) weights() []float64 {
	sum := 0.0
	for _, s := range q.Shares {
		sum += s.Min
	}
	w := make([]float64, len(q.Shares))
	for i, s := range q.Shares {
		if sum > 0 {
			w[i] = s.Min / sum
		} else {
			w[i] = 1 / float64(len(q.Shares))
		}
	}
	return w
}

// Assign returns the role that revisits the task with that key.
func (q Quota) Assign(key string) ticket.Role {
	if len(q.Shares) == 0 {
		return ""
	}
	u := unit(q.Salt, key, "role")
	acc := 0.0
	for i, w := range q.weights() {
		acc += w
		if u < acc {
			return q.Shares[i].Role
		}
	}
	return q.Shares[len(q.Shares)-1].Role
}

// Plan divides a batch of keys among the roles in proportion to their
// shares (largest remainders, so the counts add up to len(keys)).
func (q Quota) Plan(keys []string) map[string]ticket.Role {
	out := make(map[string]ticket.Role, len(keys))
	if len(q.Shares) == 0 {
		return out
	}
	n := len(keys)
	w := q.weights()
	counts := make([]int, len(w))
	type rem struct {
		i int
		r float64
	}
	rems := make([]rem, len(w))
	given := 0
	for i, x := range w {
		exact := x * float64(n)
		counts[i] = int(math.Floor(exact + 1e-9))
		given += counts[i]
		rems[i] = rem{i, exact - float64(counts[i])}
	}
	slices.SortStableFunc(rems, func(a, b rem) int {
		switch {
		case a.r > b.r:
			return -1
		case a.r < b.r:
			return 1
		}
		return 0
	})
	for j := 0; given < n; j++ {
		counts[rems[j%len(rems)].i]++
		given++
	}
	ordered := lowest(keys, n, func(k string) float64 { return unit(q.Salt, k, "role") })
	at := 0
	for i, c := range counts {
		for _, k := range ordered[at : at+c] {
			out[k] = q.Shares[i].Role
		}
		at += c
	}
	return out
}

// QuotaRow is one role's line of a quota check.
type QuotaRow struct {
	Role  ticket.Role `json:"role"`
	Min   float64     `json:"min"`
	Count int         `json:"count"`
	Share float64     `json:"share"`
	Met   bool        `json:"met"`
}

// QuotaCheck is the F3 check of one month.
type QuotaCheck struct {
	Repairs   int        `json:"repairs"`   // repairs that needed a revisit
	Revisited int        `json:"revisited"` // of them, revisited
	Rows      []QuotaRow `json:"rows"`
	// AllRevisited: every repair was revisited (F3: the shares add up to
	// 100 %).
	AllRevisited bool `json:"all_revisited"`
	Met          bool `json:"met"`
}

// Check judges a month: repairs is the number of repairs, byRole the
// revisits made, counted by the role of the person who made them. Each
// role's share is of all repairs. When the shares add up to 100 % (F3's
// 10 + 30 + 60) they cannot all be met rounded up: 11 repairs would need
// 2 + 4 + 7 = 13 revisits. Then a role meets its share with its share of
// the repairs rounded down, which an apportionment of the repairs (Plan)
// always gives; shares adding up to less are rounded up.
func (q Quota) Check(repairs int, byRole map[ticket.Role]int) QuotaCheck {
	c := QuotaCheck{Repairs: repairs, Met: true}
	for _, n := range byRole {
		c.Revisited += n
	}
	total := 0.0
	for _, s := range q.Shares {
		total += s.Min
	}
	need := func(share float64) int {
		if total > 1-1e-9 {
			return floorShare(share, repairs)
		}
		return ceilShare(share, repairs)
	}
	for _, s := range q.Shares {
		n := byRole[s.Role]
		row := QuotaRow{Role: s.Role, Min: s.Min, Count: n, Share: ratio(n, repairs)}
		row.Met = n >= need(s.Min)
		c.Met = c.Met && row.Met
		c.Rows = append(c.Rows, row)
	}
	c.AllRevisited = c.Revisited >= repairs
	c.Met = c.Met && c.AllRevisited
	return c
}

// String summarises the check on one line.
func (c QuotaCheck) String() string {
	s := fmt.Sprintf("F3 repairs %d, revisited %d", c.Repairs, c.Revisited)
	for _, r := range c.Rows {
		s += fmt.Sprintf(", %s %d (%.1f%% of min %.0f%%)", r.Role, r.Count, 100*r.Share, 100*r.Min)
	}
	return s + fmt.Sprintf(", met %v", c.Met)
}
