#!/usr/bin/env bash
# Runs the benchmark suite and prints the results table with ratios to the floors.
#
#   benchmarks/run.sh short   # < 5 minutes: 1 thread, 1k and 1M leases, 1 warmup + 3 x 1 s
#   benchmarks/run.sh full    # the README figures: 1 and 2 threads, 1k/100k/1M, 3 warmup + 5 x 1 s
#
# Build the jar first:  mvn -q -pl benchmarks -am package -DskipTests
# Extra arguments go to JMH (e.g. -prof jfr). Results: benchmarks/target/results-<mode>-t<N>.json.
set -euo pipefail
cd "$(dirname "$0")"
mode="${1:-short}"
shift || true
jar=target/benchmarks.jar
[ -f "$jar" ] || { echo "missing $jar: run  mvn -q -pl benchmarks -am package -DskipTests  first" >&2; exit 1; }

case "$mode" in
  short) threads="1"; opts=(-f 1 -wi 1 -w 1s -i 3 -r 1s -p leases=1000,1000000) ;;
  full)  threads="1 2"; opts=(-f 1 -wi 3 -w 1s -i 5 -r 1s -p leases=1000,100000,1000000) ;;
  *) echo "usage: $0 short|full [jmh args]" >&2; exit 2 ;;
esac

files=()
for t in $threads; do
  out="target/results-$mode-t$t.json"
  java -jar "$jar" "${opts[@]}" -t "$t" -rf json -rff "$out" "$@" 'dev.licensor.benchmarks.*'
  files+=("$out")
done
python3 report.py "${files[@]}"
