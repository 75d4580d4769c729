#!/usr/bin/env bash
# Signed tokens against their raw Ed25519 floors (Bouncy Castle and JDK), and check with signing
# off, on with the JDK, on with Bouncy Castle.
# The whole TokenBenchmark runs ROUNDS times (default 3), so floor and token alternate across the
# run; report-tokens.py pools the rounds and prints each figure with its ratio to the floor.
#
#   mvn -q -pl benchmarks -am package -DskipTests && benchmarks/run-tokens.sh [rounds] [jmh args]
set -euo pipefail
cd "$(dirname "$0")"
rounds="${1:-3}"
shift || true
jar=target/benchmarks.jar
[ -f "$jar" ] || { echo "missing $jar: run  mvn -q -pl benchmarks -am package -DskipTests  first" >&2; exit 1; }
files=()
: > target/results-tokens-load.txt
for r in $(seq 1 "$rounds"); do
  out="target/results-tokens-r$r.json"
  echo "round $r start: $(cat /proc/loadavg)" >> target/results-tokens-load.txt
  java -jar "$jar" -f 1 -wi 5 -w 1s -i 3 -r 1s -t 1 -rf json -rff "$out" "$@" 'dev.licensor.benchmarks.TokenBenchmark'
  files+=("$out")
done
echo "end: $(cat /proc/loadavg)" >> target/results-tokens-load.txt
python3 report-tokens.py "${files[@]}" | tee target/results-tokens.md
