package sim

import (
	"container/heap"
	"context"
	"time"
)

// agenda is the simulation's clock and the things that will happen, in
// order of time, then of scheduling, so runs are deterministic.
type agenda struct {
	now   time.Time
	queue happenings
	seq   int
}

// happening is one scheduled step.
type happening struct {
	at  time.Time
	seq int
	fn  func(ctx context.Context) error
}

func (a *agenda) clock() time.Time { return a.now }

// at schedules fn at time t (not before now).
func (a *agenda) at(t time.Time, fn func(ctx context.Context) error) {
	if t.Before(a.now) {
		t = a.now
	}
	a.seq++
	heap.Push(&a.queue, &happening{at: t, seq: a.seq, fn: fn})
}

func (a *agenda) after(d time.Duration, fn func(ctx context.Context) error) { a.at(a.now.Add(d), fn) }

// next takes the first happening due no later than stop and moves the
// clock to it; false when there is none.
func (a *agenda) next(stop time.Time) (*happening, bool) {
	if a.queue.Len() == 0 || a.queue[0].at.After(stop) {
		return nil, false
	}
	h := heap.Pop(&a.queue).(*happening)
	a.now = h.at
	return h, true
}

type happenings []*happening

func (q happenings) Len() int { return len(q) }
func (q happenings) Less(i, j int) bool {
	if !q[i].at.Equal(q[j].at) {
		return q[i].at.Before(q[j].at)
	}
	return q[i].seq < q[j].seq
}
func (q happenings) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *happenings) Push(x any)   { *q = append(*q, x.(*happening)) }
func (q *happenings) Pop() any {
	old := *q
	h := old[len(old)-1]
	*q = old[:len(old)-1]
	return h
}
