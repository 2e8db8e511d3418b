package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestSetVersion(t *testing.T) {
	dir := repo(t, map[string]string{
		"go.mod":               "module example.com/p\n\ngo 1.26\n\nrequire example.com/x v1.2.3\n",
		"store/a/go.mod":       "module example.com/p/store/a\n\ngo 1.26\n\nrequire (\n\texample.com/p v0.3.0\n\texample.com/x v1.2.3\n)\n",
		"app/go.mod":           "module example.com/p/app\n\ngo 1.26\n\nrequire (\n\texample.com/p v0.3.0\n\texample.com/p/store/a v0.3.0\n)\n",
		"internal/tool/go.mod": "module example.com/p/internal/tool\n\ngo 1.26\n",
		"go.work": "go 1.26.0\n\nuse (\n\t.\n\t./app\n\t./store/a\n)\n\n// the unreleased version is the tree\nreplace (\n" +
			"\texample.com/p v0.3.0 => ./\n\texample.com/p/store/a v0.3.0 => ./store/a\n\texample.com/x v1.2.3 => ../x\n)\n",
	})
	tags, err := SetVersion(dir, "v0.4.0")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"v0.4.0", "app/v0.4.0", "store/a/v0.4.0"}; !slices.Equal(sorted(tags), sorted(want)) {
		t.Fatalf("tags %q, want %q (no tag for internal/)", tags, want)
	}
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if got := read("app/go.mod"); !strings.Contains(got, "example.com/p v0.4.0") || !strings.Contains(got, "example.com/p/store/a v0.4.0") {
		t.Fatalf("app/go.mod:\n%s", got)
	}
	if got := read("store/a/go.mod"); !strings.Contains(got, "example.com/p v0.4.0") || !strings.Contains(got, "example.com/x v1.2.3") {
		t.Fatalf("store/a/go.mod (a third-party version must stay):\n%s", got)
	}
	work := read("go.work")
	for _, want := range []string{"// the unreleased version is the tree", "example.com/p v0.4.0 => ./", "example.com/p/store/a v0.4.0 => ./store/a", "example.com/x v1.2.3 => ../x"} {
		if !strings.Contains(work, want) {
			t.Fatalf("go.work lacks %q:\n%s", want, work)
		}
	}
	if strings.Contains(work, "v0.3.0") {
		t.Fatalf("go.work still names the old version:\n%s", work)
	}
	// The result is a tree the proxy builder accepts at that version.
	if _, err := Build(dir, t.TempDir(), "v0.4.0"); err != nil {
		t.Fatalf("Build after SetVersion: %v", err)
	}
	for _, bad := range []string{"0.4.0", "v0.4", "v2.0.0", "latest"} {
		if _, err := SetVersion(dir, bad); err == nil {
			t.Errorf("SetVersion(%q) succeeded", bad)
		}
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
