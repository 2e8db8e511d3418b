package ticket

import (
	"context"
	"time"
)

// OverdueQuery asks Service.Overdue for one page.
type OverdueQuery struct {
	// Department: only tickets assigned to this department (T4); ""
	// every ticket of the desk.
	Department string
	// After is the Cursor of the last entry of the previous page; nil
	// starts at the beginning.
	After *OverdueCursor
	// Limit is the most entries a page holds (0: no limit). A ticket's
	// entries are never split over two pages: a ticket past more
	// deadlines than Limit comes whole, on a page of its own.
	Limit int
}

// OverdueCursor marks a position in the overdue entries: the last
// ticket given from each of the two lists they merge, the tickets past
// a running deadline (in ByDue order) and the stagnating ones (T10, in
// ByUpdated order). It is plain data: a service may hand it to its
// clients encoded and take it back.
type OverdueCursor struct {
	Late  *Cursor `json:"late,omitempty"`
	Stale *Cursor `json:"stale,omitempty"`
}

// Cursor returns the position after this entry: pass the Cursor of a
// page's last entry as OverdueQuery.After for the next page.
func (o Overdue) Cursor() *OverdueCursor {
	c := o.next
	return &c
}

// overdueStream is one of the two lists Overdue merges, read a page of
// tickets at a time.
type overdueStream struct {
	f    Filter
	buf  []*Ticket
	done bool // the store has nothing after the buffer
}

// head returns the stream's next ticket, reading the next page of the
// store when the buffer is empty; nil at the end.
func (st *overdueStream) head(ctx context.Context, s *Service) (*Ticket, error) {
	if len(st.buf) == 0 && !st.done {
		page, err := s.store.List(ctx, s.desk, st.f)
		if err != nil {
			return nil, err
		}
		st.buf = page
		st.done = st.f.Limit <= 0 || len(page) < st.f.Limit
		if len(page) > 0 {
			st.f.After = page[len(page)-1].Cursor(st.f.Order)
		}
	}
	if len(st.buf) == 0 {
		return nil, nil
	}
	return st.buf[0], nil
}

// Overdue lists the desk's open tickets that are past a deadline (T5,
// T7a, T7b, T13, and the T4 deadline given to a department) or have
// stagnated (T10), each with the deadline and how far past it they are,
// one page at a time (q.After, q.Limit), most overdue first: the
// tickets in order of their earliest overdue time, a ticket past
// several deadlines once for each, together. Tickets waiting in state
// revisit do not stagnate: the follow-up rules time their revisits.
//
// Both lists are read through the store's indexes from the cursor on
// (ByDue for deadlines, ByUpdated for stagnation), so a page costs what
// it returns, not what is overdue in all. As with List, paging stays
// correct while tickets change: a ticket whose deadlines change after
// it was seen may come again at its new place.
func (s *Service) Overdue(ctx context.Context, q OverdueQuery) ([]Overdue, error) {
	if err := s.bounds.name("overdue department", q.Department); err != nil {
		return nil, err
	}
	if q.Limit < 0 {
		return nil, invalid("overdue limit", "%d is below zero", q.Limit)
	}
	now := s.now()
	var at OverdueCursor
	if q.After != nil {
		at = *q.After
	}
	open := []State{Received, Dispatched, Resolved, Answered, Revisit, Reopened}
	late := &overdueStream{f: Filter{States: open, Department: q.Department, DueBefore: now, Order: ByDue, After: at.Late, Limit: q.Limit}}
	stale := &overdueStream{done: true}
	st := s.policy.Stagnant
	if st.On {
		// A ticket waiting for its revisit is on the follow-up's clock,
		// not stagnating.
		working := []State{Received, Dispatched, Resolved, Answered, Reopened}
		stale = &overdueStream{f: Filter{States: working, Department: q.Department, UpdatedBefore: now.Add(-st.Within),
			Order: ByUpdated, After: at.Stale, Limit: q.Limit}}
	}
	var out []Overdue
	for q.Limit <= 0 || len(out) < q.Limit {
		lt, err := late.head(ctx, s)
		if err != nil {
			return nil, err
		}
		sl, err := stale.head(ctx, s)
		if err != nil {
			return nil, err
		}
		var entries []Overdue
		switch {
		case sl != nil && (lt == nil || s.stagnantDue(sl).Before(lt.NextDue())):
			stale.buf = stale.buf[1:]
			at.Stale = sl.Cursor(ByUpdated)
			if due := s.stagnantDue(sl); now.After(due) {
				entries = append(entries, Overdue{Ticket: sl, Deadline: DeadlineStagnant, Rule: "T10", Due: due, By: now.Sub(due)})
			}
		case lt != nil:
			late.buf = late.buf[1:]
			at.Late = lt.Cursor(ByDue)
			for _, d := range lt.Deadlines {
				if d.Running() && now.After(d.Due) {
					entries = append(entries, Overdue{Ticket: lt, Deadline: d.Name, Rule: d.Name.Rule(), Due: d.Due, By: now.Sub(d.Due)})
				}
			}
		default:
			return out, nil
		}
		if q.Limit > 0 && len(out) > 0 && len(out)+len(entries) > q.Limit {
			break
		}
		for i := range entries {
			entries[i].next = at
		}
		out = append(out, entries...)
	}
	return out, nil
}

// stagnantDue is when a ticket untouched since its last change
// stagnates (T10).
func (s *Service) stagnantDue(t *Ticket) time.Time {
	return s.policy.due(t.UpdatedAt, s.policy.Stagnant.Within)
}
