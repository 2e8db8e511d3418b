// Package sqlstore is adapter support: what the SQL adapters
// (store/postgres and store/sqlite, each a module of its own) share, so
// that each keeps only its dialect. It holds the encoding of times as
// integer nanoseconds, the query columns derived from a ticket, the
// translation of ticket and follow-up filters into parameterised WHERE
// clauses with the same meaning as ticket.Filter.Match and
// followup.Filter.Match, the classification of ticket write conflicts
// (TicketNotWritten and its siblings), the in-memory stores' own input
// checks (CheckHistory, CheckEvent, CheckNew, CheckTask, CheckLease: the
// adapters refuse exactly what MemStore refuses), and the parser of the
// numbered migration files.
// Values never enter the SQL text; conditions use ? placeholders, which
// Numbered turns into PostgreSQL's $1, $2, ...
//
// Applications do not need this package. It lives in the core module
// (it needs only the standard library and the core's own types) rather
// than in an internal package, because the adapters are other modules
// and Go forbids them another module's internal packages. The adapters
// are released in lockstep with the core and require the same version
// of it (see RELEASING.md), so an adapter always builds against the
// sqlstore it was written for.
package sqlstore
