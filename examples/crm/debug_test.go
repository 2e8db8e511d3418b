package main

import (
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"testing"
)

// TestDebugHidesCommandLine: the profiler (-debug-addr) serves no
// command line, which holds the -store URL and with it the database
// password, to whoever reaches its port; the profiles are served.
func TestDebugHidesCommandLine(t *testing.T) {
	args := os.Args
	os.Args = []string{"crm", "-store", "postgres://crm:pg-s3cret@db.internal/crm"}
	defer func() { os.Args = args }()
	stop, addr := serveDebugAt(t)
	defer stop()
	get := func(path string) (int, string) {
		res, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	for _, path := range []string{"/debug/pprof/cmdline", "/debug/pprof/", "/debug/pprof/goroutine?debug=1"} {
		if _, body := get(path); strings.Contains(body, "pg-s3cret") {
			t.Errorf("%s shows the database password:\n%s", path, body)
		}
	}
	if code, _ := get("/debug/pprof/heap"); code != http.StatusOK {
		t.Errorf("/debug/pprof/heap: %d", code)
	}
}

// serveDebugAt starts serveDebug on a free loopback port.
func serveDebugAt(t *testing.T) (stop func(), addr string) {
	t.Helper()
	addr = freePort(t)
	stop, err := serveDebug(addr, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return stop, addr
}
