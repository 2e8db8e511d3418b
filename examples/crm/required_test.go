package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/servicedesk-go/desk/ticket"
)

// TestDocumentRefuses: an input the service always refuses to go
// without is required in openapi.json too, and a number the service
// refuses whatever its configuration is out of the document's range,
// so that a client generated from the document does not learn either
// from a 400. (checkContract holds the other way round: what the
// document refuses is not accepted.)
func TestDocumentRefuses(t *testing.T) {
	_, router := loadContract(t)
	f := newFixture(t)
	lead := f.as(zhou, ticket.RoleShiftLead)
	tk := f.newRepair(t, "north")
	leave := map[string]any{"agent": "wang", "from": "2026-03-03T00:00:00Z", "until": "2026-03-04T00:00:00Z"}
	without := func(m map[string]any, k string) map[string]any {
		out := map[string]any{}
		for n, v := range m {
			if n != k {
				out[n] = v
			}
		}
		return out
	}
	for _, c := range []struct {
		name, method, path string
		body               map[string]any
		field              string
	}{
		{"T2 intake without kind", "POST", "/desks/north/tickets", map[string]any{"channel": "phone"}, "kind"},
		{"T2 intake without channel", "POST", "/desks/north/tickets", map[string]any{"kind": "repair"}, "channel"},
		{"T15 handover without agent", "GET", "/desks/north/handover", nil, "agent"},
		{"R5 leave without agent", "POST", "/desks/north/leave", without(leave, "agent"), "agent"},
		{"R5 leave without from", "POST", "/desks/north/leave", without(leave, "from"), "from"},
		{"R5 leave without until", "POST", "/desks/north/leave", without(leave, "until"), "until"},
		{"negative version", "POST", ticketPath("north", tk.ID, "dispatch"), map[string]any{"version": -1, "department": "x"}, "version"},
		{"T6 negative level", "POST", ticketPath("north", tk.ID, "escalate"), map[string]any{"level": -1, "reason": "late"}, "level"},
		{"claim negative n", "POST", "/desks/north/followups/claim", map[string]any{"n": -1}, "n"},
		{"R1 coverage of no days", "GET", "/desks/north/coverage?days=0", nil, "days"},
		{"R1 coverage of more than a year", "GET", "/desks/north/coverage?days=367", nil, "days"},
		{"R1 coverage from no date", "GET", "/desks/north/coverage?from=2026-02-30", nil, "from"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var raw []byte
			if c.body != nil {
				raw, _ = json.Marshal(c.body)
			}
			if e := lead.must(t, http.StatusBadRequest, c.method, c.path, c.body).err(t); e.Field != c.field {
				t.Fatalf("the service refuses naming %q, want %q", e.Field, c.field)
			}
			req := httptest.NewRequest(c.method, "http://crm.test"+c.path, bytes.NewReader(raw))
			req.Header.Set("Content-Type", "application/json")
			route, params, err := router.FindRoute(req)
			if err != nil {
				t.Fatal(err)
			}
			in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
				Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
			if err := openapi3filter.ValidateRequest(context.Background(), in); err == nil {
				t.Errorf("the document accepts %s %s %s; the service never does", c.method, c.path, raw)
			}
		})
	}
}
