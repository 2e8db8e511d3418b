package phrasebook

import "testing"

// The seed's own sentences, verbatim from 000_d5bae67d52c67b17.txt
// (traditional characters, including the file's stray pinyin
// annotations such as "經(jīng)"): what 000 lists as impolite must be
// flagged, what it gives as standard language must pass.
func TestLint_seed000_verbatim(t *testing.T) {
	l := linter(t, LintPolicy{})
	flagged := []struct {
		name  string
		text  string
		wants []want
	}{
		{"P3_rude_9A_no_name", "你不報姓名,我是不會給你接轉的。", []want{{"P3", "你不報姓名", FaultRude}, {"P3", "我是不會給你接轉的", FaultRude}}},
		{"P3_rude_9A_just_say", "你有什么事就說嘛", []want{{"P3", "就說嘛", FaultRude}}},
		{"P3_arrogant_9B_busy", "他正忙著呢,現(xiàn)在沒空", []want{{"P3", "他正忙著呢", FaultArrogant}}},
		{"P3_arrogant_9B_dont_know", "不知道", []want{{"P3", "不知道", FaultIrresponsible}}},
		{"P3_arrogant_9B_not_in", "不在", []want{{"P3", "不在", FaultArrogant}}},
		{"P3_arrogant_9B_said_already", "我已經(jīng)說過了,明天再打來", []want{{"P3", "說過了", FaultArrogant}, {"P3", "明天再打來", FaultArrogant}}},
		{"P3_irresponsible_9C_dont_know_if_in", "我也不知道他在不在", []want{{"P3", "我也不知道他在不在", FaultIrresponsible}}},
		{"P3_irresponsible_9C_whatever", "隨便", []want{{"P3", "隨便", FaultIrresponsible}}},
		{"P3_hurtful_9G_speak_up", "聲音大點,你說什么?我聽不見", []want{{"P3", "聲音大點", FaultHurtful}, {"P3", "我聽不見", FaultHurtful}}},
		{"P3_hurtful_9G_off_duty", "下班了,明天再打", []want{{"P3", "下班了", FaultHurtful}, {"P3", "明天再打", FaultHurtful}}},
		{"P3_absence_not_come", "沒有來", []want{{"P3", "沒有來", FaultAbsence}}},
		{"P3_absence_never_seen", "一直未見到", []want{{"P3", "一直未見到", FaultAbsence}}},
		{"P3_absence_not_at_work", "還未來上班", []want{{"P3", "還未來上班", FaultAbsence}}},
		{"P2_no_service_without_apology", "我們暫時還沒有開展此項服務,如果您有此項要求,可向值班經(jīng)理提出,我們盡力為您解決。", []want{{"P2", "沒有開展", FaultNoApology}}},
	}
	for _, tt := range flagged {
		t.Run(tt.name, func(t *testing.T) {
			checkFindings(t, tt.text, l.Lint(tt.text), tt.wants)
		})
	}
	clean := map[string]string{
		"P1_inquiry_manager_out":     "很抱歉,經(jīng)理暫時不在,需要給他留言嗎?",
		"P1_apology_gm_out":          "對不起,總經(jīng)理暫時不在,您是否需要給他留言呢?",
		"P3_approved_out_of_office":  "他/她 暫時不在辦公室,有什么事可以代勞呢?",
		"P1_apology_disturb":         "不好意思,打攪您了。",
		"P1_apology_repeat":          "對不起,我沒聽清楚,請您再重復一遍好嗎?",
		"P1_inquiry_read_back":       "您的吩咐我已經(jīng)記錄下來了,現(xiàn)在復述一遍給您聽行嗎?",
		"P1_inquiry_phone_address":   "請問,您可以留下您的電話號碼和住址嗎?",
		"P1_response_will_do":        "好的,我們一定遵照您的吩咐去做。",
		"P2_no_service_with_apology": "對不起,我們暫時還沒有開展此項服務,如果您有此項要求,可向值班經(jīng)理提出,我們盡力為您解決。",
		"P3_caller_question":         "我等一會兒 再打來吧?",
		"P3_caller_where":            "到哪兒去了?",
	}
	for name, text := range clean {
		t.Run(name, func(t *testing.T) {
			if got := l.Lint(text); len(got) != 0 {
				t.Fatalf("%q flagged: %v", text, got)
			}
		})
	}
}
