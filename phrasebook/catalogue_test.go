package phrasebook

import (
	"errors"
	"strings"
	"testing"
)

func builtin(t testing.TB) *Catalogue {
	t.Helper()
	c, err := Builtin()
	if err != nil {
		t.Fatalf("Builtin: %v", err)
	}
	return c
}

// P1: every standard sentence of seed 000 is in the catalogue, verbatim
// (simplified characters, the seed's full-width punctuation).
func TestCatalogue_P1_seed_phrases_verbatim(t *testing.T) {
	c := builtin(t)
	want := map[Category][]string{
		CategoryGreeting: {"您好", "早上好", "下午好", "晚上好", "节日快乐", "新年快乐", "圣诞快乐"},
		CategoryInquiry: {"请问先生您贵姓?", "我可以知道您的姓名和公司名称吗?", "请问,您需要我为您做点什么吗?",
			"请您稍等片刻,我通知经理来接听您的电话好吗?", "您的吩咐我已经记录下来了,现在复述一遍给您听行吗?",
			"很抱歉,经理暂时不在,需要给他留言吗?", "请问,您可以留下您的电话号码和住址吗?"},
		CategoryResponse: {"很高兴能为您服务。", "谢谢,请多提宝贵意见。", "请放心,我一定将您的意见转达给我的上司。",
			"好的,我们一定遵照您的吩咐去做。", "请不要客气,这是我应该做的。"},
		CategoryApology: {"实在对不起,是我们不小心碰撞了您的物品,请您多原谅。", "对不起,让您久等了。",
			"很对不起,是我们没有给您解释清楚,产生误会,还请您多原谅。",
			"对不起,我们暂时还没有开展此项服务,如果您有此项要求,可向值班经理提出,我们尽力为您解决。",
			"对不起,总经理暂时不在,您是否需要给他留言呢?", "不好意思,打扰您了。", "对不起,我没听清楚,请您再重复一遍好吗?"},
		CategoryThanks: {"谢谢您打电话来。", "感谢您的宝贵意见,我们一定会认真研究并改进工作的。", "多谢您的提醒。", "谢谢您的关心。"},
	}
	for cat, texts := range want {
		have := map[string]bool{}
		for _, p := range c.Phrases(cat) {
			have[p.Text[LangZH]] = true
			if p.Text[LangEN] == "" {
				t.Errorf("%s: no English text", p.ID)
			}
		}
		for _, s := range texts {
			if !have[s] {
				t.Errorf("P1 %s: %q missing from the catalogue", cat, s)
			}
		}
	}
}

func TestRender(t *testing.T) {
	c := builtin(t)
	desk, err := c.With(Overlay{Values: map[string]string{"company": "xx依维柯"}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		cat    *Catalogue
		id     string
		lang   string
		values map[string]string
		want   string
		err    error
	}{
		{"P6_company_from_overlay", desk, "greet.with_company", LangZH, map[string]string{"greeting": "您好"}, "您好,这里是xx依维柯。", nil},
		{"P6_caller_value_wins", desk, "greet.with_company", LangEN, map[string]string{"greeting": "Hello", "company": "Acme"}, "Hello, this is Acme.", nil},
		{"P8_introduce", desk, "callback.introduce", LangZH, map[string]string{"department": "客服部", "agent_no": "007"}, "我是xx依维柯客服部的客服,工号007。", nil},
		{"missing_company_is_error", c, "greet.with_company", LangZH, map[string]string{"greeting": "您好"}, "", ErrMissingValue},
		{"blank_value_is_missing", desk, "callback.introduce", LangZH, map[string]string{"department": "  ", "agent_no": "7"}, "", ErrMissingValue},
		{"unknown_placeholder", desk, "greet.hello", LangZH, map[string]string{"nmae": "x"}, "", ErrUnknownPlaceholder},
		{"unknown_phrase", desk, "nope", LangZH, nil, "", ErrNotFound},
		{"unknown_language", desk, "greet.hello", "fr", nil, "", ErrNotFound},
		{"no_placeholders", desk, "apology.wait", LangZH, nil, "对不起,让您久等了。", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.cat.Render(tt.id, tt.lang, tt.values)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
			if strings.ContainsAny(got, "{}") {
				t.Fatalf("rendered text still has braces: %q", got)
			}
		})
	}
	var re *RenderError
	_, err = c.Render("callback.introduce", LangZH, map[string]string{"agent_no": "1"})
	if !errors.As(err, &re) || re.Placeholder != "company" || re.PhraseID != "callback.introduce" {
		t.Fatalf("RenderError = %#v (%v), want placeholder company", re, err)
	}
}

func TestCatalogue_overlay(t *testing.T) {
	c := builtin(t)
	ja, err := c.With(Overlay{
		Values: map[string]string{"company": "Acme"},
		Phrases: []Phrase{
			{ID: "greet.hello", Text: map[string]string{"ja": "こんにちは"}},
			{ID: "apology.wait", Text: map[string]string{LangEN: "Thank you for waiting."}},
			{ID: "desk.own", Category: "closing", Text: map[string]string{LangEN: "Bye from {company}."}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := ja.Render("greet.hello", "ja", nil); got != "こんにちは" {
		t.Errorf("added language: %q", got)
	}
	if got, _ := ja.Render("greet.hello", LangZH, nil); got != "您好" {
		t.Errorf("other languages kept: %q", got)
	}
	if got, _ := ja.Render("apology.wait", LangEN, nil); got != "Thank you for waiting." {
		t.Errorf("replaced text: %q", got)
	}
	if got, _ := ja.Render("desk.own", LangEN, nil); got != "Bye from Acme." {
		t.Errorf("new phrase: %q", got)
	}
	if !strings.Contains(strings.Join(ja.Languages(), ","), "ja") {
		t.Errorf("languages %v lack ja", ja.Languages())
	}
	// The original is untouched.
	if _, err := c.Render("greet.hello", "ja", nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("overlay leaked into the original catalogue: %v", err)
	}
	if got, _ := c.Render("apology.wait", LangEN, nil); got != "Sorry to have kept you waiting." {
		t.Errorf("original text changed: %q", got)
	}
}

func TestCatalogue_rejects_broken(t *testing.T) {
	tests := []struct {
		name     string
		json     string
		phraseID string
		problem  string
	}{
		{"undeclared_placeholder", `{"phrases":[{"id":"a","category":"greeting","text":{"en":"hi {who}"}}]}`, "a", "undeclared placeholder {who}"},
		{"unclosed_brace", `{"placeholders":["x"],"phrases":[{"id":"b","category":"greeting","text":{"en":"hi {x"}}]}`, "b", "malformed placeholder"},
		{"stray_close", `{"phrases":[{"id":"c","category":"greeting","text":{"en":"hi }"}}]}`, "c", "stray }"},
		{"empty_text", `{"phrases":[{"id":"d","category":"greeting","text":{"en":"  "}}]}`, "d", "empty text"},
		{"no_category", `{"phrases":[{"id":"e","text":{"en":"x"}}]}`, "e", "missing category"},
		{"no_text", `{"phrases":[{"id":"f","category":"thanks"}]}`, "f", "no text"},
		{"duplicate", `{"phrases":[{"id":"g","category":"thanks","text":{"en":"x"}},{"id":"g","category":"thanks","text":{"en":"y"}}]}`, "g", "duplicate"},
		{"bad_lang", `{"phrases":[{"id":"h","category":"thanks","text":{"e n":"x"}}]}`, "h", "language tag"},
		{"bad_rule", `{"phrases":[{"id":"i","category":"thanks","rules":["X9"],"text":{"en":"x"}}]}`, "i", "rule"},
		{"bad_id", `{"phrases":[{"id":"Bad ID","category":"thanks","text":{"en":"x"}}]}`, "Bad ID", "id must be"},
		{"unknown_field", `{"phrases":[{"id":"j","category":"thanks","txt":{"en":"x"}}]}`, "", "bad json"},
		{"value_undeclared", `{"values":{"company":"x"}}`, "", "undeclared placeholder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(strings.NewReader(tt.json))
			if !errors.Is(err, ErrInvalidCatalogue) {
				t.Fatalf("err = %v, want ErrInvalidCatalogue", err)
			}
			var ce *CatalogueError
			if !errors.As(err, &ce) {
				t.Fatalf("not a *CatalogueError: %T", err)
			}
			if ce.PhraseID != tt.phraseID || !strings.Contains(ce.Problem, tt.problem) {
				t.Fatalf("got phrase %q problem %q, want %q / %q", ce.PhraseID, ce.Problem, tt.phraseID, tt.problem)
			}
		})
	}
}

func TestCatalogue_literal_braces(t *testing.T) {
	c, err := Load(strings.NewReader(`{"placeholders":["x"],"phrases":[{"id":"a","category":"thanks","text":{"en":"{{literal}} {x}"}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Render("a", "en", map[string]string{"x": "ok"})
	if err != nil || got != "{literal} ok" {
		t.Fatalf("got %q, %v", got, err)
	}
}

// A desk's overlay file: company name, a replaced phrase, a new language.
func TestCatalogue_overlay_json(t *testing.T) {
	o, err := ParseOverlay(strings.NewReader(`{
		"values": {"company": "荔园物业"},
		"phrases": [
			{"id": "thanks.call", "text": {"zh-CN": "感谢您致电{company}。", "zh-TW": "感謝您致電{company}。"}},
			{"id": "desk.rain", "category": "closing", "rules": ["P9"], "situations": ["inbound"], "text": {"zh-CN": "雨天路滑,请注意安全。"}}
		]
	}`))
	if err != nil {
		t.Fatal(err)
	}
	c, err := builtin(t).With(o)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ id, lang, want string }{
		{"thanks.call", LangZH, "感谢您致电荔园物业。"},
		{"thanks.call", "zh-TW", "感謝您致電荔园物业。"},
		{"thanks.call", LangEN, "Thank you for calling."},
		{"desk.rain", LangZH, "雨天路滑,请注意安全。"},
	} {
		if got, err := c.Render(tc.id, tc.lang, nil); err != nil || got != tc.want {
			t.Errorf("%s/%s = %q, %v; want %q", tc.id, tc.lang, got, err, tc.want)
		}
	}
	if p, _ := c.Phrase("thanks.call"); p.Category != CategoryThanks || p.Source != "000" {
		t.Errorf("merge lost the category or source: %+v", p)
	}
	if got := c.ForSituation("inbound"); len(got) == 0 || got[len(got)-1].ID != "desk.rain" {
		t.Errorf("desk phrase not in the inbound situation")
	}
	if _, err := ParseOverlay(strings.NewReader(`{"values":{}} {"values":{}}`)); !errors.Is(err, ErrInvalidCatalogue) {
		t.Errorf("trailing data: %v", err)
	}
	// A broken overlay leaves the desk's catalogue as it was.
	if _, err := c.With(Overlay{Phrases: []Phrase{{ID: "thanks.call", Text: map[string]string{LangZH: "谢谢{nope}"}}}}); !errors.Is(err, ErrInvalidCatalogue) {
		t.Fatalf("broken overlay accepted: %v", err)
	}
	if got, _ := c.Render("thanks.call", LangZH, nil); got != "感谢您致电荔园物业。" {
		t.Errorf("catalogue changed by a rejected overlay: %q", got)
	}
}

func TestCatalogue_accessors(t *testing.T) {
	c := builtin(t)
	if _, ok := c.Value("company"); ok {
		t.Error("built-in catalogue has a company")
	}
	d, _ := c.With(Overlay{Values: map[string]string{"company": "Acme"}})
	if v, ok := d.Value("company"); !ok || v != "Acme" {
		t.Errorf("Value = %q, %v", v, ok)
	}
	got, err := c.Placeholders("unavailable.out", LangZH)
	if err != nil || strings.Join(got, ",") != "person,return_time" {
		t.Errorf("Placeholders = %v, %v", got, err)
	}
	if _, err := c.Placeholders("nope", LangZH); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown phrase: %v", err)
	}
	if _, err := c.Phrase("nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown phrase: %v", err)
	}
	p, _ := c.Phrase("greet.hello")
	p.Text[LangZH] = "changed"
	if q, _ := c.Phrase("greet.hello"); q.Text[LangZH] != "您好" {
		t.Error("Phrase returned shared state")
	}
	_, err = c.With(Overlay{Placeholders: []string{"Bad Name"}})
	var ce *CatalogueError
	if !errors.As(err, &ce) || ce.Error() != `phrasebook: invalid catalogue: placeholder name "Bad Name": use a-z, 0-9 and _` {
		t.Errorf("whole-catalogue error: %v", err)
	}
}
