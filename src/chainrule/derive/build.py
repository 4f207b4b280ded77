"""Building the backpropagation derivation from a spec by walking the rule table.

Owns :func:`build_steps`: the forward pass, then the output layer (∂L/∂ŷ, the output
activation's Jacobian, δ_L, collapsing to ŷ − y for a fused head), then for each layer from
the top δ_l, ∇W_l L, ∇b_l L and ∂L/∂a_{l−1}, then the SGD updates. Every formula is local
(δ_l is written with δ_{l+1}), so the work grows linearly with depth; for shallow networks
the index forms are also given fully expanded, as a student writes them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from chainrule.derive.formula import Formula, Step, Truth
from chainrule.errors import ChainruleError
from chainrule.model.spec import ModelSpec
from chainrule.reader.ast import Add, Expr, Indexed, Sym
from chainrule.rules import AFFINE, Layout, activation, dim_symbol, head, loss
from chainrule.rules.expr import call, div, had, key, mul, nabla, partial, sub, sym, total
from chainrule.rules.render import numpy_code

DEFAULT_LETTERS = ("m", "n", "p", "q", "r", "s", "t", "u", "v", "w")
"""Index letters, from the output layer down (the seed answer's m, n, p, q)."""

EXPAND_DEPTH = 4
"""Networks up to this depth also get index forms with every δ written out."""

OTHER = "j"  # the second index over the same layer (softmax's Σ_j, ∂ŷ_j/∂z_m)


@dataclass(frozen=True)
class Symbols:
    """The canonical symbols and index letters of one network."""

    depth: int
    layout: Layout
    letters: tuple[str, ...]

    def a(self, level: int) -> Sym:
        if level == 0:
            return sym("x")
        return sym("y", accent="hat") if level == self.depth else sym("a", level)

    def node_a(self, level: int) -> str:
        return "x" if level == 0 else ("yhat" if level == self.depth else f"a{level}")

    def dim(self, level: int) -> Sym:
        return dim_symbol(level, self.depth)

    def letter(self, level: int) -> str:
        pos = self.depth - level
        return self.letters[pos] if pos < len(self.letters) else f"n{level}"

    def ranges(self, *levels: int) -> tuple[tuple[str, str], ...]:
        out = [(self.letter(lv), key(self.dim(lv))) for lv in levels]
        if self.layout.batched:
            out.append((self.layout.batch_index, "m"))
        return tuple(out)


def _sub(level: int) -> str:
    return str(level).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def _substitute(e: Expr, target: Sym, closed: Expr, layout: Layout, letter: str) -> Expr:
    """``e`` with every entry ``target_{letter…}`` replaced by ``closed`` (same free letters)."""
    entry = layout.entry(target, letter)

    def walk(node: Expr) -> Expr:
        if node == entry:
            return closed
        from dataclasses import fields, replace

        changes: dict[str, Any] = {}
        for f in fields(node):
            value = getattr(node, f.name)
            if isinstance(value, Expr):
                changes[f.name] = walk(value)
            elif isinstance(value, tuple) and value and isinstance(value[0], Expr):
                changes[f.name] = tuple(walk(v) for v in value)
        return replace(node, **changes) if changes else node

    return walk(e)


class _Builder:
    def __init__(self, spec: ModelSpec, wanted: set[str], letters: Sequence[str] | None) -> None:
        self.spec = spec
        self.L = spec.depth
        self.layout = Layout(spec.convention, spec.batch)
        pool = tuple(letters) if letters else DEFAULT_LETTERS
        if self.layout.batched:
            pool = tuple(c for c in pool if c not in ("m", self.layout.batch_index))
        self.s = Symbols(self.L, self.layout, tuple(c for c in pool if c != OTHER))
        self.wanted = wanted
        self.expand = self.L <= EXPAND_DEPTH
        self.closed: dict[int, Expr] = {}  # δ_l's index form with deeper δ written out

    # -- helpers --------------------------------------------------------------------
    def formula(
        self,
        quantity: tuple[str, int],
        lhs_m: Expr | None,
        matrix: Sequence[Expr],
        lhs_i: Indexed | Expr | None,
        index: Sequence[Expr],
        free: tuple[str, ...],
        ranges: tuple[tuple[str, str], ...],
        truth: Truth,
        text: str,
        var: str,
        relation: str = "=",
    ) -> Formula:
        chain_m = tuple(dict.fromkeys(matrix))  # drop repeats (identity + mse: g = ŷ − y)
        chain_i = tuple(dict.fromkeys(index))
        code = f"{var} = {numpy_code(chain_m[-1])}" if chain_m else ""
        return Formula(
            quantity, lhs_m, chain_m, lhs_i, chain_i, free, ranges, truth, text, code, relation
        )

    def entry(self, vec: Expr, level: int, letter: str | None = None) -> Indexed:
        return self.layout.entry(vec, letter or self.s.letter(level))

    # -- forward ----------------------------------------------------------------------
    def forward(self) -> Step:
        s, lay = self.s, self.layout
        out: list[Formula] = []
        for layer in self.spec.layers:
            lv = layer.index
            w, z, b = sym("W", lv), sym("z", lv), sym("b", lv) if layer.bias else None
            n, p = s.letter(lv), s.letter(lv - 1)
            zi: Expr = total(
                p, s.dim(lv - 1), mul(lay.weight_entry(w, n, p), self.entry(s.a(lv - 1), lv - 1))
            )
            if b is not None:
                zi = Add((zi, lay.bias_entry(b, n)))
            out.append(
                self.formula(
                    ("z", lv),
                    z,
                    [AFFINE.forward_matrix(w, s.a(lv - 1), b, lay)],
                    self.entry(z, lv),
                    [zi],
                    self.entry(z, lv).indices,
                    s.ranges(lv, lv - 1),
                    Truth(f"z{lv}"),
                    f"Layer {lv}'s pre-activation is affine in its input.",
                    f"z{lv}",
                )
            )
            rule = activation(layer.activation)
            if rule.elementwise:
                idx_form: list[Expr] = [rule.apply(self.entry(z, lv))]
            else:  # softmax: exp(z_n) / Σ_j exp(z_j)
                idx_form = [
                    div(
                        call("exp", self.entry(z, lv)),
                        total(OTHER, s.dim(lv), call("exp", self.entry(z, lv, OTHER))),
                    )
                ]
            out.append(
                self.formula(
                    ("a", lv),
                    s.a(lv),
                    [rule.apply(z)],
                    self.entry(s.a(lv), lv),
                    idx_form,
                    self.entry(s.a(lv), lv).indices,
                    ((OTHER, key(s.dim(lv))), *s.ranges(lv)),
                    Truth(s.node_a(lv)),
                    f"The {rule.name} activation.",
                    key(s.a(lv)),
                )
            )
        lr = loss(self.spec.loss)
        j = OTHER
        value = lr.value_index(
            lambda u: self.entry(s.a(self.L), self.L, u),
            lambda u: self.entry(sym("y"), self.L, u),
            j,
            s.dim(self.L),
            lay,
        )
        out.append(
            self.formula(
                ("loss", 0),
                None,
                [],
                sym("L"),
                [value],
                (),
                ((j, key(s.dim(self.L))),) + ((lay.batch_index, "m"),) * lay.batched,
                Truth("L"),
                "The loss" + (", averaged over the m examples." if lay.batched else "."),
                "L",
            )
        )
        return Step(
            "Forward pass", "Each layer is an affine map followed by its activation.", tuple(out)
        )

    # -- output layer -----------------------------------------------------------------
    def output(self) -> list[Formula]:
        s, lay, L = self.s, self.layout, self.L
        yhat, y, zl, dl = s.a(L), sym("y"), sym("z", L), sym("delta", L)
        lr, act = loss(self.spec.loss), activation(self.spec.output_activation)
        fused = head(act.name, lr.name)
        m, j = s.letter(L), OTHER
        per = lay.batched
        scale = " (times m: the per-example error)" if per else ""
        out = []

        def g_index(u: str) -> Expr:
            return lr.grad(self.entry(yhat, L, u), self.entry(y, L, u), mul)

        g_matrix = lr.grad(yhat, y, had)
        out.append(
            self.formula(
                ("dyhat", L),
                partial(sym("L"), yhat),
                [g_matrix],
                partial(sym("L"), self.entry(yhat, L, j)),
                [g_index(j)],
                self.entry(yhat, L, j).indices,
                ((j, key(s.dim(L))), *s.ranges()),
                Truth("L", "yhat", per_example=per),
                lr.explanation + scale,
                "dyhat",
            )
        )
        if not per and act.name != "identity":
            out.append(
                self.formula(
                    ("jacobian", L),
                    partial(yhat, zl),
                    [act.jacobian_matrix(yhat, zl, lay, s.dim(L))],
                    partial(self.entry(yhat, L, j), self.entry(zl, L, m)),
                    [act.jacobian_index(yhat, zl, lay, j, m)],
                    (j, m),
                    ((j, key(s.dim(L))), (m, key(s.dim(L)))),
                    Truth("yhat", f"z{L}"),
                    act.explanation,
                    f"J{L}",
                )
            )
        matrix = [act.vjp_matrix(g_matrix, yhat, zl, lay, s.dim(L))]
        index = [act.vjp_index(g_index, yhat, zl, lay, m, j, s.dim(L))]
        text = f"δ{_sub(L)} = ∂L/∂z{_sub(L)}: the chain rule through the {act.name} output."
        if fused is not None:
            matrix.append(fused.delta(yhat, y))
            index.append(fused.delta(self.entry(yhat, L), self.entry(y, L)))
            text = fused.explanation
        self.closed[L] = index[-1]
        out.append(
            self.formula(
                ("delta", L),
                dl,
                matrix,
                self.entry(dl, L),
                index,
                self.entry(dl, L).indices,
                ((j, key(s.dim(L))), *s.ranges(L)),
                Truth("L", f"z{L}", per_example=per),
                text + scale,
                f"delta{L}",
            )
        )
        return out

    # -- one layer --------------------------------------------------------------------
    def hidden_delta(self, lv: int) -> Formula:
        s, lay = self.s, self.layout
        rule = activation(self.spec.layers[lv - 1].activation)
        up, dl, z = sym("delta", lv + 1), sym("delta", lv), sym("z", lv)
        w_up = sym("W", lv + 1)
        n, m = s.letter(lv), s.letter(lv + 1)

        def g(u: str) -> Expr:
            return AFFINE.input_index(w_up, up, lay, m, u, s.dim(lv + 1))

        index = [rule.vjp_index(g, s.a(lv), z, lay, n, OTHER, s.dim(lv))]
        if self.expand and lv + 1 in self.closed and self.closed[lv + 1] != self.entry(up, lv + 1):
            index.append(_substitute(index[0], up, self.closed[lv + 1], lay, m))
        self.closed[lv] = index[-1]
        per = lay.batched
        return self.formula(
            ("delta", lv),
            dl,
            [rule.vjp_matrix(AFFINE.input_matrix(w_up, up, lay), s.a(lv), z, lay, s.dim(lv))],
            self.entry(dl, lv),
            index,
            self.entry(dl, lv).indices,
            ((OTHER, key(s.dim(lv))), *s.ranges(lv, lv + 1)),
            Truth("L", f"z{lv}", per_example=per),
            f"Backpropagate δ{_sub(lv + 1)} through W{_sub(lv + 1)}ᵀ and layer {lv}'s "
            f"{rule.name}. " + rule.explanation,
            f"delta{lv}",
        )

    def gradients(self, lv: int) -> list[Formula]:
        s, lay = self.s, self.layout
        layer = self.spec.layers[lv - 1]
        dl, w, a_prev = sym("delta", lv), sym("W", lv), s.a(lv - 1)
        n, p = s.letter(lv), s.letter(lv - 1)
        out = []
        expanded = (
            []
            if lv not in self.closed or self.closed[lv] == self.entry(dl, lv)
            else [self.closed[lv]]
        )
        if f"W{lv}" in self.wanted:
            wi = AFFINE.weight_index(dl, a_prev, lay, n, p)
            idx = [wi] + [_substitute(wi, dl, e, lay, n) for e in expanded]
            entry = lay.weight_entry(w, n, p)
            out.append(
                self.formula(
                    ("dW", lv),
                    nabla(sym("L"), w),
                    [AFFINE.weight_matrix(dl, a_prev, lay)],
                    partial(sym("L"), entry),
                    idx,
                    entry.indices,
                    ((OTHER, key(s.dim(lv))), *s.ranges(lv, lv - 1)),
                    Truth("L", f"W{lv}"),
                    "The weight gradient is the outer product of the layer's error and its input"
                    + (", averaged over the examples." if lay.batched else "."),
                    f"dW{lv}",
                )
            )
        if layer.bias and f"b{lv}" in self.wanted:
            b = sym("b", lv)
            bi = AFFINE.bias_index(dl, lay, n)
            idx = [bi] + [_substitute(bi, dl, e, lay, n) for e in expanded]
            entry = lay.bias_entry(b, n)
            out.append(
                self.formula(
                    ("db", lv),
                    nabla(sym("L"), b),
                    [AFFINE.bias_matrix(dl, lay)],
                    partial(sym("L"), entry),
                    idx,
                    entry.indices,
                    ((OTHER, key(s.dim(lv))), *s.ranges(lv, lv - 1)),
                    Truth("L", f"b{lv}"),
                    "The bias gradient is the error itself"
                    + (", averaged over the examples." if lay.batched else "."),
                    f"db{lv}",
                )
            )
        node = s.node_a(lv - 1)
        if node in self.wanted:
            ai = AFFINE.input_index(w, dl, lay, n, p, s.dim(lv))
            idx = [ai] + [_substitute(ai, dl, e, lay, n) for e in expanded]
            entry = self.entry(a_prev, lv - 1)
            out.append(
                self.formula(
                    ("da", lv - 1),
                    partial(sym("L"), a_prev),
                    [AFFINE.input_matrix(w, dl, lay)],
                    partial(sym("L"), entry),
                    idx,
                    entry.indices,
                    ((OTHER, key(s.dim(lv))), *s.ranges(lv, lv - 1)),
                    Truth("L", node, per_example=lay.batched),
                    f"The error reaches {'the input' if lv == 1 else f'a{_sub(lv - 1)}'} through "
                    f"W{_sub(lv)}ᵀ" + (" (per example)." if lay.batched else "."),
                    f"d{key(a_prev)}",
                )
            )
        return out

    def updates(self) -> Step:
        s, lay = self.s, self.layout
        eta = sym("eta")
        out = []
        for layer in self.spec.layers:
            lv = layer.index
            n, p = s.letter(lv), s.letter(lv - 1)
            for name in ("W", "b"):
                if f"{name}{lv}" not in self.wanted or (name == "b" and not layer.bias):
                    continue
                v = sym(name, lv)
                e = lay.weight_entry(v, n, p) if name == "W" else lay.bias_entry(v, n)
                out.append(
                    self.formula(
                        (f"update_{name}", lv),
                        v,
                        [sub(v, mul(eta, nabla(sym("L"), v)))],
                        e,
                        [sub(e, mul(eta, partial(sym("L"), e)))],
                        e.indices,
                        s.ranges(lv, lv - 1),
                        Truth(f"{name}{lv}", step=True),
                        "Gradient descent moves each parameter against its gradient.",
                        f"{name}{lv}_new",
                        relation="←",
                    )
                )
        return Step(
            "SGD updates",
            "With learning rate η, every parameter takes one step downhill.",
            tuple(out),
        )

    def steps(self) -> list[Step]:
        steps = [self.forward()]
        lowest = min((self._level(w) for w in self.wanted), default=1)
        for lv in range(self.L, max(lowest, 1) - 1, -1):
            formulas = self.output() if lv == self.L else [self.hidden_delta(lv)]
            formulas += self.gradients(lv)
            act = self.spec.layers[lv - 1].activation
            title = f"Layer {lv}" + (" (output)" if lv == self.L else "")
            expl = (
                f"The output layer: ∂L/∂ŷ, then through the {act} to δ{_sub(lv)} = ∂L/∂z{_sub(lv)}."
                if lv == self.L
                else f"δ{_sub(lv)} from δ{_sub(lv + 1)}, then the gradients of layer {lv}."
            )
            steps.append(Step(title, expl, tuple(formulas), lv))
        upd = self.updates()
        if upd.formulas:
            steps.append(upd)
        return steps

    def _level(self, name: str) -> int:
        if name == "x":
            return 1
        if name == "yhat":
            return self.L
        return int(name[1:]) if name[0] in "Wba" else 1


def wanted_quantities(spec: ModelSpec, wrt: Sequence[str] | None) -> set[str]:
    """The nodes whose gradients to print (all parameters, activations and x by default)."""
    L = spec.depth
    known = ["x"] + [f"a{lv}" for lv in range(1, L)]
    for layer in spec.layers:
        known.append(f"W{layer.index}")
        if layer.bias:
            known.append(f"b{layer.index}")
    if wrt is None:
        return set(known)
    out = set()
    for raw in wrt:
        name = raw.strip().replace("_", "").replace("{", "").replace("}", "")
        name = {"X": "x", "a0": "x"}.get(name, name)
        if name not in known:
            raise ChainruleError(
                f"`{raw.strip()}` is not a quantity of this network to differentiate by; "
                f"use some of {', '.join(known)}."
            )
        out.add(name)
    return out


def build_steps(
    spec: ModelSpec, wrt: Sequence[str] | None = None, letters: Sequence[str] | None = None
) -> list[Step]:
    """The derivation's steps for ``spec`` (unverified, names not yet applied)."""
    return _Builder(spec, wanted_quantities(spec, wrt), letters).steps()
