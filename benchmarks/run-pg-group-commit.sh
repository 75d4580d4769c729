#!/usr/bin/env bash
# Group commit on PostgreSQL (fsync and synchronous_commit on): durable checkout+release per second
# with 1, 4 and 16 callers on their own pools (16 = two JVMs of 8 threads), each run followed by
# the raw insert+delete floor with the same callers, round after round (PgGroupCommit). Prints a
# table of medians and min-max over the rounds, the ratio to the floor, and pg_stat_wal flushes
# (wal_sync) per decision.
#
#   mvn -q -pl benchmarks -am package -DskipTests && benchmarks/run-pg-group-commit.sh [rounds] [warm-up s] [measure s]
set -euo pipefail
cd "$(dirname "$0")"
jar=target/benchmarks.jar
[ -f "$jar" ] || { echo "missing $jar: run  mvn -q -pl benchmarks -am package -DskipTests  first" >&2; exit 1; }
rounds=${1:-3}; warm=${2:-5}; measure=${3:-10}
echo "start: $(cat /proc/loadavg)" > target/results-pg-group-commit.log
java -cp "$jar" dev.licensor.benchmarks.PgGroupCommit "$rounds" "$warm" "$measure" target/results-pg-group-commit.jsonl \
  | tee -a target/results-pg-group-commit.log
echo "end: $(cat /proc/loadavg)" >> target/results-pg-group-commit.log
python3 - target/results-pg-group-commit.jsonl <<'PY' | tee target/results-pg-group-commit.md
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
def stats(xs):
    return statistics.median(xs), min(xs), max(xs)
print("| callers (JVMs) | checkout+release/s (median, min-max) | floor insert+delete/s (median, min-max) | ratio to floor (median of rounds) | wal_sync per decision, engine | wal_sync per decision, floor | units per commit |")
print("|---|---|---|---|---|---|---|")
for callers in sorted({r["callers"] for r in rows}):
    e = [r for r in rows if r["callers"] == callers and r["op"] == "engine"]
    f = [r for r in rows if r["callers"] == callers and r["op"] == "floor"]
    em, elo, ehi = stats([r["opsPerSecond"] for r in e])
    fm, flo, fhi = stats([r["opsPerSecond"] for r in f])
    ratios = [a["opsPerSecond"] / b["opsPerSecond"] for a, b in zip(sorted(e, key=lambda r: r["round"]), sorted(f, key=lambda r: r["round"]))]
    es = stats([r["syncsPerDecision"] for r in e])
    fs = stats([r["syncsPerDecision"] for r in f])
    upc = statistics.median([r["units"] / r["commits"] for r in e if r["commits"]])
    print(f"| {callers} ({e[0]['jvms']}) | {em:.0f} ({elo:.0f}-{ehi:.0f}) | {fm:.0f} ({flo:.0f}-{fhi:.0f}) | {statistics.median(ratios):.2f}x | {es[0]:.3f} ({es[1]:.3f}-{es[2]:.3f}) | {fs[0]:.3f} ({fs[1]:.3f}-{fs[2]:.3f}) | {upc:.2f} |")
PY
