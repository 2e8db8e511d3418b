// Package phrasebook holds the standard words of a service desk and checks
// what agents say against the desk regulations: rules P1–P9 and K2 of
// RULES.md, with T2's record fields. It imports nothing else of this
// module.
//
// # Catalogue (P1, P6)
//
// A Catalogue is an immutable set of phrases. Each Phrase has a stable ID
// ("inquiry.manager_out"), a Category (greeting, inquiry, response,
// apology, thanks, closing, transfer, unavailable, callback, outbound),
// the situations it serves, the rule IDs it implements, its source (a
// seed number or "library") and a template per language. Builtin returns
// the embedded catalogue (data/phrases.json): zh-CN verbatim from seed
// 000's 电话接听的规范语言 (P1, in simplified characters with the seed's
// full-width punctuation) plus the phrases of P3, P4 and P6–P9, and
// English written for this library.
//
// A desk applies an Overlay with Catalogue.With: its company name
// (Values), replaced phrases, a language added to existing phrases, its
// own phrases. With returns a new catalogue and never changes the old one,
// so catalogues are safe to share between goroutines. A broken catalogue
// (unknown JSON field, duplicate ID, malformed or undeclared placeholder,
// empty text, missing category) is rejected with a *CatalogueError naming
// the phrase, the language and the problem.
//
// Render fills named placeholders ({name}, {company}, {agent_no}, ...;
// "{{" and "}}" are literal braces). A placeholder without a value (or
// with a blank one) is a *RenderError wrapping ErrMissingValue, and a
// value for a placeholder the catalogue does not declare is one wrapping
// ErrUnknownPlaceholder: the output is never a blank or a literal
// "{name}".
//
// # Greetings (P1, P6)
//
// Catalogue.Greeting renders "greet.with_company": the greeting word for
// the local time followed by the company name, "早上好,这里是xx依维柯。".
// The word is a holiday greeting when the Holidays interface says the date
// is a holiday (SeedHolidays: 新年快乐 on 1 January, 圣诞快乐 on 25
// December; the official holidays, lunar ones included, through the desk's
// calendar.Calendar with calendar.China(), whose zone then also sets the
// time of day), else 早上好
// / 下午好 / 晚上好 by DayParts, whose defaults are 05:00, 12:00 and 18:00
// (before 05:00 counts as evening).
//
// # Scripts (P4, P6–P9)
//
// A Script is an ordered set of steps, each with the phrases to say, the
// check the agent performs and the branches it allows: InboundScript (P6,
// P9's 问声 / 应声 / 送声), OutboundScript (P7), CallbackScript (P8),
// TransferScript and UnavailableScript (P4). A Walker walks one for a UI:
// the current step, the allowed branches, ErrIllegalBranch for anything
// else. In the callback, a new need without an answer opens a case linked
// to the original (T17) and the step cannot be left until a reply time at
// most ScriptPolicy.MaxReplyDelay ahead (default 48 h, P8 / T7b) has been
// agreed with Walker.AgreeReply.
//
// # Linter (P2, P3)
//
// A Linter checks a text an agent said or wrote. Findings carry the byte
// offset, 1-based line and rune column, rule ID, Fault (rude, arrogant,
// irresponsible, impatient, hurtful, absence, exaggerated_promise,
// arguing, no_apology) and a suggested catalogue phrase, such as
// "他/她暂时不在办公室,有什么事可以代劳呢?" for 没有来 / 一直未见到 /
// 还未来上班. The word lists are data (data/lint.json, a Lexicon) with
// simplified, traditional and English entries; Chinese and English are
// matched together in one pass over the bytes by an Aho–Corasick
// automaton, so the cost does not grow with the number of phrases.
//
// False positives: approved phrases contain forbidden fragments
// ("很抱歉,经理暂时不在,需要给他留言吗?" contains 不在). Before a forbidden
// fragment is reported, the spans of allow-contexts (暂时不在, 不在办公室,
// 能不能, ...) and of every catalogue clause that contains a forbidden
// fragment (经理暂时不在) are found in the same pass, and a fragment lying
// wholly inside such a span is dropped. A fragment inside a longer
// forbidden fragment is reported once, as the longer one.
//
// P2, what counts: a refusal is one of 不能, 无法, 不可以, 没办法, 不提供,
// 不行, 不允许, 办不到, 做不到, 不支持, 不受理, 不予, 没有开展, 不接受 (and their
// traditional forms) or can't, cannot, can not, unable, not able to,
// won't, will not, not possible, not allowed, don't / do not offer,
// don't / do not provide; an explanation of a company rule is one of
// 公司规定, 按规定, 根据规定, 按照规定, 制度规定, 规定不, company policy, our
// policy, company rules, our rules, regulations. An apology is one of
// 对不起, 抱歉, 不好意思, 请原谅, 请您原谅, 致歉, 很遗憾, 非常遗憾, sorry,
// apologise, apologize, apologies, I'm afraid, I am afraid, I regret, we
// regret. Allow-contexts such as 能不能 and 可不可以 (questions, not
// refusals) mask refusals too; approved catalogue clauses do not, because
// P2 is about order: an approved refusal still needs its apology first.
//
// P2, what "preceded" means: an apology must start before the refusal
// within the LintPolicy's ApologyScope: the same turn by default (a line:
// transcripts and chat logs carry one utterance per line), or the same
// sentence (ScopeSentence), or anywhere earlier (ScopeText). In a
// transcript, LintPolicy.OtherSpeakers names the line prefixes of the
// other party ("客户:"); their lines are not checked. English
// patterns match case-insensitively, on word boundaries, with straight or
// typographic apostrophes.
//
// # Records (T2, P6)
//
// Form.Missing names what a call record (a map or a struct) lacks: the
// 5W1H of P6 (FiveW1H), a case's 时间、地点、人物、事件、联系电话
// (CaseRecord), the dealer's repair-call fields (RepairCall) or a
// property repair booking (RepairBooking). Form.Check returns the same as
// an *IncompleteError.
//
// # QA reviews (K2, P5)
//
// A Reviewer makes review sheets (Review) that score language, attitude,
// tone, summarising the customer's need and adaptability, tick P5's
// manners as a checklist and carry the linter's findings on the transcript
// as evidence. Plan picks, per agent and month, at least the desk's
// MonthlyMinimum (K2: 1 to 5; default 1) of calls, spread over the month and
// reproducible from a seed. Summarise gives weekly and monthly figures per
// agent, with the aspects that need training. Every call and review
// carries its desk; plans and summaries are scoped to one desk.
package phrasebook
