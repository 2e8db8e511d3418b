package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/servicedesk-go/desk/ticket"
)

// BenchmarkIntake measures what the HTTP layer (routing, header checks,
// JSON decoding with unknown-field checks, encoding, logging to a
// discarding handler) adds to an intake. The baseline, "service", does
// the same library work in-process: Receive plus the follow-up drain
// that every write triggers. Compare the two ns/op in one run.
func BenchmarkIntake(b *testing.B) {
	body := []byte(`{"kind":"repair","category":"leak","channel":"phone","fields":{"person":"王女士","phone":"13800000000","location":"3-201","item":"water pipe"}}`)
	b.Run("service", func(b *testing.B) {
		f := newBenchFixture(b)
		d := f.srv.desks["north"]
		by := ticket.Actor{ID: li, Role: ticket.RoleAgent}
		ctx := context.Background()
		in := ticket.Intake{Kind: ticket.Repair, Category: "leak", Channel: ticket.Phone,
			Fields: map[string]string{"person": "王女士", "phone": "13800000000", "location": "3-201", "item": "water pipe"}}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := d.tickets.Receive(ctx, by, in); err != nil {
				b.Fatal(err)
			}
			f.srv.afterWrite(ctx, d)
		}
	})
	b.Run("http", func(b *testing.B) {
		f := newBenchFixture(b)
		b.ReportAllocs()
		for b.Loop() {
			req := httptest.NewRequest("POST", "/desks/north/tickets", bytes.NewReader(body))
			req.Header.Set(headerActor, li)
			req.Header.Set(headerRole, string(ticket.RoleAgent))
			rec := httptest.NewRecorder()
			f.srv.ServeHTTP(rec, req)
			if rec.Code != http.StatusCreated {
				b.Fatalf("%d %s", rec.Code, rec.Body)
			}
		}
	})
}

// BenchmarkLint compares POST /lint with calling the linter directly
// on the same text (P2, P3).
func BenchmarkLint(b *testing.B) {
	text := "您好,这里是物业服务中心。不知道他在不在,我们无法上门维修,你有什么事就说嘛。很抱歉,经理暂时不在,需要给他留言吗?"
	b.Run("linter", func(b *testing.B) {
		f := newBenchFixture(b)
		b.SetBytes(int64(len(text)))
		b.ReportAllocs()
		for b.Loop() {
			if len(f.srv.linter.Lint(text)) == 0 {
				b.Fatal("no findings")
			}
		}
	})
	b.Run("http", func(b *testing.B) {
		f := newBenchFixture(b)
		body := []byte(`{"text":"` + text + `"}`)
		b.SetBytes(int64(len(text)))
		b.ReportAllocs()
		for b.Loop() {
			rec := httptest.NewRecorder()
			f.srv.ServeHTTP(rec, httptest.NewRequest("POST", "/lint", bytes.NewReader(body)))
			if rec.Code != http.StatusOK {
				b.Fatalf("%d %s", rec.Code, rec.Body)
			}
		}
	})
}

// newBenchFixture is newFixture with the log discarded, as in
// production with a quiet handler.
func newBenchFixture(b *testing.B) *fixture {
	b.Helper()
	f := newFixture(b)
	f.srv.log = discardLogger()
	return f
}
