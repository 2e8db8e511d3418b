package deskcmd

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/servicedesk-go/desk/examples/desk/sim"
)

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open("../report.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("report.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("report.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

// TestJSON_schema: -format json validates against the schema in the
// repository for a property week, a dealer and a quiet run with empty
// lists; the schema rejects null lists, a missing key, an unknown key
// and a duration as a string.
func TestJSON_schema(t *testing.T) {
	sch := compileSchema(t)
	for _, args := range [][]string{{}, {"-dealer", "-days", "3"}, {"-days", "1", "-seed", "5"}} {
		out := runArgs(t, append(args, "-format", "json")...)
		doc, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(doc); err != nil {
			t.Fatalf("desk %v -format json: %v", args, err)
		}
		if r := decode(t, out); r.Schema != sim.Schema {
			t.Fatalf("schema %q", r.Schema)
		}
	}
	out := runArgs(t, "-days", "1", "-seed", "5", "-format", "json")
	for name, mutate := range map[string]func(m map[string]any){
		"null list":       func(m map[string]any) { m["overdue"] = nil },
		"missing key":     func(m map[string]any) { delete(m, "targets") },
		"unknown key":     func(m map[string]any) { m["Extra Key"] = 1 },
		"string duration": func(m map[string]any) { m["times"].([]any)[0].(map[string]any)["median_minutes"] = "3m0s" },
		"rate over 1":     func(m map[string]any) { m["reopened"].(map[string]any)["rate"] = 1.5 },
	} {
		var m map[string]any
		if err := json.Unmarshal([]byte(out), &m); err != nil {
			t.Fatal(err)
		}
		mutate(m)
		b, _ := json.Marshal(m)
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if sch.Validate(doc) == nil {
			t.Errorf("the schema accepts a report with a %s", name)
		}
	}
}
