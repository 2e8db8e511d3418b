package rostertest_test

import (
	"testing"

	"github.com/servicedesk-go/desk/roster"
	"github.com/servicedesk-go/desk/roster/rostertest"
)

func TestMemStore(t *testing.T) {
	rostertest.RunStoreTests(t, func(t *testing.T) roster.Store { return roster.NewMemStore() })
}
