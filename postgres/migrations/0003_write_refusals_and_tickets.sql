-- 0003: the refusals of a write, raised by the server inside the write's
-- one statement so that the write commits in the round trip that sends it.
-- refuse raises for the write at index write (from 0) of a
-- batch: SQLSTATE LLD01 when an event id it records was recorded before
-- (E2), LLC01 when its lead's compare-and-set found another version.
-- DETAIL carries the write's index as a number, for the client to name
-- the write; the client branches on the SQLSTATE, never on the message.
CREATE FUNCTION @schema.refuse(write bigint, duplicate boolean) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	IF duplicate THEN
		RAISE EXCEPTION 'leadline: write % records an event id recorded before', write
			USING ERRCODE = 'LLD01', DETAIL = write::text;
	END IF;
	RAISE EXCEPTION 'leadline: write % read a version of its lead that is no longer the stored one', write
		USING ERRCODE = 'LLC01', DETAIL = write::text;
END
$$;

-- Each round-robin sequence (M9) becomes a PostgreSQL sequence, named
-- by a hash of the team's sequence name: nextval hands out each number
-- once, however many sessions call at once, holds no lock until the
-- caller commits, and makes the caller wait for the disk once in 32
-- numbers rather than at each (a team's tickets, one per assignment,
-- were a row update each, committed one after the other behind the
-- row's lock). A crash of the database can skip up to 32 places, never
-- hand one out twice. ticket_seq names the sequence of name, as text.
CREATE FUNCTION @schema.ticket_seq(name text) RETURNS text
LANGUAGE sql IMMUTABLE AS $f$ SELECT $s$@schema.$s$ || quote_ident('ticket_' || md5(name)) $f$;

-- next_ticket_seq creates the sequence of name at its first use.
CREATE FUNCTION @schema.next_ticket_seq(name text) RETURNS void
LANGUAGE plpgsql AS $f$
DECLARE
	seq text := @schema.ticket_seq(name);
BEGIN
	IF to_regclass(seq) IS NULL THEN
		BEGIN
			EXECUTE format('CREATE SEQUENCE IF NOT EXISTS %s MINVALUE 0 START 0', seq);
		EXCEPTION WHEN unique_violation OR duplicate_table THEN
			NULL; -- created at the same moment by another taker
		END;
	END IF;
END
$f$;

-- next_ticket takes a place of the sequence name: the smallest given
-- back, else the next number, from 0, creating the sequence at its first
-- use. One statement, its own transaction: a round trip per place.
CREATE FUNCTION @schema.next_ticket(name text) RETURNS bigint
LANGUAGE plpgsql AS $f$
DECLARE
	n bigint;
	seq text := @schema.ticket_seq(name);
BEGIN
	-- A place given back is taken first, smallest first; SKIP LOCKED
	-- lets two takers each take a different one at once.
	DELETE FROM @schema.returned r WHERE (r.name, r.number) = (
		SELECT g.name, g.number FROM @schema.returned g WHERE g.name = next_ticket.name
		ORDER BY g.number LIMIT 1 FOR UPDATE SKIP LOCKED)
	RETURNING r.number INTO n;
	IF FOUND THEN
		RETURN n;
	END IF;
	PERFORM @schema.next_ticket_seq(name);
	RETURN nextval(seq::regclass);
END
$f$;

-- next_tickets takes n places of the sequence name at once, as n calls
-- of next_ticket would: the smallest given back first, then the next
-- numbers. A sweep's batch takes the places of its reassignments with it.
CREATE FUNCTION @schema.next_tickets(name text, n integer) RETURNS SETOF bigint
LANGUAGE plpgsql AS $f$
DECLARE
	back bigint[];
	seq text := @schema.ticket_seq(name);
BEGIN
	WITH g AS (
		SELECT r.name, r.number FROM @schema.returned r WHERE r.name = next_tickets.name
		ORDER BY r.number LIMIT n FOR UPDATE SKIP LOCKED),
	d AS (
		DELETE FROM @schema.returned r USING g WHERE (r.name, r.number) = (g.name, g.number)
		RETURNING r.number)
	SELECT coalesce(array_agg(d.number ORDER BY d.number), '{}') INTO back FROM d;
	RETURN QUERY SELECT unnest(back);
	IF cardinality(back) < n THEN
		PERFORM @schema.next_ticket_seq(name);
		RETURN QUERY SELECT nextval(seq::regclass) FROM generate_series(1, n - cardinality(back));
	END IF;
END
$f$;

-- taken_below is the number below which every place of the sequence name
-- was taken: 0 for a sequence never used.
CREATE FUNCTION @schema.taken_below(name text) RETURNS bigint
LANGUAGE sql STABLE AS $f$
	SELECT coalesce(pg_sequence_last_value(to_regclass(@schema.ticket_seq(name))) + 1, 0)
$f$;

-- The sequences' numbers carry over.
DO $f$
DECLARE
	r record;
BEGIN
	FOR r IN SELECT name, next FROM @schema.sequences WHERE next > 0 LOOP
		EXECUTE format('CREATE SEQUENCE %s MINVALUE 0 START %s', @schema.ticket_seq(r.name), r.next - 1);
		PERFORM nextval(@schema.ticket_seq(r.name)::regclass);
	END LOOP;
END
$f$;
DROP TABLE @schema.sequences;
