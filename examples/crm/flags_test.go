package main

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/servicedesk-go/desk/webhook"
)

// TestParseFlags: a flag value the service cannot honour is refused at
// start, naming the flag, rather than taken as something else (a
// negative interval as "off", a pool of -3 connections as pgx's
// default, a word after the flags as nothing at all).
func TestParseFlags(t *testing.T) {
	if _, err := parseFlags(nil); err != nil {
		t.Fatalf("the defaults: %v", err)
	}
	if _, err := parseFlags([]string{"-sync-every", "0", "-lease-every", "0", "-escalate-every", "0", "-db-conns", "1"}); err != nil {
		t.Errorf("0 switches a runner off, one connection is a pool: %v", err)
	}
	for _, c := range []struct {
		args []string
		name string // what the message names
	}{
		{[]string{"-sync-every", "-1s"}, "-sync-every"},
		{[]string{"-lease-every", "-30s"}, "-lease-every"},
		{[]string{"-escalate-every", "-1m"}, "-escalate-every"},
		{[]string{"-shutdown-timeout", "-5s"}, "-shutdown-timeout"},
		{[]string{"-shutdown-timeout", "0"}, "-shutdown-timeout"},
		{[]string{"-db-conns", "0"}, "-db-conns"},
		{[]string{"-db-conns", "-3"}, "-db-conns"},
		{[]string{"-store", "memory", "migrate"}, `"migrate"`},
		{[]string{"-desks", "north", "south"}, `"south"`},
		{[]string{"-addr", ""}, "-addr"},
	} {
		t.Run(strings.Join(c.args, "_"), func(t *testing.T) {
			var out bytes.Buffer
			_, err := parseFlagsTo(&out, c.args)
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), c.name) || !strings.Contains(out.String(), c.name) {
				t.Errorf("error %q, printed %q: neither names %s", err, out.String(), c.name)
			}
		})
	}
}

// TestRunRefusesWebhookURL: a -webhook-url the sender cannot post to
// (no scheme, another scheme) stops the service at start; it used to
// serve with delivery off and one line in the log, the events piling
// up in the outbox.
func TestRunRefusesWebhookURL(t *testing.T) {
	t.Setenv("CRM_TEST_WEBHOOK_SECRET", webhook.NewSecret())
	for _, u := range []string{"localhost:9000/hooks", "ftp://hooks.example/in", "https://"} {
		t.Run(u, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			o := options{addr: "127.0.0.1:0", desks: "north", tz: "Asia/Shanghai", insecureDevHeaders: true,
				webhookURL: u, webhookSecretEnv: "CRM_TEST_WEBHOOK_SECRET"}
			served := make(chan struct{}, 1)
			err := run(ctx, o, slog.New(slog.DiscardHandler), func(string) { served <- struct{}{}; cancel() })
			select {
			case <-served:
				t.Fatalf("served with -webhook-url %q (run returned %v)", u, err)
			default:
			}
			if err == nil || !strings.Contains(err.Error(), "webhook-url") {
				t.Errorf("error %v does not name -webhook-url", err)
			}
		})
	}
}
