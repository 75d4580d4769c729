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
    ("  engine unit runner (retry, clock)", r"Engine\.(write|unit|run)"),
    ("  commit", r"\.commit\("),
    ("  begin", r"\.begin\("),
    ("  gate and stripe locks (memory store)", r"ReentrantLock|ReentrantReadWriteLock|AbstractQueuedSynchronizer"),
    ("  tx.lock (lock keys, HeldLocks)", r"\.lock\(LockKey\[\]\)|HeldLocks"),
    ("  read the product, license, blacklist, activation", r"FloatingService\.(admit|admitLicense|product|requireDevice)\("),
    ("  sweep lapsed leases of the pool", r"FloatingService\.sweep\("),
    ("  count live leases", r"countLeasesLiveAfter\("),
    ("  read the device's lease", r"\.lease\(long, String\)"),
    ("  put / delete the lease", r"\.(putLease|deleteLease|insertLease|updateLease)\("),
    ("    lease expiry index (memory store)", r"MemoryLicenseStore\$Tx\.(index|indexed)\("),
    ("  append the ledger entry", r"FloatingService\.append\(|appendLedger\("),
    ("  undo log (memory store)", r"MemoryLicenseStore\$Tx\.(put|remove|indexed)\(|ArrayDeque|lambda\$(put|remove|indexed)"),
    ("  record hashCode/equals (invokedynamic ObjectMethods)", r"ObjectMethods|java\.lang\.invoke"),
    ("request validation", r"FloatingService\.validate\("),
    ("cache invalidation after commit", r"LookupCache\.(seatChanged|invalidate)\(|seatChanged\("),
    ("signing / token step", r"FloatingService\.signed\(|TokenIssuer"),
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
    # The top frames (self time), for what the parts above do not name.
    top = {}
    for st in stacks:
        first = st.split("\n", 1)[0]
        top[first] = top.get(first, 0) + 1
    print()
    print("top frames (self):")
    for frame, n in sorted(top.items(), key=lambda kv: -kv[1])[:15]:
        print(f"{100.0 * n / len(stacks):5.1f}%  {frame}")


if __name__ == "__main__":
    main(*sys.argv[1:])
