package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFlags: -h exits 0; a bad flag is reported once and exits 2; a run
// writes the calendar.
func TestFlags(t *testing.T) {
	var errb bytes.Buffer
	if code := command([]string{"-h"}, &errb); code != 0 || !strings.Contains(errb.String(), "-weeks") {
		t.Errorf("-h: exit %d, %q", code, errb.String())
	}
	errb.Reset()
	if code := command([]string{"-nope"}, &errb); code != 2 || strings.Count(errb.String(), "flag provided but not defined: -nope") != 1 {
		t.Errorf("-nope: exit %d, %q", code, errb.String())
	}
	errb.Reset()
	if code := command([]string{"-weeks", "1", "-tz", "Mars/Olympus"}, &errb); code != 1 || strings.Count(errb.String(), "ics:") != 1 {
		t.Errorf("bad zone: exit %d, %q", code, errb.String())
	}
	path := filepath.Join(t.TempDir(), "r.ics")
	if code := command([]string{"-out", path, "-weeks", "1", "-start", "2026-03-02"}, &errb); code != 0 {
		t.Fatalf("run: exit %d, %q", code, errb.String())
	}
	b, err := os.ReadFile(path)
	if err != nil || !strings.HasPrefix(string(b), "BEGIN:VCALENDAR") {
		t.Fatalf("calendar: %v %.40q", err, b)
	}
}
