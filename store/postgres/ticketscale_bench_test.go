package postgres

import (
	"context"
	"crypto/md5"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/servicedesk-go/desk/ticket"
)

// The size of the tickets-at-scale benchmark: a small desk by default
// (so that CI and .ci/bench run it in seconds), a million tickets and
// five million events with DESK_BENCH_SCALE=1, or DESK_BENCH_TICKETS
// tickets. Every ticket has scaleEvents events.
const (
	scaleSmallTickets = 20_000
	scaleLargeTickets = 1_000_000
	scaleEvents       = 5
	scalePage         = 50 // the page size of every query, as a user's screen asks
)

func scaleTickets(b *testing.B) int {
	if v := os.Getenv("DESK_BENCH_TICKETS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1000 {
			b.Fatalf("DESK_BENCH_TICKETS=%q: want a number of tickets, at least 1000", v)
		}
		return n
	}
	if os.Getenv("DESK_BENCH_SCALE") == "1" {
		return scaleLargeTickets
	}
	return scaleSmallTickets
}

// scaleNow is the moment the queries ask at: the end of the filled
// year.
var scaleNow = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// scaleDesk describes the filled desk, so that the queries pick
// parameters (an owner, a cursor) that the data holds. The same formulas
// are in fillScaleSQL.
type scaleDesk struct {
	n     int64
	start time.Time     // ticket g is received at start + g*step
	step  time.Duration // whole seconds
}

func (d scaleDesk) received(g int64) time.Time { return d.start.Add(time.Duration(g) * d.step) }
func (d scaleDesk) open(g int64) bool          { return g%50 < 4 }
func (d scaleDesk) updated(g int64) time.Time {
	h := g % 72
	if d.open(g) {
		h = g % 6
	}
	return d.received(g).Add(time.Duration(h) * time.Hour)
}
func (d scaleDesk) due(g int64) time.Time { return d.received(g).Add(24 * time.Hour) }

// scaleID is the ID of ticket g (md5('t' || g) in the fill).
func scaleID(g int64) uuid.UUID { return uuid.UUID(md5.Sum([]byte("t" + strconv.FormatInt(g, 10)))) }

// BenchmarkTicketsAtScale/P_queries_on_a_large_desk measures every
// Filter field, every order, cursors, History and the overdue pages on
// one desk of PostgreSQL (1M tickets and 5M events with
// DESK_BENCH_SCALE=1), through the public path: ticket.Service over the
// adapter, pages of 50 from random cursors and values. The baseline is
// reading the same answer by its keys (the tickets of the page by case
// number, the events by ID), interleaved with the query: a query that
// reads what it returns stays within a small factor of it, one that
// scans grows with the desk. Metrics per query: p50-ms and p99-ms of the
// query, base-p50-ms of the key read, x-base (p50 over base p50) and
// rows/op. The desk is filled in the server (INSERT ... SELECT over
// generate_series); DESK_BENCH_KEEP=1 keeps the filled schema for the
// next run.
func BenchmarkTicketsAtScale(b *testing.B) {
	ctx := context.Background()
	n := scaleTickets(b)
	url := testURL(b)
	schema := fmt.Sprintf("desk_scale_%d", n)
	d := scaleDesk{n: int64(n), step: time.Duration(365*24*3600/n+1) * time.Second}
	d.start = scaleNow.Add(-time.Duration(n+1) * d.step)
	pool := openScale(b, url, schema, d)
	svc, err := ticket.New(New(pool).Tickets(), ticket.Config{Desk: "north", Now: func() time.Time { return scaleNow }})
	if err != nil {
		b.Fatal(err)
	}
	open := []ticket.State{ticket.Received, ticket.Dispatched, ticket.Resolved, ticket.Answered, ticket.Revisit, ticket.Reopened}
	type query struct {
		name string
		f    func(r *rand.Rand) ticket.Filter
	}
	randNumber := func(r *rand.Rand) int64 { return 1 + r.Int64N(d.n) }
	randOpen := func(r *rand.Rand) int64 { return 50*r.Int64N(d.n/50) + r.Int64N(4) + 50 }
	queries := []query{
		{"number", func(r *rand.Rand) ticket.Filter { return ticket.Filter{After: &ticket.Cursor{Number: randNumber(r)}} }},
		{"number_desc", func(r *rand.Rand) ticket.Filter {
			return ticket.Filter{Order: ticket.ByNumberDesc, After: &ticket.Cursor{Number: randNumber(r)}}
		}},
		{"updated", func(r *rand.Rand) ticket.Filter {
			g := randNumber(r)
			return ticket.Filter{Order: ticket.ByUpdated, After: &ticket.Cursor{Number: g, Updated: d.updated(g)}}
		}},
		{"due", func(r *rand.Rand) ticket.Filter {
			g := randOpen(r)
			return ticket.Filter{Order: ticket.ByDue, After: &ticket.Cursor{Number: g, Due: d.due(g)}}
		}},
		{"states_reopened", func(r *rand.Rand) ticket.Filter {
			return ticket.Filter{States: []ticket.State{ticket.Reopened}, After: &ticket.Cursor{Number: randNumber(r)}}
		}},
		{"states_open", func(r *rand.Rand) ticket.Filter {
			return ticket.Filter{States: open, After: &ticket.Cursor{Number: randNumber(r)}}
		}},
		{"kinds", func(r *rand.Rand) ticket.Filter {
			return ticket.Filter{Kinds: []ticket.Kind{ticket.Complaint}, After: &ticket.Cursor{Number: randNumber(r)}}
		}},
		{"owner", func(r *rand.Rand) ticket.Filter { return ticket.Filter{Owner: fmt.Sprint("agent-", r.IntN(40))} }},
		{"assignee", func(r *rand.Rand) ticket.Filter { return ticket.Filter{Assignee: fmt.Sprint("worker-", r.IntN(30))} }},
		{"department", func(r *rand.Rand) ticket.Filter { return ticket.Filter{Department: fmt.Sprint("dept-", r.IntN(12))} }},
		{"department_open", func(r *rand.Rand) ticket.Filter {
			return ticket.Filter{Department: fmt.Sprint("dept-", r.IntN(12)), States: open}
		}},
		{"customer", func(r *rand.Rand) ticket.Filter {
			return ticket.Filter{Customer: fmt.Sprint("customer-", r.IntN(200_000))}
		}},
		{"classes", func(r *rand.Rand) ticket.Filter {
			return ticket.Filter{Classes: []string{fmt.Sprint("class-", r.IntN(7))}}
		}},
		{"severities", func(r *rand.Rand) ticket.Filter {
			return ticket.Filter{Severities: []ticket.Severity{ticket.Major}, After: &ticket.Cursor{Number: randNumber(r)}}
		}},
		{"unowned", func(r *rand.Rand) ticket.Filter {
			return ticket.Filter{Unowned: true, After: &ticket.Cursor{Number: randNumber(r)}}
		}},
		{"incomplete", func(r *rand.Rand) ticket.Filter {
			return ticket.Filter{Incomplete: true, After: &ticket.Cursor{Number: randNumber(r)}}
		}},
		{"priorities", func(r *rand.Rand) ticket.Filter {
			return ticket.Filter{Priorities: []ticket.Priority{ticket.PriorityUrgent}, After: &ticket.Cursor{Number: randNumber(r)}}
		}},
		{"tags", func(r *rand.Rand) ticket.Filter {
			return ticket.Filter{Tags: []string{"vip"}, After: &ticket.Cursor{Number: randNumber(r)}}
		}},
		{"tags_two", func(r *rand.Rand) ticket.Filter {
			return ticket.Filter{Tags: []string{fmt.Sprint("tag-", r.IntN(53)), "vip"}}
		}},
		{"due_before", func(r *rand.Rand) ticket.Filter {
			return ticket.Filter{DueBefore: scaleNow, After: &ticket.Cursor{Number: randOpen(r)}}
		}},
		{"received_day", func(r *rand.Rand) ticket.Filter {
			from := d.received(randNumber(r))
			return ticket.Filter{ReceivedFrom: from, ReceivedBefore: from.Add(24 * time.Hour)}
		}},
		{"updated_day", func(r *rand.Rand) ticket.Filter {
			from := d.updated(randNumber(r))
			return ticket.Filter{UpdatedFrom: from, UpdatedBefore: from.Add(24 * time.Hour), Order: ticket.ByUpdated}
		}},
	}
	for _, q := range queries {
		b.Run(q.name, func(b *testing.B) {
			r := rand.New(rand.NewPCG(16, uint64(len(q.name))))
			runScale(b, pool, func() ([]int64, error) {
				f := q.f(r)
				f.Limit = scalePage
				page, err := svc.List(ctx, f)
				return numbersOf(page), err
			})
		})
	}
	// The overdue pages: from the start, from a random place, for a
	// department.
	overdue := func(b *testing.B, q func(r *rand.Rand) ticket.OverdueQuery) {
		r := rand.New(rand.NewPCG(16, 18))
		runScale(b, pool, func() ([]int64, error) {
			page, err := svc.Overdue(ctx, q(r))
			var out []int64
			for _, o := range page {
				out = append(out, o.Ticket.Number)
			}
			return out, err
		})
	}
	b.Run("overdue_first", func(b *testing.B) {
		overdue(b, func(*rand.Rand) ticket.OverdueQuery { return ticket.OverdueQuery{Limit: scalePage} })
	})
	b.Run("overdue_after", func(b *testing.B) {
		overdue(b, func(r *rand.Rand) ticket.OverdueQuery {
			late, stale := randOpen(r), randOpen(r)
			return ticket.OverdueQuery{Limit: scalePage, After: &ticket.OverdueCursor{
				Late:  &ticket.Cursor{Number: late, Due: d.due(late)},
				Stale: &ticket.Cursor{Number: stale, Updated: d.updated(stale)},
			}}
		})
	})
	b.Run("overdue_department", func(b *testing.B) {
		overdue(b, func(r *rand.Rand) ticket.OverdueQuery {
			return ticket.OverdueQuery{Limit: scalePage, Department: fmt.Sprint("dept-", r.IntN(12))}
		})
	})
	b.Run("history", func(b *testing.B) {
		r := rand.New(rand.NewPCG(16, 14))
		runScaleEvents(b, pool, func() ([]uuid.UUID, error) {
			h, err := svc.History(ctx, scaleID(randNumber(r)))
			ids := make([]uuid.UUID, len(h))
			for i, e := range h {
				ids[i] = e.ID
			}
			return ids, err
		})
	})
}

// runScale times a list query and the key read of its answer.
func runScale(b *testing.B, pool *pgxpool.Pool, query func() ([]int64, error)) {
	ctx := context.Background()
	timeScale(b, func() ([]int64, int, error) {
		numbers, err := query()
		return numbers, len(numbers), err
	}, func(numbers []int64) error {
		rows, err := pool.Query(ctx, `SELECT number, version, body FROM desk_tickets WHERE desk = 'north' AND number = ANY($1)`, numbers)
		if err != nil {
			return err
		}
		// Decoded here with encoding/json, not through the adapter's
		// scanner, so the baseline shares no code with the side it times.
		got, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*ticket.Ticket, error) {
			var number, version int64
			var body []byte
			t := new(ticket.Ticket)
			if err := row.Scan(&number, &version, &body); err != nil {
				return nil, err
			}
			if err := json.Unmarshal(body, t); err != nil {
				return nil, err
			}
			t.Number, t.Version = number, version
			return t, nil
		})
		if want := len(slices.Compact(slices.Sorted(slices.Values(numbers)))); err == nil && len(got) != want {
			err = fmt.Errorf("the key read found %d of %d tickets", len(got), want)
		}
		return err
	})
}

// runScaleEvents times a history and the read of its events by ID.
func runScaleEvents(b *testing.B, pool *pgxpool.Pool, query func() ([]uuid.UUID, error)) {
	ctx := context.Background()
	timeScale(b, func() ([]uuid.UUID, int, error) {
		ids, err := query()
		return ids, len(ids), err
	}, func(ids []uuid.UUID) error {
		rows, err := pool.Query(ctx, `SELECT body FROM desk_ticket_events WHERE desk = 'north' AND id = ANY($1)`, ids)
		if err != nil {
			return err
		}
		got, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (ticket.Event, error) {
			var body []byte
			var e ticket.Event
			if err := row.Scan(&body); err != nil {
				return e, err
			}
			return e, json.Unmarshal(body, &e)
		})
		if err == nil && len(got) != len(ids) {
			err = fmt.Errorf("the key read found %d of %d events", len(got), len(ids))
		}
		return err
	})
}

// timeScale runs b.N rounds of one timed query and one timed key read,
// interleaved: on even rounds the query, then the read of its answer; on
// odd rounds the read of the previous answer, then the query. It reports
// the percentiles of both.
func timeScale[A any](b *testing.B, query func() (A, int, error), read func(A) error) {
	b.Helper()
	var qd, bd []time.Duration
	rows := 0
	var answer A
	timed := func(f func() error, into *[]time.Duration) {
		t0 := time.Now()
		err := f()
		*into = append(*into, time.Since(t0))
		if err != nil {
			b.Fatal(err)
		}
	}
	ask := func() error {
		a, n, err := query()
		answer, rows = a, rows+n
		return err
	}
	readIt := func() error { return read(answer) }
	if err := ask(); err != nil { // the first answer, for the first odd round
		b.Fatal(err)
	}
	rows = 0
	b.ResetTimer()
	for i := range b.N {
		if i%2 == 0 {
			timed(ask, &qd)
			timed(readIt, &bd)
		} else {
			timed(readIt, &bd)
			timed(ask, &qd)
		}
	}
	b.StopTimer()
	b.ReportMetric(percentile(qd, 50), "p50-ms")
	b.ReportMetric(percentile(qd, 99), "p99-ms")
	b.ReportMetric(percentile(bd, 50), "base-p50-ms")
	if base := percentile(bd, 50); base > 0 {
		b.ReportMetric(percentile(qd, 50)/base, "x-base")
	}
	b.ReportMetric(float64(rows)/float64(b.N), "rows/op")
}

// percentile returns the p-th percentile of ds in milliseconds (nearest
// rank).
func percentile(ds []time.Duration, p int) float64 {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(ds))
	k := (p*len(s) + 99) / 100
	return float64(s[max(k, 1)-1]) / float64(time.Millisecond)
}

// openScale returns a pool on schema, filled with the desk d: reused as
// it is when DESK_BENCH_KEEP=1 and a previous run filled it, else made
// afresh (and dropped at the end unless DESK_BENCH_KEEP=1).
func openScale(b *testing.B, url, schema string, d scaleDesk) *pgxpool.Pool {
	b.Helper()
	ctx := context.Background()
	keep := os.Getenv("DESK_BENCH_KEEP") == "1"
	admin, err := pgx.Connect(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close(ctx)
	ident := pgx.Identifier{schema}.Sanitize()
	var filled bool
	if err := admin.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, schema+".desk_scale_filled").Scan(&filled); err != nil {
		b.Fatal(err)
	}
	if !keep || !filled {
		if _, err := admin.Exec(ctx, "DROP SCHEMA IF EXISTS "+ident+" CASCADE; CREATE SCHEMA "+ident); err != nil {
			b.Fatal(err)
		}
		filled = false
	}
	if !keep {
		b.Cleanup(func() {
			c, err := pgx.Connect(context.Background(), url)
			if err == nil {
				_, _ = c.Exec(context.Background(), "DROP SCHEMA IF EXISTS "+ident+" CASCADE")
				c.Close(context.Background())
			}
		})
	}
	cfg, err := pgxpool.ParseConfig(withSearchPath(url, schema))
	if err != nil {
		b.Fatal(err)
	}
	cfg.MaxConns = 4
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	// A kept schema is migrated to the steps added since it was filled,
	// as a deployment's would be.
	if err := New(pool).Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	if filled {
		b.Logf("reusing the filled schema %s", schema)
		if _, err := pool.Exec(ctx, "ANALYZE desk_tickets"); err != nil {
			b.Fatal(err)
		}
		return pool
	}
	fillScale(b, pool, d)
	if _, err := pool.Exec(ctx, `CREATE TABLE desk_scale_filled (n bigint)`); err != nil {
		b.Fatal(err)
	}
	return pool
}

// fillScale fills the desk "north" in the server, a chunk of tickets
// and their events per statement: the formulas of scaleDesk for the
// keys, and a ticket body built from a real ticket's JSON with the
// row's values over it, so that the service reads tickets (their
// deadlines, tags, department) that agree with the keys.
func fillScale(b *testing.B, pool *pgxpool.Pool, d scaleDesk) {
	b.Helper()
	ctx := context.Background()
	t0 := time.Now()
	tmpl, err := json.Marshal(&ticket.Ticket{Desk: "north", Channel: ticket.Phone, Category: "leak",
		Subject: "Water from the ceiling", Description: "The kitchen ceiling of 3-201 drips since the morning; the neighbour above is away.",
		Fields: map[string]string{"person": "Wang", "phone": "13800000000", "location": "3-201", "item": "kitchen pipe"}})
	if err != nil {
		b.Fatal(err)
	}
	evTmpl, err := json.Marshal(&ticket.Event{Desk: "north", Action: ticket.ActNote, Actor: "agent-1", Role: ticket.RoleAgent,
		Note: "called the customer back", Data: map[string]string{"channel": "phone"}})
	if err != nil {
		b.Fatal(err)
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Release()
	// Each event is written with its ticket's chunk, so its foreign key
	// holds by construction: the checks are skipped when the role may (a
	// superuser on the dev server); otherwise they run.
	if _, err := conn.Exec(ctx, "SET session_replication_role = replica"); err == nil {
		defer conn.Exec(ctx, "RESET session_replication_role")
	}
	const chunk = 100_000
	for lo := int64(1); lo <= d.n; lo += chunk {
		hi := min(lo+chunk-1, d.n)
		if _, err := conn.Exec(ctx, fillScaleSQL, lo, hi, d.start.Unix(), int64(d.step/time.Second), string(tmpl)); err != nil {
			b.Fatalf("fill tickets %d-%d: %v", lo, hi, err)
		}
		if _, err := conn.Exec(ctx, fillScaleEventsSQL, lo, hi, d.start.Unix(), int64(d.step/time.Second), string(evTmpl), scaleEvents); err != nil {
			b.Fatalf("fill events %d-%d: %v", lo, hi, err)
		}
		b.Logf("filled %d of %d tickets (%s)", hi, d.n, time.Since(t0).Round(time.Second))
	}
	if _, err := conn.Exec(ctx, `INSERT INTO desk_ticket_numbers (desk, last) VALUES ('north', $1)`, d.n); err != nil {
		b.Fatal(err)
	}
	for _, q := range []string{"VACUUM ANALYZE desk_tickets", "VACUUM ANALYZE desk_ticket_tags", "VACUUM ANALYZE desk_ticket_events"} {
		if _, err := conn.Exec(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("filled %d tickets and %d events in %s", d.n, d.n*scaleEvents, time.Since(t0).Round(time.Second))
}

// fillScaleSQL writes tickets $1..$2 of desk north: received at
// $3 + g*$4 seconds; 8 % open (received, dispatched, resolved,
// reopened) with a dispatch clock due a day after receipt; 12
// departments; 40 owners (every 97th unowned); 200,000 customers; a
// tag of 53 on each, "vip" on every 211th.
const fillScaleSQL = `
WITH rows AS (
    SELECT g, r.recv,
        CASE g % 50 WHEN 0 THEN 'reopened' WHEN 1 THEN 'dispatched' WHEN 2 THEN 'received' WHEN 3 THEN 'resolved' ELSE 'closed' END AS state,
        CASE WHEN g % 10 = 0 THEN 'complaint' WHEN g % 10 < 3 THEN 'inquiry' ELSE 'repair' END AS kind,
        CASE WHEN g % 97 = 0 THEN '' ELSE 'agent-' || (g % 40) END AS owner,
        CASE WHEN g % 50 = 2 THEN '' ELSE 'worker-' || (g % 30) END AS assignee,
        CASE WHEN g % 50 = 2 THEN '' ELSE 'dept-' || (g % 12) END AS department,
        'customer-' || (g % 200000) AS customer,
        CASE WHEN g % 10 = 0 THEN 'class-' || (g % 7) END AS class,
        CASE WHEN g % 10 = 0 THEN (ARRAY['minor','normal','major'])[1 + g % 3] END AS severity,
        g % 89 = 0 AS incomplete,
        r.recv + 3600 * CASE WHEN g % 50 < 4 THEN g % 6 ELSE g % 72 END AS upd,
        CASE WHEN g % 50 < 4 THEN r.recv + 86400 END AS due,
        (ARRAY['low','normal','high','urgent'])[1 + g % 4] AS priority,
        CASE WHEN g % 211 = 0 THEN ARRAY['tag-' || (g % 53), 'vip'] ELSE ARRAY['tag-' || (g % 53)] END AS tags
    FROM generate_series($1::bigint, $2::bigint) AS g, LATERAL (SELECT $3::bigint + g * $4::bigint AS recv) AS r
), t AS (
    INSERT INTO desk_tickets (id, desk, number, version, state, kind, owner, assignee, customer, complaint_class,
        complaint_severity, incomplete, next_due, received_at, updated_at, body, priority, tags, department)
    SELECT md5('t' || g)::uuid, 'north', g, 5, state, kind, owner, assignee, customer, class, severity, incomplete,
        due * 1000000000, recv * 1000000000, upd * 1000000000,
        $5::jsonb || jsonb_build_object('id', md5('t' || g)::uuid, 'number', g, 'version', 5, 'state', state, 'kind', kind,
            'owner', owner, 'assignee', assignee, 'department', department,
            'customer', jsonb_build_object('id', customer, 'name', 'Wang', 'phone', '13800000000'),
            'complaint', CASE WHEN class IS NOT NULL THEN jsonb_build_object('class', class, 'severity', severity) END,
            'missing', CASE WHEN incomplete THEN '["phone"]'::jsonb END,
            'priority', priority, 'tags', to_jsonb(tags),
            'deadlines', CASE WHEN due IS NULL THEN '[]'::jsonb ELSE jsonb_build_array(jsonb_build_object('name', 'dispatch',
                'start', to_char(to_timestamp(recv) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                'due', to_char(to_timestamp(due) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                'done', '0001-01-01T00:00:00Z')) END,
            'received_at', to_char(to_timestamp(recv) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
            'updated_at', to_char(to_timestamp(upd) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')),
        priority, ',' || array_to_string(tags, ',') || ',', department
    FROM rows
)
INSERT INTO desk_ticket_tags (desk, number, tag) SELECT 'north', g, unnest(tags) FROM rows`

// fillScaleEventsSQL writes $6 events for each of tickets $1..$2, an
// hour apart from receipt.
const fillScaleEventsSQL = `
INSERT INTO desk_ticket_events (id, desk, ticket_id, seq, body)
SELECT md5('e' || g || '-' || s)::uuid, 'north', md5('t' || g)::uuid, s,
    $5::jsonb || jsonb_build_object('id', md5('e' || g || '-' || s)::uuid, 'ticket', md5('t' || g)::uuid, 'seq', s,
        'at', to_char(to_timestamp($3::bigint + g * $4::bigint + 3600 * (s - 1)) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
FROM generate_series($1::bigint, $2::bigint) AS g, generate_series(1, $6::int) AS s`

func numbersOf(ts []*ticket.Ticket) []int64 {
	out := make([]int64, len(ts))
	for i, t := range ts {
		out[i] = t.Number
	}
	return out
}
