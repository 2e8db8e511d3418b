package deskcmd

import (
	"bytes"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"github.com/servicedesk-go/desk/examples/desk/sim"
)

// reports caches runs: several tests read the same week.
var reports sync.Map

func runArgs(t *testing.T, args ...string) string {
	t.Helper()
	key := strings.Join(args, " ")
	if out, ok := reports.Load(key); ok {
		return out.(string)
	}
	var out, errb bytes.Buffer
	if code := Main("desk", args, &out, &errb, nil); code != 0 {
		t.Fatalf("desk %v: exit %d: %s", args, code, errb.String())
	}
	reports.Store(key, out.String())
	return out.String()
}

func decode(t *testing.T, out string) *sim.Report {
	t.Helper()
	var r sim.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("json output does not parse: %v", err)
	}
	return &r
}

func TestDeterministic(t *testing.T) {
	a := runArgs(t, "-days", "2", "-seed", "7")
	var b bytes.Buffer
	if code := Main("desk", []string{"-days", "2", "-seed", "7"}, &b, &bytes.Buffer{}, nil); code != 0 || b.String() != a {
		t.Fatal("the same seed printed two different reports")
	}
	if c := runArgs(t, "-days", "2", "-seed", "8"); c == a {
		t.Fatal("another seed printed the same report")
	}
}

// TestFlags: -h prints the usage and exits 0; a bad flag or value
// prints one message and exits 2; every flag the README names exists.
func TestFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		once string // printed exactly once on stderr
	}{
		{[]string{"-h"}, 0, "-format"},
		{[]string{"-help"}, 0, "-format"},
		{[]string{"-nope"}, 2, "flag provided but not defined: -nope"},
		{[]string{"-days", "x"}, 2, `invalid value "x" for flag -days`},
		{[]string{"-days", "0"}, 2, "-days 0: give 1 to 366"},
		{[]string{"-format", "xml"}, 2, `-format "xml": give text or json`},
		{[]string{"-start", "yesterday"}, 2, `-start "yesterday"`},
		{[]string{"extra"}, 2, "unexpected arguments"},
		{[]string{"-store", "sqlite:desk.db"}, 2, "go run ./examples/desk/dbrun"},
	} {
		var out, errb bytes.Buffer
		code := Main("desk", tc.args, &out, &errb, nil)
		if code != tc.code || strings.Count(errb.String(), tc.once) != 1 {
			t.Errorf("desk %v: exit %d, stderr:\n%s\nwant exit %d and %q once", tc.args, code, errb.String(), tc.code, tc.once)
		}
		if out.Len() != 0 {
			t.Errorf("desk %v printed a report: %.80s", tc.args, out.String())
		}
	}
}
