package followup

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/servicedesk-go/desk/ticket"
)

// Channel is how a follow-up reaches the customer.
type Channel string

// Channels, named after the medium as ticket.Channel's are (Phone as
// ticket.Phone).
const (
	Phone  Channel = "phone"   // 电访
	OnSite Channel = "on_site" // 上门回访
)

// CheckItem is one point of a revisit checklist.
type CheckItem string

// The revisit checklist of F4 (003 维修回访制度 三).
const (
	CheckInspect     CheckItem = "inspect_on_site"  // 1 实地查看维修项目
	CheckService     CheckItem = "service_feedback" // 2 ask about the repair staff's service
	CheckSuggestions CheckItem = "suggestions"      // 3 征询改进意见
	CheckCharges     CheckItem = "charges_verified" // 4 核对收费情况
	CheckSignature   CheckItem = "signature"        // 5 请被回访人签名: needs Outcome.SignedBy
)

// RevisitChecklist returns the five points of F4.
func RevisitChecklist() []CheckItem {
	return []CheckItem{CheckInspect, CheckService, CheckSuggestions, CheckCharges, CheckSignature}
}

// Rule turns a trigger into a follow-up task: which triggers it matches,
// the window in which the call is due, how, by whom, with which
// checklist and how many attempts. Every number is a default a desk may
// change; a zero Offset means "at once".
type Rule struct {
	// ID names the rule in its set, e.g. "F2.leak". It is part of every
	// task ID the rule derives: renaming a rule derives its tasks anew.
	ID string
	// Cites is the rule of RULES.md it implements, e.g. "F2".
	Cites string
	Name  string

	// Trigger is the trigger kind the rule answers.
	Trigger TriggerKind
	// TicketKinds limits ticket triggers to these kinds of request;
	// empty matches all.
	TicketKinds []ticket.Kind
	// Categories limits the rule to these trigger categories; empty
	// matches all.
	Categories []string
	// Fallback makes the rule match only categories that no other
	// active rule for the same trigger (and ticket kind) names: "other
	// repairs" of F2.
	Fallback bool

	// From and To bound the window after (or, negative, before) the
	// trigger's time: the task may be done from From and is due by To.
	// F9's service call is From 3 days To 5 days.
	From, To Offset
	// AnyTime places the task without the calendar.
	AnyTime bool

	Channel Channel
	// Role is who makes the call. Roles, when set, assigns the role per
	// task instead (F3).
	Role  ticket.Role
	Roles *Quota
	// Checklist must be completed for a done outcome (F4).
	Checklist []CheckItem
	// Grade asks the customer grade in a done outcome (F9 7-day call).
	Grade bool
	// Revisit marks the task as the ticket's revisit: its outcome is
	// recorded on the ticket (ticket.Service.RecordRevisit).
	Revisit bool

	// Attempts is how many times an unreachable customer is tried before
	// the task ends unreachable (F10); 0 means 1. RetryAfter is the pause
	// between attempts.
	Attempts   int
	RetryAfter time.Duration
	// Repeat, when not zero, chains follow-ups: a done outcome that says
	// the case still needs following derives the next task, due within
	// Repeat of the call (F1: at most 48 h apart).
	Repeat time.Duration
	// UntilClosed cancels the rule's open tasks for a ticket when the
	// ticket closes or is cancelled.
	UntilClosed bool
	// Sample, when set, selects only a share of the triggers (F5).
	// Triggers whose ticket waits for a revisit are always selected.
	Sample *Sampling

	// Off switches the rule off without removing it.
	Off bool
}

// Validate reports a rule that cannot derive sensible tasks.
func (r Rule) Validate() error {
	if strings.TrimSpace(r.ID) == "" {
		return invalid("rule id", "name the rule")
	}
	if strings.ContainsAny(r.ID, "\n/") {
		return invalid("rule id", "rule %q: use no slash or newline in an ID", r.ID)
	}
	if r.Trigger == "" {
		return invalid("rule trigger", "rule %s names no trigger kind", r.ID)
	}
	if r.Channel != Phone && r.Channel != OnSite {
		return invalid("rule channel", "rule %s: channel %q is neither %s nor %s", r.ID, r.Channel, Phone, OnSite)
	}
	if r.Role == "" && r.Roles == nil {
		return invalid("rule role", "rule %s names no responsible role", r.ID)
	}
	if r.Roles != nil {
		if err := r.Roles.Validate(); err != nil {
			return fmt.Errorf("rule %s: %w", r.ID, err)
		}
	}
	if r.Sample != nil {
		if err := r.Sample.Validate(); err != nil {
			return fmt.Errorf("rule %s: %w", r.ID, err)
		}
	}
	if r.Attempts < 0 || r.RetryAfter < 0 || r.Repeat < 0 {
		return invalid("rule attempts", "rule %s: attempts, retry pause and repeat cannot be negative", r.ID)
	}
	if abs(r.From.Months) > maxOffsetMonths || abs(r.To.Months) > maxOffsetMonths || abs(r.From.Days) > maxOffsetDays || abs(r.To.Days) > maxOffsetDays {
		return invalid("rule window", "rule %s: offsets beyond a hundred years", r.ID)
	}
	// The window must not close before it opens, whatever the month.
	for _, ref := range windowProbes {
		if r.To.From(ref).Before(r.From.From(ref)) {
			return invalid("rule window", "rule %s: due %s is before its start %s", r.ID, r.To, r.From)
		}
	}
	seen := map[CheckItem]bool{}
	for _, c := range r.Checklist {
		if c == "" || seen[c] {
			return invalid("rule checklist", "rule %s: empty or repeated item %q", r.ID, c)
		}
		seen[c] = true
	}
	return nil
}

var windowProbes = []time.Time{
	time.Date(2001, 1, 31, 12, 0, 0, 0, time.UTC),
	time.Date(2004, 2, 29, 12, 0, 0, 0, time.UTC),
	time.Date(2001, 7, 1, 12, 0, 0, 0, time.UTC),
}

// A rule's window offsets are bounded to a hundred years either way: no
// regulation plans a follow-up further out, and the bound keeps
// date arithmetic on the offsets far from overflow. 1200 months and
// 36600 days (100 × 366, leap years included) are that century.
const (
	maxOffsetMonths = 100 * 12
	maxOffsetDays   = 100 * 366
)

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// matches reports whether r answers tr, ignoring Fallback.
func (r *Rule) matches(tr *Trigger) bool {
	if r.Off || r.Trigger != tr.Kind {
		return false
	}
	if len(r.TicketKinds) > 0 && !slices.Contains(r.TicketKinds, tr.TicketKind) {
		return false
	}
	return len(r.Categories) == 0 || slices.Contains(r.Categories, tr.Category)
}

// Window returns the task window for a trigger at t, before the
// calendar is applied.
func (r Rule) Window(t time.Time) (from, due time.Time) {
	return r.From.From(t), r.To.From(t)
}

func (r Rule) clone() Rule {
	r.TicketKinds = slices.Clone(r.TicketKinds)
	r.Categories = slices.Clone(r.Categories)
	r.Checklist = slices.Clone(r.Checklist)
	if r.Roles != nil {
		q := r.Roles.clone()
		r.Roles = &q
	}
	if r.Sample != nil {
		s := *r.Sample
		r.Sample = &s
	}
	return r
}

// RuleSet is a desk's rules. Presets return one per kind of desk
// (PropertyRules, DealerRules); a desk changes, adds or switches off
// rules with Set and SwitchOff, never by editing library code. The zero
// RuleSet has no rules.
type RuleSet struct {
	Name  string
	Rules []Rule
}

// Validate checks every rule and that IDs are unique.
func (s RuleSet) Validate() error {
	ids := map[string]bool{}
	for _, r := range s.Rules {
		if err := r.Validate(); err != nil {
			return err
		}
		if ids[r.ID] {
			return invalid("rule id", "rule %s appears twice in set %q", r.ID, s.Name)
		}
		ids[r.ID] = true
	}
	return nil
}

// Clone returns a deep copy.
func (s RuleSet) Clone() RuleSet {
	c := RuleSet{Name: s.Name, Rules: make([]Rule, len(s.Rules))}
	for i, r := range s.Rules {
		c.Rules[i] = r.clone()
	}
	return c
}

// Rule returns the rule with that ID.
func (s RuleSet) Rule(id string) (Rule, bool) {
	for _, r := range s.Rules {
		if r.ID == id {
			return r.clone(), true
		}
	}
	return Rule{}, false
}

// Set replaces the rule with r's ID, or adds r.
func (s *RuleSet) Set(r Rule) {
	for i := range s.Rules {
		if s.Rules[i].ID == r.ID {
			s.Rules[i] = r.clone()
			return
		}
	}
	s.Rules = append(s.Rules, r.clone())
}

// SwitchOff switches the named rule off; it reports whether it exists.
func (s *RuleSet) SwitchOff(id string) bool {
	for i := range s.Rules {
		if s.Rules[i].ID == id {
			s.Rules[i].Off = true
			return true
		}
	}
	return false
}

// Match returns the active rules that answer the trigger, in set order.
// A Fallback rule matches only when no other matching rule for the same
// trigger names the trigger's category.
func (s RuleSet) Match(tr Trigger) []Rule {
	var out []Rule
	named := false
	for i := range s.Rules {
		r := &s.Rules[i]
		if r.Fallback || !r.matches(&tr) {
			continue
		}
		if len(r.Categories) > 0 {
			named = true
		}
		out = append(out, r.clone())
	}
	if named {
		return out
	}
	for i := range s.Rules {
		r := &s.Rules[i]
		if r.Fallback && r.matches(&tr) {
			out = append(out, r.clone())
		}
	}
	return out
}
