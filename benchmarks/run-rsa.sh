#!/usr/bin/env bash
# The example server's RSA-2048 LicenseSignature, each way the JDK or Bouncy Castle offers it
# (RsaSignatureBenchmark). ROUNDS whole runs (default 3) so the variants alternate; the
# iterations are pooled by report-rsa.py (median, min-max, ratio to the per-call JDK path).
#
#   mvn -q -pl benchmarks -am package -DskipTests && benchmarks/run-rsa.sh [rounds] [jmh args]
set -euo pipefail
cd "$(dirname "$0")"
rounds="${1:-3}"
shift || true
jar=target/benchmarks.jar
[ -f "$jar" ] || { echo "missing $jar: run  mvn -q -pl benchmarks -am package -DskipTests  first" >&2; exit 1; }
files=()
: > target/results-rsa-load.txt
for r in $(seq 1 "$rounds"); do
  out="target/results-rsa-r$r.json"
  echo "round $r start: $(cat /proc/loadavg)" >> target/results-rsa-load.txt
  java -jar "$jar" -f 1 -wi 2 -w 1s -i 3 -r 1s -t 1 -rf json -rff "$out" "$@" 'dev.licensor.benchmarks.RsaSignatureBenchmark'
  files+=("$out")
done
echo "end: $(cat /proc/loadavg)" >> target/results-rsa-load.txt
python3 report-rsa.py "${files[@]}" | tee target/results-rsa.md
