package postgres

import "strings"

// queries holds the store's SQL with the schema's tables qualified by
// name, so that no statement depends on search_path. The schema is
// quoted as an identifier once, in New; every value is a parameter.
type queries struct {
	lead, seen, seenMany, history string
	genericPlan, asyncCommit      string
	pruneHistory, pruneSeen       string
	// The parts of a write's one statement (apply): CTEs whose
	// placeholders (%s) are the parameters' numbers, and the check.
	updateCTE, insertCTE, seenCTE, noSeenCTE string
	historyCTE, dropCTE, deadlinesCTE        string
	outboxCTE, checkWrites                   string
	// The parts of a single write's statement (oneStatement): rows as
	// VALUES, written between a part's text and its end.
	updateOne, insertOne, seenRows, seenRowsEnd    string
	historyRows, dropOne, deadlineRows, outboxRows string
	outboxRowsEnd, checkOne                        string
	claimDue, releaseDue, load                     string
	takeTicket, takeTickets, giveBack              string
	claimOutbox, ack, failRetry, failDead, dead    string
	releaseOutbox                                  string
	revive                                         string
	// outboxTable is the outbox's qualified name, a parameter of the
	// statements that draw from its sequence.
	outboxTable                                string
	campaign, insertCampaign, updateCampaign   string
	campaigns, leadsBase                       string
	open, openAll, created, changes, changesOf string
	leadsByID, scoreLead, scoreEntries         string
	openSummaries, openAllSummaries            string
	createdSummaries, funnelSteps              string
	slaEntries, slaLeads                       string
}

func newQueries(schema string) queries {
	r := strings.NewReplacer("@s.", schema+".")
	q := func(sql string) string { return r.Replace(sql) }
	const leadCols = `id, version, owner, created, open, active, attempted, desk, body`
	return queries{
		outboxTable: schema + ".outbox",
		lead:        q(`SELECT version, body FROM @s.leads WHERE id = $1`),
		seen:        q(`SELECT print FROM @s.seen WHERE lead = $1 AND event = $2`),
		seenMany:    q(`SELECT event, print FROM @s.seen WHERE lead = $1 AND event = ANY($2::text[])`),
		history:     q(`SELECT ` + changeCols + ` FROM @s.history WHERE lead = $1 ORDER BY seq`),

		genericPlan: `SELECT set_config('plan_cache_mode', 'force_generic_plan', true)`,
		asyncCommit: `SELECT set_config('synchronous_commit', 'off', true)`,
		// The parts of a write's statement: its leads' compare-and-set
		// (upd) or insert (ins), its event ids (seen), history, deadlines
		// and notifications, each a data-modifying CTE; then the check of
		// the writes, in batch order (checkWrites): the first whose event
		// ids were not all recorded, or whose lead was not written, makes
		// refuse raise, duplicate first (E2).
		updateCTE: q(`upd AS (UPDATE @s.leads l SET version = u.version + 1, owner = u.owner, created = u.created,
			open = u.open, active = u.active, attempted = u.attempted, desk = u.desk, body = u.body::jsonb
			FROM unnest(%s::text[], %s::bigint[], %s::text[], %s::timestamptz[], %s::bool[], %s::bool[], %s::bool[], %s::text[], %s::text[])
			AS u(` + leadCols + `)
			WHERE l.id = u.id AND l.version = u.version RETURNING l.id)`),
		insertCTE: q(`ins AS (INSERT INTO @s.leads (` + leadCols + `)
			SELECT id, 1, owner, created, open, active, attempted, desk, body::jsonb
			FROM unnest(%s::text[], %s::bigint[], %s::text[], %s::timestamptz[], %s::bool[], %s::bool[], %s::bool[], %s::text[], %s::text[])
			AS u(` + leadCols + `)
			ON CONFLICT (id) DO NOTHING RETURNING id)`),
		seenCTE: q(`, seen AS (INSERT INTO @s.seen (lead, event, at, print)
			SELECT * FROM unnest(%s::text[], %s::text[], %s::timestamptz[], %s::bigint[])
			ON CONFLICT (lead, event) DO NOTHING RETURNING lead)`),
		noSeenCTE: `, seen AS (SELECT NULL::text AS lead WHERE false)`,
		historyCTE: q(`, hist AS (INSERT INTO @s.history (` + historyCols + `)
			SELECT ` + historyCols + `
			FROM unnest(%s::text[], %s::timestamptz[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[])
				WITH ORDINALITY AS u(` + historyCols + `, n)
			ORDER BY n)`),
		// The deadlines of the leads whose deadlines changed are
		// replaced: the delete sees the table as it was before the
		// statement, so it never removes the rows the insert adds.
		dropCTE: q(`, dropped AS (DELETE FROM @s.deadlines WHERE lead = ANY(%s::text[]))`),
		deadlinesCTE: q(`, due AS (INSERT INTO @s.deadlines (lead, kind, due)
			SELECT * FROM unnest(%s::text[], %s::text[], %s::timestamptz[]))`),
		outboxCTE: q(`, notes AS (INSERT INTO @s.outbox (key, body)
			SELECT key, body::json FROM unnest(%s::text[], %s::text[]) WITH ORDINALITY AS u(key, body, n)
			ORDER BY n ON CONFLICT (key) DO NOTHING)`),
		checkWrites: q(`
			SELECT @s.refuse(f.n - 1, f.duplicate) FROM (
				SELECT w.n, coalesce(s.c, 0) < w.want AS duplicate
				FROM unnest(%s::text[], %s::int[]) WITH ORDINALITY AS w(id, want, n)
				LEFT JOIN (SELECT lead, count(*) AS c FROM seen GROUP BY lead) s ON s.lead = w.id
				WHERE coalesce(s.c, 0) < w.want OR NOT EXISTS (SELECT FROM written WHERE written.id = w.id)
				ORDER BY w.n LIMIT 1) f`),
		// A single write's statement: the same parts with a parameter
		// for each value, the lead's CTE named w whether it updates or
		// inserts.
		updateOne: q(`WITH w AS (UPDATE @s.leads l SET version = %[2]s + 1, owner = %[3]s, created = %[4]s,
			open = %[5]s, active = %[6]s, attempted = %[7]s, desk = %[8]s, body = %[9]s::jsonb
			WHERE l.id = %[1]s AND l.version = %[2]s RETURNING 1)`),
		insertOne: q(`WITH w AS (INSERT INTO @s.leads (` + leadCols + `)
			VALUES (%s, 1, %s, %s, %s, %s, %s, %s, %s::jsonb)
			ON CONFLICT (id) DO NOTHING RETURNING 1)`),
		seenRows:     q(`, seen AS (INSERT INTO @s.seen (lead, event, at, print) VALUES `),
		seenRowsEnd:  ` RETURNING lead)`,
		historyRows:  q(`, hist AS (INSERT INTO @s.history (` + historyCols + `) VALUES `),
		dropOne:      q(`, dropped AS (DELETE FROM @s.deadlines WHERE lead = %s)`),
		deadlineRows: q(`, due AS (INSERT INTO @s.deadlines (lead, kind, due) VALUES `),
		// VALUES are inserted in their order, so the notifications' seq
		// is their order in the write, as with the arrays.
		outboxRows:    q(`, notes AS (INSERT INTO @s.outbox (key, body) SELECT key, body::json FROM (VALUES `),
		outboxRowsEnd: ` ) AS u(key, body) ON CONFLICT (key) DO NOTHING)`,
		// A single write's event ids are inserted plainly, without the
		// speculative insertion of ON CONFLICT: one recorded before makes
		// the insert fail with a unique violation on seen, which refusal
		// reads as a duplicate (E2). The check reads seen first, so that
		// the inserts run, and fail, before a compare-and-set that
		// matched nothing refuses the write: a write both stale and
		// repeated reads as a duplicate, as a batch's does. No count of
		// rows is below zero.
		checkOne: q(`
			SELECT @s.refuse(0, false) WHERE (SELECT count(*) FROM seen) < 0 OR NOT EXISTS (SELECT FROM w)`),
		pruneHistory: q(`DELETE FROM @s.history h USING unnest($1::text[], $2::timestamptz[]) AS u(lead, since)
			WHERE h.lead = u.lead AND h.at < u.since`),
		pruneSeen: q(`DELETE FROM @s.seen s USING unnest($1::text[], $2::timestamptz[]) AS u(lead, since)
			WHERE s.lead = u.lead AND s.at < u.since`),

		// The claimed rows are found by id in the primary key, one probe
		// each (= ANY of an array): joined with the CTE instead, the
		// planner may merge-join over the whole key, every deadline's,
		// when the claimed ones are spread over it.
		claimDue: q(`UPDATE @s.deadlines SET claimed_until = $3
			WHERE id = ANY(ARRAY(
				SELECT id FROM @s.deadlines
				WHERE due < $1 AND (claimed_until IS NULL OR claimed_until <= $1)
				ORDER BY due, lead, kind LIMIT $2
				FOR UPDATE SKIP LOCKED))
			RETURNING lead, kind, due`),
		releaseDue: q(`UPDATE @s.deadlines d SET claimed_until = NULL
			FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS u(lead, kind, due)
			WHERE d.lead = u.lead AND d.kind = u.kind AND d.due = u.due AND d.claimed_until IS NOT NULL`),
		// A place of a round-robin sequence: the smallest given back,
		// else the sequence's next number (migration 0003), in one
		// statement, its own transaction (M9).
		takeTicket:  q(`SELECT @s.next_ticket($1)`),
		takeTickets: q(`SELECT @s.next_tickets($1, $2)`),
		// Places given back: only those taken (below the sequence's next),
		// each once.
		giveBack: q(`INSERT INTO @s.returned (name, number)
			SELECT u.name, u.number FROM unnest($1::text[], $2::bigint[]) AS u(name, number)
			WHERE u.number < @s.taken_below(u.name)
			ON CONFLICT DO NOTHING`),
		load: q(`SELECT owner, count(*) FROM @s.leads WHERE active AND owner = ANY($1::text[]) GROUP BY owner`),

		claimOutbox: q(`WITH c AS (
				SELECT seq FROM @s.outbox
				WHERE NOT dead AND (hidden_until IS NULL OR hidden_until <= $1)
				ORDER BY seq LIMIT $2
				FOR UPDATE SKIP LOCKED)
			UPDATE @s.outbox o SET hidden_until = $3, attempts = o.attempts + 1 FROM c WHERE o.seq = c.seq
			RETURNING o.seq, o.body, o.attempts - 1`),
		ack: q(`DELETE FROM @s.outbox WHERE key = ANY($1::text[])`),
		releaseOutbox: q(`UPDATE @s.outbox SET hidden_until = NULL, attempts = attempts - 1
			WHERE key = ANY($1::text[]) AND hidden_until = $2 AND NOT dead AND attempts > 0`),
		failRetry: q(`UPDATE @s.outbox SET hidden_until = $2 WHERE key = $1 AND NOT dead`),
		failDead: q(`UPDATE @s.outbox SET dead = true, dead_seq = nextval(pg_get_serial_sequence($4, 'seq')),
			dead_at = $2, err = $3 WHERE key = $1 AND NOT dead`),
		dead: q(`SELECT body, attempts, dead_at, err FROM @s.outbox WHERE dead ORDER BY dead_seq`),
		revive: q(`UPDATE @s.outbox SET dead = false, seq = nextval(pg_get_serial_sequence($2, 'seq')),
			attempts = 0, hidden_until = NULL, dead_seq = NULL, dead_at = NULL, err = NULL
			WHERE key = $1 AND dead`),

		campaign:       q(`SELECT version, body FROM @s.campaigns WHERE id = $1`),
		insertCampaign: q(`INSERT INTO @s.campaigns (id, version, body) SELECT $1, $2 + 1, $3::jsonb ON CONFLICT (id) DO NOTHING`),
		updateCampaign: q(`UPDATE @s.campaigns SET version = $2 + 1, body = $3::jsonb WHERE id = $1 AND version = $2`),
		campaigns:      q(`SELECT version, body FROM @s.campaigns ORDER BY id`),
		leadsBase:      q(`SELECT version, body FROM @s.leads WHERE id > $1`),

		open:             q(`SELECT version, body FROM @s.leads WHERE open AND owner = ANY($1::text[]) ORDER BY owner, id`),
		openAll:          q(`SELECT version, body FROM @s.leads WHERE open ORDER BY owner, id`),
		created:          q(`SELECT version, body FROM @s.leads WHERE created >= $1 AND created < $2 ORDER BY created, id`),
		changes:          q(`SELECT ` + changeCols + ` FROM @s.history WHERE at >= $1 AND at < $2 ORDER BY at, lead, seq`),
		changesOf:        q(`SELECT ` + changeCols + ` FROM @s.history WHERE at >= $1 AND at < $2 AND field = ANY($3::text[]) ORDER BY at, lead, seq`),
		openSummaries:    q(`SELECT ` + summaryCols(true) + ` FROM @s.leads WHERE open AND owner = ANY($1::text[]) ORDER BY owner, id`),
		openAllSummaries: q(`SELECT ` + summaryCols(true) + ` FROM @s.leads WHERE open ORDER BY owner, id`),
		createdSummaries: q(`SELECT ` + summaryCols(false) + ` FROM @s.leads WHERE created >= $1 AND created < $2 ORDER BY created, id`),
		// The steps are computed per entry and grouped by lead, in
		// parallel where the server has workers to spare: each worker
		// groups its part of the period's history, the leader merges
		// (a fence such as OFFSET 0 between the two would forbid that,
		// and cost a fifth more time on 1,000,000 leads).
		funnelSteps: q(`SELECT s.lead, l.owner, l.desk, l.campaigns <> '[]'::jsonb,
				s.mql, s.approached, s.connected, s.presql, s.accepted, s.opportunity
			FROM (SELECT lead, bool_or(mql) AS mql, bool_or(approached) AS approached, bool_or(connected) AS connected,
					bool_or(presql) AS presql, bool_or(accepted) AS accepted, bool_or(opportunity) AS opportunity
				FROM (SELECT lead,
						field = 'request' AND t = $3 AND f <> $4 AS mql,
						field = 'stage' AND t = $5 AND f <> t AS approached,
						field = 'stage' AND t = $6 AND f <> t AS connected,
						field = 'handoff' AND t = $7 AS presql,
						field = 'handoff' AND t = $8 AS accepted,
						field = 'feedback' AND strpos(t, 'opportunity=yes') > 0 AND strpos(f, 'opportunity=yes') = 0 AS opportunity
					FROM (SELECT lead, field, from_key AS f, to_key AS t
						FROM @s.history WHERE at >= $1 AND at < $2 AND field IN ('request', 'stage', 'handoff', 'feedback')) e) h
				GROUP BY lead) s
			JOIN @s.leads l ON l.id = s.lead
			ORDER BY s.lead`),
		// The period's entries that count for the SLA (V9), each reduced
		// to a kind (slaKind, $3..$7 the keys of an open request, an
		// overdue one, Connected, a done one and Stage1 to Stage4) and, for
		// an owner change, its From and To, with its lead, instant and
		// place in write order (seq): SLACounts puts each lead's in order
		// and walks them once. The entries that count nothing are dropped
		// in the scan, which is all the statement does, so parallel
		// workers may share it; sorting the rows by lead on the server
		// cost a third of the statement.
		slaEntries: q(`SELECT lead, at, seq,
				CASE WHEN field = 'owner' THEN 1 + CASE rule WHEN 'T1' THEN 8 WHEN 'T13' THEN 8 WHEN 'T10' THEN 16 ELSE 0 END
					WHEN field = 'request' AND to_key = $6 THEN 6
					WHEN field = 'request' THEN 2
					WHEN rule = 'T7' THEN 3
					WHEN to_key = $5 AND from_key <> to_key THEN 4
					ELSE 5 + CASE WHEN rule <> 'T9' THEN 32 ELSE 0 END
				END::int4,
				CASE WHEN field = 'owner' THEN from_key END, CASE WHEN field = 'owner' THEN to_key END
			FROM @s.history
			WHERE at >= $1 AND at < $2 AND (field = 'owner'
				OR field = 'request' AND (to_key = $3 AND from_key <> $4 OR to_key = $6 AND rule = 'A4')
				OR field = 'stage' AND (rule = 'T7' OR from_key <> to_key AND (to_key = $5 OR to_key = ANY($7::text[]))))`),
		// The owner and desk of the leads with counting entries, in one
		// scan of the primary key over the sorted ids.
		slaLeads:  q(`SELECT id, owner, desk FROM @s.leads WHERE id = ANY($1::text[]) ORDER BY id`),
		leadsByID: q(`SELECT version, body FROM @s.leads WHERE id = ANY($1::text[]) ORDER BY id`),
		scoreLead: q(`SELECT version, body FROM @s.leads WHERE id = $1`),
		scoreEntries: q(`(SELECT ` + changeCols + ` FROM @s.history WHERE lead = $1 AND field = 'score' AND at <= $2 ORDER BY at DESC, seq DESC LIMIT 1)
			UNION ALL
			(SELECT ` + changeCols + ` FROM @s.history WHERE lead = $1 AND field = 'score' AND at > $2 ORDER BY at, seq LIMIT 1)`),
	}
}
