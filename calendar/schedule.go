package calendar

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
)

// Block is one holiday of a published arrangement: the days off in a row
// (weekend days joined to the holiday, 与周末连休, included) and the
// weekend days worked to pay for them (调休上班).
type Block struct {
	Key      string // stable identifier: "spring_festival", "national_day", ...
	Name     string // as published: "春节", "国庆节、中秋节"
	From, To Date   // first and last day off, inclusive
	Workdays []Date // make-up working days
}

// Day is what a schedule says about one date.
type Day struct {
	Date   Date
	Kind   DayKind // Holiday or Workday (a make-up workday)
	Key    string  // the block's key
	Name   string  // the block's name
	Notice int     // the arrangement (year) that set the day
}

// Schedule is a set of published holiday arrangements, one per year. It
// covers the years whose arrangement it holds and refuses to answer for
// any other (ErrNotCovered): it never extrapolates a schedule. A Schedule
// is immutable and safe for concurrent use.
//
// An arrangement for year Y may set days of late December of Y-1 (元旦
// 2018 ran 30 December 2017 to 1 January 2018). A date is covered when its
// own year is; a covered date in late December of the last covered year
// may still be changed by next year's arrangement.
type Schedule struct {
	region string
	years  map[int][]Block
	days   map[Date]Day
}

// Region is the schedule's region code ("CN"), as the data says.
func (s *Schedule) Region() string { return s.region }

// Years returns the covered years, ascending.
func (s *Schedule) Years() []int {
	ys := slices.Collect(maps.Keys(s.years))
	slices.Sort(ys)
	return ys
}

// Covers reports whether the schedule holds the arrangement for year.
func (s *Schedule) Covers(year int) bool {
	_, ok := s.years[year]
	return ok
}

// Blocks returns the holiday blocks of one year's arrangement, or
// ErrNotCovered.
func (s *Schedule) Blocks(year int) ([]Block, error) {
	b, ok := s.years[year]
	if !ok {
		return nil, s.notCovered(year)
	}
	out := slices.Clone(b)
	for i := range out {
		out[i].Workdays = slices.Clone(out[i].Workdays)
	}
	return out, nil
}

// Lookup returns what the schedule says about d: a holiday, a make-up
// workday, or neither (ok false: an ordinary day, whose kind follows the
// weekend). A date in a year the schedule does not cover is
// ErrNotCovered.
func (s *Schedule) Lookup(d Date) (day Day, ok bool, err error) {
	if day, ok := s.days[d]; ok {
		return day, true, nil
	}
	if !s.Covers(d.Year) {
		return Day{}, false, s.notCovered(d.Year)
	}
	return Day{}, false, nil
}

func (s *Schedule) notCovered(year int) error {
	e := &NotCoveredError{Year: year}
	if ys := s.Years(); len(ys) > 0 {
		e.First, e.Last = ys[0], ys[len(ys)-1]
	}
	return e
}

// Merge returns a schedule holding the arrangements of s and of other,
// e.g. the shipped China schedule plus a later year loaded from a file.
// A year present in both must be identical; a day set differently by two
// arrangements is an error.
func (s *Schedule) Merge(other *Schedule) (*Schedule, error) {
	if other == nil {
		return s, nil
	}
	if s.region != "" && other.region != "" && s.region != other.region {
		return nil, invalid("schedule.region", "cannot merge region %q into %q", other.region, s.region)
	}
	years := maps.Clone(s.years)
	for y, b := range other.years {
		if mine, ok := years[y]; ok {
			if !sameBlocks(mine, b) {
				return nil, invalid("schedule.year", "%d is in both schedules with different arrangements", y)
			}
			continue
		}
		years[y] = b
	}
	region := s.region
	if region == "" {
		region = other.region
	}
	return build(region, years)
}

func sameBlocks(a, b []Block) bool {
	return slices.EqualFunc(a, b, func(x, y Block) bool {
		return x.Key == y.Key && x.Name == y.Name && x.From == y.From && x.To == y.To && slices.Equal(x.Workdays, y.Workdays)
	})
}

// NewSchedule builds a schedule from arrangements by year, checking them:
// every block names a key, runs From..To within 31 days, sits in or next
// to its year, and no day is set twice.
func NewSchedule(region string, years map[int][]Block) (*Schedule, error) {
	cp := make(map[int][]Block, len(years))
	for y, bs := range years {
		c := slices.Clone(bs)
		for i := range c {
			c[i].Workdays = slices.Clone(c[i].Workdays)
		}
		cp[y] = c
	}
	return build(region, cp)
}

func build(region string, years map[int][]Block) (*Schedule, error) {
	s := &Schedule{region: region, years: years, days: map[Date]Day{}}
	set := func(d Date, day Day) error {
		if prev, dup := s.days[d]; dup {
			return invalid("schedule.day", "%s is set by %d %s and by %d %s", d, prev.Notice, prev.Name, day.Notice, day.Name)
		}
		s.days[d] = day
		return nil
	}
	near := func(y int, d Date) bool { return d.Year == y || (d.Year == y-1 && d.Month == 12) }
	for y, bs := range years {
		if y < 1949 || y > 9999 {
			return nil, invalid("schedule.year", "%d is not a plausible year", y)
		}
		if len(bs) == 0 {
			return nil, invalid("schedule.year", "%d has no holidays: an arrangement names at least one", y)
		}
		for _, b := range bs {
			switch {
			case strings.TrimSpace(b.Key) == "":
				return nil, invalid("schedule.key", "a %d block (%s) has no key", y, b.Name)
			case !b.From.Valid() || !b.To.Valid() || b.To.Before(b.From):
				return nil, invalid("schedule.block", "%d %s: %s..%s is not a range of days", y, b.Key, b.From, b.To)
			case b.From.DaysUntil(b.To) > 31:
				return nil, invalid("schedule.block", "%d %s: %s..%s is longer than a month", y, b.Key, b.From, b.To)
			case !near(y, b.From) || !near(y, b.To):
				return nil, invalid("schedule.block", "%d %s: %s..%s is outside the year", y, b.Key, b.From, b.To)
			}
			for d := b.From; !b.To.Before(d); d = d.AddDays(1) {
				if err := set(d, Day{Date: d, Kind: Holiday, Key: b.Key, Name: b.Name, Notice: y}); err != nil {
					return nil, err
				}
			}
			for _, w := range b.Workdays {
				if !w.Valid() || !near(y, w) {
					return nil, invalid("schedule.workday", "%d %s: make-up day %s is outside the year", y, b.Key, w)
				}
				if err := set(w, Day{Date: w, Kind: Workday, Key: b.Key, Name: b.Name, Notice: y}); err != nil {
					return nil, err
				}
			}
		}
	}
	return s, nil
}

// The JSON form of a schedule (the embedded China data uses it):
//
//	{"region": "CN", "years": [
//	  {"year": 2026, "holidays": [
//	    {"key": "new_year", "name": "元旦", "from": "2026-01-01", "to": "2026-01-03", "workdays": ["2026-01-04"]}]}]}
type fileJSON struct {
	Region    string     `json:"region"`
	Authority string     `json:"authority,omitempty"`
	Years     []yearJSON `json:"years"`
}

type yearJSON struct {
	Year     int         `json:"year"`
	Note     string      `json:"note,omitempty"`
	Holidays []blockJSON `json:"holidays"`
}

type blockJSON struct {
	Key      string   `json:"key"`
	Name     string   `json:"name"`
	From     string   `json:"from"`
	To       string   `json:"to"`
	Workdays []string `json:"workdays"`
}

// maxScheduleBytes bounds what the loaders read.
const maxScheduleBytes = 4 << 20

// LoadJSON reads a schedule in the JSON form above (see data/cn.json in
// this package), e.g. a year published after this release. Combine it
// with China() through Merge.
func LoadJSON(r io.Reader) (*Schedule, error) {
	var f fileJSON
	dec := json.NewDecoder(io.LimitReader(r, maxScheduleBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("calendar: schedule json: %w: %v", ErrInvalid, err)
	}
	years := map[int][]Block{}
	for _, y := range f.Years {
		if _, dup := years[y.Year]; dup {
			return nil, invalid("schedule.year", "%d appears twice", y.Year)
		}
		bs := make([]Block, 0, len(y.Holidays))
		for _, h := range y.Holidays {
			from, err1 := ParseDate(h.From)
			to, err2 := ParseDate(h.To)
			if err := errorsJoin(err1, err2); err != nil {
				return nil, fmt.Errorf("calendar: schedule %d %s: %w", y.Year, h.Key, err)
			}
			b := Block{Key: h.Key, Name: h.Name, From: from, To: to}
			for _, w := range h.Workdays {
				d, err := ParseDate(w)
				if err != nil {
					return nil, fmt.Errorf("calendar: schedule %d %s: %w", y.Year, h.Key, err)
				}
				b.Workdays = append(b.Workdays, d)
			}
			bs = append(bs, b)
		}
		years[y.Year] = bs
	}
	return build(f.Region, years)
}

func errorsJoin(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
