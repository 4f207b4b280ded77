"""How well `chainrule check` judges derivations it has never seen.

Runs the checker on the labelled corpus in tests/corpus/check (labels proven by independent
numpy code in prove_labels.py) and prints: verdict accuracy, false alarms on correct lines
(target 0), misses, lines left unverified, first-error accuracy, and the share of incorrect
lines that got a verified fix. Not a timed test: run `python bench/check_quality.py`.
Add `--verbose` to list every disagreement, `--corpus DIR` for another labelled corpus (such
as the held-out one in tests/corpus/heldout, which chainrule was not tuned on), and
`--find-model` to check as a user does, without the labels' model and loss.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path

from chainrule.checker import check
from chainrule.errors import ChainruleError

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "corpus" / "check"


def main(argv: list[str]) -> int:
    verbose = "--verbose" in argv
    # --find-model: as a user runs it, without --model/--loss — chainrule finds the network
    # and the loss in the text itself (the labels' model is then only for comparison).
    find_model = "--find-model" in argv
    corpus = CORPUS
    if "--corpus" in argv:
        corpus = Path(argv[argv.index("--corpus") + 1])
    docs = json.loads((corpus / "labels.json").read_text())
    c: Counter[str] = Counter()
    first_ok = first_total = 0
    times = []
    for doc in docs:
        path = corpus / doc["file"]
        t0 = time.perf_counter()
        try:
            if find_model:
                report = check(path)
                found = (report.model.spec, report.model.loss)
                if (found[0].replace(" ", ""), found[1]) != (
                    doc["model"].replace(" ", ""),
                    doc["loss"],
                ):
                    c["other_model"] += 1
                    if verbose:
                        said = (doc["model"], doc["loss"])
                        print(f"  {doc['file']}: found {found}, labels say {said}")
            else:
                report = check(
                    path, model=doc["model"], loss=doc["loss"], label_index=doc.get("label_index")
                )
        except ChainruleError as exc:
            print(f"{doc['file']}: error: {exc}")
            c["doc_errors"] += 1
            c["lines"] += len(doc["lines"])
            c["not_judged"] += len(doc["lines"])
            continue
        times.append(time.perf_counter() - t0)
        got = {s.line: s for s in report.steps}
        for lab in doc["lines"]:
            c["lines"] += 1
            step = got.get(lab["line"])
            want = lab["verdict"]
            if step is None:
                c["not_found"] += 1
                if verbose:
                    print(f"  {doc['file']}:{lab['line']} not found as a step")
                continue
            v = step.verdict
            if v == want:
                c["agree"] += 1
                if v == "incorrect":
                    c["agree_incorrect"] += 1
                    if any(d.fix for d in step.diagnosis):
                        c["fixed"] += 1
                    c["carry_match"] += step.introduces_error == lab["introduces_error"]
                    kinds = {d.kind for d in step.diagnosis}
                    if set(lab.get("kinds", [])) & kinds:
                        c["kind_match"] += 1
            elif want == "correct" and v == "incorrect":
                c["false_alarm"] += 1
                print(f"FALSE ALARM {doc['file']}:{lab['line']}: {step.message}")
            elif want == "incorrect" and v == "correct":
                c["miss"] += 1
                if verbose:
                    print(f"  miss {doc['file']}:{lab['line']} ({lab.get('note', '')})")
            else:
                c[f"{want}->{v}"] += 1
                if verbose:
                    print(f"  {want}->{v} {doc['file']}:{lab['line']}: {step.message}")
            c[f"label_{want}"] += 1
        if doc.get("first_error_line") is not None or report.first_error_line is not None:
            first_total += 1
            first_ok += report.first_error_line == doc.get("first_error_line")
    n = c["lines"]
    inc = sum(1 for d in docs for lab in d["lines"] if lab["verdict"] == "incorrect")
    inc_agree = c["agree_incorrect"]
    print()
    print(f"documents            {len(docs)} ({c['doc_errors']} could not be checked)")
    if find_model:
        print(
            f"model found          {len(docs) - c['doc_errors'] - c['other_model']} the same "
            f"as the labels', {c['other_model']} another"
        )
    print(f"labelled lines       {n} ({n - inc} correct, {inc} incorrect)")
    print(f"verdict accuracy     {c['agree'] / n:.1%}")
    print(f"false alarms         {c['false_alarm']} (correct lines called incorrect)")
    print(f"misses               {c['miss']} (incorrect lines called correct)")
    others = {k: v for k, v in c.items() if "->" in k}
    print(f"not verified         {sum(others.values())} {others}")
    print(f"not found            {c['not_found'] + c['not_judged']}")
    print(f"first-error line     {first_ok}/{first_total}")
    print(f"incorrect with fix   {c['fixed']}/{max(inc_agree, 1)} of the incorrect lines caught")
    print(f"mistake kind named   {c['kind_match']}/{max(inc_agree, 1)}")
    print(f"introduces/carries   {c['carry_match']}/{max(inc_agree, 1)} agree with the labels")
    if times:
        times.sort()
        print(
            f"time per document    median {times[len(times) // 2] * 1000:.0f} ms, "
            f"max {times[-1] * 1000:.0f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
