-- The overdue pages (ticket.Service.Overdue) read from a cursor to the
-- page's end on any desk, however its tickets are spread in time:
-- stagnation walks the open tickets in update order (closed and
-- cancelled tickets, most of a large desk, are not in the index), and a
-- department's pages walk its own running deadlines and open tickets.
CREATE INDEX desk_tickets_open_updated ON desk_tickets (desk, updated_at, number)
    WHERE state NOT IN ('closed', 'cancelled');
CREATE INDEX desk_tickets_department_due ON desk_tickets (desk, department, next_due, number)
    WHERE next_due IS NOT NULL AND department <> '';
CREATE INDEX desk_tickets_department_open_updated ON desk_tickets (desk, department, updated_at, number)
    WHERE state NOT IN ('closed', 'cancelled') AND department <> '';
