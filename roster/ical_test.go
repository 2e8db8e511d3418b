package roster

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
)

func TestWriteICal(t *testing.T) {
	ny := mustLoc(t, "America/New_York")
	stamp := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	night := Shift{Name: "夜班, night; \\ shift", Start: At(22, 0), End: At(6, 0), ReportEarly: 10 * time.Minute}
	as := []Assignment{
		NewAssignment(uuid.MustParse("0190a000-0000-7000-8000-000000000001"), "desk-1", "王小明", night, D(2026, 3, 7), ny),
		NewAssignment(uuid.MustParse("0190a000-0000-7000-8000-000000000002"), "desk-1", "ann", SeedShifts()[2], D(2026, 3, 9), ny),
		NewAssignment(uuid.MustParse("0190a000-0000-7000-8000-000000000003"), "desk-1", "ann", night, D(2026, 10, 31), ny),
	}
	var buf bytes.Buffer
	if err := WriteICal(&buf, as, ICalOptions{Name: "Desk 1, 客服部 roster", Location: ny, Stamp: stamp}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	t.Run("RFC5545_lines", func(t *testing.T) {
		if !strings.HasSuffix(out, "\r\n") || strings.Contains(strings.ReplaceAll(out, "\r\n", ""), "\n") {
			t.Fatal("lines must end in CRLF and contain no bare LF")
		}
		for _, l := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
			if len(l) > 75 {
				t.Fatalf("line of %d octets: %q", len(l), l)
			}
			if !utf8.ValidString(l) {
				t.Fatalf("fold split a UTF-8 sequence: %q", l)
			}
		}
		unfolded := strings.ReplaceAll(out, "\r\n ", "")
		for _, want := range []string{
			"DTSTART;TZID=America/New_York:20260307T220000\r\n",
			"DTEND;TZID=America/New_York:20260308T060000\r\n",
			"UID:0190a000-0000-7000-8000-000000000001@servicedesk-go.invalid\r\n",
			"DTSTAMP:20260301T120000Z\r\n",
			"SUMMARY:Shift 夜班\\, night\\; \\\\ shift: 王小明 (on site)\r\n",
			"BEGIN:VTIMEZONE\r\nTZID:America/New_York\r\n",
			"TZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\n",
		} {
			if !strings.Contains(unfolded, want) {
				t.Errorf("missing %q", want)
			}
		}
	})
	t.Run("one_person", func(t *testing.T) {
		var b bytes.Buffer
		if err := WriteICal(&b, as, ICalOptions{Agent: "ann", Stamp: stamp}); err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(b.String(), "BEGIN:VEVENT"); n != 2 {
			t.Fatalf("%d events for ann, want 2", n)
		}
		if !strings.Contains(b.String(), "DTSTART:20260310T000000Z") || strings.Contains(b.String(), "VTIMEZONE") {
			t.Fatal("UTC export should use Z times and no VTIMEZONE")
		}
	})
	t.Run("parsed_by_ical.js", func(t *testing.T) {
		node := requireICalJS(t)
		for _, tc := range []struct {
			name string
			loc  *time.Location
		}{{"tzid", ny}, {"utc", nil}, {"berlin", mustLoc(t, "Europe/Berlin")}, {"shanghai", mustLoc(t, "Asia/Shanghai")}} {
			t.Run(tc.name, func(t *testing.T) {
				var b bytes.Buffer
				if err := WriteICal(&b, as, ICalOptions{Name: "Desk 1, 客服部", Location: tc.loc, Stamp: stamp}); err != nil {
					t.Fatal(err)
				}
				events := parseWithICalJS(t, node, b.Bytes())
				if len(events) != len(as) {
					t.Fatalf("ical.js saw %d events, want %d", len(events), len(as))
				}
				for i, ev := range events {
					a := as[i]
					if ev.UID != a.ID.String()+"@servicedesk-go.invalid" {
						t.Errorf("uid %q", ev.UID)
					}
					if ev.Start != a.Start.Unix() || ev.End != a.End.Unix() {
						t.Errorf("event %d: ical.js reads %v..%v, want %v..%v", i,
							time.Unix(ev.Start, 0).UTC(), time.Unix(ev.End, 0).UTC(), a.Start.UTC(), a.End.UTC())
					}
					want := "Shift " + a.Shift + ": " + a.Agent + " (" + a.Where.String() + ")"
					if ev.Summary != want {
						t.Errorf("summary %q, want %q", ev.Summary, want)
					}
					if !strings.Contains(ev.Description, "\nRoll call at") {
						t.Errorf("description lost its line break: %q", ev.Description)
					}
					if ev.Stamp != stamp.Unix() {
						t.Errorf("dtstamp %d", ev.Stamp)
					}
				}
				// Clock changes survive the round trip: 7 h and 9 h nights.
				if d := events[0].End - events[0].Start; d != 7*3600 && tc.name == "tzid" {
					t.Errorf("spring-forward night lasts %d s in ical.js", d)
				}
			})
		}
	})
}

type icalEvent struct {
	UID, Summary, Description string
	Start, End, Stamp         int64
}

// requireICalJS returns the node binary, or skips when ICALJS_DIR is
// unset; with CI=true a missing or unusable parser fails the test.
func requireICalJS(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("ICALJS_DIR")
	ci := os.Getenv("CI") == "true"
	fail := func(format string, args ...any) {
		t.Helper()
		if ci {
			t.Fatalf(format, args...)
		}
		t.Skipf(format, args...)
	}
	if dir == "" {
		fail("ICALJS_DIR is unset: run `npm install --prefix \"$DIR\" ical.js` and set ICALJS_DIR=$DIR to check the export with Mozilla's ical.js")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		fail("node not found on PATH (needed with ICALJS_DIR=%s): %v", dir, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "ical.js", "package.json")); err != nil {
		fail("ICALJS_DIR=%s has no node_modules/ical.js: %v", dir, err)
	}
	return node
}

const icalScript = `
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
const require = createRequire(process.env.ICALJS_DIR + '/');
const ICAL = require('ical.js');
const comp = new ICAL.Component(ICAL.parse(readFileSync(process.argv[2], 'utf8')));
for (const tz of comp.getAllSubcomponents('vtimezone')) {
  ICAL.TimezoneService.register(new ICAL.Timezone(tz));
}
const out = comp.getAllSubcomponents('vevent').map((v) => {
  const e = new ICAL.Event(v);
  return {
    UID: e.uid, Summary: e.summary, Description: e.description,
    Start: e.startDate.toUnixTime(), End: e.endDate.toUnixTime(),
    Stamp: v.getFirstPropertyValue('dtstamp').toUnixTime(),
  };
});
process.stdout.write(JSON.stringify(out));
`

func parseWithICalJS(t *testing.T, node string, ics []byte) []icalEvent {
	t.Helper()
	dir := t.TempDir()
	file := filepath.Join(dir, "roster.ics")
	script := filepath.Join(dir, "parse.mjs")
	if err := os.WriteFile(file, ics, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(script, []byte(icalScript), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, script, file)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("ical.js rejected the export: %v\n%s\n--- ics ---\n%s", err, stderr.String(), ics)
	}
	var events []icalEvent
	if err := json.Unmarshal(out, &events); err != nil {
		t.Fatalf("bad output from the node script: %v: %s", err, out)
	}
	return events
}

// unescapeText reverses escapeText (test helper; the package writes only).
func unescapeText(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 'n', 'N':
				b.WriteByte('\n')
			default:
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func FuzzICalText(f *testing.F) {
	for _, s := range []string{"", "plain", "a,b;c\\d", "line1\r\nline2\rline3\nend", strings.Repeat("客服", 60),
		strings.Repeat("x", 74) + "é" + strings.Repeat("😀", 30), "\x00\x7f\tTab", "\xff\xfe bad utf8"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		esc := escapeText(s)
		if !utf8.ValidString(esc) || strings.ContainsAny(esc, "\r\n") {
			t.Fatalf("escaped text %q has a raw line break or bad UTF-8", esc)
		}
		for i := 0; i < len(esc); i++ {
			if c := esc[i]; (c < 0x20 && c != '\t') || c == 0x7f {
				t.Fatalf("control byte %#x in %q", c, esc)
			}
		}
		// Escaping round-trips what TEXT can hold.
		want := strings.ToValidUTF8(s, "\uFFFD")
		want = strings.ReplaceAll(want, "\r\n", "\n")
		want = strings.ReplaceAll(want, "\r", "\n")
		want = strings.Map(func(r rune) rune {
			if (r < 0x20 && r != '\t' && r != '\n') || r == 0x7f {
				return -1
			}
			return r
		}, want)
		if got := unescapeText(esc); got != want {
			t.Fatalf("unescape(escape(%q)) = %q, want %q", s, got, want)
		}
		line := "DESCRIPTION:" + esc
		folded := foldLine(line)
		if !strings.HasSuffix(folded, "\r\n") {
			t.Fatal("no CRLF")
		}
		parts := strings.Split(strings.TrimSuffix(folded, "\r\n"), "\r\n")
		for i, p := range parts {
			if len(p) > 75 {
				t.Fatalf("physical line %d has %d octets", i, len(p))
			}
			if !utf8.ValidString(p) {
				t.Fatalf("fold split a UTF-8 sequence in line %d: %q", i, p)
			}
			if i > 0 && (len(p) < 2 || p[0] != ' ') {
				t.Fatalf("continuation %d %q does not start with a space or is empty", i, p)
			}
		}
		if unfolded := strings.ReplaceAll(strings.TrimSuffix(folded, "\r\n"), "\r\n ", ""); unfolded != line {
			t.Fatalf("unfold(fold(x)) != x")
		}
	})
}

func FuzzWriteICal(f *testing.F) {
	f.Add("ann", "a", "desk-1", "Desk, 1", int64(0), uint16(480))
	f.Add("王小明;\\,", "夜班\r\n", "d\n", strings.Repeat("名", 40), int64(1e9), uint16(1))
	f.Fuzz(func(t *testing.T, agent, shift, desk, name string, startSec int64, minutes uint16) {
		start := time.Unix(startSec%(1<<33), 0).UTC()
		a := Assignment{ID: uuid.MustParse("0190a000-0000-7000-8000-000000000001"), Desk: desk, Agent: agent,
			Shift: shift, Start: start, End: start.Add(time.Duration(minutes+1) * time.Minute)}
		var buf bytes.Buffer
		for _, loc := range []*time.Location{nil, mustLoc(t, "Europe/Berlin")} {
			buf.Reset()
			if err := WriteICal(&buf, []Assignment{a}, ICalOptions{Name: name, Location: loc, Stamp: start}); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			if !strings.HasSuffix(out, "END:VCALENDAR\r\n") {
				t.Fatalf("bad ending: %q", out[max(0, len(out)-40):])
			}
			lines := strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n")
			for _, l := range lines {
				if len(l) > 75 || !utf8.ValidString(l) || strings.ContainsAny(l, "\r\n") {
					t.Fatalf("bad physical line %q", l)
				}
			}
			// Every logical line is NAME[;params]:value with one BEGIN per END.
			depth := 0
			for _, l := range strings.Split(strings.ReplaceAll(strings.TrimSuffix(out, "\r\n"), "\r\n ", ""), "\r\n") {
				if !strings.Contains(l, ":") {
					t.Fatalf("content line without a colon: %q", l)
				}
				if strings.HasPrefix(l, "BEGIN:") {
					depth++
				}
				if strings.HasPrefix(l, "END:") {
					depth--
				}
			}
			if depth != 0 || strings.Count(out, "BEGIN:VEVENT") != 1 {
				t.Fatalf("unbalanced output:\n%s", out)
			}
		}
	})
}

// foldLine (test helper) returns the content line s folded as WriteICal writes it,
// CRLF-terminated.
func foldLine(s string) string {
	var b strings.Builder
	w := bufio.NewWriter(&b)
	writeFolded(w, s)
	w.Flush()
	return b.String()
}
