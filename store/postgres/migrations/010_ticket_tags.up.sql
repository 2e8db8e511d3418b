-- Tags answered through an index: one row per tag of a ticket, keyed by
-- the desk, so that a filter on a tag (ticket.Filter.Tags) reads the
-- tickets carrying it instead of a LIKE over every ticket's tag text.
-- In the partitioned layout (007) the table is hash-partitioned by desk
-- as the tickets are. Rows written before this step take their tags
-- from their JSON bodies.
--
-- The due index gains the case number, so that the ByDue order (the
-- overdue pages, earliest running deadline first) is read in index
-- order from a cursor and stops at the page's end.
DO $$
DECLARE
    n int;
BEGIN
    SELECT count(*) INTO n FROM pg_inherits WHERE inhparent = 'desk_tickets'::regclass;
    IF n = 0 THEN
        CREATE TABLE desk_ticket_tags (
            desk   text   NOT NULL,
            number bigint NOT NULL,
            tag    text   NOT NULL,
            PRIMARY KEY (desk, number, tag)
        );
    ELSE
        CREATE TABLE desk_ticket_tags (
            desk   text   NOT NULL,
            number bigint NOT NULL,
            tag    text   NOT NULL,
            PRIMARY KEY (desk, number, tag)
        ) PARTITION BY HASH (desk);
        FOR r IN 0 .. n - 1 LOOP
            EXECUTE format('CREATE TABLE desk_ticket_tags_p%s PARTITION OF desk_ticket_tags FOR VALUES WITH (MODULUS %s, REMAINDER %s)', r, n, r);
        END LOOP;
    END IF;
END $$;
INSERT INTO desk_ticket_tags (desk, number, tag)
SELECT t.desk, t.number, x.tag
FROM desk_tickets t, jsonb_array_elements_text(CASE WHEN jsonb_typeof(t.body->'tags') = 'array' THEN t.body->'tags' ELSE '[]' END) AS x (tag)
ON CONFLICT DO NOTHING;
CREATE INDEX desk_ticket_tags_tag ON desk_ticket_tags (desk, tag, number);

DROP INDEX desk_tickets_due;
CREATE INDEX desk_tickets_due ON desk_tickets (desk, next_due, number) WHERE next_due IS NOT NULL;
