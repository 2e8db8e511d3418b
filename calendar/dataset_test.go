package calendar_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/calendar"
)

// dataset is an independent holiday dataset from the npm registry, as
// .ci/run installs it: the days it lists as holidays and as make-up
// workdays, the years it claims to cover, and the days on which it is
// known to contradict the State Council's notice (each with the notice's
// wording). Any other difference from the shipped schedule fails.
type dataset struct {
	name               string
	holidays, workdays map[calendar.Date]bool
	first, last        int
	knownErrors        map[calendar.Date]string
	dir                string // the package directory
}

// need reads the directory named by env (an npm prefix). Without it the
// test skips locally and fails with CI=true.
func need(t *testing.T, env, pkg string) string {
	t.Helper()
	dir := os.Getenv(env)
	fail := t.Skipf
	if os.Getenv("CI") == "true" {
		fail = t.Fatalf
	}
	if dir == "" {
		fail("%s is unset: run `npm install --prefix \"$DIR\" %s` and set %s=$DIR to check the China schedule against an independent dataset", env, pkg, env)
		return ""
	}
	pkgDir := filepath.Join(dir, "node_modules", pkg)
	if _, err := os.Stat(pkgDir); err != nil {
		fail("%s=%s: %v", env, dir, err)
		return ""
	}
	return pkgDir
}

func mustDate(t *testing.T, s string) calendar.Date {
	t.Helper()
	d, err := calendar.ParseDate(s)
	if err != nil {
		t.Fatalf("dataset date %q: %v", s, err)
	}
	return d
}

// chineseDays loads npm chinese-days (CHINESE_DAYS_DIR, installed by
// .ci/run).
func chineseDays(t *testing.T) dataset {
	t.Helper()
	dir := need(t, "CHINESE_DAYS_DIR", "chinese-days")
	raw, err := os.ReadFile(filepath.Join(dir, "dist", "chinese-days.json"))
	if err != nil {
		t.Fatal(err)
	}
	var data struct {
		Holidays map[string]string `json:"holidays"`
		Workdays map[string]string `json:"workdays"`
	}
	if err := json.Unmarshal(raw, &data); err != nil {
		t.Fatalf("chinese-days.json: %v", err)
	}
	ds := dataset{name: "chinese-days", dir: dir, holidays: map[calendar.Date]bool{}, workdays: map[calendar.Date]bool{}, first: 9999}
	for k := range data.Holidays {
		d := mustDate(t, k)
		ds.holidays[d] = true
		ds.first, ds.last = min(ds.first, d.Year), max(ds.last, d.Year)
	}
	for k := range data.Workdays {
		ds.workdays[mustDate(t, k)] = true
	}
	if len(ds.holidays) < 100 || len(ds.workdays) < 50 {
		t.Fatalf("chinese-days.json has %d holidays and %d workdays: not the dataset expected", len(ds.holidays), len(ds.workdays))
	}
	ds.knownErrors = map[calendar.Date]string{
		calendar.D(2005, 12, 31): "国办发明电〔2005〕35号 (2006): 元旦 ... 12月31日(星期六)上班; the dataset has no make-up day",
	}
	return ds
}

// holidayCalendar loads npm holiday-calendar (HOLIDAY_CALENDAR_DIR,
// installed by .ci/run): data/CN/YYYY.json, one file per year, and
// data/index.json for the years it covers.
func holidayCalendar(t *testing.T) dataset {
	t.Helper()
	dir := need(t, "HOLIDAY_CALENDAR_DIR", "holiday-calendar")
	raw, err := os.ReadFile(filepath.Join(dir, "data", "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	var index struct {
		Regions []struct {
			Name               string `json:"name"`
			StartYear, EndYear int
		} `json:"regions"`
	}
	if err := json.Unmarshal(raw, &index); err != nil {
		t.Fatalf("holiday-calendar index.json: %v", err)
	}
	ds := dataset{name: "holiday-calendar", dir: dir, holidays: map[calendar.Date]bool{}, workdays: map[calendar.Date]bool{}}
	for _, r := range index.Regions {
		if r.Name == "CN" {
			ds.first, ds.last = r.StartYear, r.EndYear
		}
	}
	if ds.first == 0 || ds.last < ds.first {
		t.Fatalf("holiday-calendar index.json has no CN years: %s", raw)
	}
	for y := ds.first; y <= ds.last; y++ {
		raw, err := os.ReadFile(filepath.Join(dir, "data", "CN", fmt.Sprintf("%d.json", y)))
		if err != nil {
			t.Fatal(err)
		}
		var f struct {
			Dates []struct {
				Date string `json:"date"`
				Type string `json:"type"`
			} `json:"dates"`
		}
		if err := json.Unmarshal(raw, &f); err != nil {
			t.Fatalf("holiday-calendar CN/%d.json: %v", y, err)
		}
		for _, e := range f.Dates {
			d := mustDate(t, e.Date)
			switch e.Type {
			case "public_holiday":
				ds.holidays[d] = true
			case "transfer_workday":
				ds.workdays[d] = true
			default:
				t.Fatalf("holiday-calendar CN/%d.json: %s has type %q", y, e.Date, e.Type)
			}
		}
	}
	if len(ds.holidays) < 100 || len(ds.workdays) < 50 {
		t.Fatalf("holiday-calendar has %d holidays and %d workdays: not the dataset expected", len(ds.holidays), len(ds.workdays))
	}
	ds.knownErrors = map[calendar.Date]string{
		calendar.D(2004, 1, 2):   "国办发明电〔2003〕53号: 元旦：1月1日放假 (one day; the dataset has 1-3 January)",
		calendar.D(2004, 4, 25):  "国办发明电〔2003〕53号: “五一” ... 5月8日、9日上班 (not 25 April)",
		calendar.D(2004, 5, 9):   "国办发明电〔2003〕53号: “五一” ... 5月8日、9日上班",
		calendar.D(2004, 9, 26):  "国办发明电〔2003〕53号: “十一” ... 10月9日、10日上班 (not 26 September)",
		calendar.D(2004, 10, 10): "国办发明电〔2003〕53号: “十一” ... 10月9日、10日上班",
		calendar.D(2007, 12, 29): "2008 notice (国务院办公厅关于2008年部分节假日安排的通知): 元旦 ... 12月29日（星期六）上班",
		calendar.D(2007, 12, 31): "2008 notice (国务院办公厅关于2008年部分节假日安排的通知): 元旦：2007年12月30日—2008年1月1日放假 (12月29日公休日调至12月31日)",
		calendar.D(2008, 5, 4):   "2008 notice (国务院办公厅关于2008年部分节假日安排的通知): “五一” ... 5月4日（星期日）上班",
		calendar.D(2008, 6, 7):   "2008 notice (国务院办公厅关于2008年部分节假日安排的通知): 端午节：6月7日—9日放假 (6月7日（星期六）照常公休), not a make-up day",
		calendar.D(2008, 9, 13):  "2008 notice (国务院办公厅关于2008年部分节假日安排的通知): 中秋节：9月13日—15日放假 (9月13日（星期六）为公休日), not a make-up day",
		calendar.D(2009, 1, 4):   "国办发明电〔2008〕42号 (2009): 元旦 ... 1月4日（星期日）上班",
		calendar.D(2009, 9, 27):  "国办发明电〔2008〕42号 (2009): 国庆节、中秋节 ... 9月27日（星期日）、10月10日（星期六）上班",
		calendar.D(2011, 12, 31): "国办发明电〔2011〕45号 (2012): 元旦 ... 2011年12月31日（星期六）上班",
		calendar.D(2015, 1, 4):   "国办发明电〔2014〕28号 (2015): 元旦：1月1日至3日放假调休，共3天。1月4日（星期日）上班",
		calendar.D(2016, 4, 2):   "国办发明电〔2015〕18号: 清明节：4月4日放假，与周末连休 (2 April is a day off)",
		calendar.D(2018, 6, 16):  "国办发明电〔2017〕12号 (2018): 端午节：6月18日放假，与周末连休 (16 June is a day off)",
		calendar.D(2018, 9, 22):  "国办发明电〔2017〕12号 (2018): 中秋节：9月24日放假，与周末连休 (22 September is a day off)",
	}
	return ds
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

func weekend(d calendar.Date) bool {
	return d.Weekday() == time.Saturday || d.Weekday() == time.Sunday
}

func shippedStatus(day calendar.Day, ok bool, d calendar.Date) status {
	return status{
		off:            (ok && day.Kind == calendar.Holiday) || (weekend(d) && !(ok && day.Kind == calendar.Workday)),
		makeUp:         ok && day.Kind == calendar.Workday,
		weekdayHoliday: ok && day.Kind == calendar.Holiday && !weekend(d),
	}
}

func (ds dataset) status(d calendar.Date) status {
	h, w := ds.holidays[d], ds.workdays[d]
	return status{off: h || (weekend(d) && !w), makeUp: w, weekdayHoliday: h && !weekend(d)}
}

// compare checks every day of every covered year the dataset also covers
// (and the late-December days an arrangement sets in the year before),
// day by day. It returns the years compared.
func compare(t *testing.T, china *calendar.Schedule, ds dataset) []int {
	t.Helper()
	var years []int
	checked, differing := 0, map[calendar.Date]bool{}
	for _, y := range china.Years() {
		if y < ds.first || y > ds.last {
			continue
		}
		years = append(years, y)
		for d := calendar.D(y-1, time.December, 1); d.Year <= y; d = d.AddDays(1) {
			day, ok, err := china.Lookup(d)
			if d.Year < y {
				if !ok || day.Notice != y || china.Covers(d.Year) {
					continue // compared with its own year, or not set by this arrangement
				}
			} else if err != nil {
				t.Fatalf("%s: %v", d, err)
			}
			checked++
			mine, theirs := shippedStatus(day, ok, d), ds.status(d)
			if mine == theirs {
				continue
			}
			differing[d] = true
			if reason, known := ds.knownErrors[d]; known {
				t.Logf("%s (%s): %s differs as listed: shipped %v, %s %v; %s", d, d.Weekday(), ds.name, mine, ds.name, theirs, reason)
				continue
			}
			t.Errorf("%s (%s): shipped %v (%s), %s %v", d, d.Weekday(), mine, day.Name, ds.name, theirs)
		}
	}
	for d, reason := range ds.knownErrors {
		if !differing[d] {
			t.Errorf("%s is listed as an error of %s (%s) but the dataset agrees with the schedule now: remove it from the list", d, ds.name, reason)
		}
	}
	if len(years) == 0 || checked < 365*len(years) {
		t.Fatalf("%s: compared only %d days in %v", ds.name, checked, years)
	}
	t.Logf("%s: compared %d days of %d covered years (%d-%d), %d listed dataset errors", ds.name, checked, len(years), years[0], years[len(years)-1], len(ds.knownErrors))
	return years
}

// TestChinaMatchesIndependentDatasets compares the shipped schedule day by
// day with two independent npm datasets, chinese-days and
// holiday-calendar. Where a dataset contradicts the notice text the day
// is listed above with the notice's wording; any other difference fails,
// and so does a covered year that no dataset checks.
func TestChinaMatchesIndependentDatasets(t *testing.T) {
	china := calendar.China()
	compared := map[int]bool{}
	for _, load := range []func(*testing.T) dataset{chineseDays, holidayCalendar} {
		ds := load(t)
		t.Run(ds.name, func(t *testing.T) {
			for _, y := range compare(t, china, ds) {
				compared[y] = true
			}
		})
	}
	for _, y := range china.Years() {
		if !compared[y] {
			t.Errorf("%d is shipped but no independent dataset covers it", y)
		}
	}
}

// TestLoadICalReadsAPublishedFeed loads the chinese-days iCalendar feed
// (its per-year files, read as one stream) through LoadICal and finds the
// shipped arrangement day by day, apart from the dataset's listed errors:
// the loader reads the feed a desk would use for a later year.
func TestLoadICalReadsAPublishedFeed(t *testing.T) {
	ds := chineseDays(t)
	china := calendar.China()
	var feeds []io.Reader
	var years []int
	for _, y := range china.Years() {
		if y < ds.first || y > ds.last {
			continue
		}
		raw, err := os.ReadFile(filepath.Join(ds.dir, "dist", "years", fmt.Sprintf("%d.ics", y)))
		if err != nil {
			t.Fatal(err)
		}
		feeds = append(feeds, bytes.NewReader(raw))
		years = append(years, y)
	}
	got, err := calendar.LoadICal(io.MultiReader(feeds...))
	if err != nil {
		t.Fatalf("LoadICal: %v", err)
	}
	off := func(day calendar.Day, ok bool, d calendar.Date) bool {
		return ok && day.Kind == calendar.Holiday || weekend(d) && !(ok && day.Kind == calendar.Workday)
	}
	for _, y := range years {
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
				if _, known := ds.knownErrors[d]; known {
					continue
				}
				t.Errorf("%s (%s): shipped %s %v, loaded feed %s %v", d, d.Weekday(), a.Name, a.Kind, b.Name, b.Kind)
			}
			if okA && okB && a.Key != b.Key && a.Kind == calendar.Holiday && !weekend(d) && a.Key != "national_day" {
				t.Errorf("%s: shipped %s (%s), loaded feed %s (%s)", d, a.Key, a.Name, b.Key, b.Name)
			}
		}
	}
	if !slices.Equal(years, china.Years()) {
		t.Logf("feed years %v of %v", years, china.Years())
	}
}
