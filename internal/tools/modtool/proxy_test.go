package main

import (
	"archive/zip"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// repo makes a git repository from files (path -> content).
func repo(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("git", "init", "-q", dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("git init: %v: %s", err, out)
	}
	return dir
}

func zipNames(t *testing.T, name string) []string {
	t.Helper()
	r, err := zip.OpenReader(name)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var names []string
	for _, f := range r.File {
		names = append(names, f.Name)
	}
	slices.Sort(names)
	return names
}

func TestBuild(t *testing.T) {
	dir := repo(t, map[string]string{
		"go.mod":        "module example.com/p\n\ngo 1.26\n",
		"a.go":          "package p\n",
		".gitignore":    "*.bin\n",
		"build.bin":     "ignored",
		"go.work":       "go 1.26\n\nuse (\n\t.\n\t./sub\n)\n",
		"sub/go.mod":    "module example.com/p/sub\n\ngo 1.26\n\nrequire example.com/p v0.3.0\n",
		"sub/b.go":      "package sub\n\nimport _ \"example.com/p\"\n",
		"sub/x/c.go":    "package x\n",
		"other/go.mod":  "module example.com/p/other\n\ngo 1.26\n\nrequire example.com/p/sub v0.3.0\n",
		"other/main.go": "package main\n\nfunc main() {}\n",
	})
	out := t.TempDir()
	p, err := Build(dir, out, "")
	if err != nil {
		t.Fatal(err)
	}
	if p.Version != "v0.3.0" || len(p.Modules) != 3 {
		t.Fatalf("Build = %+v", p)
	}
	got := zipNames(t, filepath.Join(out, "example.com/p/@v/v0.3.0.zip"))
	want := []string{"example.com/p@v0.3.0/.gitignore", "example.com/p@v0.3.0/a.go", "example.com/p@v0.3.0/go.mod", "example.com/p@v0.3.0/go.work"}
	if !slices.Equal(got, want) {
		t.Fatalf("core zip holds %q, want %q (no nested module or ignored file)", got, want)
	}
	got = zipNames(t, filepath.Join(out, "example.com/p/sub/@v/v0.3.0.zip"))
	want = []string{"example.com/p/sub@v0.3.0/b.go", "example.com/p/sub@v0.3.0/go.mod", "example.com/p/sub@v0.3.0/x/c.go"}
	if !slices.Equal(got, want) {
		t.Fatalf("sub zip holds %q, want %q", got, want)
	}

	// The go command accepts what was written, offline and without the
	// checksum database.
	gocmd := exec.Command("go", "mod", "download", "-json", "example.com/p/sub@v0.3.0")
	gocmd.Dir = t.TempDir()
	gocmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-modcacherw", "GOMODCACHE="+t.TempDir(),
		"GOPROXY=file://"+filepath.ToSlash(out), "GONOSUMDB=example.com/p", "GONOPROXY=", "GOPRIVATE=")
	raw, err := gocmd.Output()
	if err != nil {
		t.Fatalf("go mod download: %v\n%s", err, raw)
	}
	var dl struct{ Dir, Sum, Error string }
	if err := json.Unmarshal(raw, &dl); err != nil || dl.Error != "" || !strings.HasPrefix(dl.Sum, "h1:") {
		t.Fatalf("go mod download: %s (%v)", raw, err)
	}
	if _, err := os.Stat(filepath.Join(dl.Dir, "x", "c.go")); err != nil {
		t.Fatalf("downloaded module lacks x/c.go: %v", err)
	}
}

func TestBuildRefuses(t *testing.T) {
	cases := []struct {
		name    string
		files   map[string]string
		version string
		want    string
	}{
		{"replace", map[string]string{
			"go.mod":     "module example.com/p\n\ngo 1.26\n",
			"sub/go.mod": "module example.com/p/sub\n\ngo 1.26\n\nrequire example.com/p v0.3.0\n\nreplace example.com/p => ../\n",
		}, "", "replace"},
		{"not_lockstep", map[string]string{
			"go.mod":     "module example.com/p\n\ngo 1.26\n",
			"a/go.mod":   "module example.com/p/a\n\ngo 1.26\n\nrequire example.com/p v0.3.0\n",
			"b/go.mod":   "module example.com/p/b\n\ngo 1.26\n\nrequire example.com/p v0.2.0\n",
			"b/main.go":  "package main\n",
			"a/main.go":  "package main\n",
			"README.txt": "x",
		}, "", "lockstep"},
		{"other_version", map[string]string{
			"go.mod":     "module example.com/p\n\ngo 1.26\n",
			"sub/go.mod": "module example.com/p/sub\n\ngo 1.26\n\nrequire example.com/p v0.3.0\n",
		}, "v0.4.0", "release"},
		{"wrong_path", map[string]string{
			"go.mod":     "module example.com/p\n\ngo 1.26\n",
			"sub/go.mod": "module example.com/q\n\ngo 1.26\n",
		}, "v0.1.0", "directory"},
		{"not_canonical", map[string]string{
			"go.mod": "module example.com/p\n\ngo 1.26\n",
		}, "v1", "canonical"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := t.TempDir()
			_, err := Build(repo(t, c.files), out, c.version)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Build: err = %v, want one mentioning %q", err, c.want)
			}
			if entries, _ := os.ReadDir(out); len(entries) != 0 {
				t.Fatalf("a refused tree left %d entries in the proxy", len(entries))
			}
		})
	}
}
