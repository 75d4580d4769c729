#!/bin/bash
# Server execution time and WAL per checkout+release of one JMH fork, from pg_stat_statements and
# pg_stat_wal reset when the fork starts its warm-up (docs/performance.md, "Server time per
# checkout+release"). Usage: PG_URL_FILE=pg.url PSQL="psql -h 127.0.0.1 -p PORT -U postgres -d postgres" \
#   benchmarks/pgss-fork.sh benchmarks.jar LABEL
# The cluster (dev.licensor.benchmarks.PgCluster) needs CREATE EXTENSION pg_stat_statements once;
# discard the first fork on a fresh cluster (it builds the schema and its figures include that).
set -euo pipefail
JAR=$1; LABEL=$2
P="$PSQL -X -q -At"
LOG=$(mktemp)
LICENSOR_PG_URL=$(cat "$PG_URL_FILE") timeout 300 java -Djmh.ignoreLock=true -jar "$JAR" \
    'dev.licensor.benchmarks.FloatingBenchmark.checkoutRelease$' -p store=postgres -p leases=1000 \
    -f 0 -t 1 -wi 2 -w 1s -i 3 -r 1s > "$LOG" 2>&1 &
J=$!
until grep -q "Warmup Iteration   1" "$LOG" 2>/dev/null || ! kill -0 $J 2>/dev/null; do sleep 0.05; done
$P -c "select pg_stat_statements_reset(), pg_stat_reset_shared('wal')" > /dev/null
wait $J
# ops: the releases (A: its lease delete; B: the apply that deletes the lease); every statement
# run at least ops/2 times counts, so the benchmark's own per-iteration reads count in both builds
$P -F' ' -c "with r as (select calls n from pg_stat_statements
    where query like 'DELETE FROM lease WHERE license_id = \$1 AND hardware_id = \$2'
       or query like 'WITH w0 AS (DELETE FROM lease%' order by calls desc limit 1),
  s as (select sum(total_exec_time) e, sum(total_plan_time) p, sum(calls) c from pg_stat_statements, r where calls >= r.n/2)
  select '$LABEL' fork, r.n ops, round((s.e/r.n)::numeric,3) exec_ms, round((s.p/r.n)::numeric,4) plan_ms,
    round(s.c::numeric/r.n,1) stmts, round(w.wal_bytes/r.n) wal_b, round(w.wal_records::numeric/r.n,1) wal_rec
  from r, s, pg_stat_wal w"
uptime
rm -f "$LOG"
