// Package ticket runs a service desk's requests through their life:
// received, dispatched, resolved, answered, revisited, closed, reopened
// or cancelled, with the rules of the desk regulations enforced and
// every change recorded.
//
// # Lifecycle
//
// The lifecycle is declared once, as a github.com/looplab/fsm event
// table, and drawn by Diagram from that same declaration. The service
// checks each lifecycle action against a pooled machine (never a new one
// per call), runs its guards and writes the change outside the machine.
// An action outside the declared sources is ErrInvalidTransition, with
// the state and action named in a *TransitionError.
//
// Resolving on the spot (T3) goes from received to answered at once.
// The customer accepts or rejects the answer (T8): a rejection sends the
// ticket back to work (reopened); an acceptance closes it, unless a
// revisit is outstanding (a repair under F2, a sampled or major
// complaint), in which case it waits in state revisit until the outcome
// is recorded. A failed revisit reopens it and starts the 24-hour clock
// for the written rework notice (T13). Out-of-scope requests are
// cancelled with a note of what the customer was told (T11).
//
// # People
//
// The owner is the first person who receives the customer (T1). It
// moves only by a referral at reception (T18) or a handover before leave
// (T15), both recorded. A request that arrives with nobody receiving it
// (a web form, a voicemail, a call outside service hours) is unowned
// until an agent takes it (T19). Dispatch sets the assignee or
// department (T4) and never moves ownership. Escalation (T6) is a level
// and a reason; complaints carry a class and a severity, and the
// severity can escalate them (T16). Every actor has a role; an
// Authorizer (by default the RoleTable of DefaultRoles) decides who may
// do what, and a refusal is ErrForbidden.
//
// # Intake
//
// Nothing is dropped (T2, T14): a request with missing fields is
// recorded all the same, marked incomplete with the fields named in
// Ticket.Missing. A policy may require fields before a step, and the
// step then fails with a *MissingFieldsError (ErrIncomplete) and changes
// nothing: a repair is not dispatched without its location.
//
// # Deadlines
//
// Clocks run on the ticket: dispatch within 3 minutes of receipt (T5),
// answer within 48 hours of the solution (T7a), the reply time agreed
// with the customer, at most 48 hours ahead, and when it passes a
// progress report with an apology and a new time (T7b), the written
// rework notice within 24 hours of a failed revisit (T13), and the
// deadline given to a department (T4). Service.Overdue lists the tickets
// past any of them and those that have stagnated (T10), with how far.
// A Calendar such as Hours measures the clocks in working time.
//
// Every number is a default of a Policy. Policies come from presets
// (PropertyDesk for seeds 002 and 003, DealerDesk for seed 004); a desk
// changes any number, switches a rule off (Limit.On), and a zero
// duration means "at once".
//
// # Storage, concurrency, outbox
//
// A Store keeps tickets, histories and the outbox; MemStore is the
// in-memory default and package tickettest holds the conformance suite
// every adapter must pass. One store holds many desks; every query is
// scoped to one desk and another desk's ticket is ErrNotFound. Every
// ticket has a version: an action on a Ref with a version fails with
// ErrConflict if the ticket moved on; an action on a Ref without one
// retries on the current version, with growing randomised pauses, until
// it lands or its context ends (Config.Retries may cap the attempts).
//
// Every change is an Event appended to the history (T14) and, in the
// same store operation, to the outbox. Consumers (follow-up schedulers,
// webhook senders) read pending events and acknowledge them: delivery is
// at least once, and a consumer that dies before acknowledging sees the
// events again. Acknowledgements are per event, not a checkpoint on a
// sequence number, so an event that commits late is never skipped.
//
// Clock and IDs are injected through Config (Now, NewID; UUIDv7 by
// default), so simulations and tests are deterministic. Tickets also get
// a case number, unique per desk, to read out on the phone.
package ticket
