// Package runner runs a desk's background work until its context ends:
// deriving follow-ups from the ticket outbox ([Derive]), releasing
// expired follow-up leases ([ExpireLeases]), delivering outbox events
// to a webhook ([Deliver]) and escalating tickets whose clocks passed
// ([Escalate]).
//
// A Runner polls every Interval and also wakes at once on a signal (a
// [Signal] fed by the ticket service's Observer in memory, or a channel
// such as the PostgreSQL adapter's LISTEN/NOTIFY listener). Each job is
// drained (run again while it reports work done), never runs twice at
// once, and at most Concurrency jobs run together. A failing job waits
// an exponentially growing, jittered backoff before it is tried again;
// failures are logged without personal data (S1).
//
// Stopping is graceful: when the context passed to Run ends, no job is
// started any more, the jobs in flight finish with a context that stays
// valid for Grace, and are cancelled after it. Every job here is safe to
// cancel: the outbox keeps an event until it is acknowledged, a lease
// release is one versioned write, and a cancelled delivery leaves its
// event pending. Any number of processes may run the same runners on one
// database: derivation is idempotent (a task's ID comes from its trigger
// and rule), lease releases are versioned, a webhook receiver drops
// repeats by the signed ID, and an escalation is a versioned write that
// marks its clock, so each ticket, clock and level escalates once. Work
// that should run in one process at a time (webhook delivery, so that
// receivers are not sent each event once per process) takes a
// Config.Leader, such as a database lock one process holds.
package runner
