package phrasebook

import (
	"errors"
	"slices"
	"testing"
	"time"
)

var allValues = map[string]string{
	"name": "王先生", "company": "xx依维柯", "agent": "小李", "agent_no": "007", "department": "客服部",
	"person": "张经理", "return_time": "下午三点", "solution": "明天上午更换配件", "reply_time": "明天下午五点",
	"option_a": "周二上午", "option_b": "周三下午", "time": "周二上午十点",
}

// Every built-in script is valid, uses only catalogue phrases, and every
// phrase it says renders and lints clean in both languages.
func TestScripts_valid_and_phrases_exist(t *testing.T) {
	c := builtin(t)
	l := linter(t, LintPolicy{})
	for _, s := range Scripts() {
		t.Run(s.Rule+"_"+s.ID, func(t *testing.T) {
			if err := s.Validate(); err != nil {
				t.Fatal(err)
			}
			for _, id := range s.Phrases() {
				for _, lang := range []string{LangZH, LangEN} {
					vals := allValues
					if id == "greet.with_company" {
						vals = map[string]string{"greeting": "您好", "company": "xx依维柯"}
					}
					txt, err := c.Render(id, lang, vals)
					if err != nil {
						t.Fatalf("%s: %v", id, err)
					}
					if f := l.Lint(txt); len(f) != 0 {
						t.Errorf("%s (%s) %q lints dirty: %v", id, lang, txt, f)
					}
				}
			}
		})
	}
}

func walk(t *testing.T, s Script, p ScriptPolicy, branches ...string) *Walker {
	t.Helper()
	w, err := NewWalker(s, p)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range branches {
		if err := w.Take(b); err != nil {
			t.Fatalf("take %q: %v", b, err)
		}
	}
	return w
}

func TestCallback_P8(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	toSolution := []string{"confirmed", "introduced", "yes"}

	t.Run("P8_order_of_steps", func(t *testing.T) {
		w := walk(t, CallbackScript(), ScriptPolicy{})
		var order []string
		for _, b := range append(slices.Clone(toSolution), "accepted", "none") {
			st, _ := w.Step()
			order = append(order, st.ID)
			if err := w.Take(b); err != nil {
				t.Fatal(err)
			}
		}
		st, _ := w.Step()
		order = append(order, st.ID)
		want := []string{"verify_identity", "introduce", "convenient", "solution", "new_need", "close"}
		if !slices.Equal(order, want) {
			t.Fatalf("steps %v, want %v", order, want)
		}
		if err := w.Take("done"); err != nil {
			t.Fatal(err)
		}
		if o := w.Outcome(); !o.Done || o.Branch != "done" || o.LinkedCase {
			t.Fatalf("outcome %+v", o)
		}
		if err := w.Take("done"); !errors.Is(err, ErrScriptDone) {
			t.Fatalf("after the end: %v", err)
		}
	})
	t.Run("P8_rejected_escalate", func(t *testing.T) {
		w := walk(t, CallbackScript(), ScriptPolicy{}, append(toSolution, "rejected", "escalate")...)
		if o := w.Outcome(); !o.Done || o.Branch != "escalate" || o.Step != "seek_understanding" {
			t.Fatalf("outcome %+v", o)
		}
	})
	t.Run("P8_not_convenient_reschedules", func(t *testing.T) {
		w := walk(t, CallbackScript(), ScriptPolicy{}, "confirmed", "introduced", "no", "rescheduled")
		if o := w.Outcome(); o.Branch != "rescheduled" {
			t.Fatalf("outcome %+v", o)
		}
	})
	t.Run("P8_new_need_linked_case_within_48h", func(t *testing.T) {
		w := walk(t, CallbackScript(), ScriptPolicy{}, append(toSolution, "accepted", "no_answer")...)
		if err := w.Take("agreed"); !errors.Is(err, ErrCheckFailed) {
			t.Fatalf("agreed without a reply time: %v", err)
		}
		if err := w.AgreeReply(now, now.Add(48*time.Hour+time.Second)); !errors.Is(err, ErrCheckFailed) {
			t.Fatalf("reply 48h+1s ahead: %v", err)
		}
		if err := w.AgreeReply(now, now); !errors.Is(err, ErrCheckFailed) {
			t.Fatalf("reply now: %v", err)
		}
		if err := w.AgreeReply(now, now.Add(48*time.Hour)); err != nil {
			t.Fatalf("reply exactly 48h ahead: %v", err)
		}
		if err := w.Take("agreed"); err != nil {
			t.Fatal(err)
		}
		if err := w.Take("none"); err != nil {
			t.Fatal(err)
		}
		if err := w.Take("done"); err != nil {
			t.Fatal(err)
		}
		o := w.Outcome()
		if !o.LinkedCase || !o.ReplyBy.Equal(now.Add(48*time.Hour)) {
			t.Fatalf("outcome %+v", o)
		}
	})
	t.Run("P8_reply_delay_is_policy", func(t *testing.T) {
		w := walk(t, CallbackScript(), ScriptPolicy{MaxReplyDelay: 24 * time.Hour}, append(toSolution, "accepted", "no_answer")...)
		if err := w.AgreeReply(now, now.Add(25*time.Hour)); !errors.Is(err, ErrCheckFailed) {
			t.Fatalf("25h with a 24h policy: %v", err)
		}
		if err := w.AgreeReply(now, now.Add(24*time.Hour)); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("P8_known_answer_loops_back", func(t *testing.T) {
		w := walk(t, CallbackScript(), ScriptPolicy{}, append(toSolution, "accepted", "known_answer", "answered")...)
		if st, _ := w.Step(); st.ID != "new_need" {
			t.Fatalf("at %q", st.ID)
		}
	})
}

func TestWalker_illegal_branch(t *testing.T) {
	w := walk(t, CallbackScript(), ScriptPolicy{}, "confirmed")
	if got := w.Branches(); !slices.Equal(got, []string{"introduced"}) {
		t.Fatalf("branches %v", got)
	}
	err := w.Take("accepted")
	if !errors.Is(err, ErrIllegalBranch) {
		t.Fatalf("err %v", err)
	}
	if st, _ := w.Step(); st.ID != "introduce" || len(w.Trail()) != 1 {
		t.Fatalf("illegal branch changed the walker: %s %v", st.ID, w.Trail())
	}
	if err := w.AgreeReply(time.Now(), time.Now().Add(time.Hour)); !errors.Is(err, ErrIllegalBranch) {
		t.Fatalf("reply time on a step without one: %v", err)
	}
	if _, err := NewWalker(CallbackScript(), ScriptPolicy{MaxReplyDelay: -time.Hour}); !errors.Is(err, ErrInvalidPolicy) {
		t.Fatalf("negative delay: %v", err)
	}
}

func TestInbound_P6_P9_three_voices(t *testing.T) {
	c := builtin(t)
	w := walk(t, InboundScript(), ScriptPolicy{})
	say, err := w.Say(c, LangZH, map[string]string{"greeting": "您好", "company": "xx依维柯"})
	if err != nil || len(say) != 1 || say[0] != "您好,这里是xx依维柯。" {
		t.Fatalf("问声 = %q, %v", say, err)
	}
	for _, b := range []string{"answered", "declined", "cannot_answer_now", "recorded"} {
		if err := w.Take(b); err != nil {
			t.Fatal(err)
		}
	}
	st, _ := w.Step()
	if st.ID != "close" || st.Rule != "P9" {
		t.Fatalf("送声 step = %+v", st)
	}
	if err := w.Take("done"); err != nil {
		t.Fatal(err)
	}
	want := []Move{{"answer", "answered"}, {"identify", "declined"}, {"need", "cannot_answer_now"}, {"record_case", "recorded"}, {"close", "done"}}
	if !slices.Equal(w.Trail(), want) {
		t.Fatalf("trail %v", w.Trail())
	}
}

func TestTransferAndUnavailable_P4(t *testing.T) {
	w := walk(t, TransferScript(), ScriptPolicy{}, "given", "confirmed", "no_answer", "retry", "no_answer", "unavailable")
	if o := w.Outcome(); o.Branch != "unavailable" {
		t.Fatalf("transfer outcome %+v", o)
	}
	w = walk(t, UnavailableScript(), ScriptPolicy{}, "meeting", "insists", "note_passed")
	if o := w.Outcome(); !o.Done || o.Branch != "note_passed" {
		t.Fatalf("meeting outcome %+v", o)
	}
	w = walk(t, UnavailableScript(), ScriptPolicy{}, "unknown")
	st, _ := w.Step()
	if !slices.Equal(st.Say, []string{"unavailable.out_of_office"}) {
		t.Fatalf("P3 approved wording not offered: %v", st.Say)
	}
}

func TestOutbound_P7(t *testing.T) {
	w := walk(t, OutboundScript(), ScriptPolicy{}, "dialled", "identified", "right_person", "yes", "appointment", "chosen", "verified", "confirmed", "done")
	var steps []string
	for _, m := range w.Trail() {
		steps = append(steps, m.Step)
	}
	want := []string{"prepare", "identify", "confirm_person", "convenient", "purpose", "offer_options", "verify_contact", "confirm_key", "close"}
	if !slices.Equal(steps, want) {
		t.Fatalf("steps %v", steps)
	}
}

func TestScript_Validate_rejects(t *testing.T) {
	ok := Branch{Name: "done"}
	tests := []struct {
		name string
		s    Script
	}{
		{"no_steps", Script{ID: "x"}},
		{"duplicate_step", Script{ID: "x", Steps: []Step{{ID: "a", Branches: []Branch{ok}}, {ID: "a", Branches: []Branch{ok}}}}},
		{"no_branches", Script{ID: "x", Steps: []Step{{ID: "a"}}}},
		{"dangling_target", Script{ID: "x", Steps: []Step{{ID: "a", Branches: []Branch{{Name: "go", To: "b"}, ok}}}}},
		{"never_ends", Script{ID: "x", Steps: []Step{{ID: "a", Branches: []Branch{{Name: "loop", To: "a"}}}}}},
		{"unreachable", Script{ID: "x", Steps: []Step{{ID: "a", Branches: []Branch{ok}}, {ID: "b", Branches: []Branch{ok}}}}},
		{"duplicate_branch", Script{ID: "x", Steps: []Step{{ID: "a", Branches: []Branch{ok, ok}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.s.Validate(); !errors.Is(err, ErrInvalidScript) {
				t.Fatalf("err %v", err)
			}
			if _, err := NewWalker(tt.s, ScriptPolicy{}); !errors.Is(err, ErrInvalidScript) {
				t.Fatalf("NewWalker err %v", err)
			}
		})
	}
}
