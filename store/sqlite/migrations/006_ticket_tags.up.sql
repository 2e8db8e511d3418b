-- Tags answered through an index: one row per tag of a ticket, keyed by
-- the desk, so that a filter on a tag (ticket.Filter.Tags) reads the
-- tickets carrying it instead of a LIKE over every ticket's tag text.
-- Rows written before this step take their tags from their JSON bodies.
--
-- The due index gains the case number, so that the ByDue order (the
-- overdue pages, earliest running deadline first) is read in index
-- order from a cursor.
CREATE TABLE desk_ticket_tags (
    desk   TEXT    NOT NULL,
    number INTEGER NOT NULL,
    tag    TEXT    NOT NULL,
    PRIMARY KEY (desk, number, tag)
) WITHOUT ROWID;
INSERT OR IGNORE INTO desk_ticket_tags (desk, number, tag)
SELECT t.desk, t.number, x.value FROM desk_tickets t, json_each(t.body, '$.tags') AS x
WHERE json_type(t.body, '$.tags') = 'array';
CREATE INDEX desk_ticket_tags_tag ON desk_ticket_tags (desk, tag, number);

DROP INDEX desk_tickets_due;
CREATE INDEX desk_tickets_due ON desk_tickets (desk, next_due, number) WHERE next_due IS NOT NULL;
