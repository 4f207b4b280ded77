"""``check``: read → bind → evaluate → judge → report, for one document.

The one function that runs the stages in order; each stage lives in its own folder. Work
is bounded: the whole check has a time limit (10 s by default) and says when it hits it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import replace
from importlib import resources

from chainrule.bind.document import BoundDocument, bind_document, is_update_truth
from chainrule.bind.options import CheckOptions
from chainrule.evaluate.evaluator import Scope
from chainrule.judge.diagnose import (
    KINDS,
    diagnose,
    ill_formed,
    inherit,
    latex,
    one_shape_repair,
    with_expected_fix,
)
from chainrule.judge.expected import Expected
from chainrule.judge.verdicts import Judge, SideResult, StepVerdict, make_instances
from chainrule.reader.ast import Add, Expr
from chainrule.reader.claims import Chain, Document
from chainrule.report.report import (
    Diagnosis,
    ModelReport,
    NextStep,
    NoteReport,
    Report,
    StepReport,
)
from chainrule.report.style import AuthorStyle

SEED_NAME = "seed-question-and-answer.txt"


def seed_text() -> str:
    """The bundled seed document, byte for byte."""
    return (resources.files("chainrule") / "examples" / SEED_NAME).read_text(encoding="utf-8")


def check(
    source: str | os.PathLike[str] | None = None,
    *,
    model: str | None = None,
    loss: str | None = None,
    preset: str | None = None,
    dims: str | None = None,
    defines: Sequence[str] = (),
    label_index: str | None = None,
    kind: str | None = None,
    time_limit: float = 10.0,
) -> Report:
    """Check a derivation; ``source`` is a path or the text itself (None: the bundled seed).

    Example:
        >>> report = check()
        >>> report.first_error_line
        22
    """
    from chainrule.reader.read import read_document

    if source is None:
        name = "the bundled seed example"
    elif isinstance(source, str) and ("\n" in source or len(source) > 200):
        name = "the pasted text"
    else:
        name = str(source)
    text_or_path = seed_text() if source is None else source
    kind = kind or ("txt" if source is None else None)
    doc = read_document(text_or_path, kind=kind)
    options = CheckOptions(
        model=model,
        loss=loss,
        preset=preset,
        dims=dims,
        defines=tuple(defines),
        label_index=label_index,
        time_limit=time_limit,
    )
    return check_document(doc, options, name)


def check_document(doc: Document, options: CheckOptions, name: str = "") -> Report:
    """Judge a read document under ``options``."""
    from chainrule.errors import ChainruleError

    started = time.monotonic()
    deadline = started + options.time_limit
    style = AuthorStyle.of(doc.text)
    bound = bind_document(doc, options)
    if not bound.claims:
        raise ChainruleError(
            "found no derivation to check: no equation in the document has a derivative "
            "(∂L/∂W, ∇_W L, δ⁽ˡ⁾ …) on its left-hand side."
        )
    judge = Judge(bound, make_instances(bound, options.seeds), deadline)
    expected = Expected(bound, judge)
    reporter = _ChainReporter(doc, bound, judge, expected, style)
    for number, (_, chain) in enumerate(bound.claims, start=1):
        reporter.report_chain(number, chain)
    steps, used, covered = reporter.steps, reporter.used, reporter.covered
    notes = _notes(doc, bound)
    next_steps = [
        NextStep(wrt, style(f"{latex(lhs)} = {latex(rhs)}"), style(matrix))
        for wrt, lhs, rhs, matrix in expected.next_steps(covered)
    ]
    definitions = tuple(
        style(f"{name} = {latex(tree)}")
        for node, name in expected.notation.introduced
        if (tree := expected.definition(int(node[1:]))) is not None
    )
    timed_out = time.monotonic() > deadline
    if timed_out:
        notes.append(
            NoteReport(1, 1, f"the check stopped at its time limit of {options.time_limit:g} s")
        )
    spec = bound.model.spec
    return Report(
        model=ModelReport(
            spec=spec.text(),
            loss=spec.loss,
            dims=bound.model.dims.text(),
            source=bound.model_source,
        ),
        steps=tuple(steps),
        assumptions=tuple(dict.fromkeys([*bound.assumptions, *sorted(used)])),
        notes=tuple(notes),
        next_steps=tuple(next_steps),
        definitions=definitions,
        source_name=name,
        source_text=doc.text,
        timed_out=timed_out,
    )


class _ChainReporter:
    """Turns each chain's verdicts into report steps: ill-formed lines settled, diagnosis
    and the expected expression for wrong ones, carried errors named by where they entered."""

    def __init__(
        self,
        doc: Document,
        bound: BoundDocument,
        judge: Judge,
        expected: Expected,
        style: AuthorStyle,
    ) -> None:
        self.doc, self.bound, self.judge, self.expected, self.style = (
            doc, bound, judge, expected, style,
        )  # fmt: skip
        self.steps: list[StepReport] = []
        self.used: set[str] = set()
        self.covered: set[tuple[str, int]] = set()
        self.kinds_by_line: dict[int, tuple[str, ...]] = {}

    def report_chain(self, number: int, chain: Chain) -> None:
        lhs = chain.lhs.expr
        lhs_res, scopes = self.judge.evaluate_lhs(lhs) if lhs is not None else (None, [])
        if lhs is not None and (q := self.expected.quantity_of(lhs)) is not None:
            self.covered.add(q)
        expected_latex: str | None = None
        prev_line: int | None = None
        prev_shape: str | None = None
        for v in self.judge.judge_chain(number, chain):
            self.used.update(v.assumptions)
            v, prev_shape = self._settle_ill_formed(v, prev_shape, lhs_res, scopes)
            diagnosis: tuple[Diagnosis, ...] = ()
            exp_latex = None
            if v.verdict == "incorrect" and v.side.expr is not None:
                if lhs_res is None or lhs_res.error is not None:
                    diagnosis = (Diagnosis(v.kind if v.kind in KINDS else "other", v.message),)
                else:
                    diagnosis = diagnose(
                        self.style, self.judge, self.bound, self.expected.notation.names,
                        v, lhs_res, scopes,
                    )  # fmt: skip
                    if expected_latex is None:
                        tree = self.expected.expected(chain, lhs_res, scopes)
                        expected_latex = self.style(latex(tree)) if tree is not None else ""
                    exp_latex = expected_latex or None
                    if exp_latex and not any(d.fix for d in diagnosis):
                        diagnosis = with_expected_fix(diagnosis, exp_latex)
            pos = self.doc.position(v.side.span.start)
            message = v.message
            if v.verdict == "correct" and v.carried_offset is not None:
                message = message.replace("{line}", str(self.doc.position(v.carried_offset).line))
            if v.verdict == "incorrect" and not v.introduces_error:
                source = (
                    self.doc.position(v.carried_offset).line
                    if v.carried_offset is not None
                    else prev_line
                )
                diagnosis = inherit(diagnosis, self.kinds_by_line.get(source or -1, ()), source)
                if source is not None:
                    message = f"carries the error of line {source}: {message}"
            self.steps.append(
                StepReport(
                    line=pos.line,
                    column=pos.column,
                    cell=pos.cell,
                    cell_line=pos.cell_line,
                    chain=number,
                    lhs=chain.lhs.source.strip(),
                    rhs=v.side.source.strip(),
                    verdict=v.verdict,
                    introduces_error=v.introduces_error,
                    message=message,
                    diagnosis=diagnosis,
                    expected=exp_latex,
                    max_rel_error=v.rel_error,
                    display=_display(chain, v.side.expr),
                )
            )
            prev_line = pos.line
            if v.verdict == "incorrect":
                self.kinds_by_line[pos.line] = tuple(d.kind for d in diagnosis if d.kind != "note")

    def _settle_ill_formed(
        self,
        v: StepVerdict,
        prev_shape: str | None,
        lhs_res: SideResult | None,
        scopes: list[Scope],
    ) -> tuple[StepVerdict, str | None]:
        """An ill-formed product is wrong only when one transpose, reorder or layer change
        makes it equal to the truth (verified); otherwise it stays "could not verify"."""
        if not (ill_formed(v) and lhs_res is not None and lhs_res.error is None):
            return v, None
        shown = v.message.removeprefix("could not verify: ")
        if prev_shape == shown:
            v = replace(v, verdict="incorrect", message=shown, introduces_error=False)
        elif one_shape_repair(self.judge, self.bound, v, lhs_res, scopes):
            v = replace(v, verdict="incorrect", message=shown, introduces_error=True)
        return v, (shown if v.verdict == "incorrect" else None)


def _display(chain: Chain, rhs: Expr | None) -> str:
    """The step as clean LaTeX (``W ← …`` for an update), when both sides were read."""
    lhs = chain.lhs.expr
    if lhs is None or rhs is None:
        return ""
    if is_update_truth(chain) and isinstance(lhs, Add):
        return f"{latex(lhs.terms[0])} \\leftarrow {latex(rhs)}"
    return f"{latex(lhs)} = {latex(rhs)}"


def _notes(doc: Document, bound: BoundDocument) -> list[NoteReport]:
    out: list[NoteReport] = []
    seen: set[tuple[int, str]] = set()

    def add(offset: int, message: str) -> None:
        pos = doc.position(offset)
        if (pos.line, message) not in seen:
            seen.add((pos.line, message))
            out.append(NoteReport(pos.line, pos.column, message))

    for n in doc.notes:
        add(n.span.start, n.message)
    for chain in doc.chains:
        for side in (chain.lhs, *chain.rhs):
            for n in side.notes:
                add(n.span.start, n.message)
    for err in doc.errors:
        out.append(NoteReport(err.line, err.column, err.message))
    for span, message in bound.notes:
        add(span.start if span is not None else 0, message)
    return out
