package followup

import (
	"sync"
	"time"

	"github.com/servicedesk-go/desk/ticket"
)

// balancer spreads a month's F3 roles and F5 selections so that the
// month meets the shares at every point, instead of meeting them on
// average as the stateless hash does. It counts, per rule citation and
// calendar month, what this deriver has planned: roles in the month the
// task is due (as reports count revisits), samples in the month the
// complaint closed; a task the store already had (a replay) is taken
// back out.
//
// The counts live in the deriver: a restarted deriver starts the month
// afresh, and several derivers each balance their own triggers.
type balancer struct {
	mu     sync.Mutex
	months map[balanceKey]*balanceCount
}

type balanceKey struct {
	cites string
	year  int
	month int
}

type balanceCount struct {
	roles    map[ticket.Role]int
	assigned int
	seen     int
	selected int
	onSite   int
}

func (b *balancer) count(r Rule, at time.Time) *balanceCount {
	k := balanceKey{r.Cites, at.Year(), int(at.Month())}
	c := b.months[k]
	if c == nil {
		c = &balanceCount{roles: map[ticket.Role]int{}}
		if b.months == nil {
			b.months = map[balanceKey]*balanceCount{}
		}
		b.months[k] = c
	}
	return c
}

// sample decides F5 for one trigger: selected while the month's
// selections are below the share (a trigger that requires a revisit is
// always selected and counts), and on site while the on-site visits are
// below their share of the selections.
func (b *balancer) sample(r Rule, tr Trigger) (selected, onSite bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	c := b.count(r, tr.At) // complaints count in the month they closed
	c.seen++
	if !tr.RevisitRequired && float64(c.selected) >= r.Sample.Share*float64(c.seen) {
		return false, false
	}
	c.selected++
	if float64(c.onSite) < r.Sample.OnSite*float64(c.selected) {
		c.onSite++
		return true, true
	}
	return true, false
}

// role assigns the F3 role with the largest shortfall against its share
// of the revisits due in the month of due so far, counting this one.
func (b *balancer) role(r Rule, due time.Time) ticket.Role {
	b.mu.Lock()
	defer b.mu.Unlock()
	c := b.count(r, due)
	w := r.Roles.weights()
	best, bestGap := 0, -1.0
	for i, s := range r.Roles.Shares {
		gap := w[i]*float64(c.assigned+1) - float64(c.roles[s.Role])
		if gap > bestGap+1e-9 {
			best, bestGap = i, gap
		}
	}
	role := r.Roles.Shares[best].Role
	c.roles[role]++
	c.assigned++
	return role
}

// undo takes a planned task back out of the counts: the store already
// had it.
func (b *balancer) undo(r Rule, tr Trigger, t *Task) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if r.Sample != nil && t.Sampled {
		c := b.count(r, tr.At)
		c.seen--
		c.selected--
		if t.Channel == OnSite {
			c.onSite--
		}
	}
	if r.Roles != nil {
		c := b.count(r, t.Due)
		c.roles[t.Role]--
		c.assigned--
	}
}
