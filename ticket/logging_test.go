package ticket_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

// TestS1_personal_data_stays_out_of_logs logs a ticket, its customer and
// its events the ways a CRM would and checks that no personal value
// appears.
func TestS1_personal_data_stays_out_of_logs(t *testing.T) {
	d := newDesk(t, nil)
	tk := d.receive(agent, customerIntake())
	h, _ := d.svc.History(ctx, tk.ID)
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	log.Info("received", "ticket", tk, "customer", tk.Customer, "event", h[0])
	slog.New(slog.NewTextHandler(&buf, nil)).Info("received", "ticket", tk, "event", h[0])
	fmt.Fprintf(&buf, "%v %s %v %v", tk, tk, tk.Customer, h[0])
	out := buf.String()
	for _, secret := range []string{"王建国", "13912345678", "Block 7", "wang-1203"} {
		if strings.Contains(out, secret) {
			t.Fatalf("log output contains %q:\n%s", secret, out)
		}
	}
	if !strings.Contains(out, tk.ID.String()) || !strings.Contains(out, "crm-42") {
		t.Fatalf("log output does not identify the record:\n%s", out)
	}
}
