#!/usr/bin/env bash
# A (main 6736f71) vs B (pgpoll) alternating: each invocation its own fresh cluster, 1 and 16 callers,
# engine then floor, 3 s warm-up, 8 s measured.
set -u
out=/tmp/pgpoll/ab; mkdir -p $out
for build in ${ORDER:-A B B A A B}; do
  echo "$build start $(date -u +%T) load $(cat /proc/loadavg)" >> $out/ab.log
  java -cp /tmp/pgpoll/$build.jar dev.licensor.benchmarks.PgGroupCommit 1 3 8 $out/tmp.jsonl 1,16 > $out/$build-last.out 2>&1
  sed "s/^{/{\"build\": \"$build\", /" $out/tmp.jsonl >> $out/ab.jsonl
  echo "$build end $(date -u +%T) load $(cat /proc/loadavg)" >> $out/ab.log
done
