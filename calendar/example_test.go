package calendar_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/servicedesk-go/desk/calendar"
	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/phrasebook"
	"github.com/servicedesk-go/desk/roster"
	"github.com/servicedesk-go/desk/ticket"
)

// One calendar value, passed to all four packages: ticket deadlines in
// business hours, follow-up contact hours, the roster's kinds of day and
// the phrasebook's holiday greetings.
func Example() {
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	contact := calendar.Week{Workday: []calendar.Span{{Start: 9 * time.Hour, End: 20 * time.Hour}}}
	cal, err := calendar.New(calendar.Config{
		Zone:     shanghai,
		Hours:    calendar.Daily(calendar.Span{Start: 9 * time.Hour, End: 24 * time.Hour}), // R1
		Contact:  &contact,                                                                 // calls on workdays only
		Schedule: calendar.China(),
	})
	if err != nil {
		panic(err)
	}

	now := time.Date(2026, 10, 1, 23, 58, 0, 0, shanghai) // 国庆节, two minutes before closing
	pol := ticket.PropertyDesk()
	pol.Calendar = cal // ticket.Calendar: deadlines in business hours
	tickets, _ := ticket.New(ticket.NewMemStore(), ticket.Config{Desk: "harbour-view", Policy: &pol, Now: func() time.Time { return now }})
	store := followup.NewMemStore()
	deriver, _ := followup.NewDeriver(store, followup.DeriverConfig{Desk: "harbour-view", Rules: followup.PropertyRules(1), Calendar: cal}) // followup.Calendar
	_, _ = followup.NewQueue(store, followup.QueueConfig{Desk: "harbour-view", Tickets: tickets, Calendar: cal})
	spec := roster.SeedSpec("harbour-view", roster.D(2026, 9, 28), shanghai, "li", "wang", "zhao", "chen")
	spec.Calendar = cal                               // roster.Calendar: kinds of day
	greet := phrasebook.GreetingPolicy{Holidays: cal} // phrasebook.Holidays: greetings

	tk, _ := tickets.Receive(context.Background(), ticket.Actor{ID: "li", Role: ticket.RoleAgent}, ticket.Intake{
		Kind: ticket.Inquiry, Channel: ticket.Phone, Fields: map[string]string{"person": "Wang", "phone": "138"}})
	due, _ := tk.Deadline(ticket.DeadlineDispatch)
	fmt.Println("T5 dispatch due:", due.Due.In(shanghai).Format("01-02 15:04"))
	tasks, _ := deriver.Plan(followup.Trigger{Kind: followup.ServiceEnded, Desk: "harbour-view", Key: "s1", At: now})
	fmt.Println("F7 call from:", tasks[0].NotBefore.In(shanghai).Format("Mon 01-02 15:04"))
	plan, _ := roster.Generate(spec)
	fmt.Println("R7 holiday shifts:", plan.Fairness.Agents[0].Weekends > 0, cal.Kind(roster.D(2026, 10, 1)), cal.Kind(roster.D(2026, 10, 10)))
	id, _ := phrasebook.GreetingID(now, greet)
	fmt.Println("P1 greeting:", id)
	fmt.Println("covered:", cal.Covers(2026), cal.Covers(2027))
	// Output:
	// T5 dispatch due: 10-02 09:01
	// F7 call from: Thu 10-08 09:00
	// R7 holiday shifts: true holiday workday
	// P1 greeting: greet.festival
	// covered: true false
}

// A year published after this release is loaded and merged; until then
// the schedule refuses to answer for it.
func ExampleSchedule_Merge() {
	next := `{"region": "CN", "years": [{"year": 2099, "holidays": [
	  {"key": "new_year", "name": "元旦", "from": "2099-01-01", "to": "2099-01-01", "workdays": []}]}]}`
	_, _, err := calendar.China().Lookup(calendar.D(2099, 1, 1))
	fmt.Println(err != nil)
	later, err := calendar.LoadJSON(strings.NewReader(next))
	if err != nil {
		panic(err)
	}
	s, err := calendar.China().Merge(later)
	if err != nil {
		panic(err)
	}
	day, ok, err := s.Lookup(calendar.D(2099, 1, 1))
	fmt.Println(day.Name, day.Kind, ok, err)
	// Output:
	// true
	// 元旦 holiday true <nil>
}
