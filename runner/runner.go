package runner

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/servicedesk-go/desk/observe"
)

// ErrInvalid: a configuration value is out of range; the error names it.
var ErrInvalid = errors.New("runner: invalid configuration")

// Job does one round of work and reports how many items it handled;
// a Runner runs it again at once while it handles some.
type Job func(ctx context.Context) (int, error)

// Config configures a Runner. Zero values are the defaults.
type Config struct {
	// Interval is how often the jobs run without a wake-up; 0 means 1 s.
	Interval time.Duration
	// Wake, when set, starts a round as soon as it receives (or is
	// closed, which only ends waking).
	Wake <-chan struct{}
	// Concurrency bounds how many jobs run at once; 0 means 1.
	Concurrency int
	// MinBackoff and MaxBackoff bound the wait after a failure: it
	// doubles per consecutive failure of the job from MinBackoff up to
	// MaxBackoff, less a random part of up to half of it (jitter).
	// 0 means 100 ms and 30 s.
	MinBackoff, MaxBackoff time.Duration
	// Grace is how long jobs in flight may finish after Run's context
	// ended before their own context is cancelled; 0 means 10 s.
	Grace time.Duration
	// Batch is how many items one round of a job takes; 0 means 100.
	Batch int
	// Logger receives failures and retries (job name, desk, error); nil
	// means no logging.
	Logger *slog.Logger
	// Observer receives a report per round of the derive job (the other
	// jobs' services report themselves); nil means none.
	Observer observe.Observer
	// Rand returns a number in [0, 1) for the jitter; nil means math/rand/v2.
	Rand func() float64
	// Sleep waits a backoff; nil means a timer that honours ctx.
	Sleep func(ctx context.Context, d time.Duration) error
	// Leader, when set, is asked before each run of a job whether this
	// process is the one to run the jobs now (for work that must not run
	// in every replica at once, such as webhook delivery); while it
	// reports false the jobs wait for the next round, and its error is a
	// failure of the job (logged, backed off). Nil means always.
	Leader func(ctx context.Context) (bool, error)
}

// Runner runs named jobs in the background.
type Runner struct {
	name  string
	jobs  []named
	cfg   Config
	log   *slog.Logger
	mu    sync.Mutex
	state string
}

type named struct {
	desk string
	job  Job
}

// New returns a runner for jobs; desks names each job's desk in logs
// (one per job, or nil).
func New(name string, cfg Config, desks []string, jobs ...Job) (*Runner, error) {
	if len(jobs) == 0 {
		return nil, fmt.Errorf("%w: %s: no job to run", ErrInvalid, name)
	}
	if desks != nil && len(desks) != len(jobs) {
		return nil, fmt.Errorf("%w: %s: %d desks for %d jobs", ErrInvalid, name, len(desks), len(jobs))
	}
	if cfg.Interval < 0 || cfg.Concurrency < 0 || cfg.MinBackoff < 0 || cfg.MaxBackoff < 0 || cfg.Grace < 0 || cfg.Batch < 0 {
		return nil, fmt.Errorf("%w: %s: Interval, Concurrency, MinBackoff, MaxBackoff, Grace and Batch cannot be negative", ErrInvalid, name)
	}
	if cfg.Interval == 0 {
		cfg.Interval = time.Second
	}
	if cfg.Concurrency == 0 {
		cfg.Concurrency = 1
	}
	if cfg.MinBackoff == 0 {
		cfg.MinBackoff = 100 * time.Millisecond
	}
	if cfg.MaxBackoff == 0 {
		cfg.MaxBackoff = 30 * time.Second
	}
	cfg.MaxBackoff = max(cfg.MaxBackoff, cfg.MinBackoff)
	if cfg.Grace == 0 {
		cfg.Grace = 10 * time.Second
	}
	if cfg.Batch == 0 {
		cfg.Batch = 100
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Float64
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleep
	}
	r := &Runner{name: name, cfg: cfg, log: cfg.Logger, state: "new"}
	if r.log == nil {
		r.log = slog.New(slog.DiscardHandler)
	}
	for i, j := range jobs {
		if j == nil {
			return nil, fmt.Errorf("%w: %s: job %d is nil", ErrInvalid, name, i)
		}
		n := named{job: j}
		if desks != nil {
			n.desk = desks[i]
		}
		r.jobs = append(r.jobs, n)
	}
	return r, nil
}

// Run runs the jobs until ctx ends, then lets the jobs in flight finish
// (within Grace) and returns nil. It returns an error only if the runner
// was already started.
func (r *Runner) Run(ctx context.Context) error {
	r.mu.Lock()
	if r.state != "new" {
		r.mu.Unlock()
		return fmt.Errorf("%w: runner %s was already started", ErrInvalid, r.name)
	}
	r.state = "running"
	r.mu.Unlock()

	// Jobs run on a context that outlives ctx by Grace.
	jobCtx, cancelJobs := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelJobs()
	stop := context.AfterFunc(ctx, func() {
		t := time.AfterFunc(r.cfg.Grace, cancelJobs)
		context.AfterFunc(jobCtx, func() { t.Stop() })
	})
	defer stop()

	sem := make(chan struct{}, r.cfg.Concurrency)
	// busy: the job is draining; again: work was signalled meanwhile, so
	// it drains once more when done (its last read may predate the work).
	busy := make([]bool, len(r.jobs))
	again := make([]bool, len(r.jobs))
	var mu sync.Mutex
	var wg sync.WaitGroup
	round := func() {
		for i := range r.jobs {
			mu.Lock()
			if busy[i] {
				again[i] = true
				mu.Unlock()
				continue
			}
			busy[i] = true
			mu.Unlock()
			wg.Go(func() {
				for {
					r.drain(ctx, jobCtx, sem, r.jobs[i])
					mu.Lock()
					if again[i] && ctx.Err() == nil {
						again[i] = false
						mu.Unlock()
						continue
					}
					busy[i], again[i] = false, false
					mu.Unlock()
					return
				}
			})
		}
	}
	wake := r.cfg.Wake
	tick := time.NewTicker(r.cfg.Interval)
	defer tick.Stop()
	for round(); ; round() {
		select {
		case <-ctx.Done():
			wg.Wait()
			return nil
		case <-tick.C:
		case _, ok := <-wake:
			if !ok {
				wake = nil
			}
		}
	}
}

// drain runs one job while it handles work, backing off after failures,
// until it reports nothing to do or ctx ends.
func (r *Runner) drain(ctx, jobCtx context.Context, sem chan struct{}, j named) {
	failures := 0
	for ctx.Err() == nil {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			return
		}
		n, err := r.runJob(jobCtx, j)
		<-sem
		switch {
		case err == nil && n > 0:
			failures = 0
			continue
		case err == nil:
			return
		case ctx.Err() != nil:
			return // shutting down: the job's error is the cancellation
		}
		failures++
		wait := r.backoff(failures)
		r.log.WarnContext(ctx, "runner: job failed; retrying", "runner", r.name, "desk", j.desk,
			"failures", failures, "wait", wait, "err", err)
		if r.cfg.Sleep(ctx, wait) != nil {
			return
		}
	}
}

// runJob runs j once if this process leads (Config.Leader); a follower
// reports nothing done.
func (r *Runner) runJob(ctx context.Context, j named) (int, error) {
	if r.cfg.Leader != nil {
		lead, err := r.cfg.Leader(ctx)
		if err != nil || !lead {
			return 0, err
		}
	}
	return j.job(ctx)
}

// backoff is the wait after the n-th consecutive failure.
func (r *Runner) backoff(n int) time.Duration {
	d := r.cfg.MinBackoff
	for i := 1; i < n && d < r.cfg.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, r.cfg.MaxBackoff)
	return d - time.Duration(r.cfg.Rand()*float64(d/2))
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
