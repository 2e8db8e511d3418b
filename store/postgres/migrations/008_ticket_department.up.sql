-- The department a ticket is assigned to (T4) as a key, so that a
-- department's list (ticket.Filter.Department: a department sees what is
-- assigned to it) is read through an index. Rows written before this
-- step take it from their JSON bodies.
ALTER TABLE desk_tickets ADD COLUMN department text NOT NULL DEFAULT '';
UPDATE desk_tickets SET department = body->>'department' WHERE coalesce(body->>'department', '') <> '';
CREATE INDEX desk_tickets_department ON desk_tickets (desk, department, number) WHERE department <> '';
