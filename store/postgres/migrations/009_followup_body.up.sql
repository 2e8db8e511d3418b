-- A follow-up's body is the task's JSON as the adapter encodes it
-- (sqlstore.EncodeTask: the fields no column holds, zero values left
-- out), read and written whole and never queried inside: text keeps it
-- as written, without jsonb's parse on every write and print on every
-- read of the claim and completion path.
ALTER TABLE desk_followups ALTER COLUMN body TYPE text;
