// Package deskcmd is the desk command: its flags, and the report as
// text, JSON and an HTML page with charts. The command in examples/desk
// runs it on the in-memory stores; examples/desk/dbrun runs it on SQLite
// or PostgreSQL, and only that command compiles their drivers.
package deskcmd

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"
	_ "time/tzdata" // the desk's zone is embedded: the same report on every machine

	"github.com/servicedesk-go/desk/examples/desk/sim"
)

// Opener opens the stores a -store value names; close releases them.
type Opener func(ctx context.Context, spec string) (stores sim.Stores, close func() error, err error)

// Main runs the command with args and returns its exit status: 0, 1 for
// a failed run, 2 for bad flags. -h prints the usage and returns 0. open
// may be nil: then only -store memory is accepted.
func Main(name string, args []string, stdout, stderr io.Writer, open Opener) int {
	if err := run(name, args, stdout, stderr, open); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		var u usageError
		if errors.As(err, &u) {
			if u.msg != "" {
				fmt.Fprintf(stderr, "%s: %s\n", name, u.msg)
			}
			return 2
		}
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return 1
	}
	return 0
}

// usageError is bad command-line input; an empty message was printed
// already by the flag package.
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

func run(name string, args []string, stdout, stderr io.Writer, open Opener) error {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: %s [flags]\n\nSimulates a service desk and prints the measures of its regulations.\n\n", name)
		fs.PrintDefaults()
	}
	seed := fs.Uint64("seed", 1, "random seed; the same seed gives the same report")
	days := fs.Int("days", 7, "days to simulate (1 to 366)")
	start := fs.String("start", "2026-03-02", "first day, YYYY-MM-DD, desk local time")
	dealer := fs.Bool("dealer", false, "a car dealer's service desk instead of a property desk (as -preset dealer)")
	preset := fs.String("preset", "property", "the desk's presets: property, dealer or generic (a general support desk: e-mail and phone, priorities, SLA pauses, automatic escalation)")
	format := fs.String("format", "text", "report format: text or json")
	htmlOut := fs.String("html", "", "also write an HTML page with charts to this file")
	storeHelp := "where the desk is kept: memory (database stores: go run ./examples/desk/dbrun)"
	if open != nil {
		storeHelp = "where the desk is kept: memory, sqlite:PATH or a postgres:// URL; a stored desk is continued"
	}
	storeSpec := fs.String("store", "memory", storeHelp)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{} // the flag package printed the message and the usage
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected arguments %q", fs.Args())}
	}
	if *days < 1 || *days > 366 {
		return usageError{fmt.Sprintf("-days %d: give 1 to 366", *days)}
	}
	if *format != "text" && *format != "json" {
		return usageError{fmt.Sprintf("-format %q: give text or json", *format)}
	}
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		loc = time.FixedZone("CST", 8*3600)
	}
	day, err := time.ParseInLocation("2006-01-02", *start, loc)
	if err != nil {
		return usageError{fmt.Sprintf("-start %q: give a date as YYYY-MM-DD", *start)}
	}
	cfg := sim.Config{Seed: *seed, Start: day, Days: *days, Progress: progress(stderr)}
	switch *preset {
	case "property":
	case "dealer":
		cfg.Kind = sim.Dealer
	case "generic":
		cfg.Kind = sim.Generic
	default:
		return usageError{fmt.Sprintf("-preset %q: give property, dealer or generic", *preset)}
	}
	if *dealer {
		if cfg.Kind == sim.Generic {
			return usageError{"-dealer and -preset generic: give one"}
		}
		cfg.Kind = sim.Dealer
	}
	ctx := context.Background()
	if *storeSpec != "memory" && *storeSpec != "" {
		if open == nil {
			return usageError{fmt.Sprintf("-store %q: this command keeps the desk in memory; for SQLite or PostgreSQL run go run ./examples/desk/dbrun", *storeSpec)}
		}
		stores, closeStores, err := open(ctx, *storeSpec)
		if err != nil {
			return err
		}
		defer closeStores()
		cfg.Stores = stores
	}
	rep, err := sim.Run(ctx, cfg)
	if err != nil {
		return err
	}
	if *htmlOut != "" {
		if err := writeHTML(*htmlOut, rep); err != nil {
			return err
		}
	}
	if *format == "json" {
		return WriteJSON(stdout, rep)
	}
	return WriteText(stdout, rep)
}

// WriteJSON writes the report as indented JSON (schema sim.Schema).
func WriteJSON(w io.Writer, r *sim.Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// progress returns a progress indicator for long runs, shown only when
// stderr is a terminal.
func progress(stderr io.Writer) func(day, days int) {
	f, ok := stderr.(*os.File)
	if !ok {
		return nil
	}
	if st, err := f.Stat(); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return func(day, days int) {
		fmt.Fprintf(f, "\rsimulating day %d of %d", day, days)
		if day == days {
			fmt.Fprint(f, "\r\033[K")
		}
	}
}
