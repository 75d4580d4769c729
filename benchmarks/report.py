#!/usr/bin/env python3
"""Ratios of interleaved benchmark forks (written by run.sh): each engine fork divided by the
nearest fork of its baseline, then the median, min and max of those per-pair ratios.

usage: report.py target/rounds-<mode>/manifest.tsv [more manifests: forks pair only within one]

A fork's figure is the median of its measurement iterations (ns/op). Pairing by nearest fork means
a ratio never divides figures taken minutes apart: the two forks ran one after the other (or with
one short fork between them), under the same load.
"""
import json
import os
import statistics
import sys

# (numerator, denominator, target as a number or None, what the ratio says)
RATIOS = [
    ("memory-1k-t1", "chm-t1", 10.0, "memory checkout+release / `chmPutRemove`, 1 thread"),
    ("memory-1k-t2", "chm-t2", None, "memory checkout+release / `chmPutRemove`, 2 threads (own pools)"),
    ("memory-1k-t2", "memory-1k-t1", None,
     "memory, time per op at 2 threads / at 1 thread (1× = scales, 2× = serialised)"),
    ("chm-t2", "chm-t1", None, "`chmPutRemove`, time per op at 2 threads / at 1 thread"),
    ("memory-1M-t1", "memory-1k-t1", 1.5, "memory checkout+release, 1M leases / 1k leases"),
    ("sqlite-full-1k", "floor-FULL", 1.5, "SQLite FULL checkout+release / `sqliteInsertDelete` FULL"),
    ("sqlite-full-1M", "sqlite-full-1k", 1.5, "SQLite FULL checkout+release, 1M leases / 1k leases"),
    ("sqlite-normal-1k", "floor-NORMAL", 2.0, "SQLite NORMAL checkout+release / `sqliteInsertDelete` NORMAL"),
    ("sqlite-normal-1M", "sqlite-normal-1k", 1.5, "SQLite NORMAL checkout+release, 1M leases / 1k leases"),
    ("lookup-memory-1k", "caffeine", 3.0, "cached seat lookup / `caffeineGetIfPresent`"),
    ("pg-1k", "pg-floor", 1.5, "PostgreSQL checkout+release / `pgInsertDelete`"),
    ("pg-1M", "pg-floor", None, "PostgreSQL checkout+release at 1M leases / `pgInsertDelete`"),
    ("pg-1M", "pg-1k", 1.5, "PostgreSQL checkout+release, 1M leases / 1k leases"),
]

# N JVMs against one PostgreSQL database (JvmScaling): figures are summed ops/s, higher is better.
JVMS = (1, 2, 3)


def fmt(ns):
    return f"{ns / 1000:,.1f} µs" if ns >= 10_000 else f"{ns:,.1f} ns" if ns < 100 else f"{ns:,.0f} ns"


def load(manifests):
    forks = []  # (position in time, label, figure in ns/op)
    for n, manifest in enumerate(manifests):
        forks.extend(load_one(manifest, n * 100_000))
    return forks


def load_one(manifest, offset):
    forks = []
    with open(manifest) as f:
        for line in f:
            seq, _group, _round, label, path = line.rstrip("\n").split("\t")[:5]
            if not os.path.exists(path):  # a copied run: the JSON files sit beside the manifest
                path = os.path.join(os.path.dirname(manifest), os.path.basename(path))
            with open(path) as jf:
                results = json.load(jf)
            if not results:
                continue
            if isinstance(results, dict) and results.get("kind") == "jvms":  # JvmScaling: ops/s
                forks.append((offset + int(seq), label, results["opsPerSecond"]))
                continue
            raw = [v for fork in results[0]["primaryMetric"]["rawData"] for v in fork]
            forks.append((offset + int(seq), label, statistics.median(raw)))
    return forks


def main(manifests):
    forks = load(manifests)
    by_label = {}
    for seq, label, value in forks:
        by_label.setdefault(label, []).append((seq, value))

    if any(num in by_label and den in by_label for num, den, _, _ in RATIOS):
        print("| ratio (each fork / nearest fork of its baseline) | pairs | median | min – max | target |")
        print("|---|---:|---:|---:|---|")
    for num, den, target, what in RATIOS:
        if num not in by_label or den not in by_label:
            continue
        ratios = []
        for seq, value in by_label[num]:
            _, base = min(by_label[den], key=lambda d: (abs(d[0] - seq), d[0]))
            ratios.append(value / base)
        med = statistics.median(ratios)
        verdict = "" if target is None else f"≤ {target:g}×: {'met' if med <= target else 'missed'}"
        print(f"| {what} | {len(ratios)} | **{med:.2f}×** | {min(ratios):.2f}× – {max(ratios):.2f}× | {verdict} |")

    jvms_table(by_label)

    print()
    print("Per-fork figures (median of each fork's measurement iterations; forks in run order):")
    print()
    print("| fork | figures | median | min – max |")
    print("|---|---|---:|---:|")
    for label, values in by_label.items():
        v = [x for _, x in values]
        f = fmt_ops if label.startswith("pgj-") else fmt
        print(f"| {label} | {', '.join(f(x) for x in v)} | {f(statistics.median(v))} | "
              f"{f(min(v))} – {f(max(v))} |")


def fmt_ops(ops):
    return f"{ops:,.0f} ops/s"


def nearest(by_label, label, seq):
    return min(by_label[label], key=lambda d: (abs(d[0] - seq), d[0]))[1]


def jvms_table(by_label):
    """Throughput with N JVMs: per engine fork at N JVMs, the ratios to the nearest forks it needs."""
    if "pgj-engine-1" not in by_label or "pgj-floor-1" not in by_label:
        return
    rows = []
    for n in JVMS:
        engine, floor = f"pgj-engine-{n}", f"pgj-floor-{n}"
        if engine not in by_label or floor not in by_label:
            continue
        time_ratio, engine_scaling, floor_scaling, relative = [], [], [], []
        for seq, ops in by_label[engine]:
            f_n = nearest(by_label, floor, seq)
            e_1 = nearest(by_label, "pgj-engine-1", seq)
            f_1 = nearest(by_label, "pgj-floor-1", seq)
            time_ratio.append(f_n / ops)
            engine_scaling.append(ops / e_1)
            floor_scaling.append(f_n / f_1)
            relative.append((ops / e_1) / (f_n / f_1))
        rows.append((n, len(time_ratio), [v for _, v in by_label[engine]],
                     [v for _, v in by_label[floor]], time_ratio, engine_scaling, floor_scaling, relative))

    def cell(values, target=None):
        med = statistics.median(values)
        verdict = "" if target is None else f" ({'met' if med <= target else 'missed'} ≤ {target:g}×)"
        return f"**{med:.2f}×** ({min(values):.2f}–{max(values):.2f}){verdict}"

    print()
    print("Throughput with N JVMs on one PostgreSQL database (summed ops/s in one shared window; "
          "each ratio pairs a fork with the nearest forks it needs; median (min–max)):")
    print()
    print("| JVMs | pairs | engine ops/s (median) | floor ops/s (median) | floor / engine ops/s (= time per op vs floor) "
          "| engine N / 1 JVM | floor N / 1 JVM | engine scaling / floor scaling |")
    print("|---:|---:|---:|---:|---|---|---|---|")
    for n, pairs, engine_ops, floor_ops, tr, es, fs, rel in rows:
        print(f"| {n} | {pairs} | {fmt_ops(statistics.median(engine_ops))} | {fmt_ops(statistics.median(floor_ops))} "
              f"| {cell(tr, 1.5)} | {cell(es)} | {cell(fs)} | {cell(rel)} |")


if __name__ == "__main__":
    main(sys.argv[1:])
