-- Every key leads with the desk, the tenant of the library: primary
-- keys, unique constraints and foreign keys of the large tables include
-- desk, so each table can be partitioned or distributed by desk (native
-- PARTITION BY HASH (desk), or a distributed PostgreSQL with desk as
-- the distribution column) and every statement of the adapter, which
-- filters by desk, touches one partition or one node. An ID is now
-- unique within its desk (IDs are random UUIDs).
--
-- Store.MigrateWith can run this step in partitioned mode instead: the
-- same keys, with the large tables rebuilt PARTITION BY HASH (desk).
ALTER TABLE desk_ticket_acks DROP CONSTRAINT desk_ticket_acks_event_id_fkey;
ALTER TABLE desk_ticket_outbox DROP CONSTRAINT desk_ticket_outbox_event_id_fkey;
ALTER TABLE desk_ticket_events DROP CONSTRAINT desk_ticket_events_ticket_id_fkey;

ALTER TABLE desk_tickets DROP CONSTRAINT desk_tickets_pkey,
    ADD CONSTRAINT desk_tickets_pkey PRIMARY KEY (desk, id);

ALTER TABLE desk_ticket_events DROP CONSTRAINT desk_ticket_events_pkey,
    DROP CONSTRAINT desk_ticket_events_ticket_id_seq_key,
    ADD CONSTRAINT desk_ticket_events_pkey PRIMARY KEY (desk, id),
    ADD CONSTRAINT desk_ticket_events_ticket_seq UNIQUE (desk, ticket_id, seq),
    ADD CONSTRAINT desk_ticket_events_ticket FOREIGN KEY (desk, ticket_id) REFERENCES desk_tickets (desk, id);

-- seq still orders delivery within a desk; it comes from a sequence,
-- which is no constraint: the key is (desk, seq).
ALTER TABLE desk_ticket_outbox DROP CONSTRAINT desk_ticket_outbox_pkey,
    DROP CONSTRAINT desk_ticket_outbox_event_id_key,
    ADD CONSTRAINT desk_ticket_outbox_pkey PRIMARY KEY (desk, seq),
    ADD CONSTRAINT desk_ticket_outbox_event UNIQUE (desk, event_id),
    ADD CONSTRAINT desk_ticket_outbox_event_fkey FOREIGN KEY (desk, event_id) REFERENCES desk_ticket_events (desk, id);

-- An acknowledgement carries the desk of its event (for a consumer of
-- one desk, its scope).
ALTER TABLE desk_ticket_acks ADD COLUMN desk text;
UPDATE desk_ticket_acks a SET desk = o.desk FROM desk_ticket_outbox o WHERE o.event_id = a.event_id;
ALTER TABLE desk_ticket_acks ALTER COLUMN desk SET NOT NULL,
    DROP CONSTRAINT desk_ticket_acks_pkey,
    ADD CONSTRAINT desk_ticket_acks_pkey PRIMARY KEY (desk, consumer, scope, event_id),
    ADD CONSTRAINT desk_ticket_acks_event FOREIGN KEY (desk, event_id) REFERENCES desk_ticket_outbox (desk, event_id);

-- A consumer's scope is its desk ('' for a consumer of every desk).
ALTER TABLE desk_ticket_consumers DROP CONSTRAINT desk_ticket_consumers_pkey,
    ADD CONSTRAINT desk_ticket_consumers_pkey PRIMARY KEY (scope, consumer);

ALTER TABLE desk_followups DROP CONSTRAINT desk_followups_pkey,
    ADD CONSTRAINT desk_followups_pkey PRIMARY KEY (desk, id);

ALTER TABLE desk_roster DROP CONSTRAINT desk_roster_pkey,
    ADD CONSTRAINT desk_roster_pkey PRIMARY KEY (desk, id);
