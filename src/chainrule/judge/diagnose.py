"""Diagnosis of a wrong line: the named mistakes, the verified fix, what a carried line inherits.

Runs the repair search (``judge.repair``) for one incorrect right-hand side, in the author's
notation; decides whether an ill-formed product is a mistake (one verified edit makes it
right) or only unverifiable; names a carried line by the mistake where its error entered.
"""

from __future__ import annotations

from chainrule.bind.document import BoundDocument
from chainrule.evaluate.evaluator import Scope
from chainrule.judge.repair import Context, free_indices, search
from chainrule.judge.verdicts import Judge, SideResult, StepVerdict
from chainrule.reader.ast import Expr, Hadamard, Indexed, Sym, walk
from chainrule.report.report import Diagnosis
from chainrule.report.style import AuthorStyle


def latex(e: Expr | None) -> str:
    """The clean LaTeX of a tree (empty for none)."""
    from chainrule.reader.printer import to_latex

    return to_latex(e) if e is not None else ""


KINDS = (
    "index", "transpose", "missing_factor", "extra_factor", "sign", "y_vs_yhat",
    "softmax_jacobian", "activation_derivative", "shape", "wrong_layer", "other",
)  # fmt: skip


def inherit(
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


def ill_formed(v: StepVerdict) -> bool:
    return v.verdict == "unverifiable" and v.kind == "shape" and v.side.expr is not None


def one_shape_repair(
    judge: Judge,
    bound: BoundDocument,
    v: StepVerdict,
    lhs_res: SideResult,
    scopes: list[Scope],
) -> bool:
    assert v.side.expr is not None and v.lhs.expr is not None
    ctx = Context(
        lhs_indices=tuple(free_indices(v.lhs.expr)),
        label_indices=tuple(sorted(bound.binding.label_indices)),
        depth=bound.model.spec.depth,
    )
    repairs = search(judge, lhs_res, scopes, v.side.expr, ctx, budget=200, seconds=1.0)
    if not repairs or len(repairs[0].edits) != 1:
        return False
    return repairs[0].edits[0].kind in ("transpose", "shape", "wrong_layer")


def with_expected_fix(diagnosis: tuple[Diagnosis, ...], fix: str) -> tuple[Diagnosis, ...]:
    """No small edit repairs the line: the verified expected expression is its fix."""
    if not diagnosis:
        return (Diagnosis("other", "the right-hand side should be the expected expression", fix),)
    first = diagnosis[0]
    return (Diagnosis(first.kind, first.message, fix), *diagnosis[1:])


def layer_derivatives(bound: BoundDocument, names: dict[str, Sym]) -> tuple[tuple[str, Expr], ...]:
    """Each layer's activation derivative, in the author's names (matrix form)."""
    from chainrule.judge.factor_edits import _relu_mask, sigmoid_form, tanh_form
    from chainrule.rules.expr import one_minus

    out: list[tuple[str, Expr]] = []
    depth = bound.model.spec.depth
    for layer in bound.model.spec.layers:
        node = "yhat" if layer.index == depth else f"a{layer.index}"
        default = Sym("y", "hat") if layer.index == depth else Sym("a", layer=str(layer.index))
        a = names.get(node, default)  # the output's own σ′ is forgotten too (sigmoid + MSE)
        z = names.get(f"z{layer.index}", Sym("z", layer=str(layer.index)))
        if layer.activation == "sigmoid":
            out.append((str(layer.index), sigmoid_form(a, hadamard=True)))
        elif layer.activation == "tanh":
            out.append((str(layer.index), tanh_form(a)))
            out.append((str(layer.index), one_minus(Hadamard((a, a)))))
        elif layer.activation == "relu":
            out.append((str(layer.index), _relu_mask(z)))
    return tuple(out)


def diagnose(
    style: AuthorStyle,
    judge: Judge,
    bound: BoundDocument,
    names: dict[str, Sym],
    v: StepVerdict,
    lhs_res: SideResult,
    scopes: list[Scope],
) -> tuple[Diagnosis, ...]:
    assert v.side.expr is not None and v.lhs.expr is not None
    indexed = any(isinstance(n, Indexed) for n in walk(v.side.expr))
    ctx = Context(
        lhs_indices=tuple(free_indices(v.lhs.expr)),
        label_indices=tuple(sorted(bound.binding.label_indices)),
        depth=bound.model.spec.depth,
        derivatives=() if indexed else layer_derivatives(bound, names),
        batch=bound.model.dims.batch is not None,
    )
    repairs = search(judge, lhs_res, scopes, v.side.expr, ctx)
    out: list[Diagnosis] = []
    notes = [n.message for n in v.side.notes]
    if repairs:
        best = repairs[0]
        fix = style(latex(best.tree))
        for i, edit in enumerate(best.edits):
            out.append(
                Diagnosis(edit.kind, edit.message, fix if i == len(best.edits) - 1 else None)
            )
    else:
        kind = v.kind if v.kind in KINDS else _kind_from_claim(bound, v.lhs.expr)
        out.append(Diagnosis(kind, v.message, None))
    for n in notes:
        out.append(Diagnosis("note", n, None))
    return tuple(out)


def _kind_from_claim(bound: BoundDocument, lhs: Expr | None) -> str:
    """No edit explains the line: name the mistake by what the line claims, where that is
    unambiguous — a wrong ∂ŷ/∂z at a softmax output is a softmax-Jacobian mistake."""
    from chainrule.reader.ast import Deriv

    spec = bound.model.spec
    if isinstance(lhs, Deriv) and spec.layers[-1].activation == "softmax":
        of = lhs.of.base if isinstance(lhs.of, Indexed) else lhs.of
        wrt = lhs.wrt.base if isinstance(lhs.wrt, Indexed) else lhs.wrt
        is_output = isinstance(of, Sym) and of.name == "y" and of.accent == "hat"
        meaning = bound.binding.resolve(wrt, set()) if isinstance(wrt, Sym) else None
        from chainrule.bind.refs import NodeRef

        if is_output and isinstance(meaning, NodeRef) and meaning.node == f"z{spec.depth}":
            return "softmax_jacobian"
    return "other"
