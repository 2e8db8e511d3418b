package rostertest

import (
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/roster"
)

var base = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

func id(n int) uuid.UUID {
	var u uuid.UUID
	u[0] = 0x01
	u[14] = byte(n >> 8)
	u[15] = byte(n)
	u[6], u[8] = 0x40, 0x80
	return u
}

func assignment(desk string, n int, agent string, startHour, hours int) roster.Assignment {
	start := base.Add(time.Duration(startHour) * time.Hour)
	return roster.Assignment{ID: id(n), Desk: desk, Agent: agent, Shift: "a",
		Date: roster.DateOf(start, time.UTC), Start: start, End: start.Add(time.Duration(hours) * time.Hour),
		ReportEarly: 10 * time.Minute}
}

func sameTimes(a, b time.Time) bool { return a.Equal(b) }

func swap(desk string, n int) roster.Swap {
	return roster.Swap{ID: id(n), Desk: desk, Assignment: id(1), SlotStart: base.Add(9 * time.Hour),
		From: "amy", To: "bob", RequestedAt: base, Status: roster.SwapRequested}
}

func away(desk string, n int, agent string, fromHour, hours int) roster.Away {
	a := roster.Away{ID: id(n), Desk: desk, Agent: agent, Kind: roster.OnLeave,
		From: base.Add(time.Duration(fromHour) * time.Hour)}
	if hours > 0 {
		a.Until = a.From.Add(time.Duration(hours) * time.Hour)
	} else {
		a.Kind = roster.Offline
	}
	return a
}

func duty(desk string, n int, agent string, startHour, hours int) roster.Duty {
	start := base.Add(time.Duration(startHour) * time.Hour)
	return roster.Duty{ID: id(n), Desk: desk, Agent: agent, Kind: roster.NoonDuty, Start: start,
		End: start.Add(time.Duration(hours) * time.Hour), ForwardTo: "+86 755 0000 0000"}
}
