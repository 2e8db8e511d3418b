package deskcmd

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"flag"
	"fmt"
	"hash/crc32"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The README shows the first lines of the default run and a screenshot
// of its page; both are produced by this file's tests with -update:
//
//	go test ./examples/desk/deskcmd -run Docs -update
//
// Without -update the tests fail when either is stale.
var update = flag.Bool("update", false, "rewrite the README sample and docs/desk-report.png from the default run")

const (
	readme      = "../../../README.md"
	screenshot  = "../../../docs/desk-report.png"
	sampleBegin = "<!-- desk-report:begin (go test ./examples/desk/deskcmd -run Docs -update) -->\n"
	sampleEnd   = "<!-- desk-report:end -->\n"
	sampleLines = 40
	pngKey      = "desk-report-page-sha256"
)

func defaultSample(t *testing.T) string {
	lines := strings.SplitAfter(runArgs(t), "\n")
	return "```text\n" + strings.Join(lines[:sampleLines], "") + "...\n```\n"
}

// TestDocs_README_sample: the README's sample output is the first lines
// of what go run ./examples/desk prints now.
func TestDocs_README_sample(t *testing.T) {
	b, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	i, j := strings.Index(doc, sampleBegin), strings.Index(doc, sampleEnd)
	if i < 0 || j < i {
		t.Fatalf("README lacks the markers %q and %q", sampleBegin, sampleEnd)
	}
	want := defaultSample(t)
	got := doc[i+len(sampleBegin) : j]
	if got == want {
		return
	}
	if !*update {
		t.Fatalf("the README's sample output is stale; run go test ./examples/desk/deskcmd -run Docs -update\nREADME:\n%s\nnow:\n%s", got, want)
	}
	if err := os.WriteFile(readme, []byte(doc[:i+len(sampleBegin)]+want+doc[j:]), 0o644); err != nil {
		t.Fatal(err)
	}
}

// pageHash is the SHA-256 of the default run's page: the screenshot
// carries it, so a test without a browser knows whether it is stale.
func pageHash(t *testing.T) string {
	var page bytes.Buffer
	if err := WriteHTML(&page, decode(t, runArgs(t, "-format", "json"))); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(page.Bytes())
	return hex.EncodeToString(sum[:])
}

// TestDocs_screenshot: docs/desk-report.png is a screenshot of the
// default run's page as it is now (its tEXt chunk names the page's
// hash). With -update it is taken again in headless Chromium.
func TestDocs_screenshot(t *testing.T) {
	want := pageHash(t)
	b, err := os.ReadFile(screenshot)
	if err != nil {
		t.Fatal(err)
	}
	if got := pngText(b, pngKey); got == want {
		return
	} else if !*update {
		t.Fatalf("docs/desk-report.png shows page %.12s, the page now is %.12s; run go test ./examples/desk/deskcmd -run Docs -update", got, want)
	}
	bin := chromium(t)
	path := filepath.Join(t.TempDir(), "report.html")
	if err := writeHTML(path, decode(t, runArgs(t, "-format", "json"))); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(t.TempDir(), "shot.png")
	if out, err := exec.Command(bin, append(chromiumFlags(t, 1280, 1400), "--screenshot="+shot, "file://"+path)...).CombinedOutput(); err != nil {
		t.Fatalf("screenshot: %v\n%s", err, out)
	}
	png, err := os.ReadFile(shot)
	if err != nil {
		t.Fatal(err)
	}
	png, err = withText(png, pngKey, want)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(screenshot, png, 0o644); err != nil {
		t.Fatal(err)
	}
}

var pngMagic = []byte("\x89PNG\r\n\x1a\n")

// withText inserts a tEXt chunk after the PNG's IHDR chunk.
func withText(png []byte, key, value string) ([]byte, error) {
	if !bytes.HasPrefix(png, pngMagic) || len(png) < 33 || string(png[12:16]) != "IHDR" {
		return nil, fmt.Errorf("not a PNG")
	}
	data := append([]byte(key+"\x00"), value...)
	chunk := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	chunk = append(chunk, "tEXt"...)
	chunk = append(chunk, data...)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
	ihdrEnd := 8 + 12 + int(binary.BigEndian.Uint32(png[8:12]))
	return append(append(append([]byte{}, png[:ihdrEnd]...), chunk...), png[ihdrEnd:]...), nil
}

// pngText returns the value of a tEXt chunk of the PNG, or "".
func pngText(png []byte, key string) string {
	if !bytes.HasPrefix(png, pngMagic) {
		return ""
	}
	for i := 8; i+12 <= len(png); {
		n := int(binary.BigEndian.Uint32(png[i:]))
		if i+12+n > len(png) {
			return ""
		}
		typ, data := string(png[i+4:i+8]), png[i+8:i+8+n]
		if k, v, ok := bytes.Cut(data, []byte{0}); typ == "tEXt" && ok && string(k) == key {
			return string(v)
		}
		i += 12 + n
	}
	return ""
}

func TestPNGText(t *testing.T) {
	png, err := os.ReadFile(screenshot)
	if err != nil {
		t.Fatal(err)
	}
	marked, err := withText(png, "k", "v")
	if err != nil || pngText(marked, "k") != "v" || pngText(marked, "other") != "" {
		t.Fatalf("tEXt round trip: %v", err)
	}
}
