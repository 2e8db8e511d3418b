package ticket_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/ticket"
)

// FuzzIntake: any intake either is refused with ErrInvalid and stores
// nothing, or is recorded with its missing fields named (T2, T14).
func FuzzIntake(f *testing.F) {
	f.Add("repair", "phone", "location", "3-201", "leak", false)
	f.Add("complaint", "letter", "", "", "", true)
	f.Add("", "", "\x00", "\xff", "", false)
	f.Add("inquiry", "in_person", "person", "王先生", "safety", false)
	f.Fuzz(func(t *testing.T, kind, channel, key, value, category string, unattended bool) {
		d := newDesk(t, nil)
		in := ticket.Intake{Kind: ticket.Kind(kind), Channel: ticket.Channel(channel), Category: category,
			Fields: map[string]string{key: value}, Unattended: unattended}
		tk, err := d.svc.Receive(ctx, agent, in)
		all, _ := d.svc.List(ctx, ticket.Filter{})
		if err != nil {
			if !errors.Is(err, ticket.ErrInvalid) {
				t.Fatalf("intake refused with %v, want ErrInvalid", err)
			}
			if len(all) != 0 {
				t.Fatal("a refused intake was stored")
			}
			return
		}
		if len(all) != 1 || tk.Version != 1 || tk.State != ticket.Received {
			t.Fatalf("recorded %d tickets, version %d, state %s", len(all), tk.Version, tk.State)
		}
		need := d.svc.Policy().Kinds[tk.Kind].Fields
		for _, m := range tk.Missing {
			if tk.Fields[m] != "" {
				t.Fatalf("field %q listed missing but present", m)
			}
		}
		for _, n := range need {
			if tk.Fields[n] == "" && !strings.Contains(strings.Join(tk.Missing, ","), n) {
				t.Fatalf("field %q missing but not listed", n)
			}
		}
		if (tk.Owner == "") != unattended {
			t.Fatalf("owner %q with unattended=%v", tk.Owner, unattended)
		}
	})
}

// FuzzEvents drives random action sequences. Whatever happens, nothing
// panics, every refused action changes nothing, and the history stays
// a gapless chain of legal transitions matching the ticket (T14).
func FuzzEvents(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5})
	f.Add([]byte{0, 1, 2, 3, 6, 0, 1, 2, 3, 4, 7})
	f.Add([]byte{8, 9, 10, 11, 12, 13, 14, 15, 16, 17})
	f.Fuzz(func(t *testing.T, script []byte) {
		if len(script) > 64 {
			script = script[:64]
		}
		d := newDesk(t, nil)
		tk := d.receive(agent, repairIntake())
		actors := []ticket.Actor{agent, agent2, lead, plumber, rlead, webform}
		for i, b := range script {
			by := actors[int(b>>5)%len(actors)]
			ref := ticket.Ref{ID: tk.ID}
			d.wait(time.Duration(b%7) * time.Hour)
			var err error
			switch b % 18 {
			case 0:
				_, err = d.svc.Dispatch(ctx, by, ref, ticket.Assignment{Assignee: "zhao", Written: b&1 == 0})
			case 1:
				_, err = d.svc.Resolve(ctx, by, ref, "fixed")
			case 2:
				_, err = d.svc.Answer(ctx, by, ref, "")
			case 3:
				_, err = d.svc.Accept(ctx, by, ref, "")
			case 4:
				_, err = d.svc.RecordRevisit(ctx, by, ref, ticket.RevisitOutcome{Passed: true})
			case 5:
				_, err = d.svc.RecordRevisit(ctx, by, ref, ticket.RevisitOutcome{Note: "bad"})
			case 6:
				_, err = d.svc.Reject(ctx, by, ref, "no")
			case 7:
				_, err = d.svc.Reopen(ctx, by, ref, "again")
			case 8:
				_, err = d.svc.Cancel(ctx, by, ref, ticket.Withdrawn, "customer withdrew")
			case 9:
				_, err = d.svc.Escalate(ctx, by, ref, 0, "hard")
			case 10:
				_, err = d.svc.Promise(ctx, by, ref, d.now.Add(time.Duration(b)*time.Hour), "")
			case 11:
				_, err = d.svc.Progress(ctx, by, ref, ticket.Progress{Note: "p", Apologize: true, NextReply: d.now.Add(time.Hour)})
			case 12:
				_, err = d.svc.Handover(ctx, by, ref, "sun", "")
			case 13:
				_, err = d.svc.Take(ctx, by, ref)
			case 14:
				_, err = d.svc.ResolveOnSpot(ctx, by, ref, "done")
			case 15:
				_, err = d.svc.Reschedule(ctx, by, ref, d.now.Add(time.Hour), ticket.WrittenNotice, "")
			case 16:
				_, err = d.svc.RequireRevisit(ctx, by, ref, "sampled")
			case 17:
				_, err = d.svc.Complete(ctx, by, ref, map[string]string{"phone": "1"})
			}
			if err != nil && !errors.Is(err, ticket.ErrInvalid) && !errors.Is(err, ticket.ErrInvalidTransition) &&
				!errors.Is(err, ticket.ErrForbidden) && !errors.Is(err, ticket.ErrIncomplete) {
				t.Fatalf("step %d: unexpected error kind %v", i, err)
			}
		}
		got, err := d.svc.Get(ctx, tk.ID)
		if err != nil {
			t.Fatal(err)
		}
		h, _ := d.svc.History(ctx, tk.ID)
		if int64(len(h)) != got.Version {
			t.Fatalf("version %d, %d events", got.Version, len(h))
		}
		state := ticket.State("")
		for i, e := range h {
			if e.Seq != int64(i+1) || e.From != state {
				t.Fatalf("event %d: seq %d from %s, want from %s", i, e.Seq, e.From, state)
			}
			if e.Action.IsLifecycle() && !ticket.Can(e.From, e.Action) {
				t.Fatalf("event %d: illegal %s from %s recorded", i, e.Action, e.From)
			}
			if !e.Action.IsLifecycle() && i > 0 && e.To != e.From {
				t.Fatalf("event %d: %s moved the state", i, e.Action)
			}
			state = e.To
		}
		if state != got.State {
			t.Fatalf("history ends in %s, ticket is %s", state, got.State)
		}
		if got.State == ticket.Closed && got.Revisit.Required && !got.Revisit.Done {
			t.Fatal("closed with a revisit outstanding")
		}
	})
}
