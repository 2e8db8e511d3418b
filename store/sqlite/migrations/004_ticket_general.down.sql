DROP INDEX desk_tickets_priority;
ALTER TABLE desk_tickets DROP COLUMN tags;
ALTER TABLE desk_tickets DROP COLUMN priority;
