// Package followup makes sure a desk never forgets a callback: rules turn
// what happened to a customer into dated follow-up tasks, workers claim
// due tasks with a lease, and outcomes feed back into tickets and into
// monthly statistics. Rule IDs (F1–F13, T13, K1–K4) refer to RULES.md.
//
// # Triggers, rules, tasks
//
// A Trigger is something that happened: a ticket event read from the
// ticket outbox (TriggersFrom maps resolve, answer, a closed complaint, a
// failed revisit, ...) or an event from elsewhere (an enquiry, a vehicle
// delivery, a service visit, a move-in, a renewal or fee date, a
// birthday). A Rule maps a trigger kind, and optionally the kind of
// ticket and a category, to a window (From, To: calendar-correct
// offsets, so 31 January plus one month is the end of February), a
// channel, a responsible role (or an F3 Quota of roles), an F4
// checklist, an attempt policy and optional F5 sampling. Rule sets come
// as presets per kind of desk — PropertyRules (F1, F2, F6, F7, F8, F13)
// and DealerRules (F9, F13) — and a desk changes, adds or switches off
// rules with RuleSet.Set and RuleSet.SwitchOff. Every number is a
// default.
//
// A Deriver applies the rules. Task IDs are uuid.NewSHA1 of desk,
// trigger key and rule ID (TaskID) and every Store refuses a duplicate
// ID, so deriving is idempotent: the same trigger twice, or two derivers
// at once, yield one task per rule. Windows open at the next contact time
// of a Calendar (ContactHours: no call at 23:30 or on a closed day)
// unless the rule says AnyTime.
//
// # Queue and outcomes
//
// A Queue claims due tasks for a worker with a lease (Claim); a worker
// that dies loses its lease and the task returns to the queue when the
// lease expires. Complete records an Outcome once: Reached (with the F4
// checklist, the visited person's signature, a K4 satisfaction score,
// the F9 customer grade where the rule asks for it), NotReached (tried
// again after the rule's pause until the attempts are used up, then
// Unreachable and on the month's F10 list), ProblemFound (the ticket's
// revisit fails: it reopens and the written rework notice is due within
// 24 h, T13) or Withdrawn. Completing twice, late or with another's
// lease is ErrLeaseLost and records nothing. A ticket's outstanding
// revisit is cleared only by an outcome, through
// ticket.Service.RecordRevisit.
//
// The Store interface is small and its contracts are checked by
// followuptest.RunStoreTests; MemStore keeps open tasks in 4-ary heaps,
// so claims and completions are O(log n).
//
// A store may do more in one round trip, and Queue uses it without the
// caller asking: on a BatchCompleter the completions of concurrent
// workers share a batch, and on a BatchWorker their claims and
// completions share a round (one commit for all), a task the queue
// claimed then being completed with no read first. Each caller still
// gets its own result and the per-task guarantees are unchanged (a
// lost lease fails its own task only). CreateTasks creates many tasks
// in one round trip on a BatchCreator (an import, derivation catching
// up). store/postgres implements all three and store/sqlite
// BatchCompleter; MemStore none.
//
// # Wiring tickets (the recipe)
//
// Package ticket does not import followup; the link is the ticket
// outbox and the ticket's public API:
//
//	tickets, _ := ticket.New(ticket.NewMemStore(), ticket.Config{Desk: "d1", Policy: &pol})
//	store := followup.NewMemStore()
//	d, _ := followup.NewDeriver(store, followup.DeriverConfig{Desk: "d1", Rules: followup.PropertyRules(1), Calendar: cal})
//	q, _ := followup.NewQueue(store, followup.QueueConfig{Desk: "d1", Tickets: tickets, Calendar: cal})
//	sync, _ := followup.NewTicketSync(tickets, d, q, tickets)
//	sync.Drain(ctx)                             // after ticket changes: derive, then ack
//	ts, _ := q.Claim(ctx, "wang", "", 10)       // a worker's due tasks
//	q.Complete(ctx, ts[0], followup.Outcome{...}) // outcome → ticket revisit
//
// Run Drain again after ticket changes (or on a timer); a crash before
// its acknowledgement replays events, and derivation creates nothing
// twice. At start-up, q.SyncAll(ctx) records outcomes whose ticket write
// a crash cut off.
//
// # Sampling, quotas, reports
//
// Sampling chooses complaint revisits (F5: at least 10 %, of those at
// least 30 % on site and signed) by a seeded hash, reproducibly; Quota
// divides repair revisits among roles (F3: director 10 %, property
// administrators 30 %, repair lead 60 %). A Deriver balances both by
// default, so that every month meets the shares, not only on average;
// DeriverConfig.OnAverage selects the stateless hash alone, which is not
// guaranteed to. Both also plan a known batch exactly and check a
// month's actuals. Queue.Report builds the monthly
// statistics (F11, K1, K3, K4, F12: revisit rate, on-time rate,
// complaint feedback on time, effective contact rate, outcomes and
// satisfaction by category and rule, the unreachable list) as a text
// table or JSON.
//
// Customer data (S1): a task's Subject is a reference, never a name or
// phone number; signatures are references to a signature record. An
// outcome note is free text and may name anything ("moved away; new
// number 137..."), so erasure treats it as personal.
//
// # Erasing a customer
//
// Erase is the one call that forgets a customer (S1) across packages:
// their tickets and the cases linked from them (T17), every follow-up
// task of those tickets or about the customer, and every outcome; on a
// SQL database in one transaction (Stores.InTx, which postgres.Store and
// sqlite.Store implement, also when bound to the caller's transaction),
// so it happens all or not at all:
//
//	n, err := followup.Erase(ctx, db, tickets, lead, "crm-42")
//
// ticket.Service.Erase alone reaches the tickets only. With the
// in-memory stores (MemStores) there is no transaction: the follow-ups
// are written first, and a failed erasure is finished by erasing again.
// Roster records name staff, never customers, so there is nothing to
// erase there.
package followup
