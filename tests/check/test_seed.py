"""The seed, exactly: the verdicts issue 4 specifies for the bundled document."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from chainrule.checker import check, seed_text
from chainrule.report.report import Report

EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "chainrule" / "examples"


@pytest.fixture(scope="module")
def seed() -> Report:
    return check()


def test_bundled_seed_is_the_shared_document_byte_for_byte() -> None:
    shared = Path(__file__).resolve().parents[3] / "shared" / "examples"
    if (shared / "seed-question-and-answer.txt").exists():
        assert seed_text() == (shared / "seed-question-and-answer.txt").read_text()


def test_seed_model_comes_from_the_problem_statement(seed: Report) -> None:
    assert seed.model.spec == "yhat = softmax(W3 sigmoid(W2 sigmoid(W1 x)))"
    assert seed.model.loss == "cross_entropy"
    assert "problem statement" in seed.model.source


# (line, verdict, introduces_error, diagnosis kinds that must be present)
SEED_STEPS = [
    (22, "incorrect", True, {"index"}),
    (28, "correct", False, set()),
    (29, "correct", False, set()),
    (30, "incorrect", True, {"y_vs_yhat"}),
    (31, "incorrect", True, {"softmax_jacobian"}),
    (32, "incorrect", False, set()),
]


def test_seed_verdicts(seed: Report) -> None:
    got = [(s.line, s.verdict, s.introduces_error) for s in seed.steps]
    assert got == [(line, v, intro) for line, v, intro, _ in SEED_STEPS]
    for step, (_, _, _, kinds) in zip(seed.steps, SEED_STEPS, strict=True):
        assert kinds <= {d.kind for d in step.diagnosis}, step


def test_seed_first_error_and_summary(seed: Report) -> None:
    assert seed.first_error_line == 22
    assert seed.summary == {"correct": 2, "incorrect": 4, "unparsed": 0, "unverifiable": 0}
    assert seed.exit_code == 1


def test_seed_line_22_says_i_versus_j_and_fixes_it(seed: Report) -> None:
    step = seed.steps[0]
    (diag,) = [d for d in step.diagnosis if d.kind == "index"]
    assert "i = j" in diag.message
    assert diag.fix is not None and "y_{i}" in diag.fix.replace(" ", "")


def test_seed_line_31_names_the_softmax_jacobian_and_the_vector(seed: Report) -> None:
    step = seed.steps[4]
    by_kind = {d.kind: d for d in step.diagnosis}
    jacobian = by_kind["softmax_jacobian"].message
    assert "∂ŷ_j/∂z_m = ŷⱼ (δⱼₘ − ŷₘ)" in jacobian and "not ŷₙ (δₘₙ − ŷⱼ)" in jacobian
    assert "vector where a scalar belongs" in by_kind["shape"].message
    assert "ŷ_n: n runs over the 4 columns of W₃, but ŷ has 3 entries" in step.message
    fix = by_kind["shape"].fix
    assert fix is not None and "\\delta_{jm} - \\hat{y}_{m}" in fix
    assert any("numerator's ∂ is missing" in d.message for d in step.diagnosis)


def test_seed_line_32_carries_line_31(seed: Report) -> None:
    step = seed.steps[5]
    assert step.message.startswith("carries the error of line 31")
    assert step.expected is not None


def test_seed_next_steps_cover_w2_and_w1(seed: Report) -> None:
    assert {n.wrt for n in seed.next_steps} >= {"W2", "W1"}


def test_seed_notes_the_kronecker_contradiction(seed: Report) -> None:
    assert any("Kronecker" in n.message and "n = j" in n.message for n in seed.notes)


def test_correct_index_form_document_is_all_correct() -> None:
    report = check(EXAMPLES / "seed-correct-index-form.tex")
    assert report.summary["incorrect"] == 0
    assert report.summary["correct"] >= 8
    assert report.exit_code == 0


def test_cli_check_json_contract_and_exit_status() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "chainrule", "check", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)
    assert data["version"] == 1
    assert set(data) >= {
        "model", "assumptions", "notes", "steps", "first_error_line", "next_steps", "summary",
    }  # fmt: skip
    assert data["first_error_line"] == 22
    assert [s["line"] for s in data["steps"]] == [22, 28, 29, 30, 31, 32]
    step = data["steps"][0]
    assert set(step) >= {
        "line", "column", "chain", "lhs", "rhs", "verdict", "introduces_error", "diagnosis",
        "expected",
    }  # fmt: skip


def test_cli_check_correct_document_exits_0() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "chainrule", "check", str(EXAMPLES / "seed-correct-index-form.tex")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_cli_check_document_without_derivation_exits_2(tmp_path: Path) -> None:
    f = tmp_path / "notes.md"
    f.write_text("Just some prose, no math at all.\n")
    proc = subprocess.run(
        [sys.executable, "-m", "chainrule", "check", str(f)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip()


def test_cli_missing_file_says_so() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "chainrule", "check", "no-such-homework.tex"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert "no file 'no-such-homework.tex'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_cli_checks_many_files_and_summarises(tmp_path: Path) -> None:
    files = [
        str(EXAMPLES / "seed-correct-index-form.tex"),
        str(EXAMPLES / "seed-question-and-answer.txt"),
        str(tmp_path / "missing.tex"),
    ]
    proc = subprocess.run(
        [sys.executable, "-m", "chainrule", "check", *files, "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2  # the worst: an unreadable file
    results = json.loads(proc.stdout)
    assert [r["file"] for r in results] == files
    assert results[0]["report"]["summary"]["incorrect"] == 0
    assert results[1]["report"]["first_error_line"] == 22
    assert "no file" in results[2]["error"]
