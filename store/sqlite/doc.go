// Package sqlite keeps a service desk's tickets, follow-ups and rosters
// in one SQLite file, through the pure-Go driver modernc.org/sqlite (no
// cgo): the durable embedded default for a desk run by one process. The
// in-memory stores remain the default for tests and simulations.
//
// # Stores
//
// Open returns a Store whose Tickets, Followups and Rosters implement
// ticket.Store, followup.Store and roster.Store and pass the same
// conformance suites as the in-memory stores. Every row carries its desk
// and every query is scoped to one; another desk's record is ErrNotFound
// of the package concerned. Only parameterised SQL is issued.
//
//   - Tickets (T14): a ticket change, its history event and its outbox
//     entry are written in one transaction. A stale version is
//     ticket.ErrConflict. Case numbers come from a per-desk counter in
//     the same transaction: 1, 2, 3, ... without gaps.
//   - Outbox: each consumer's progress is its acknowledgement rows per
//     (consumer, scope); a system consumer (scope "") reads every desk.
//     SQLite has one writer at a time and numbers outbox entries inside
//     the write transaction, so numbers follow commit order here, and an
//     acknowledged prefix folds into a per-consumer low-water mark:
//     Pending costs what the unacknowledged tail costs.
//   - Redaction (S1) rewrites the Note and Data of named history events,
//     which the outbox entries point at.
//   - Follow-ups (F1-F13): a claim selects and leases its batch in one
//     write transaction; SQLite admits one writer at a time, so no task is
//     leased twice. Expired leases make tasks ready again. CompleteBatch
//     writes many outcomes in one commit.
//   - Rosters (R1-R8): one table and one ID space for assignments, swaps,
//     away periods and duty covers.
//
// # Durability and concurrency
//
// Open sets WAL journaling (readers do not block the writer), a busy
// timeout of 10 s (a writer waits for the lock instead of failing) and
// immediate write transactions (the write lock is taken at BEGIN, so a
// transaction never fails half-way on an upgrade). The synchronous
// setting stays at SQLite's default, FULL: a committed write survives a
// power loss.
//
// # Transactions
//
// WithTx binds the stores to a *sql.Tx the caller began on the same
// database: the caller's rows and the desk's change commit together.
// Multi-statement writes run in a savepoint, so a refused write leaves
// the caller's transaction as it was.
//
// # Schema
//
// Migrations holds the numbered NNN_name.up.sql / NNN_name.down.sql
// files, embedded. Migrate applies the missing ones, each in its own
// transaction, recorded in desk_schema_migrations; running it twice
// changes nothing. A program with its own migration tool copies the
// files from Migrations instead. Every table name starts with desk_.
package sqlite
