package phrasebook

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// flags lints text and returns "rule:fragment" for each finding.
func flags(l *Linter, text string) []string {
	var out []string
	for _, f := range l.Lint(text) {
		out = append(out, f.Rule+":"+f.Fragment)
	}
	return out
}

func expectFlags(t *testing.T, l *Linter, text string, want ...string) {
	t.Helper()
	got := flags(l, text)
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("%q: got %q, want %q", text, got, want)
	}
}

// P3: 不知道 / 不在 are the agent's forbidden words only when they are the
// agent's: the customer as subject, a condition, or a polite question to
// the customer is not the forbidden manner.
func TestLint_P3_context_subject_condition_question(t *testing.T) {
	l := linter(t, LintPolicy{})
	expectFlags(t, l, "您不知道订单号也没关系。")
	expectFlags(t, l, "如果您明天不在家,可以把钥匙留在前台。")
	expectFlags(t, l, "业主不在的话,需要书面委托。")
	expectFlags(t, l, "不知道明天上午您有空吗?")
	expectFlags(t, l, "If you're not sure, we can pencil in Tuesday.")
	expectFlags(t, l, "我不知道。", "P3:不知道")
	expectFlags(t, l, "我不知道您说的是哪一个。", "P3:不知道")
	expectFlags(t, l, "您这个要求我也不清楚。", "P3:不清楚")
	expectFlags(t, l, "Not sure, ask someone else.", "P3:Not sure", "P3:ask someone else")
}

// P3: a bare 不在 is about a colleague; 不在 with a place or scope after it
// is not (不在保修范围, 不在小区, 不在乎).
func TestLint_P3_bare_not_here(t *testing.T) {
	l := linter(t, LintPolicy{})
	expectFlags(t, l, "经理不在。", "P3:不在")
	expectFlags(t, l, "经理不在呢,你晚点再打。", "P3:不在")
	expectFlags(t, l, "这栋楼不在我们小区的管理范围内。")
	expectFlags(t, l, "那个车位不在地下二层。")
}

// P3 note: an approved phrase with words inserted between its parts is
// still the approved phrase (the anchor 暂时 of 经理暂时不在 stands a few
// runes before 不在); SlotRunes bounds how far.
func TestLint_P3_approved_phrase_with_inserted_words(t *testing.T) {
	l := linter(t, LintPolicy{})
	expectFlags(t, l, "对不起,张主管暂时还不在,您是否需要给她留言呢?")
	expectFlags(t, l, "对不起,张主管暂时因为开会的原因还不在,您是否需要给她留言呢?", "P3:不在")
	wide := linter(t, LintPolicy{SlotRunes: 10})
	expectFlags(t, wide, "对不起,张主管暂时因为开会的原因还不在,您是否需要给她留言呢?")
}

// P3 (002 第六条 2): 100% is a promise, not in a clause about a rate or a
// target.
func TestLint_P3_numbers_in_kpi_text(t *testing.T) {
	l := linter(t, LintPolicy{})
	expectFlags(t, l, "本月回访率100%,满意度96%。")
	expectFlags(t, l, "Our callback rate last quarter was 100%.")
	expectFlags(t, l, "这个问题100%能解决。", "P3:100%")
}

// P2: a refusal word in a condition or in a question to the customer is
// not a refusal; the agent's own refusal in a question still is.
func TestLint_P2_context_condition_question(t *testing.T) {
	l := linter(t, LintPolicy{})
	expectFlags(t, l, "如果师傅不能按时到,会提前给您打电话。")
	expectFlags(t, l, "不能及时赶到的话,师傅会先打电话。")
	expectFlags(t, l, "您是不能登录App吗?我帮您重置密码。")
	expectFlags(t, l, "您的车现在开不了,对吧?")
	expectFlags(t, l, "If you can't make it on Friday, just call us.")
	expectFlags(t, l, "这个我们办不了,您明白吗?", "P2:不了")
	expectFlags(t, l, "没有预约的话今天不能给您做保养。", "P2:不能")
	expectFlags(t, l, "我们不能让您一直等,我去催一下。")
}

// P2, P3: template patterns with slots (说了*遍, 是不会*的) match the
// paraphrases, within SlotRunes runes and one clause.
func TestLint_P2_P3_template_slots(t *testing.T) {
	l := linter(t, LintPolicy{})
	expectFlags(t, l, "我都说了三遍了。", "P3:说了三遍")
	expectFlags(t, l, "我都说了好几遍了。", "P3:说了好几遍")
	expectFlags(t, l, "这种情况我们是不会赔偿的。", "P2:是不会赔偿的")
	expectFlags(t, l, "我说了,这是第三遍。") // the clause ends between the parts
	narrow := linter(t, LintPolicy{SlotRunes: 1})
	expectFlags(t, narrow, "我都说了好几遍了。")
	expectFlags(t, narrow, "我都说了三遍了。", "P3:说了三遍")
	if _, err := NewLinter(builtin(t), LintPolicy{SlotRunes: -1}); !errors.Is(err, ErrInvalidPolicy) {
		t.Errorf("SlotRunes -1: %v", err)
	}
	bad := Lexicon{Forbidden: []Forbidden{{ID: "t", Rule: "P3", Fault: FaultRude, Patterns: []string{"说了**遍"}, Suggest: "apology.wait"}}}
	if _, err := NewLinter(builtin(t), LintPolicy{Lexicon: &bad}); !errors.Is(err, ErrInvalidCatalogue) {
		t.Errorf("template with an empty part: %v", err)
	}
}

// Traditional characters, full-width or ASCII punctuation and stray
// whitespace inside words are read alike.
func TestLint_P2_P3_traditional_punctuation_whitespace(t *testing.T) {
	l := linter(t, LintPolicy{})
	expectFlags(t, l, "這個我們辦不了。", "P2:不了")
	expectFlags(t, l, "經理不在,你明天再打來。", "P3:不在", "P3:明天再打來")
	expectFlags(t, l, "很抱歉,經理暫時不在,需要給他留個言嗎?")
	expectFlags(t, l, "您如果週六不在家,我們可以改到週日。")
	expectFlags(t, l, "很抱歉, 这个我们暂时办不了.")
	expectFlags(t, l, "Sorry,we can't do that today.")
	expectFlags(t, l, "不 知 道,你问别人。", "P3:不 知 道", "P3:问别人")
	expectFlags(t, l, "I don't  know.", "P3:I don't  know")
	expectFlags(t, l, "I don't\tknow.", "P3:I don't\tknow")
	expectFlags(t, l, "No idea ok", "P3:No idea")
	text := "您好!\n不  知道"
	fs := l.Lint(text)
	if len(fs) != 1 || fs[0].Offset != strings.Index(text, "不") || fs[0].End != len(text) || fs[0].Line != 2 || fs[0].Col != 1 {
		t.Errorf("%q: %+v", text, fs)
	}
}

// Document mode: only quoted speech is linted; procedural text, KPI
// targets and rule sentences around the quotes are not.
func TestLint_P3_document_mode_lints_quoted_speech_only(t *testing.T) {
	doc := linter(t, LintPolicy{Document: true})
	text := "客服人员不得回答“不知道”。回访率须达到100%,不在服务范围的不受理,按规定处理。\n应答“很抱歉,经理暂时不在,需要给他留言吗?”,不能说「他不在」。"
	expectFlags(t, doc, text, "P3:不知道", "P3:不在")
	speech := linter(t, LintPolicy{})
	if n := len(speech.Lint(text)); n <= 2 {
		t.Fatalf("speech mode found only %d: the text proves nothing", n)
	}
	// An apology counts only inside the same quotation.
	expectFlags(t, doc, "先说“对不起”,再说“这个我们办不了”。", "P2:不了")
	expectFlags(t, doc, "应说“对不起,这个我们办不了”。")
	// A quotation left open ends at the line break.
	expectFlags(t, doc, "规定:“不知道\n不知道", "P3:不知道")
}

// seedDir finds the shared seed regulations (shared/seeds beside the
// repository, or above a worktree of it).
func seedDir(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("DESK_SEEDS"); d != "" {
		return d
	}
	for _, up := range []string{"../../shared/seeds", "../../../shared/seeds", "../../../../shared/seeds"} {
		if st, err := os.Stat(up); err == nil && st.IsDir() {
			return up
		}
	}
	t.Skip("shared/seeds not found beside the repository; set DESK_SEEDS")
	return ""
}

// Document mode over the seed regulations themselves: the only findings
// are the forbidden examples that 000 quotes (注意事项 9 and 上司外出 4),
// each flagged; procedural text, KPI targets and the quoted approved
// phrases raise nothing.
func TestLint_P3_document_mode_seed_regulations(t *testing.T) {
	dir := seedDir(t)
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(files) < 5 {
		t.Fatalf("seeds in %s: %v %v", dir, files, err)
	}
	l := linter(t, LintPolicy{Document: true})
	want := map[string]bool{ // line of 000 : fragment
		"156:你不報姓名": true, "156:我是不會給你接轉的": true, "156:就說嘛": true, "156:他正忙著呢": true,
		"156:不知道": true, "156:不在": true, "156:說過了": true, "156:明天再打來": true,
		"156:我也不知道他在不在": true, "156:隨便": true,
		"158:聲音大點": true, "158:我聽不見": true, "158:下班了": true, "158:明天再打": true,
		"168:沒有來": true, "168:一直未見到": true, "168:還未來上班": true,
	}
	seen := map[string]int{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, fd := range l.Lint(string(b)) {
			key := strings.Join([]string{itoa(fd.Line), fd.Fragment}, ":")
			if !strings.HasPrefix(filepath.Base(f), "000_") || !want[key] || fd.Rule != "P3" {
				t.Errorf("%s:%d:%d: false finding %s %q", filepath.Base(f), fd.Line, fd.Col, fd.Rule, fd.Fragment)
			}
			seen[key]++
		}
	}
	for k := range want {
		if seen[k] == 0 {
			t.Errorf("000: quoted forbidden example %s not flagged", k)
		}
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
