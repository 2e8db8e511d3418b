-- Wake-up for runners: with the trigger enabled (Store.SetNotify), every
-- transaction that adds outbox rows notifies channel desk_ticket_outbox
-- once per desk, with the desk as payload. PostgreSQL delivers
-- notifications on commit only and merges equal ones of a transaction.
-- It is created disabled: notifying transactions take a database-wide
-- lock at commit, which serialises concurrent ticket writes.
CREATE FUNCTION desk_ticket_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('desk_ticket_outbox', d.desk) FROM (SELECT DISTINCT desk FROM added) d;
    RETURN NULL;
END
$$;

CREATE TRIGGER desk_ticket_outbox_notify AFTER INSERT ON desk_ticket_outbox
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION desk_ticket_outbox_notify();

ALTER TABLE desk_ticket_outbox DISABLE TRIGGER desk_ticket_outbox_notify;
