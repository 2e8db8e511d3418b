// Command desk simulates a service desk with the whole library at work:
// a generated a/b/c roster answers the phones, tickets run their
// lifecycle under the desk's deadlines, follow-up rules schedule the
// revisits and callbacks, the phrase linter checks what agents say and
// QA reviews a sample of calls. It prints the measures the regulations
// ask for.
//
//	go run ./examples/desk                       # a property desk, one week
//	go run ./examples/desk -dealer -days 30      # a car dealer's service desk
//	go run ./examples/desk -format json          # for machines
//	go run ./examples/desk -html report.html     # a page with charts
//	go run ./examples/desk -store sqlite:desk.db # kept in SQLite; run again to continue
//
// The run is deterministic: the same flags print the same report.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"time"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "desk:", err)
		os.Exit(2)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("desk", flag.ContinueOnError)
	fs.SetOutput(stderr)
	seed := fs.Uint64("seed", 1, "random seed; the same seed gives the same report")
	days := fs.Int("days", 7, "days to simulate")
	start := fs.String("start", "2026-03-02", "first day (YYYY-MM-DD, desk local time)")
	dealer := fs.Bool("dealer", false, "simulate a car dealer's service desk instead of a property desk")
	format := fs.String("format", "text", "report format: text or json")
	htmlOut := fs.String("html", "", "also write a self-contained HTML report with charts to this file")
	storeSpec := fs.String("store", "memory", "where the desk is kept: memory, sqlite:PATH (a later run continues it) or a postgres:// URL")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if *days < 1 || *days > 366 {
		return fmt.Errorf("-days %d: give 1 to 366", *days)
	}
	if *format != "text" && *format != "json" {
		return fmt.Errorf("-format %q: give text or json", *format)
	}
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		loc = time.FixedZone("CST", 8*3600)
	}
	day, err := time.ParseInLocation("2006-01-02", *start, loc)
	if err != nil {
		return fmt.Errorf("-start: %w", err)
	}
	ctx := context.Background()
	cfg := Config{Seed: *seed, Start: day, Days: *days, Dealer: *dealer, Progress: progress(stderr)}
	closeStore, err := openStore(ctx, *storeSpec, &cfg)
	if err != nil {
		return err
	}
	defer closeStore()
	sim, err := newSim(ctx, cfg)
	if err != nil {
		return err
	}
	if err := sim.Run(ctx); err != nil {
		return err
	}
	rep, err := sim.Report(ctx)
	if err != nil {
		return err
	}
	if *htmlOut != "" {
		if err := writeHTML(*htmlOut, rep); err != nil {
			return err
		}
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	rep.Print(stdout)
	return nil
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
