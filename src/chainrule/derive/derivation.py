"""The :class:`Derivation` result and its renderings: terminal text, LaTeX, Markdown, JSON,
NumPy.

Owns the report object ``derive`` returns. It is a rich renderable (``__rich__``), renders
itself to every output format, and shows as Markdown in Jupyter (``_repr_markdown_``).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from chainrule.derive.formula import Formula, Step


@dataclass(frozen=True)
class Derivation:
    """The full backpropagation derivation for one network.

    Attributes:
        spec_text: the network (``yhat = softmax(W3 sigmoid(W2 sigmoid(W1 x)))``).
        loss: the loss's canonical name.
        convention, batch: the vector convention and the mini-batch layout.
        dims: the sizes the formulas were checked at (``d=7, d1=5, d2=4, k=3``).
        steps: the forward pass, each layer from the top, the updates.
        names: the symbol names the strings were rendered with.
        numpy_source: ``grads(x, y, W1, …)`` as Python source.
    """

    spec_text: str
    loss: str
    convention: str
    batch: str
    dims: str
    steps: tuple[Step, ...]
    numpy_source: str
    names: Mapping[str, str] = field(default_factory=dict)
    instances: int = 0

    @property
    def formulas(self) -> tuple[Formula, ...]:
        return tuple(f for s in self.steps for f in s.formulas)

    @property
    def verified(self) -> bool | None:
        """True when every formula verified; None when verification was skipped."""
        flags = [f.verified for f in self.formulas]
        if any(v is None for v in flags):
            return None
        return all(flags)

    def find(self, kind: str, level: int) -> Formula:
        """The formula for a quantity, e.g. ``find("dW", 3)``.

        Raises:
            KeyError: the derivation has no such quantity.
        """
        for f in self.formulas:
            if f.quantity == (kind, level):
                return f
        raise KeyError((kind, level))

    # ------------------------------------------------------------------ renderings
    def _mark(self, f: Formula) -> str:
        if f.verified is None:
            return "not checked"
        if f.verified:
            return f"verified (max rel. error {f.max_rel_error:.1e})"
        return f"NOT VERIFIED (max rel. error {f.max_rel_error:.1e})"

    def __rich__(self) -> Any:
        from rich.console import Group
        from rich.panel import Panel
        from rich.table import Table
        from rich.text import Text

        parts: list[Any] = [
            Text(f"{self.spec_text}   loss: {self.loss}", style="bold"),
            Text(
                f"convention: {self.convention}, batch: {self.batch}; checked at "
                f"{self.dims} on {self.instances} random instances"
                if self.instances
                else f"convention: {self.convention}, batch: {self.batch}; not checked",
                style="dim",
            ),
        ]
        for step in self.steps:
            rows: list[Any] = [Text(step.explanation, style="italic")]
            for f in step.formulas:
                ok = f.verified
                style = "green" if ok else ("red" if ok is False else "yellow")
                mark = "✓" if ok else ("✗" if ok is False else "·")
                head = Table.grid(expand=True, padding=(0, 1))
                head.add_column(ratio=1)
                head.add_column(justify="right", no_wrap=True)
                first = f.matrix_text or f.index_text
                head.add_row(
                    Text(first, style="bold"), Text(f"{mark} {self._mark(f)}", style=style)
                )
                rows.append(Text(""))
                rows.append(head)
                if f.matrix_text and f.index_text:
                    rows.append(Text(f.index_text))
                rows.append(Text(f.text, style="dim italic"))
            parts.append(Panel(Group(*rows), title=step.title, title_align="left"))
        return Group(*parts)

    def to_text(self, width: int = 100) -> str:
        """Plain text (no colour) as the terminal shows it."""
        from rich.console import Console

        buf = io.StringIO()
        console = Console(
            file=buf,
            width=width,
            color_system=None,
            force_terminal=False,
            legacy_windows=False,
            emoji=False,
            highlight=False,
        )
        console.print(self)
        return "\n".join(line.rstrip() for line in buf.getvalue().splitlines()) + "\n"

    def to_latex(self) -> str:
        """A LaTeX document body: one ``align*`` per step, matrix form then index form."""
        out = [f"% {self.spec_text}; loss = {self.loss}", ""]
        for step in self.steps:
            out.append(f"\\paragraph{{{step.title}}} {step.explanation}")
            out.append("\\begin{align*}")
            rows = []
            for f in step.formulas:
                for s in (f.matrix_latex, f.index_latex):
                    if s:
                        rows.append("  " + _align(s) + f" && \\text{{{_tag(f)}}}")
            out.append(" \\\\\n".join(rows))
            out.append("\\end{align*}")
            out.append("")
        return "\n".join(out)

    def to_markdown(self) -> str:
        """Markdown with ``$$…$$`` math, one section per step."""
        out = [
            f"**Network:** `{self.spec_text}`, loss `{self.loss}` "
            f"({self.convention} convention, batch {self.batch}).",
            "",
        ]
        if self.instances:
            out += [
                f"Every formula is checked against complex-step derivatives at "
                f"{self.dims} on {self.instances} random instances.",
                "",
            ]
        for step in self.steps:
            out += [f"### {step.title}", "", step.explanation, ""]
            for f in step.formulas:
                for s in (f.matrix_latex, f.index_latex):
                    if s:
                        out += [f"$$ {s} $$", ""]
                out += [f"{f.text} *{self._mark(f)}*", ""]
        return "\n".join(out)

    def to_html(self) -> str:
        """The web page's rendering (MathML, no script): see ``chainrule.web.render``."""
        from chainrule.web.render import derivation_html

        return derivation_html(self)

    def _repr_html_(self) -> str:
        from chainrule.web.style import REPORT_CSS

        return f"<style>{REPORT_CSS}</style>{self.to_html()}"

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict: the network and every formula with its verification."""
        return {
            "spec": self.spec_text,
            "loss": self.loss,
            "convention": self.convention,
            "batch": self.batch,
            "dims": self.dims,
            "instances": self.instances,
            "verified": self.verified,
            "steps": [
                {
                    "title": s.title,
                    "layer": s.layer,
                    "explanation": s.explanation,
                    "formulas": [_formula_json(f) for f in s.formulas],
                }
                for s in self.steps
            ],
        }

    def to_numpy(self) -> str:
        """The runnable ``grads(x, y, W1, …)`` function."""
        return self.numpy_source


def _align(s: str) -> str:
    for rel in (" = ", " \\leftarrow "):
        if rel in s:
            lhs, rest = s.split(rel, 1)
            return f"{lhs} &{rel.strip()} {rest}"
    return s


def _tag(f: Formula) -> str:
    if f.verified is None:
        return "not checked"
    return "verified" if f.verified else "NOT verified"


def _formula_json(f: Formula) -> dict[str, Any]:
    return {
        "quantity": list(f.quantity),
        "relation": f.relation,
        "matrix_latex": f.matrix_latex,
        "index_latex": f.index_latex,
        "matrix_text": f.matrix_text,
        "index_text": f.index_text,
        "text": f.text,
        "numpy": f.numpy,
        "verified": f.verified,
        "max_rel_error": f.max_rel_error,
        "instances": f.instances,
        "problems": list(f.problems),
    }
