package calendar_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/servicedesk-go/desk/calendar"
)

func TestChinaSchedule(t *testing.T) {
	china := calendar.China()
	years := china.Years()
	want := []int{}
	for y := 2004; y <= 2026; y++ {
		want = append(want, y)
	}
	if !slices.Equal(years, want) {
		t.Fatalf("covered years %v, want 2004-2026", years)
	}
	// 2003 and earlier: notices not found, not held; 2027: not published
	// when this release was made.
	if china.Covers(2003) || china.Covers(2027) || china.Region() != "CN" {
		t.Fatal("covers beyond the published years")
	}
	for _, y := range years {
		bs, err := china.Blocks(y)
		if err != nil {
			t.Fatalf("%d: %v", y, err)
		}
		keys := map[string]bool{}
		for _, b := range bs {
			keys[b.Key] = true
		}
		// The 1999 regulations: 元旦, 春节, 五一, 十一; the 2007 revision
		// (from 2008) adds 清明, 端午, 中秋.
		want := []string{"new_year", "spring_festival", "labour_day", "national_day"}
		if y >= 2008 {
			want = append(want, "qingming", "dragon_boat")
		}
		for _, k := range want {
			if !keys[k] {
				t.Errorf("%d has no %s", y, k)
			}
		}
		if y < 2008 && len(bs) != 4 {
			t.Errorf("%d: %d blocks, the 1999 regulations have four holidays", y, len(bs))
		}
	}
	// The days the issue names, and the 2020 extension of 春节.
	for _, tc := range []struct {
		d    calendar.Date
		kind calendar.DayKind
		key  string
	}{
		{calendar.D(2026, 9, 20), calendar.Workday, "national_day"},
		{calendar.D(2026, 9, 27), calendar.Holiday, "mid_autumn"},
		{calendar.D(2026, 10, 10), calendar.Workday, "national_day"},
		{calendar.D(2020, 2, 2), calendar.Holiday, "spring_festival"},
		{calendar.D(2007, 12, 29), calendar.Workday, "new_year"}, // set by the 2008 arrangement
	} {
		day, ok, err := china.Lookup(tc.d)
		if !ok || err != nil || day.Kind != tc.kind || day.Key != tc.key {
			t.Errorf("%s: %+v %v %v", tc.d, day, ok, err)
		}
	}
	if d, _, _ := china.Lookup(calendar.D(2020, 2, 1)); d.Kind != calendar.Holiday {
		t.Error("2020-02-01: its make-up workday was cancelled by the extension of 春节")
	}
	if _, err := china.Blocks(2027); !errors.Is(err, calendar.ErrNotCovered) {
		t.Fatalf("Blocks(2027): %v", err)
	}
	if _, _, err := china.Lookup(calendar.D(2027, 1, 1)); !errors.Is(err, calendar.ErrNotCovered) {
		t.Fatalf("Lookup(2027-01-01): %v", err)
	}
}

func TestLoadJSON(t *testing.T) {
	good := `{"region": "CN", "years": [{"year": 2030, "holidays": [
	  {"key": "new_year", "name": "元旦", "from": "2029-12-30", "to": "2030-01-01", "workdays": ["2029-12-29"]}]}]}`
	s, err := calendar.LoadJSON(strings.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	if !s.Covers(2030) || s.Covers(2029) {
		t.Fatalf("covers %v", s.Years())
	}
	if d, ok, _ := s.Lookup(calendar.D(2029, 12, 29)); !ok || d.Kind != calendar.Workday || d.Notice != 2030 {
		t.Fatalf("make-up day of December: %+v", d)
	}
	bad := map[string]string{
		"not_json":          `{`,
		"unknown_field":     `{"years": [{"year": 2030, "days": []}]}`,
		"bad_date":          `{"years": [{"year": 2030, "holidays": [{"key": "k", "name": "n", "from": "2030-02-30", "to": "2030-03-01"}]}]}`,
		"reversed":          `{"years": [{"year": 2030, "holidays": [{"key": "k", "name": "n", "from": "2030-03-02", "to": "2030-03-01"}]}]}`,
		"outside_year":      `{"years": [{"year": 2030, "holidays": [{"key": "k", "name": "n", "from": "2031-03-01", "to": "2031-03-01"}]}]}`,
		"no_key":            `{"years": [{"year": 2030, "holidays": [{"key": "", "name": "n", "from": "2030-03-01", "to": "2030-03-01"}]}]}`,
		"empty_year":        `{"years": [{"year": 2030, "holidays": []}]}`,
		"day_twice":         `{"years": [{"year": 2030, "holidays": [{"key": "a", "name": "a", "from": "2030-03-01", "to": "2030-03-02"}, {"key": "b", "name": "b", "from": "2030-03-02", "to": "2030-03-03"}]}]}`,
		"workday_a_holiday": `{"years": [{"year": 2030, "holidays": [{"key": "a", "name": "a", "from": "2030-03-01", "to": "2030-03-02", "workdays": ["2030-03-02"]}]}]}`,
		"year_twice":        `{"years": [{"year": 2030, "holidays": [{"key": "a", "name": "a", "from": "2030-03-01", "to": "2030-03-01"}]}, {"year": 2030, "holidays": [{"key": "a", "name": "a", "from": "2030-03-01", "to": "2030-03-01"}]}]}`,
	}
	for name, in := range bad {
		if _, err := calendar.LoadJSON(strings.NewReader(in)); !errors.Is(err, calendar.ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
}

func TestMerge(t *testing.T) {
	china := calendar.China()
	same, err := calendar.NewSchedule("CN", map[int][]calendar.Block{2026: mustBlocks(t, 2026)})
	if err != nil {
		t.Fatal(err)
	}
	if m, err := china.Merge(same); err != nil || len(m.Years()) != len(china.Years()) {
		t.Fatalf("merging an identical year: %v", err)
	}
	changed := mustBlocks(t, 2026)
	changed[0].Workdays = nil
	other, err := calendar.NewSchedule("CN", map[int][]calendar.Block{2026: changed})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := china.Merge(other); !errors.Is(err, calendar.ErrInvalid) {
		t.Fatalf("a different 2026: %v", err)
	}
	jp, _ := calendar.NewSchedule("JP", map[int][]calendar.Block{2030: {{Key: "k", Name: "n", From: calendar.D(2030, 1, 1), To: calendar.D(2030, 1, 1)}}})
	if _, err := china.Merge(jp); !errors.Is(err, calendar.ErrInvalid) {
		t.Fatalf("another region: %v", err)
	}
	// A later arrangement that sets a day an earlier one set is refused.
	a, err := calendar.NewSchedule("CN", map[int][]calendar.Block{2030: {{Key: "k", Name: "n", From: calendar.D(2030, 12, 30), To: calendar.D(2030, 12, 31)}}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := calendar.NewSchedule("CN", map[int][]calendar.Block{2031: {{Key: "new_year", Name: "元旦", From: calendar.D(2030, 12, 31), To: calendar.D(2031, 1, 1)}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Merge(b); !errors.Is(err, calendar.ErrInvalid) {
		t.Fatalf("a day set twice: %v", err)
	}
}

func mustBlocks(t *testing.T, y int) []calendar.Block {
	t.Helper()
	bs, err := calendar.China().Blocks(y)
	if err != nil {
		t.Fatal(err)
	}
	return bs
}

const feed = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" +
	"BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20301230\r\nDTEND;VALUE=DATE:20310102\r\nSUMMARY:元旦(休)\r\nEND:VEVENT\r\n" +
	"BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20301228\r\nSUMMARY:元旦(班)\r\nEND:VEVENT\r\n" +
	"BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20310201\r\nDTEND;VALUE=DATE:20310208\r\nSUMMARY:Spring \r\n Festival\r\nCATEGORIES:HOLIDAY\r\nEND:VEVENT\r\n" +
	"BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20310209\r\nSUMMARY:Spring Festival\r\nX-APPLE-SPECIAL-DAY:ALTERNATE-WORKDAY\r\nEND:VEVENT\r\n" +
	"END:VCALENDAR\r\n"

func TestLoadICal(t *testing.T) {
	s, err := calendar.LoadICal(strings.NewReader(feed))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(s.Years(), []int{2031}) {
		t.Fatalf("years %v: 元旦 30 Dec 2030 - 1 Jan 2031 is the 2031 arrangement", s.Years())
	}
	for _, tc := range []struct {
		d    calendar.Date
		kind calendar.DayKind
		key  string
	}{
		{calendar.D(2030, 12, 28), calendar.Workday, "new_year"},
		{calendar.D(2030, 12, 30), calendar.Holiday, "new_year"},
		{calendar.D(2031, 1, 1), calendar.Holiday, "new_year"},
		{calendar.D(2031, 2, 7), calendar.Holiday, "spring_festival"},
		{calendar.D(2031, 2, 9), calendar.Workday, "spring_festival"},
	} {
		day, ok, err := s.Lookup(tc.d)
		if !ok || err != nil || day.Kind != tc.kind || day.Key != tc.key {
			t.Errorf("%s: %+v %v %v", tc.d, day, ok, err)
		}
	}
	if _, ok, _ := s.Lookup(calendar.D(2031, 1, 2)); ok {
		t.Error("DTEND is exclusive")
	}
	bad := map[string]string{
		"orphan_workday": "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20310104\r\nSUMMARY:元旦(班)\r\nEND:VEVENT\r\n",
		"no_dtstart":     "BEGIN:VEVENT\r\nSUMMARY:元旦(休)\r\nEND:VEVENT\r\n",
		"bad_date":       "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:2031-01-01\r\nSUMMARY:元旦(休)\r\nEND:VEVENT\r\n",
		"end_before":     "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20310105\r\nDTEND;VALUE=DATE:20310101\r\nSUMMARY:元旦(休)\r\nEND:VEVENT\r\n",
		"no_summary":     "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20310101\r\nEND:VEVENT\r\n",
		"stray_end":      "END:VEVENT\r\n",
	}
	for name, in := range bad {
		if _, err := calendar.LoadICal(strings.NewReader(in)); !errors.Is(err, calendar.ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
}

// FuzzLoad: the loaders never panic, and what they accept answers every
// day of its covered years consistently.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(feed), false)
	f.Add([]byte(`{"region": "CN", "years": [{"year": 2030, "holidays": [{"key": "new_year", "name": "元旦", "from": "2030-01-01", "to": "2030-01-03", "workdays": ["2030-01-05"]}]}]}`), true)
	f.Fuzz(func(t *testing.T, in []byte, asJSON bool) {
		load := calendar.LoadICal
		if asJSON {
			load = calendar.LoadJSON
		}
		s, err := load(strings.NewReader(string(in)))
		if err != nil {
			if !errors.Is(err, calendar.ErrInvalid) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		for _, y := range s.Years() {
			for d := calendar.D(y, 1, 1); d.Year == y; d = d.AddDays(1) {
				day, ok, err := s.Lookup(d)
				if err != nil || (ok && (day.Date != d || (day.Kind != calendar.Holiday && day.Kind != calendar.Workday))) {
					t.Fatalf("%s: %+v %v", d, day, err)
				}
			}
		}
	})
}
