package deskcmd

import (
	"bytes"
	"encoding/json"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func decodeReport(t *testing.T, out string) *Report {
	t.Helper()
	var r Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("json output does not parse: %v", err)
	}
	return &r
}

func TestJSONFormat(t *testing.T) {
	r := decodeReport(t, runReport(t, "-days", "2", "-format", "json"))
	if r.Total == 0 || len(r.Staffing) != 24 || len(r.FollowupsByDay) == 0 || r.Dispatch.Of == 0 {
		t.Fatalf("json report lacks figures: %d tickets, %d hours, %d follow-up days", r.Total, len(r.Staffing), len(r.FollowupsByDay))
	}
}

func TestDealerDesk(t *testing.T) {
	out := runReport(t, "-dealer", "-days", "3")
	if !strings.Contains(out, "Dealer desk north-motors") || strings.Contains(out, "Refused actions") {
		t.Fatalf("dealer run:\n%s", out)
	}
}

func writeTestPage(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "report.html")
	var stdout, stderr bytes.Buffer
	if err := run([]string{"-days", "3", "-html", path}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestHTMLPage checks the page without a browser: self-contained (no
// external URL), with the data of both charts.
func TestHTMLPage(t *testing.T) {
	b, err := os.ReadFile(writeTestPage(t))
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	if regexp.MustCompile(`(src|href)=["']?(https?:)?//`).MatchString(page) {
		t.Fatal("the page loads something from the network")
	}
	for _, want := range []string{`id="load"`, `id="followups"`, `"staffing":[`, `"followups":[`, "Tickets by kind and state"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// TestHTMLChartsInBrowser loads the page in headless Chromium and checks
// that each chart drew one bar per data point, with a size, and saves a
// screenshot. It needs Debian's chromium; CI installs it and sets
// DESK_REQUIRE_CHROMIUM=1, so there it cannot skip.
func TestHTMLChartsInBrowser(t *testing.T) {
	bin := os.Getenv("CHROMIUM")
	if bin == "" {
		bin, _ = exec.LookPath("chromium")
	}
	if bin == "" {
		if os.Getenv("DESK_REQUIRE_CHROMIUM") == "1" {
			t.Fatal("chromium not found but DESK_REQUIRE_CHROMIUM=1")
		}
		t.Skip("chromium not installed (apt-get install chromium); the chart check runs in CI")
	}
	path := writeTestPage(t)
	flags := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir(), "--window-size=1000,1600"}
	dom, err := exec.Command(bin, append(flags, "--dump-dom", "file://"+path)...).Output()
	if err != nil {
		t.Fatalf("chromium --dump-dom: %v", err)
	}
	m := regexp.MustCompile(`data-chartcheck="([^"]*)"`).FindSubmatch(dom)
	if m == nil {
		t.Fatal("the page's script did not run: no chart check in the DOM")
	}
	var check map[string]struct {
		Bars, Expected, Width, Height, Nonzero, Values int
	}
	if err := json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &check); err != nil {
		t.Fatalf("chart check %q: %v", m[1], err)
	}
	for _, id := range []string{"load", "followups"} {
		c, ok := check[id]
		if !ok {
			t.Fatalf("chart %s missing from the check", id)
		}
		if c.Bars == 0 || c.Bars != c.Expected || c.Width < 300 || c.Height < 100 || c.Nonzero != c.Values || c.Values == 0 {
			t.Errorf("chart %s: %+v", id, c)
		}
	}
	shot := filepath.Join(os.Getenv("DESK_SCREENSHOT_DIR"), "desk-report.png")
	if os.Getenv("DESK_SCREENSHOT_DIR") == "" {
		shot = filepath.Join(t.TempDir(), "desk-report.png")
	}
	if out, err := exec.Command(bin, append(flags, "--screenshot="+shot, "file://"+path)...).CombinedOutput(); err != nil {
		t.Fatalf("screenshot: %v\n%s", err, out)
	}
	if st, err := os.Stat(shot); err != nil || st.Size() < 10_000 {
		t.Fatalf("screenshot %s: %v", shot, err)
	}
	t.Logf("screenshot: %s", shot)
}

// TestK5_daily_weekly_monthly_counts: the desk's daily and weekly counts
// by kind and the monthly summary add up to the tickets received, and a
// run across a month end gets a row per month.
func TestK5_daily_weekly_monthly_counts(t *testing.T) {
	r := decodeReport(t, runReport(t, "-days", "4", "-start", "2026-03-30", "-format", "json"))
	sum := func(rows []DayRow) (n int) {
		for _, d := range rows {
			byKind := 0
			for _, c := range d.ByKind {
				byKind += c
			}
			if byKind != d.Total {
				t.Fatalf("%s: kinds add up to %d, total %d", d.Period, byKind, d.Total)
			}
			n += d.Total
		}
		return n
	}
	if len(r.Daily) != 4 || sum(r.Daily) != r.Total || sum(r.Weekly) != r.Total {
		t.Fatalf("%d days adding up to %d, weeks to %d; %d tickets", len(r.Daily), sum(r.Daily), sum(r.Weekly), r.Total)
	}
	months := 0
	for _, m := range r.Monthly {
		months += m.Tickets
	}
	if len(r.Monthly) != 2 || r.Monthly[0].Month != "2026-03" || r.Monthly[1].Month != "2026-04" || months != r.Total {
		t.Fatalf("monthly rows %+v for %d tickets", r.Monthly, r.Total)
	}
}
