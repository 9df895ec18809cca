-- 0005: less work in every write of a lead and of a notification.
--
-- The index of the campaigns a lead responded to (M6) holds only the
-- leads that responded to one: a GIN index takes an entry for every row
-- version a write makes that does not stay on its page (an owner change,
-- a T1 reassignment, never does), and an entry for an empty list was a
-- tenth of the CPU of a sweep's writes. The store's query of the leads of
-- a campaign states the index's condition, which its own condition
-- implies (a list that holds a campaign is not empty).
DROP INDEX @schema.leads_campaigns;
CREATE INDEX leads_campaigns ON @schema.leads USING gin (campaigns) WHERE campaigns <> '[]'::jsonb;

-- A notification's body is json, kept as the client wrote it: the server
-- checks its syntax and does not build a jsonb of it, which no statement
-- reads into; the store decodes it whole.
ALTER TABLE @schema.outbox ALTER COLUMN body TYPE json USING body::text::json;
