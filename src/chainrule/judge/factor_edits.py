"""Repairs about factors of a product: derivatives of activations and the softmax Jacobian.

Separate from the index and transpose edits in ``judge.repair``: these look for the shapes
in which activation derivatives are written (``a(1 − a)``, ``1 − a²``, ``1 − a ⊙ a``, σ′(z))
anywhere in a chain of factors, and for the softmax Jacobian written as if it were
elementwise (``ŷ_i(1 − ŷ_m)``, ``diag(ŷ ⊙ (1 − ŷ))``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from chainrule.judge.edit import Edit, text
from chainrule.judge.trees import Path, replace_at
from chainrule.reader.ast import (
    Add,
    Call,
    Expr,
    Hadamard,
    Indexed,
    Mul,
    Neg,
    Num,
    Pow,
    Sym,
    Transpose,
    is_one_minus,
)
from chainrule.rules.expr import one_minus

ONE = Num("1")


def is_yhat_entry(e: Expr) -> bool:
    """``ŷ_i``: one entry of the network's output."""
    return (
        isinstance(e, Indexed)
        and isinstance(e.base, Sym)
        and e.base.name == "y"
        and e.base.accent == "hat"
        and len(e.indices) == 1
    )


def sigmoid_form(a: Expr, hadamard: bool) -> Expr:
    return Hadamard((a, one_minus(a))) if hadamard else Mul((a, one_minus(a)))


def tanh_form(a: Expr) -> Expr:
    return one_minus(Pow(a, Num("2")))


def _square_of(e: Expr) -> Expr | None:
    """``a²`` or ``a ⊙ a`` → a."""
    if isinstance(e, Pow) and e.exponent == Num("2"):
        return e.base
    if isinstance(e, Hadamard | Mul) and len(e.factors) == 2 and e.factors[0] == e.factors[1]:
        return e.factors[0]
    return None


def tanh_prime_arg(e: Expr) -> Expr | None:
    if isinstance(e, Add) and len(e.terms) == 2 and e.terms[0] == ONE:
        neg = e.terms[1]
        if isinstance(neg, Neg):
            return _square_of(neg.operand)
    return None


def chain_edits(
    rhs: Expr,
    path: Path,
    node: Mul | Hadamard,
    derivatives: tuple[tuple[str, Expr], ...],
) -> Iterator[Edit]:
    """Edits of one product chain ``f₁ f₂ … fₙ`` (juxtaposed or ⊙)."""
    fs = node.factors
    had = isinstance(node, Hadamard)

    def rebuilt(items: list[Expr]) -> Expr:
        if not items:
            return ONE
        return items[0] if len(items) == 1 else replace(node, factors=tuple(items))

    for i in range(len(fs) - 1):
        a, b = fs[i], fs[i + 1]
        if is_one_minus(b, a):  # a (1 − a): the sigmoid's derivative
            pair = rebuilt([a, b])
            if isinstance(a, Sym) and a.name == "y" and not a.accent and not a.layer:
                yhat = replace(a, accent="hat")  # y(1 − y): the output's derivative uses ŷ
                fixed = [*fs[:i], yhat, one_minus(yhat), *fs[i + 2 :]]
                yield Edit(
                    "y_vs_yhat",
                    f"{text(pair)} should be {text(rebuilt([yhat, one_minus(yhat)]))}: the "
                    "sigmoid's derivative is taken at the output ŷ, not the label y",
                    replace_at(rhs, path, rebuilt(fixed)),
                )
            items = list(fs[:i]) + list(fs[i + 2 :])
            yield Edit(
                "extra_factor",
                f"the factor {text(pair)} (the sigmoid's derivative) should not be there",
                replace_at(rhs, path, rebuilt(items)),
            )
            swapped = [*fs[:i], tanh_form(a), *fs[i + 2 :]]
            yield Edit(
                "activation_derivative",
                f"{text(pair)} is the sigmoid's derivative; this layer's tanh has "
                f"{text(tanh_form(a))}",
                replace_at(rhs, path, rebuilt(swapped)),
            )
            relu = [*fs[:i], _relu_mask(a), *fs[i + 2 :]]
            yield Edit(
                "activation_derivative",
                f"{text(pair)} is the sigmoid's derivative; this layer's ReLU has "
                f"{text(_relu_mask(a))}",
                replace_at(rhs, path, rebuilt(relu)),
            )
    for i, f in enumerate(fs):
        t = tanh_prime_arg(f)
        if t is not None:
            swapped = list(fs[:i]) + list(sigmoid_form(t, had).factors) + list(fs[i + 1 :])  # type: ignore[attr-defined]
            yield Edit(
                "activation_derivative",
                f"{text(f)} is tanh's derivative; for the sigmoid it is "
                f"{text(sigmoid_form(t, had))}",
                replace_at(rhs, path, rebuilt(swapped)),
            )
        if _is_diag_sigmoid(f):
            inner = f.args[0]  # type: ignore[attr-defined]
            y = inner.factors[0]
            jac = Add((Call("diag", (y,)), Neg(Mul((y, Transpose(y))))))
            items = list(fs)
            items[i] = jac
            yield Edit(
                "softmax_jacobian",
                f"the softmax Jacobian is {text(jac)}, not {text(f)}: it is not diagonal",
                replace_at(rhs, path, rebuilt(items)),
            )
    # a missing activation derivative: f ⊙ σ′ for each hidden layer, after any factor
    for label, deriv in derivatives:
        for i in range(len(fs)):
            if isinstance(fs[i], Transpose):
                continue
            items = list(fs)
            items[i] = Hadamard((fs[i], deriv)) if not had else fs[i]
            if had:
                items.insert(i + 1, deriv)
            yield Edit(
                "missing_factor",
                f"the factor {text(deriv)} (the derivative of layer {label}'s activation) "
                "is missing",
                replace_at(rhs, path, rebuilt(items)),
            )


def _relu_mask(a: Expr) -> Expr:
    from chainrule.reader.ast import Indicator, Relation

    return Indicator(Relation(a, ">", Num("0")))


def _is_diag_sigmoid(e: Expr) -> bool:
    if not (isinstance(e, Call) and e.func == "diag" and len(e.args) == 1):
        return False
    inner = e.args[0]
    return (
        isinstance(inner, Hadamard | Mul)
        and len(inner.factors) == 2
        and is_one_minus(inner.factors[1], inner.factors[0])
    )


def softmax_one_edits(rhs: Expr, path: Path, node: Mul) -> Iterator[Edit]:
    """``ŷ_a (1 − ŷ_b)`` → ``ŷ_a (δ_ab − ŷ_b)``: the off-diagonal part was dropped."""
    fs = node.factors
    for i in range(len(fs) - 1):
        a, b = fs[i], fs[i + 1]
        if not (is_yhat_entry(a) and isinstance(b, Add) and len(b.terms) == 2):
            continue
        first, second = b.terms
        if first != ONE or not isinstance(second, Neg) or not is_yhat_entry(second.operand):
            continue
        u = a.indices[0]  # type: ignore[attr-defined]
        v = second.operand.indices[0]  # type: ignore[attr-defined]
        if u == v:
            continue
        fixed_b = Add((Indexed(Sym("delta"), (u, v)), second))
        items = list(fs)
        items[i + 1] = fixed_b
        yield Edit(
            "softmax_jacobian",
            f"the softmax Jacobian is ∂ŷ_{u}/∂z_{v} = {text(Mul((a, fixed_b)))}: "
            f"{text(Mul((a, b)))} holds only for {u} = {v}",
            replace_at(rhs, path, replace(node, factors=tuple(items))),
        )
