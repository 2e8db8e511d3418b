package deskcmd

import (
	"encoding/json"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func writeTestPage(t *testing.T, args ...string) string {
	t.Helper()
	r := decode(t, runArgs(t, append(args, "-format", "json")...))
	path := filepath.Join(t.TempDir(), "report.html")
	if err := writeHTML(path, r); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestHTMLPage checks the page without a browser: self-contained (no
// external URL, no script from elsewhere), four SVG charts with both
// axes and a legend each, the targets table.
func TestHTMLPage(t *testing.T) {
	b, err := os.ReadFile(writeTestPage(t, "-days", "3"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	if regexp.MustCompile(`(src|href)=["']?(https?:)?//`).MatchString(page) {
		t.Fatal("the page loads something from the network")
	}
	for _, id := range []string{"calls", "agents", "service", "followups"} {
		m := regexp.MustCompile(`(?s)<svg id="` + id + `".*?</svg>`).FindString(page)
		if m == "" {
			t.Fatalf("no chart %s", id)
		}
		for _, want := range []string{`class="axis axis-x"`, `class="axis axis-y"`, `class="unit"`, `class="legend-item"`, `class="tick-label"`} {
			if !strings.Contains(m, want) {
				t.Errorf("chart %s lacks %s", id, want)
			}
		}
	}
	if !strings.Contains(page, `<table id="targets">`) || strings.Contains(page, "<pre>\n") && !strings.Contains(page, "white-space: pre-wrap") {
		t.Error("page lacks the targets or lets the text run off the page")
	}
}

func TestNiceStep(t *testing.T) {
	for _, tc := range []struct{ rough, want float64 }{{0.3, 0.5}, {0.7, 1}, {1.2, 2}, {3, 5}, {7, 10}, {14, 20}, {0, 1}} {
		if got := niceStep(tc.rough); got != tc.want {
			t.Errorf("niceStep(%v) = %v, want %v", tc.rough, got, tc.want)
		}
	}
}

// chromium finds Debian's chromium, or skips; CI installs it and sets
// DESK_REQUIRE_CHROMIUM=1, so there it cannot skip.
func chromium(t *testing.T) string {
	t.Helper()
	bin := os.Getenv("CHROMIUM")
	if bin == "" {
		bin, _ = exec.LookPath("chromium")
	}
	if bin == "" {
		if os.Getenv("DESK_REQUIRE_CHROMIUM") == "1" {
			t.Fatal("chromium not found but DESK_REQUIRE_CHROMIUM=1")
		}
		t.Skip("chromium not installed (apt-get install chromium); the browser checks run in CI")
	}
	return bin
}

func chromiumFlags(t *testing.T, width, height int) []string {
	return []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
		"--user-data-dir=" + t.TempDir(), "--window-size=" + strconv.Itoa(width) + "," + strconv.Itoa(height)}
}

type pageCheck struct {
	Charts map[string]struct {
		Width, Height, XAxis, YAxis, YTicks, XTicks, Series, Bars int
		Units, Legend, TextOutside                                []string
	}
	Viewport, ScrollWidth int
	Overflowing           []string
}

// TestHTMLChartsInBrowser loads the page in headless Chromium 1280 px
// wide and reads what its check script measured: each chart has an x
// and a y axis with tick labels and a unit, a legend entry per series,
// no text outside the chart, and nothing on the page is wider than the
// window.
func TestHTMLChartsInBrowser(t *testing.T) {
	bin := chromium(t)
	for _, args := range [][]string{{}, {"-dealer", "-days", "30"}} {
		path := writeTestPage(t, args...)
		dom, err := exec.Command(bin, append(chromiumFlags(t, 1280, 2000), "--dump-dom", "file://"+path)...).Output()
		if err != nil {
			t.Fatalf("chromium --dump-dom: %v", err)
		}
		m := regexp.MustCompile(`data-check="([^"]*)"`).FindSubmatch(dom)
		if m == nil {
			t.Fatal("the page's check script did not run")
		}
		var c pageCheck
		if err := json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &c); err != nil {
			t.Fatalf("check %q: %v", m[1], err)
		}
		if c.Viewport != 1280 || c.ScrollWidth > c.Viewport || len(c.Overflowing) > 0 {
			t.Errorf("desk %v: page %d px wide in a %d px window; overflowing: %v", args, c.ScrollWidth, c.Viewport, c.Overflowing)
		}
		legends := map[string][]string{
			"calls":     {"phone calls per hour"},
			"agents":    {"agents staffed (fewest in the hour)", "agents needed (Erlang C)"},
			"service":   {"achieved", "Erlang C for the staff", "target"},
			"followups": {"window closes", "ended"},
		}
		for id, legend := range legends {
			ch, ok := c.Charts[id]
			if !ok {
				t.Fatalf("chart %s missing", id)
			}
			if ch.XAxis != 1 || ch.YAxis != 1 || ch.YTicks < 3 || ch.XTicks < 2 || len(ch.Units) != 2 ||
				!slices.Equal(ch.Legend, legend) || ch.Series != len(legend) || ch.Bars == 0 || len(ch.TextOutside) > 0 ||
				ch.Width < 500 || ch.Height < 200 {
				t.Errorf("desk %v chart %s: %+v", args, id, ch)
			}
		}
	}
}
