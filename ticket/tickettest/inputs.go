package tickettest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/ticket"
)

// Texts no store can hold alike: PostgreSQL refuses both, the in-memory
// store would keep them. Every store must answer them with ErrInvalid.
var badTexts = map[string]string{
	"NUL":           "a\x00b",
	"invalid UTF-8": "a\xffb",
}

// testInputs: a NUL character or invalid UTF-8 in any text (note,
// field, customer ID, actor, filter value, consumer, desk name), a
// number or length beyond the policy's bounds, and a year beyond 9999 are
// refused with an *InputError naming the field, and nothing is written:
// the same answer on every store.
func testInputs(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	now := T0
	svc := deskService(t, s, nil, &now)
	agent := ticket.Actor{ID: "li", Role: ticket.RoleAgent}
	good := func() ticket.Intake {
		return ticket.Intake{Kind: ticket.Repair, Category: "leak", Channel: ticket.Phone,
			Fields:   map[string]string{"person": "Wang", "phone": "138", "location": "3-201", "item": "pipe"},
			Customer: &ticket.Customer{ID: "crm-7", Name: "Wang"}}
	}
	tk, err := svc.Receive(ctx, agent, good())
	if err != nil {
		t.Fatal(err)
	}
	snapshot := func() string {
		t.Helper()
		h, err := s.History(ctx, "north", tk.ID)
		if err != nil {
			t.Fatal(err)
		}
		list, err := s.List(ctx, "north", ticket.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		out, err := s.Pending(ctx, "inputs-"+uuid.NewString(), "", 1000)
		if err != nil {
			t.Fatal(err)
		}
		return dumpJSON(t, list, h, out)
	}
	before := snapshot()
	far := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	long := strings.Repeat("x", ticket.DefaultBounds().Text+1)

	type call struct {
		name  string
		field string // what the InputError's Field must contain
		run   func() error
	}
	var calls []call
	for what, bad := range badTexts {
		calls = append(calls,
			call{"note/" + what, "note", func() error { _, err := svc.Note(ctx, agent, tk.Ref(), bad); return err }},
			call{"intake field/" + what, "field", func() error {
				in := good()
				in.Fields["item"] = bad
				_, err := svc.Receive(ctx, agent, in)
				return err
			}},
			call{"intake field name/" + what, "field", func() error {
				in := good()
				in.Fields[bad] = "x"
				_, err := svc.Receive(ctx, agent, in)
				return err
			}},
			call{"completed field/" + what, "field", func() error {
				_, err := svc.Complete(ctx, agent, tk.Ref(), map[string]string{"item": bad})
				return err
			}},
			call{"customer id/" + what, "customer", func() error {
				in := good()
				in.Customer.ID = bad
				_, err := svc.Receive(ctx, agent, in)
				return err
			}},
			call{"customer name/" + what, "customer", func() error {
				in := good()
				in.Customer.Name = bad
				_, err := svc.Receive(ctx, agent, in)
				return err
			}},
			call{"category/" + what, "category", func() error {
				in := good()
				in.Category = bad
				_, err := svc.Receive(ctx, agent, in)
				return err
			}},
			call{"actor/" + what, "actor", func() error {
				_, err := svc.Note(ctx, ticket.Actor{ID: bad, Role: ticket.RoleAgent}, tk.Ref(), "hello")
				return err
			}},
			call{"assignee/" + what, "assignee", func() error {
				_, err := svc.Dispatch(ctx, agent, tk.Ref(), ticket.Assignment{Assignee: bad})
				return err
			}},
			call{"filter value/" + what, "filter", func() error {
				_, err := svc.List(ctx, ticket.Filter{Owner: bad})
				return err
			}},
			call{"customer lookup/" + what, "customer", func() error {
				_, err := svc.ByCustomer(ctx, bad)
				return err
			}},
			call{"consumer/" + what, "consumer", func() error {
				_, err := svc.Pending(ctx, bad, 10)
				return err
			}},
			call{"desk name/" + what, "desk", func() error {
				_, err := ticket.New(s, ticket.Config{Desk: bad})
				return err
			}},
			call{"store create/" + what, "", func() error {
				n, ev := NewTicket("north", 99)
				n.Fields["item"] = bad
				return s.Create(ctx, n, []ticket.Event{ev})
			}},
			call{"store update/" + what, "", func() error {
				cur, err := s.Get(ctx, "north", tk.ID)
				if err != nil {
					return err
				}
				n, ev := Next(cur, cur.State, bad)
				return s.Update(ctx, n, ev)
			}},
		)
	}
	calls = append(calls,
		call{"note too long", "note", func() error { _, err := svc.Note(ctx, agent, tk.Ref(), long); return err }},
		call{"escalation level beyond the policy's levels", "level", func() error {
			_, err := svc.Escalate(ctx, agent, tk.Ref(), 1<<62, "too high")
			return err
		}},
		call{"too many fields", "field", func() error {
			in := good()
			for i := range ticket.DefaultBounds().Fields + 1 {
				in.Fields[strings.Repeat("f", i+1)] = "v"
			}
			_, err := svc.Receive(ctx, agent, in)
			return err
		}},
		call{"attribute value too long", "attribute", func() error {
			in := good()
			in.Attrs = map[string]string{"remark": strings.Repeat("y", ticket.DefaultBounds().Value+1)}
			_, err := svc.Receive(ctx, agent, in)
			return err
		}},
		call{"customer ID too long", "customer", func() error {
			in := good()
			in.Customer.ID = strings.Repeat("z", ticket.DefaultBounds().Name+1)
			_, err := svc.Receive(ctx, agent, in)
			return err
		}},
		call{"escalation level one past the top", "level", func() error {
			_, err := svc.Escalate(ctx, agent, tk.Ref(), ticket.DefaultBounds().Levels+1, "too high")
			return err
		}},
		call{"appointment beyond year 9999", "appointment", func() error {
			_, err := svc.Dispatch(ctx, agent, tk.Ref(), ticket.Assignment{Assignee: "zhao", Appointment: far})
			return err
		}},
		call{"store update beyond year 9999", "", func() error {
			cur, err := s.Get(ctx, "north", tk.ID)
			if err != nil {
				return err
			}
			n, ev := Next(cur, cur.State, "far")
			n.Appointment = far
			return s.Update(ctx, n, ev)
		}},
	)
	for _, c := range calls {
		err := c.run()
		var ie *ticket.InputError
		if !errors.Is(err, ticket.ErrInvalid) || !errors.As(err, &ie) {
			t.Errorf("%s: err = %v, want an *InputError (ErrInvalid)", c.name, err)
			continue
		}
		if !strings.Contains(ie.Field, c.field) {
			t.Errorf("%s: the error names %q, want a field naming %q", c.name, ie.Field, c.field)
		}
	}
	if after := snapshot(); after != before {
		t.Errorf("refused input changed the store:\nbefore %s\nafter  %s", before, after)
	}
	// The bound is the policy's: a desk that allows longer notes takes one.
	p := ticket.PropertyDesk()
	p.Bounds.Text = len(long)
	roomy := deskService(t, s, &p, &now)
	if _, err := roomy.Note(ctx, agent, tk.Ref(), long); err != nil {
		t.Errorf("a note within the desk's own bound: %v", err)
	}
}
