ALTER TABLE desk_followups ALTER COLUMN body TYPE jsonb USING body::jsonb;
