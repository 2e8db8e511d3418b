package runner_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/runner"
)

// wait fails the test if ch does not deliver within a generous bound; it
// guards against a hang, it measures nothing.
func wait[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
		panic("unreachable")
	}
}

func start(t *testing.T, r *runner.Runner) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	return func() {
		cancel()
		if err := wait(t, done, "Run to return"); err != nil {
			t.Fatal(err)
		}
	}
}

func TestRunner(t *testing.T) {
	t.Run("wakes_on_signal_and_drains", func(t *testing.T) {
		var queued, handled atomic.Int64
		rounds := make(chan struct{}, 100)
		sig := runner.NewSignal()
		r, err := runner.New("t", runner.Config{Interval: time.Hour, Wake: sig.C()}, nil, func(context.Context) (int, error) {
			n := 0
			if queued.Load() > handled.Load() { // one item a round: draining must loop
				handled.Add(1)
				n = 1
			}
			rounds <- struct{}{}
			return n, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		stop := start(t, r)
		defer stop()
		wait(t, rounds, "the first round")
		queued.Store(5)
		sig.Notify() // the interval is an hour: only the signal can start this
		for handled.Load() < 5 {
			wait(t, rounds, "a round after the signal")
		}
	})

	t.Run("a_wake_during_a_round_is_not_lost", func(t *testing.T) {
		var calls atomic.Int64
		var queued atomic.Bool
		entered, release, handled := make(chan struct{}), make(chan struct{}), make(chan struct{})
		sig := runner.NewSignal()
		r, _ := runner.New("t", runner.Config{Interval: time.Hour, Wake: sig.C()}, nil, func(context.Context) (int, error) {
			t.Logf("call %d %s", calls.Load()+1, time.Now().Format("05.000000"))
			if calls.Add(1) == 1 {
				close(entered)
				<-release // the round read its work before the new work came
				return 0, nil
			}
			if queued.Swap(false) {
				close(handled)
				return 1, nil
			}
			return 0, nil
		})
		stop := start(t, r)
		defer stop()
		wait(t, entered, "the first round")
		queued.Store(true)
		sig.Notify() // arrives while the job runs
		for len(sig.C()) > 0 {
			time.Sleep(time.Millisecond) // until the runner took the signal
		}
		// Let the runner act on it while the job is still running (a
		// runner that drops the wake then never runs the job again; one
		// that keeps it passes whatever the timing).
		time.Sleep(20 * time.Millisecond)
		close(release)
		wait(t, handled, "a round for the work signalled during the first")
		t.Logf("calls %d", calls.Load())
	})

	t.Run("backoff_with_jitter_after_failures", func(t *testing.T) {
		var calls atomic.Int64
		var mu sync.Mutex
		var waits []time.Duration
		ok := make(chan struct{})
		r, err := runner.New("t", runner.Config{Interval: time.Hour, MinBackoff: 100 * time.Millisecond, MaxBackoff: 300 * time.Millisecond,
			Rand: func() float64 { return 0.5 },
			Sleep: func(_ context.Context, d time.Duration) error {
				mu.Lock()
				waits = append(waits, d)
				mu.Unlock()
				return nil
			}}, nil, func(context.Context) (int, error) {
			if calls.Add(1) <= 4 {
				return 0, errors.New("store down")
			}
			close(ok)
			return 0, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		stop := start(t, r)
		wait(t, ok, "success after four failures")
		stop()
		want := []time.Duration{75 * time.Millisecond, 150 * time.Millisecond, 225 * time.Millisecond, 225 * time.Millisecond}
		if len(waits) != len(want) {
			t.Fatalf("waits %v, want %v", waits, want)
		}
		for i := range want {
			if waits[i] != want[i] {
				t.Fatalf("waits %v, want %v", waits, want)
			}
		}
	})

	t.Run("bounded_concurrency", func(t *testing.T) {
		var inflight, peak atomic.Int64
		entered := make(chan struct{}, 10)
		release := make(chan struct{})
		jobs := make([]runner.Job, 6)
		var ran atomic.Int64
		for i := range jobs {
			var once atomic.Bool
			jobs[i] = func(context.Context) (int, error) {
				if once.Swap(true) {
					return 0, nil
				}
				n := inflight.Add(1)
				for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
				}
				entered <- struct{}{}
				<-release
				inflight.Add(-1)
				ran.Add(1)
				return 0, nil
			}
		}
		r, err := runner.New("t", runner.Config{Interval: time.Hour, Concurrency: 2}, nil, jobs...)
		if err != nil {
			t.Fatal(err)
		}
		stop := start(t, r)
		wait(t, entered, "a job to start")
		wait(t, entered, "a second job to start")
		for i := range 6 {
			release <- struct{}{}
			if i < 4 {
				wait(t, entered, "the next job to start")
			}
		}
		stop()
		if ran.Load() != 6 || peak.Load() != 2 {
			t.Fatalf("%d jobs ran, at most %d at once; want 6 and 2", ran.Load(), peak.Load())
		}
	})

	t.Run("stop_lets_the_job_in_flight_finish", func(t *testing.T) {
		entered, release := make(chan struct{}), make(chan struct{})
		finished := make(chan error, 1)
		var first atomic.Bool
		r, _ := runner.New("t", runner.Config{Interval: time.Hour}, nil, func(ctx context.Context) (int, error) {
			if first.Swap(true) {
				return 0, nil
			}
			close(entered)
			<-release
			finished <- ctx.Err() // still valid: the work may commit
			return 1, nil
		})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- r.Run(ctx) }()
		wait(t, entered, "the job")
		cancel()
		select {
		case <-done:
			t.Fatal("Run returned while a job was in flight")
		default:
		}
		close(release)
		if err := wait(t, finished, "the job to finish"); err != nil {
			t.Fatalf("the job's context was cancelled at stop: %v", err)
		}
		wait(t, done, "Run to return")
	})

	t.Run("stop_cancels_a_job_after_grace", func(t *testing.T) {
		entered := make(chan struct{})
		r, _ := runner.New("t", runner.Config{Interval: time.Hour, Grace: 20 * time.Millisecond}, nil, func(ctx context.Context) (int, error) {
			close(entered)
			<-ctx.Done() // a job that would hang
			return 0, ctx.Err()
		})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- r.Run(ctx) }()
		wait(t, entered, "the job")
		cancel()
		wait(t, done, "Run to return after the grace")
	})

	t.Run("bad_config", func(t *testing.T) {
		job := func(context.Context) (int, error) { return 0, nil }
		for _, cfg := range []runner.Config{{Interval: -1}, {Concurrency: -1}, {Grace: -1}} {
			if _, err := runner.New("t", cfg, nil, job); !errors.Is(err, runner.ErrInvalid) {
				t.Errorf("New(%+v): %v", cfg, err)
			}
		}
		if _, err := runner.New("t", runner.Config{}, nil); !errors.Is(err, runner.ErrInvalid) {
			t.Errorf("no job: %v", err)
		}
		r, _ := runner.New("t", runner.Config{}, nil, job)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		r.Run(ctx)
		if err := r.Run(ctx); !errors.Is(err, runner.ErrInvalid) {
			t.Errorf("second Run: %v", err)
		}
	})
}

// TestRunnerLeader: while Config.Leader reports false the jobs do not
// run; once it reports true they do; its error counts as the job's
// failure and is retried.
func TestRunnerLeader(t *testing.T) {
	var lead atomic.Bool
	var fail atomic.Bool
	asked := make(chan struct{}, 100)
	ran := make(chan struct{}, 100)
	sig := runner.NewSignal()
	r, err := runner.New("t", runner.Config{Interval: time.Hour, Wake: sig.C(), MinBackoff: time.Millisecond,
		Leader: func(context.Context) (bool, error) {
			asked <- struct{}{}
			if fail.Load() {
				fail.Store(false)
				return false, errors.New("database away")
			}
			return lead.Load(), nil
		}}, nil, func(context.Context) (int, error) {
		ran <- struct{}{}
		return 0, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	stop := start(t, r)
	defer stop()
	for range 3 {
		wait(t, asked, "the leader asked")
		sig.Notify()
	}
	wait(t, asked, "the leader asked")
	select {
	case <-ran:
		t.Fatal("a job ran while this process did not lead")
	default:
	}
	fail.Store(true)
	lead.Store(true)
	sig.Notify()
	wait(t, asked, "the leader asked (and failed)")
	wait(t, asked, "the leader asked again after the failure")
	wait(t, ran, "the job, once this process leads")
}
