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
// 还未来上班. The word lists are data (data/lint.json, a Lexicon) written in
// simplified characters and English; every pattern is also matched in
// traditional characters, and all of them in one pass over the text by an
// Aho–Corasick automaton that reads characters (a Chinese character is one
// step, not three bytes), so the cost does not grow with the number of
// phrases. A '*' in a pattern is a slot of up to LintPolicy.SlotRunes
// runes (说了*遍, 是不会*的). Stray spaces and tabs inside words (不 知道,
// "don't  know") are skipped.
//
// Context rules decide what a candidate is (context.go; the words they use
// are the lexicon's Context). A forbidden fragment is dropped when it lies
// inside an allow-context (暂时不在, 能不能, ...) or is part of an approved
// catalogue clause (经理暂时不在), also with words inserted after the
// clause's anchor (经理暂时还不在); when its entry is Bare and a word
// other than a particle follows it in its clause (不在保修范围, 不在小区);
// when its entry is UnlessCustomer and its subject is the customer
// (您不知道), it sits in a condition (如果您不在家, 不清楚对方来历时) or in a
// polite question naming the customer (不知道明天您方便吗?); when its entry
// is UnlessKPI and its clause is about a rate or target (回访率100%). A
// fragment inside a longer forbidden fragment is reported once, as the
// longer one.
//
// P2, what counts: a refusal is one of 不能, 无法, 不可以, 没办法, 没法, 不提供,
// 不行, 不允许, 办不到, 做不到, 不支持, 不受理, 不予, 没有开展, 不接受, the
// can't-do forms V不了 / V不下来 / V不上, 不给, 不让, 不收, 不退, 不办, 不接待,
// 不做, 不负责, 不可能, 没得商量, 是不会…的, or can't, cannot, can not,
// unable, not able to, won't let, won't be able, not possible, impossible,
// not allowed, don't / do not offer, provide, accept, deliver, we don't
// do, not something we, not a service we, the answer is no; an
// explanation of a company rule is one of 公司规定, 按规定, 根据规定, 按照规定,
// 制度规定, 规定不, 规定就是, 的规定, 有规定, 是规定, 这么规定, 这样规定,
// 就是这么定, 就是这么要求, company policy, our policy, company rules, our
// rules, regulations, against the rules, those are the rules, it's the
// rules, rules are rules, policy is policy, policy says (data/lint.json
// is the list in force). It is not a refusal in a condition (如果师傅不能按时到,
// if you can't make it) or in a question whose subject is not the agent
// (您是不能登录吗?), nor inside an allow-context (能不能, 无法接通, 不能让您,
// 联系不上, ...). An apology is one of 对不起, 抱歉, 不好意思, 请原谅,
// 请您原谅, 致歉, 很遗憾, 非常遗憾, sorry, apologise, apologize, apologies,
// I'm afraid, I am afraid, I regret, we regret. Approved catalogue clauses
// do not mask refusals, because P2 is about order: an approved refusal
// still needs its apology first.
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
// Documents: with LintPolicy.Document a text is a regulation, a KPI table
// or a handout about speech, and only its quotations (“…”, 「…」, 『…』,
// "…") are linted, each on its own.
//
// Accuracy is measured on a labelled corpus (testdata/lint_tuned.tsv;
// lint_heldout.tsv and lint_probe.tsv, never tuned on): go test -run
// TestLint_P2_P3_corpus_precision_recall -v ./phrasebook prints precision
// and recall per rule.
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
// reproducible from the policy's Salt. Summarise gives weekly and monthly
// figures per agent, with the aspects that need training. Every call and review
// carries its desk; plans and summaries are scoped to one desk.
package phrasebook
