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
# JVMS_TIME="warm-up-s measure-s" sets the pg-jvms group's window (short: 8 5; full: 15 10).
#
# PostgreSQL (groups postgres and pg-jvms): one throwaway cluster (PgCluster: initdb, fsync and
# synchronous_commit on) serves the whole run and is stopped at exit; LICENSOR_PG_URL=jdbc:... uses
# that server instead. The preloaded schemas are built once per server (1M leases: ~3 minutes).
# pg-jvms forks run JvmScaling (N JVMs at once, summed ops/s in one shared window), not JMH.
# Two JMH processes on one machine refuse to run at once (/tmp/jmh.lock); to run beside another
# user's benchmarks, give this run its own lock folder: JAVA_OPTS=-Djava.io.tmpdir=/some/dir.
# Results: benchmarks/target/rounds-<mode>[-<ONLY>]/: one JSON and log per fork, manifest.tsv, results.md.
# report.py accepts several manifests (e.g. of runs split with ONLY).
set -euo pipefail
cd "$(dirname "$0")"
mode="${1:-short}"
shift || true
jar=target/benchmarks.jar
[ -f "$jar" ] || { echo "missing $jar: run  mvn -q -pl benchmarks -am package -DskipTests  first" >&2; exit 1; }

case "$mode" in
  short) rounds="${ROUNDS:-3}"; iters=(-wi 3 -w 1s -i 2 -r 1s); jvms_time=(8 5) ;;
  full)  rounds="${ROUNDS:-5}"; iters=(-wi 5 -w 1s -i 3 -r 1s); jvms_time=(15 10) ;;
  *) echo "usage: $0 short|full [jmh args]" >&2; exit 2 ;;
esac
# shellcheck disable=SC2206
[ -z "${ITERS:-}" ] || iters=($ITERS)
# shellcheck disable=SC2206
[ -z "${JVMS_TIME:-}" ] || jvms_time=($JVMS_TIME)

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
"postgres
pg-floor|1|$B.FloorBenchmark.pgInsertDelete\$|
pg-1k|1|$CR|-p store=postgres -p leases=1000
pg-1M|1|$CR|-p store=postgres -p leases=1000000"
"pg-jvms
pgj-floor-1|1|jvms:floor|1000
pgj-engine-1|1|jvms:checkout|1000
pgj-floor-2|2|jvms:floor|1000
pgj-engine-2|2|jvms:checkout|1000
pgj-floor-3|3|jvms:floor|1000
pgj-engine-3|3|jvms:checkout|1000"
)

dir="target/rounds-$mode${ONLY:+-${ONLY// /-}}"
rm -rf "$dir"
mkdir -p "$dir"
manifest="$dir/manifest.tsv"

# The PostgreSQL groups share one server for the whole run (initdb once, not per fork), unless
# LICENSOR_PG_URL names one: a throwaway cluster (fsync and synchronous_commit on) that is stopped
# and deleted when this script exits, however it exits.
selected() { [ -z "${ONLY:-}" ] || [[ " $ONLY " == *" $1 "* ]]; }
if { selected postgres || selected pg-jvms; } && [ -z "${LICENSOR_PG_URL:-}" ]; then
  java -cp "$jar" dev.licensor.benchmarks.PgCluster "$dir/pg.url" > "$dir/pg-cluster.log" 2>&1 &
  pg_pid=$!
  trap 'kill "$pg_pid" 2>/dev/null; wait "$pg_pid" 2>/dev/null || true' EXIT
  for _ in $(seq 1 180); do
    [ -f "$dir/pg.url" ] || ! kill -0 "$pg_pid" 2>/dev/null || { sleep 1; continue; }
    break
  done
  [ -f "$dir/pg.url" ] || { echo "no PostgreSQL cluster, see $dir/pg-cluster.log:" >&2; cat "$dir/pg-cluster.log" >&2; exit 1; }
  LICENSOR_PG_URL=$(cat "$dir/pg.url")
  export LICENSOR_PG_URL
  echo "# PostgreSQL cluster for this run: $LICENSOR_PG_URL" | tee -a "$dir/load.txt"
fi

start=$(date +%s)
echo "# started $(date -u +%FT%TZ), load average: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$dir/load.txt"
seq=0
for r in $(seq 1 "$rounds"); do
  for g in "${groups[@]}"; do
    group="${g%%$'\n'*}"
    selected "$group" || continue
    while IFS='|' read -r label threads regex params; do
      [ -z "${SKIP:-}" ] || ! [[ "$label" =~ $SKIP ]] || continue
      seq=$((seq + 1))
      out="$dir/$(printf %03d "$seq")-$group-$label-r$r.json"
      log="$dir/$(printf %03d "$seq")-$label.log"
      if [[ "$regex" == jvms:* ]]; then
        # N JVMs at once against the server (JvmScaling: one shared measurement window); "threads"
        # is the number of JVMs, "params" the lease count.
        # shellcheck disable=SC2086
        java -Xms256m -Xmx256m ${JAVA_OPTS:-} -cp "$jar" dev.licensor.benchmarks.JvmScaling "${regex#jvms:}" "$threads" \
            "$params" "${jvms_time[0]}" "${jvms_time[1]}" "$out" > "$log" 2>&1 \
            || { echo "fork $label (round $r) failed, see $log" >&2; exit 1; }
      else
        # -f 0 in a fresh JVM per fork: the isolation of a JMH fork without starting a second JVM
        # (the heap flags are the ones @Fork would append).
        # shellcheck disable=SC2086
        java -Xms4g -Xmx4g -XX:+AlwaysPreTouch ${JAVA_OPTS:-} -jar "$jar" -f 0 "${iters[@]}" -t "$threads" $params -rf json -rff "$out" "$@" "$regex" \
            > "$log" 2>&1 \
            || { echo "fork $label (round $r) failed, see $log" >&2; exit 1; }
      fi
      printf '%s\t%s\t%s\t%s\t%s\n' "$seq" "$group" "$r" "$label" "$out" >> "$manifest"
      echo "round $r/$rounds  $group  $label  $(( $(date +%s) - start )) s  load $(cut -d' ' -f1 /proc/loadavg)"
    done <<< "${g#*$'\n'}"
  done
done
echo "# finished $(date -u +%FT%TZ) after $(( $(date +%s) - start )) s, load average: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$dir/load.txt"
python3 report.py "$manifest" | tee "$dir/results.md"
