package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestF9Cadence runs the simulation twice with one seed and once with
// another: the same seed prints the same, every F9 call kind appears,
// and there is one report per month.
func TestF9Cadence(t *testing.T) {
	var a, b, c bytes.Buffer
	if err := run(&a, 7, 3, true, false); err != nil {
		t.Fatal(err)
	}
	if err := run(&b, 7, 3, true, false); err != nil {
		t.Fatal(err)
	}
	if err := run(&c, 8, 3, true, false); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Error("the same seed printed different runs")
	}
	if a.String() == c.String() {
		t.Error("another seed printed the same run")
	}
	out := a.String()
	for _, rule := range []string{"F9.enquiry", "F9.delivery_7d", "F9.delivery_1m", "F9.service", "F9.lost_sale", "F9.maintenance"} {
		if !strings.Contains(out, rule) {
			t.Errorf("no %s task in three months", rule)
		}
	}
	if n := strings.Count(out, "follow-up report"); n != 3 {
		t.Errorf("%d monthly reports, want 3", n)
	}
	var j bytes.Buffer
	if err := run(&j, 7, 1, false, true); err != nil || !strings.Contains(j.String(), `"revisit_rate"`) {
		t.Errorf("JSON report: %v", err)
	}
	if err := run(&j, 7, 0, false, false); err == nil {
		t.Error("zero months accepted")
	}
}
