-- Tickets, their append-only history (T14) and the outbox.
-- The body columns hold the whole record as JSON; the other columns are
-- the keys that queries filter and order by. Times used in comparisons
-- are Unix nanoseconds so that they compare exactly as Go's time.Time
-- does (PostgreSQL timestamps keep only microseconds).
CREATE TABLE desk_tickets (
    id                 uuid    PRIMARY KEY,
    desk               text    NOT NULL,
    number             bigint  NOT NULL,
    version            bigint  NOT NULL,
    state              text    NOT NULL,
    kind               text    NOT NULL,
    owner              text    NOT NULL,
    assignee           text    NOT NULL,
    customer           text    NOT NULL,
    complaint_class    text,
    complaint_severity text,
    incomplete         boolean NOT NULL,
    next_due           bigint,
    received_at        bigint  NOT NULL,
    updated_at         bigint  NOT NULL,
    body               jsonb   NOT NULL,
    UNIQUE (desk, number)
);
CREATE INDEX desk_tickets_updated ON desk_tickets (desk, updated_at, number);
CREATE INDEX desk_tickets_due ON desk_tickets (desk, next_due) WHERE next_due IS NOT NULL;

-- The last case number given out per desk. Creating a ticket increments
-- it in the creating transaction, so numbers have no gaps.
CREATE TABLE desk_ticket_numbers (
    desk text   PRIMARY KEY,
    last bigint NOT NULL
);

CREATE TABLE desk_ticket_events (
    id        uuid   PRIMARY KEY,
    desk      text   NOT NULL,
    ticket_id uuid   NOT NULL REFERENCES desk_tickets (id),
    seq       bigint NOT NULL,
    body      jsonb  NOT NULL,
    UNIQUE (ticket_id, seq)
);

-- The outbox points at history rows, so a redaction (S1) rewrites both.
-- seq orders delivery; it is never used as a checkpoint: a transaction
-- holding a lower seq can commit after a higher one was read. A
-- consumer's progress is its acknowledgement rows, so such a late event
-- is still pending and is delivered.
--
-- xid is the writing transaction. It lets acknowledgements be folded
-- into a safe low-water mark (desk_ticket_consumers.low): every
-- transaction with an xid below pg_snapshot_xmin of a snapshot has
-- ended, so no row with such an xid can appear later.
CREATE TABLE desk_ticket_outbox (
    seq      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    desk     text   NOT NULL,
    event_id uuid   NOT NULL UNIQUE REFERENCES desk_ticket_events (id),
    xid      xid8   NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX desk_ticket_outbox_desk ON desk_ticket_outbox (desk, xid);
CREATE INDEX desk_ticket_outbox_xid ON desk_ticket_outbox (xid);

CREATE TABLE desk_ticket_acks (
    consumer text NOT NULL,
    scope    text NOT NULL,
    event_id uuid NOT NULL REFERENCES desk_ticket_outbox (event_id),
    PRIMARY KEY (consumer, scope, event_id)
);

-- Per consumer and scope: every outbox row of the scope whose xid is
-- below low has been acknowledged (its ack row may since be pruned),
-- and no such row can still commit. Pending reads only from low on.
CREATE TABLE desk_ticket_consumers (
    consumer text NOT NULL,
    scope    text NOT NULL,
    low      xid8 NOT NULL,
    PRIMARY KEY (consumer, scope)
);
