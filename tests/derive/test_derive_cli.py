"""`chainrule derive` as users meet it: golden outputs, exit codes, runnable NumPy code.

Golden files live in ``tests/derive/golden``; regenerate them after an intended change with
``CHAINRULE_UPDATE_GOLDEN=1 python -m pytest tests/derive``.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from contextlib import redirect_stdout
from pathlib import Path

import pytest
from derive_helpers import close, run_grads

from chainrule.cli import main
from chainrule.derive import check_dims, derive
from chainrule.model.graph import build_model
from chainrule.model.spec import preset

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("CHAINRULE_UPDATE_GOLDEN") == "1"
FORMATS = {"text": "txt", "latex": "tex", "markdown": "md", "json": "json", "numpy": "py"}


def _run(*argv: str) -> tuple[int, str]:
    buf = io.StringIO()
    with redirect_stdout(buf):
        status = main(["derive", *argv])
    return status, buf.getvalue()


@pytest.fixture(scope="module")
def seed_text() -> str:
    return derive(preset("seed")).to_text()


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_golden_seed(fmt: str, seed_text: str) -> None:
    if fmt == "text":
        out = seed_text  # the terminal rendering at a fixed width, without colour
    else:
        status, out = _run("--preset", "seed", "--format", fmt)
        assert status == 0
    if fmt == "json":  # errors vary in the last bits across platforms; keep the rest exact
        data = json.loads(out)
        for step in data["steps"]:
            for f in step["formulas"]:
                assert f["verified"] is True and f["max_rel_error"] < 1e-12
                f["max_rel_error"] = "<1e-12"
        out = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "text":
        out = _mask_errors(out)
    if fmt == "markdown":
        out = _mask_errors(out)
    path = GOLDEN / f"seed.{FORMATS[fmt]}"
    if UPDATE:
        path.write_text(out, encoding="utf-8")
    assert out == path.read_text(encoding="utf-8")


def _mask_errors(text: str) -> str:
    import re

    return re.sub(r"max rel\. error \d\.\de[-+]\d\d", "max rel. error <1e-12", text)


# The "done when": the formulas of the seed network, each marked verified.
SEED_LINES = [
    "δ₃ = (diag(ŷ) − ŷ ŷᵀ) (−y/ŷ) = ŷ − y",
    "∇W₃ L = δ₃ a₂ᵀ",
    "∂L/∂W₃,mn = δ₃,m a₂,n = (ŷ_m − y_m) a₂,n",
    "δ₂ = (W₃ᵀ δ₃) ⊙ a₂ ⊙ (1 − a₂)",
    "∇W₂ L = δ₂ a₁ᵀ",
    "∂L/∂W₂,np = δ₂,n a₁,p",
    "δ₁ = (W₂ᵀ δ₂) ⊙ a₁ ⊙ (1 − a₁)",
    "∇W₁ L = δ₁ xᵀ",
    "∂L/∂W₁,pq = δ₁,p x_q",
    "W₃ ← W₃ − η ∇W₃ L",
    "∂ŷ_j/∂z₃,m = ŷ_j (δ_jm − ŷ_m)",
]


def test_seed_shows_the_formulas_verified() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "chainrule", "derive", "--preset", "seed"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "160"},
    )
    assert proc.returncode == 0, proc.stderr
    for line in SEED_LINES:
        assert line in proc.stdout, line
    assert "NOT VERIFIED" not in proc.stdout
    assert proc.stdout.count("✓ verified") == 21  # 7 forward, 11 backward, 3 updates


@pytest.mark.parametrize(
    ("argv", "words", "column"),
    [
        (["--model", "softmax(W1 x"], "to close the `softmax(`", "column 13"),
        (["--model", "softmax(W2 foo(W1 x))"], "`foo` is not an activation", "column 12"),
        (["--model", "sigmoid(W1 x)", "--loss", "hinge"], "`hinge` is not a loss", "column 1"),
    ],
)
def test_bad_spec_exits_2_with_a_column(argv: list[str], words: str, column: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "chainrule", "derive", *argv],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert words in proc.stderr and column in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--preset", "seed", "--wrt", "W7"], "`W7` is not a quantity"),
        (["--preset", "nope"], "no preset named `nope`"),
        (["--preset", "seed", "--loss", "mse"], "--loss goes with --model"),
    ],
)
def test_bad_options_exit_2(
    argv: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["derive", *argv]) == 2
    assert words in capsys.readouterr().err


def test_wrt_limits_the_output() -> None:
    status, out = _run("--preset", "seed", "--wrt", "W3", "--format", "json")
    data = json.loads(out)
    kinds = {tuple(f["quantity"]) for s in data["steps"] for f in s["formulas"]}
    assert status == 0 and ("dW", 3) in kinds
    assert ("dW", 2) not in kinds and ("delta", 2) not in kinds
    assert all(f["verified"] for s in data["steps"] for f in s["formulas"])


@pytest.mark.parametrize("name", ["seed", "cs224n", "dlai", "logistic", "regression"])
def test_printed_numpy_matches_truth(name: str) -> None:
    status, source = _run("--preset", name, "--format", "numpy", "--no-verify")
    assert status == 0
    spec = preset(name)
    for seed in range(3):
        got, truth = run_grads(source, build_model(spec, check_dims(spec)), seed)
        params = {f"W{lay.index}" for lay in spec.layers}
        assert params <= set(got)
        for key in got:
            assert close(got[key], truth[key], 1e-10), key


def test_names_render_in_a_students_notation() -> None:
    d = derive(preset("seed"), verify=False, names={"a2": "h", "yhat": "p"})
    assert d.find("dW", 3).matrix_latex == "\\nabla_{W_{3}} L = \\delta_{3} h^{\\top}"
    assert d.find("dW", 3).index_text == "∂L/∂W₃,mn = δ₃,m h_n = (p_m − y_m) h_n"
