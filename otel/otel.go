// Package otel reports the desk's operations to OpenTelemetry: an
// observe.Observer that records, per ticket action, follow-up claim and
// completion, derivation, lease expiry and webhook delivery, a counter
// and a duration histogram (attributes desk.op, desk.desk, desk.kind,
// desk.outcome) and a span, a child of the span in the caller's context.
// Set it as the Observer of the services' configs (several with
// observe.Multi). Reports carry no personal data (S1), and neither do
// the metrics and spans.
package otel

import (
	"context"
	"sync"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/servicedesk-go/desk/observe"
)

// Scope is the instrumentation scope name of the meter and tracer.
const Scope = "github.com/servicedesk-go/desk"

// Config configures an Observer. Zero values are the defaults.
type Config struct {
	// MeterProvider makes the instruments; nil means otel.GetMeterProvider().
	MeterProvider metric.MeterProvider
	// TracerProvider makes the spans; nil means otel.GetTracerProvider().
	TracerProvider trace.TracerProvider
}

// Observer records observe.Reports as metrics and spans. It is safe for
// concurrent use.
type Observer struct {
	tracer trace.Tracer
	ops    metric.Int64Counter
	dur    metric.Float64Histogram
	items  metric.Int64Counter
	sets   sync.Map // key -> *attrs, so a report allocates no attributes
}

var _ observe.Observer = (*Observer)(nil)

type key struct {
	op                  observe.Op
	desk, kind, outcome string
}

type attrs struct {
	set    attribute.Set
	metric metric.MeasurementOption
	name   string
	span   trace.SpanStartOption
	failed bool
}

// New returns an Observer with its instruments:
//
//	desk.operations          counter   {operation}  one per report
//	desk.operation.duration  histogram s            how long it took
//	desk.items               counter   {item}       items handled (claimed tasks, derived events, released leases)
func New(cfg Config) (*Observer, error) {
	mp, tp := cfg.MeterProvider, cfg.TracerProvider
	if mp == nil {
		mp = otel.GetMeterProvider()
	}
	if tp == nil {
		tp = otel.GetTracerProvider()
	}
	m := mp.Meter(Scope)
	o := &Observer{tracer: tp.Tracer(Scope)}
	var err error
	if o.ops, err = m.Int64Counter("desk.operations", metric.WithUnit("{operation}"),
		metric.WithDescription("Desk operations by op, desk, kind and outcome")); err != nil {
		return nil, err
	}
	if o.dur, err = m.Float64Histogram("desk.operation.duration", metric.WithUnit("s"),
		metric.WithDescription("Duration of desk operations")); err != nil {
		return nil, err
	}
	if o.items, err = m.Int64Counter("desk.items", metric.WithUnit("{item}"),
		metric.WithDescription("Items handled by desk operations that handle several")); err != nil {
		return nil, err
	}
	return o, nil
}

func (o *Observer) attrs(r observe.Report) *attrs {
	k := key{r.Op, r.Desk, r.Kind, r.Outcome}
	if a, ok := o.sets.Load(k); ok {
		return a.(*attrs)
	}
	kv := []attribute.KeyValue{
		attribute.String("desk.op", string(r.Op)), attribute.String("desk.desk", r.Desk),
		attribute.String("desk.kind", r.Kind), attribute.String("desk.outcome", r.Outcome),
	}
	set := attribute.NewSet(kv...)
	a := &attrs{set: set, metric: metric.WithAttributeSet(set), name: "desk." + string(r.Op) + " " + r.Kind,
		span: trace.WithAttributes(kv...), failed: r.Outcome != observe.OK}
	v, _ := o.sets.LoadOrStore(k, a)
	return v.(*attrs)
}

// Observe implements observe.Observer.
func (o *Observer) Observe(ctx context.Context, r observe.Report) {
	a := o.attrs(r)
	o.ops.Add(ctx, 1, a.metric)
	o.dur.Record(ctx, r.Duration.Seconds(), a.metric)
	if r.Count > 0 {
		o.items.Add(ctx, int64(r.Count), a.metric)
	}
	_, span := o.tracer.Start(ctx, a.name, trace.WithTimestamp(r.Start), a.span)
	if r.Count > 0 {
		span.SetAttributes(attribute.Int("desk.count", r.Count))
	}
	if a.failed {
		span.SetStatus(codes.Error, r.Outcome)
	}
	span.End(trace.WithTimestamp(r.Start.Add(r.Duration)))
}
