package calendar

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// LoadICal reads a holiday schedule published as iCalendar (RFC 5545):
// one all-day VEVENT per holiday block (DTSTART;VALUE=DATE, DTEND
// exclusive, or one day without DTEND) and one per make-up workday (or a
// range of them). An event is a workday when any of these says so, else
// a holiday:
//
//   - X-APPLE-SPECIAL-DAY:ALTERNATE-WORKDAY (WORK-HOLIDAY is a holiday),
//   - CATEGORIES containing WORKDAY or 补班 (HOLIDAY, 节假日 for holidays),
//   - a SUMMARY ending in 班 or "(Workday)" (休 or "(Holiday)" for holidays),
//     which is how the common Chinese holiday feeds write it: "春节(休)",
//     "春节(班)".
//
// The block's name is the SUMMARY without that suffix; its key is the
// usual key for the common Chinese and English names (春节, Spring
// Festival: "spring_festival") and the name itself otherwise. A holiday
// block belongs to the year of its last day (元旦 30 Dec 2018 - 1 Jan
// 2019 is the 2019 arrangement); a make-up workday to the nearest block
// with the same key. A workday without such a block is an error.
func LoadICal(r io.Reader) (*Schedule, error) {
	lines, err := unfold(io.LimitReader(r, maxScheduleBytes))
	if err != nil {
		return nil, err
	}
	type event struct {
		start, end Date
		summary    string
		category   string
		special    string
		hasStart   bool
	}
	var evs []event
	var cur *event
	for n, l := range lines {
		name, params, value := splitProp(l)
		switch {
		case name == "BEGIN" && strings.EqualFold(value, "VEVENT"):
			cur = &event{}
		case name == "END" && strings.EqualFold(value, "VEVENT"):
			if cur == nil {
				return nil, invalid("ical", "line %d: END:VEVENT without BEGIN", n+1)
			}
			if !cur.hasStart {
				return nil, invalid("ical", "line %d: event %q has no DTSTART", n+1, cur.summary)
			}
			if cur.end == (Date{}) {
				cur.end = cur.start.AddDays(1)
			}
			if !cur.start.Before(cur.end) || cur.start.DaysUntil(cur.end) > 32 {
				return nil, invalid("ical", "line %d: event %q runs %s to %s", n+1, cur.summary, cur.start, cur.end)
			}
			evs = append(evs, *cur)
			cur = nil
		case cur == nil:
		case name == "DTSTART" || name == "DTEND":
			d, err := icalDate(params, value)
			if err != nil {
				return nil, fmt.Errorf("calendar: ical line %d: %w", n+1, err)
			}
			if name == "DTSTART" {
				cur.start, cur.hasStart = d, true
			} else {
				cur.end = d
			}
		case name == "SUMMARY":
			cur.summary = strings.TrimSpace(unescape(value))
		case name == "CATEGORIES":
			cur.category = strings.ToUpper(unescape(value))
		case name == "X-APPLE-SPECIAL-DAY":
			cur.special = strings.ToUpper(value)
		}
	}
	type work struct {
		key, name string
		days      []Date
	}
	years := map[int][]Block{}
	var works []work
	for _, e := range evs {
		name, isWork := classify(e.summary, e.category, e.special)
		if name == "" {
			return nil, invalid("ical", "event on %s has no SUMMARY to name it", e.start)
		}
		key := keyOf(name)
		last := e.end.AddDays(-1)
		if isWork {
			w := work{key: key, name: name}
			for d := e.start; d.Before(e.end); d = d.AddDays(1) {
				w.days = append(w.days, d)
			}
			works = append(works, w)
			continue
		}
		years[last.Year] = append(years[last.Year], Block{Key: key, Name: name, From: e.start, To: last})
	}
	for _, w := range works {
		for _, d := range w.days {
			by, bi, best := 0, -1, 1<<30
			for y, bs := range years {
				for i, b := range bs {
					if b.Key != w.key {
						continue
					}
					dist := min(abs(d.DaysUntil(b.From)), abs(d.DaysUntil(b.To)))
					if dist < best || (dist == best && y < by) {
						by, bi, best = y, i, dist
					}
				}
			}
			if bi < 0 || best > 60 {
				return nil, invalid("ical", "make-up workday %s (%s) has no holiday of that name near it: load it with the feed that holds that holiday (several feeds may be read as one stream)", d, w.name)
			}
			years[by][bi].Workdays = append(years[by][bi].Workdays, d)
		}
	}
	for _, bs := range years {
		sort.Slice(bs, func(i, j int) bool { return bs[i].From.Before(bs[j].From) })
		for i := range bs {
			sort.Slice(bs[i].Workdays, func(a, b int) bool { return bs[i].Workdays[a].Before(bs[i].Workdays[b]) })
		}
	}
	return build("", years)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// classify strips the holiday/workday marker from a summary and says
// whether the event is a make-up workday.
func classify(summary, category, special string) (name string, workday bool) {
	name = summary
	marked := false
	for _, m := range []struct {
		suffix string
		work   bool
	}{{"(班)", true}, {"（班）", true}, {"(休)", false}, {"（休）", false},
		{"(Workday)", true}, {"(Holiday)", false}, {"补班", true}, {"上班", true}, {"班", true}, {"休", false}} {
		if strings.HasSuffix(name, m.suffix) {
			name, workday, marked = strings.TrimSpace(strings.TrimSuffix(name, m.suffix)), m.work, true
			break
		}
	}
	switch {
	case special == "ALTERNATE-WORKDAY":
		workday = true
	case special == "WORK-HOLIDAY":
		workday = false
	case strings.Contains(category, "WORKDAY") || strings.Contains(category, "补班"):
		workday = true
	case strings.Contains(category, "HOLIDAY") || strings.Contains(category, "节假日"):
		if !marked {
			workday = false
		}
	}
	return name, workday
}

var keys = map[string]string{
	"元旦": "new_year", "new year's day": "new_year",
	"春节": "spring_festival", "spring festival": "spring_festival", "chinese new year": "spring_festival",
	"清明": "qingming", "清明节": "qingming", "tomb-sweeping day": "qingming", "qingming festival": "qingming",
	"劳动节": "labour_day", "labour day": "labour_day", "labor day": "labour_day",
	"端午": "dragon_boat", "端午节": "dragon_boat", "dragon boat festival": "dragon_boat",
	"中秋": "mid_autumn", "中秋节": "mid_autumn", "mid-autumn festival": "mid_autumn",
	"国庆": "national_day", "国庆节": "national_day", "national day": "national_day",
	"国庆节、中秋节": "national_day", "中秋节、国庆节": "national_day",
	"中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日": "victory_day",
}

func keyOf(name string) string {
	if k, ok := keys[strings.ToLower(name)]; ok {
		return k
	}
	return name
}

// unfold joins folded lines (RFC 5545 3.1) and drops blank ones.
func unfold(r io.Reader) ([]string, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), maxScheduleBytes)
	var out []string
	for sc.Scan() {
		l := strings.TrimRight(sc.Text(), "\r")
		if (strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t")) && len(out) > 0 {
			out[len(out)-1] += l[1:]
			continue
		}
		if l != "" {
			out = append(out, l)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("calendar: ical: %w: %v", ErrInvalid, err)
	}
	return out, nil
}

// splitProp splits "NAME;PARAM=V:value" (a colon inside a quoted
// parameter value does not end the parameters).
func splitProp(l string) (name, params, value string) {
	quoted := false
	for i, r := range l {
		switch {
		case r == '"':
			quoted = !quoted
		case r == ':' && !quoted:
			head := l[:i]
			name, params, _ = strings.Cut(head, ";")
			return strings.ToUpper(name), params, l[i+1:]
		}
	}
	return strings.ToUpper(l), "", ""
}

// icalDate reads a DATE value, or the date part of a DATE-TIME one.
func icalDate(params, value string) (Date, error) {
	v := value
	if i := strings.IndexByte(v, 'T'); i >= 0 && !strings.Contains(strings.ToUpper(params), "VALUE=DATE") {
		v = v[:i]
	}
	t, err := time.Parse("20060102", v)
	if err != nil {
		return Date{}, invalid("ical date", "%q is not YYYYMMDD", value)
	}
	return DateOf(t, time.UTC), nil
}

func unescape(s string) string {
	return strings.NewReplacer(`\n`, " ", `\N`, " ", `\,`, ",", `\;`, ";", `\\`, `\`).Replace(s)
}
