#!/usr/bin/env python3
"""Pools TokenBenchmark rounds (JMH JSON files) and prints figures with ratios to their floors."""
import json
import statistics
import sys

samples = {}
for path in sys.argv[1:]:
    for run in json.load(open(path)):
        name = run["benchmark"].rsplit(".", 1)[1]
        signing = run.get("params", {}).get("signing")
        key = f"{name} (signing {signing})" if signing else name
        for fork in run["primaryMetric"]["rawData"]:
            samples.setdefault(key, []).extend(fork)

def median(key):
    return statistics.median(samples[key]) if key in samples else None

rows = [("signToken", "signFloor", "target <= 1.5x"), ("verifyToken", "verifyFloor", "target <= 1.5x"),
        ("checkRefresh (signing on)", "checkRefresh (signing off)", "cost of signing a check")]
print("| figure | median us/op | baseline | median us/op | ratio | note |")
print("|---|---|---|---|---|---|")
for fig, base, note in rows:
    a, b = median(fig), median(base)
    if a is None or b is None:
        continue
    print(f"| {fig} | {a:.2f} | {base} | {b:.2f} | {a / b:.2f}x | {note} |")
print()
print("samples per figure (iterations pooled over rounds): "
      + ", ".join(f"{k}={len(v)}" for k, v in sorted(samples.items())))
