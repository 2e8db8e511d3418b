package phrasebook

import (
	"errors"
	"strings"
	"testing"
)

func linter(t testing.TB, p LintPolicy) *Linter {
	t.Helper()
	l, err := NewLinter(builtin(t), p)
	if err != nil {
		t.Fatalf("NewLinter: %v", err)
	}
	return l
}

type want struct {
	rule, frag string
	fault      Fault
}

func checkFindings(t *testing.T, text string, got []Finding, wants []want) {
	t.Helper()
	if len(got) != len(wants) {
		t.Fatalf("%q: %d findings %v, want %d %v", text, len(got), got, len(wants), wants)
	}
	for i, w := range wants {
		f := got[i]
		if f.Rule != w.rule || f.Fragment != w.frag || f.Fault != w.fault {
			t.Errorf("%q finding %d = %s %q %s, want %s %q %s", text, i, f.Rule, f.Fragment, f.Fault, w.rule, w.frag, w.fault)
		}
		if text[f.Offset:f.End] != f.Fragment {
			t.Errorf("offsets [%d,%d) do not hold %q", f.Offset, f.End, f.Fragment)
		}
	}
}

// P3: the seed's own examples of each forbidden manner (000 注意事项 9) are
// flagged with their category and a suggested phrase.
func TestLint_P3_seed_examples_flagged(t *testing.T) {
	l := linter(t, LintPolicy{})
	tests := []struct {
		name  string
		text  string
		wants []want
	}{
		{"P3_rude_no_name", "你不报姓名,我是不会给你接转的。", []want{{"P3", "你不报姓名", FaultRude}, {"P3", "我是不会给你接转的", FaultRude}}},
		{"P3_rude_just_say", "你有什么事就说嘛", []want{{"P3", "你有什么事就说嘛", FaultRude}}},
		{"P3_arrogant_busy", "他正忙着呢,现在没空", []want{{"P3", "他正忙着呢", FaultArrogant}, {"P3", "现在没空", FaultArrogant}}},
		{"P3_arrogant_dont_know", "不知道", []want{{"P3", "不知道", FaultIrresponsible}}},
		{"P3_arrogant_not_in", "不在", []want{{"P3", "不在", FaultArrogant}}},
		{"P3_arrogant_said_already", "我已经说过了,明天再打来", []want{{"P3", "我已经说过了", FaultArrogant}, {"P3", "明天再打来", FaultArrogant}}},
		{"P3_irresponsible_dont_know_if_in", "我也不知道他在不在", []want{{"P3", "我也不知道他在不在", FaultIrresponsible}}},
		{"P3_irresponsible_whatever", "随便", []want{{"P3", "随便", FaultIrresponsible}}},
		{"P3_hurtful_speak_up", "声音大点,你说什么?我听不见", []want{{"P3", "声音大点", FaultHurtful}, {"P3", "我听不见", FaultHurtful}}},
		{"P3_hurtful_off_duty", "下班了,明天再打", []want{{"P3", "下班了", FaultHurtful}, {"P3", "明天再打", FaultHurtful}}},
		{"P3_absence_not_come", "他今天没有来", []want{{"P3", "没有来", FaultAbsence}}},
		{"P3_absence_never_seen", "一直未见到他", []want{{"P3", "一直未见到", FaultAbsence}}},
		{"P3_absence_not_at_work", "她还未来上班", []want{{"P3", "还未来上班", FaultAbsence}}},
		{"P3_promise", "这个问题百分之百能修好,保证没问题", []want{{"P3", "百分之百", FaultPromise}, {"P3", "保证没问题", FaultPromise}}},
		{"P3_arguing", "你错了,这不是我们的问题", []want{{"P3", "你错了", FaultArguing}, {"P3", "不是我们的问题", FaultArguing}}},
		{"P3_en_case_insensitive", "I DON'T KNOW. Call back tomorrow.", []want{{"P3", "I DON'T KNOW", FaultIrresponsible}, {"P3", "Call back tomorrow", FaultArrogant}}},
		{"P3_en_typographic_apostrophe", "I don’t know", []want{{"P3", "I don’t know", FaultIrresponsible}}},
		{"P3_mixed_languages", "Hello, 他不在. Whatever.", []want{{"P3", "不在", FaultArrogant}, {"P3", "Whatever", FaultIrresponsible}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := l.Lint(tt.text)
			checkFindings(t, tt.text, got, tt.wants)
			for _, f := range got {
				if f.SuggestionID == "" || f.Suggestion == "" {
					t.Errorf("%q: no suggestion", f.Fragment)
				}
			}
		})
	}
}

// P3: a colleague who is out is described with the approved phrase; the
// finding suggests exactly that phrase in the fragment's language.
func TestLint_P3_absence_suggests_out_of_office(t *testing.T) {
	l := linter(t, LintPolicy{})
	for _, text := range []string{"没有来", "一直未见到", "还未来上班"} {
		got := l.Lint("经理" + text)
		if len(got) != 1 || got[0].SuggestionID != "unavailable.out_of_office" || got[0].Suggestion != "他/她暂时不在办公室,有什么事可以代劳呢?" {
			t.Errorf("%q: %+v", text, got)
		}
	}
	got := l.Lint("He hasn't come in yet.")
	if len(got) != 1 || got[0].Suggestion != "He/she is not in the office at the moment; is there anything I can do for you?" {
		t.Errorf("english absence: %+v", got)
	}
}

// P3 note: approved phrases that contain the forbidden fragment 不在 must
// not be flagged, with full-width or ASCII punctuation.
func TestLint_P3_approved_phrases_not_flagged(t *testing.T) {
	l := linter(t, LintPolicy{})
	for _, text := range []string{
		"很抱歉,经理暂时不在,需要给他留言吗?",
		"很抱歉,经理暂时不在,需要给他留言吗?",
		"他暂时不在办公室,有什么事可以代劳呢?",
		"她暂时不在办公室,有什么事可以代劳呢?",
		"他/她暂时不在办公室,有什么事可以代劳呢?",
		"对不起,总经理暂时不在,您是否需要给他留言呢?",
		"不知道您现在方便接听电话吗?",
		"能不能请您稍等片刻?",
		"The manager is not in the office; I'm sorry, he won't be long.",
	} {
		if got := l.Lint(text); len(got) != 0 {
			t.Errorf("%q flagged: %v", text, got)
		}
	}
}

// Every phrase of the catalogue, in every language, lints clean: the
// approved words never trip the linter.
func TestLint_P1_catalogue_lints_clean(t *testing.T) {
	c := builtin(t)
	l := linter(t, LintPolicy{})
	values := map[string]string{}
	for _, name := range []string{"name", "company", "agent", "agent_no", "department", "greeting", "person", "return_time", "solution", "reply_time", "option_a", "option_b", "time"} {
		values[name] = "X"
	}
	n := 0
	for _, p := range c.Phrases("") {
		for lang := range p.Text {
			s, err := c.Render(p.ID, lang, values)
			if err != nil {
				t.Fatalf("%s: %v", p.ID, err)
			}
			n++
			if got := l.Lint(s); len(got) != 0 {
				t.Errorf("%s (%s) %q flagged: %v", p.ID, lang, s, got)
			}
		}
	}
	if n < 100 {
		t.Fatalf("only %d texts checked", n)
	}
}

// P2: a refusal or a company-rule explanation must come after an apology.
func TestLint_P2_apologise_before_refusing(t *testing.T) {
	tests := []struct {
		name  string
		scope ApologyScope
		text  string
		flag  string // "" = clean
	}{
		{"P2_seed_no_service_with_apology", ScopeTurn, "对不起,我们暂时还没有开展此项服务,如果您有此项要求,可向值班经理提出,我们尽力为您解决。", ""},
		{"P2_seed_no_service_without_apology", ScopeTurn, "我们暂时还没有开展此项服务,如果您有此项要求,可向值班经理提出。", "没有开展"},
		{"P2_seed_cannot_without_apology", ScopeTurn, "这个我们不能办理。", "不能"},
		{"P2_apology_then_cannot", ScopeTurn, "很抱歉,这个我们无法办理,因为需要业主本人到场。", ""},
		{"P2_rule_explanation_without_apology", ScopeTurn, "按规定,装修申请需要物业审批。", "按规定"},
		{"P2_rule_explanation_with_apology", ScopeTurn, "不好意思,按规定,装修申请需要物业审批。", ""},
		{"P2_apology_after_refusal_is_late", ScopeTurn, "我们不提供这项服务,不好意思。", "不提供"},
		{"P2_en_without_apology", ScopeTurn, "We can't refund that order.", "can't"},
		{"P2_en_with_apology", ScopeTurn, "I'm sorry, we can't refund that order.", ""},
		{"P2_en_afraid", ScopeTurn, "I'm afraid that is not possible under our policy.", ""},
		{"P2_en_policy", ScopeTurn, "Our policy is no refunds after 30 days.", "Our policy"},
		{"P2_turn_scope_new_line", ScopeTurn, "对不起,让您久等了。\n这个我们不能办理。", "不能"},
		{"P2_sentence_scope_same_sentence", ScopeSentence, "对不起,这个我们不能办理。", ""},
		{"P2_sentence_scope_next_sentence", ScopeSentence, "对不起,让您久等了。这个我们不能办理。", "不能"},
		{"P2_sentence_scope_en", ScopeSentence, "Sorry for the wait. We cannot do that.", "cannot"},
		{"P2_text_scope_across_lines", ScopeText, "对不起,让您久等了。\n这个我们不能办理。", ""},
		{"P2_allow_context_question", ScopeTurn, "您能不能把地址再说一遍?", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := linter(t, LintPolicy{ApologyScope: tt.scope})
			got := l.Lint(tt.text)
			if tt.flag == "" {
				if len(got) != 0 {
					t.Fatalf("flagged: %v", got)
				}
				return
			}
			checkFindings(t, tt.text, got, []want{{"P2", tt.flag, FaultNoApology}})
		})
	}
}

func TestLint_positions(t *testing.T) {
	l := linter(t, LintPolicy{})
	text := "您好!\nab 不知道\r\n第三行:随便"
	got := l.Lint(text)
	if len(got) != 2 {
		t.Fatalf("findings: %v", got)
	}
	if got[0].Line != 2 || got[0].Col != 4 || got[0].Offset != strings.Index(text, "不知道") {
		t.Errorf("first: %+v", got[0])
	}
	if got[1].Line != 3 || got[1].Col != 5 {
		t.Errorf("second: line %d col %d", got[1].Line, got[1].Col)
	}
}

func TestLint_word_boundaries(t *testing.T) {
	l := linter(t, LintPolicy{})
	for _, text := range []string{"I know the answer", "He is not heretical", "the wholesome100%x"} {
		for _, f := range l.Lint(text) {
			if f.Fragment == "no idea" || f.Fragment == "not here" || f.Fragment == "100%" {
				t.Errorf("%q: matched inside a word: %+v", text, f)
			}
		}
	}
}

func TestNewLinter_rejects_broken_lexicon(t *testing.T) {
	c := builtin(t)
	tests := []struct {
		name string
		lex  Lexicon
		id   string
	}{
		{"no_patterns", Lexicon{Forbidden: []Forbidden{{ID: "a", Rule: "P3", Fault: FaultRude, Suggest: "apology.wait"}}}, "a"},
		{"bad_suggestion", Lexicon{Forbidden: []Forbidden{{ID: "b", Rule: "P3", Fault: FaultRude, Patterns: []string{"x"}, Suggest: "nope"}}}, "b"},
		{"suggestion_needs_values", Lexicon{Forbidden: []Forbidden{{ID: "c", Rule: "P3", Fault: FaultRude, Patterns: []string{"x"}, Suggest: "greet.with_company"}}}, "c"},
		{"bad_rule", Lexicon{Forbidden: []Forbidden{{ID: "d", Rule: "Q3", Fault: FaultRude, Patterns: []string{"x"}, Suggest: "apology.wait"}}}, "d"},
		{"allow_is_forbidden", Lexicon{Forbidden: []Forbidden{{ID: "e", Rule: "P3", Fault: FaultRude, Patterns: []string{"x"}, Suggest: "apology.wait"}}, Allow: map[string][]string{"en": {"X"}}}, "e"},
		{"empty_pattern", Lexicon{Forbidden: []Forbidden{{ID: "f", Rule: "P3", Fault: FaultRude, Patterns: []string{" "}, Suggest: "apology.wait"}}}, "f"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewLinter(c, LintPolicy{Lexicon: &tt.lex})
			var ce *CatalogueError
			if !errors.Is(err, ErrInvalidCatalogue) || !errors.As(err, &ce) || ce.PhraseID != tt.id {
				t.Fatalf("err = %v", err)
			}
		})
	}
	if _, err := NewLinter(c, LintPolicy{ApologyScope: 7}); !errors.Is(err, ErrInvalidPolicy) {
		t.Fatalf("scope 7: %v", err)
	}
}

// checkFindingInvariants is shared by the fuzz target and the tests.
func checkFindingInvariants(t *testing.T, text string, fs []Finding) {
	t.Helper()
	boundary := map[int]bool{len(text): true}
	for i := range text {
		boundary[i] = true
	}
	for i, f := range fs {
		if f.Offset < 0 || f.End > len(text) || f.Offset >= f.End {
			t.Fatalf("bad span %d..%d in %d bytes", f.Offset, f.End, len(text))
		}
		if !boundary[f.Offset] || !boundary[f.End] {
			t.Fatalf("finding %+v not on rune boundaries of %q", f, text)
		}
		if i > 0 && fs[i-1].Offset > f.Offset {
			t.Fatalf("findings out of order")
		}
		before := text[:f.Offset]
		line := strings.Count(before, "\n") + 1
		col := 1
		for _, c := range []byte(before[strings.LastIndexByte(before, '\n')+1:]) {
			if c&0xC0 != 0x80 { // every byte but a continuation byte starts a character
				col++
			}
		}
		if f.Line != line || f.Col != col {
			t.Fatalf("finding at %d: line/col %d:%d, want %d:%d", f.Offset, f.Line, f.Col, line, col)
		}
		if f.Rule == "" || f.Fault == "" || f.Message == "" {
			t.Fatalf("incomplete finding %+v", f)
		}
	}
}

func FuzzLint(f *testing.F) {
	for _, s := range []string{"", "不在", "很抱歉,经理暂时不在,需要给他留言吗?", "我们不能\n对不起", "I can't hear you\xff不知道", "\xe4\xb8不在", "Sorry. We can't.",
		"规定“不 知\t道”“说了三\xff遍", "經理不在,這個我們辦不了", "I don't  \tknow “", "是不会", "\"随便\"不在"} {
		f.Add(s)
	}
	l := linter(f, LintPolicy{ApologyScope: ScopeSentence})
	doc := linter(f, LintPolicy{Document: true, SlotRunes: 2})
	f.Fuzz(func(t *testing.T, text string) {
		checkFindingInvariants(t, text, l.Lint(text))
		checkFindingInvariants(t, text, doc.Lint(text))
	})
}

// The approved clauses of the catalogue mask forbidden fragments on their
// own, without any allow-context in the lexicon.
func TestLint_P3_catalogue_clauses_mask_without_allow_list(t *testing.T) {
	lex, err := BuiltinLexicon()
	if err != nil {
		t.Fatal(err)
	}
	lex.Allow = nil
	l := linter(t, LintPolicy{Lexicon: &lex})
	if got := l.Lint("很抱歉,经理暂时不在,需要给他留言吗?"); len(got) != 0 {
		t.Errorf("approved phrase flagged: %v", got)
	}
	if got := l.Lint("对不起,总经理暂时不在,您是否需要给他留言呢?"); len(got) != 0 {
		t.Errorf("approved phrase flagged: %v", got)
	}
	if got := l.Lint("经理不在。"); len(got) != 1 || got[0].Fragment != "不在" {
		t.Errorf("bare 不在 not flagged: %v", got)
	}
}

// A transcript: the customer's lines are not the agent's words.
func TestLint_other_speakers(t *testing.T) {
	l := linter(t, LintPolicy{ApologyScope: ScopeText, OtherSpeakers: []string{"客户:", "客户:", "Customer:"}})
	text := "坐席:您好,这里是xx物业。\n客户:我也不知道他在不在,随便吧。\n  Customer: sorry, I don't know\n坐席:我们不能办理,不知道。"
	got := l.Lint(text)
	checkFindings(t, text, got, []want{{"P2", "不能", FaultNoApology}, {"P3", "不知道", FaultIrresponsible}})
	if got[0].Line != 4 {
		t.Fatalf("line %d", got[0].Line)
	}
	all := linter(t, LintPolicy{ApologyScope: ScopeText})
	if n := len(all.Lint(text)); n <= 2 {
		t.Fatalf("without OtherSpeakers only %d findings; the test text proves nothing", n)
	}
}

// A desk's own lexicon file: its own forbidden words and suggestion.
func TestLint_P3_desk_lexicon_json(t *testing.T) {
	lex, err := ParseLexicon(strings.NewReader(`{
		"forbidden": [{"id": "desk.slang", "rule": "P5", "fault": "slang", "patterns": ["木有", "OK啦"], "suggest": "response.will_do"}],
		"refusals": {"zh-CN": ["办不了"]},
		"apologies": {"zh-CN": ["抱歉"]}
	}`))
	if err != nil {
		t.Fatal(err)
	}
	l := linter(t, LintPolicy{Lexicon: &lex})
	got := l.Lint("木有问题,ok啦。这个办不了。")
	checkFindings(t, "木有问题,ok啦。这个办不了。", got, []want{{"P5", "木有", "slang"}, {"P5", "ok啦", "slang"}, {"P2", "办不了", FaultNoApology}})
	if s := got[0].String(); s != `1:1: P5: slang wording "木有"; say "好的,我们一定遵照您的吩咐去做。" instead` {
		t.Errorf("String() = %q", s)
	}
	lex.Forbidden[0].Rule = "P9" // the linter kept its own copy
	if got := l.Lint("木有"); len(got) != 1 || got[0].Rule != "P5" {
		t.Errorf("lexicon change leaked into the linter: %v", got)
	}
	if _, err := ParseLexicon(strings.NewReader(`{"forbiden": []}`)); !errors.Is(err, ErrInvalidCatalogue) {
		t.Errorf("unknown field: %v", err)
	}
}
