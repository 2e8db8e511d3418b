-- Tickets, their append-only history (T14) and the outbox. The body
-- columns hold the whole record as JSON; the other columns are the keys
-- that queries filter and order by. Times used in comparisons are Unix
-- nanoseconds, so they compare exactly as Go's time.Time does.
CREATE TABLE desk_tickets (
    id                 TEXT    PRIMARY KEY,
    desk               TEXT    NOT NULL,
    number             INTEGER NOT NULL,
    version            INTEGER NOT NULL,
    state              TEXT    NOT NULL,
    kind               TEXT    NOT NULL,
    owner              TEXT    NOT NULL,
    assignee           TEXT    NOT NULL,
    customer           TEXT    NOT NULL,
    complaint_class    TEXT,
    complaint_severity TEXT,
    incomplete         INTEGER NOT NULL,
    next_due           INTEGER,
    received_at        INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    body               TEXT    NOT NULL,
    UNIQUE (desk, number)
);
CREATE INDEX desk_tickets_updated ON desk_tickets (desk, updated_at, number);
CREATE INDEX desk_tickets_due ON desk_tickets (desk, next_due) WHERE next_due IS NOT NULL;

-- The last case number given out per desk, incremented in the creating
-- transaction: numbers have no gaps.
CREATE TABLE desk_ticket_numbers (
    desk TEXT    PRIMARY KEY,
    last INTEGER NOT NULL
);

CREATE TABLE desk_ticket_events (
    id        TEXT    PRIMARY KEY,
    desk      TEXT    NOT NULL,
    ticket_id TEXT    NOT NULL REFERENCES desk_tickets (id),
    seq       INTEGER NOT NULL,
    body      TEXT    NOT NULL,
    UNIQUE (ticket_id, seq)
);

-- The outbox points at history rows, so a redaction (S1) rewrites both.
-- A consumer's progress is its acknowledgement rows. SQLite admits one
-- writer at a time and seq is taken inside the write transaction, so
-- here seq order is commit order: acknowledgements of a prefix fold into
-- desk_ticket_consumers.low without losing a late event.
CREATE TABLE desk_ticket_outbox (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    desk     TEXT    NOT NULL,
    event_id TEXT    NOT NULL UNIQUE REFERENCES desk_ticket_events (id)
);
CREATE INDEX desk_ticket_outbox_desk ON desk_ticket_outbox (desk, seq);

CREATE TABLE desk_ticket_acks (
    consumer TEXT NOT NULL,
    scope    TEXT NOT NULL,
    event_id TEXT NOT NULL REFERENCES desk_ticket_outbox (event_id),
    PRIMARY KEY (consumer, scope, event_id)
) WITHOUT ROWID;

-- Per consumer and scope: every outbox row of the scope with seq below
-- low has been acknowledged (its ack row may since be pruned). Pending
-- reads only from low on.
CREATE TABLE desk_ticket_consumers (
    consumer TEXT    NOT NULL,
    scope    TEXT    NOT NULL,
    low      INTEGER NOT NULL,
    PRIMARY KEY (consumer, scope)
) WITHOUT ROWID;
