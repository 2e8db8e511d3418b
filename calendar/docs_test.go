package calendar_test

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/servicedesk-go/desk/calendar"
)

// coveredYears writes years as the docs do: runs of consecutive years as
// "2004–2026", separated by ", ".
func coveredYears(years []int) string {
	var parts []string
	for i := 0; i < len(years); {
		j := i
		for j+1 < len(years) && years[j+1] == years[j]+1 {
			j++
		}
		if j == i {
			parts = append(parts, fmt.Sprint(years[i]))
		} else {
			parts = append(parts, fmt.Sprintf("%d–%d", years[i], years[j]))
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}

// TestCoveredYearsInDocs: every "covered years: ..." statement in the
// README, docs/rules.md and the package documentation says what
// China().Years() returns, so adding a year without the docs (or the
// docs without the data) fails.
func TestCoveredYearsInDocs(t *testing.T) {
	want := coveredYears(calendar.China().Years())
	if got := coveredYears([]int{2001, 2004, 2005, 2007}); got != "2001, 2004–2005, 2007" {
		t.Fatalf("coveredYears: %q", got)
	}
	statement := regexp.MustCompile(`covered(?:\s|//)+years:\s+([0-9][0-9–, ]*[0-9])`)
	for _, path := range []string{"../README.md", "../docs/rules.md", "doc.go", "china.go"} {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		found := statement.FindAllStringSubmatch(string(raw), -1)
		if len(found) == 0 {
			t.Errorf("%s states no covered years: write \"covered years: %s\"", path, want)
		}
		for _, m := range found {
			if strings.Join(strings.Fields(m[1]), " ") != want {
				t.Errorf("%s says %q, the schedule covers %s", path, m[0], want)
			}
		}
	}
}
