package followup

import (
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/servicedesk-go/desk/ticket"
)

// record is how MemStore keeps one task. A waiting task (Pending, no
// outcome yet: nearly every stored task of a busy desk) is kept in the
// compact fields: its repeated strings as numbers in the store's string
// table, its instants as Unix nanoseconds in one shared location, a key
// of the usual "<uuid>/<suffix>" shape as the UUID's 16 bytes and the
// suffix's number. Every other task (claimed, final, retried, or with an
// instant the compact fields cannot hold) is kept whole in full, and only
// the index fields (id, desk, ticket) of the compact part are set.
type record struct {
	full *Task // the whole task; nil when the compact fields hold it

	id, ticket, keyID uuid.UUID
	version           int64
	// Instants in Unix nanoseconds; noTime stands for the zero time.
	triggered, notBefore, due, created, updated int64
	retryAfter, repeat                          time.Duration
	// Numbers in MemStore.strs.
	desk, rule, cites, trigger, key, subject, kind, category, channel, role, checklist uint32
	seq, maxAttempts                                                                   int32
	gen                                                                                uint32 // see queue
	nextOfTicket                                                                       uint32 // 1 + the index of the ticket's previous task; 0 ends the chain
	loc                                                                                uint16 // the instants' location, in MemStore.locs
	flags                                                                              recordFlag
}

type recordFlag uint8

const (
	flagGrade recordFlag = 1 << iota
	flagRevisit
	flagSampled
	flagUntilClosed
	flagSynced
	flagKeyID         // key is keyID's text followed by the string numbered key
	flagSubjectTicket // the subject is the ticket ID's text (TriggersFrom)
)

// noTime is the compact zero time. The compact instants cover the years
// 1678 to 2262, where Unix nanoseconds fit an int64.
const noTime = -1 << 63

// strTable numbers distinct strings: desks, rules, roles, categories,
// subjects, key suffixes and checklists recur across many tasks and are
// kept once. Number 0 is the empty string.
type strTable struct {
	num map[string]uint32
	s   []string
}

func (st *strTable) put(s string) uint32 {
	if s == "" {
		return 0
	}
	if n, ok := st.num[s]; ok {
		return n
	}
	if st.num == nil {
		st.num = map[string]uint32{}
		st.s = []string{""}
	}
	n := uint32(len(st.s))
	st.s = append(st.s, s)
	st.num[s] = n
	return n
}

func (st *strTable) get(n uint32) string { return st.s[n] }

// checklistSep joins checklist items in the string table; a checklist
// with an item containing it, or an empty non-nil one, is kept whole.
const checklistSep = "\x00"

// compactable reports whether the compact fields can hold t, and the
// location its instants share.
func compactable(t *Task) (*time.Location, bool) {
	if t.Status != Pending || t.Outcome != nil || t.Lease != (Lease{}) || !t.ClosedAt.IsZero() || t.Attempts != 0 {
		return nil, false
	}
	if int(int32(t.Seq)) != t.Seq || int(int32(t.MaxAttempts)) != t.MaxAttempts {
		return nil, false
	}
	if t.Checklist != nil && len(t.Checklist) == 0 {
		return nil, false
	}
	for _, c := range t.Checklist {
		if c == "" || strings.Contains(string(c), checklistSep) {
			return nil, false
		}
	}
	var loc *time.Location
	for _, at := range [...]time.Time{t.TriggeredAt, t.NotBefore, t.Due, t.CreatedAt, t.UpdatedAt} {
		if at.IsZero() {
			continue
		}
		if y := at.Year(); y <= 1678 || y >= 2262 {
			return nil, false
		}
		if loc == nil {
			loc = at.Location()
		} else if at.Location() != loc {
			return nil, false
		}
	}
	if loc == nil {
		loc = time.UTC
	}
	return loc, true
}

// put stores t in r: compact when it fits, whole otherwise. r's gen and
// nextOfTicket are left alone.
func (m *MemStore) put(r *record, t *Task) {
	r.id, r.ticket, r.desk, r.version = t.ID, t.Ticket, m.strs.put(t.Desk), t.Version
	loc, ok := compactable(t)
	if ok {
		r.loc, ok = m.location(loc)
	}
	if !ok {
		if r.full == nil {
			r.full = new(Task)
		}
		copyTask(r.full, t)
		return
	}
	r.full = nil
	r.triggered, r.notBefore, r.due = unixNano(t.TriggeredAt), unixNano(t.NotBefore), unixNano(t.Due)
	r.created, r.updated = unixNano(t.CreatedAt), unixNano(t.UpdatedAt)
	r.retryAfter, r.repeat = t.RetryAfter, t.Repeat
	r.rule, r.cites, r.trigger = m.strs.put(t.Rule), m.strs.put(t.Cites), m.strs.put(string(t.Trigger))
	r.kind, r.category = m.strs.put(string(t.TicketKind)), m.strs.put(t.Category)
	r.channel, r.role = m.strs.put(string(t.Channel)), m.strs.put(string(t.Role))
	r.seq, r.maxAttempts = int32(t.Seq), int32(t.MaxAttempts)
	r.flags = 0
	r.subject = 0
	if t.Ticket != uuid.Nil && len(t.Subject) == 36 && t.Subject == t.Ticket.String() {
		r.flags |= flagSubjectTicket
	} else {
		r.subject = m.strs.put(t.Subject)
	}
	r.keyID, r.key = uuid.Nil, 0
	if id, ok := keyUUID(t.Key); ok {
		r.keyID, r.key = id, m.strs.put(t.Key[36:])
		r.flags |= flagKeyID
	} else {
		r.key = m.strs.put(t.Key)
	}
	r.checklist = 0
	if t.Checklist != nil {
		items := make([]string, len(t.Checklist))
		for i, c := range t.Checklist {
			items[i] = string(c)
		}
		r.checklist = m.strs.put(strings.Join(items, checklistSep))
	}
	for _, f := range [...]struct {
		on   bool
		flag recordFlag
	}{{t.Grade, flagGrade}, {t.Revisit, flagRevisit}, {t.Sampled, flagSampled}, {t.UntilClosed, flagUntilClosed}, {t.Synced, flagSynced}} {
		if f.on {
			r.flags |= f.flag
		}
	}
}

// keyUUID returns the UUID a key starts with, if it is written the way
// uuid.UUID.String writes it (ticket triggers' keys are event IDs).
func keyUUID(key string) (uuid.UUID, bool) {
	if len(key) < 36 {
		return uuid.Nil, false
	}
	id, err := uuid.Parse(key[:36])
	if err != nil || id.String() != key[:36] {
		return uuid.Nil, false
	}
	return id, true
}

// copyTask makes dst a deep copy of src, reusing dst's checklist and
// outcome.
func copyTask(dst, src *Task) {
	checklist, outcome := dst.Checklist, dst.Outcome
	*dst = *src
	dst.Checklist = nil
	if src.Checklist != nil {
		dst.Checklist = append(checklist[:0], src.Checklist...)
	}
	dst.Outcome = nil
	if src.Outcome != nil {
		if outcome == nil {
			outcome = new(Outcome)
		}
		*outcome = src.Outcome.clone()
		dst.Outcome = outcome
	}
}

// task returns a copy of the stored task. Without checklist the copy
// leaves Checklist nil, for matching against a filter.
func (m *MemStore) task(r *record, dst *Task, checklist bool) {
	if r.full != nil {
		if checklist {
			copyTask(dst, r.full)
		} else {
			*dst = *r.full
		}
		return
	}
	loc := m.locs[r.loc]
	*dst = Task{
		ID: r.id, Desk: m.strs.get(r.desk), Version: r.version,
		Rule: m.strs.get(r.rule), Cites: m.strs.get(r.cites), Trigger: TriggerKind(m.strs.get(r.trigger)),
		Key: m.strs.get(r.key), Subject: m.strs.get(r.subject), Ticket: r.ticket,
		TicketKind: ticket.Kind(m.strs.get(r.kind)), Category: m.strs.get(r.category), Seq: int(r.seq),
		Channel: Channel(m.strs.get(r.channel)), Role: ticket.Role(m.strs.get(r.role)),
		Grade: r.flags&flagGrade != 0, Revisit: r.flags&flagRevisit != 0, Sampled: r.flags&flagSampled != 0,
		TriggeredAt: fromNano(r.triggered, loc), NotBefore: fromNano(r.notBefore, loc), Due: fromNano(r.due, loc),
		MaxAttempts: int(r.maxAttempts), RetryAfter: r.retryAfter, Repeat: r.repeat,
		UntilClosed: r.flags&flagUntilClosed != 0, Status: Pending, Synced: r.flags&flagSynced != 0,
		CreatedAt: fromNano(r.created, loc), UpdatedAt: fromNano(r.updated, loc),
	}
	if r.flags&flagSubjectTicket != 0 {
		dst.Subject = r.ticket.String()
	}
	if r.flags&flagKeyID != 0 {
		dst.Key = r.keyID.String() + dst.Key
	}
	if checklist && r.checklist != 0 {
		items := strings.Split(m.strs.get(r.checklist), checklistSep)
		dst.Checklist = make([]CheckItem, len(items))
		for i, s := range items {
			dst.Checklist[i] = CheckItem(s)
		}
	}
}

// status, readyAt and due read the few fields the queues compare
// without copying the task out.
func (r *record) status() Status {
	if r.full != nil {
		return r.full.Status
	}
	return Pending
}

func (m *MemStore) readyAt(r *record) time.Time {
	if r.full != nil {
		return r.full.ReadyAt()
	}
	return fromNano(r.notBefore, m.locs[r.loc])
}

func (m *MemStore) dueOf(r *record) time.Time {
	if r.full != nil {
		return r.full.Due
	}
	return fromNano(r.due, m.locs[r.loc])
}

// location returns loc's number in m.locs. A desk has a location or
// two; past maxLocations the tasks are kept whole.
func (m *MemStore) location(loc *time.Location) (uint16, bool) {
	for i, l := range m.locs {
		if l == loc {
			return uint16(i), true
		}
	}
	if len(m.locs) == maxLocations {
		return 0, false
	}
	m.locs = append(m.locs, loc)
	return uint16(len(m.locs) - 1), true
}

const maxLocations = 16

func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return noTime
	}
	return t.UnixNano()
}

func fromNano(n int64, loc *time.Location) time.Time {
	if n == noTime {
		return time.Time{}
	}
	return time.Unix(0, n).In(loc)
}
