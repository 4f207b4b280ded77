"""`chainrule train` as users meet it: exit codes, the accuracy line, sentences for mistakes."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from chainrule.cli import main


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "chainrule", "train", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_short_run_prints_test_accuracy() -> None:
    proc = run_cli("--epochs", "3")
    assert proc.returncode == 0, proc.stderr
    match = re.search(r"test accuracy (\d+\.\d+)%", proc.stdout)
    assert match and float(match.group(1)) > 80


def test_bad_csv_exits_2_with_a_sentence(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("a,b,y\n1,oops,0\n")
    proc = run_cli("--dataset", str(path), "--target", "y")
    assert proc.returncode == 2
    assert "holds `oops`, which is not a number" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_default_seed_network_reaches_97_percent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    start = time.perf_counter()
    assert main(["train", "--plot", str(tmp_path / "curves.png")]) == 0
    assert time.perf_counter() - start < 30
    out = capsys.readouterr().out
    match = re.search(r"test accuracy (\d+\.\d+)%", out)
    assert match and float(match.group(1)) >= 97.0
    assert (tmp_path / "curves.png").read_bytes()[:4] == b"\x89PNG"


def test_csv_trains(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "two.csv"
    path.write_text(
        "u,v,kind\n" + "".join(f"{i},{(i % 2) * 5 + i / 40},{i % 2}\n" for i in range(40))
    )
    assert (
        main(
            [
                "train",
                "--dataset",
                str(path),
                "--target",
                "kind",
                "--epochs",
                "20",
                "--lr",
                "0.5",
                "--batch",
                "8",
            ]
        )
        == 0
    )
    assert "test accuracy 100.00%" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--lr", "1e6", "--epochs", "5"], "diverged in epoch 1"),
        (["--hidden", "64"], "--hidden needs 2 sizes"),
        (["--hidden", "64,x"], "positive whole numbers"),
        (["--epochs", "0"], "--epochs must be at least 1"),
        (["--batch", "0"], "--batch must be at least 1"),
        (["--lr", "-1"], "learning rate must be a positive number"),
        (["--dataset", "mnist"], "not a dataset chainrule knows"),
        (["--dataset", "x.csv"], "with --target"),
        (["--dataset", "missing.csv", "--target", "y"], "There is no file"),
        (["--target", "y"], "the digits need none"),
        (["--preset", "seed", "--loss", "mse"], "--loss goes with --model"),
        (["--model", "softmax(W1 x", "--epochs", "1"], "column"),
    ],
)
def test_mistakes_exit_2_with_a_sentence(
    args: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["train", *args]) == 2
    assert words in capsys.readouterr().err


def test_other_specs_train(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            [
                "train",
                "--model",
                "softmax(W2 relu(W1 x + b1))",
                "--hidden",
                "32",
                "--epochs",
                "2",
                "--dtype",
                "float64",
            ]
        )
        == 0
    )
    assert main(["train", "--preset", "logistic", "--epochs", "2"]) == 0
    assert capsys.readouterr().out.count("test accuracy") == 2
