-- Every ticket filter and order answered through an index (as the
-- PostgreSQL adapter's steps 006 and 008): one index per filtered key,
-- each ending in the case number (the default order), and the department
-- a ticket is assigned to (T4) as a key, so that a department's list
-- (ticket.Filter.Department) is read through an index. Rows written
-- before this step take the department from their JSON bodies.
ALTER TABLE desk_tickets ADD COLUMN department TEXT NOT NULL DEFAULT '';
UPDATE desk_tickets SET department = json_extract(body, '$.department')
WHERE coalesce(json_extract(body, '$.department'), '') <> '';
CREATE INDEX desk_tickets_state ON desk_tickets (desk, state, number);
CREATE INDEX desk_tickets_kind ON desk_tickets (desk, kind, number);
CREATE INDEX desk_tickets_owner ON desk_tickets (desk, owner, number);
CREATE INDEX desk_tickets_assignee ON desk_tickets (desk, assignee, number) WHERE assignee <> '';
CREATE INDEX desk_tickets_department ON desk_tickets (desk, department, number) WHERE department <> '';
CREATE INDEX desk_tickets_customer ON desk_tickets (desk, customer, number) WHERE customer <> '';
CREATE INDEX desk_tickets_class ON desk_tickets (desk, complaint_class, number) WHERE complaint_class IS NOT NULL;
CREATE INDEX desk_tickets_severity ON desk_tickets (desk, complaint_severity, number) WHERE complaint_severity IS NOT NULL;
CREATE INDEX desk_tickets_incomplete ON desk_tickets (desk, number) WHERE incomplete;
CREATE INDEX desk_tickets_received ON desk_tickets (desk, received_at, number);
