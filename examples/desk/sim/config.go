package sim

import (
	"fmt"
	"time"

	"github.com/servicedesk-go/desk/calendar"
	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/phrasebook"
	"github.com/servicedesk-go/desk/roster"
	"github.com/servicedesk-go/desk/ticket"
)

// Kind is the kind of desk simulated: it picks the regulations' presets
// (ticket policy, follow-up rules, staff) and what customers ask.
type Kind string

// The desks of the regulations.
const (
	Property Kind = "property" // a property office (seeds 002/003)
	Dealer   Kind = "dealer"   // a car dealer's service department (seed 004)
	Generic  Kind = "generic"  // a general support desk (ticket.GeneralDesk): e-mail and phone, priorities, SLA
)

// Profile is the expected number of requests arriving in each hour of
// the day, from 00:00 to 23:00.
type Profile [24]float64

// DefaultProfile is a property desk's day: quiet at night, busy in the
// morning and the evening.
func DefaultProfile() Profile {
	return Profile{0.2, 0.1, 0.1, 0, 0, 0.1, 0.3, 0.8, 1.5, 3, 3.5, 3, 2, 2.5, 3, 3, 2.5, 2.5, 3, 3.5, 3, 2, 1.2, 0.6}
}

// Staff is who works at the desk.
type Staff struct {
	// Agents answer the phones in the a/b/c rotation (R2, R3).
	Agents []string
	// Lead is the shift lead: approves swaps (R4), takes escalations (T6)
	// and sends rework notices (T13).
	Lead ticket.Actor
	// Workers do the work of each department a ticket is dispatched to
	// (T4), by department name.
	Workers map[string]ticket.Actor
	// Revisit are the follow-up workers by role (F3). On a property desk
	// the agents on duty also make the agents' calls.
	Revisit map[ticket.Role][]ticket.Actor
	// QA is who fills the review sheets (K2).
	QA string
}

// DefaultStaff is the staff of the regulations' desks: four agents, a
// shift lead, one worker per department and the F3 revisit roles.
func DefaultStaff(k Kind) Staff {
	s := Staff{
		Agents: []string{"agent-li", "agent-wu", "agent-he", "agent-ma"},
		Lead:   ticket.Actor{ID: "lead-zhou", Role: ticket.RoleShiftLead},
		Workers: map[string]ticket.Actor{
			"engineering": {ID: "eng-zhao", Role: ticket.RoleDepartment},
			"security":    {ID: "sec-qian", Role: ticket.RoleDepartment},
			"finance":     {ID: "fin-sun", Role: ticket.RoleDepartment},
			"cleaning":    {ID: "cln-zheng", Role: ticket.RoleDepartment},
			"workshop":    {ID: "ws-feng", Role: ticket.RoleDepartment},
			"sales":       {ID: "sal-jiang", Role: ticket.RoleDepartment},
		},
		Revisit: map[ticket.Role][]ticket.Actor{
			ticket.RoleDirector:      {{ID: "dir-gao", Role: ticket.RoleDirector}},
			ticket.RoleAdministrator: {{ID: "adm-lin", Role: ticket.RoleAdministrator}, {ID: "adm-xu", Role: ticket.RoleAdministrator}},
			ticket.RoleRepairLead:    {{ID: "rl-chen", Role: ticket.RoleRepairLead}},
		},
		QA: "qa-tang",
	}
	if k == Dealer {
		s.Revisit[ticket.RoleAgent] = []ticket.Actor{{ID: "agent-li", Role: ticket.RoleAgent}, {ID: "agent-wu", Role: ticket.RoleAgent}}
	}
	return s
}

// Policies are the desk's rules; a nil or zero field takes the preset of
// the desk's Kind. Every number in them is the desk's to change.
type Policies struct {
	Tickets   *ticket.Policy          // nil: PropertyDesk, DealerDesk or GeneralDesk with R1's 09:00–24:00 calendar
	Followups *followup.RuleSet       // nil: PropertyRules or DealerRules
	Review    phrasebook.ReviewPolicy // K2; a zero MonthlyMinimum is 3 here
	// Service is the phone target staffing is judged by (R8); zero is
	// roster.DefaultTarget, 80 % answered within 20 s.
	Service roster.Target
	// HandleTime is the mean length of a phone call; zero is 6 minutes.
	HandleTime time.Duration
	// Contact is F12's goal for the share of customers reached when
	// called; zero is followup.DefaultContactTarget (60 %).
	Contact float64
}

// Stores hold the desk; a nil store is a fresh in-memory one. A store
// that already holds the desk is continued: the run starts after its
// last change and picks up the open tickets.
type Stores struct {
	Tickets   ticket.Store
	Followups followup.Store
	Rosters   roster.Store
}

// Config sets up a simulation. Its zero fields take the defaults of the
// desk's Kind; Start and Days are required.
type Config struct {
	Kind Kind   // zero: Property
	Desk string // the desk's ID; zero: harbour-view or north-motors
	// Seed makes the run deterministic: the same configuration and seed
	// give the same report.
	Seed uint64
	// Start is local midnight of the first day; its location is the
	// desk's.
	Start time.Time
	Days  int

	// Calendar is the desk's one business calendar: ticket clocks in its
	// hours, follow-up contact hours and next contact times, the
	// roster's day kinds and coverage, greetings by holiday. Nil:
	// DefaultCalendar in Start's zone.
	Calendar *calendar.Calendar

	Arrivals *Profile // nil: DefaultProfile
	Staff    *Staff   // nil: DefaultStaff(Kind)
	Policies Policies
	Stores   Stores

	// Progress, if set, is called once per simulated day.
	Progress func(day, days int)
}

// SettleDays is how long a run continues after its last day without new
// arrivals, so that work in progress can end.
const SettleDays = 2

// DefaultCalendar is the seed desks' calendar in zone: service hours
// 09:00-24:00 every day (R1), customers called 09:00-20:00
// (followup.DefaultContactHours), the State Council's holidays and
// make-up workdays, and Christmas greeted by name.
func DefaultCalendar(zone *time.Location) (*calendar.Calendar, error) {
	contact := calendar.Daily(calendar.Span{Start: 9 * time.Hour, End: 20 * time.Hour})
	return calendar.New(calendar.Config{
		Zone:     zone,
		Hours:    calendar.Daily(calendar.Span{Start: 9 * time.Hour, End: 24 * time.Hour}),
		Contact:  &contact,
		Schedule: calendar.China(),
		Named:    map[calendar.MonthDay]string{{Month: time.December, Day: 25}: "greet.christmas"},
	})
}

func (c *Config) fill() error {
	if c.Kind == "" {
		c.Kind = Property
	}
	if c.Kind != Property && c.Kind != Dealer && c.Kind != Generic {
		return fmt.Errorf("sim: kind %q: give %q, %q or %q", c.Kind, Property, Dealer, Generic)
	}
	if c.Days < 1 {
		return fmt.Errorf("sim: simulate at least one day, not %d", c.Days)
	}
	if c.Start.IsZero() {
		return fmt.Errorf("sim: the first day (Start) is required")
	}
	if c.Desk == "" {
		c.Desk = "harbour-view"
		if c.Kind == Dealer {
			c.Desk = "north-motors"
		}
		if c.Kind == Generic {
			c.Desk = "help-desk"
		}
	}
	if c.Arrivals == nil {
		p := DefaultProfile()
		c.Arrivals = &p
	}
	for h, v := range c.Arrivals {
		if v < 0 || v > 1000 {
			return fmt.Errorf("sim: %.1f arrivals in hour %d: give 0 to 1000", v, h)
		}
	}
	if c.Staff == nil {
		s := DefaultStaff(c.Kind)
		c.Staff = &s
	}
	if len(c.Staff.Agents) == 0 {
		return fmt.Errorf("sim: the staff has no agents")
	}
	if c.Policies.Review.MonthlyMinimum == 0 {
		c.Policies.Review.MonthlyMinimum = 3
	}
	if c.Policies.Service == (roster.Target{}) {
		c.Policies.Service = roster.DefaultTarget()
	}
	if c.Policies.HandleTime == 0 {
		c.Policies.HandleTime = 6 * time.Minute
	}
	if c.Policies.Contact == 0 {
		c.Policies.Contact = followup.DefaultContactTarget
	}
	if !(c.Policies.Contact > 0 && c.Policies.Contact <= 1) {
		return fmt.Errorf("sim: contact goal %v: give a share above 0 and at most 1", c.Policies.Contact)
	}
	if c.Policies.HandleTime < 0 {
		return fmt.Errorf("sim: handle time %v: give a positive duration", c.Policies.HandleTime)
	}
	return nil
}
