// Command modtool does what a release of this repository's modules
// needs, with golang.org/x/mod (the go command's own code for module
// files and zips). It is a module of its own so that the core does not
// depend on golang.org/x/mod.
//
//	modtool proxy -repo DIR -out PROXY [-version vX.Y.Z]
//	modtool release -repo DIR vX.Y.Z
//
// proxy builds a file-based module proxy from the working tree, so that
// a program outside the repository can `go get` the core and its
// adapters by version, as a consumer would, with nothing published
// (.ci/consumer):
//
//	GOPROXY=file://PROXY,https://proxy.golang.org GONOSUMDB=github.com/servicedesk-go/desk \
//		go get github.com/servicedesk-go/desk/store/postgres@v0.1.0
//
// Every module of the repository (each directory with a go.mod whose
// path is the core's path followed by the directory) is zipped with
// golang.org/x/mod/zip from the files git lists (tracked and untracked,
// not ignored) and served at the version the go.mod files require the
// project's modules at. It refuses a tree whose go.mod files carry a
// replace directive or require the project's modules at different
// versions: a consumer would not resolve those.
//
// release sets the version of a release in every go.mod in lockstep,
// points that version at the working tree in go.work, and prints the
// tags to push (.ci/release, RELEASING.md).
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	switch os.Args[1] {
	case "proxy":
		fs := flag.NewFlagSet("proxy", flag.ExitOnError)
		repo := fs.String("repo", ".", "root of the repository (the core module)")
		out := fs.String("out", "", "directory to write the proxy to (created)")
		version := fs.String("version", "", "version to serve; default: the one the go.mod files require")
		fs.Parse(os.Args[2:])
		if *out == "" {
			usage()
		}
		p, err := Build(*repo, *out, *version)
		if err != nil {
			fail(err)
		}
		for _, m := range p.Modules {
			fmt.Printf("%s@%s\t%d files\n", m.Path, p.Version, m.Files)
		}
	case "release":
		fs := flag.NewFlagSet("release", flag.ExitOnError)
		repo := fs.String("repo", ".", "root of the repository (the core module)")
		fs.Parse(os.Args[2:])
		if fs.NArg() != 1 {
			usage()
		}
		tags, err := SetVersion(*repo, fs.Arg(0))
		if err != nil {
			fail(err)
		}
		for _, t := range tags {
			fmt.Println(t)
		}
	default:
		usage()
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: modtool proxy -repo DIR -out PROXY [-version vX.Y.Z]\n       modtool release -repo DIR vX.Y.Z")
	os.Exit(2)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "modtool:", err)
	os.Exit(1)
}
