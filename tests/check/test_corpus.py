"""The checker on the labelled corpus (labels proven by tests/corpus/check/prove_labels.py).

A false alarm — a correct line called incorrect — is a bug: this test fails on any. It also
pins floors for how much of the corpus is judged right, so a change that makes chainrule
say "could not verify" more often is seen.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chainrule.checker import check
from chainrule.errors import ChainruleError
from chainrule.report.report import Report

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "check"
DOCS = json.loads((CORPUS / "labels.json").read_text())
HELDOUT_DOCS = [
    (folder, doc)
    for folder in (
        "heldout",
        "heldout2",
        "heldout3",
        "heldout4",
        "heldout5",
        "heldout6",
        "heldout7",
        "heldout8",
    )
    for doc in json.loads((CORPUS.parent / folder / "labels.json").read_text())
]


@pytest.fixture(scope="module")
def reports() -> dict[str, Report]:
    return {
        d["file"]: check(
            CORPUS / d["file"], model=d["model"], loss=d["loss"], label_index=d["label_index"]
        )
        for d in DOCS
    }


@pytest.mark.parametrize("doc", DOCS, ids=[d["file"] for d in DOCS])
def test_no_correct_line_is_called_incorrect(doc: dict, reports: dict[str, Report]) -> None:  # type: ignore[type-arg]
    steps = {s.line: s for s in reports[doc["file"]].steps}
    for label in doc["lines"]:
        step = steps.get(label["line"])
        if label["verdict"] == "correct" and step is not None:
            assert step.verdict != "incorrect", (label, step.message)


def test_corpus_floors(reports: dict[str, Report]) -> None:
    agree = total = caught = incorrect = 0
    for doc in DOCS:
        steps = {s.line: s for s in reports[doc["file"]].steps}
        for label in doc["lines"]:
            total += 1
            step = steps.get(label["line"])
            if step is not None and step.verdict == label["verdict"]:
                agree += 1
            if label["verdict"] == "incorrect":
                incorrect += 1
                caught += step is not None and step.verdict == "incorrect"
    assert total == 361
    assert agree / total >= 0.92  # measured 0.947
    assert caught / incorrect >= 0.85  # measured 0.88


def test_same_input_same_report() -> None:
    assert check().to_json() == check().to_json()


def test_time_limit_is_reported(tmp_path: Path) -> None:
    report = check(time_limit=0.0)
    assert report.timed_out
    assert any("time limit" in n.message for n in report.notes)
    assert [s.message for s in report.steps] == ["the check ran out of time before this line"] * 6
    assert report.exit_code == 3  # not verified, never a verdict made up


@pytest.mark.parametrize(
    ("folder", "doc"), HELDOUT_DOCS, ids=[f"{f}/{d['file']}" for f, d in HELDOUT_DOCS]
)
def test_no_false_alarm_on_the_held_out_corpora(folder: str, doc: dict) -> None:  # type: ignore[type-arg]
    path = CORPUS.parent / folder / doc["file"]
    report = check(path, model=doc["model"], loss=doc["loss"], label_index=doc["label_index"])
    steps = {s.line: s for s in report.steps}
    for label in doc["lines"]:
        step = steps.get(label["line"])
        if label["verdict"] == "correct" and step is not None:
            assert step.verdict != "incorrect", (label, step.message)


ALL_DOCS = [("check", d) for d in DOCS] + HELDOUT_DOCS


@pytest.mark.parametrize(("folder", "doc"), ALL_DOCS, ids=[f"{f}/{d['file']}" for f, d in ALL_DOCS])
def test_no_false_alarm_when_the_model_is_read_off_the_text(folder: str, doc: dict) -> None:  # type: ignore[type-arg]
    """As a user runs it, without --model: chainrule finds the network and the loss in the
    text (or says it cannot), and still calls no correct line incorrect."""
    path = CORPUS.parent / folder / doc["file"]
    try:
        report = check(path)
    except ChainruleError as exc:
        assert "found no network" in str(exc) or "found no derivation" in str(exc), exc
        return
    steps = {s.line: s for s in report.steps}
    for label in doc["lines"]:
        step = steps.get(label["line"])
        if label["verdict"] == "correct" and step is not None:
            assert step.verdict != "incorrect", (label, step.message, report.model)
