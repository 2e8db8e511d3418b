-- Roster records (R1-R8) in one table and one ID space. start_at/end_at
-- are the record's span in Unix nanoseconds (an open away period ends at
-- the largest integer); agent and requested_at break ties in the
-- documented list orders.
CREATE TABLE desk_roster (
    id           TEXT    PRIMARY KEY,
    desk         TEXT    NOT NULL,
    kind         TEXT    NOT NULL,
    start_at     INTEGER NOT NULL,
    end_at       INTEGER NOT NULL,
    agent        TEXT    NOT NULL,
    requested_at INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    body         TEXT    NOT NULL
);
CREATE INDEX desk_roster_span ON desk_roster (desk, kind, start_at);
