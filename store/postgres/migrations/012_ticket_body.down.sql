ALTER TABLE desk_ticket_events ALTER COLUMN body TYPE jsonb USING body::jsonb;
ALTER TABLE desk_tickets ALTER COLUMN body TYPE jsonb USING body::jsonb;
