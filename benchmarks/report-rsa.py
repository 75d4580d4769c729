#!/usr/bin/env python3
"""Pools RsaSignatureBenchmark rounds (JMH JSON files): median, min-max, ratio to jdkPerCall."""
import json
import statistics
import sys

samples = {}
for path in sys.argv[1:]:
    for run in json.load(open(path)):
        name = run["benchmark"].rsplit(".", 1)[1]
        for fork in run["primaryMetric"]["rawData"]:
            samples.setdefault(name, []).extend(fork)

base = statistics.median(samples["jdkPerCall"])
print("| variant | median us/op | min-max | n | vs jdkPerCall |")
print("|---|---|---|---|---|")
for key in ("jdkPerCall", "jdkReused", "jdkNoCrt", "bcReused"):
    if key in samples:
        m = statistics.median(samples[key])
        print(f"| {key} | {m:.1f} | {min(samples[key]):.1f}-{max(samples[key]):.1f} | {len(samples[key])} | {m / base:.2f}x |")
