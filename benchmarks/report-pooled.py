#!/usr/bin/env python3
"""The previous runner's report (kept to reprint benchmarks/results/full-66c0cbf.md): JMH JSON files of
floors and engine run apart, pooled; medians (ns/op) and ratios to the floors.

usage: report-pooled.py results-t1.json [results-t2.json ...]
"""
import json
import statistics
import sys


def samples(result):
    return [v for fork in result["primaryMetric"]["rawData"] for v in fork]


def key(r):
    name = r["benchmark"].rsplit(".", 2)
    params = r.get("params", {})
    return (name[-2] + "." + name[-1], params.get("store", ""), params.get("leases", ""),
            params.get("synchronous", ""), r["threads"])


def fmt(ns):
    return f"{ns / 1000:,.1f} µs" if ns >= 10_000 else f"{ns:,.0f} ns"


def main(paths):
    # Iterations of the same benchmark from several files (the floors run before and after the
    # engine benchmarks) are pooled, and the median is taken over all of them.
    pooled = {}
    for path in paths:
        with open(path) as f:
            for r in json.load(f):
                pooled.setdefault(key(r), []).extend(samples(r))
    rows = {k: statistics.median(v) for k, v in pooled.items()}
    spread = {k: (min(v), max(v)) for k, v in pooled.items()}

    def get(bench, store="", leases="", sync="", threads=1):
        return rows.get((bench, store, leases, sync, threads))

    floor_of = {
        "memory": ("FloorBenchmark.chmPutRemove", ""),
        "sqlite-full": ("FloorBenchmark.sqliteInsertDelete", "FULL"),
        "sqlite-normal": ("FloorBenchmark.sqliteInsertDelete", "NORMAL"),
    }
    targets = {"memory": 10.0, "sqlite-full": 1.5, "sqlite-normal": 2.0}
    print("| benchmark | store | leases | threads | median | min – max | floor | ratio | target |")
    print("|---|---|---|---|---:|---:|---:|---:|---|")
    for (bench, store, leases, sync, threads), value in sorted(rows.items(), key=lambda kv: (
            kv[0][0].startswith("Floor"), kv[0][0], kv[0][1], int(kv[0][2] or 0), kv[0][3], kv[0][4])):
        floor = ratio = None
        target = ""
        if bench == "FloatingBenchmark.checkoutRelease" and store in floor_of:
            fb, fs = floor_of[store]
            floor = get(fb, sync=fs, threads=threads)
            target = f"≤ {targets[store]:g}×"
        elif bench == "FloatingBenchmark.cachedSeatLookup":
            floor = get("FloorBenchmark.caffeineGetIfPresent", threads=threads)
            target = "≤ 3×"
        if floor:
            ratio = value / floor
            target += " " + ("met" if ratio <= float(target.split()[1][:-1]) else "missed")
        name = bench + (f" ({sync})" if sync else "")
        lo, hi = spread[(bench, store, leases, sync, threads)]
        print(f"| {name} | {store or '-'} | {leases or '-'} | {threads} | {fmt(value)} | {fmt(lo)} – {fmt(hi)} | "
              f"{fmt(floor) if floor else ''} | {f'{ratio:.2f}×' if ratio else ''} | {target} |")

    print()
    print("Checkout+release at 1M leases over 1k leases (target ≤ 1.5×):")
    for (bench, store, leases, sync, threads), value in sorted(rows.items()):
        if bench == "FloatingBenchmark.checkoutRelease" and leases == "1000000":
            small = get(bench, store, "1000", sync, threads)
            if small:
                r = value / small
                print(f"- {store}, {threads} thread(s): {r:.2f}× ({'met' if r <= 1.5 else 'missed'})")


if __name__ == "__main__":
    main(sys.argv[1:])
