#!/usr/bin/env bash
# Notify triggers enabled vs disabled, alternating, 16 callers on 2 JVMs (engine only), with
# server-side wait-event sampling (20 Hz) of the client backends during each measured window.
set -u
jar=$1; rounds=$2; out=/tmp/pgpoll/exp; tag=$3
url=$(cat $out/pg.url); export LICENSOR_PG_URL=$url; purl=${url#jdbc:}
psql "$purl" -qAt -c "CREATE TABLE IF NOT EXISTS public.waits (tag text, mode text, run int, ev text)"
toggle() {
psql "$purl" -qAt -c "DO \$\$ DECLARE r record; BEGIN FOR r IN SELECT n.nspname, c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid=t.tgrelid JOIN pg_namespace n ON n.oid=c.relnamespace WHERE t.tgname IN ('lease_notify','license_notify','consumption_notify','license_delete_notify') LOOP EXECUTE format('ALTER TABLE %I.%I $1 TRIGGER %I', r.nspname, r.relname, r.tgname); END LOOP; END \$\$"
}
run=0
for r in $(seq 1 $rounds); do
for mode in keep drop; do
  run=$((run+1))
  if [ $mode = keep ]; then toggle ENABLE; else toggle DISABLE; fi
  echo "$tag $mode start load $(cat /proc/loadavg)" >> $out/runs2.log
  (sleep 9; psql "$purl" -qAt -c "DO \$\$ BEGIN FOR i IN 1..160 LOOP PERFORM pg_stat_clear_snapshot(); INSERT INTO public.waits SELECT '$tag','$mode',$run, coalesce(wait_event_type,'CPU')||':'||coalesce(wait_event,'-') FROM pg_stat_activity WHERE backend_type='client backend' AND state='active' AND pid<>pg_backend_pid(); COMMIT; PERFORM pg_sleep(0.05); END LOOP; END \$\$") & spid=$!
  java -cp $jar dev.licensor.benchmarks.PgGroupCommit 1 4 8 $out/r2-$tag-$mode-$run.jsonl 16 engine | sed "s/^/$tag $mode /" >> $out/runs2.log
  wait $spid
done
done
toggle ENABLE
psql "$purl" -c "SELECT mode, ev, count(*) FROM public.waits WHERE tag='$tag' GROUP BY 1,2 ORDER BY 1,3 DESC" >> $out/runs2.log
echo "end load $(cat /proc/loadavg)" >> $out/runs2.log
