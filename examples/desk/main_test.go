package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestNoDatabaseDriver: the default command, what a first
// go run ./examples/desk compiles, imports no database driver and no
// package outside the core module, the standard library and this
// module's sim and deskcmd; the drivers are for examples/desk/dbrun.
func TestNoDatabaseDriver(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	allowed := []string{
		"github.com/servicedesk-go/desk/", "github.com/google/uuid", "github.com/looplab/fsm",
	}
	for _, d := range deps {
		ok := false
		for _, a := range allowed {
			ok = ok || strings.HasPrefix(d, a)
		}
		if !ok || strings.Contains(d, "/store/") || strings.HasSuffix(d, "/dbrun") {
			t.Errorf("go run ./examples/desk compiles %s", d)
		}
	}
	if len(deps) < 5 {
		t.Fatalf("go list found only %v", deps)
	}
}
