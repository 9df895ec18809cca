-- 0001: the tables of a leadline store. @schema is replaced by the
-- configured schema, quoted as an identifier. Identifiers and owners use
-- the "C" collation so that the database orders them as Go compares
-- strings, byte by byte.

-- leads holds one row per lead: the lead as JSON (body) and the columns
-- the queries filter and order on, kept in step with it by every write.
CREATE TABLE @schema.leads (
	id        text COLLATE "C" PRIMARY KEY,
	version   bigint NOT NULL,
	owner     text COLLATE "C" NOT NULL,
	created   timestamptz NOT NULL,
	open      boolean NOT NULL,   -- open work: a running cadence or an outstanding request (report.Reader.Open)
	active    boolean NOT NULL,   -- a running cadence (M9's load)
	attempted boolean NOT NULL,   -- a running cadence at Stage1..Stage4 (V1's worklist)
	desk      text NOT NULL,
	body      jsonb NOT NULL,
	-- the campaigns the lead responded to (M6), as a JSON array
	campaigns jsonb GENERATED ALWAYS AS (jsonb_path_query_array(body, '$.responses[*].campaign')) STORED
) WITH (fillfactor = 70); -- room on each page for the new version of a row, so that a write that changes no indexed column updates no index (a HOT update)
CREATE INDEX leads_open ON @schema.leads (owner, id) WHERE open;
CREATE INDEX leads_active ON @schema.leads (owner) WHERE active;
CREATE INDEX leads_created ON @schema.leads (created, id);
CREATE INDEX leads_campaigns ON @schema.leads USING gin (campaigns);

-- history holds every change of every lead (E3); seq is the write order.
CREATE TABLE @schema.history (
	lead  text COLLATE "C" NOT NULL,
	seq   bigserial NOT NULL,
	at    timestamptz NOT NULL,
	field text NOT NULL,
	body  jsonb NOT NULL,
	PRIMARY KEY (lead, seq)
);
CREATE INDEX history_at ON @schema.history (at, lead, seq);
CREATE INDEX history_score ON @schema.history (lead, at, seq) WHERE field = 'score';

-- deadlines holds the pending deadlines (E5); claimed_until is the end of
-- a sweeper's claim, null when unclaimed.
CREATE TABLE @schema.deadlines (
	id            bigserial PRIMARY KEY,
	lead          text COLLATE "C" NOT NULL,
	kind          text COLLATE "C" NOT NULL,
	due           timestamptz NOT NULL,
	claimed_until timestamptz
) WITH (fillfactor = 80); -- room for claims to update in place (HOT)
CREATE INDEX deadlines_lead ON @schema.deadlines (lead);
CREATE INDEX deadlines_due ON @schema.deadlines (due, lead, kind);

-- seen holds the event ids each lead's writes recorded (E2), with the
-- write's instant for retention and the event's fingerprint.
CREATE TABLE @schema.seen (
	lead  text COLLATE "C" NOT NULL,
	event text COLLATE "C" NOT NULL,
	at    timestamptz NOT NULL,
	print bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (lead, event)
);
CREATE INDEX seen_at ON @schema.seen (lead, at);

-- outbox holds the notifications until acknowledged (E4), in write order
-- (seq), and the dead letters (dead, in dead_seq order).
CREATE TABLE @schema.outbox (
	seq          bigserial PRIMARY KEY,
	key          text COLLATE "C" NOT NULL UNIQUE,
	body         jsonb NOT NULL,
	attempts     integer NOT NULL DEFAULT 0,
	hidden_until timestamptz,
	dead         boolean NOT NULL DEFAULT false,
	dead_seq     bigint,
	dead_at      timestamptz,
	err          text
);
CREATE INDEX outbox_dead ON @schema.outbox (dead_seq) WHERE dead;

-- sequences holds the next number of each round-robin sequence (M9).
CREATE TABLE @schema.sequences (
	name text COLLATE "C" PRIMARY KEY,
	next bigint NOT NULL
);

-- campaigns holds the campaigns (M7).
CREATE TABLE @schema.campaigns (
	id      text COLLATE "C" PRIMARY KEY,
	version bigint NOT NULL,
	body    jsonb NOT NULL
);
