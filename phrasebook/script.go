package phrasebook

import (
	"fmt"
	"slices"
	"sync"
	"time"
)

// Step is one step of a call script: what to say (catalogue phrase IDs,
// in order), what the agent checks before moving on, and the branches the
// step allows. A step without branches cannot occur: a script ends by
// taking a branch whose To is "".
type Step struct {
	ID       string
	Rule     string   // the rule the step implements, "P8"
	Say      []string // phrase IDs
	Check    string   // what the agent verifies or does in this step
	Branches []Branch
	// ReplyTime: the step agrees a reply time with the customer (P8,
	// T7b); Walker.AgreeReply must succeed before any branch is taken.
	ReplyTime bool
}

// Branch is a way out of a step. To is the next step's ID; "" ends the
// script with the branch's name as the outcome.
type Branch struct {
	Name string
	To   string
}

// Script is an ordered set of steps; the first step is where a call
// starts.
type Script struct {
	ID    string
	Rule  string
	Steps []Step
}

// Validate checks that step IDs are unique, every branch target exists,
// branch names are unique per step, every step has a branch, every step
// is reachable and the script can end. Errors wrap ErrInvalidScript.
func (s Script) Validate() error {
	if len(s.Steps) == 0 {
		return fmt.Errorf("phrasebook: script %q has no steps: %w", s.ID, ErrInvalidScript)
	}
	idx := map[string]int{}
	for i, st := range s.Steps {
		if st.ID == "" {
			return fmt.Errorf("phrasebook: script %q step %d has no id: %w", s.ID, i, ErrInvalidScript)
		}
		if _, dup := idx[st.ID]; dup {
			return fmt.Errorf("phrasebook: script %q: duplicate step %q: %w", s.ID, st.ID, ErrInvalidScript)
		}
		idx[st.ID] = i
	}
	ends := false
	for _, st := range s.Steps {
		if len(st.Branches) == 0 {
			return fmt.Errorf("phrasebook: script %q step %q has no branches: %w", s.ID, st.ID, ErrInvalidScript)
		}
		names := map[string]bool{}
		for _, b := range st.Branches {
			if b.Name == "" || names[b.Name] {
				return fmt.Errorf("phrasebook: script %q step %q: empty or duplicate branch %q: %w", s.ID, st.ID, b.Name, ErrInvalidScript)
			}
			names[b.Name] = true
			if b.To == "" {
				ends = true
				continue
			}
			if _, ok := idx[b.To]; !ok {
				return fmt.Errorf("phrasebook: script %q step %q branch %q: no step %q: %w", s.ID, st.ID, b.Name, b.To, ErrInvalidScript)
			}
		}
	}
	if !ends {
		return fmt.Errorf("phrasebook: script %q never ends: %w", s.ID, ErrInvalidScript)
	}
	seen := map[int]bool{0: true}
	queue := []int{0}
	for len(queue) > 0 {
		i := queue[0]
		queue = queue[1:]
		for _, b := range s.Steps[i].Branches {
			if j, ok := idx[b.To]; ok && !seen[j] {
				seen[j] = true
				queue = append(queue, j)
			}
		}
	}
	for i, st := range s.Steps {
		if !seen[i] {
			return fmt.Errorf("phrasebook: script %q: step %q is unreachable: %w", s.ID, st.ID, ErrInvalidScript)
		}
	}
	return nil
}

// Phrases lists every phrase ID the script uses, once each.
func (s Script) Phrases() []string {
	var out []string
	for _, st := range s.Steps {
		for _, id := range st.Say {
			if !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	return out
}

// ScriptPolicy configures a Walker. The zero value is the seed default.
type ScriptPolicy struct {
	// MaxReplyDelay is how far ahead a reply time agreed in a callback
	// may be (P8, T7b: "不超过48h"). Zero means the default, 48 h.
	MaxReplyDelay time.Duration
}

// DefaultMaxReplyDelay is P8's "不超过48h".
const DefaultMaxReplyDelay = 48 * time.Hour

// Move is one branch taken: from which step, by which branch.
type Move struct {
	Step, Branch string
}

// Outcome is where a walk ended and what it produced.
type Outcome struct {
	Done    bool
	Step    string // the last step
	Branch  string // the ending branch, such as "escalate" or "transfer"
	ReplyBy time.Time
	// LinkedCase: a new need without an answer opened a follow-up case
	// linked to the original (P8, T17).
	LinkedCase bool
}

// Walker walks a script for a UI: the current step, the branches allowed
// there, and an error for anything else. It is safe for concurrent use.
type Walker struct {
	mu      sync.Mutex
	script  Script
	index   map[string]int
	policy  ScriptPolicy
	cur     int // -1 when done
	trail   []Move
	replyBy time.Time // agreed in the current step, cleared on leaving it
	out     Outcome
}

// NewWalker validates the script and starts at its first step.
func NewWalker(s Script, p ScriptPolicy) (*Walker, error) {
	if p.MaxReplyDelay < 0 {
		return nil, fmt.Errorf("phrasebook: max reply delay %v is negative: %w", p.MaxReplyDelay, ErrInvalidPolicy)
	}
	if p.MaxReplyDelay == 0 {
		p.MaxReplyDelay = DefaultMaxReplyDelay
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	w := &Walker{script: s, index: map[string]int{}, policy: p}
	for i, st := range s.Steps {
		w.index[st.ID] = i
	}
	return w, nil
}

// Step returns the current step; ok is false once the script has ended.
func (w *Walker) Step() (Step, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cur < 0 {
		return Step{}, false
	}
	st := w.script.Steps[w.cur]
	st.Say = slices.Clone(st.Say)
	st.Branches = slices.Clone(st.Branches)
	return st, true
}

// Branches lists the names of the branches allowed now (nil when done).
func (w *Walker) Branches() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cur < 0 {
		return nil
	}
	var out []string
	for _, b := range w.script.Steps[w.cur].Branches {
		out = append(out, b.Name)
	}
	return out
}

// AgreeReply records the reply time agreed with the customer in a step
// that asks for one (P8). It fails with ErrCheckFailed when replyBy is not
// after now or more than the policy's MaxReplyDelay (default 48 h) ahead,
// and with ErrIllegalBranch in a step that agrees no reply time.
func (w *Walker) AgreeReply(now, replyBy time.Time) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cur < 0 {
		return fmt.Errorf("phrasebook: script %q: %w", w.script.ID, ErrScriptDone)
	}
	st := w.script.Steps[w.cur]
	if !st.ReplyTime {
		return fmt.Errorf("phrasebook: script %q step %q agrees no reply time: %w", w.script.ID, st.ID, ErrIllegalBranch)
	}
	if !replyBy.After(now) {
		return fmt.Errorf("phrasebook: script %q step %q: reply time %s is not after now %s: %w", w.script.ID, st.ID, replyBy.Format(time.RFC3339), now.Format(time.RFC3339), ErrCheckFailed)
	}
	if d := replyBy.Sub(now); d > w.policy.MaxReplyDelay {
		return fmt.Errorf("phrasebook: script %q step %q: reply time %v ahead exceeds %v (P8); agree an earlier time: %w", w.script.ID, st.ID, d, w.policy.MaxReplyDelay, ErrCheckFailed)
	}
	w.replyBy = replyBy
	return nil
}

// Take follows a branch of the current step. An unknown branch is
// ErrIllegalBranch, a finished script ErrScriptDone, and a step that
// agrees a reply time without one ErrCheckFailed; on error nothing
// changes.
func (w *Walker) Take(branch string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cur < 0 {
		return fmt.Errorf("phrasebook: script %q: %w", w.script.ID, ErrScriptDone)
	}
	st := w.script.Steps[w.cur]
	i := slices.IndexFunc(st.Branches, func(b Branch) bool { return b.Name == branch })
	if i < 0 {
		var names []string
		for _, b := range st.Branches {
			names = append(names, b.Name)
		}
		return fmt.Errorf("phrasebook: script %q step %q: branch %q, want one of %q: %w", w.script.ID, st.ID, branch, names, ErrIllegalBranch)
	}
	if st.ReplyTime && w.replyBy.IsZero() {
		return fmt.Errorf("phrasebook: script %q step %q: agree a reply time first (P8): %w", w.script.ID, st.ID, ErrCheckFailed)
	}
	if st.ReplyTime {
		w.out.ReplyBy = w.replyBy
		w.out.LinkedCase = true
		w.replyBy = time.Time{}
	}
	w.trail = append(w.trail, Move{Step: st.ID, Branch: branch})
	w.out.Step, w.out.Branch = st.ID, branch
	to := st.Branches[i].To
	if to == "" {
		w.cur = -1
		w.out.Done = true
		return nil
	}
	w.cur = w.index[to]
	return nil
}

// Trail returns the moves made so far.
func (w *Walker) Trail() []Move {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.trail)
}

// Outcome reports how the walk ended (Done is false while it runs).
func (w *Walker) Outcome() Outcome {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.out
}

// Say renders the current step's phrases from the catalogue.
func (w *Walker) Say(c *Catalogue, lang string, values map[string]string) ([]string, error) {
	st, ok := w.Step()
	if !ok {
		return nil, fmt.Errorf("phrasebook: script %q: %w", w.script.ID, ErrScriptDone)
	}
	out := make([]string, 0, len(st.Say))
	for _, id := range st.Say {
		s, err := c.Render(id, lang, values)
		if err != nil {
			return nil, fmt.Errorf("phrasebook: script %q step %q: %w", w.script.ID, st.ID, err)
		}
		out = append(out, s)
	}
	return out, nil
}
