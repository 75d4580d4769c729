#!/usr/bin/env bash
# Engine benchmarks interleaved with their floors, so every ratio divides figures taken seconds
# apart, not minutes (the same approach as run-tokens.sh: the run repeats in rounds).
#
#   benchmarks/run.sh short   # ~6 minutes: 3 rounds, 3 x 1 s warm-up + 2 x 1 s per fork
#   benchmarks/run.sh full    # 5 rounds, 5 x 1 s warm-up + 3 x 1 s per fork
#
# Each round runs every group below; a group is a sequence of forks (one fresh JVM each, one
# benchmark, one parameter set), e.g. floor, engine at 1k leases, engine at 1M leases. So with
# rounds the forks alternate: floor, engine, floor, engine, ... report.py divides each engine fork
# by the nearest fork of its baseline (the adjacent one wherever the order allows), then prints the
# median of those per-pair ratios with their min and max.
#
# Build the jar first:  mvn -q -pl benchmarks -am package -DskipTests
# Extra arguments go to every JMH run (e.g. -prof gc). ROUNDS=n overrides the round count;
# ONLY="memory lookup" runs those groups alone; ITERS="-wi 5 -i 5" replaces the iteration options;
# SKIP=1M leaves out the forks whose label matches that regex.
# Results: benchmarks/target/rounds-<mode>[-<ONLY>]/: one JSON and log per fork, manifest.tsv, results.md.
# report.py accepts several manifests (e.g. of runs split with ONLY).
set -euo pipefail
cd "$(dirname "$0")"
mode="${1:-short}"
shift || true
jar=target/benchmarks.jar
[ -f "$jar" ] || { echo "missing $jar: run  mvn -q -pl benchmarks -am package -DskipTests  first" >&2; exit 1; }

case "$mode" in
  short) rounds="${ROUNDS:-3}"; iters=(-wi 3 -w 1s -i 2 -r 1s) ;;
  full)  rounds="${ROUNDS:-5}"; iters=(-wi 5 -w 1s -i 3 -r 1s) ;;
  *) echo "usage: $0 short|full [jmh args]" >&2; exit 2 ;;
esac
# shellcheck disable=SC2206
[ -z "${ITERS:-}" ] || iters=($ITERS)

B=dev.licensor.benchmarks
CR="$B.FloatingBenchmark.checkoutRelease\$"
# One fork per line: label | threads | benchmark regex | JMH parameters. Groups run in this order
# within a round; report.py knows which label divides which.
groups=(
"memory
chm-t1|1|$B.FloorBenchmark.chmPutRemove\$|
memory-1k-t1|1|$CR|-p store=memory -p leases=1000
memory-1M-t1|1|$CR|-p store=memory -p leases=1000000
memory-1k-t2|2|$CR|-p store=memory -p leases=1000
chm-t2|2|$B.FloorBenchmark.chmPutRemove\$|"
"sqlite-full
floor-FULL|1|$B.FloorBenchmark.sqliteInsertDelete\$|-p synchronous=FULL
sqlite-full-1k|1|$CR|-p store=sqlite-full -p leases=1000
sqlite-full-1M|1|$CR|-p store=sqlite-full -p leases=1000000"
"sqlite-normal
floor-NORMAL|1|$B.FloorBenchmark.sqliteInsertDelete\$|-p synchronous=NORMAL
sqlite-normal-1k|1|$CR|-p store=sqlite-normal -p leases=1000
sqlite-normal-1M|1|$CR|-p store=sqlite-normal -p leases=1000000"
"lookup
caffeine|1|$B.FloorBenchmark.caffeineGetIfPresent\$|
lookup-memory-1k|1|$B.FloatingBenchmark.cachedSeatLookup\$|-p store=memory -p leases=1000"
)

dir="target/rounds-$mode${ONLY:+-${ONLY// /-}}"
rm -rf "$dir"
mkdir -p "$dir"
manifest="$dir/manifest.tsv"
start=$(date +%s)
echo "# started $(date -u +%FT%TZ), load average: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$dir/load.txt"
seq=0
for r in $(seq 1 "$rounds"); do
  for g in "${groups[@]}"; do
    group="${g%%$'\n'*}"
    [ -z "${ONLY:-}" ] || [[ " $ONLY " == *" $group "* ]] || continue
    while IFS='|' read -r label threads regex params; do
      [ -z "${SKIP:-}" ] || ! [[ "$label" =~ $SKIP ]] || continue
      seq=$((seq + 1))
      out="$dir/$(printf %03d "$seq")-$group-$label-r$r.json"
      # -f 0 in a fresh JVM per fork: the isolation of a JMH fork without starting a second JVM
      # (the heap flags are the ones @Fork would append).
      # shellcheck disable=SC2086
      java -Xms4g -Xmx4g ${JAVA_OPTS:-} -jar "$jar" -f 0 "${iters[@]}" -t "$threads" $params -rf json -rff "$out" "$@" "$regex" \
          > "$dir/$(printf %03d "$seq")-$label.log" 2>&1 \
          || { echo "fork $label (round $r) failed, see $dir/$(printf %03d "$seq")-$label.log" >&2; exit 1; }
      printf '%s\t%s\t%s\t%s\t%s\n' "$seq" "$group" "$r" "$label" "$out" >> "$manifest"
      echo "round $r/$rounds  $group  $label  $(( $(date +%s) - start )) s  load $(cut -d' ' -f1 /proc/loadavg)"
    done <<< "${g#*$'\n'}"
  done
done
echo "# finished $(date -u +%FT%TZ) after $(( $(date +%s) - start )) s, load average: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$dir/load.txt"
python3 report.py "$manifest" | tee "$dir/results.md"
