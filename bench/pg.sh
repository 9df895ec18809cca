#!/usr/bin/env bash
# Measures the PostgreSQL store against the database's own
# ceiling, on the database of LEADLINE_TEST_DATABASE_URL, and prints both
# sides of each ratio from this one run:
#   - pgbench -N -c 8 for 30 s: the tps of a plain write transaction;
#   - Engine.Handle, one transaction per event, 8 goroutines (target: 80%
#     of pgbench's tps) and Engine.HandleBatch, one write per batch of
#     10 events and of 40 (a realistic burst of one lead; target: 5 times
#     pgbench's tps in events/s);
#   - with -big (set PG_BIG=0 to skip): a sweep of 10,000 due deadlines
#     among 1,000,000 leads (target: under 1 s, so 10,000 deadlines/s)
#     and each report on 1,000,000 leads with 30 days of history (target:
#     under 2 s each). PG_BENCH selects the big benchmarks (default both).
# The big setup loads the tables with COPY: a few minutes on 2 cores. Run
# nothing else meanwhile. PG_REUSE=1 keeps the loaded schemas
# (bench_sweep, bench_reports) for the next run, which then skips the
# setup (go test -reuse). Each big benchmark also reports the CPU time of
# an op, the client's and the database's (client-cpu-ms/op,
# server-cpu-ms/op), which another load on the machine stretches less
# than ns/op.
set -euo pipefail
cd "$(dirname "$0")/.."
export LEADLINE_TEST_DATABASE_URL="${LEADLINE_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}"
url="$LEADLINE_TEST_DATABASE_URL"
out="$(mktemp)"
trap 'rm -f "$out"' EXIT

echo "== pgbench -N -c 8 -T 30 (the ceiling)"
pgbench -i -q "$url" >/dev/null 2>&1
pgbench -N -c 8 -j 2 -T 30 "$url" 2>&1 | grep -E 'tps|latency average' | tee "$out"
pgbench -i -I d "$url" >/dev/null 2>&1 # drop pgbench's tables
tps="$(awk '/^tps/ {print $3}' "$out")"

echo "== Engine.Handle and Engine.HandleBatch, 8 goroutines"
go test -run '^$' -bench 'BenchmarkHandle' -benchtime="${PG_BENCHTIME:-20s}" -count=1 ./postgres/ | tee "$out"
echo "== ratios to pgbench's $tps tps"
awk -v tps="$tps" '/^BenchmarkHandle/ {
	for (i = 1; i < NF; i++) if ($(i+1) == "events/s") printf "%-40s %9.0f events/s = %5.2f x pgbench\n", $1, $i, $i / tps
}' "$out"

if [ "${PG_BIG:-1}" = 1 ]; then
  echo "== 1,000,000 leads"
  reuse=()
  if [ "${PG_REUSE:-0}" = 1 ]; then reuse=(-reuse); fi
  go test ./postgres/ -run '^$' -bench "${PG_BENCH:-BenchmarkSweep|BenchmarkReports}" -benchtime=3x -count=1 -timeout=60m -big ${reuse[@]+"${reuse[@]}"}
fi
