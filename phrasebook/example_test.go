package phrasebook_test

import (
	"fmt"
	"slices"
	"time"

	"github.com/servicedesk-go/desk/phrasebook"
)

func ExampleCatalogue_Render() {
	cat, err := phrasebook.Builtin()
	if err != nil {
		panic(err)
	}
	desk, err := cat.With(phrasebook.Overlay{Values: map[string]string{"company": "xx依维柯"}})
	if err != nil {
		panic(err)
	}
	s, err := desk.Render("callback.introduce", phrasebook.LangZH, map[string]string{"department": "服务部", "agent_no": "017"})
	fmt.Println(s, err)
	_, err = desk.Render("callback.introduce", phrasebook.LangEN, map[string]string{"department": "Service"})
	fmt.Println(err)
	// Output:
	// 我是xx依维柯服务部的客服,工号017。 <nil>
	// phrasebook: render "callback.introduce" (en): no value for {agent_no}; pass it in the values or set it on the catalogue
}

func ExampleCatalogue_Greeting() {
	cat, _ := phrasebook.Builtin()
	desk, _ := cat.With(phrasebook.Overlay{Values: map[string]string{"company": "xx依维柯"}})
	shanghai := time.FixedZone("CST", 8*3600)
	for _, at := range []time.Time{
		time.Date(2026, 3, 2, 9, 15, 0, 0, shanghai),
		time.Date(2026, 3, 2, 14, 0, 0, 0, shanghai),
		time.Date(2026, 3, 2, 19, 30, 0, 0, shanghai),
		time.Date(2027, 1, 1, 10, 0, 0, 0, shanghai),
	} {
		s, _ := desk.Greeting(at, phrasebook.LangZH, phrasebook.GreetingPolicy{}, nil)
		fmt.Println(s)
	}
	s, _ := desk.Greeting(time.Date(2026, 3, 2, 9, 15, 0, 0, shanghai), phrasebook.LangEN, phrasebook.GreetingPolicy{}, nil)
	fmt.Println(s)
	// Output:
	// 早上好,这里是xx依维柯。
	// 下午好,这里是xx依维柯。
	// 晚上好,这里是xx依维柯。
	// 新年快乐,这里是xx依维柯。
	// Good morning, this is xx依维柯.
}

func ExampleLinter_Lint() {
	cat, _ := phrasebook.Builtin()
	l, _ := phrasebook.NewLinter(cat, phrasebook.LintPolicy{})
	text := "很抱歉,经理暂时不在,需要给他留言吗?\n经理还未来上班。\nWe can't change that, it's company policy."
	for _, f := range l.Lint(text) {
		fmt.Printf("%d:%d %s %s %q -> %q\n", f.Line, f.Col, f.Rule, f.Fault, f.Fragment, f.Suggestion)
	}
	// Output:
	// 2:3 P3 absence "还未来上班" -> "他/她暂时不在办公室,有什么事可以代劳呢?"
	// 3:4 P2 no_apology "can't" -> ""
	// 3:28 P2 no_apology "company policy" -> ""
}

// Document mode: a regulation quotes what agents must not say; only the
// quotations are speech.
func ExampleLintPolicy_document() {
	cat, _ := phrasebook.Builtin()
	l, _ := phrasebook.NewLinter(cat, phrasebook.LintPolicy{Document: true})
	text := "回访率须达到100%。客服不得回答“不知道”或“不在”,应答“很抱歉,经理暂时不在,需要给他留言吗?”。"
	for _, f := range l.Lint(text) {
		fmt.Printf("%d:%d %s %q\n", f.Line, f.Col, f.Rule, f.Fragment)
	}
	// Output:
	// 1:19 P3 "不知道"
	// 1:25 P3 "不在"
}

// Context rules: the customer's 不知道 and a 不在 about a scope are not the
// agent's forbidden words; traditional characters and stray spaces are
// read like simplified ones.
func ExampleLinter_Lint_context() {
	cat, _ := phrasebook.Builtin()
	l, _ := phrasebook.NewLinter(cat, phrasebook.LintPolicy{})
	for _, text := range []string{
		"您不知道订单号也没关系,报手机号就行。",
		"这个部件不在保修范围内。",
		"經理不在,這個我們辦不了。",
		"不 知道,你问别人吧。",
	} {
		fmt.Println(len(l.Lint(text)), text)
		for _, f := range l.Lint(text) {
			fmt.Printf("  %s %q\n", f.Rule, f.Fragment)
		}
	}
	// Output:
	// 0 您不知道订单号也没关系,报手机号就行。
	// 0 这个部件不在保修范围内。
	// 2 經理不在,這個我們辦不了。
	//   P3 "不在"
	//   P2 "不了"
	// 2 不 知道,你问别人吧。
	//   P3 "不 知道"
	//   P3 "问别人"
}

// Patterns gives the literal strings the linter looks for, for example to
// compare the linter with another matcher on the same set.
func ExampleLinter_Patterns() {
	cat, _ := phrasebook.Builtin()
	l, _ := phrasebook.NewLinter(cat, phrasebook.LintPolicy{})
	pats := l.Patterns()
	fmt.Println(slices.Contains(pats, "不知道"), slices.Contains(pats, "辦不到"), slices.Contains(pats, "can’t"))
	// Output:
	// true true true
}

func ExampleNewWalker() {
	w, err := phrasebook.NewWalker(phrasebook.CallbackScript(), phrasebook.ScriptPolicy{})
	if err != nil {
		panic(err)
	}
	for _, b := range []string{"confirmed", "introduced", "yes", "accepted"} {
		_ = w.Take(b)
	}
	st, _ := w.Step()
	fmt.Println(st.ID, w.Branches())
	fmt.Println(w.Take("escalate"))
	_ = w.Take("no_answer")
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	fmt.Println(w.AgreeReply(now, now.Add(72*time.Hour)))
	fmt.Println(w.AgreeReply(now, now.Add(24*time.Hour)))
	_ = w.Take("agreed")
	_ = w.Take("none")
	_ = w.Take("done")
	o := w.Outcome()
	fmt.Println(o.Done, o.LinkedCase, o.ReplyBy.Format(time.RFC3339))
	// Output:
	// new_need [none known_answer no_answer]
	// phrasebook: script "callback" step "new_need": branch "escalate", want one of ["none" "known_answer" "no_answer"]: phrasebook: illegal branch
	// phrasebook: script "callback" step "linked_case": reply time 72h0m0s ahead exceeds 48h0m0s (P8); agree an earlier time: phrasebook: step check failed
	// <nil>
	// true true 2026-03-03T10:00:00Z
}

func ExampleForm_Missing() {
	record := map[string]string{"when": "3月2日 9:00", "who": "王先生", "where": "3栋501", "what": "厨房漏水"}
	missing, _ := phrasebook.FiveW1H().Missing(record)
	fmt.Println(missing)
	fmt.Println(phrasebook.RepairCall().Check(map[string]string{"plate": "粤B12345", "name": "王先生"}))
	// Output:
	// [why how]
	// phrasebook: repair_call record is missing item, location, situation; ask the caller for them
}

func ExampleReviewer_Plan() {
	r, _ := phrasebook.NewReviewer(nil, phrasebook.ReviewPolicy{MonthlyMinimum: 2, Salt: 7})
	var calls []phrasebook.Call
	for i := range 10 {
		calls = append(calls, phrasebook.Call{
			ID: fmt.Sprintf("call-%02d", i), DeskID: "desk-1", AgentID: "li",
			At: time.Date(2026, 3, 1+3*i, 10, 0, 0, 0, time.UTC),
		})
	}
	plan := r.Plan("desk-1", time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), []string{"li", "wang"}, calls)
	fmt.Println(len(plan.Selected["li"]), plan.Short)
	// Output:
	// 2 map[wang:2]
}
