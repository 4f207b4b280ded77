"""The terminal rendering: line numbers, ✓/✗, the author's line, why, and the fix (Rich)."""

from __future__ import annotations

import io

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from chainrule.report.report import Report, StepReport

MARKS = {
    "correct": ("✓", "green"),
    "incorrect": ("✗", "red"),
    "unparsed": ("?", "yellow"),
    "unverifiable": ("…", "yellow"),
}


def _step(step: StepReport) -> Table:
    mark, colour = MARKS[step.verdict]
    t = Table.grid(padding=(0, 1))
    t.add_column(width=6, justify="right", style="dim")
    t.add_column(width=2)
    t.add_column()
    where = f"{step.line}" if step.cell is None else f"{step.line} [{step.cell}]"
    head = Text.assemble((f"{step.lhs} = " if step.lhs else "", "dim"), (step.rhs, "bold"))
    t.add_row(where, Text(mark, style=f"bold {colour}"), head)
    label = step.verdict
    if step.verdict == "incorrect":
        label += (
            " — introduces the error" if step.introduces_error else " — carries an earlier error"
        )
    t.add_row("", "", Text(label, style=colour))
    if step.message:
        t.add_row("", "", Text(("why: " if step.verdict != "correct" else "note: ") + step.message))
    for d in step.diagnosis:
        t.add_row("", "", Text.from_markup(f"[cyan]{escape(d.kind)}[/]: {escape(d.message)}"))
        if d.fix:
            t.add_row("", "", Text.from_markup(f"[green]fix:[/] {escape(d.fix)}"))
    if step.expected:
        t.add_row("", "", Text.from_markup(f"[green]expected:[/] {escape(step.expected)}"))
    return t


def renderable(report: Report) -> Group:
    parts: list[object] = []
    m = report.model
    parts.append(
        Panel(
            Text.assemble(
                ("model  ", "bold"),
                f"{m.spec}  (loss {m.loss}; {m.dims})\n",
                ("from   ", "bold"),
                m.source,
            ),
            title=f"chainrule check — {report.source_name}" if report.source_name else None,
        )
    )
    for step in report.steps:
        parts.append(_step(step))
    s = report.summary
    first = report.first_error_line
    summary = (
        f"{s['correct']} correct, {s['incorrect']} incorrect, {s['unparsed']} unparsed, "
        f"{s['unverifiable']} unverifiable"
    )
    if first is not None:
        summary += f"; the first error is on line {first}"
    parts.append(Text(summary, style="bold"))
    if report.assumptions:
        parts.append(Text("Assumptions", style="bold underline"))
        parts.extend(Text(f"  • {a}") for a in report.assumptions)
    if report.notes:
        parts.append(Text("Notes", style="bold underline"))
        parts.extend(Text(f"  line {n.line}, column {n.column}: {n.message}") for n in report.notes)
    if report.next_steps:
        parts.append(Text("Next steps — the correct derivation, verified", style="bold underline"))
        for d in report.definitions:
            parts.append(Text(f"  where {d}"))
        for n in report.next_steps:
            parts.append(Text(f"  {n.index_form}"))
            if n.matrix_form:
                parts.append(Text(f"    matrix form: {n.matrix_form}", style="dim"))
    return Group(*parts)  # type: ignore[arg-type]


def render_text(report: Report, width: int = 100, color: bool = False) -> str:
    buf = io.StringIO()
    console = Console(file=buf, width=width, force_terminal=color, color_system=None)
    console.print(renderable(report))
    return buf.getvalue()
