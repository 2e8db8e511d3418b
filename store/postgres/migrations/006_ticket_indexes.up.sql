-- Every ticket filter and order answered through an index, so a query
-- on a desk of a million tickets reads what it returns: one index per
-- filtered key, each ending in the case number (the default order).
-- Tags (a LIKE on the comma-joined text) are not indexed.
CREATE INDEX desk_tickets_state ON desk_tickets (desk, state, number);
CREATE INDEX desk_tickets_kind ON desk_tickets (desk, kind, number);
CREATE INDEX desk_tickets_owner ON desk_tickets (desk, owner, number);
CREATE INDEX desk_tickets_assignee ON desk_tickets (desk, assignee, number) WHERE assignee <> '';
CREATE INDEX desk_tickets_customer ON desk_tickets (desk, customer, number) WHERE customer <> '';
CREATE INDEX desk_tickets_class ON desk_tickets (desk, complaint_class, number) WHERE complaint_class IS NOT NULL;
CREATE INDEX desk_tickets_severity ON desk_tickets (desk, complaint_severity, number) WHERE complaint_severity IS NOT NULL;
CREATE INDEX desk_tickets_incomplete ON desk_tickets (desk, number) WHERE incomplete;
CREATE INDEX desk_tickets_received ON desk_tickets (desk, received_at, number);
