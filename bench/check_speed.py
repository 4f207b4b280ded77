"""How long `chainrule check` takes on the bundled seed, by stage, and as a whole process.

Prints medians over repeated warm runs for each stage (read, bind, judge, diagnose, expected
and next steps, render), the warm total of the API call, and the cold time of the
`chainrule check` command as a subprocess. Targets (issue 4): whole process ≤ 1.5 s (aim
0.5), warm API call ≤ 100 ms (aim 20). Not a timed test: `python bench/check_speed.py`.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from chainrule.bind.document import bind_document
from chainrule.bind.options import CheckOptions
from chainrule.checker import check, check_document, seed_text
from chainrule.judge.expected import Expected
from chainrule.judge.verdicts import Judge, make_instances
from chainrule.reader.read import read_document

REPEATS = 15


def median_ms(fn: Callable[[], Any], repeats: int = REPEATS) -> float:
    fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def main() -> int:
    text = seed_text()
    options = CheckOptions()
    doc = read_document(text, kind="txt")
    rows: list[tuple[str, float]] = []
    rows.append(("read (document → claims)", median_ms(lambda: read_document(text, kind="txt"))))
    rows.append(("bind (model, names)", median_ms(lambda: bind_document(doc, options))))

    def judge_only() -> None:
        bound = bind_document(doc, options)
        judge = Judge(bound, make_instances(bound, options.seeds), time.monotonic() + 60)
        for n, (_, chain) in enumerate(bound.claims, 1):
            judge.judge_chain(n, chain)

    def expected_only() -> None:
        bound = bind_document(doc, options)
        judge = Judge(bound, make_instances(bound, options.seeds), time.monotonic() + 60)
        Expected(bound, judge).next_steps(set())

    bind_ms = rows[-1][1]
    rows.append(("judge (verdicts)", median_ms(judge_only) - bind_ms))
    rows.append(("expected and next steps", median_ms(expected_only) - bind_ms))
    total = median_ms(lambda: check_document(doc, options, "seed"))
    rows.append(("diagnose (repair search)", total - sum(ms for _, ms in rows[1:]) - 0.0))
    report = check()
    rows.append(("render text", median_ms(lambda: report.to_text())))
    rows.append(("render json", median_ms(lambda: report.to_json_text())))
    rows.append(("render html (MathML)", median_ms(lambda: report.to_html())))
    api = median_ms(lambda: check())
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "chainrule", "check"], capture_output=True, check=False)
    process = time.perf_counter() - t0
    print(f"{'stage':32} {'median ms':>10}")
    for name, ms in rows:
        print(f"{name:32} {ms:10.1f}")
    print(f"{'warm API call chainrule.check()':32} {api:10.1f}   (target ≤ 100, aim 20)")
    print(f"{'whole process chainrule check':32} {process * 1000:10.1f}   (target ≤ 1500, aim 500)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
