#!/usr/bin/env python3
"""Pools TokenBenchmark rounds (JMH JSON files) and prints each figure's median, min-max over the
pooled iterations and its ratio to its floor (medians of the same run)."""
import json
import statistics
import sys

samples = {}
for path in sys.argv[1:]:
    for run in json.load(open(path)):
        name = run["benchmark"].rsplit(".", 1)[1]
        params = run.get("params", {})
        if params:
            name += " (" + ", ".join(f"{k} {v}" for k, v in sorted(params.items(), reverse=True)) + ")"
        for fork in run["primaryMetric"]["rawData"]:
            samples.setdefault(name, []).extend(fork)


def median(key):
    return statistics.median(samples[key]) if key in samples else None


def span(key):
    return f"{min(samples[key]):.2f}-{max(samples[key]):.2f}"


print("| benchmark | median us/op | min-max | n |")
print("|---|---|---|---|")
for key in sorted(samples):
    print(f"| {key} | {median(key):.2f} | {span(key)} | {len(samples[key])} |")
print()

rows = [("signTokenBc", "bcSignFloor", "target <= 1.3x"),
        ("signTokenJdk", "jdkSignFloor", "JDK token vs JDK floor"),
        ("jdkSignFloor", "bcSignFloor", "JDK vs Bouncy Castle, raw sign"),
        ("jdkVerifyFloor", "bcVerifyFloor", "JDK vs Bouncy Castle, raw verify"),
        ("verifyToken", "jdkVerifyFloor", "licensor-verify (JDK) vs its floor"),
        ("verifyToken", "bcVerifyFloor", "licensor-verify (JDK) vs the Bouncy Castle floor")]
for step in ("5s", "305s"):
    off = f"checkRefresh (step {step}, signing off)"
    rows.append((f"checkRefresh (step {step}, signing bc)", off,
                 "target <= 3x" if step == "5s" else "every check signs (no reuse)"))
    rows.append((f"checkRefresh (step {step}, signing jdk)", off, "JDK signer"))
print("| figure | median us/op | baseline | median us/op | ratio | note |")
print("|---|---|---|---|---|---|")
for fig, base, note in rows:
    a, b = median(fig), median(base)
    if a is None or b is None:
        continue
    print(f"| {fig} | {a:.2f} | {base} | {b:.2f} | {a / b:.2f}x | {note} |")
