package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/servicedesk-go/desk/ticket"
)

// TestLogsWithoutPersonalData (S1): the service logs every request and
// ticket change, and none of the customer's personal data reaches the
// log: not the name, the phone, the address or the personal intake
// fields. (The customer's ID is the CRM's own key, which the ticket
// package logs on purpose; it survives erasure.) Query values stay out
// of the log too: requests are logged by route pattern.
func TestLogsWithoutPersonalData(t *testing.T) {
	f := newFixture(t)
	agent := f.as(li, ticket.RoleAgent)
	tk := ticketOf(t, agent.must(t, http.StatusCreated, "POST", "/desks/north/tickets", map[string]any{
		"kind": "repair", "category": "safety", "channel": "in_person",
		"fields":   map[string]string{"person": "欧阳娜娜", "phone": "13912345678", "location": "7栋1802", "item": "smoke alarm"},
		"customer": map[string]string{"id": "cust-777", "name": "欧阳娜娜", "phone": "13912345678", "address": "7栋1802室"},
	}))
	agent.must(t, http.StatusOK, "POST", ticketPath("north", tk.ID, "dispatch"), map[string]any{"department": "security"})
	agent.must(t, http.StatusOK, "GET", "/desks/north/tickets?customer=cust-777&owner=query-marker", nil)
	agent.must(t, http.StatusBadRequest, "POST", ticketPath("north", tk.ID, "promise"), map[string]any{"reply_by": "13912345678"})

	logs := f.logs.String()
	for _, want := range []string{"ticket received", "ticket dispatch", tk.ID.String(), `"pattern":"POST /desks/{desk}/tickets"`} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}
	for _, secret := range []string{"欧阳娜娜", "13912345678", "7栋1802", "query-marker"} {
		if strings.Contains(logs, secret) {
			t.Errorf("S1: personal data %q in the log:\n%s", secret, logs)
		}
	}
}
