package otel_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/observe"
	"github.com/servicedesk-go/desk/otel"
	"github.com/servicedesk-go/desk/ticket"
	"github.com/servicedesk-go/desk/webhook"
)

type sdk struct {
	reader *sdkmetric.ManualReader
	spans  *tracetest.InMemoryExporter
	tp     *sdktrace.TracerProvider
	obs    *otel.Observer
}

func newSDK(t *testing.T) *sdk {
	t.Helper()
	s := &sdk{reader: sdkmetric.NewManualReader(), spans: tracetest.NewInMemoryExporter()}
	s.tp = sdktrace.NewTracerProvider(sdktrace.WithSyncer(s.spans))
	obs, err := otel.New(otel.Config{MeterProvider: sdkmetric.NewMeterProvider(sdkmetric.WithReader(s.reader)), TracerProvider: s.tp})
	if err != nil {
		t.Fatal(err)
	}
	s.obs = obs
	return s
}

// counts returns desk.operations by "op kind outcome" and the histogram's
// total count, checking every data point names the desk.
func (s *sdk) counts(t *testing.T, desk string) (ops map[string]int64, durations uint64, items map[string]int64) {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := s.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	ops, items = map[string]int64{}, map[string]int64{}
	name := func(set attribute.Set) string {
		get := func(k string) string { v, _ := set.Value(attribute.Key(k)); return v.AsString() }
		if get("desk.desk") != desk {
			t.Errorf("data point of desk %q, want %q", get("desk.desk"), desk)
		}
		return get("desk.op") + " " + get("desk.kind") + " " + get("desk.outcome")
	}
	for _, sm := range rm.ScopeMetrics {
		if sm.Scope.Name != otel.Scope {
			t.Errorf("scope %q", sm.Scope.Name)
		}
		for _, m := range sm.Metrics {
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, p := range d.DataPoints {
					if m.Name == "desk.operations" {
						ops[name(p.Attributes)] += p.Value
					} else if m.Name == "desk.items" {
						items[name(p.Attributes)] += p.Value
					}
				}
			case metricdata.Histogram[float64]:
				for _, p := range d.DataPoints {
					durations += p.Count
					if p.Sum < 0 {
						t.Errorf("negative duration sum %v", p.Sum)
					}
				}
			}
		}
	}
	return ops, durations, items
}

func TestObserver(t *testing.T) {
	ctx := context.Background()
	li := ticket.Actor{ID: "li", Role: ticket.RoleAgent}

	t.Run("ticket_actions_as_metrics_and_child_spans", func(t *testing.T) {
		s := newSDK(t)
		svc, _ := ticket.New(ticket.NewMemStore(), ticket.Config{Desk: "north", Observer: s.obs})
		parentCtx, parent := s.tp.Tracer("crm").Start(ctx, "crm request")
		tk, err := svc.Receive(parentCtx, li, ticket.Intake{Kind: ticket.Inquiry, Channel: ticket.Phone})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Note(parentCtx, li, tk.Ref(), "called back"); err != nil {
			t.Fatal(err)
		}
		svc.Note(parentCtx, li, tk.Ref(), "stale version") // a conflict
		parent.End()
		ops, durations, _ := s.counts(t, "north")
		want := map[string]int64{"action receive ok": 1, "action note ok": 1, "action note conflict": 1}
		if len(ops) != len(want) || durations != 3 {
			t.Fatalf("operations %v, %d durations; want %v and 3", ops, durations, want)
		}
		for k, v := range want {
			if ops[k] != v {
				t.Fatalf("operations %v, want %v", ops, want)
			}
		}
		spans := s.spans.GetSpans()
		if len(spans) != 4 {
			t.Fatalf("%d spans, want 3 actions and the parent", len(spans))
		}
		for _, sp := range spans[:3] {
			if sp.Parent.SpanID() != parent.SpanContext().SpanID() || sp.Parent.TraceID() != parent.SpanContext().TraceID() {
				t.Errorf("span %s is not a child of the CRM's span", sp.Name)
			}
			if !sp.EndTime.After(sp.StartTime) && !sp.EndTime.Equal(sp.StartTime) {
				t.Errorf("span %s ends before it starts", sp.Name)
			}
		}
		if spans[0].Name != "desk.action receive" || spans[2].Status.Code != codes.Error || spans[2].Status.Description != "conflict" ||
			spans[1].Status.Code == codes.Error {
			t.Fatalf("spans %s %v / %s %v", spans[0].Name, spans[0].Status, spans[2].Name, spans[2].Status)
		}
	})

	t.Run("claims_completions_and_deliveries", func(t *testing.T) {
		s := newSDK(t)
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		store := followup.NewMemStore()
		q, err := followup.NewQueue(store, followup.QueueConfig{Desk: "north", Location: time.UTC, Now: func() time.Time { return now }, Observer: s.obs})
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			task := &followup.Task{ID: ticket.NewV7(), Desk: "north", Rule: "test", Status: followup.Pending, NotBefore: now.Add(-time.Hour),
				Due: now.Add(time.Hour), Role: ticket.RoleAgent, Channel: followup.Phone, MaxAttempts: 1, CreatedAt: now, UpdatedAt: now}
			if err := store.Create(ctx, task); err != nil {
				t.Fatal(err)
			}
		}
		got, err := q.Claim(ctx, "li", ticket.RoleAgent, 5)
		if err != nil || len(got) != 2 {
			t.Fatalf("claim %d, %v", len(got), err)
		}
		if _, err := q.Complete(ctx, got[0], followup.Outcome{Result: followup.Withdrawn, By: li, Note: "no longer needed"}); err != nil {
			t.Fatal(err)
		}
		ops, _, items := s.counts(t, "north")
		if ops["claim agent ok"] != 1 || items["claim agent ok"] != 2 || ops["complete withdrawn ok"] != 1 {
			t.Fatalf("operations %v, items %v", ops, items)
		}

		// A webhook delivery refused once, then delivered.
		s = newSDK(t)
		tstore := ticket.NewMemStore()
		tsvc, _ := ticket.New(tstore, ticket.Config{Desk: "north"})
		tsvc.Receive(ctx, li, ticket.Intake{Kind: ticket.Inquiry, Channel: ticket.Phone})
		tsvc.Receive(ctx, li, ticket.Intake{Kind: ticket.Inquiry, Channel: ticket.Phone})
		n := 0
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n++
			w.WriteHeader(map[int]int{1: 503, 2: 204, 3: 400}[n])
		}))
		defer srv.Close()
		sender, err := webhook.New(tstore, webhook.Config{URL: srv.URL, Secrets: []string{webhook.NewSecret()}, Desk: "north",
			Observer: s.obs, Sleep: func(context.Context, time.Duration) error { return nil }})
		if err != nil {
			t.Fatal(err)
		}
		if r, err := sender.Flush(ctx); err != nil || r.Delivered != 1 || r.Parked != 1 {
			t.Fatalf("flush %+v, %v", r, err)
		}
		ops, _, _ = s.counts(t, "north")
		if ops["deliver receive retry"] != 1 || ops["deliver receive delivered"] != 1 || ops["deliver receive parked"] != 1 {
			t.Fatalf("deliveries %v", ops)
		}
	})
}

func TestMultiWithSignal(t *testing.T) {
	s := newSDK(t)
	var n int
	obs := observe.Multi(s.obs, nil, observe.Func(func(context.Context, observe.Report) { n++ }))
	svc, _ := ticket.New(ticket.NewMemStore(), ticket.Config{Desk: "north", Observer: obs})
	svc.Receive(context.Background(), ticket.Actor{ID: "li", Role: ticket.RoleAgent}, ticket.Intake{Kind: ticket.Inquiry, Channel: ticket.Phone})
	ops, _, _ := s.counts(t, "north")
	if n != 1 || ops["action receive ok"] != 1 {
		t.Fatalf("multi: %d and %v", n, ops)
	}
}
