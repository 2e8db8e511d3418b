package main

import (
	_ "embed"
	"encoding/json"
	"html/template"
	"io"
	"os"
)

//go:embed report.html.tmpl
var pageTemplate string

var page = template.Must(template.New("report").Parse(pageTemplate))

// writeHTML writes the report as a self-contained page: the charts are
// drawn by a script in the page from data in the page, with no network
// access.
func writeHTML(path string, r *Report) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := renderHTML(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func renderHTML(w io.Writer, r *Report) error {
	data, err := json.Marshal(struct {
		Staffing  []HourRow      `json:"staffing"`
		Followups []DayFollowups `json:"followups"`
	}{r.Staffing, r.FollowupsByDay})
	if err != nil {
		return err
	}
	var text stringsBuilder
	r.Print(&text)
	return page.Execute(w, map[string]any{
		"R":    r,
		"Data": template.JS(data),
		"Text": text.String(),
	})
}

// stringsBuilder is a strings.Builder that is an io.Writer by pointer.
type stringsBuilder struct{ b []byte }

func (s *stringsBuilder) Write(p []byte) (int, error) { s.b = append(s.b, p...); return len(p), nil }
func (s *stringsBuilder) String() string              { return string(s.b) }
