"""The HTML rendering: plain, accessible markup; math as MathML when latex2mathml is present.

Used by the web page and by Jupyter (``Report._repr_html_``). No script, no CDN.
"""

from __future__ import annotations

from html import escape

from chainrule.report.report import Report

MARK = {"correct": "✓", "incorrect": "✗", "unparsed": "?", "unverifiable": "…"}


def math(latex: str, display: bool = False) -> str:
    """MathML for ``latex`` (falls back to the LaTeX source in a ``<code>``)."""
    try:
        from latex2mathml.converter import convert

        return str(convert(latex, display="block" if display else "inline"))
    except Exception:
        return f"<code>{escape(latex)}</code>"


def render_html(report: Report) -> str:
    m = report.model
    rows = []
    for s in report.steps:
        detail = ""
        if s.verdict == "correct" and s.message:
            detail = f"<p class='note'>note: {escape(s.message)}</p>"
        if s.verdict != "correct":
            items = [f"<p class='why'>{escape(s.message)}</p>"] if s.message else []
            for d in s.diagnosis:
                fix = f"<div class='fix'>fix: {math(d.fix)}</div>" if d.fix else ""
                items.append(
                    f"<p class='diag'><span class='kind'>{escape(d.kind)}</span>: "
                    f"{escape(d.message)}</p>{fix}"
                )
            if s.expected:
                items.append(f"<div class='expected'>expected: {math(s.expected)}</div>")
            detail = "".join(items)
        carried = ""
        if s.verdict == "incorrect":
            carried = " (introduces the error)" if s.introduces_error else " (carries it)"
        shown = s.display or ((s.lhs + " = ") if s.lhs else "") + s.rhs
        rows.append(
            f"<li class='step {s.verdict}' data-line='{s.line}'>"
            f"<span class='mark' aria-label='{s.verdict}'>{MARK[s.verdict]}</span> "
            f"<span class='line'>line {s.line}</span> "
            f"<span class='math'>{math(shown)}</span>"
            f"<span class='verdict'>{s.verdict}{carried}</span>{detail}</li>"
        )
    parts = [
        "<section class='chainrule-report'>",
        f"<p class='model'><strong>Model:</strong> <code>{escape(m.spec)}</code> "
        f"(loss {escape(m.loss)}; {escape(m.dims)}) — from {escape(m.source)}</p>",
        f"<ol class='steps'>{''.join(rows)}</ol>",
    ]
    counts = report.summary
    first = report.first_error_line
    parts.append(
        f"<p class='summary'>{counts['correct']} correct, {counts['incorrect']} incorrect, "
        f"{counts['unparsed']} unparsed, {counts['unverifiable']} unverifiable"
        + (f"; first error on line {first}" if first is not None else "")
        + "</p>"
    )
    if report.assumptions:
        listed = "".join(f"<li>{escape(a)}</li>" for a in report.assumptions)
        parts.append(f"<h3>Assumptions</h3><ul class='assumptions'>{listed}</ul>")
    if report.notes:
        listed = "".join(
            f"<li>line {n.line}, column {n.column}: {escape(n.message)}</li>" for n in report.notes
        )
        parts.append(f"<h3>Notes</h3><ul class='notes'>{listed}</ul>")
    if report.next_steps:
        listed = "".join(f"<li>where {math(d)}</li>" for d in report.definitions)
        for n in report.next_steps:
            mf = f"<div class='matrix'>{math(n.matrix_form)}</div>" if n.matrix_form else ""
            listed += f"<li>{math(n.index_form, display=True)}{mf}</li>"
        parts.append(f"<h3>Next steps (verified)</h3><ul class='next'>{listed}</ul>")
    parts.append("</section>")
    return "".join(parts)
