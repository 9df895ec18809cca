#!/usr/bin/env bash
# Measures the PostgreSQL store (issue 12) against the database's own
# ceiling, on the database of LEADLINE_TEST_DATABASE_URL:
#   - pgbench -N -c 8 for 30 s: the tps of a plain write transaction;
#   - Engine.Handle, one transaction per event, 8 goroutines (target: 80%
#     of pgbench's tps) and Engine.HandleBatch, 10 events a write (target:
#     5 times Handle's events/s);
#   - with -big (set PG_BIG=0 to skip): a sweep of 10,000 due deadlines
#     among 1,000,000 leads (target: under 1 s) and each report on
#     1,000,000 leads with 30 days of history (target: under 2 s each).
# The big setup loads the tables with COPY: a few minutes on 2 cores. Run
# nothing else meanwhile.
set -euo pipefail
cd "$(dirname "$0")/.."
export LEADLINE_TEST_DATABASE_URL="${LEADLINE_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}"
url="$LEADLINE_TEST_DATABASE_URL"

echo "== pgbench -N -c 8 -T 30 (the ceiling)"
pgbench -i -q "$url" >/dev/null 2>&1
pgbench -N -c 8 -j 2 -T 30 "$url" 2>&1 | grep -E 'tps|latency average'
pgbench -i -I d "$url" >/dev/null 2>&1 # drop pgbench's tables

echo "== Engine.Handle and Engine.HandleBatch, 8 goroutines"
go test -run '^$' -bench 'BenchmarkHandle' -benchtime=20s -count=1 ./postgres/

if [ "${PG_BIG:-1}" = 1 ]; then
  echo "== 1,000,000 leads"
  go test ./postgres/ -run '^$' -bench 'BenchmarkSweep|BenchmarkReports' -benchtime=3x -count=1 -timeout=60m -big
fi
