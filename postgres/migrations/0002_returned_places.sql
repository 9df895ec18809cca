-- returned holds the round-robin places given back by steps whose write
-- did not happen (E2, M9): NextTicket takes them first, smallest first.
CREATE TABLE @schema.returned (
	name text COLLATE "C" NOT NULL,
	number bigint NOT NULL,
	PRIMARY KEY (name, number)
);
