DROP TABLE desk_roster;
