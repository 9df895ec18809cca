-- 0004: history as columns. A change (lead.Change) is a flat
-- record of strings and one instant: each part gets a text column, so
-- that a write sends text arrays, with no JSON to encode in the client
-- or parse into jsonb in the server, and a report reads the parts it
-- compares without extracting them from a body. The keys compared or
-- grouped (actor, event, from_key, to_key, rule) use the "C" collation,
-- byte by byte as Go compares; the reason is free text. The instant
-- stays the at column: a timestamptz keeps microseconds, the precision
-- every store keeps (leadline.Store) and the engine writes, so the
-- body's own text of the instant is not needed to read it back Equal.
-- A key absent from an old body reads "", as decoding it did.
ALTER TABLE @schema.history
	ADD COLUMN actor    text COLLATE "C",
	ADD COLUMN event    text COLLATE "C",
	ADD COLUMN from_key text COLLATE "C",
	ADD COLUMN to_key   text COLLATE "C",
	ADD COLUMN rule     text COLLATE "C",
	ADD COLUMN reason   text;
UPDATE @schema.history SET
	actor    = coalesce(body->>'actor', ''),
	event    = coalesce(body->>'event', ''),
	from_key = coalesce(body->>'from', ''),
	to_key   = coalesce(body->>'to', ''),
	rule     = coalesce(body->>'rule', ''),
	reason   = coalesce(body->>'reason', '');
ALTER TABLE @schema.history
	DROP COLUMN body,
	ALTER COLUMN actor SET NOT NULL,
	ALTER COLUMN event SET NOT NULL,
	ALTER COLUMN from_key SET NOT NULL,
	ALTER COLUMN to_key SET NOT NULL,
	ALTER COLUMN rule SET NOT NULL,
	ALTER COLUMN reason SET NOT NULL;
