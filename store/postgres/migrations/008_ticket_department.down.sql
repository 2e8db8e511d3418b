DROP INDEX desk_tickets_department;
ALTER TABLE desk_tickets DROP COLUMN department;
