#!/usr/bin/env bash
# Regenerates bench/results.txt and prints benchstat's summary of it:
#   - the peer comparison of this module (W1, W2, W3, decimal compares),
#     10 runs each;
#   - the library's own benchmarks beside its code: Engine.Handle on
#     memstore on one core (target: 1,000,000 events per second), a sweep
#     of 10,000 due deadlines among 1,000,000 (under 10 ms) beside the same
#     sweep hand-written, and
#     memstore's memory per lead (at most 1 KiB), 6 runs each.
# About 20 minutes on 2 cores; run nothing else meanwhile.
set -euo pipefail
cd "$(dirname "$0")"
{
  go test -run='^$' -bench=. -benchmem -count=10 -timeout=60m .
  (cd .. && go test -run='^$' -bench='BenchmarkHandle' -benchmem -count=6 -cpu=1 -timeout=60m .)
  (cd .. && go test -run='^$' -bench='BenchmarkSweep' -benchmem -count=6 -timeout=60m .)
  (cd .. && go test -run='^$' -bench='BenchmarkMemory|BenchmarkClaimDue|BenchmarkApply$|BenchmarkLead$' -benchmem -count=6 -timeout=60m ./memstore)
} | tee results.txt
go run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da results.txt
