package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/zip"
)

// Proxy is what Build wrote.
type Proxy struct {
	Dir     string   // the proxy's root, for GOPROXY=file://Dir
	Version string   // the version every module is served at
	Modules []Module // in path order
}

// Module is one module of the repository.
type Module struct {
	Path  string // module path
	Dir   string // relative to the repository root, "." for the core
	Files int    // files in its zip
}

// Build writes a module proxy for the repository at repo into out and
// returns what it served. version may be empty: it is then the version
// at which the nested modules require the core.
func Build(repo, out, version string) (*Proxy, error) {
	files, err := gitFiles(repo)
	if err != nil {
		return nil, err
	}
	mods, err := readModules(repo, files)
	if err != nil {
		return nil, err
	}
	required, err := lockstep(mods)
	if err != nil {
		return nil, err
	}
	switch {
	case version == "":
		version = required
	case required != "" && version != required:
		return nil, fmt.Errorf("the go.mod files require the project's modules at %s, not %s: run .ci/release %s first", required, version, version)
	}
	if version == "" {
		return nil, errors.New("no nested module requires the core: give -version")
	}
	if module.CanonicalVersion(version) != version {
		return nil, fmt.Errorf("version %q is not a canonical semantic version (vX.Y.Z)", version)
	}
	p := &Proxy{Dir: out, Version: version}
	for _, m := range mods {
		n, err := writeModule(repo, out, m, version, files)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", m.path, err)
		}
		p.Modules = append(p.Modules, Module{Path: m.path, Dir: m.dir, Files: n})
	}
	return p, nil
}

// gitFiles lists the repository's files as git sees them: tracked ones
// (with their working-tree contents) and untracked ones not ignored, so
// build output and installed packages never enter a zip. Files deleted
// but not yet committed are left out.
func gitFiles(repo string) ([]string, error) {
	cmd := exec.Command("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	cmd.Dir = repo
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	outb, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git ls-files in %s: %v: %s", repo, err, strings.TrimSpace(stderr.String()))
	}
	seen := map[string]bool{}
	var files []string
	for _, f := range strings.Split(string(outb), "\x00") {
		if f == "" || seen[f] {
			continue
		}
		seen[f] = true
		info, err := os.Lstat(filepath.Join(repo, filepath.FromSlash(f)))
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		files = append(files, f)
	}
	sort.Strings(files)
	return files, nil
}

type modInfo struct {
	path string
	dir  string // slash-separated, relative; "." for the root
	file *modfile.File
}

// readModules parses every go.mod that git lists and keeps the modules
// of the project: the root module and those whose path extends it.
func readModules(repo string, files []string) ([]modInfo, error) {
	var mods []modInfo
	var root string
	for _, f := range files {
		if path.Base(f) != "go.mod" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(repo, filepath.FromSlash(f)))
		if err != nil {
			return nil, err
		}
		mf, err := modfile.Parse(f, data, nil)
		if err != nil {
			return nil, err
		}
		if mf.Module == nil {
			return nil, fmt.Errorf("%s: no module line", f)
		}
		dir := path.Dir(f)
		if dir == "." {
			root = mf.Module.Mod.Path
		}
		mods = append(mods, modInfo{path: mf.Module.Mod.Path, dir: dir, file: mf})
	}
	if root == "" {
		return nil, fmt.Errorf("no go.mod at the root of %s", repo)
	}
	var kept []modInfo
	for _, m := range mods {
		if m.dir != "." && m.path != root+"/"+m.dir {
			return nil, fmt.Errorf("%s/go.mod: module %s, want %s/%s (a consumer finds a nested module by its directory)", m.dir, m.path, root, m.dir)
		}
		kept = append(kept, m)
	}
	sort.Slice(kept, func(i, j int) bool { return kept[i].path < kept[j].path })
	return kept, nil
}

// lockstep checks that no go.mod has a replace directive and that every
// requirement of one of the project's modules on another names the same
// version, and returns that version ("" if there is none).
func lockstep(mods []modInfo) (string, error) {
	ours := map[string]bool{}
	for _, m := range mods {
		ours[m.path] = true
	}
	var version, first string
	for _, m := range mods {
		if len(m.file.Replace) > 0 {
			r := m.file.Replace[0]
			return "", fmt.Errorf("%s/go.mod: replace %s => %s: consumers ignore replace directives, so the module must resolve without it", m.dir, r.Old.Path, r.New.Path)
		}
		for _, r := range m.file.Require {
			if !ours[r.Mod.Path] {
				continue
			}
			switch {
			case version == "":
				version, first = r.Mod.Version, m.path+" requires "+r.Mod.String()
			case r.Mod.Version != version:
				return "", fmt.Errorf("modules not in lockstep: %s, but %s requires %s (run .ci/release)", first, m.path, r.Mod)
			}
		}
	}
	return version, nil
}

// writeModule writes the .info, .mod and .zip of one module and adds
// the version to its list; it returns the number of files zipped.
func writeModule(repo, out string, m modInfo, version string, files []string) (int, error) {
	esc, err := module.EscapePath(m.path)
	if err != nil {
		return 0, err
	}
	dir := filepath.Join(out, filepath.FromSlash(esc), "@v")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	var zf []zip.File
	prefix := ""
	if m.dir != "." {
		prefix = m.dir + "/"
	}
	for _, f := range files {
		if !strings.HasPrefix(f, prefix) {
			continue
		}
		// Everything git lists goes in, go.work included, as in the zip
		// the go command makes from a tag: the hashes then agree.
		rel := strings.TrimPrefix(f, prefix)
		zf = append(zf, diskFile{rel: rel, abs: filepath.Join(repo, filepath.FromSlash(f))})
	}
	checked, err := zip.CheckFiles(zf)
	if err != nil {
		return 0, err
	}
	mv := module.Version{Path: m.path, Version: version}
	var buf bytes.Buffer
	if err := zip.Create(&buf, mv, zf); err != nil {
		return 0, err
	}
	if err := os.WriteFile(filepath.Join(dir, version+".zip"), buf.Bytes(), 0o644); err != nil {
		return 0, err
	}
	mod, err := os.ReadFile(filepath.Join(repo, filepath.FromSlash(prefix+"go.mod")))
	if err != nil {
		return 0, err
	}
	if err := os.WriteFile(filepath.Join(dir, version+".mod"), mod, 0o644); err != nil {
		return 0, err
	}
	info, err := json.Marshal(struct {
		Version string
		Time    time.Time
	}{version, time.Now().UTC().Truncate(time.Second)})
	if err != nil {
		return 0, err
	}
	if err := os.WriteFile(filepath.Join(dir, version+".info"), info, 0o644); err != nil {
		return 0, err
	}
	if err := appendList(filepath.Join(dir, "list"), version); err != nil {
		return 0, err
	}
	return len(checked.Valid), nil
}

func appendList(name, version string) error {
	old, err := os.ReadFile(name)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	for _, v := range strings.Fields(string(old)) {
		if v == version {
			return nil
		}
	}
	return os.WriteFile(name, append(old, version+"\n"...), 0o644)
}

// diskFile is a file of the working tree under its path in the module.
type diskFile struct{ rel, abs string }

func (f diskFile) Path() string                 { return f.rel }
func (f diskFile) Lstat() (os.FileInfo, error)  { return os.Lstat(f.abs) }
func (f diskFile) Open() (io.ReadCloser, error) { return os.Open(f.abs) }
