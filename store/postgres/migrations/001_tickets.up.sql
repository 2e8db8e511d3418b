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
-- seq orders delivery; it is never used as a checkpoint: a consumer's
-- progress is its acknowledgement rows, so an event whose transaction
-- commits after a later-numbered one is still delivered.
CREATE TABLE desk_ticket_outbox (
    seq      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    desk     text   NOT NULL,
    event_id uuid   NOT NULL UNIQUE REFERENCES desk_ticket_events (id)
);
CREATE INDEX desk_ticket_outbox_desk ON desk_ticket_outbox (desk, seq);

CREATE TABLE desk_ticket_acks (
    consumer text NOT NULL,
    scope    text NOT NULL,
    event_id uuid NOT NULL REFERENCES desk_ticket_outbox (event_id),
    PRIMARY KEY (consumer, scope, event_id)
);
