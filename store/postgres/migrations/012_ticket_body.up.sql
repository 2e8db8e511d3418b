-- A ticket's body and an event's body are the JSON the adapter encodes
-- (encoding/json of ticket.Ticket and ticket.Event), read and written
-- whole: text keeps them as written, without jsonb's parse on every
-- write and print on every read (a page of the list, a ticket, a
-- history, the outbox's pending events). Only Redact looks inside an
-- event's body, casting it to jsonb for that one statement. The columns
-- are rewritten once, as 009 did for follow-ups.
ALTER TABLE desk_tickets ALTER COLUMN body TYPE text;
ALTER TABLE desk_ticket_events ALTER COLUMN body TYPE text;
