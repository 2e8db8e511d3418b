package otel_test

import (
	"context"
	"errors"
	"testing"
	"time"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/servicedesk-go/desk/observe"
	"github.com/servicedesk-go/desk/otel"
	"github.com/servicedesk-go/desk/ticket"
)

// BenchmarkLifecycleHook: the five-write inquiry lifecycle (receive,
// dispatch, resolve, answer, accept) through the service without an
// Observer and with the OpenTelemetry one (SDK meter with a manual
// reader, SDK tracer sampling every span into a batching processor with
// a discarding exporter), interleaved three times. The difference per
// lifecycle divided by 5 is the hook's cost per action.
func BenchmarkLifecycleHook(b *testing.B) {
	ctx := context.Background()
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(tracetest.NewNoopExporter()))
	defer tp.Shutdown(ctx)
	obs, err := otel.New(otel.Config{MeterProvider: sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader())), TracerProvider: tp})
	if err != nil {
		b.Fatal(err)
	}
	agent := ticket.Actor{ID: "li", Role: ticket.RoleAgent}
	plumber := ticket.Actor{ID: "wu", Role: ticket.RoleDepartment}
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	run := func(b *testing.B, o observe.Observer) {
		newSvc := func() *ticket.Service {
			svc, err := ticket.New(ticket.NewMemStore(), ticket.Config{Desk: "bench", Now: func() time.Time { return now }, Observer: o})
			if err != nil {
				b.Fatal(err)
			}
			return svc
		}
		svc := newSvc()
		in := ticket.Intake{Kind: ticket.Inquiry, Channel: ticket.Phone, Fields: map[string]string{"person": "p", "phone": "x"}}
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			if n++; n%1024 == 0 {
				svc = newSvc()
			}
			tk, err := svc.Receive(ctx, agent, in)
			if err != nil {
				b.Fatal(err)
			}
			r := ticket.Ref{ID: tk.ID}
			_, err1 := svc.Dispatch(ctx, agent, r, ticket.Assignment{Department: "finance"})
			_, err2 := svc.Resolve(ctx, plumber, r, "refund")
			_, err3 := svc.Answer(ctx, agent, r, "")
			_, err4 := svc.Accept(ctx, agent, r, "")
			if err := errors.Join(err1, err2, err3, err4); err != nil {
				b.Fatal(err)
			}
		}
	}
	for range 3 {
		b.Run("none", func(b *testing.B) { run(b, nil) })
		b.Run("otel", func(b *testing.B) { run(b, obs) })
	}
}
