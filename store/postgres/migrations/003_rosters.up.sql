-- Roster records (R1-R8): assignments, swaps, away periods and duty
-- covers share one table and one ID space (an ID is taken in every desk
-- and kind). start_at/end_at are the record's span in Unix nanoseconds:
-- assignment and duty Start/End, a swap's SlotStart, an away period's
-- From/Until (an open period ends at the largest bigint). agent and
-- requested_at are the tie-breakers of the documented list orders.
CREATE TABLE desk_roster (
    id           uuid   PRIMARY KEY,
    desk         text   NOT NULL,
    kind         text   NOT NULL,
    start_at     bigint NOT NULL,
    end_at       bigint NOT NULL,
    agent        text   NOT NULL,
    requested_at bigint NOT NULL,
    version      bigint NOT NULL,
    body         jsonb  NOT NULL
);
CREATE INDEX desk_roster_span ON desk_roster (desk, kind, start_at);
