package sim

import "time"

// phoneLine is the desk's phone queue: a call goes to the agent on duty
// who is free first and waits while all of them are on a call (one
// queue, no abandonment: what Erlang C assumes). It counts, by hour of
// the day, the calls offered and how many were answered within the
// service target (R8).
type phoneLine struct {
	free   map[string]time.Time // when each agent's current call ends
	within time.Duration
	hours  [24]phoneHour
}

type phoneHour struct {
	offered  int           // phone calls that came in
	answered int           // answered by an agent (the others went to the web form: nobody on duty)
	inTime   int           // answered within the target time
	waited   time.Duration // total wait of the answered calls
}

// answer picks the agent of on who is free first and books the call:
// how long the caller waits, and who answers.
func (p *phoneLine) answer(now time.Time, on []string, handle time.Duration) (string, time.Duration) {
	best := on[0]
	for _, a := range on[1:] {
		if p.free[a].Before(p.free[best]) {
			best = a
		}
	}
	start := now
	if p.free[best].After(now) {
		start = p.free[best]
	}
	p.free[best] = start.Add(handle)
	return best, start.Sub(now)
}

// offered counts a call that came in at t and waited wait before an
// agent answered; a negative wait is a call nobody answered.
func (p *phoneLine) offered(t time.Time, loc *time.Location, wait time.Duration) {
	h := &p.hours[t.In(loc).Hour()]
	h.offered++
	if wait < 0 {
		return
	}
	h.answered++
	h.waited += wait
	if wait <= p.within {
		h.inTime++
	}
}
