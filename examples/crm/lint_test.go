package main

import (
	"net/http"
	"testing"
)

type lintReply struct {
	Findings []findingOut `json:"findings"`
}

// TestLint checks texts over HTTP: P3's forbidden "不知道" is found with
// a suggestion, the approved phrase that contains 不在 is clean (P3's
// false-positive note), and a refusal without an apology is P2.
func TestLint(t *testing.T) {
	f := newFixture(t)
	post := func(text string) lintReply {
		t.Helper()
		var r lintReply
		as{h: f.srv}.must(t, http.StatusOK, "POST", "/lint", map[string]string{"text": text}).decode(t, &r)
		return r
	}
	t.Run("P3_dont_know", func(t *testing.T) {
		r := post("不知道")
		if len(r.Findings) != 1 {
			t.Fatalf("findings %+v, want one", r.Findings)
		}
		g := r.Findings[0]
		if g.Rule != "P3" || g.Fragment != "不知道" || g.Offset != 0 || g.End != len("不知道") || g.Suggestion == "" {
			t.Errorf("finding %+v", g)
		}
	})
	t.Run("P3_approved_phrase_is_clean", func(t *testing.T) {
		if r := post("很抱歉,经理暂时不在,需要给他留言吗?"); len(r.Findings) != 0 {
			t.Errorf("approved phrase flagged: %+v", r.Findings)
		}
	})
	t.Run("P2_refusal_without_apology", func(t *testing.T) {
		r := post("我们无法上门维修。")
		if len(r.Findings) != 1 || r.Findings[0].Rule != "P2" {
			t.Fatalf("findings %+v, want one P2", r.Findings)
		}
		if r := post("对不起,我们无法上门维修。"); len(r.Findings) != 0 {
			t.Errorf("P2: apology first, yet flagged %+v", r.Findings)
		}
	})
	t.Run("empty_text_is_clean", func(t *testing.T) {
		if r := post(""); r.Findings == nil || len(r.Findings) != 0 {
			t.Errorf("want an empty list, got %+v", r.Findings)
		}
	})
	t.Run("a_body_without_text_is_400", func(t *testing.T) {
		// The document requires text: {} is a client that named the
		// field wrong or sent nothing to check, not a clean text.
		if e := (as{h: f.srv}).must(t, http.StatusBadRequest, "POST", "/lint", `{}`).err(t); e.Field != "text" {
			t.Errorf("field %q, want text", e.Field)
		}
	})
}
