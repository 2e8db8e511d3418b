-- Follow-up tasks (F1-F13). ready_at is when the task can next be
-- claimed (NotBefore while pending, the lease expiry while claimed) and
-- NULL once final, so the claim index holds open tasks only.
CREATE TABLE desk_followups (
    id            uuid   PRIMARY KEY,
    desk          text   NOT NULL,
    version       bigint NOT NULL,
    status        text   NOT NULL,
    role          text   NOT NULL,
    ready_at      bigint,
    due           bigint NOT NULL,
    ticket_id     uuid,
    rule          text   NOT NULL,
    subject       text   NOT NULL,
    owner         text   NOT NULL,
    closed_at     bigint NOT NULL,
    updated_at    bigint NOT NULL,
    lease_owner   text   NOT NULL,
    lease_token   uuid,
    lease_expires bigint NOT NULL,
    body          jsonb  NOT NULL
);
CREATE INDEX desk_followups_ready ON desk_followups (desk, ready_at, due, id) WHERE ready_at IS NOT NULL;
CREATE INDEX desk_followups_role_ready ON desk_followups (desk, role, ready_at, due, id) WHERE ready_at IS NOT NULL;
CREATE INDEX desk_followups_due ON desk_followups (desk, due, id);
CREATE INDEX desk_followups_ticket ON desk_followups (desk, ticket_id) WHERE ticket_id IS NOT NULL;
