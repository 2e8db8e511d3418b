package phrasebook

// The built-in call scripts. Each function returns a fresh value the
// caller may change (add a step, reword a check) before NewWalker
// validates it.

func end(name string) Branch      { return Branch{Name: name} }
func next(name, to string) Branch { return Branch{Name: name, To: to} }
func step(id, rule, check string, say []string, b ...Branch) Step {
	return Step{ID: id, Rule: rule, Check: check, Say: say, Branches: b}
}

// InboundScript is an incoming call (P6, P9, P1, P5, T2): answer with the
// greeting and company name within three rings (问声), establish who is
// calling, hear and record the need (应声, 5W1H), answer or record a case
// and read it back, and see the caller off (送声), letting them hang up
// first. The "transfer" and "unavailable" endings hand over to
// TransferScript and UnavailableScript. The answer step's phrase,
// greet.with_company, is best rendered with Catalogue.Greeting, which
// picks the greeting word for the time of day.
func InboundScript() Script {
	return Script{ID: "inbound", Rule: "P6", Steps: []Step{
		step("answer", "P6", "answer within three rings with the greeting and the company name (问声, P9)",
			[]string{"greet.with_company"}, next("answered", "identify")),
		step("identify", "P5", "politely establish the caller's name, organisation and number; never blame a caller who will not give them (P5, T2)",
			[]string{"inquiry.surname", "inquiry.name_company"}, next("given", "need"), next("declined", "need")),
		step("need", "P9", "listen, respond (应声) and record the need as 5W1H: when, who, where, why, what, how (P6, T2)",
			[]string{"inquiry.how_help"},
			next("can_answer", "answer_now"), next("cannot_answer_now", "record_case"),
			end("transfer"), end("unavailable")),
		step("answer_now", "T3", "answer on the spot; a refusal starts with an apology (P2)",
			[]string{"response.glad"}, next("answered", "close")),
		step("record_case", "T2", "record time, place, person, event and phone, read it back for confirmation and promise a reply time (T2, T3, T7)",
			[]string{"inquiry.read_back"}, next("recorded", "close")),
		step("close", "P9", "see the caller off (送声) and hang up after the caller (P6)",
			[]string{"closing.anything_else", "thanks.call", "closing.goodbye"},
			next("more", "need"), end("done")),
	}}
}

// OutboundScript is a call the agent makes (P7): confirm the data and the
// purpose before dialling, identify yourself, confirm the right person and
// a convenient time (else apologise and offer another), lead with
// questions, offer several choices for an appointment, complete the
// contact details, confirm the key facts, thank and let them hang up
// first.
func OutboundScript() Script {
	return Script{ID: "outbound", Rule: "P7", Steps: []Step{
		step("prepare", "P7", "before dialling, confirm the customer's data and the purpose of the call",
			nil, next("dialled", "identify")),
		step("identify", "P7", "on connection, say who you are first",
			[]string{"outbound.identify"}, next("identified", "confirm_person")),
		step("confirm_person", "P7", "make sure this is the person you mean to reach",
			[]string{"callback.verify_identity"}, next("right_person", "convenient"), next("wrong_person", "wrong_person")),
		step("wrong_person", "P7", "apologise for the disturbance",
			[]string{"apology.disturb"}, end("wrong_person")),
		step("convenient", "P7", "ask whether it is a convenient time",
			[]string{"callback.convenient"}, next("yes", "purpose"), next("no", "another_time")),
		step("another_time", "P7", "apologise and agree another time",
			[]string{"callback.another_time"}, end("rescheduled")),
		step("purpose", "P7", "lead with questions, find what interests the customer and common ground with the call's purpose",
			nil, next("appointment", "offer_options"), next("no_appointment", "verify_contact")),
		step("offer_options", "P7", "offer several choices and let the customer choose",
			[]string{"outbound.options"}, next("chosen", "verify_contact")),
		step("verify_contact", "P7", "complete or verify the contact details and leave your own",
			[]string{"inquiry.phone_address"}, next("verified", "confirm_key")),
		step("confirm_key", "P7", "confirm key facts such as the appointment time before ending",
			[]string{"outbound.confirm_time"}, next("confirmed", "close")),
		step("close", "P7", "thank the customer and hang up after they do",
			[]string{"closing.outbound_thanks"}, end("done")),
	}}
}

// CallbackScript is the callback after a case (P8, 002 主动回访): verify
// identity → company, department and agent number → convenient? → the
// solution → accepted: close; rejected: seek understanding, call again
// later or escalate (T8) → a new need with a known answer: give it;
// otherwise open a follow-up case linked to the original (T17) and agree
// a reply time at most ScriptPolicy.MaxReplyDelay (48 h) ahead.
func CallbackScript() Script {
	return Script{ID: "callback", Rule: "P8", Steps: []Step{
		step("verify_identity", "P8", "verify the customer's identity",
			[]string{"callback.verify_identity"}, next("confirmed", "introduce"), next("wrong_person", "wrong_person")),
		step("wrong_person", "P8", "apologise for the disturbance",
			[]string{"apology.disturb"}, end("wrong_person")),
		step("introduce", "P8", "give company, department and agent number",
			[]string{"callback.introduce"}, next("introduced", "convenient")),
		step("convenient", "P8", "ask whether it is convenient to talk",
			[]string{"callback.convenient"}, next("yes", "solution"), next("no", "another_time")),
		step("another_time", "P8", "apologise and call again at another time",
			[]string{"callback.another_time"}, end("rescheduled")),
		step("solution", "P8", "tell the customer their issue has an answer and give the solution",
			[]string{"callback.solution"}, next("accepted", "new_need"), next("rejected", "seek_understanding")),
		step("seek_understanding", "T8", "seek understanding; a difficult customer is called again at another time; if still unresolved, escalate",
			[]string{"callback.seek_understanding"},
			next("understood", "new_need"), end("call_again_later"), end("escalate")),
		step("new_need", "P8", "ask whether there is anything else",
			[]string{"closing.anything_else"},
			next("none", "close"), next("known_answer", "give_answer"), next("no_answer", "linked_case")),
		step("give_answer", "P8", "the need already has a solution: give it directly",
			nil, next("answered", "new_need")),
		{ID: "linked_case", Rule: "T17", ReplyTime: true,
			Check:    "open a follow-up case linked to the original case and agree a reply time at most 48 h ahead (T7b)",
			Say:      []string{"callback.new_case"},
			Branches: []Branch{next("agreed", "new_need")}},
		step("close", "P8", "close politely; let the customer hang up first",
			[]string{"closing.outbound_thanks"}, end("done")),
	}}
}

// TransferScript is transferring a call (P4): ask the caller's name and
// organisation (an unknown caller or purpose: do not hang up, ask first),
// repeat to confirm, stay on until both sides talk, and at each failed
// attempt say 对不起,请稍等. "unavailable" hands over to
// UnavailableScript.
func TransferScript() Script {
	return Script{ID: "transfer", Rule: "P4", Steps: []Step{
		step("ask_caller", "P4", "ask the caller's name and organisation; if the caller or purpose is unclear, do not hang up: ask first",
			[]string{"inquiry.name_company"}, next("given", "confirm")),
		step("confirm", "P4", "repeat the name and the person wanted to confirm",
			[]string{"transfer.confirm"}, next("confirmed", "connect")),
		step("connect", "P4", "stay on the line until both sides are talking, then put the receiver down gently",
			nil, end("connected"), next("no_answer", "hold"), end("unavailable")),
		step("hold", "P4", "each failed attempt: apologise and ask the caller to hold",
			[]string{"transfer.hold"}, next("retry", "connect"), end("unavailable")),
	}}
}

// UnavailableScript is "the person is not available" (P4, P3): say why in
// approved words (never 没有来 / 一直未见到 / 还未来上班), then by situation:
// out of the office (roughly where and when back; someone else or a
// message), in a meeting (a message, or a note passed in if the caller
// insists), with a visitor (a message or a later call; urgent: ask to
// wait and reach them), at a banquet (note the message, reach the banquet
// staff, pass a written note).
func UnavailableScript() Script {
	return Script{ID: "unavailable", Rule: "P4", Steps: []Step{
		step("situation", "P4", "find out where the person is; never say 没有来 / 一直未见到 / 还未来上班 (P3)",
			nil, next("out", "out"), next("meeting", "meeting"), next("visitor", "visitor"),
			next("banquet", "banquet"), next("unknown", "not_in_office")),
		step("not_in_office", "P3", "say the person is not in the office for now and offer help",
			[]string{"unavailable.out_of_office"}, next("message", "message"), end("helped")),
		step("out", "P4", "say roughly where the person went and when they return; offer a colleague or a message",
			[]string{"unavailable.out"}, end("colleague"), next("message", "message")),
		step("meeting", "P4", "explain the meeting and offer a message",
			[]string{"unavailable.meeting"}, next("message", "message"), next("insists", "pass_note")),
		step("pass_note", "P4", "note the caller's details, ask them to hold, pass a note to the person and wait for instructions",
			[]string{"transfer.hold"}, end("note_passed")),
		step("visitor", "P4", "offer a message or a later call",
			[]string{"unavailable.visitor"}, next("message", "message"), end("call_later"), next("urgent", "urgent")),
		step("urgent", "P4", "ask the caller to wait and reach the person for instructions",
			[]string{"unavailable.urgent_wait"}, end("reached")),
		step("banquet", "P4", "note the message, reach the banquet staff and pass a written note",
			[]string{"unavailable.banquet"}, next("message", "message")),
		step("message", "P4", "take the message with the caller's name and number, and read it back (004 三.5)",
			[]string{"unavailable.ask_contact", "inquiry.read_back"}, end("message_taken")),
	}}
}

// Scripts returns every built-in script.
func Scripts() []Script {
	return []Script{InboundScript(), OutboundScript(), CallbackScript(), TransferScript(), UnavailableScript()}
}
