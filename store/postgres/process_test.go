package postgres

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/ticket"
)

// The multi-process proofs re-execute this test binary as worker
// processes: TestMain runs the worker instead of the tests when
// DESK_PG_WORKER names a mode.
func TestMain(m *testing.M) {
	if mode := os.Getenv("DESK_PG_WORKER"); mode != "" {
		if err := runWorker(mode); err != nil {
			fmt.Fprintln(os.Stderr, "worker:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

const workerDesk = "north"

// runWorker is a follow-up worker process. Mode "work" claims batches
// with the real clock and completes them with CompleteBatch, logging
// each completion in crm_done in the same transaction (WithTx), until no
// open task is left. Mode "stall" claims one batch, prints the claimed
// IDs and its lease expiry, and hangs until it is killed.
func runWorker(mode string) error {
	if mode == "escalate" {
		return runEscalationWorker()
	}
	ctx := context.Background()
	name := os.Getenv("DESK_PG_WORKER_NAME")
	lease, err := time.ParseDuration(os.Getenv("DESK_PG_WORKER_LEASE"))
	if err != nil {
		return err
	}
	batch, err := strconv.Atoi(os.Getenv("DESK_PG_WORKER_BATCH"))
	if err != nil {
		return err
	}
	s, err := Open(ctx, os.Getenv("DESK_PG_WORKER_URL"))
	if err != nil {
		return err
	}
	defer s.Close()
	if mode == "stall" {
		now := time.Now()
		got, err := s.Followups().Claim(ctx, workerDesk, followup.Claim{Owner: name, Token: uuid.New(), Now: now, For: lease, Limit: batch})
		if err != nil {
			return err
		}
		w := bufio.NewWriter(os.Stdout)
		for _, t := range got {
			fmt.Fprintln(w, "task", t.ID)
		}
		fmt.Fprintln(w, "expires", now.Add(lease).UnixNano())
		w.Flush()
		time.Sleep(time.Hour) // killed with SIGKILL by the test
		return nil
	}
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		now := time.Now()
		got, err := s.Followups().Claim(ctx, workerDesk, followup.Claim{Owner: name, Token: uuid.New(), Now: now, For: lease, Limit: batch})
		if err != nil {
			return err
		}
		if len(got) == 0 {
			var open int
			if err := s.DB().QueryRow(ctx, `SELECT count(*) FROM desk_followups WHERE desk = $1 AND ready_at IS NOT NULL`, workerDesk).Scan(&open); err != nil {
				return err
			}
			if open == 0 {
				return nil
			}
			time.Sleep(50 * time.Millisecond)
			continue
		}
		if err := completeAndLog(ctx, s, name, got); err != nil {
			return err
		}
	}
	return fmt.Errorf("%s: tasks still open after 2 minutes", name)
}

// completeAndLog completes a claimed batch and records each completion
// in the CRM's own table in the same transaction.
func completeAndLog(ctx context.Context, s *Store, name string, got []*followup.Task) error {
	at := time.Now()
	items := make([]Completion, len(got))
	for i, c := range got {
		d := c.Clone()
		d.Status, d.Attempts, d.ClosedAt, d.UpdatedAt = followup.Done, d.Attempts+1, at, at
		d.Outcome = &followup.Outcome{Result: followup.Reached, By: ticket.Actor{ID: name, Role: c.Role}, At: at}
		items[i] = Completion{Task: d, Held: c.Lease}
	}
	tx, err := s.DB().Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	errs, err := s.WithTx(tx).CompleteBatch(ctx, items, at)
	if err != nil {
		return err
	}
	var done []uuid.UUID
	for i, e := range errs {
		if e == nil {
			done = append(done, items[i].Task.ID)
		}
	}
	if _, err := tx.Exec(ctx, `INSERT INTO crm_done (task, worker) SELECT unnest($1::uuid[]), $2`, done, name); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

func workerCmd(t *testing.T, mode, name, url string, lease time.Duration, batch int) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), "DESK_PG_WORKER="+mode, "DESK_PG_WORKER_NAME="+name, "DESK_PG_WORKER_URL="+url,
		"DESK_PG_WORKER_LEASE="+lease.String(), "DESK_PG_WORKER_BATCH="+strconv.Itoa(batch))
	cmd.Stderr = os.Stderr
	return cmd
}

// TestProcessesClaimEachTaskOnce: separate OS processes claim 10,000 due
// follow-ups (100,000 and 8 processes with -desk.long) from one database (F-queue, SKIP LOCKED); every task is
// completed exactly once. One process is killed with SIGKILL while it
// holds leases on a batch: those tasks come back when the lease expires
// and the others complete them.
func TestProcessesClaimEachTaskOnce(t *testing.T) {
	url := freshSchema(t)
	s := openAt(t, url)
	ctx := context.Background()
	if _, err := s.DB().Exec(ctx, `CREATE TABLE crm_done (task uuid NOT NULL, worker text NOT NULL,
		at timestamptz NOT NULL DEFAULT clock_timestamp())`); err != nil {
		t.Fatal(err)
	}
	tasks, workers, victimBatch := 10000, 4, 300
	if *long {
		tasks, workers = 100000, 8
	}
	const lease = 2 * time.Second
	seedBulk(t, s, tasks, time.Now().Add(-time.Minute))

	// The victim claims the first batch and is killed mid-lease.
	victim := workerCmd(t, "stall", "victim", url, lease, victimBatch)
	out, err := victim.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := victim.Start(); err != nil {
		t.Fatal(err)
	}
	victimTasks := map[uuid.UUID]bool{}
	var expires time.Time
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 2 && f[0] == "task" {
			victimTasks[uuid.MustParse(f[1])] = true
		}
		if len(f) == 2 && f[0] == "expires" {
			n, _ := strconv.ParseInt(f[1], 10, 64)
			expires = time.Unix(0, n)
			break
		}
	}
	if len(victimTasks) != victimBatch || expires.IsZero() {
		t.Fatalf("victim claimed %d tasks (want %d), expiry %v", len(victimTasks), victimBatch, expires)
	}
	if err := victim.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = victim.Wait()
	if time.Now().After(expires) {
		t.Fatalf("the victim was killed after its lease expired; the test needs a longer lease")
	}

	var procs []*exec.Cmd
	for w := range workers {
		cmd := workerCmd(t, "work", fmt.Sprintf("worker-%d", w), url, lease, 100)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		procs = append(procs, cmd)
	}
	for _, cmd := range procs {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("worker process failed: %v", err)
		}
	}

	var done, logged, distinct int
	if err := s.DB().QueryRow(ctx, `SELECT count(*) FROM desk_followups WHERE status = 'done'`).Scan(&done); err != nil {
		t.Fatal(err)
	}
	if err := s.DB().QueryRow(ctx, `SELECT count(*), count(DISTINCT task) FROM crm_done`).Scan(&logged, &distinct); err != nil {
		t.Fatal(err)
	}
	if done != tasks || logged != tasks || distinct != tasks {
		t.Fatalf("%d tasks done, %d completions logged for %d distinct tasks; want %d each (each task completed exactly once)",
			done, logged, distinct, tasks)
	}
	rows, err := s.DB().Query(ctx, `SELECT d.task, d.worker, d.at, f.version FROM crm_done d JOIN desk_followups f ON f.id = d.task
		WHERE d.task = ANY($1::uuid[])`, keys(victimTasks))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	back := 0
	for rows.Next() {
		var id uuid.UUID
		var worker string
		var at time.Time
		var version int64
		if err := rows.Scan(&id, &worker, &at, &version); err != nil {
			t.Fatal(err)
		}
		back++
		if worker == "victim" || at.Before(expires) || version != 4 {
			t.Errorf("task %s of the killed worker: completed by %s at %s (lease expired %s), version %d; want another worker after expiry, version 4 (created, claimed, claimed again, done)",
				id, worker, at.Format(time.RFC3339Nano), expires.Format(time.RFC3339Nano), version)
		}
	}
	if back != victimBatch {
		t.Fatalf("%d of the killed worker's %d tasks were completed by others", back, victimBatch)
	}
	per := map[string]int{}
	wr, _ := s.DB().Query(ctx, `SELECT worker, count(*) FROM crm_done GROUP BY worker`)
	for wr.Next() {
		var w string
		var n int
		_ = wr.Scan(&w, &n)
		per[w] = n
	}
	wr.Close()
	t.Logf("completions per worker process: %v", per)
}

func keys(m map[uuid.UUID]bool) []uuid.UUID {
	out := make([]uuid.UUID, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
