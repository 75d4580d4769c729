#!/usr/bin/env python3
"""Where the time of one benchmark goes, from a JFR recording made with JMH's `-prof jfr`.

usage: jfr-breakdown.py profile.jfr [benchmark-method]

Counts the execution and native-method samples taken inside the benchmark method and prints, for
each part of a unit of work, the share of samples whose stack passes through it (inclusive, so
the shares overlap: the write unit contains the ledger append).
"""
import re
import subprocess
import sys

PARTS = [
    ("write unit (store.write)", r"\.write\(StoreWork\)"),
    ("  commit", r"\.commit\("),
    ("  begin", r"\.begin\("),
    ("  lock", r"ReentrantLock\.lock|NonfairSync"),
    ("  read the product, license, blacklist, activation", r"FloatingService\.(admit|admitLicense|product|requireDevice)\("),
    ("  sweep lapsed leases of the pool", r"FloatingService\.sweep\("),
    ("  count live leases", r"countLeasesLiveAfter\("),
    ("  read the device's lease", r"\.lease\(long, String\)"),
    ("  insert / delete / update the lease", r"\.(insertLease|deleteLease|updateLease)\("),
    ("  append the ledger entry", r"FloatingService\.append\("),
    ("  undo log (memory store)", r"MemoryLicenseStore\$Tx\.log\("),
    ("request validation", r"FloatingService\.validate\("),
    ("cache invalidation after commit", r"LookupCache\.(seatChanged|invalidate)\("),
]


def main(path, method="checkoutRelease"):
    text = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample,jdk.NativeMethodSample",
                           "--stack-depth", "80", path], capture_output=True, text=True, check=True).stdout
    stacks = []
    for event in re.split(r"\n(?=jdk\.(?:ExecutionSample|NativeMethodSample))", text):
        frames = re.findall(r"^\s+(\S.*?\))\s+line:", event, re.M)
        if any(f".{method}(" in f for f in frames):
            stacks.append("\n".join(frames))
    if not stacks:
        sys.exit(f"no samples inside {method}")
    print(f"{len(stacks)} samples inside {method}")
    for label, pattern in PARTS:
        n = sum(1 for s in stacks if re.search(pattern, s))
        print(f"{100.0 * n / len(stacks):5.1f}%  {label}")


if __name__ == "__main__":
    main(*sys.argv[1:])
