// Package phrasebook holds the standard words of a service desk and checks
// what agents say against the desk regulations (rules P1–P9 and K2 of
// RULES.md).
//
// Catalogue. A Catalogue is an immutable set of phrases, each with a stable
// ID, a Category (greeting, inquiry, response, apology, thanks, closing,
// transfer, unavailable, callback, outbound), the situations it serves, the
// rule IDs it implements, and a template per language. The built-in
// catalogue (Builtin) is embedded JSON: zh-CN verbatim from seed 000's
// 电话接听的规范语言 (P1) and the situations of P3, P4, P6–P9, and English
// written for this library. A desk applies an Overlay (its company name,
// replaced phrases, another language) with Catalogue.With; a broken
// catalogue is rejected with a *CatalogueError naming the phrase and the
// problem. Render fills named placeholders ({name}, {company},
// {agent_no}, ...); a missing value or a value for an undeclared
// placeholder is a *RenderError, never a blank or a literal "{name}".
//
// Greetings (P1, P6). Greeting picks 早上好 / 下午好 / 晚上好 by the local
// time of day (boundaries are a DayParts policy, defaults 05:00, 12:00,
// 18:00) or a holiday greeting (新年快乐, 圣诞快乐, 节日快乐) through the
// Holidays interface, and follows it with the company name: "早上好,这里是
// xx依维柯。".
//
// Scripts (P4, P6–P9). A Script is an ordered set of steps, each with its
// phrases, the check the agent performs and the branches it allows. A
// Walker walks a script for a UI: the current step, the allowed branches,
// ErrIllegalBranch for anything else. The callback script (P8) ends a
// "new need" branch with a linked case and a reply time at most
// CallbackPolicy.MaxReplyDelay ahead (default 48 h).
//
// Linter (P2, P3). See Linter for the matching model.
//
// Records (T2, P6). Form.Missing names the 5W1H elements or repair intake
// fields a call record lacks.
//
// Reviews (K2). ReviewSheet scores a call on language, attitude, tone,
// summarising the need and adaptability with P5's manners as a checklist
// and the linter's findings as evidence; Plan picks at least the desk's
// monthly minimum of calls per agent, reproducibly from a seed; Summarise
// gives weekly and monthly figures per agent.
package phrasebook
