package main

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
)

// SetVersion makes every requirement of one of the repository's modules
// on another name version, and points that version of each required
// module at its directory in go.work, so the workspace builds before the
// release is tagged. It returns the tags to push: version for the core,
// dir/version for each nested module, modules under internal/ (tools)
// left out.
func SetVersion(repo, version string) ([]string, error) {
	if !semver.IsValid(version) || module.CanonicalVersion(version) != version {
		return nil, fmt.Errorf("version %q is not a canonical semantic version (vX.Y.Z)", version)
	}
	if m := semver.Major(version); m != "v0" && m != "v1" {
		return nil, fmt.Errorf("version %s needs the module paths to end in /%s first", version, m)
	}
	files, err := gitFiles(repo)
	if err != nil {
		return nil, err
	}
	mods, err := readModules(repo, files)
	if err != nil {
		return nil, err
	}
	dirOf := map[string]string{}
	for _, m := range mods {
		dirOf[m.path] = m.dir
	}
	required := map[string]bool{}
	for _, m := range mods {
		changed := false
		for _, r := range m.file.Require {
			if _, ours := dirOf[r.Mod.Path]; !ours {
				continue
			}
			required[r.Mod.Path] = true
			if r.Mod.Version != version {
				if err := m.file.AddRequire(r.Mod.Path, version); err != nil {
					return nil, err
				}
				changed = true
			}
		}
		if !changed {
			continue
		}
		m.file.Cleanup()
		data, err := m.file.Format()
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(repo, filepath.FromSlash(m.dir), "go.mod"), data, 0o644); err != nil {
			return nil, err
		}
	}
	if err := setWorkReplaces(repo, version, dirOf, required); err != nil {
		return nil, err
	}
	var tags []string
	for _, m := range mods {
		switch {
		case m.dir == ".":
			tags = append(tags, version)
		case m.dir == "internal" || strings.HasPrefix(m.dir, "internal/"):
		default:
			tags = append(tags, path.Join(m.dir, version))
		}
	}
	return tags, nil
}

// setWorkReplaces points version of every required module at its
// directory and drops the replacements of other versions.
func setWorkReplaces(repo, version string, dirOf map[string]string, required map[string]bool) error {
	name := filepath.Join(repo, "go.work")
	data, err := os.ReadFile(name)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	wf, err := modfile.ParseWork(name, data, nil)
	if err != nil {
		return err
	}
	var stale []module.Version
	have := map[string]bool{}
	for _, r := range wf.Replace {
		if _, ours := dirOf[r.Old.Path]; !ours {
			continue
		}
		if r.Old.Version == version && required[r.Old.Path] {
			have[r.Old.Path] = true
		} else {
			stale = append(stale, r.Old)
		}
	}
	// Add before dropping, so the block and its comment stay.
	for p := range required {
		if have[p] {
			continue
		}
		target := "./" + dirOf[p]
		if dirOf[p] == "." {
			target = "./"
		}
		if err := wf.AddReplace(p, version, target, ""); err != nil {
			return err
		}
	}
	for _, old := range stale {
		if err := wf.DropReplace(old.Path, old.Version); err != nil {
			return err
		}
	}
	wf.SortBlocks()
	wf.Cleanup()
	return os.WriteFile(name, modfile.Format(wf.Syntax), 0o644)
}
