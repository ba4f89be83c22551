#!/usr/bin/env python3
"""Which idle-reclaim rule do the AWS 2020 raw logs support?  (research script, branch research-reclaim)

Reads the 11 per-request logs (../shared/data/aws-lambda-2020-measurements/raw beside the repository,
or the directory given as the first argument) and prints
  1. current-status observations of idle environments ("probes"), quiet vs active function;
  2. how many of the informative probes (idle > 500 s, environment younger than 1.5 h) each candidate
     rule gets wrong: fixed keep-alive, random keep-alive, paced reclaim, floor at recent peak
     concurrency, and the two-clock rule (function quiet for K, or environment idle for M);
  3. what each cold start followed (quiet function, recycled, early reclaim, spare reclaimed, ...);
  4. how often two spare environments were both idle > 600 s and both later reused.
A probe: at each request, the most recently used idle environment not yet known to be gone (the one
MRU reuse picks) either served the request (alive at that idle time) or a cold start came / the
request went elsewhere and it never served again (gone). Pure Python 3, no dependencies.
The TypeScript pipeline (validation/rawLogs.ts: idleProbes, fitIdleReclaim) fits the two-clock
rule's limits from the same probes for reports/validation.md.
"""
import bisect, collections, csv, glob, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
RAW = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "../../../shared/data/aws-lambda-2020-measurements/raw")
EXPERIMENT = {"2020-04-24": "experiment_0", "2020-05-17": "experiment_10", "2020-05-23": "experiment_11", "2020-05-26": "experiment_12",
              "2020-05-28": "experiment_13", "2020-06-04": "experiment_14", "2020-06-06": "experiment_15", "2020-06-09": "experiment_16",
              "2020-06-10": "experiment_17", "2020-06-18": "experiment_18", "2020-06-13": "experiment_19"}
MAX_AGE = 1.5 * 3600   # older environments are left out: recycling at ~2 h confounds reclaim
MIN_IDLE = 500         # probes that can tell the rules apart


def load():
    logs = []
    for path in sorted(glob.glob(os.path.join(RAW, "res-01-*.csv"))):
        with open(path) as fh:
            rows = [dict(cold=r["is_cold"] == "True", inst=r["inst_id"], s=float(r["client_start_time"]), e=float(r["client_end_time"]))
                    for r in csv.DictReader(fh)]
        rows.sort(key=lambda r: r["s"])
        logs.append((EXPERIMENT[os.path.basename(path)[7:17]], len(rows) / (rows[-1]["s"] - rows[0]["s"]), rows))
    return sorted(logs, key=lambda x: x[1])


def probes(rows):
    last_use = {r["inst"]: r["s"] for r in rows}
    last, first, gone, out = {}, {}, set(), []
    for r in rows:
        t = r["s"]
        active = any(e >= t for e in last.values())
        cand = sorted((t - e, i) for i, e in last.items() if e < t and i not in gone)
        if cand:
            g, m = cand[0]
            p = dict(g=g, age=t - first[m], active=active, t=t, inst=m)
            if not r["cold"] and r["inst"] == m:
                out.append(dict(p, alive=1))
            elif last_use[m] <= t:
                out.append(dict(p, alive=0))
                gone.add(m)
            if r["cold"]:
                gone.update(i for _, i in cand if last_use[i] <= t)
        gone.discard(r["inst"])
        last[r["inst"]] = max(last.get(r["inst"], 0), r["e"])
        first.setdefault(r["inst"], t)
    return out


def longest_quiet(rows, starts, t0, t1):
    """Longest stretch in (t0, t1) with no request in flight."""
    cur, best = t0, 0.0
    for r in rows[max(0, bisect.bisect_left(starts, t0 - 60)):bisect.bisect_left(starts, t1)]:
        if r["e"] <= t0:
            continue
        if r["s"] > cur:
            best = max(best, r["s"] - cur)
        cur = max(cur, r["e"])
    return max(best, t1 - cur)


def replay(rows, rule, K, X, wanted, dt=5.0):
    """Grid replay of a reaper over the real request history; model status of the wanted probes.
    pace: at most one reclaim per X s (least recently used first) among environments idle > K.
    floor: environments idle > K reclaimed (LRU first) while more are alive than the peak real
    concurrency over the last X s."""
    starts = [r["s"] for r in rows]
    ends = sorted(r["e"] for r in rows)
    conc = [k + 1 - bisect.bisect_left(ends, s) for k, s in enumerate(starts)]
    events = sorted([(r["s"], 0, r["inst"]) for r in rows] + [(r["e"], 1, r["inst"]) for r in rows])
    want = sorted(wanted)
    lf, busy, dead, out = {}, collections.Counter(), set(), {}
    state = dict(last=-1e18)
    def reap(now):
        while True:
            cand = sorted((lf[i], i) for i in lf if busy[i] == 0 and i not in dead and now - lf[i] > K)
            if not cand:
                return
            if rule == "pace":
                if now - state["last"] < X:
                    return
            else:
                a, b = bisect.bisect_left(starts, now - X), bisect.bisect_right(starts, now)
                if sum(1 for i in lf if i not in dead) <= (max(conc[a:b]) if b > a else 0):
                    return
            dead.add(cand[0][1])
            state["last"] = now
    t, k = events[0][0], 0
    for te, kind, inst in events:
        while t + dt < te:
            t += dt
            reap(t)
        while k < len(want) and want[k][0] <= te:
            out[want[k]] = 0 if want[k][1] in dead else 1
            k += 1
        if kind == 0:
            dead.discard(inst)
            busy[inst] += 1
        else:
            busy[inst] -= 1
            lf[inst] = max(lf.get(inst, 0), te)
    return out


def main():
    logs = load()
    print(f"{len(logs)} logs from {RAW}\n")
    P = []
    for exp, rate, rows in logs:
        starts = [r["s"] for r in rows]
        for p in probes(rows):
            p.update(exp=exp)
            if p["age"] < MAX_AGE and p["g"] > MIN_IDLE:
                p["quiet_max"] = longest_quiet(rows, starts, p["t"] - p["g"], p["t"])
            P.append(p)
    young = [p for p in P if p["age"] < MAX_AGE]
    print("1. probes (environment < 1.5 h old): idle bin | quiet alive/gone | active alive/gone")
    bins = [0, 300, 600, 630, 660, 900, 1200, 1500, 1800, float("inf")]
    for lo, hi in zip(bins, bins[1:]):
        c = collections.Counter((p["active"], p["alive"]) for p in young if lo < p["g"] <= hi)
        print(f"   {lo:>5.0f}-{hi:<5.0f}  {c[(False, 1)]:6d} {c[(False, 0)]:4d}   |  {c[(True, 1)]:5d} {c[(True, 0)]:3d}")

    S = [p for p in young if p["g"] > MIN_IDLE]
    def errors(pred):
        e = collections.Counter()
        for p in S:
            e["active" if p["active"] else "quiet"] += abs(p["alive"] - pred(p))
        return f"quiet {e['quiet']:5.1f} / {sum(not p['active'] for p in S)}, active {e['active']:5.1f} / {sum(p['active'] for p in S)}"
    print(f"\n2. misclassified informative probes (idle > {MIN_IDLE} s, < 1.5 h old)")
    for K in (600, 640):
        print(f"   fixed keep-alive {K} s:                 ", errors(lambda p, K=K: float(p["g"] <= K)))
    bestK = min(range(500, 2000, 5), key=lambda K: sum(abs(p["alive"] - (p["g"] <= K)) for p in S))
    print(f"   best fixed keep-alive ({bestK} s):         ", errors(lambda p: float(p["g"] <= bestK)))
    unif = lambda lo, hi: (lambda p: min(1.0, max(0.0, (hi - p["g"]) / (hi - lo))))
    lo, hi = min(((lo, lo + w) for lo in range(500, 1500, 20) for w in range(20, 1500, 20)),
                 key=lambda b: sum(abs(p["alive"] - unif(*b)(p)) for p in S))
    print(f"   best random keep-alive U[{lo},{hi}] s:   ", errors(unif(lo, hi)), "(expected)")
    for rule, Xs in (("pace", (60, 300, 900, 1200)), ("floor", (600, 900, 1500))):
        for X in Xs:
            status = {}
            for exp, rate, rows in logs:
                status.update({(exp,) + key: v for key, v in replay(rows, rule, 640, X, [(p["t"], p["inst"]) for p in S if p["exp"] == exp]).items()})
            print(f"   {rule} K=640 s, X={X:>4} s:               ", errors(lambda p: status[(p['exp'], p['t'], p['inst'])]))
    for M in (1200, 1470, 1800):
        print(f"   two-clock K=640 s, M={M} s:           ", errors(lambda p, M=M: float(p["g"] <= M and p["quiet_max"] <= 640)))

    print("\n3. what each cold start followed (the most recently used environment, idle g, age a)")
    for exp, rate, rows in logs:
        last_use = {r["inst"]: r["s"] for r in rows}
        last, first, c = {}, {}, collections.Counter()
        for r in rows:
            t = r["s"]
            if r["cold"] and last:
                if t - max(last.values()) > 600:
                    c["function quiet > 10 min"] += 1
                else:
                    cand = sorted((t - e, i) for i, e in last.items() if e < t and last_use[i] < t)
                    if not cand:
                        c["no idle environment"] += 1
                    else:
                        g, i = cand[0]
                        c["recycled (g<600, a>1.5h)" if g <= 600 and t - first[i] > MAX_AGE else "early (g<600, a<1.5h)" if g <= 600
                          else "spare gone (600<g<1500)" if g <= 1500 else "spare gone (g>1500)"] += 1
            last[r["inst"]] = max(last.get(r["inst"], 0), r["e"])
            first.setdefault(r["inst"], t)
        print(f"   {exp:13s} {rate:.4f} req/s: " + ", ".join(f"{k} {v}" for k, v in sorted(c.items())))

    print("\n4. two spares idle > 600 s at once, both reused later (pairs of overlapping long-idle intervals)")
    for exp, rate, rows in logs:
        last, iv = {}, []
        for r in rows:
            if not r["cold"] and r["inst"] in last and r["s"] - last[r["inst"]] > 600:
                iv.append((last[r["inst"]] + 600, r["s"], r["inst"]))
            last[r["inst"]] = max(last.get(r["inst"], 0), r["e"])
        pairs = sum(1 for i, a in enumerate(iv) for b in iv[i + 1:] if a[2] != b[2] and a[0] < b[1] and b[0] < a[1])
        print(f"   {exp:13s} long-idle warm reuses {len(iv):3d}, overlapping pairs {pairs}")


if __name__ == "__main__":
    main()
