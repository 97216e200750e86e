"""Run every benchmark in this folder, one after another (`make bench`).

Each benchmark is also runnable on its own (`python benchmarks/bench_erlang.py`); each prints its
figures next to the target or the peer it is compared with.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent


def main() -> int:
    failures = 0
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"\n=== {script.name}", flush=True)
        started = time.perf_counter()
        result = subprocess.run([sys.executable, str(script), *sys.argv[1:]], cwd=HERE.parent)
        print(
            f"=== {script.name}: exit {result.returncode}, {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        failures += result.returncode != 0
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
