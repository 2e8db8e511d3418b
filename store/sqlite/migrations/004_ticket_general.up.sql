-- A general desk's ticket keys: the priority (one of the desk's ordered
-- priorities, '' for none) and the tags, kept as one text with each tag
-- between commas (',billing,vip,'; '' for none) so that a LIKE pattern
-- finds a whole tag (tags are lower case, so LIKE's ASCII case folding
-- changes nothing). Rows written before this step have neither, as their
-- JSON bodies do not.
ALTER TABLE desk_tickets ADD COLUMN priority TEXT NOT NULL DEFAULT '';
ALTER TABLE desk_tickets ADD COLUMN tags TEXT NOT NULL DEFAULT '';
CREATE INDEX desk_tickets_priority ON desk_tickets (desk, priority, number);
