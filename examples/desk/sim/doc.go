// Package sim simulates a service desk with the whole library at work,
// so that a test can run "a week at our desk with our policy on our
// store" and assert on the measures of the regulations (K1–K5).
//
// A Config names the inputs: the kind of desk (a property office or a
// car dealer's service department, which pick the presets), the hourly
// arrival Profile, the Staff, the Policies (ticket deadlines, follow-up
// rules, QA review policy, phone service target), the Stores and the
// Seed. Run plays the days on an event agenda: requests arrive and wait
// in one phone queue for the first free agent on duty of a generated
// a/b/c roster (R1–R3, R8), tickets run their lifecycle (T rules),
// follow-up rules derive revisits and callbacks that workers claim and
// complete (F rules), a swap and a leave with handover happen (R4, T15),
// what agents say is linted (P2, P3) and QA reviews a sample (K2). After
// the last day the work settles for SettleDays without new arrivals.
//
// The result is a Report: every figure computed from the stores'
// records and the simulated calls at the end, each rate with its count
// and base from one set, each ticket and follow-up counted once in every
// breakdown. Its JSON form is versioned (Schema) and described by
// examples/desk/report.schema.json.
//
// The parts are small types: the agenda (clock and scheduled steps), the
// workforce (roster, duty, swaps, leave, the phone line), the follow-up
// wiring (deriver, queue, outbox sync, workers), the speech (phrases,
// linter, QA reviewer), and the tally that computes the report.
package sim
