package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestFlags: the same flag names as examples/desk; -h exits 0; a bad
// flag or value is reported once and exits 2.
func TestFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		once string
	}{
		{[]string{"-h"}, 0, "-format"},
		{[]string{"-json"}, 2, "flag provided but not defined: -json"},
		{[]string{"-format", "xml"}, 2, `-format "xml"`},
		{[]string{"-months", "0"}, 1, "simulate 1 to 24 months"},
	} {
		var out, errb bytes.Buffer
		if code := command(tc.args, &out, &errb); code != tc.code || strings.Count(errb.String(), tc.once) != 1 {
			t.Errorf("dealer %v: exit %d, stderr %q", tc.args, code, errb.String())
		}
	}
	var out bytes.Buffer
	if code := command([]string{"-format", "json", "-months", "1"}, &out, &bytes.Buffer{}); code != 0 || !strings.Contains(out.String(), `"revisit_rate"`) {
		t.Errorf("-format json: exit %d", code)
	}
}

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
