"""The corpora's labels stay proven: each corpus's own NumPy proof script runs and passes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

CORPORA = Path(__file__).resolve().parents[1] / "corpus"


@pytest.mark.parametrize("folder", ["check", *(f"heldout{n}" for n in ("", 2, 3, 4, 5, 6, 7, 8))])
def test_labels_are_proven_by_independent_numpy(folder: str) -> None:
    proc = subprocess.run(
        [sys.executable, str(CORPORA / folder / "prove_labels.py")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert " passed, 0 failed" in proc.stdout.splitlines()[-1]
