package outcome

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/servicedesk-go/desk/observe"
)

func TestOf(t *testing.T) {
	errA, errB := errors.New("a"), errors.New("b")
	classes := []Class{{Err: errA, Name: "a"}, {Err: errB, Name: "b"}}
	for _, c := range []struct {
		err  error
		want string
	}{
		{nil, observe.OK},
		{fmt.Errorf("wrapped: %w", errB), "b"},
		{errors.Join(errB, errA), "a"}, // the table's order decides, not the error's
		{fmt.Errorf("%w and %w", errA, context.Canceled), "a"},
		{context.DeadlineExceeded, observe.Canceled},
		{errors.New("disk full"), observe.Failed},
	} {
		if got := Of(c.err, classes); got != c.want {
			t.Errorf("Of(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}
