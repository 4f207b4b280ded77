"""HTML for a :class:`~chainrule.derive.Derivation`, in the same plain style as the report.

The page's ``/derive`` view and ``Derivation._repr_html_`` (Jupyter) share this rendering:
one section per step, each formula in matrix and index form as MathML (rendered on the
server by latex2mathml; no script, no CDN), its sentence, and whether it verified.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from chainrule.report.html import math

if TYPE_CHECKING:
    from chainrule.derive import Derivation, Formula


def _verdict(f: Formula) -> tuple[str, str, str]:
    """(css class, mark, words) for a formula's verification."""
    if f.verified is None:
        return "unverifiable", "·", "not checked"
    err = f" (max rel. error {f.max_rel_error:.1e})" if f.max_rel_error is not None else ""
    if f.verified:
        return "correct", "✓", f"verified{err}"
    return "incorrect", "✗", f"NOT verified{err}"


def derivation_html(d: Derivation) -> str:
    """The derivation as an HTML fragment (a ``<section class='chainrule-derivation'>``)."""
    checked = (
        f"Every formula is checked against complex-step derivatives at {escape(d.dims)} on "
        f"{d.instances} random instances."
        if d.instances
        else "The formulas were not checked."
    )
    parts = [
        "<section class='chainrule-derivation'>",
        f"<p class='model'><strong>Network:</strong> <code>{escape(d.spec_text)}</code> "
        f"(loss {escape(d.loss)}; {escape(d.convention)} convention, batch "
        f"{escape(d.batch)}). {checked}</p>",
    ]
    for step in d.steps:
        items = []
        for f in step.formulas:
            css, mark, words = _verdict(f)
            forms = "".join(
                f"<div class='form'>{math(s, display=True)}</div>"
                for s in (f.matrix_latex, f.index_latex)
                if s
            )
            items.append(
                f"<li class='formula {css}'>{forms}<p class='why'>"
                f"<span class='mark' aria-label='{escape(words)}'>{mark}</span> "
                f"{escape(f.text)} <span class='verdict'>{escape(words)}</span></p></li>"
            )
        parts.append(
            f"<h3>{escape(step.title)}</h3><p class='explanation'>{escape(step.explanation)}</p>"
            f"<ul class='formulas'>{''.join(items)}</ul>"
        )
    parts.append("</section>")
    return "".join(parts)
