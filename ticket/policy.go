package ticket

import (
	"maps"
	"slices"
	"time"
)

// Limit is one time rule of a policy. A disabled Limit is switched off;
// an enabled one with Within zero means "at once" (zero means zero).
type Limit struct {
	On     bool
	Within time.Duration
}

// Within returns an enabled Limit of d.
func Within(d time.Duration) Limit { return Limit{On: true, Within: d} }

// KindPolicy says what a kind of request needs (T2).
type KindPolicy struct {
	// Fields are the intake fields that make a record complete; any that
	// are missing mark the ticket incomplete (T2, K1). The request is
	// recorded all the same (T14).
	Fields []string
	// Before names, per action, the fields that action needs: a repair is
	// not dispatched without its location. The action then fails with
	// *MissingFieldsError and changes nothing.
	Before map[Action][]string
	// Revisit: tickets of this kind get a revisit planned when they are
	// received, so they cannot close before its outcome (F2).
	Revisit bool
}

// SeverityPolicy says what a complaint severity implies (T16).
type SeverityPolicy struct {
	// Escalate is the escalation level a complaint of this severity gets
	// when it is received or classified (T6: major complaints go to the
	// office head).
	Escalate int
	// Revisit plans a revisit for complaints of this severity.
	Revisit bool
}

// Policy is a desk's rules. Build one from a preset (PropertyDesk,
// DealerDesk) and change what the desk does differently; every number is
// a default of the seeds, never a constant. A zero Policy enforces
// nothing: no deadlines, no kinds.
type Policy struct {
	Dispatch     Limit // T5: dispatch within 3 minutes of receipt
	Answer       Limit // T7a: answer within 48 h of the solution being obtained
	ReplyAhead   Limit // T7b: an agreed reply time at most 48 h ahead
	ReworkNotice Limit // T13: written rework notice within 24 h of a failed revisit
	Stagnant     Limit // T10: a ticket untouched this long is stagnating

	Kinds    map[Kind]KindPolicy
	Severity map[Severity]SeverityPolicy

	// Attributes declares the desk's custom attributes; a ticket may
	// carry only these.
	Attributes map[string]AttrSpec
	// PersonalFields are the intake fields that hold personal data (S1);
	// Service.Erase removes them with the customer's record.
	PersonalFields []string

	// Calendar, if set, measures deadlines in working time (business
	// hours); nil measures wall-clock time.
	Calendar Calendar

	// Bounds are the largest inputs the desk accepts (escalation levels,
	// text lengths, counts, years); a zero field means its default.
	Bounds Bounds

	// Priorities are the desk's priorities, lowest first; nil means
	// DefaultPriorities (low, normal, high, urgent). DefaultPriority is
	// what a request given none gets; "" leaves it without one.
	Priorities      []Priority
	DefaultPriority Priority
	// SLA are the service-level targets by priority: first response and
	// resolution, in the desk's Calendar (business hours). A priority
	// missing from the map starts no SLA clock.
	SLA map[Priority]SLA
	// Pause names the clocks that stop while the ticket waits for the
	// customer (Service.Wait until Service.Resume); their due times move
	// by the paused business time. nil pauses nothing.
	Pause []DeadlineName
	// PersonalText says that a ticket's subject and description hold
	// personal data (a customer's e-mail): erasure removes them whole
	// (S1). Without it erasure scrubs the customer's values from them.
	PersonalText bool
	// Escalation raises a ticket by itself when one of its clocks
	// passes (Service.EscalateDue, run by runner.Escalate); off when it
	// names no clock.
	Escalation EscalationPolicy
}

// Calendar measures deadlines in working time: Add returns the instant
// at which d of working time has passed after from. A desk's one
// calendar.Calendar is one (weekends, holidays, make-up workdays, DST);
// Hours is a plain one.
type Calendar interface {
	Add(from time.Time, d time.Duration) time.Time
}

// checkCalendar refuses Hours without a zone: deadlines run in the
// desk's wall clock, never a silent UTC.
func checkCalendar(c Calendar) error {
	switch h := c.(type) {
	case Hours:
		if h.Location == nil {
			return invalid("policy.calendar", "Hours has no Location: set the desk's zone")
		}
	case *Hours:
		if h != nil && h.Location == nil {
			return invalid("policy.calendar", "Hours has no Location: set the desk's zone")
		}
	}
	return nil
}

// due computes a deadline's due time from its start.
func (p *Policy) due(start time.Time, d time.Duration) time.Time {
	if p.Calendar != nil {
		return p.Calendar.Add(start, d)
	}
	return start.Add(d)
}

// Clone returns a deep copy, so that a service never shares maps with
// its caller.
func (p Policy) Clone() Policy {
	p.Kinds = maps.Clone(p.Kinds)
	for k, kp := range p.Kinds {
		kp.Fields = slices.Clone(kp.Fields)
		before := make(map[Action][]string, len(kp.Before))
		for a, f := range kp.Before {
			before[a] = slices.Clone(f)
		}
		kp.Before = before
		p.Kinds[k] = kp
	}
	p.Severity = maps.Clone(p.Severity)
	p.Attributes = maps.Clone(p.Attributes)
	for k, a := range p.Attributes {
		a.Values = slices.Clone(a.Values)
		p.Attributes[k] = a
	}
	p.PersonalFields = slices.Clone(p.PersonalFields)
	p.Priorities = slices.Clone(p.Priorities)
	p.SLA = maps.Clone(p.SLA)
	p.Pause = slices.Clone(p.Pause)
	p.Escalation = p.Escalation.clone()
	return p
}

// Intake field names used by the presets.
const (
	FieldTime        = "time"        // 时间
	FieldPlace       = "place"       // 地点
	FieldPerson      = "person"      // 人物 / 姓名
	FieldEvent       = "event"       // 事件
	FieldPhone       = "phone"       // 联系电话
	FieldLocation    = "location"    // 位置 / 地址
	FieldItem        = "item"        // 报修项目
	FieldSituation   = "situation"   // 目前情况
	FieldPlate       = "plate"       // 车牌号
	FieldAppointment = "appointment" // 预约日期
	// 5W1H of a phone record (004 电话技巧 5).
	FieldWhen  = "when"
	FieldWho   = "who"
	FieldWhere = "where"
	FieldWhy   = "why"
	FieldWhat  = "what"
	FieldHow   = "how"
)

// PropertyDesk returns the policy of the property-management desk of
// seeds 002 and 003: three-minute dispatch (T5), the two 48-hour clocks
// (T7a, T7b), the 24-hour rework notice (T13), repairs revisited (F2),
// major complaints to the office head (T6, T16).
func PropertyDesk() Policy {
	return Policy{
		Dispatch:     Within(3 * time.Minute),
		Answer:       Within(48 * time.Hour),
		ReplyAhead:   Within(48 * time.Hour),
		ReworkNotice: Within(24 * time.Hour),
		Stagnant:     Within(24 * time.Hour),
		Kinds: map[Kind]KindPolicy{
			// 003 维修约修制度 3: date, name, address, phone, content.
			Repair: {
				Fields:  []string{FieldPerson, FieldPhone, FieldLocation, FieldItem},
				Before:  map[Action][]string{ActDispatch: {FieldLocation, FieldItem}},
				Revisit: true,
			},
			// 002 被动接听 3: a case needs time, place, person, event, phone.
			Complaint: {
				Fields: []string{FieldTime, FieldPlace, FieldPerson, FieldEvent, FieldPhone},
				Before: map[Action][]string{ActDispatch: {FieldEvent}},
			},
			Inquiry:    {Fields: []string{FieldPerson, FieldPhone, FieldEvent}},
			Query:      {Fields: []string{FieldPerson, FieldPhone, FieldEvent}},
			Suggestion: {Fields: []string{FieldPerson, FieldEvent}},
			// 002 8.0: renovation applications go through approvals.
			Renovation: {
				Fields: []string{FieldPerson, FieldPhone, FieldLocation, FieldEvent},
				Before: map[Action][]string{ActDispatch: {FieldLocation}},
			},
		},
		Severity: map[Severity]SeverityPolicy{
			Minor:  {Escalate: LevelNone},
			Normal: {Escalate: LevelShiftLead},
			Major:  {Escalate: LevelOfficeHead, Revisit: true},
		},
		PersonalFields: []string{FieldPerson, FieldPhone, FieldLocation, FieldPlace},
	}
}

// DealerDesk returns the policy of the vehicle dealer's service
// department of seed 004: repair calls need plate, name, item, location
// and situation (004 三.6); phone records follow 5W1H (004 电话技巧 5).
// The seed sets no dispatch or reply clocks of its own; the preset keeps
// the property desk's so that nothing waits unwatched, and a dealer
// changes them as it likes.
func DealerDesk() Policy {
	fivew := []string{FieldWhen, FieldWho, FieldWhere, FieldWhy, FieldWhat, FieldHow}
	return Policy{
		Dispatch:     Within(3 * time.Minute),
		Answer:       Within(48 * time.Hour),
		ReplyAhead:   Within(48 * time.Hour),
		ReworkNotice: Within(24 * time.Hour),
		Stagnant:     Within(24 * time.Hour),
		Kinds: map[Kind]KindPolicy{
			Repair: {
				Fields:  []string{FieldPlate, FieldPerson, FieldItem, FieldLocation, FieldSituation},
				Before:  map[Action][]string{ActDispatch: {FieldPlate, FieldItem}},
				Revisit: true,
			},
			Complaint: {Fields: fivew, Before: map[Action][]string{ActDispatch: {FieldWhat}}},
			Inquiry:   {Fields: fivew},
			Query:     {Fields: fivew},
			Suggestion: {
				Fields: []string{FieldWho, FieldWhat},
			},
		},
		Severity: map[Severity]SeverityPolicy{
			Minor:  {Escalate: LevelNone},
			Normal: {Escalate: LevelShiftLead},
			Major:  {Escalate: LevelOfficeHead, Revisit: true},
		},
		PersonalFields: []string{FieldPlate, FieldPerson, FieldPhone, FieldLocation, FieldWho, FieldWhere},
	}
}

// Hours is a Calendar of daily opening hours in one location: working
// time runs from Open to Close (offsets from local midnight) every day.
// Close may be 24h. An instant outside the hours waits for the next
// opening, so a request arriving at 23:30 for a desk open 09:00–22:00
// starts its three minutes at 09:00 the next day. Location is required
// (New refuses Hours without one); weekends and holidays need a
// calendar.Calendar.
type Hours struct {
	Open, Close time.Duration
	Location    *time.Location
}

// maxOpeningScanDays bounds Hours.Add's day-by-day walk: ten years of
// days (366 × 10, leap years included), far beyond any SLA clock, so a
// duration no opening hours could use up ends the walk instead of
// looping; what is left of it is then added as wall time.
const maxOpeningScanDays = 366 * 10

// Add implements Calendar.
func (h Hours) Add(from time.Time, d time.Duration) time.Time {
	loc := h.Location
	if loc == nil {
		loc = time.UTC
	}
	if h.Close <= h.Open || h.Open < 0 || h.Close > 24*time.Hour {
		return from.Add(d) // not a usable window: wall clock
	}
	t := from.In(loc)
	for range maxOpeningScanDays {
		y, m, dd := t.Date()
		midnight := time.Date(y, m, dd, 0, 0, 0, 0, loc)
		open, closeAt := midnight.Add(h.Open), midnight.Add(h.Close)
		if t.Before(open) {
			t = open
		}
		if t.Before(closeAt) {
			left := closeAt.Sub(t)
			if d <= left {
				return t.Add(d)
			}
			d -= left
		}
		t = time.Date(y, m, dd+1, 0, 0, 0, 0, loc)
	}
	return t.Add(d)
}
