package deskcmd

import (
	"bytes"
	_ "embed"
	"html/template"
	"io"
	"os"

	"github.com/servicedesk-go/desk/examples/desk/sim"
)

//go:embed report.html.tmpl
var pageTemplate string

var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"status": statusWord,
	"pct":    sim.Percent,
	"mins":   mins,
}).Parse(pageTemplate))

// writeHTML writes the report as a self-contained page: the charts are
// SVG drawn here in Go, with no script or network access needed.
func writeHTML(path string, r *sim.Report) error {
	var b bytes.Buffer
	if err := WriteHTML(&b, r); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

// WriteHTML writes the report as a page: the targets, the charts, the
// tables, and the text report.
func WriteHTML(w io.Writer, r *sim.Report) error {
	var text bytes.Buffer
	if err := WriteText(&text, r); err != nil {
		return err
	}
	return page.Execute(w, map[string]any{
		"R":      r,
		"Charts": charts(r),
		"Text":   text.String(),
	})
}
