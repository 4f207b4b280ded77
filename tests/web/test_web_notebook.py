"""The example notebook runs, top to bottom, as a user's kernel would run it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import chainrule
from chainrule.checker import check

NOTEBOOK = Path(__file__).resolve().parents[2] / "examples" / "check-in-a-notebook.ipynb"


def test_report_shows_itself_in_jupyter() -> None:
    report = check()
    html, markdown = report._repr_html_(), report._repr_markdown_()
    assert html.count("<li class='step") == 6 and "<math" in html
    assert "22" in markdown


def test_example_notebook_runs(tmp_path: Path) -> None:
    if not hasattr(chainrule, "check"):
        pytest.skip("chainrule.check is not re-exported from chainrule/__init__.py yet")
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    assert nb["nbformat"] == 4
    code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    assert code[0].rstrip().endswith("report")  # the report is the cell's last line
    script = tmp_path / "notebook.py"
    script.write_text("\n\n".join(code) + "\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr


def test_derivation_renders_in_a_notebook_like_the_page() -> None:
    from chainrule.derive import derive
    from chainrule.model.spec import preset

    html = derive(preset("seed"))._repr_html_()
    assert html.startswith("<style>")
    assert html.count("<math") > 20
