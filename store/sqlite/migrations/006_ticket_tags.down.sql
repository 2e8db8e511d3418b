DROP INDEX desk_tickets_due;
CREATE INDEX desk_tickets_due ON desk_tickets (desk, next_due) WHERE next_due IS NOT NULL;
DROP TABLE desk_ticket_tags;
