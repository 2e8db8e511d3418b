package deskcmd

import (
	"encoding/xml"
	"io"
	"math"
	"strings"
	"testing"
)

// FuzzChart: any values (negative, NaN, infinite, more or fewer than
// the labels) give well-formed SVG with both axes and finite numbers.
func FuzzChart(f *testing.F) {
	f.Add(3, 1.5, -2.0, 0.0, 7.0, false)
	f.Add(24, math.NaN(), math.Inf(1), 1e9, 0.001, true)
	f.Add(0, 0.0, 0.0, 0.0, 0.0, false)
	f.Fuzz(func(t *testing.T, n int, a, b, c, top float64, whole bool) {
		n = min(max(n, 0), 60)
		labels := make([]string, n)
		for i := range labels {
			labels[i] = strings.Repeat("x", i%5) + "<&>"
		}
		vals := []float64{a, b, c, a}
		ch := chart{id: "t", title: "t & <t>", xUnit: "x", yUnit: "y", labels: labels, yMax: top, whole: whole,
			series: []series{{name: "bars", color: "#000", values: vals}, {name: "line", color: "#111", values: vals, line: true}}}
		out := string(ch.svg())
		if strings.Contains(out, "NaN") || strings.Contains(out, "Inf") {
			t.Fatalf("non-finite number in %s", out)
		}
		d := xml.NewDecoder(strings.NewReader(out))
		for {
			if _, err := d.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("not well-formed: %v\n%s", err, out)
			}
		}
		if !strings.Contains(out, `class="axis axis-x"`) || !strings.Contains(out, `class="axis axis-y"`) {
			t.Fatal("an axis is missing")
		}
	})
}
