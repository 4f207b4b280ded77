"""The Markdown rendering (for notebooks, issues and pull requests)."""

from __future__ import annotations

from chainrule.report.report import Report

MARK = {"correct": "✅", "incorrect": "❌", "unparsed": "❓", "unverifiable": "⚠️"}


def render_markdown(report: Report) -> str:
    m = report.model
    out = [
        "# chainrule check" + (f" — {report.source_name}" if report.source_name else ""),
        "",
        f"**Model:** `{m.spec}` (loss `{m.loss}`; {m.dims}), from {m.source}.",
        "",
        "| line | | step | verdict |",
        "|---:|---|---|---|",
    ]
    for s in report.steps:
        verdict = s.verdict
        if s.verdict == "incorrect":
            verdict += " (introduces the error)" if s.introduces_error else " (carries it)"
        out.append(f"| {s.line} | {MARK[s.verdict]} | ${s.rhs}$ | {verdict} |")
    out.append("")
    for s in report.steps:
        if s.verdict == "correct":
            if s.message:  # right as written, with something worth knowing
                out += [f"**Line {s.line}** — correct; note: {s.message}", ""]
            continue
        out.append(f"**Line {s.line}** — {s.verdict}: {s.message}")
        for d in s.diagnosis:
            fix = f" Fix: ${d.fix}$" if d.fix else ""
            out.append(f"- *{d.kind}*: {d.message}.{fix}")
        if s.expected:
            out.append(f"- expected: ${s.expected}$")
        out.append("")
    if report.assumptions:
        out += ["## Assumptions", ""] + [f"- {a}" for a in report.assumptions] + [""]
    if report.notes:
        out += ["## Notes", ""]
        out += [f"- line {n.line}, column {n.column}: {n.message}" for n in report.notes]
        out.append("")
    if report.next_steps:
        out += ["## Next steps (verified)", ""]
        out += [f"- where ${d}$" for d in report.definitions]
        for n in report.next_steps:
            out.append(f"- $${n.index_form}$$")
            if n.matrix_form:
                out.append(f"  matrix form: ${n.matrix_form}$")
        out.append("")
    return "\n".join(out)
