package sqlstore

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestParseMigrationsMigrations(t *testing.T) {
	good := fstest.MapFS{
		"002_b.up.sql": {Data: []byte("B up")}, "002_b.down.sql": {Data: []byte("B down")},
		"001_a.up.sql": {Data: []byte("A up")}, "001_a.down.sql": {Data: []byte("A down")},
		"README": {Data: []byte("ignored")},
	}
	ms, err := ParseMigrations(good)
	if err != nil || len(ms) != 2 || ms[0].Name != "a" || ms[1].Up != "B up" || ms[1].Down != "B down" {
		t.Fatalf("Parse = %+v, %v", ms, err)
	}
	bad := map[string]fstest.MapFS{
		"no down":   {"001_a.up.sql": {Data: []byte("x")}},
		"gap":       {"001_a.up.sql": {}, "001_a.down.sql": {}, "003_c.up.sql": {Data: []byte("x")}, "003_c.down.sql": {Data: []byte("y")}},
		"bad name":  {"first.up.sql": {Data: []byte("x")}},
		"version 0": {"000_a.up.sql": {Data: []byte("x")}, "000_a.down.sql": {Data: []byte("y")}},
	}
	for name, fsys := range bad {
		if _, err := ParseMigrations(fsys); err == nil || !strings.Contains(err.Error(), "migration") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}
