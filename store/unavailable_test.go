package store

import (
	"errors"
	"fmt"
	"io"
	"testing"
)

func TestUnavailable(t *testing.T) {
	if Unavailable(nil) != nil {
		t.Error("Unavailable(nil) is not nil")
	}
	err := Unavailable(io.ErrUnexpectedEOF)
	if !errors.Is(err, ErrUnavailable) || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("%v: errors.Is reaches ErrUnavailable %v, the driver's error %v", err,
			errors.Is(err, ErrUnavailable), errors.Is(err, io.ErrUnexpectedEOF))
	}
	wrapped := fmt.Errorf("sqlite: get: %w", err)
	if again := Unavailable(wrapped); again != wrapped {
		t.Errorf("an error already of the class was wrapped again: %v", again)
	}
	if errors.Is(errors.New("no such table"), ErrUnavailable) {
		t.Error("an unrelated error is of the class")
	}
}
