DROP TABLE desk_followups;
