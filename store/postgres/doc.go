// Package postgres keeps a service desk's tickets, follow-ups and
// rosters in PostgreSQL through pgx v5, so a CRM stores them in the
// database it already runs, inside its own transactions, and several
// desk processes share one database safely.
//
// # Stores
//
// Open returns a Store whose Tickets, Followups and Rosters implement
// ticket.Store, followup.Store and roster.Store; they pass the same
// conformance suites as the in-memory stores (tickettest, followuptest,
// rostertest). Every row carries its desk and every query is scoped to
// one; another desk's record is ErrNotFound of the package concerned.
// Only parameterised SQL is issued.
//
//   - Tickets (T14): a ticket change, its history event and its outbox
//     entry are written by one statement, so they commit together or not
//     at all, even when the connection drops mid-write. The stored
//     version must be exactly one less than the new one, or the write is
//     ticket.ErrConflict (optimistic concurrency). Case numbers come from
//     a per-desk counter row updated in the same statement: 1, 2, 3, ...
//     without gaps, because a rolled-back create rolls the counter back.
//     CreateBatch (ticket.BatchCreator, behind Service.ReceiveBatch)
//     writes a batch of new tickets in one statement that takes the
//     batch's numbers with one update of that row.
//   - Outbox: each consumer's progress is a set of acknowledgement rows
//     per (consumer, scope), never a checkpoint on the outbox sequence.
//     In PostgreSQL a transaction holding a lower sequence number can
//     commit after a higher one was read; with acknowledgement rows that
//     late event is simply still pending and is delivered. A system
//     consumer (scope "") reads every desk; a desk consumer only its own.
//     Acknowledgements fold into a per-consumer low-water mark on the
//     writing transaction's ID (xid8), never past pg_snapshot_xmin, the
//     oldest transaction still running: below that no event can still
//     commit. Pending reads from the mark on, so its cost follows the
//     unacknowledged tail, not the outbox's age; a transaction left open
//     for long holds the mark back (and with it that saving), never an
//     event.
//   - Desk keys (007_desk_keys): every primary key, unique constraint,
//     foreign key and index leads with the desk, and every statement
//     filters by it, so each touches one partition, or one node of a
//     PostgreSQL distributed by desk. MigrateWith(MigrateOptions{
//     Partitions: n}) lays the large tables out PARTITION BY HASH (desk);
//     Migrate keeps plain tables. What still spans desks: the system
//     consumer (scope "") of the outbox, and CreateBatch/CompleteBatch
//     when a batch holds several desks. docs/scaling.md has the plan.
//   - Redaction (S1) rewrites the Note and Data of named history events;
//     outbox entries point at history rows, so the outbox is redacted too.
//   - Follow-ups (F1-F13): Claim leases a batch of ready tasks in one
//     statement with SELECT ... FOR UPDATE SKIP LOCKED, so processes
//     claiming at once never wait on or take each other's tasks. A task
//     whose lease expired is ready again (its ready_at is the expiry), so
//     the tasks of a worker that died come back. Complete checks the lease
//     and writes the outcome in one statement. CompleteBatch writes many
//     outcomes in one round trip and one commit, each under the same lease
//     rule, for workers that need throughput.
//   - Rosters (R1-R8): one table for assignments, swaps, away periods and
//     duty covers, sharing one ID space as roster.Store requires.
//
// # Transactions
//
// WithTx binds the stores to a pgx.Tx the caller began: the CRM writes
// its own rows and the ticket change, and commits or rolls back both.
// Errors the stores expect (conflicts, not found, lease lost) do not
// abort the caller's transaction; multi-statement writes (Redact, roster
// batches) run in a savepoint.
//
// # Schema
//
// The schema is in numbered files NNN_name.up.sql / NNN_name.down.sql,
// embedded and exported as Migrations. Migrate applies the missing ones
// (each in its own transaction, serialised across processes by an
// advisory lock, recorded in desk_schema_migrations); running it twice
// changes nothing. A CRM with its own migration tool copies the files
// from Migrations into its migration directory instead. Every table name
// starts with desk_.
//
// Times that queries compare are stored as Unix nanoseconds (bigint),
// so they order exactly as time.Time values do; the full records are
// JSON, so nothing is rounded to PostgreSQL's microseconds. Ticket,
// event and follow-up bodies are text columns (012, 009), written and
// read whole, encoded with github.com/go-json-experiment/json/v1
// (encoding/json's API and output on the encoding/json/v2
// implementation).
package postgres
