#!/usr/bin/env bash
# Runs the benchmark suite and prints the results table with ratios to the floors.
#
#   benchmarks/run.sh short   # < 5 minutes: checkout+release, cached lookup and the floors;
#                             # 1 thread, 1k and 1M leases, 3 x 1 s warmup + 3 x 1 s
#   benchmarks/run.sh full    # the docs/performance.md figures: 1 and 2 threads, 1k/100k/1M, 5 x 1 s warmup + 5 x 1 s
#
# Build the jar first:  mvn -q -pl benchmarks -am package -DskipTests
# Extra arguments go to JMH (e.g. -prof jfr). Results: benchmarks/target/results-<mode>*.json and .md.
set -euo pipefail
cd "$(dirname "$0")"
mode="${1:-short}"
shift || true
jar=target/benchmarks.jar
[ -f "$jar" ] || { echo "missing $jar: run  mvn -q -pl benchmarks -am package -DskipTests  first" >&2; exit 1; }

case "$mode" in
  short) threads="1"; opts=(-f 1 -wi 3 -w 1s -i 3 -r 1s -p leases=1000,1000000)
         select='dev.licensor.benchmarks.FloatingBenchmark.(checkoutRelease|cachedSeatLookup)'
         parts="engine floors-after" ;;
  full)  threads="1 2"; opts=(-f 1 -wi 5 -w 1s -i 5 -r 1s -p leases=1000,100000,1000000)
         select='dev.licensor.benchmarks.*'
         parts="floors-before engine floors-after" ;;
  *) echo "usage: $0 short|full [jmh args]" >&2; exit 2 ;;
esac

# In full mode the floors run before and after the engine benchmarks and their iterations are
# pooled, so a ratio does not hinge on how busy the machine was at one moment. The warm-up is long
# because on a busy machine the JIT needs seconds to compile the engine's paths.
floors='dev.licensor.benchmarks.FloorBenchmark.*'
files=()
for t in $threads; do
  for part in $parts; do
    out="target/results-$mode-t$t-$part.json"
    if [ "$part" = engine ]; then what=("$select" -e 'FloorBenchmark'); else what=("$floors"); fi
    java -jar "$jar" "${opts[@]}" -t "$t" -rf json -rff "$out" "$@" "${what[@]}"
    files+=("$out")
  done
done
python3 report.py "${files[@]}" | tee "target/results-$mode.md"
