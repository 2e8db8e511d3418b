package calendar_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/calendar"
)

// chineseDays loads the independent dataset: the npm package
// chinese-days (installed by .ci/run; CHINESE_DAYS_DIR is the npm
// prefix). Without it the test skips locally and fails with CI=true.
func chineseDays(t *testing.T) (dist string, holidays, workdays map[string]string) {
	t.Helper()
	dir := os.Getenv("CHINESE_DAYS_DIR")
	fail := t.Skipf
	if os.Getenv("CI") == "true" {
		fail = t.Fatalf
	}
	if dir == "" {
		fail("CHINESE_DAYS_DIR is unset: run `npm install --prefix \"$DIR\" chinese-days` and set CHINESE_DAYS_DIR=$DIR to check the China schedule against an independent dataset")
		return
	}
	dist = filepath.Join(dir, "node_modules", "chinese-days", "dist")
	raw, err := os.ReadFile(filepath.Join(dist, "chinese-days.json"))
	if err != nil {
		fail("CHINESE_DAYS_DIR=%s: %v", dir, err)
		return
	}
	var data struct {
		Holidays map[string]string `json:"holidays"`
		Workdays map[string]string `json:"workdays"`
	}
	if err := json.Unmarshal(raw, &data); err != nil {
		t.Fatalf("chinese-days.json: %v", err)
	}
	if len(data.Holidays) < 100 || len(data.Workdays) < 50 {
		t.Fatalf("chinese-days.json has %d holidays and %d workdays: not the dataset expected", len(data.Holidays), len(data.Workdays))
	}
	return dist, data.Holidays, data.Workdays
}

// status is what a day means to a desk: off or working, and whether it is
// a make-up workday or a weekday holiday. Weekend days joined to a
// holiday (与周末连休) are off either way; one source may list them as
// holidays and another not, so they are compared as "off".
type status struct {
	off, makeUp, weekdayHoliday bool
}

func (s status) String() string {
	return fmt.Sprintf("off=%v make-up=%v weekday-holiday=%v", s.off, s.makeUp, s.weekdayHoliday)
}

func TestChinaMatchesIndependentDataset(t *testing.T) {
	_, holidays, workdays := chineseDays(t)
	china := calendar.China()
	years := china.Years()
	first, last := years[0], years[len(years)-1]
	// The first arrangement sets days of late December of the year before
	// (元旦 2008 began on 30 December 2007).
	from := calendar.D(first-1, time.December, 1)
	to := calendar.D(last, time.December, 31)
	checked := 0
	for d := from; !to.Before(d); d = d.AddDays(1) {
		day, ok, err := china.Lookup(d)
		if d.Year < first {
			if !ok {
				continue // before the first arrangement: not covered, nothing to compare
			}
		} else if err != nil {
			t.Fatalf("%s: %v", d, err)
		}
		wk := d.Weekday() == time.Saturday || d.Weekday() == time.Sunday
		mine := status{
			off:            (ok && day.Kind == calendar.Holiday) || (wk && !(ok && day.Kind == calendar.Workday)),
			makeUp:         ok && day.Kind == calendar.Workday,
			weekdayHoliday: ok && day.Kind == calendar.Holiday && !wk,
		}
		_, h := holidays[d.String()]
		_, w := workdays[d.String()]
		theirs := status{off: h || (wk && !w), makeUp: w, weekdayHoliday: h && !wk}
		if mine != theirs {
			t.Errorf("%s (%s): shipped %v (%s), chinese-days %v (%s%s)", d, d.Weekday(), mine, day.Name, theirs, holidays[d.String()], workdays[d.String()])
		}
		checked++
	}
	if checked < 365*(last-first+1) {
		t.Fatalf("compared only %d days for %d-%d", checked, first, last)
	}
	t.Logf("compared %d days, %d-12-01 to %s, covered years %d-%d", checked, first-1, to, first, last)
}

// TestLoadICalReadsAPublishedFeed loads the dataset's own iCalendar feed
// (its per-year files, read as one stream) through LoadICal and finds the shipped
// arrangement day by day: the loader reads the feed a desk would use for
// a later year.
func TestLoadICalReadsAPublishedFeed(t *testing.T) {
	dist, _, _ := chineseDays(t)
	china := calendar.China()
	var feeds []io.Reader
	for _, y := range china.Years() {
		raw, err := os.ReadFile(filepath.Join(dist, "years", fmt.Sprintf("%d.ics", y)))
		if err != nil {
			t.Fatal(err)
		}
		feeds = append(feeds, bytes.NewReader(raw))
	}
	got, err := calendar.LoadICal(io.MultiReader(feeds...))
	if err != nil {
		t.Fatalf("LoadICal: %v", err)
	}
	off := func(day calendar.Day, ok bool, d calendar.Date) bool {
		wk := d.Weekday() == time.Saturday || d.Weekday() == time.Sunday
		return ok && day.Kind == calendar.Holiday || wk && !(ok && day.Kind == calendar.Workday)
	}
	for _, y := range china.Years() {
		if !got.Covers(y) {
			t.Errorf("%d: the feed does not cover it (covers %v)", y, got.Years())
			continue
		}
		for d := calendar.D(y, 1, 1); d.Year == y; d = d.AddDays(1) {
			a, okA, _ := china.Lookup(d)
			b, okB, err := got.Lookup(d)
			if err != nil {
				t.Fatalf("%s: %v", d, err)
			}
			if off(a, okA, d) != off(b, okB, d) || (okA && a.Kind == calendar.Workday) != (okB && b.Kind == calendar.Workday) {
				t.Errorf("%s (%s): shipped %s %v, loaded feed %s %v", d, d.Weekday(), a.Name, a.Kind, b.Name, b.Kind)
			}
			if okA && okB && a.Key != b.Key && a.Kind == calendar.Holiday && d.Weekday() != time.Saturday && d.Weekday() != time.Sunday && a.Key != "national_day" {
				t.Errorf("%s: shipped %s (%s), loaded feed %s (%s)", d, a.Key, a.Name, b.Key, b.Name)
			}
		}
	}
}
