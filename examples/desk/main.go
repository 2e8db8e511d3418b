// Command desk simulates a service desk with the whole library at work:
// a generated a/b/c roster answers the phones, tickets run their
// lifecycle under the desk's deadlines, follow-up rules schedule the
// revisits and callbacks, the phrase linter checks what agents say and
// QA reviews a sample of calls. It prints the measures the regulations
// ask for, on the in-memory stores (examples/desk/dbrun runs the same on
// SQLite or PostgreSQL).
//
//	go run ./examples/desk                       # a property desk, one week
//	go run ./examples/desk -dealer -days 30      # a car dealer's service desk
//	go run ./examples/desk -format json          # for machines
//	go run ./examples/desk -html report.html     # a page with charts
//
// The run is deterministic: the same flags print the same report. The
// engine is package examples/desk/sim, which tests import.
package main

import (
	"os"

	"github.com/servicedesk-go/desk/examples/desk/deskcmd"
)

func main() {
	os.Exit(deskcmd.Main("desk", os.Args[1:], os.Stdout, os.Stderr, nil))
}
