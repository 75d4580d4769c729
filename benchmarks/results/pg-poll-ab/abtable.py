import json, statistics, sys
rows=[json.loads(l) for l in open('ab.jsonl') if l.strip()]
for callers in (1,16):
    for build in ('A','B'):
        e=[r for r in rows if r['build']==build and r['callers']==callers and r['op']=='engine']
        f=[r for r in rows if r['build']==build and r['callers']==callers and r['op']=='floor']
        if not e: continue
        eo=[r['opsPerSecond'] for r in e]; fo=[r['opsPerSecond'] for r in f]
        ratios=[a['opsPerSecond']/b['opsPerSecond'] for a,b in zip(e,f)]
        spd=[r['syncsPerDecision'] for r in e]
        upc=[r['units']/r['commits'] for r in e if r['commits']]
        print(f"{callers:>2} {build} n={len(e)} engine {statistics.median(eo):.0f} ({min(eo):.0f}-{max(eo):.0f}) floor {statistics.median(fo):.0f} ({min(fo):.0f}-{max(fo):.0f}) ratio {statistics.median(ratios):.2f} per-run {[round(x,2) for x in ratios]} wal/dec {statistics.median(spd):.3f} ({min(spd):.3f}-{max(spd):.3f}) units/commit {statistics.median(upc):.2f} engine-runs {[round(x) for x in eo]}")
