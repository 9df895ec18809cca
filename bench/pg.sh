#!/usr/bin/env bash
# Measures the PostgreSQL store against the database's own
# ceiling, on the database of LEADLINE_TEST_DATABASE_URL, and prints both
# sides of each ratio from this one run:
#   - pgbench -N -c 8 for 30 s (PG_PGBENCH_T): the tps of a plain write
#     transaction;
#   - Engine.Handle, one transaction per event, 8 goroutines (target: 80%
#     of pgbench's tps; also the CPU per event against pgbench's CPU per
#     transaction, which the machine's other tenants move less) and Engine.HandleBatch, one write per batch of
#     10 events and of 40 (a realistic burst of one lead; target: 5 times
#     pgbench's tps in events/s);
#   - with -big (set PG_BIG=0 to skip): a sweep of 10,000 due deadlines
#     among 1,000,000 leads (target: under 1 s, so 10,000 deadlines/s)
#     and each report on 1,000,000 leads with 30 days of history (target:
#     under 2 s each). PG_BENCH selects the big benchmarks (default both).
# PG_ROUNDS=n runs the first two n times, alternating, each round's
# ratios from its own runs, and prints the median ratio of the rounds:
# on a machine others load, pgbench's rate and the engine's swing
# between runs, and their ratio within a round less.
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
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
out="$tmp/out"
go test -c -o "$tmp/pg.test" ./postgres/

# db_ticks prints the CPU time, in clock ticks, the database's processes
# (named postgres) have used, their ended children's included.
# A process that ends while cat reads is skipped.
db_ticks() { { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk '$2 == "(postgres)" {s += $14 + $15 + $16 + $17} END {print s + 0}'; }
hz="$(getconf CLK_TCK)"

# median prints, for each benchmark of the lines in $1, the median of
# the field $2 over the rounds.
median() {
	sort -k1,1 -k"$2","$2"n "$1" | awk -v f="$2" '{r[$1] = r[$1] " " $f; n[$1]++}
		END {for (b in r) {split(substr(r[b], 2), v, " "); m = (n[b] % 2) ? v[(n[b] + 1) / 2] : (v[n[b] / 2] + v[n[b] / 2 + 1]) / 2
			printf "%-40s %5.2f (rounds:%s)\n", b, m, r[b]}}' | sort
}

# PG_ROUNDS rounds (default 1) of pgbench then the Handle benchmarks, each
# round's ratios from its own two runs: other loads on a shared machine
# move both, and the median of the rounds' ratios moves less than
# either. Each round also compares the CPU time a transaction of
# pgbench takes (pgbench's own and the database's) with the CPU time of
# an event (the engine's process and the database's): time stolen by
# the machine's other tenants stretches the rates, not the CPU times.
rounds="${PG_ROUNDS:-1}"
pgbench -i -q "$url" >/dev/null 2>&1
for round in $(seq 1 "$rounds"); do
	echo "== round $round of $rounds: pgbench -N -c 8 -T ${PG_PGBENCH_T:-30} (the ceiling)"
	db0="$(db_ticks)"
	(pgbench -N -c 8 -j 2 -T "${PG_PGBENCH_T:-30}" "$url" 2>&1; times) >"$tmp/pgbench"
	db1="$(db_ticks)"
	grep -E 'tps|latency average' "$tmp/pgbench" | tee "$out"
	tps="$(awk '/^tps/ {print $3}' "$out")"
	# pgbench's CPU per transaction, in µs: times' last line is the
	# subshell's children's user and system time, as 0m1.234s.
	pgcpu="$(awk -v db="$((db1 - db0))" -v hz="$hz" '
		/^number of transactions actually processed/ {split($NF, t, "/"); n = t[1]}
		/^[0-9]+m[0-9.]+s [0-9]+m[0-9.]+s$/ {c = 0; for (i = 1; i <= 2; i++) {split($i, p, "m"); c += p[1] * 60 + p[2]}}
		END {printf "%.1f", (c + db / hz) * 1e6 / n}' "$tmp/pgbench")"
	echo "pgbench CPU per transaction: $pgcpu µs (pgbench and the database)"
	echo "== Engine.Handle and Engine.HandleBatch, 8 goroutines"
	"$tmp/pg.test" -test.run '^$' -test.bench 'BenchmarkHandle' -test.benchtime="${PG_BENCHTIME:-20s}" | tee "$out"
	echo "== ratios to pgbench's $tps tps"
	awk -v tps="$tps" '/^BenchmarkHandle/ {
		for (i = 1; i < NF; i++) if ($(i+1) == "events/s") printf "%-40s %9.0f events/s = %5.2f x pgbench\n", $1, $i, $i / tps
	}' "$out" | tee -a "$tmp/ratios"
	awk -v pg="$pgcpu" '/^BenchmarkHandle-/ {
		for (i = 1; i < NF; i++) {if ($(i+1) ~ /^client-cpu/) c = $i; if ($(i+1) ~ /^server-cpu/) s = $i}
		printf "%-40s %6.1f µs CPU per event = %5.2f x pgbench'"'"'s CPU efficiency\n", $1, c + s, pg / (c + s)
	}' "$out" | tee -a "$tmp/cpu"
done
pgbench -i -I d "$url" >/dev/null 2>&1 # drop pgbench's tables
if [ "$rounds" -gt 1 ]; then
	echo "== median ratio to pgbench's tps over $rounds rounds"
	median "$tmp/ratios" 5
	echo "== median ratio to pgbench's CPU per transaction over $rounds rounds"
	median "$tmp/cpu" 8
fi

if [ "${PG_BIG:-1}" = 1 ]; then
  echo "== 1,000,000 leads"
  reuse=()
  if [ "${PG_REUSE:-0}" = 1 ]; then reuse=(-reuse); fi
  go test ./postgres/ -run '^$' -bench "${PG_BENCH:-BenchmarkSweep|BenchmarkReports}" -benchtime=3x -count=1 -timeout=60m -big ${reuse[@]+"${reuse[@]}"}
fi
