package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/roster"
)

// rosterServer is a replica of one desk on the roster store rs, its
// rotation starting on the Monday of the clock's week, as a service
// started with no RosterStart does.
func rosterServer(t *testing.T, rs roster.Store, c *clock) *server {
	t.Helper()
	srv, err := newServer(Config{Desks: []string{"north"}, Location: shanghai, Rosters: rs,
		Now: c.Now, NewID: uuid.New, Auth: HeaderAuth{}, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

// checkRotation asserts that the desk's store holds one rotation from
// from up to until: every day's a, b and c shifts staffed by one
// person each (R2, R3), nothing published twice, and no hard
// constraint broken across the cycles' boundaries (rest, days off).
func checkRotation(t *testing.T, srv *server, from roster.Date, until time.Time) {
	t.Helper()
	v, err := srv.desks["north"].roster.View(context.Background(), roster.Instant(from, 0, shanghai), until)
	if err != nil {
		t.Fatal(err)
	}
	perDay := map[string]int{}
	for _, a := range v.Assignments {
		perDay[a.Date.String()+"/"+a.Shift]++
	}
	for d := from; roster.Instant(d, 0, shanghai).Before(until); d = d.AddDays(1) {
		for _, sh := range []string{"a", "b", "c"} {
			if n := perDay[d.String()+"/"+sh]; n != 1 {
				t.Errorf("%s shift %s: %d people, want 1", d, sh, n)
			}
		}
	}
	if vs := roster.Audit(v.Assignments, roster.SeedRules(), from, nil); len(vs) > 0 {
		t.Errorf("R2: the rotation breaks %d constraints, first %+v", len(vs), vs[0])
	}
}

// dutyAt asks /duty at an instant.
func dutyAt(t *testing.T, srv *server, at time.Time) dutyResponse {
	t.Helper()
	var d dutyResponse
	as{h: srv, actor: li, role: "agent"}.must(t, http.StatusOK, "GET", "/desks/north/duty?at="+url.QueryEscape(at.Format(time.RFC3339)), nil).decode(t, &d)
	return d
}

// TestR3RotationAfterRestart: a replica restarted ten weeks into the
// rotation its predecessor published continues that rotation to four
// cycles past today; it promised a roster up to twelve weeks ahead and
// had nobody on duty from week 13 on, since it saw the old rotation's
// tail and published nothing.
func TestR3RotationAfterRestart(t *testing.T) {
	rs := roster.NewMemStore()
	c := &clock{t: start} // Monday 2 March 2026
	rosterServer(t, rs, c)
	c.Advance(10 * 7 * 24 * time.Hour)
	srv := rosterServer(t, rs, c)

	week13 := time.Date(2026, 5, 26, 10, 0, 0, 0, shanghai)
	d := dutyAt(t, srv, week13)
	if d.OutsideRoster || len(d.OnDuty) == 0 {
		t.Errorf("week 13: outside %v, on duty %v; want someone on duty", d.OutsideRoster, d.OnDuty)
	}
	ahead := time.Date(2026, 5, 11, 0, 0, 0, 0, shanghai).AddDate(0, 0, 4*21)
	if d.RosterUntil.Before(ahead) {
		t.Errorf("roster until %v, want at least four cycles past today's week (%v)", d.RosterUntil, ahead)
	}
	checkRotation(t, srv, roster.D(2026, 3, 2), d.RosterUntil)
}

// TestR3RotationRunner: the roster runner keeps a replica that runs
// for months four cycles ahead; without it the rotation ran out after
// twelve weeks.
func TestR3RotationRunner(t *testing.T) {
	c := &clock{t: start}
	srv := rosterServer(t, roster.NewMemStore(), c)
	first := dutyAt(t, srv, start).RosterUntil
	c.Advance(11 * 7 * 24 * time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	wait := startRunners(t, srv, ctx, RunnerConfig{Roster: time.Millisecond})
	defer func() { cancel(); wait() }()
	deadline := time.Now().Add(10 * time.Second)
	for !srv.desks["north"].rosterUntil.Load().After(first) {
		if time.Now().After(deadline) {
			t.Fatalf("the roster runner did not extend the rotation past %v", first)
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	wait()
	d := dutyAt(t, srv, time.Date(2026, 6, 1, 10, 0, 0, 0, shanghai))
	if d.OutsideRoster || len(d.OnDuty) == 0 {
		t.Errorf("week 14: outside %v, on duty %v; want someone on duty", d.OutsideRoster, d.OnDuty)
	}
	checkRotation(t, srv, roster.D(2026, 3, 2), d.RosterUntil)
}

// TestR3RotationReplicasTogether: replicas starting at the same
// moment on one store publish one rotation between them. In process
// they share a lock standing in for PostgreSQL's advisory lock; without
// one, two replicas published the second cycle each, two people on
// every shift (the roster's overlap check is per agent).
func TestR3RotationReplicasTogether(t *testing.T) {
	rs := roster.NewMemStore()
	var mu sync.Mutex
	lock := func(context.Context, string) (func(), error) { mu.Lock(); return mu.Unlock, nil }
	together(t, func(i int) (*server, error) {
		c := &clock{t: start}
		return newServer(Config{Desks: []string{"north"}, Location: shanghai, Rosters: rs, RotationLock: lock,
			Now: c.Now, NewID: uuid.New, Auth: HeaderAuth{}, Logger: slog.New(slog.DiscardHandler)})
	})
}

// TestR3RotationReplicasTogetherPostgres: the same with each replica
// on its own PostgreSQL pool, as separate processes, through openStore
// and its advisory lock.
func TestR3RotationReplicasTogetherPostgres(t *testing.T) {
	dsn := freshPostgres(t)
	together(t, func(i int) (*server, error) {
		c := &clock{t: start}
		cfg := Config{Desks: []string{"north"}, Location: shanghai, Now: c.Now, NewID: uuid.New,
			Auth: HeaderAuth{}, Logger: slog.New(slog.DiscardHandler)}
		closeStore, err := openStore(context.Background(), dsn, 2, false, &cfg)
		if err != nil {
			return nil, err
		}
		t.Cleanup(closeStore)
		return newServer(cfg)
	})
}

// together starts four replicas at once and checks the one rotation
// they published.
func together(t *testing.T, replica func(i int) (*server, error)) {
	t.Helper()
	srvs := make([]*server, 4)
	var wg sync.WaitGroup
	for i := range srvs {
		wg.Go(func() {
			srv, err := replica(i)
			if err != nil {
				t.Error(fmt.Errorf("replica %d: %w", i, err))
				return
			}
			srvs[i] = srv
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	for i, srv := range srvs {
		if d := dutyAt(t, srv, start); d.OutsideRoster || len(d.OnDuty) == 0 {
			t.Errorf("replica %d: outside %v, on duty %v", i, d.OutsideRoster, d.OnDuty)
		}
	}
	checkRotation(t, srvs[0], roster.D(2026, 3, 2), time.Date(2026, 5, 25, 0, 0, 0, 0, shanghai))
}
