DROP TABLE desk_ticket_consumers;
DROP TABLE desk_ticket_acks;
DROP TABLE desk_ticket_outbox;
DROP TABLE desk_ticket_events;
DROP TABLE desk_ticket_numbers;
DROP TABLE desk_tickets;
