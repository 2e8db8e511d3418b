-- Follow-up tasks (F1-F13). ready_at is when the task can next be
-- claimed (NotBefore while pending, the lease expiry while claimed) and
-- NULL once final.
CREATE TABLE desk_followups (
    id            TEXT    PRIMARY KEY,
    desk          TEXT    NOT NULL,
    version       INTEGER NOT NULL,
    status        TEXT    NOT NULL,
    role          TEXT    NOT NULL,
    ready_at      INTEGER,
    due           INTEGER NOT NULL,
    ticket_id     TEXT,
    rule          TEXT    NOT NULL,
    subject       TEXT    NOT NULL,
    owner         TEXT    NOT NULL,
    closed_at     INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    lease_owner   TEXT    NOT NULL,
    lease_token   TEXT,
    lease_expires INTEGER NOT NULL,
    body          TEXT    NOT NULL
);
CREATE INDEX desk_followups_ready ON desk_followups (desk, ready_at, due, id) WHERE ready_at IS NOT NULL;
CREATE INDEX desk_followups_role_ready ON desk_followups (desk, role, ready_at, due, id) WHERE ready_at IS NOT NULL;
CREATE INDEX desk_followups_due ON desk_followups (desk, due, id);
CREATE INDEX desk_followups_ticket ON desk_followups (desk, ticket_id) WHERE ticket_id IS NOT NULL;
