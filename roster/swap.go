package roster

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"
)

// SwapStatus is where a swap request stands.
type SwapStatus uint8

const (
	// SwapRequested: asked by the rostered agent, no consent yet. The
	// original assignment stands.
	SwapRequested SwapStatus = iota
	// SwapConsented: the colleague consented with evidence. In force at
	// once unless the policy requires the lead's approval.
	SwapConsented
	// SwapApproved: consented and approved by the lead; in force.
	SwapApproved
	// SwapDeclined: refused by the colleague or the lead, or withdrawn by
	// the requester, before it came into force.
	SwapDeclined
)

func (s SwapStatus) String() string {
	switch s {
	case SwapRequested:
		return "requested"
	case SwapConsented:
		return "consented"
	case SwapApproved:
		return "approved"
	case SwapDeclined:
		return "declined"
	}
	return fmt.Sprintf("SwapStatus(%d)", uint8(s))
}

// Evidence is the proof both sides agreed (R4: "需提供双方达成一致依据证明"),
// for example Kind "chat message" and Ref the message link or a scan's
// file name. Both are required.
type Evidence struct {
	Kind string
	Ref  string
}

func (e Evidence) empty() bool {
	return strings.TrimSpace(e.Kind) == "" || strings.TrimSpace(e.Ref) == ""
}

// Swap hands one assignment from the rostered agent (From) to a colleague
// (To). An exchange of two shifts is two swaps. SlotStart copies the
// assignment's start so a store can query swaps by time. Version is kept
// by the Store.
type Swap struct {
	ID            uuid.UUID
	Desk          string
	Assignment    uuid.UUID
	SlotStart     time.Time
	From, To      string
	Reason        string
	RequestedAt   time.Time
	NeedsApproval bool // the policy in force when it was requested
	Status        SwapStatus
	ConsentAt     time.Time
	Evidence      Evidence
	ApprovedBy    string
	ApprovedAt    time.Time
	DeclinedBy    string
	DeclinedAt    time.Time
	Version       int64
}

// InForce reports whether the swap had moved the assignment to To at
// instant t: consent recorded by t and, when approval is needed, approval
// recorded by t.
func (s Swap) InForce(t time.Time) bool {
	from, ok := s.inForceFrom()
	return ok && !from.After(t)
}

// inForceFrom is the instant the swap came into force; ok is false if it
// never did.
func (s Swap) inForceFrom() (time.Time, bool) {
	switch {
	case s.Status == SwapApproved:
		return s.ApprovedAt, true
	case s.Status == SwapConsented && !s.NeedsApproval:
		return s.ConsentAt, true
	}
	return time.Time{}, false
}

// Validate checks the record before it is stored.
func (s Swap) Validate() error {
	switch {
	case s.ID == uuid.Nil:
		return invalid("swap.id", "nil uuid")
	case s.Desk == "":
		return invalid("swap.desk", "empty desk for swap %s", s.ID)
	case s.Assignment == uuid.Nil:
		return invalid("swap.assignment", "nil assignment for swap %s", s.ID)
	case s.From == "" || s.To == "":
		return invalid("swap.agents", "swap %s needs both agents", s.ID)
	case s.From == s.To:
		return invalid("swap.to", "swap %s hands a shift to its own holder %q", s.ID, s.From)
	case s.Status > SwapDeclined:
		return invalid("swap.status", "unknown status %d for swap %s", s.Status, s.ID)
	case s.Status >= SwapConsented && s.Status != SwapDeclined && s.Evidence.empty():
		return invalid("swap.evidence", "swap %s is consented without evidence", s.ID)
	}
	return storeBounds.swap(&s)
}

// Apply returns a copy of the assignments with every swap in force at
// asOf applied (in the order the swaps came into force; a swap counts
// only if its From is the holder at that point, so chains work and stale
// swaps do nothing). Order is preserved.
func Apply(as []Assignment, swaps []Swap, asOf time.Time) []Assignment {
	out := make([]Assignment, len(as))
	copy(out, as)
	if len(swaps) == 0 {
		return out
	}
	byID := make(map[uuid.UUID]int, len(out))
	for i := range out {
		byID[out[i].ID] = i
	}
	for _, s := range inForceOrder(swaps, asOf) {
		if i, ok := byID[s.Assignment]; ok && out[i].Agent == s.From {
			out[i].Agent = s.To
		}
	}
	return out
}

func inForceOrder(swaps []Swap, asOf time.Time) []Swap {
	var live []Swap
	for _, s := range swaps {
		if s.InForce(asOf) {
			live = append(live, s)
		}
	}
	sort.SliceStable(live, func(i, j int) bool {
		a, _ := live[i].inForceFrom()
		b, _ := live[j].inForceFrom()
		return a.Before(b)
	})
	return live
}

// LiabilityBasis says why a person is liable for a slot (R4).
type LiabilityBasis uint8

const (
	// Rostered: no swap touches the slot; the rostered person answers for it.
	Rostered LiabilityBasis = iota
	// AgreedWithProof: a swap with recorded consent and evidence is in
	// force; the person who should be at the post under it (应上岗人员,
	// the replacement) is liable.
	AgreedWithProof
	// NoProof: a swap was asked for but no proof of agreement is recorded
	// (or it was declined). Whoever cannot show the proof is liable; the
	// requester arranged the swap and cannot show it, and is still
	// rostered, so they are liable. The same holds when nobody can show
	// proof: an unproven arrangement changes nothing.
	NoProof
	// AwaitingApproval: proof is recorded but the lead has not approved
	// under a policy that requires it; the original assignment stands and
	// its holder stays liable.
	AwaitingApproval
)

func (b LiabilityBasis) String() string {
	switch b {
	case Rostered:
		return "rostered"
	case AgreedWithProof:
		return "agreed swap with proof"
	case NoProof:
		return "no proof of agreement"
	case AwaitingApproval:
		return "awaiting approval"
	}
	return fmt.Sprintf("LiabilityBasis(%d)", uint8(b))
}

// Liability names who answers for an assignment at a moment, and why.
type Liability struct {
	Assignment uuid.UUID
	Agent      string
	Basis      LiabilityBasis
	Swap       uuid.UUID // the swap that decided it, or uuid.Nil
}

// Liable applies R4 to one assignment at instant t given every swap on
// the desk (swaps on other assignments are ignored).
func Liable(a Assignment, swaps []Swap, t time.Time) Liability {
	var mine []Swap
	for _, s := range swaps {
		if s.Assignment == a.ID && !s.RequestedAt.After(t) {
			mine = append(mine, s)
		}
	}
	holder := a.Agent
	l := Liability{Assignment: a.ID, Agent: holder, Basis: Rostered}
	for _, s := range inForceOrder(mine, t) {
		if s.From == holder {
			holder = s.To
			l = Liability{Assignment: a.ID, Agent: holder, Basis: AgreedWithProof, Swap: s.ID}
		}
	}
	// A later unproven request by the current holder does not move the
	// slot, but it is the record that explains why the holder is liable.
	for _, s := range mine {
		if s.From != holder || s.InForce(t) {
			continue
		}
		basis := NoProof
		consented := !s.ConsentAt.IsZero() && !s.ConsentAt.After(t)
		stillOpen := s.DeclinedAt.IsZero() || s.DeclinedAt.After(t)
		if s.NeedsApproval && consented && stillOpen {
			basis = AwaitingApproval
		}
		l = Liability{Assignment: a.ID, Agent: holder, Basis: basis, Swap: s.ID}
	}
	return l
}
