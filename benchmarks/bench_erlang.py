"""Benchmark: required agents for a week of 15-minute intervals on four queues.

    python benchmarks/bench_erlang.py

Inputs: 4 queues x 672 intervals (one week, open around the clock with quiet nights), an
intraday curve with a morning peak of about 300 calls per quarter hour on the largest queue,
weekday factors and gamma noise (fixed seed), AHT 180-600 s per queue, 80 % in 20 s.

Prints our time (best of several runs) for Erlang C against pyworkforce 0.5.1's ``ErlangC``
on the same inputs, where and why the agent counts differ, and the time of Erlang A; and
PASS/FAIL against the targets (Erlang C < 2 ms and >= 50x faster than pyworkforce, Erlang A
< 50 ms).  Always exits 0: it is a report.
"""

from __future__ import annotations

import math
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from veerkracht.planning import erlang, erlang_a

INTERVAL_S = 900.0
SL_TARGET = 0.8
TARGET_S = 20.0
# name, peak calls per quarter hour, AHT in s, mean patience in s (Erlang A)
QUEUES = [
    ("service", 300.0, 300.0, 120.0),
    ("sales", 160.0, 420.0, 180.0),
    ("technical", 90.0, 600.0, 240.0),
    ("business", 60.0, 180.0, 90.0),
]
TARGETS = {"erlang_c_ms": 2.0, "speedup": 50.0, "erlang_a_ms": 50.0}


def week_of_arrivals(peak: float, rng: np.random.Generator) -> np.ndarray:
    """672 quarter hours: double-peaked working day, evening tail, quiet nights, weekdays."""
    hour = np.arange(96) / 4.0
    day = (
        np.exp(-0.5 * ((hour - 10.5) / 1.8) ** 2)
        + 0.75 * np.exp(-0.5 * ((hour - 14.5) / 2.2) ** 2)
        + 0.25 * np.exp(-0.5 * ((hour - 19.5) / 1.5) ** 2)
    )
    day = np.maximum(day / day.max(), 0.03)
    weekday = [1.15, 1.0, 0.95, 0.95, 1.0, 0.6, 0.45]
    week = np.concatenate([day * f for f in weekday]) * peak
    return week * rng.gamma(50.0, 1 / 50.0, week.size)


def best_of(func: Callable[[], Any], runs: int) -> tuple[float, float, Any]:
    """Best and median wall time in seconds over ``runs`` calls, and the last result."""
    times = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times), result


def brute_force_erlang_c(load: float, ratio: float) -> int:
    """Smallest n > load with SL >= target by the plain Erlang B recursion (the definition)."""
    b, n = 1.0, 0
    while True:
        n += 1
        b = load * b / (n + load * b)
        if n > load:
            c = b / (1 - load / n * (1 - b))
            if c * math.exp(-(n - load) * ratio) <= (1 - SL_TARGET) * (1 + 1e-12):
                return n


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> int:
    rng = np.random.default_rng(2024)
    arrivals = np.stack([week_of_arrivals(peak, rng) for _, peak, _, _ in QUEUES])
    aht = np.array([[q[2]] for q in QUEUES])
    patience = np.array([[q[3]] for q in QUEUES])
    load = arrivals * aht / INTERVAL_S
    print(f"Inputs: {arrivals.shape[0]} queues x {arrivals.shape[1]} intervals of 15 min")
    for (name, _, aht_s, pat), row, lrow in zip(QUEUES, arrivals, load, strict=True):
        print(
            f"  {name:<10} AHT {aht_s:>4.0f} s  patience {pat:>4.0f} s  "
            f"calls/15 min max {row.max():6.1f} mean {row.mean():6.1f}  "
            f"load max {lrow.max():6.1f} Erlang"
        )
    print(f"  target {SL_TARGET:.0%} answered within {TARGET_S:.0f} s\n")

    # --- Erlang C: ours -----------------------------------------------------------------
    def ours() -> np.ndarray:
        result: np.ndarray = erlang.required_agents(arrivals, aht, TARGET_S, SL_TARGET, INTERVAL_S)
        return result

    ours()  # warm up imports and caches
    best, median, agents = best_of(ours, 200)
    print("Erlang C required agents (2,688 intervals, one call)")
    print(f"  veerkracht          best {best * 1e3:8.3f} ms   median {median * 1e3:8.3f} ms")
    exact = np.array(
        [
            brute_force_erlang_c(a, TARGET_S / h)
            for a, h in zip(load.ravel(), np.broadcast_to(aht, load.shape).ravel(), strict=True)
        ]
    ).reshape(load.shape)
    mismatches = int((agents != exact).sum())
    print(f"  exact against the plain Erlang B recursion: {mismatches} of {agents.size} differ")

    # --- Erlang C: pyworkforce ----------------------------------------------------------
    speedup = None
    try:
        from pyworkforce.queuing import ErlangC
    except ImportError:
        print(
            "  pyworkforce is not installed: pip install -e '.[bench]'  (pins pyworkforce==0.5.1)"
        )
        theirs = None
    else:
        flat_arrivals = arrivals.ravel()
        flat_aht = np.broadcast_to(aht, arrivals.shape).ravel()

        def pyworkforce() -> np.ndarray:
            return np.array(
                [
                    ErlangC(
                        transactions=float(x),
                        aht=float(h) / 60,
                        asa=TARGET_S / 60,
                        interval=INTERVAL_S / 60,
                    ).required_positions(service_level=SL_TARGET)["raw_positions"]
                    for x, h in zip(flat_arrivals, flat_aht, strict=True)
                ]
            ).reshape(arrivals.shape)

        their_best, their_median, theirs = best_of(pyworkforce, 3)
        speedup = their_best / best
        print(
            f"  pyworkforce 0.5.1   best {their_best * 1e3:8.1f} ms   "
            f"median {their_median * 1e3:8.1f} ms   (a Python loop over intervals)"
        )
        print(f"  speed-up            {speedup:8.0f}x")
        differ = np.argwhere(agents != theirs)
        print(f"  raw agents differ in {len(differ)} of {agents.size} intervals")
        for q, t in differ[:10]:
            a = load[q, t]
            print(
                f"    {QUEUES[q][0]:<10} interval {t:3d}: load {a:8.3f}  ours {agents[q, t]}  "
                f"pyworkforce {theirs[q, t]}  (pyworkforce starts at round(load + 1) = "
                f"{round(a + 1)}; the smallest stable count is {math.floor(a) + 1})"
            )
        explain_pyworkforce_differences(ErlangC)

    # --- Erlang A --------------------------------------------------------------------------
    def ours_a() -> np.ndarray:
        result: np.ndarray = erlang_a.required_agents(
            arrivals, aht, TARGET_S, SL_TARGET, patience, INTERVAL_S
        )
        return result

    best_a, median_a, agents_a = best_of(ours_a, 7)
    print("\nErlang A required agents (same inputs, patience per queue)")
    print(f"  veerkracht          best {best_a * 1e3:8.1f} ms   median {median_a * 1e3:8.1f} ms")
    saved = agents.sum() - agents_a.sum()
    print(
        f"  agent-quarters: Erlang C {agents.sum()}, Erlang A {agents_a.sum()} "
        f"({saved} fewer, {saved / agents.sum():.1%}: callers who hang up are not answered late)"
    )

    print("\nTargets")
    print(
        f"  Erlang C < {TARGETS['erlang_c_ms']} ms: {best * 1e3:.3f} ms  "
        f"{verdict(best * 1e3 < TARGETS['erlang_c_ms'])}"
    )
    if speedup is None:
        print(f"  >= {TARGETS['speedup']:.0f}x pyworkforce: not measured (pyworkforce missing)")
    else:
        print(
            f"  >= {TARGETS['speedup']:.0f}x pyworkforce: {speedup:.0f}x  "
            f"{verdict(speedup >= TARGETS['speedup'])}"
        )
    print(
        f"  Erlang A < {TARGETS['erlang_a_ms']} ms: {best_a * 1e3:.1f} ms  "
        f"{verdict(best_a * 1e3 < TARGETS['erlang_a_ms'])}"
    )
    print(f"  Erlang C exact on every interval: {verdict(mismatches == 0)}")
    return 0


def explain_pyworkforce_differences(erlang_c: Any) -> None:
    """Two small cases that show where pyworkforce's counts are one too many, and why."""
    print("  known sources of difference (not necessarily hit by the inputs above):")
    # 1. The search starts at round(load + 1), skipping floor(load) + 1 when the fraction of
    #    the load is >= 0.5, though that count may already meet a modest target.
    arrivals, aht_s, target_s, sl = 12.0, 190.0, 30.0, 0.3  # load 2.53: starts at 4
    ours = erlang.required_agents(arrivals, aht_s, target_s, sl)
    theirs = erlang_c(
        transactions=arrivals, aht=aht_s / 60, asa=target_s / 60, interval=15
    ).required_positions(service_level=sl)["raw_positions"]
    sl_ours = erlang.service_level(arrivals, aht_s, ours, target_s)
    print(
        f"    start at round(load + 1): 12 calls, AHT 190 s, 30 % in 30 s (load 2.53): "
        f"ours {ours} (SL {sl_ours:.3f}), pyworkforce {theirs}"
    )
    # 2. ceil(load / max_occupancy) in floating point: 21 / 0.7 = 30.000000000000004.
    theirs = erlang_c(transactions=21, aht=15, asa=1 / 3, interval=15).required_positions(
        service_level=0.0, max_occupancy=0.7
    )["raw_positions"]
    ours = erlang.required_agents(21, 900, 20, 0.0, 900, max_occupancy=0.7)
    print(
        f"    ceil(load / max_occupancy) in floats: 21 Erlang at 70 % occupancy "
        f"(21 / 0.7 = {21 / 0.7!r}): ours {ours}, pyworkforce {theirs}"
    )


if __name__ == "__main__":
    sys.exit(main())
