-- Back to keys on id alone (fails if an ID was reused in two desks).
ALTER TABLE desk_ticket_acks DROP CONSTRAINT desk_ticket_acks_event;
ALTER TABLE desk_ticket_outbox DROP CONSTRAINT desk_ticket_outbox_event_fkey;
ALTER TABLE desk_ticket_events DROP CONSTRAINT desk_ticket_events_ticket;

ALTER TABLE desk_roster DROP CONSTRAINT desk_roster_pkey, ADD CONSTRAINT desk_roster_pkey PRIMARY KEY (id);
ALTER TABLE desk_followups DROP CONSTRAINT desk_followups_pkey, ADD CONSTRAINT desk_followups_pkey PRIMARY KEY (id);
ALTER TABLE desk_ticket_consumers DROP CONSTRAINT desk_ticket_consumers_pkey,
    ADD CONSTRAINT desk_ticket_consumers_pkey PRIMARY KEY (consumer, scope);

ALTER TABLE desk_tickets DROP CONSTRAINT desk_tickets_pkey, ADD CONSTRAINT desk_tickets_pkey PRIMARY KEY (id);
ALTER TABLE desk_ticket_events DROP CONSTRAINT desk_ticket_events_pkey,
    DROP CONSTRAINT desk_ticket_events_ticket_seq,
    ADD CONSTRAINT desk_ticket_events_pkey PRIMARY KEY (id),
    ADD CONSTRAINT desk_ticket_events_ticket_id_seq_key UNIQUE (ticket_id, seq),
    ADD CONSTRAINT desk_ticket_events_ticket_id_fkey FOREIGN KEY (ticket_id) REFERENCES desk_tickets (id);
ALTER TABLE desk_ticket_outbox DROP CONSTRAINT desk_ticket_outbox_pkey,
    DROP CONSTRAINT desk_ticket_outbox_event,
    ADD CONSTRAINT desk_ticket_outbox_pkey PRIMARY KEY (seq),
    ADD CONSTRAINT desk_ticket_outbox_event_id_key UNIQUE (event_id),
    ADD CONSTRAINT desk_ticket_outbox_event_id_fkey FOREIGN KEY (event_id) REFERENCES desk_ticket_events (id);
ALTER TABLE desk_ticket_acks DROP CONSTRAINT desk_ticket_acks_pkey, DROP COLUMN desk,
    ADD CONSTRAINT desk_ticket_acks_pkey PRIMARY KEY (consumer, scope, event_id),
    ADD CONSTRAINT desk_ticket_acks_event_id_fkey FOREIGN KEY (event_id) REFERENCES desk_ticket_outbox (event_id);
