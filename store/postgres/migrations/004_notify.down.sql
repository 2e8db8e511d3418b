DROP TRIGGER desk_ticket_outbox_notify ON desk_ticket_outbox;
DROP FUNCTION desk_ticket_outbox_notify();
