package deskcmd

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"

	"github.com/servicedesk-go/desk/examples/desk/sim"
)

// series is one named set of values of a chart, drawn as bars or as a
// line with points.
type series struct {
	name   string
	color  string
	values []float64
	line   bool
	dashed bool
}

// chart is a category chart drawn as SVG: one x axis of labels, one y
// axis with one scale and its unit, ticks, and a legend.
type chart struct {
	id, title    string
	xUnit, yUnit string
	labels       []string
	series       []series
	yMax         float64 // a fixed top of the scale, 0 to fit the data
	whole        bool    // the values are counts: ticks at whole numbers
}

const (
	chartW, chartH                    = 600, 300
	padL, padR, padTop, padBottom int = 64, 16, 44, 48
)

func f(x float64) string { return strconv.FormatFloat(math.Round(x*10)/10, 'f', -1, 64) }

// niceStep rounds a rough tick step up to 1, 2 or 5 times a power of ten.
func niceStep(rough float64) float64 {
	if rough <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(rough)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= rough {
			return m * p
		}
	}
	return 10 * p
}

// svg draws the chart.
func (c chart) svg() template.HTML {
	finite := func(v float64) bool { return !math.IsInf(v, 0) && !math.IsNaN(v) }
	for i := range c.series { // a value that is not a number is not drawn
		vals := make([]float64, len(c.series[i].values))
		for j, v := range c.series[i].values {
			if !finite(v) {
				v = math.NaN()
			}
			vals[j] = v
		}
		c.series[i].values = vals
	}
	var top, step float64
	if c.yMax > 0 && finite(c.yMax) {
		top = c.yMax
		step = niceStep(top / 5)
	} else {
		for _, s := range c.series {
			for _, v := range s.values {
				if finite(v) {
					top = math.Max(top, v)
				}
			}
		}
		step = niceStep(math.Max(top, 1) / 5)
		if c.whole {
			step = math.Max(1, math.Round(step))
		}
		top = math.Ceil(math.Max(top, 1)/step) * step
	}
	pw, ph := float64(chartW-padL-padR), float64(chartH-padTop-padBottom)
	x0, y0 := float64(padL), float64(chartH-padBottom)
	// values outside the scale are drawn at its ends
	y := func(v float64) float64 { return y0 - ph*math.Max(0, math.Min(v, top))/top }
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w(`<svg id="%s" class="chart" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s" xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" font-size="12">`,
		c.id, chartW, chartH, chartW, chartH, template.HTMLEscapeString(c.title))
	w(`<title>%s</title>`, template.HTMLEscapeString(c.title))
	// y axis: ticks, grid, labels, unit
	w(`<g class="axis axis-y">`)
	for v := 0.0; v <= top+step/1000; v += step {
		yy := y(v)
		w(`<line class="grid" x1="%s" y1="%s" x2="%s" y2="%s" stroke="#e4e4e4"/>`, f(x0), f(yy), f(x0+pw), f(yy))
		w(`<line class="tick" x1="%s" y1="%s" x2="%s" y2="%s" stroke="#333"/>`, f(x0-5), f(yy), f(x0), f(yy))
		w(`<text class="tick-label" x="%s" y="%s" text-anchor="end" dominant-baseline="middle">%s</text>`, f(x0-8), f(yy), f(v))
	}
	w(`<line class="axis-line" x1="%s" y1="%s" x2="%s" y2="%s" stroke="#333"/>`, f(x0), f(y0), f(x0), f(y0-ph))
	w(`<text class="unit" transform="translate(16 %s) rotate(-90)" text-anchor="middle">%s</text>`, f(y0-ph/2), template.HTMLEscapeString(c.yUnit))
	w(`</g>`)
	// x axis: one tick per category, a label on as many as fit
	n := len(c.labels)
	band := pw / float64(max(n, 1))
	every := 1
	for every*int(band) < 28 && every < n {
		every++
	}
	w(`<g class="axis axis-x">`)
	w(`<line class="axis-line" x1="%s" y1="%s" x2="%s" y2="%s" stroke="#333"/>`, f(x0), f(y0), f(x0+pw), f(y0))
	for i, l := range c.labels {
		cx := x0 + band*(float64(i)+0.5)
		w(`<line class="tick" x1="%s" y1="%s" x2="%s" y2="%s" stroke="#333"/>`, f(cx), f(y0), f(cx), f(y0+4))
		if i%every == 0 {
			w(`<text class="tick-label" x="%s" y="%s" text-anchor="middle">%s</text>`, f(cx), f(y0+18), template.HTMLEscapeString(l))
		}
	}
	w(`<text class="unit" x="%s" y="%d" text-anchor="middle">%s</text>`, f(x0+pw/2), chartH-8, template.HTMLEscapeString(c.xUnit))
	w(`</g>`)
	// bars, then lines on top
	var bars []series
	for _, s := range c.series {
		if !s.line {
			bars = append(bars, s)
		}
	}
	bw := band * 0.8 / float64(max(len(bars), 1))
	for j, s := range bars {
		w(`<g class="series bars" data-series="%s">`, template.HTMLEscapeString(s.name))
		for i, v := range s.values {
			if i >= n {
				break
			}
			if math.IsNaN(v) {
				continue
			}
			bx := x0 + band*float64(i) + band*0.1 + bw*float64(j)
			w(`<rect class="bar" x="%s" y="%s" width="%s" height="%s" fill="%s" data-value="%s"><title>%s %s: %s</title></rect>`,
				f(bx), f(y(v)), f(math.Max(bw-1, 1)), f(y0-y(v)), s.color, f(v), template.HTMLEscapeString(s.name), template.HTMLEscapeString(c.labels[i]), f(v))
		}
		w(`</g>`)
	}
	for _, s := range c.series {
		if !s.line {
			continue
		}
		// a NaN value (nothing to show in that category) breaks the line
		var runs [][]string
		var pts []string
		for i, v := range s.values {
			if i >= n {
				break
			}
			if math.IsNaN(v) {
				if len(pts) > 0 {
					runs, pts = append(runs, pts), nil
				}
				continue
			}
			pts = append(pts, f(x0+band*(float64(i)+0.5))+","+f(y(v)))
		}
		if len(pts) > 0 {
			runs = append(runs, pts)
		}
		dash := ""
		if s.dashed {
			dash = ` stroke-dasharray="6 4"`
		}
		w(`<g class="series line" data-series="%s">`, template.HTMLEscapeString(s.name))
		pts = nil
		for _, run := range runs {
			w(`<polyline fill="none" stroke="%s" stroke-width="2"%s points="%s"/>`, s.color, dash, strings.Join(run, " "))
			pts = append(pts, run...)
		}
		if !s.dashed {
			for _, p := range pts {
				xy := strings.Split(p, ",")
				w(`<circle cx="%s" cy="%s" r="2.5" fill="%s"/>`, xy[0], xy[1], s.color)
			}
		}
		w(`</g>`)
	}
	// legend, in a row above the plot
	w(`<g class="legend">`)
	lx := x0
	for _, s := range c.series {
		w(`<g class="legend-item">`)
		if s.line {
			dash := ""
			if s.dashed {
				dash = ` stroke-dasharray="6 4"`
			}
			w(`<line x1="%s" y1="20" x2="%s" y2="20" stroke="%s" stroke-width="2"%s/>`, f(lx), f(lx+14), s.color, dash)
		} else {
			w(`<rect x="%s" y="14" width="12" height="12" fill="%s"/>`, f(lx), s.color)
		}
		w(`<text x="%s" y="24">%s</text></g>`, f(lx+18), template.HTMLEscapeString(s.name))
		lx += 18 + 7*float64(len(s.name)) + 18
	}
	w(`</g></svg>`)
	return template.HTML(b.String())
}

// charts are the page's pictures: phone load and agents on separate
// scales, the service level against its target, and the follow-ups.
func charts(r *sim.Report) []figure {
	var hours []string
	var calls, staffed, need, level, predicted, target []float64
	for _, h := range r.Hours {
		hours = append(hours, fmt.Sprintf("%02d", h.Hour))
		calls = append(calls, h.CallsPerHour)
		staffed = append(staffed, float64(h.Staffed))
		need = append(need, float64(h.Need))
		level = append(level, 100*h.Achieved)
		if h.Calls > 0 {
			predicted = append(predicted, 100*h.Predicted)
		} else {
			predicted = append(predicted, math.NaN()) // no calls: nothing to predict
		}
		target = append(target, 100*h.Target)
	}
	var days []string
	var due, done []float64
	for _, d := range r.Followups.ByDay {
		days = append(days, d.Date[5:])
		due = append(due, float64(d.Due))
		done = append(done, float64(d.Done))
	}
	within := "the target time"
	if len(r.Targets) > 0 {
		for _, t := range r.Targets {
			if t.Rule == "R8" {
				within = strings.TrimPrefix(t.Name, "hours with ")
			}
		}
	}
	cs := []chart{
		{id: "calls", title: "Phone calls by hour of the day (average day)", xUnit: "hour of the day", yUnit: "calls per hour",
			labels: hours, series: []series{{name: "phone calls per hour", color: "#4a7fb5", values: calls}}},
		{id: "agents", title: "Agents by hour of the day (R8)", xUnit: "hour of the day", yUnit: "agents", whole: true,
			labels: hours, series: []series{
				{name: "agents staffed (fewest in the hour)", color: "#2e7d32", values: staffed},
				{name: "agents needed (Erlang C)", color: "#c62828", values: need, line: true}}},
		{id: "service", title: "Service level by hour: " + within, xUnit: "hour of the day", yUnit: "% answered in time",
			labels: hours, yMax: 100, series: []series{
				{name: "achieved", color: "#4a7fb5", values: level},
				{name: "Erlang C for the staff", color: "#6a1b9a", values: predicted, line: true},
				{name: "target", color: "#c62828", values: target, line: true, dashed: true}}},
		{id: "followups", title: "Follow-ups by day (F rules)", xUnit: "day (month-day)", yUnit: "follow-ups", whole: true,
			labels: days, series: []series{
				{name: "window closes", color: "#ef9a9a", values: due},
				{name: "ended", color: "#81c784", values: done}}},
	}
	out := make([]figure, len(cs))
	for i, c := range cs {
		out[i] = figure{Title: c.title, SVG: c.svg()}
	}
	return out
}

// figure is a chart with its caption.
type figure struct {
	Title string
	SVG   template.HTML
}
