"""The result of a check: one frozen record per right-hand side, and the whole report.

``Report.to_json()`` is the stable contract (version 1) that the CLI's ``--format json``,
the web API and the README describe.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

VERDICTS = ("correct", "incorrect", "unparsed", "unverifiable")


@dataclass(frozen=True)
class Diagnosis:
    """One named mistake: ``kind`` (``index``, ``sign``, …), why, and the fixed line."""

    kind: str
    message: str
    fix: str | None = None


@dataclass(frozen=True)
class StepReport:
    """The verdict on one right-hand side, where it is, and what to do about it."""

    line: int
    column: int
    chain: int
    lhs: str
    rhs: str
    verdict: str
    introduces_error: bool = False
    message: str = ""
    diagnosis: tuple[Diagnosis, ...] = ()
    expected: str | None = None
    cell: int | None = None
    cell_line: int | None = None
    max_rel_error: float | None = None
    display: str = ""
    """The step as clean LaTeX from the parsed trees (for MathML); the author's text is kept
    in ``lhs``/``rhs``."""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"line": self.line, "column": self.column}
        if self.cell is not None:
            out["cell"] = self.cell
            out["cell_line"] = self.cell_line
        out.update(
            chain=self.chain,
            lhs=self.lhs,
            rhs=self.rhs,
            verdict=self.verdict,
            introduces_error=self.introduces_error,
            message=self.message,
            diagnosis=[
                {"kind": d.kind, "message": d.message, "fix": d.fix} for d in self.diagnosis
            ],
            expected=self.expected,
        )
        return out


@dataclass(frozen=True)
class NoteReport:
    line: int
    column: int
    message: str


@dataclass(frozen=True)
class NextStep:
    """The correct derivation of one parameter, in the author's notation, verified."""

    wrt: str
    index_form: str
    matrix_form: str
    verified: bool = True


@dataclass(frozen=True)
class ModelReport:
    spec: str
    loss: str
    dims: str
    source: str


@dataclass(frozen=True)
class Report:
    """Everything a check found; render with ``to_text``/``to_json``/``to_markdown``/…"""

    model: ModelReport
    steps: tuple[StepReport, ...]
    assumptions: tuple[str, ...] = ()
    notes: tuple[NoteReport, ...] = ()
    next_steps: tuple[NextStep, ...] = ()
    definitions: tuple[str, ...] = ()
    source_name: str = ""
    source_text: str = field(default="", repr=False)
    timed_out: bool = False

    @property
    def first_error_line(self) -> int | None:
        for s in self.steps:
            if s.verdict == "incorrect" and s.introduces_error:
                return s.line
        return None

    @property
    def summary(self) -> dict[str, int]:
        counts = dict.fromkeys(VERDICTS, 0)
        for s in self.steps:
            counts[s.verdict] += 1
        return counts

    @property
    def exit_code(self) -> int:
        """0 all verified correct, 1 some incorrect, 3 nothing incorrect but some not verified."""
        s = self.summary
        if s["incorrect"]:
            return 1
        if s["unparsed"] or s["unverifiable"]:
            return 3
        return 0

    def to_json(self) -> dict[str, Any]:
        return {
            "version": 1,
            "model": {
                "spec": self.model.spec,
                "loss": self.model.loss,
                "dims": self.model.dims,
                "source": self.model.source,
            },
            "assumptions": list(self.assumptions),
            "notes": [
                {"line": n.line, "column": n.column, "message": n.message} for n in self.notes
            ],
            "steps": [s.to_json() for s in self.steps],
            "first_error_line": self.first_error_line,
            "next_steps": [
                {"wrt": n.wrt, "index_form": n.index_form, "matrix_form": n.matrix_form}
                for n in self.next_steps
            ],
            "summary": self.summary,
        }

    def to_json_text(self) -> str:
        return json.dumps(self.to_json(), indent=2, ensure_ascii=False)

    def to_markdown(self) -> str:
        from chainrule.report.markdown import render_markdown

        return render_markdown(self)

    def to_html(self) -> str:
        from chainrule.report.html import render_html

        return render_html(self)

    def to_text(self, width: int = 100) -> str:
        from chainrule.report.text import render_text

        return render_text(self, width=width)

    def __rich__(self) -> object:
        from chainrule.report.text import renderable

        return renderable(self)

    def _repr_html_(self) -> str:
        """The web page's rendering, with its styles, for Jupyter."""
        from chainrule.web.style import REPORT_CSS

        return f"<style>{REPORT_CSS}</style>{self.to_html()}"

    def _repr_markdown_(self) -> str:
        return self.to_markdown()
