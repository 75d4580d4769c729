#!/usr/bin/env bash
# Group commit on SQLite FULL: durable checkout+release per second with 1, 4 and 16 threads, group
# commit on (maxBatch=64) and off (1), each beside the raw insert+delete floor measured in the same
# JMH run with the same threads. Prints a table (median and min-max of the iterations, ratio to the
# floor) and the store's commits per unit (durable flushes per decision).
#
#   mvn -q -pl benchmarks -am package -DskipTests && benchmarks/run-group-commit.sh [jmh args]
set -euo pipefail
cd "$(dirname "$0")"
jar=target/benchmarks.jar
[ -f "$jar" ] || { echo "missing $jar: run  mvn -q -pl benchmarks -am package -DskipTests  first" >&2; exit 1; }
: > target/results-group-commit.log
for t in 1 4 16; do
  echo "threads $t start: $(cat /proc/loadavg)" >> target/results-group-commit.log
  java -jar "$jar" -t "$t" -rf json -rff "target/results-group-commit-t$t.json" "$@" \
    'dev.licensor.benchmarks.GroupCommitBenchmark' | tee -a target/results-group-commit.log | grep -E '^GROUPCOMMIT' || true
done
echo "end: $(cat /proc/loadavg)" >> target/results-group-commit.log
python3 - target/results-group-commit-t{1,4,16}.json <<'PY' | tee target/results-group-commit.md
import json, statistics, sys
print("| threads | maxBatch | checkout+release/s (median, min-max) | floor insert+delete/s (median, min-max) | ratio to floor |")
print("|---|---|---|---|---|")
for path in sys.argv[1:]:
    rows = json.load(open(path))
    by = {}
    for r in rows:
        key = (r["threads"], r["params"]["maxBatch"], r["benchmark"].rsplit(".", 1)[1])
        raw = [x for fork in r["primaryMetric"]["rawData"] for x in fork]
        by[key] = (statistics.median(raw), min(raw), max(raw))
    for (t, mb, name), (med, lo, hi) in sorted(by.items(), key=lambda kv: (kv[0][0], -int(kv[0][1]))):
        if name != "checkoutRelease":
            continue
        f = by[(t, mb, "floorInsertDelete")]
        print(f"| {t} | {mb} | {med:.0f} ({lo:.0f}-{hi:.0f}) | {f[0]:.0f} ({f[1]:.0f}-{f[2]:.0f}) | {med / f[0]:.2f}x |")
PY
