package postgres

import (
	"context"
	"fmt"
	"strings"
)

// MigrateOptions chooses how the schema is laid out; it matters for the
// step that first gives the keys their desk (007_desk_keys) and is
// ignored for a schema already past it.
type MigrateOptions struct {
	// Partitions, when above 0, makes the step create the large tables
	// (tickets, their history, the outbox and its acknowledgements,
	// follow-ups, roster records) PARTITION BY HASH (desk) with that many
	// partitions each, PostgreSQL's native declarative partitioning.
	// Existing rows are copied into the new tables in the migrating
	// transaction. 0 keeps plain tables with the same keys.
	Partitions int
}

// maxPartitions bounds MigrateOptions.Partitions: each large table gets
// that many partitions, and PostgreSQL plans slower past a few hundred.
const maxPartitions = 1024

// deskKeysVersion is the step that gives every key its desk.
const deskKeysVersion = 7

// MigrateWith brings the schema to the latest version like Migrate, with
// the layout of o. A schema already at or past 007_desk_keys keeps its
// layout: the option is taken at migration time, once.
func (s *Store) MigrateWith(ctx context.Context, o MigrateOptions) error {
	if o.Partitions < 0 || o.Partitions > maxPartitions {
		return fmt.Errorf("postgres: %d partitions: want 0 (plain tables) to %d", o.Partitions, maxPartitions)
	}
	m, err := s.migratorWith(ctx, o)
	if err != nil {
		return err
	}
	return m.To(ctx, len(m.Steps))
}

// Partitioned reports how many hash partitions desk_tickets has, 0 for
// plain tables (or none yet).
func (s *Store) Partitioned(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRow(ctx, `SELECT count(*) FROM pg_inherits WHERE inhparent = to_regclass('desk_tickets')`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("postgres: read the partitions: %w", err)
	}
	return n, nil
}

// rebuilt lists the tables that the partitioned layout rebuilds, parents
// before the tables that refer to them, each with the keys of
// 007_desk_keys (the same names as there). Their other indexes are
// copied from the tables being rebuilt.
var rebuilt = []struct{ name, keys string }{
	{"desk_tickets", `CONSTRAINT desk_tickets_pkey PRIMARY KEY (desk, id),
    CONSTRAINT desk_tickets_desk_number_key UNIQUE (desk, number)`},
	{"desk_ticket_events", `CONSTRAINT desk_ticket_events_pkey PRIMARY KEY (desk, id),
    CONSTRAINT desk_ticket_events_ticket_seq UNIQUE (desk, ticket_id, seq),
    CONSTRAINT desk_ticket_events_ticket FOREIGN KEY (desk, ticket_id) REFERENCES desk_tickets (desk, id)`},
	{"desk_ticket_outbox", `CONSTRAINT desk_ticket_outbox_pkey PRIMARY KEY (desk, seq),
    CONSTRAINT desk_ticket_outbox_event UNIQUE (desk, event_id),
    CONSTRAINT desk_ticket_outbox_event_fkey FOREIGN KEY (desk, event_id) REFERENCES desk_ticket_events (desk, id)`},
	{"desk_ticket_acks", `CONSTRAINT desk_ticket_acks_pkey PRIMARY KEY (desk, consumer, scope, event_id),
    CONSTRAINT desk_ticket_acks_event FOREIGN KEY (desk, event_id) REFERENCES desk_ticket_outbox (desk, event_id)`},
	{"desk_followups", `CONSTRAINT desk_followups_pkey PRIMARY KEY (desk, id)`},
	{"desk_roster", `CONSTRAINT desk_roster_pkey PRIMARY KEY (desk, id)`},
}

// rebuildSQL rebuilds the large tables with the keys of 007_desk_keys,
// PARTITION BY HASH (desk) into n partitions each, or plain for n = 0,
// copying every row. The old tables are renamed, stripped of their
// constraints and indexes (whose names the new tables take), copied and
// dropped; their indexes other than keys are created again on the new
// tables. The outbox's seq becomes a column with a sequence default (a
// partitioned table has no identity column in PostgreSQL 15); the
// notify trigger (004) is recreated as enabled or disabled as it was.
func rebuildSQL(n int) string {
	var b strings.Builder
	olds := make([]string, len(rebuilt))
	for i, t := range rebuilt {
		olds[i] = fmt.Sprintf("'%s_old'::regclass", t.name)
		fmt.Fprintf(&b, "ALTER TABLE %[1]s RENAME TO %[1]s_old;\n", t.name)
	}
	in := strings.Join(olds, ", ")
	// Up from version 6: the acknowledgements gain their desk and the
	// consumers' key leads with the scope, as in the plain step.
	b.WriteString(`ALTER TABLE desk_ticket_acks_old ADD COLUMN IF NOT EXISTS desk text;
UPDATE desk_ticket_acks_old a SET desk = o.desk FROM desk_ticket_outbox_old o WHERE a.desk IS NULL AND o.event_id = a.event_id;
ALTER TABLE desk_ticket_acks_old ALTER COLUMN desk SET NOT NULL;
ALTER TABLE desk_ticket_consumers DROP CONSTRAINT desk_ticket_consumers_pkey,
    ADD CONSTRAINT desk_ticket_consumers_pkey PRIMARY KEY (scope, consumer);
`)
	fmt.Fprintf(&b, `CREATE TEMP TABLE desk_rebuild_indexes ON COMMIT DROP AS
    SELECT pg_get_indexdef(indexrelid) AS def FROM pg_index WHERE indrelid IN (%[1]s) AND NOT indisunique;
CREATE TEMP TABLE desk_rebuild_notify ON COMMIT DROP AS
    SELECT tgenabled = 'D' AS disabled FROM pg_trigger
    WHERE tgname = 'desk_ticket_outbox_notify' AND tgrelid = 'desk_ticket_outbox_old'::regclass;
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT conrelid::regclass AS tbl, conname FROM pg_constraint
             WHERE conrelid IN (%[1]s) AND contype IN ('p', 'u', 'f') AND conparentid = 0 ORDER BY contype <> 'f' LOOP
        EXECUTE format('ALTER TABLE %%s DROP CONSTRAINT %%I', r.tbl, r.conname);
    END LOOP;
    FOR r IN SELECT indexrelid::regclass AS idx FROM pg_index WHERE indrelid IN (%[1]s) LOOP
        EXECUTE format('DROP INDEX %%s', r.idx);
    END LOOP;
END $$;
ALTER TABLE desk_ticket_outbox_old ALTER COLUMN seq DROP IDENTITY IF EXISTS, ALTER COLUMN seq DROP DEFAULT;
ALTER SEQUENCE IF EXISTS desk_ticket_outbox_order OWNED BY NONE;
CREATE SEQUENCE IF NOT EXISTS desk_ticket_outbox_order;
`, in)
	for _, t := range rebuilt {
		part := ""
		if n > 0 {
			part = " PARTITION BY HASH (desk)"
		}
		fmt.Fprintf(&b, "CREATE TABLE %[1]s (LIKE %[1]s_old INCLUDING DEFAULTS,\n    %[2]s)%[3]s;\n", t.name, t.keys, part)
		for r := 0; r < n; r++ {
			fmt.Fprintf(&b, "CREATE TABLE %[1]s_p%[2]d PARTITION OF %[1]s FOR VALUES WITH (MODULUS %[3]d, REMAINDER %[2]d);\n", t.name, r, n)
		}
		fmt.Fprintf(&b, "INSERT INTO %[1]s SELECT * FROM %[1]s_old;\n", t.name)
	}
	// The indexes that are not keys, as they were, on the new tables.
	b.WriteString(`DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT def FROM desk_rebuild_indexes LOOP
        EXECUTE replace(replace(r.def, ' ON ONLY ', ' ON '), '_old USING ', ' USING ');
    END LOOP;
    -- A partition's index is named after its parent's: desk_tickets_state_p3.
    FOR r IN SELECT c.oid::regclass AS child, p.relname AS parent, right(t.relname, strpos(reverse(t.relname), '_') - 1) AS part
             FROM pg_inherits h
             JOIN pg_class p ON p.oid = h.inhparent AND p.relkind = 'I'
             JOIN pg_class c ON c.oid = h.inhrelid
             JOIN pg_index x ON x.indexrelid = c.oid
             JOIN pg_class t ON t.oid = x.indrelid
             WHERE p.relnamespace = (SELECT relnamespace FROM pg_class WHERE oid = 'desk_tickets'::regclass) LOOP
        EXECUTE format('ALTER INDEX %s RENAME TO %I', r.child, r.parent || '_' || r.part);
    END LOOP;
END $$;
SELECT setval('desk_ticket_outbox_order', coalesce(max(seq), 0) + 1, false) FROM desk_ticket_outbox;
ALTER TABLE desk_ticket_outbox ALTER COLUMN seq SET DEFAULT nextval('desk_ticket_outbox_order');
ALTER SEQUENCE desk_ticket_outbox_order OWNED BY desk_ticket_outbox.seq;
`)
	for i := len(rebuilt) - 1; i >= 0; i-- {
		fmt.Fprintf(&b, "DROP TABLE %s_old;\n", rebuilt[i].name)
	}
	b.WriteString(`CREATE TRIGGER desk_ticket_outbox_notify AFTER INSERT ON desk_ticket_outbox
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION desk_ticket_outbox_notify();
DO $$
BEGIN
    IF coalesce((SELECT bool_or(disabled) FROM desk_rebuild_notify), true) THEN
        ALTER TABLE desk_ticket_outbox DISABLE TRIGGER desk_ticket_outbox_notify;
    END IF;
END $$;
`)
	return b.String()
}
