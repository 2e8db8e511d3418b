package postgres

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/observe"
	"github.com/servicedesk-go/desk/runner"
	"github.com/servicedesk-go/desk/ticket"
)

// A deriver process: DESK_PG_DERIVER names it; it runs the derive runner
// on the desk's outbox, woken only by LISTEN/NOTIFY (the poll interval is
// an hour), until SIGTERM, then prints how many events it handled.
func init() {
	if name := os.Getenv("DESK_PG_DERIVER"); name != "" {
		n, err := runDeriver(os.Getenv("DESK_PG_DERIVER_URL"))
		if err != nil {
			fmt.Fprintln(os.Stderr, name+":", err)
			os.Exit(1)
		}
		fmt.Printf("handled %d\n", n)
		os.Exit(0)
	}
}

func deriverWiring(s *Store, obs observe.Observer) (*ticket.Service, *followup.TicketSync, error) {
	tickets, err := ticket.New(s.Tickets(), ticket.Config{Desk: workerDesk, Observer: obs})
	if err != nil {
		return nil, nil, err
	}
	d, err := followup.NewDeriver(s.Followups(), followup.DeriverConfig{Desk: workerDesk, Location: time.UTC, Rules: followup.PropertyRules(1)})
	if err != nil {
		return nil, nil, err
	}
	q, err := followup.NewQueue(s.Followups(), followup.QueueConfig{Desk: workerDesk, Location: time.UTC, Tickets: tickets})
	if err != nil {
		return nil, nil, err
	}
	sync, err := followup.NewTicketSync(tickets, d, q, tickets)
	return tickets, sync, err
}

func runDeriver(url string) (int, error) {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	s, err := Open(context.Background(), url)
	if err != nil {
		return 0, err
	}
	defer s.Close()
	_, sync, err := deriverWiring(s, nil)
	if err != nil {
		return 0, err
	}
	wake, err := s.Listen(ctx, workerDesk)
	if err != nil {
		return 0, err
	}
	var handled atomic.Int64
	count := observe.Func(func(_ context.Context, r observe.Report) {
		if r.Op == observe.Derive && r.Outcome == observe.OK {
			handled.Add(int64(r.Count))
		}
	})
	r, err := runner.Derive(runner.Config{Interval: time.Hour, Wake: wake, Batch: 16, Observer: count}, sync)
	if err != nil {
		return 0, err
	}
	fmt.Println("ready")
	err = r.Run(ctx)
	return int(handled.Load()), err
}

// TestRunnerProcessesDeriveEachEventOnce: two OS processes run the derive
// runner on one database, woken by LISTEN/NOTIFY only (the writer's
// Notifier), while a third writes tickets; every event is acknowledged, and the follow-ups are
// exactly those one process derives alone in memory, each once.
func TestRunnerProcessesDeriveEachEventOnce(t *testing.T) {
	s, url := openStore(t)
	ctx := context.Background()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	type proc struct {
		cmd *exec.Cmd
		out *bufio.Scanner
	}
	var procs []proc
	for _, name := range []string{"deriver-a", "deriver-b"} {
		cmd := exec.Command(exe, "-test.run=^$")
		cmd.Env = append(os.Environ(), "DESK_PG_DERIVER="+name, "DESK_PG_DERIVER_URL="+url)
		cmd.Stderr = os.Stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		sc := bufio.NewScanner(out)
		if !sc.Scan() || sc.Text() != "ready" {
			t.Fatalf("%s did not start: %q", name, sc.Text())
		}
		procs = append(procs, proc{cmd, sc})
	}

	// The same tickets through the PostgreSQL store and, for reference,
	// the in-memory one.
	// The writer notifies after each action (Notifier), outside its
	// transactions.
	notifier := s.Notifier()
	defer notifier.Close()
	tickets, _, err := deriverWiring(s, notifier)
	if err != nil {
		t.Fatal(err)
	}
	mem, err := ticket.New(ticket.NewMemStore(), ticket.Config{Desk: workerDesk})
	if err != nil {
		t.Fatal(err)
	}
	memStore := followup.NewMemStore()
	md, _ := followup.NewDeriver(memStore, followup.DeriverConfig{Desk: workerDesk, Location: time.UTC, Rules: followup.PropertyRules(1)})
	mq, _ := followup.NewQueue(memStore, followup.QueueConfig{Desk: workerDesk, Location: time.UTC, Tickets: mem})
	msync, err := followup.NewTicketSync(mem, md, mq, mem)
	if err != nil {
		t.Fatal(err)
	}
	li := ticket.Actor{ID: "li", Role: ticket.RoleAgent}
	zhao := ticket.Actor{ID: "zhao", Role: ticket.RoleRepairLead}
	n := 40
	if *long {
		n = 400
	}
	categories := []string{followup.Leak, followup.Safety, "door"}
	for i := range n {
		for _, svc := range []*ticket.Service{tickets, mem} {
			tk, err := svc.Receive(ctx, li, ticket.Intake{Kind: ticket.Repair, Category: categories[i%3], Channel: ticket.Phone,
				Fields: map[string]string{ticket.FieldPerson: "p", ticket.FieldPhone: "x", ticket.FieldLocation: "3-201", ticket.FieldItem: "pipe"}})
			if err != nil {
				t.Fatal(err)
			}
			if tk, err = svc.Dispatch(ctx, li, tk.Ref(), ticket.Assignment{Assignee: "zhao"}); err != nil {
				t.Fatal(err)
			}
			if _, err = svc.Resolve(ctx, zhao, tk.Ref(), "fixed"); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := msync.Drain(ctx); err != nil {
		t.Fatal(err)
	}

	// Wait until both processes together acknowledged every event.
	deadline := time.Now().Add(2 * time.Minute)
	for {
		p, err := tickets.Pending(ctx, followup.Consumer, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(p) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("events still pending after 2 minutes: the runners were not woken")
		}
		time.Sleep(20 * time.Millisecond)
	}
	total := 0
	for i, p := range procs {
		if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		var handled int
		if !p.out.Scan() {
			t.Fatalf("process %d printed nothing", i)
		}
		if _, err := fmt.Sscanf(p.out.Text(), "handled %d", &handled); err != nil {
			t.Fatalf("process %d: %q", i, p.out.Text())
		}
		if err := p.cmd.Wait(); err != nil {
			t.Fatalf("process %d did not stop cleanly: %v", i, err)
		}
		t.Logf("process %d handled %d of %d events", i, handled, 3*n)
		total += handled
	}
	if total < 3*n {
		t.Fatalf("the processes handled %d events, fewer than the %d written", total, 3*n)
	}

	want := map[string]int{}
	memTasks, _ := mq.List(ctx, followup.Filter{})
	for _, task := range memTasks {
		want[task.Rule]++
	}
	got := map[string]int{}
	rows, err := s.DB().Query(ctx, `SELECT rule, count(*), count(DISTINCT (ticket_id, rule)) FROM desk_followups WHERE desk = $1 GROUP BY rule`, workerDesk)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var rule string
		var c, distinct int
		if err := rows.Scan(&rule, &c, &distinct); err != nil {
			t.Fatal(err)
		}
		if c != distinct {
			t.Errorf("rule %s: %d tasks for %d (ticket, rule) pairs", rule, c, distinct)
		}
		got[rule] = c
	}
	if rows.Err() != nil {
		t.Fatal(rows.Err())
	}
	t.Logf("tasks by rule: %v", got)
	if len(want) == 0 || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("tasks by rule %v, want %v (one process in memory)", got, want)
	}
	if strings.Contains(fmt.Sprint(got), "map[]") {
		t.Fatal("nothing derived")
	}
}

// TestListen: a committed ticket write wakes a listener of its desk, not
// one of another desk; an uncommitted one wakes nobody.
func TestListen(t *testing.T) {
	s, _ := openStore(t)
	// The channel is one per database: desks unique to this test keep
	// other tests' writes out of it.
	desk := fmt.Sprintf("listen-%d", os.Getpid())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	north, err := s.Listen(ctx, desk)
	if err != nil {
		t.Fatal(err)
	}
	south, err := s.Listen(ctx, desk+"-south")
	if err != nil {
		t.Fatal(err)
	}
	li := ticket.Actor{ID: "li", Role: ticket.RoleAgent}
	svc, _ := ticket.New(s.Tickets(), ticket.Config{Desk: desk})
	// Off (the migration's default): a committed write wakes nobody.
	if _, err := svc.Receive(ctx, li, ticket.Intake{Kind: ticket.Inquiry, Channel: ticket.Phone}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-north:
		t.Fatal("woken with the notification off")
	case <-time.After(200 * time.Millisecond):
	}
	if err := s.SetNotify(ctx, true); err != nil {
		t.Fatal(err)
	}
	tx, err := s.DB().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	inTx, _ := ticket.New(s.WithTx(tx).Tickets(), ticket.Config{Desk: desk})
	if _, err := inTx.Receive(ctx, li, ticket.Intake{Kind: ticket.Inquiry, Channel: ticket.Phone}); err != nil {
		t.Fatal(err)
	}
	tx.Rollback(ctx)
	if _, err := svc.Receive(ctx, li, ticket.Intake{Kind: ticket.Inquiry, Channel: ticket.Phone}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-north:
	case <-time.After(10 * time.Second):
		t.Fatal("no notification for a committed write")
	}
	// The rolled-back write sent nothing; the committed one was merged
	// into the one wake-up above, and south heard nothing of north.
	select {
	case <-north:
		t.Fatal("a second wake-up: the rolled-back write notified")
	case <-south:
		t.Fatal("a listener of another desk was woken")
	case <-time.After(200 * time.Millisecond):
	}
	// The Notifier, with the trigger off again: a committed action wakes
	// the listener from the writing process.
	if err := s.SetNotify(ctx, false); err != nil {
		t.Fatal(err)
	}
	notifier := s.Notifier()
	defer notifier.Close()
	withNotifier, _ := ticket.New(s.Tickets(), ticket.Config{Desk: desk, Observer: notifier})
	if _, err := withNotifier.Receive(ctx, li, ticket.Intake{Kind: ticket.Inquiry, Channel: ticket.Phone}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-north:
	case <-time.After(10 * time.Second):
		t.Fatal("the Notifier woke nobody")
	}
	cancel()
	for range north {
	}
}

// BenchmarkNotify: ticket transitions from 4 goroutines per CPU, each
// on its own ticket, with the outbox notification off and on,
// interleaved in one run; the ratio is what SetNotify(true) costs a busy
// desk.
func BenchmarkNotify(b *testing.B) {
	s, _ := openStore(b)
	ctx := context.Background()
	var seq atomic.Int64
	run := func(b *testing.B, on bool) {
		if err := s.SetNotify(ctx, on); err != nil {
			b.Fatal(err)
		}
		b.SetParallelism(4)
		b.RunParallel(func(pb *testing.PB) {
			cur, ev := newTicket("north", int(seq.Add(1)))
			if err := s.Tickets().Create(ctx, cur, []ticket.Event{ev}); err != nil {
				b.Error(err)
				return
			}
			for pb.Next() {
				n, nev := next(cur, ticket.Received, "step")
				if err := s.Tickets().Update(ctx, n, nev); err != nil {
					b.Error(err)
					return
				}
				cur = n
			}
		})
	}
	for range 3 {
		b.Run("off", func(b *testing.B) { run(b, false) })
		b.Run("on", func(b *testing.B) { run(b, true) })
	}
}
