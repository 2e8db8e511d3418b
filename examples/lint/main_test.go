package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	clean := filepath.Join(dir, "clean.txt")
	dirty := filepath.Join(dir, "dirty.txt")
	if err := os.WriteFile(clean, []byte("很抱歉,经理暂时不在,需要给他留言吗?\n他暂时不在办公室,有什么事可以代劳呢?\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dirty, []byte("您好。\n经理还未来上班,不知道。\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		stdin  string
		status int
		out    []string // exact lines
		errSub string
	}{
		{"clean_stdin", nil, "对不起,我们暂时还没有开展此项服务。", 0, nil, ""},
		{"P2_stdin_dash", []string{"-"}, "我们不能退款。", 1, []string{`<stdin>:1:3: P2: refusal or rule explanation "不能" without an apology before it; apologise first, then explain`}, ""},
		{"P3_file", []string{dirty}, "", 1, []string{
			dirty + `:2:3: P3: absence wording "还未来上班"; say "他/她暂时不在办公室,有什么事可以代劳呢?" instead`,
			dirty + `:2:9: P3: irresponsible wording "不知道"; say "请您稍等片刻,我帮您查询一下。" instead`,
		}, ""},
		{"clean_file", []string{clean}, "", 0, nil, ""},
		{"scope_text", []string{"-scope", "text"}, "对不起。\n我们不能退款。", 0, nil, ""},
		{"scope_turn", []string{"-scope", "turn"}, "对不起。\n我们不能退款。", 1, []string{`<stdin>:2:3: P2: refusal or rule explanation "不能" without an apology before it; apologise first, then explain`}, ""},
		{"other_speaker", []string{"-other", "客户:"}, "客户:不知道\n坐席:随便", 1, []string{`<stdin>:2:4: P3: irresponsible wording "随便"; say "请您留下联系方式,我们会尽快给您回电。" instead`}, ""},
		{"document_quotes_only", []string{"-doc"}, "回访率须达到100%,不在服务范围的不受理。\n坐席不得回答“不知道”。", 1, []string{`<stdin>:2:8: P3: irresponsible wording "不知道"; say "请您稍等片刻,我帮您查询一下。" instead`}, ""},
		{"speech_same_text", nil, "回访率须达到100%,不在服务范围的不受理。", 1, []string{`<stdin>:1:19: P2: refusal or rule explanation "不受理" without an apology before it; apologise first, then explain`}, ""},
		{"missing_file", []string{clean, filepath.Join(dir, "nope.txt")}, "", 2, nil, "nope.txt"},
		{"missing_file_wins_over_findings", []string{dirty, filepath.Join(dir, "nope.txt")}, "", 2, nil, "nope.txt"},
		{"bad_flag", []string{"-x"}, "", 2, nil, "usage"},
		{"bad_scope", []string{"-scope", "para"}, "", 2, nil, "unknown -scope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			status := run(tt.args, strings.NewReader(tt.stdin), &out, &errb, os.Open)
			if status != tt.status {
				t.Fatalf("status %d, want %d; stdout %q stderr %q", status, tt.status, out.String(), errb.String())
			}
			var lines []string
			if s := strings.TrimSuffix(out.String(), "\n"); s != "" {
				lines = strings.Split(s, "\n")
			}
			if tt.out != nil || tt.status == 0 {
				if strings.Join(lines, "\n") != strings.Join(tt.out, "\n") {
					t.Fatalf("stdout:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(tt.out, "\n"))
				}
			}
			if !strings.Contains(errb.String(), tt.errSub) {
				t.Fatalf("stderr %q lacks %q", errb.String(), tt.errSub)
			}
		})
	}
}

// The built binary behaves like run: exit status and output format.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	bin := filepath.Join(t.TempDir(), "lint")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin)
	cmd.Stdin = strings.NewReader("随便")
	out, err := cmd.Output()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 1 {
		t.Fatalf("exit: %v", err)
	}
	if !strings.HasPrefix(string(out), "<stdin>:1:1: P3: ") {
		t.Fatalf("output %q", out)
	}
	cmd = exec.Command(bin)
	cmd.Stdin = strings.NewReader("谢谢您打电话来。")
	if err := cmd.Run(); err != nil {
		t.Fatalf("clean text: %v", err)
	}
}
