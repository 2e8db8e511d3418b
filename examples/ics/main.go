// Command ics writes the seed desk's roster (R2 shifts, R3 rotation of
// four agents) as an iCalendar file that calendar clients import.
//
//	go run ./examples/ics -out roster.ics -weeks 3
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"
	_ "time/tzdata" // the zone is embedded, so the example runs anywhere

	"github.com/servicedesk-go/desk/roster"
)

func main() { os.Exit(command(os.Args[1:], os.Stderr)) }

// command parses the flags and runs; it returns the exit status: 0 (also
// for -h), 1 for a failed run, 2 for bad flags, each reported once.
func command(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("ics", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "roster.ics", "file to write (- for standard output)")
	weeks := fs.Int("weeks", 3, "weeks to generate (R3: a three-week cycle)")
	tz := fs.String("tz", "Asia/Shanghai", "IANA time zone of the desk")
	start := fs.String("start", "", "first day, YYYY-MM-DD (default: next Monday)")
	agent := fs.String("agent", "", "export only this agent's shifts")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2 // the flag package printed the message and the usage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "ics: unexpected arguments %q\n", fs.Args())
		return 2
	}
	if err := run(*out, *weeks, *tz, *start, *agent); err != nil {
		fmt.Fprintln(stderr, "ics:", err)
		return 1
	}
	return 0
}

func run(out string, weeks int, tz, start, agent string) error {
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return err
	}
	first := nextMonday(time.Now().In(loc))
	if start != "" {
		t, err := time.ParseInLocation("2006-01-02", start, loc)
		if err != nil {
			return fmt.Errorf("bad -start: %w", err)
		}
		first = roster.DateOf(t, loc)
	}
	spec := roster.SeedSpec("seed-desk", first, loc, "agent-1", "agent-2", "agent-3", "agent-4")
	spec.Weeks = weeks
	plan, err := roster.Generate(spec)
	if err != nil {
		return err
	}
	if err := plan.Err(); err != nil {
		fmt.Fprintln(os.Stderr, "ics: warning:", err)
	}
	var buf bytes.Buffer
	if err := roster.WriteICal(&buf, plan.Assignments, roster.ICalOptions{
		Name: "Seed desk roster", Location: loc, Agent: agent,
	}); err != nil {
		return err
	}
	if out == "-" {
		_, err = os.Stdout.Write(buf.Bytes())
		return err
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	rep, err := roster.CheckCoverage(roster.CoverageInput{Location: loc, From: first, Days: weeks * 7,
		Hours: roster.SeedServiceHours(), Assignments: plan.Assignments})
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "wrote %d shifts to %s; R1 coverage of the whole roster leaves %v uncovered in %d gaps\n",
		bytes.Count(buf.Bytes(), []byte("BEGIN:VEVENT")), out, rep.Uncovered(), len(rep.Gaps()))
	return nil
}

func nextMonday(t time.Time) roster.Date {
	d := roster.DateOf(t, t.Location())
	for d.Weekday() != time.Monday {
		d = d.AddDays(1)
	}
	return d
}
