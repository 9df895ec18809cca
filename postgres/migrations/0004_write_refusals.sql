-- 0004: the refusals of a write, raised by the server inside the write's
-- one statement so that the write commits in the round trip that sends it
-- (issue 12). refuse raises for the write at index write (from 0) of a
-- batch: SQLSTATE LLD01 when an event id it records was recorded before
-- (E2), LLC01 when its lead's compare-and-set found another version (E6).
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
