// Package roster plans and checks the shift roster of a service desk: the
// R rules of RULES.md.
//
// Model. A Shift is a named wall-clock pattern (R2: a 09:00–17:00 and b
// 12:00–20:00 on site, c 20:00–22:00 from home; SeedShifts) with the ten
// minute early report for roll call of R6, which is working time but not
// coverage. Placed on a calendar Date in a *time.Location it becomes an
// Assignment with real instants, so clock changes are honoured: an
// overnight shift is an hour shorter on a spring-forward night and an hour
// longer on a fall-back night, and a wall time inside a skipped hour or a
// repeated hour is resolved as RFC 5545 does (see Instant). A Calendar
// says which days are workdays, rest days or holidays; Holidays expresses
// Chinese make-up workdays (a Sunday that is worked).
//
// Rotation (R3). Generate builds an N-week cycle for M agents over a set
// of shifts. Hard constraints are never broken: one person never holds
// overlapping shifts, rest between shifts is at least the minimum, weekly
// days off and leave are respected. Soft constraints (balanced hours, each
// shift type, weekend work) drive the choice, and Fairness reports the
// spread of each. A slot that cannot be filled is listed in
// Plan.Unfilled with the reason each agent was excluded.
//
// Clock changes, the rule. A shift placed inside a skipped hour
// (Europe/Berlin 02:30-03:00 on 29 March 2026) resolves to an end at or
// before its start and has no time that day. Generate never staffs such a
// slot and lists it in Plan.Emptied, so Plan.Err is a *ClockChangeError
// (ErrClockChange); Assignment.Validate refuses it; WriteICal refuses it
// rather than write DTEND before DTSTART; Duration and the fairness hours
// count it as zero, never negative.
//
// Coverage (R1). CheckCoverage compares required service hours per
// weekday (SeedServiceHours: 09:00–24:00 every day) with the assignments
// as they stand after swaps, leave and presence, and lists every uncovered
// interval per day with its length. The seed's own a/b/c plan leaves
// 22:00–24:00 uncovered every day and the report says so.
//
// Presence and duty (R5, R7). A person rostered can be marked offline or
// on leave (Away); coverage and on-duty answers leave them out. Duty
// records holiday, noon and night duty with the number the duty phone is
// forwarded to; HolidaysWithoutDuty lists holidays nobody covers. WhoIsOn
// (and View.OnDuty) answers who is working at an instant, which shift and
// where, in a documented order (on site first, then earliest start, then
// agent ID) so that a ticket system can take OnDutyList.FirstAgent as the
// first-contact owner or assignee (T1, T4); an empty answer means the
// request stays unowned (T19).
//
// Swaps (R4). A swap is requested by the rostered agent, consented by the
// colleague with recorded evidence ("需提供双方达成一致依据证明") and, when
// the policy says so, approved by the shift lead. Until then the original
// assignment stands. Liability follows R4: with proof, the person who
// should be at the post under the agreed swap; without proof, the one who
// cannot show it, i.e. the requester, who is still rostered. When nobody
// can show proof the unproven arrangement changes nothing: the person
// rostered answers for the slot (LiabilityBasis NoProof). With proof but a
// missing required approval the original stands too (AwaitingApproval).
// Liability is asked "at a moment": a swap counts from the instant its
// consent (or approval) was recorded. An exchange of two shifts is two
// swaps.
//
// Staffing (R8). Erlang C turns an arrival rate, handling time and
// service-level target into the number of agents, with the achieved
// service level, probability of waiting and occupancy; CheckLoad compares
// a roster with an hourly load profile.
//
// Storage. Store is the small persistence interface (context first,
// plain data, versions on mutable records); MemStore is the in-memory
// default and rostertest.RunStoreTests the conformance suite for any
// adapter. Service ties one desk (Config.Desk, as in ticket and
// followup), the store, the clock and the policy together. Every record
// carries its desk; reading a record of another desk is ErrNotFound, and
// writing one through the service is ErrInvalid.
//
// Export. WriteICal writes RFC 5545 iCalendar for a person or a whole desk
// that standard clients import.
package roster
