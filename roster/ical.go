package roster

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// ICalOptions control WriteICal.
type ICalOptions struct {
	// Name is the calendar's display name (X-WR-CALNAME); optional.
	Name string
	// Location: times are written as local times with TZID and a
	// VTIMEZONE built from the zone's real transitions over the exported
	// period. Nil or UTC: times are written in UTC ("Z").
	Location *time.Location
	// Agent keeps only this person's assignments; "" exports the desk.
	Agent string
	// Stamp is DTSTAMP (when the file was made); zero: time.Now().
	Stamp time.Time
	// Domain makes UIDs globally unique: "<assignment id>@<domain>".
	// Default "servicedesk-go.invalid".
	Domain string
}

const icalProdID = "-//servicedesk-go//desk roster//EN"

// WriteICal writes assignments as an RFC 5545 calendar: CRLF line ends,
// lines folded at 75 octets without splitting a UTF-8 sequence, TEXT
// escaped, one VEVENT per assignment with UID, DTSTAMP, DTSTART and DTEND
// (TZID with a VTIMEZONE, or UTC). The R6 report time is in the
// description; the event itself spans the service time. An assignment
// that ends at or before its start (a shift emptied by a clock change,
// see Shift.On) is refused with ErrInvalid before anything is written:
// the file never holds DTEND before DTSTART.
func WriteICal(w io.Writer, as []Assignment, opt ICalOptions) error {
	stamp := opt.Stamp
	if stamp.IsZero() {
		stamp = time.Now()
	}
	domain := opt.Domain
	if domain == "" {
		domain = "servicedesk-go.invalid"
	}
	if strings.ContainsAny(domain, "\r\n") {
		return invalid("ical.domain", "line break in domain")
	}
	loc := opt.Location
	if loc != nil && loc.String() == "UTC" {
		loc = nil
	}
	var list []Assignment
	for _, a := range as {
		if opt.Agent == "" || a.Agent == opt.Agent {
			if !a.End.After(a.Start) {
				return fmt.Errorf("%w (%s, shift %s on %s)", invalid("ical.assignment", "assignment %s ends at or before it starts", a.ID), a.Agent, a.Shift, a.Date)
			}
			list = append(list, a)
		}
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].Start.Before(list[j].Start) })

	bw := bufio.NewWriter(w)
	line := func(name, value string) { writeFolded(bw, name+value) }
	line("BEGIN:", "VCALENDAR")
	line("VERSION:", "2.0")
	line("PRODID:", icalProdID)
	line("CALSCALE:", "GREGORIAN")
	line("METHOD:", "PUBLISH")
	if opt.Name != "" {
		line("X-WR-CALNAME:", escapeText(opt.Name))
	}
	if loc != nil && len(list) > 0 {
		lo, hi := list[0].Start, list[0].End
		for _, a := range list {
			lo, hi = minTime(lo, a.Start), maxTime(hi, a.End)
		}
		writeVTimezone(line, loc, lo, hi)
	}
	dt := func(name string, t time.Time) {
		if loc == nil {
			line(name+":", t.UTC().Format("20060102T150405Z"))
			return
		}
		line(name+";TZID="+paramValue(loc.String())+":", t.In(loc).Format("20060102T150405"))
	}
	for _, a := range list {
		line("BEGIN:", "VEVENT")
		line("UID:", a.ID.String()+"@"+domain)
		line("DTSTAMP:", stamp.UTC().Format("20060102T150405Z"))
		dt("DTSTART", a.Start)
		dt("DTEND", a.End)
		line("SUMMARY:", escapeText(fmt.Sprintf("Shift %s: %s (%s)", a.Shift, a.Agent, a.Where)))
		desc := fmt.Sprintf("Desk %s, shift %s, %s.\nRoll call at %s (R6).",
			a.Desk, a.Shift, a.Where, a.ReportAt().In(orUTC(loc)).Format("15:04"))
		line("DESCRIPTION:", escapeText(desc))
		line("CATEGORIES:", escapeText(a.Shift))
		line("TRANSP:", "OPAQUE")
		line("END:", "VEVENT")
	}
	line("END:", "VCALENDAR")
	return bw.Flush()
}

func orUTC(loc *time.Location) *time.Location {
	if loc == nil {
		return time.UTC
	}
	return loc
}

// paramValue quotes a parameter value when it holds ; : or , (RFC 5545
// 3.2); DQUOTE and control characters are dropped.
func paramValue(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '"' || r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
	if strings.ContainsAny(s, ";:,") {
		return `"` + s + `"`
	}
	return s
}

// writeVTimezone describes loc with one observance per period in force
// between lo and hi (plus the one in force at lo), from Go's own zone
// data, so clients need no tz database of their own.
func writeVTimezone(line func(name, value string), loc *time.Location, lo, hi time.Time) {
	line("BEGIN:", "VTIMEZONE")
	line("TZID:", escapeText(loc.String()))
	t := lo.In(loc)
	for i := 0; i < 1000; i++ {
		start, end := t.ZoneBounds()
		abbr, off := t.Zone()
		prev := off
		onset := "19700101T000000"
		if !start.IsZero() {
			_, prev = start.Add(-time.Second).In(loc).Zone()
			onset = start.In(time.FixedZone("", prev)).Format("20060102T150405")
		}
		kind := "STANDARD"
		if t.IsDST() {
			kind = "DAYLIGHT"
		}
		line("BEGIN:", kind)
		line("DTSTART:", onset)
		line("TZOFFSETFROM:", utcOffset(prev))
		line("TZOFFSETTO:", utcOffset(off))
		if abbr != "" {
			line("TZNAME:", escapeText(abbr))
		}
		line("END:", kind)
		if end.IsZero() || end.After(hi) {
			break
		}
		t = end.In(loc)
	}
	line("END:", "VTIMEZONE")
}

func utcOffset(sec int) string {
	sign := '+'
	if sec < 0 {
		sign, sec = '-', -sec
	}
	h, m, s := sec/3600, sec%3600/60, sec%60
	if s != 0 {
		return fmt.Sprintf("%c%02d%02d%02d", sign, h, m, s)
	}
	return fmt.Sprintf("%c%02d%02d", sign, h, m)
}

// escapeText escapes s as an RFC 5545 TEXT value: backslash, semicolon
// and comma are escaped, line breaks (CRLF, LF or CR) become \n, other
// control characters are dropped (TEXT does not allow them) and invalid
// UTF-8 becomes U+FFFD.
func escapeText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\':
			b.WriteString(`\\`)
		case c == ';':
			b.WriteString(`\;`)
		case c == ',':
			b.WriteString(`\,`)
		case c == '\r':
			b.WriteString(`\n`)
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\t':
			b.WriteByte(c)
		case c < 0x20 || c == 0x7f:
			// dropped
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// writeFolded writes one content line, folded so no physical line exceeds
// 75 octets (CRLF excluded); continuation lines start with a space. A
// fold never falls inside a UTF-8 sequence.
func writeFolded(w *bufio.Writer, s string) {
	const limit = 75
	first := true
	for {
		room := limit
		if !first {
			room-- // the leading space
			w.WriteByte(' ')
		}
		if len(s) <= room {
			w.WriteString(s)
			w.WriteString("\r\n")
			return
		}
		cut := room
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		if cut == 0 { // cannot happen with valid UTF-8 (runes are <= 4 bytes)
			cut = room
		}
		w.WriteString(s[:cut])
		w.WriteString("\r\n")
		s = s[cut:]
		first = false
	}
}
