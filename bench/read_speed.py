"""Reader speed: warm read+parse time of the seed document, and import time of the reader.

Run ``python bench/read_speed.py``. Targets (issue 3): the seed read and parsed in ≤ 20 ms
warm; ``import chainrule.reader.read`` in ≤ 150 ms in a fresh interpreter, without SymPy.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

SEED = Path(__file__).parents[1] / "src" / "chainrule" / "examples" / "seed-question-and-answer.txt"
IMPORT_PROBE = (
    "import sys, time; t = time.perf_counter(); import chainrule.reader.read; "
    "print(time.perf_counter() - t, 'sympy' in sys.modules)"
)


def import_time(runs: int = 5) -> tuple[float, bool]:
    """Best-of-``runs`` import time (s) in fresh interpreters, and whether SymPy got imported."""
    best, sympy = float("inf"), False
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", IMPORT_PROBE], capture_output=True, text=True, check=True
        ).stdout.split()
        best, sympy = min(best, float(out[0])), sympy or out[1] == "True"
    return best, sympy


def warm_read(runs: int = 50) -> tuple[float, float]:
    """Median and best warm time (s) of ``read_document`` on the seed (text read from disk)."""
    from chainrule.reader.read import read_document

    read_document(SEED)  # warm: grammar built, caches filled
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        read_document(SEED)
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def main() -> int:
    seconds, sympy = import_time()
    median, best = warm_read()
    print(f"import chainrule.reader.read: {seconds * 1000:.1f} ms (target 150 ms)")
    print(f"sympy imported on the reader path: {'yes (bad)' if sympy else 'no'}")
    print(f"seed read+parse warm: median {median * 1000:.2f} ms, best {best * 1000:.2f} ms "
          "(target 20 ms)")  # fmt: skip
    ok = seconds <= 0.150 and median <= 0.020 and not sympy
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
