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

from chainrule.bind.document import BoundDocument, bind_document
from chainrule.bind.options import CheckOptions
from chainrule.judge.expected import Expected
from chainrule.judge.repair import Context, _free_indices, search
from chainrule.judge.verdicts import Judge, SideResult, StepVerdict, make_instances
from chainrule.reader.ast import Expr, Hadamard, Indexed, Sym, walk
from chainrule.reader.claims import Document
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
KINDS = (
    "index", "transpose", "missing_factor", "extra_factor", "sign", "y_vs_yhat",
    "softmax_jacobian", "activation_derivative", "shape", "wrong_layer", "other",
)  # fmt: skip


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
    steps: list[StepReport] = []
    used: set[str] = set()
    covered: set[tuple[str, int]] = set()
    kinds_by_line: dict[int, tuple[str, ...]] = {}
    for number, (_, chain) in enumerate(bound.claims, start=1):
        verdicts = judge.judge_chain(number, chain)
        lhs_res, scopes = (
            judge.evaluate_lhs(chain.lhs.expr) if chain.lhs.expr is not None else (None, [])
        )
        exp_tree: Expr | None = None
        if chain.lhs.expr is not None:
            q = expected.quantity_of(chain.lhs.expr)
            if q is not None:
                covered.add(q)
        prev_line: int | None = None
        prev_shape: str | None = None
        for v in verdicts:
            used.update(v.assumptions)
            if _ill_formed(v) and lhs_res is not None and lhs_res.error is None:
                # An ill-formed product is wrong only when one transpose, reorder or layer
                # change makes it equal to the truth (verified); otherwise: not verified.
                shown = v.message.removeprefix("could not verify: ")
                if prev_shape == shown:
                    v = replace(v, verdict="incorrect", message=shown, introduces_error=False)
                elif _one_shape_repair(judge, bound, expected.notation.names, v, lhs_res, scopes):
                    v = replace(v, verdict="incorrect", message=shown, introduces_error=True)
                prev_shape = shown if v.verdict == "incorrect" else None
            else:
                prev_shape = None
            diagnosis: tuple[Diagnosis, ...] = ()
            exp_latex = None
            if (
                v.verdict == "incorrect"
                and v.side.expr is not None
                and (lhs_res is None or lhs_res.error is not None)
            ):
                diagnosis = (Diagnosis(v.kind if v.kind in KINDS else "other", v.message),)
            elif v.verdict == "incorrect" and lhs_res is not None and v.side.expr is not None:
                diagnosis = _diagnose(
                    style, judge, bound, expected.notation.names, v, lhs_res, scopes
                )
                if exp_tree is None:
                    exp_tree = expected.expected(chain, lhs_res, scopes)
                exp_latex = style(_latex(exp_tree)) if exp_tree is not None else None
                if exp_latex and not any(d.fix for d in diagnosis):
                    diagnosis = _with_expected_fix(diagnosis, exp_latex)
            pos = doc.position(v.side.span.start)
            source_line = None
            if v.verdict == "incorrect" and not v.introduces_error:
                source_line = (
                    doc.position(v.carried_offset).line
                    if v.carried_offset is not None
                    else prev_line
                )
                diagnosis = _inherit(
                    diagnosis, kinds_by_line.get(source_line or -1, ()), source_line
                )
            message = v.message
            if v.carried_offset is not None:
                message = f"carries the error of line {doc.position(v.carried_offset).line}: "
                message += v.message
            elif v.verdict == "incorrect" and not v.introduces_error and prev_line is not None:
                message = f"carries the error of line {prev_line}: {message}"
            steps.append(
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
                    display=_display(chain.lhs.expr, v.side.expr),
                )
            )
            prev_line = pos.line
            if v.verdict == "incorrect":
                kinds_by_line[pos.line] = tuple(d.kind for d in diagnosis if d.kind != "note")
    notes = _notes(doc, bound)
    next_steps = [
        NextStep(wrt, style(f"{_latex(lhs)} = {_latex(rhs)}"), style(matrix))
        for wrt, lhs, rhs, matrix in expected.next_steps(covered)
    ]
    introduced = dict(expected.notation.introduced)
    definitions = tuple(
        style(f"{name} = {_latex(_node_expr(bound, node, introduced))}")
        for node, name in expected.notation.introduced
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


def _display(lhs: Expr | None, rhs: Expr | None) -> str:
    """``lhs = rhs`` as clean LaTeX, when both sides were read."""
    if lhs is None or rhs is None:
        return ""
    return f"{_latex(lhs)} = {_latex(rhs)}"


def _latex(e: Expr | None) -> str:
    from chainrule.reader.printer import to_latex

    return to_latex(e) if e is not None else ""


def _node_expr(bound: BoundDocument, node: str, names: dict[str, str]) -> Expr:
    """``σ(W_2 a_1)`` for a₂, with the layer below by its (introduced) name."""
    from chainrule.reader.ast import Add, Call, Mul, Sym

    layer = int(node[1:]) if node[0] == "a" else bound.model.spec.depth
    spec_layer = bound.model.spec.layers[layer - 1]
    below_expr: Expr = Sym("x")
    if layer > 1:
        below = names.get(f"a{layer - 1}", "")
        below_expr = Sym("h") if below == "h" else Sym("a", layer=str(layer - 1))
    inner: Expr = Mul((Sym("W", layer=str(layer)), below_expr))
    if spec_layer.bias:
        inner = Add((inner, Sym("b", layer=str(layer))))
    fn_for: dict[str, str] = {}
    for name, act in bound.binding.function_names.items():
        fn_for.setdefault(act, name)  # the author's own names come first
    return Call(fn_for.get(spec_layer.activation, spec_layer.activation), (inner,))


def _inherit(
    diagnosis: tuple[Diagnosis, ...], kinds: tuple[str, ...], line: int | None
) -> tuple[Diagnosis, ...]:
    """A carried error is named by the mistake where it entered (and its own fix kept)."""
    own = [d for d in diagnosis if d.kind not in kinds or d.fix]
    fix = next((d.fix for d in diagnosis if d.fix), None)
    own_kinds = {d.kind for d in own}
    inherited = [
        Diagnosis(k, f"the {k.replace('_', ' ')} mistake of line {line}, carried here", None)
        for k in dict.fromkeys(kinds)
        if k not in ("other",) and k not in own_kinds
    ]
    if not inherited:
        return diagnosis
    rest = [d for d in own if d.kind == "note" or d.fix] or []
    if fix is not None and not any(d.fix for d in rest):
        inherited[-1] = Diagnosis(inherited[-1].kind, inherited[-1].message, fix)
    return (*inherited, *rest)


def _ill_formed(v: StepVerdict) -> bool:
    return v.verdict == "unverifiable" and v.kind == "shape" and v.side.expr is not None


def _one_shape_repair(
    judge: Judge,
    bound: BoundDocument,
    names: dict[str, Sym],
    v: StepVerdict,
    lhs_res: SideResult,
    scopes: list,  # type: ignore[type-arg]
) -> bool:
    assert v.side.expr is not None and v.lhs.expr is not None
    ctx = Context(
        lhs_indices=tuple(_free_indices(v.lhs.expr)),
        label_indices=tuple(sorted(bound.binding.label_indices)),
        depth=bound.model.spec.depth,
        activations=tuple(layer.activation for layer in bound.model.spec.layers),
    )
    repairs = search(judge, lhs_res, scopes, v.side.expr, ctx, budget=200, seconds=1.0)
    return (
        bool(repairs)
        and len(repairs[0].edits) == 1
        and repairs[0].edits[0].kind
        in (
            "transpose",
            "shape",
            "wrong_layer",
        )
    )


def _with_expected_fix(diagnosis: tuple[Diagnosis, ...], fix: str) -> tuple[Diagnosis, ...]:
    """No small edit repairs the line: the verified expected expression is its fix."""
    if not diagnosis:
        return (Diagnosis("other", "the right-hand side should be the expected expression", fix),)
    first = diagnosis[0]
    return (Diagnosis(first.kind, first.message, fix), *diagnosis[1:])


def _layer_derivatives(bound: BoundDocument, names: dict[str, Sym]) -> tuple[tuple[str, Expr], ...]:
    """Each hidden layer's activation derivative, in the author's names (matrix form)."""
    from chainrule.judge.factor_edits import _relu_mask, one_minus, sigmoid_form, tanh_form

    out: list[tuple[str, Expr]] = []
    for layer in bound.model.spec.layers[:-1]:
        node = f"a{layer.index}"
        a = names.get(node, Sym("a", layer=str(layer.index)))
        z = names.get(f"z{layer.index}", Sym("z", layer=str(layer.index)))
        if layer.activation == "sigmoid":
            out.append((str(layer.index), sigmoid_form(a, hadamard=True)))
        elif layer.activation == "tanh":
            out.append((str(layer.index), tanh_form(a)))
            out.append((str(layer.index), one_minus(Hadamard((a, a)))))
        elif layer.activation == "relu":
            out.append((str(layer.index), _relu_mask(z)))
    return tuple(out)


def _diagnose(
    style: AuthorStyle,
    judge: Judge,
    bound: BoundDocument,
    names: dict[str, Sym],
    v: StepVerdict,
    lhs_res: object,
    scopes: list,  # type: ignore[type-arg]
) -> tuple[Diagnosis, ...]:
    assert v.side.expr is not None and v.lhs.expr is not None
    indexed = any(isinstance(n, Indexed) for n in walk(v.side.expr))
    ctx = Context(
        lhs_indices=tuple(_free_indices(v.lhs.expr)),
        label_indices=tuple(sorted(bound.binding.label_indices)),
        depth=bound.model.spec.depth,
        activations=tuple(layer.activation for layer in bound.model.spec.layers),
        derivatives=() if indexed else _layer_derivatives(bound, names),
        batch=bound.model.dims.batch is not None,
    )
    repairs = search(judge, lhs_res, scopes, v.side.expr, ctx)  # type: ignore[arg-type]
    out: list[Diagnosis] = []
    notes = [n.message for n in v.side.notes]
    if repairs:
        best = repairs[0]
        fix = style(_latex(best.tree))
        for i, edit in enumerate(best.edits):
            out.append(
                Diagnosis(edit.kind, edit.message, fix if i == len(best.edits) - 1 else None)
            )
    else:
        kind = v.kind if v.kind in KINDS else "other"
        out.append(Diagnosis(kind, v.message, None))
    for n in notes:
        out.append(Diagnosis("note", n, None))
    return tuple(out)


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
