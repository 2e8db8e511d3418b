package ticket

import (
	"context"

	"github.com/looplab/fsm"
)

// State is a stage of the ticket lifecycle.
type State string

// The lifecycle states. Escalation (T6) is a level on the ticket, not a
// state; an incomplete intake (T2) is a flag, not a state.
const (
	Received   State = "received"   // recorded, waiting to be dispatched (T2, T5)
	Dispatched State = "dispatched" // routed to an assignee or department (T4)
	Resolved   State = "resolved"   // a solution is obtained and signed off (T9, T7a clock starts)
	Answered   State = "answered"   // the customer has been told (T7a); they accept or reject (T8)
	Revisit    State = "revisit"    // accepted, waiting for the revisit outcome (F rules, T13)
	Reopened   State = "reopened"   // back to work: rejected (T8), failed revisit (T13), reopened
	Closed     State = "closed"     // done
	Cancelled  State = "cancelled"  // ended without a solution: out of scope (T11), withdrawn
)

// States lists every state in lifecycle order.
func States() []State {
	return []State{Received, Dispatched, Resolved, Answered, Revisit, Reopened, Closed, Cancelled}
}

// Terminal reports whether no lifecycle action leads out of s except a
// reopen.
func (s State) Terminal() bool { return s == Closed || s == Cancelled }

// Action names something done to a ticket. Every action is recorded as
// an Event in the ticket's history (T14). Lifecycle actions move the
// state; the others change fields and keep it.
type Action string

// Lifecycle actions: they move the ticket through the state machine.
const (
	ActDispatch      Action = "dispatch"        // T4; from reopened with a written notice it is the T13 rework notice
	ActResolve       Action = "resolve"         // T9
	ActResolveOnSpot Action = "resolve_on_spot" // T3: resolved and answered at once
	ActAnswer        Action = "answer"          // T7a
	ActAccept        Action = "accept"          // T8, no revisit outstanding
	ActAwaitRevisit  Action = "await_revisit"   // T8 accepted while a revisit is outstanding
	ActReject        Action = "reject"          // T8
	ActRevisitPass   Action = "revisit_pass"    // revisit outcome recorded, no problem
	ActRevisitFail   Action = "revisit_fail"    // T13 revisit found a problem
	ActReopen        Action = "reopen"          // rework of a closed ticket
	ActCancel        Action = "cancel"          // T11
)

// Actions that keep the state.
const (
	ActReceive        Action = "receive"         // T2 intake; the first event of every ticket
	ActTake           Action = "take"            // T19 first agent takes an unowned arrival
	ActRefer          Action = "refer"           // T18 referral at reception moves ownership
	ActHandover       Action = "handover"        // T15 handover before leave moves ownership
	ActComplete       Action = "complete"        // T2 missing intake fields supplied
	ActReassign       Action = "reassign"        // T4 another assignee or department
	ActEscalate       Action = "escalate"        // T6
	ActClassify       Action = "classify"        // T16 complaint class and severity
	ActPromise        Action = "promise"         // T7b reply time agreed
	ActProgress       Action = "progress"        // T7b missed reply: progress, apology, new time
	ActReschedule     Action = "reschedule"      // T12 missed appointment
	ActRequireRevisit Action = "require_revisit" // a revisit is planned; close waits for its outcome
	ActLink           Action = "link"            // T17 a linked case was opened
	ActNote           Action = "note"            // free note
	ActSetAttrs       Action = "set_attrs"       // custom attributes changed
	ActAttach         Action = "attach"          // an attachment added
	ActErase          Action = "erase"           // S1 personal data erased
	ActImport         Action = "import"          // brought in from another system
	ActPrioritize     Action = "prioritize"      // priority changed
	ActTag            Action = "tag"             // tags added or removed
	ActDescribe       Action = "describe"        // subject or description changed
	ActRespond        Action = "respond"         // a reply to the customer: meets the first-response SLA
	ActWait           Action = "wait"            // waiting for the customer: Policy.Pause clocks stop
	ActResume         Action = "resume"          // the customer answered: paused clocks run again
)

// lifecycle is the one declaration of the state machine. The service
// reads its transition table from a machine built from it, and Diagram
// draws it, so the picture in the README cannot drift from the code.
var lifecycle = fsm.Events{
	{Name: string(ActDispatch), Src: []string{string(Received), string(Reopened)}, Dst: string(Dispatched)},
	{Name: string(ActResolve), Src: []string{string(Dispatched)}, Dst: string(Resolved)},
	{Name: string(ActResolveOnSpot), Src: []string{string(Received)}, Dst: string(Answered)},
	{Name: string(ActAnswer), Src: []string{string(Resolved)}, Dst: string(Answered)},
	{Name: string(ActAccept), Src: []string{string(Answered)}, Dst: string(Closed)},
	{Name: string(ActAwaitRevisit), Src: []string{string(Answered)}, Dst: string(Revisit)},
	{Name: string(ActReject), Src: []string{string(Answered)}, Dst: string(Reopened)},
	{Name: string(ActRevisitPass), Src: []string{string(Revisit)}, Dst: string(Closed)},
	{Name: string(ActRevisitFail), Src: []string{string(Revisit)}, Dst: string(Reopened)},
	{Name: string(ActReopen), Src: []string{string(Closed)}, Dst: string(Reopened)},
	{Name: string(ActCancel), Src: []string{string(Received), string(Dispatched), string(Reopened)}, Dst: string(Cancelled)},
}

func newMachine() *fsm.FSM {
	return fsm.NewFSM(string(Received), lifecycle, nil)
}

// transitions is the lifecycle as a table: for each state, the state
// each legal action leads to. It is read once from a state machine built
// from the declaration (every declared action tried from every declared
// state), so looplab/fsm decides what is legal; a transition then costs a
// lookup instead of a machine run, which allocated a context and event
// per call.
var transitions = func() map[State]map[Action]State {
	states := map[string]bool{}
	for _, e := range lifecycle {
		states[e.Dst] = true
		for _, src := range e.Src {
			states[src] = true
		}
	}
	m := newMachine()
	table := make(map[State]map[Action]State, len(states))
	for s := range states {
		for _, e := range lifecycle {
			m.SetState(s)
			if err := m.Event(context.Background(), e.Name); err != nil {
				continue
			}
			if table[State(s)] == nil {
				table[State(s)] = map[Action]State{}
			}
			table[State(s)][Action(e.Name)] = State(m.Current())
		}
	}
	return table
}()

// lifecycleActions is the set of actions declared in lifecycle.
var lifecycleActions = func() map[Action]bool {
	m := make(map[Action]bool, len(lifecycle))
	for _, e := range lifecycle {
		m[Action(e.Name)] = true
	}
	return m
}()

// IsLifecycle reports whether a moves the ticket's state.
func (a Action) IsLifecycle() bool { return lifecycleActions[a] }

// next returns the state that action a leads to from state s, as the
// state machine declares it.
func next(s State, a Action) (State, error) {
	to, ok := transitions[s][a]
	if !ok {
		return s, &TransitionError{State: s, Action: a}
	}
	return to, nil
}

// Can reports whether lifecycle action a is legal in state s.
func Can(s State, a Action) bool {
	_, err := next(s, a)
	return err == nil
}

// Diagram returns the lifecycle as a Mermaid state diagram, drawn by
// looplab/fsm from the same declaration the service runs.
func Diagram() string {
	out, err := fsm.VisualizeForMermaidWithGraphType(newMachine(), fsm.StateDiagram)
	if err != nil {
		// Only an unknown graph type fails, and the type is a constant.
		return ""
	}
	return out
}
