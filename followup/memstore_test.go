package followup_test

import (
	"testing"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/followup/followuptest"
)

func TestMemStore(t *testing.T) {
	followuptest.RunStoreTests(t, func(*testing.T) followup.Store { return followup.NewMemStore() })
}
