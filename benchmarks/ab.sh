#!/usr/bin/env bash
# Two builds of the engine compared in one run: the floor, build A, build B, in alternating forks,
# repeated in rounds, so every A/B ratio divides figures taken seconds apart (see run.sh for why).
#
#   git stash / checkout the old code; mvn -q -pl benchmarks -am package -DskipTests; cp benchmarks/target/benchmarks.jar /tmp/a.jar
#   back to the new code; build again;                                                cp benchmarks/target/benchmarks.jar /tmp/b.jar
#   benchmarks/ab.sh /tmp/a.jar /tmp/b.jar            # memory checkout+release, 1 thread, 3 rounds
#
# Environment: ROUNDS (3), THREADS (1), BENCH (FloatingBenchmark.checkoutRelease), PARAMS
# ("-p store=memory -p leases=1000"), FLOOR (FloorBenchmark.chmPutRemove), ITERS
# ("-wi 8 -w 1s -i 3 -r 1s"). Extra arguments go to every JMH run. Output: target/ab/<time>/, one
# JSON and log per fork, and a table of the forks' medians (of their measured iterations)
# with the B/A and X/floor ratios per round.
set -euo pipefail
cd "$(dirname "$0")"
[ $# -ge 2 ] || { echo "usage: $0 A.jar B.jar [jmh args]" >&2; exit 2; }
a="$1"; b="$2"; shift 2
rounds="${ROUNDS:-3}"; threads="${THREADS:-1}"
bench="dev.licensor.benchmarks.${BENCH:-FloatingBenchmark.checkoutRelease}\$"
floor="dev.licensor.benchmarks.${FLOOR:-FloorBenchmark.chmPutRemove}\$"
read -r -a params <<< "${PARAMS:--p store=memory -p leases=1000}"
read -r -a iters <<< "${ITERS:--wi 8 -w 1s -i 3 -r 1s}"
out="target/ab/$(date -u +%Y%m%dT%H%M%S)"
mkdir -p "$out"
echo "# A=$a B=$b threads=$threads, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$out/results.md"
echo "| round | floor ns | A ns | B ns | B / A | A / floor | B / floor | load |" | tee -a "$out/results.md"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|" | tee -a "$out/results.md"
for r in $(seq 1 "$rounds"); do
  for side in floor A B; do
    case $side in
      floor) cmd=(java -Xms4g -Xmx4g -XX:+AlwaysPreTouch -jar "$b" "$floor") ;;
      A) cmd=(java -Xms4g -Xmx4g -XX:+AlwaysPreTouch -jar "$a" "$bench" "${params[@]}") ;;
      B) cmd=(java -Xms4g -Xmx4g -XX:+AlwaysPreTouch -jar "$b" "$bench" "${params[@]}") ;;
    esac
    "${cmd[@]}" -f 0 -t "$threads" "${iters[@]}" "$@" -rf json -rff "$out/$r-$side.json" > "$out/$r-$side.log" 2>&1
  done
  python3 - "$out" "$r" "$(cut -d' ' -f1 /proc/loadavg)" <<'EOF' | tee -a "$out/results.md"
import json, sys
out, r, load = sys.argv[1:]
def median(k):  # of the fork's measured iterations: one slow second on a shared machine moves it less than a mean
    raw = sorted(x for fork in json.load(open(f"{out}/{r}-{k}.json"))[0]["primaryMetric"]["rawData"] for x in fork)
    return (raw[(len(raw) - 1) // 2] + raw[len(raw) // 2]) / 2
s = {k: median(k) for k in ("floor", "A", "B")}
print(f"| {r} | {s['floor']:.0f} | {s['A']:.0f} | {s['B']:.0f} | {s['B']/s['A']:.2f}× | {s['A']/s['floor']:.1f}× | {s['B']/s['floor']:.1f}× | {load} |")
EOF
done
