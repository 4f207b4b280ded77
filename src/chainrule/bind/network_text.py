"""A network read out of the author's own expressions: its spec text, and the definitions
that lead to it.

Owns :func:`spec_text` (``softmax(W₃σ(W₂σ(W₁x)))`` → ``yhat = softmax(W3 sigmoid(W2 sigmoid(W1
x)))``, layers numbered from the input, the author's unlabelled weights and biases taking
their place's number), :func:`symbol_definitions` and :func:`expand_names` (``a_1 = σ(W_1
x)`` substituted where a_1 is used), the entry-by-entry readings (:func:`softmax_of`,
:func:`matrix_of`: ``p_i = e^{z_i}/Σ_l e^{z_l}``, ``u_r = Σ_s W_rs x_s + b_r``),
:func:`with_layer_instances` (a definition for a general layer at every layer the text names)
and the activation readings (:func:`activation_of`: σ, max(0, ·); :func:`logistic_of`:
1/(1 + e^{−z})). Nothing here decides which statement is the network: that is
:mod:`chainrule.bind.statement`'s.
"""

from __future__ import annotations

from dataclasses import fields, replace

from chainrule.bind.binding import KNOWN_FUNCTIONS
from chainrule.bind.layers import general_labels, instantiate
from chainrule.bind.refs import key
from chainrule.reader.ast import (
    Add,
    Call,
    Deriv,
    Div,
    Expr,
    Indexed,
    Mul,
    Neg,
    Num,
    Sum,
    Sym,
    Transpose,
    map_tree,
    walk,
)
from chainrule.reader.claims import Chain, Side


def has_deriv(e: Expr) -> bool:
    """Whether a derivative appears anywhere in ``e``."""
    return any(isinstance(n, Deriv) for n in walk(e))


ACTIVATION_CANDIDATES = ("sigmoid", "tanh", "relu", "identity", "softmax")

USUAL = {"sigma": "sigmoid", "g": "softmax", "phi": "sigmoid", "varphi": "sigmoid"}


def with_layer_instances(chains: list[Chain]) -> list[Chain]:
    """The chains, then each definition for a general layer (``z_ℓ = W_ℓ a_{ℓ−1}``) at every
    layer up to the highest the text names (so ``ŷ = softmax(z_3)`` reads through it);
    concrete definitions come first and win. Nielsen's ``a^L`` is the last layer when the
    text says how many there are (``L = 3``)."""
    chains = _last_layer_numbered(chains)
    general = [
        c for c in chains
        if isinstance(c.lhs.expr, Sym) and general_labels(c) and not has_deriv(c.lhs.expr)
    ]  # fmt: skip
    if not general:
        return chains
    top = min(_top_layer(chains), 12)
    concrete = {key(c.lhs.expr) for c in chains if isinstance(c.lhs.expr, Sym)}
    instances = [instantiate(c, layer) for c in general for layer in range(1, top + 1)]
    return [
        *chains,
        *(
            c for c in instances
            if _top_layer([c]) <= top and key(c.lhs.expr) not in concrete  # type: ignore[arg-type]
        ),
    ]  # fmt: skip


def _last_layer_numbered(chains: list[Chain]) -> list[Chain]:
    """The chains with the layer label L (and L−1) replaced by the text's ``L = 3``."""
    count = next(
        (int(side.expr.text) for c in chains for side in c.rhs[:1]
         if c.lhs.expr == Sym("L") and isinstance(side.expr, Num) and side.expr.text.isdigit()),
        None,
    )  # fmt: skip
    if count is None or not 1 <= count <= 12:
        return chains

    def number(n: Expr) -> Expr | None:
        if not isinstance(n, Sym | Call):
            return None
        label = n.layer.replace(" ", "")
        if label not in ("L", "L-1"):
            return None
        value = str(count if label == "L" else count - 1)
        return replace(n, layer=value)

    def side(s: Side) -> Side:
        return s if s.expr is None else replace(s, expr=map_tree(s.expr, number))

    return [replace(c, lhs=side(c.lhs), rhs=tuple(side(s) for s in c.rhs)) for c in chains]


def _top_layer(chains: list[Chain]) -> int:
    """The highest concrete layer number the chains name (0 for none)."""
    return max(
        (int(n.layer) for c in chains for side in (c.lhs, *c.rhs) if side.expr is not None
         for n in walk(side.expr) if isinstance(n, Sym) and n.layer.isdigit()),
        default=0,
    )  # fmt: skip


def softmax_of(lhs: Expr, rhs: Expr) -> tuple[Sym, Expr] | None:
    """``p_i = e^{z_i} / Σ_l e^{z_l}``: (p, softmax(z)), the softmax written entry by entry;
    over a batch too, ``P_{ic} = e^{S_{ic}} / Σ_{c'} e^{S_{ic'}}`` (rows) or ``P_{ki} =
    e^{Z_{ki}} / Σ_c e^{Z_{ci}}`` (columns), the sum running over the class index."""
    if not (isinstance(lhs, Indexed) and isinstance(lhs.base, Sym) and len(lhs.indices) <= 2):
        return None
    if not (isinstance(rhs, Div) and isinstance(rhs.den, Sum) and len(rhs.den.bounds) == 1):
        return None
    summed = rhs.den.bounds[0].index
    args = []
    for part in (rhs.num, rhs.den.body):
        if not (isinstance(part, Call) and part.func == "exp" and len(part.args) == 1):
            return None
        arg = part.args[0]
        if not isinstance(arg, Indexed) or len(arg.indices) != len(lhs.indices):
            return None
        args.append(arg)
    num, den = args
    if num.base != den.base or num.indices != lhs.indices:
        return None
    # the denominator's indices: the numerator's, with the class index summed over
    moved = [k for k, (a, b) in enumerate(zip(num.indices, den.indices, strict=True)) if a != b]
    if len(moved) != 1 or den.indices[moved[0]] != summed:
        return None
    return lhs.base, Call("softmax", (num.base,))


def matrix_of(lhs: Expr, rhs: Expr) -> tuple[Sym, Expr] | None:
    """A layer defined entry by entry, as a vector: ``u_r = Σ_s W_{rs} x_s + b_r`` is
    u = W x + b, ``z_j = Σ_i x_i W_{ij} + b_j`` is z = x W + b (rows), ``h_r = max(0, u_r)``
    is h = max(0, u), ``z = Σ_j w_j x_j + b`` is z = wᵀx + b; None for anything else."""
    if isinstance(lhs, Indexed) and isinstance(lhs.base, Sym) and len(lhs.indices) == 1:
        name, index = lhs.base, lhs.indices[0]
    elif isinstance(lhs, Sym):
        name, index = lhs, ""
    else:
        return None
    vector = _as_vector(rhs, index)
    return None if vector is None or vector == rhs else (name, vector)


def _as_vector(e: Expr, index: str) -> Expr | None:
    """``e``, written for entry ``index`` of a vector, as the vector (see :func:`matrix_of`)."""
    if isinstance(e, Indexed) and isinstance(e.base, Sym) and e.indices == (index,) and index:
        return e.base
    if isinstance(e, Sym) and not index:
        return e
    if isinstance(e, Add):
        terms = [_as_vector(t, index) for t in e.terms]
        if any(t is None for t in terms):
            return None
        return Add(tuple(t for t in terms if t is not None))
    if isinstance(e, Call):
        args = [a if isinstance(a, Num) else _as_vector(a, index) for a in e.args]
        if any(a is None for a in args):
            return None
        return replace(e, args=tuple(a for a in args if a is not None))
    body, summed = e, ""
    if isinstance(e, Sum) and len(e.bounds) == 1:
        body, summed = e.body, e.bounds[0].index
    if not (isinstance(body, Mul) and len(body.factors) == 2):
        return None
    a, b = body.factors
    if not (isinstance(a, Indexed) and isinstance(b, Indexed)):
        return None
    if not summed:  # Einstein's convention: the index the two factors share
        shared = set(a.indices) & set(b.indices) - {index}
        if len(shared) != 1:
            return None
        summed = shared.pop()
    if a.indices == (index, summed) and b.indices == (summed,):
        return Mul((a.base, b.base))  # Σ_s W_{rs} x_s: W x
    if a.indices == (summed,) and b.indices == (summed, index):
        return Mul((a.base, b.base))  # Σ_i x_i W_{ij}: x W (rows)
    if b.indices == (index, summed) and a.indices == (summed,):
        return Mul((b.base, a.base))  # Σ_s x_s W_{rs}: W x
    if not index and a.indices == (summed,) and b.indices == (summed,):
        return Mul((Transpose(a.base), b.base))  # Σ_j w_j x_j: wᵀx
    return None


def symbol_definitions(chains: list[Chain]) -> dict[tuple[str, str, str], Expr]:
    """Names defined by an equation ``name = expression`` (the first such right side), and
    a softmax defined entry by entry (``p_i = e^{z_i} / Σ_l e^{z_l}`` defines p)."""
    out: dict[tuple[str, str, str], Expr] = {}
    for chain in chains:
        lhs = chain.lhs.expr
        if lhs is not None and chain.rhs and chain.rhs[0].expr is not None:
            first = chain.rhs[0].expr
            entrywise = softmax_of(lhs, first) or matrix_of(lhs, first)
            if entrywise is not None:
                out.setdefault(key(entrywise[0]), entrywise[1])
                continue
        if isinstance(lhs, Sym) and chain.rhs and not has_deriv(lhs):
            for side in chain.rhs:
                if side.expr is None or has_deriv(side.expr):
                    continue
                if lhs in walk(side.expr):
                    break  # `W ← W − η …` is an update, not what W is
                out.setdefault(key(lhs), side.expr)
                break
    return out


def expand_names(expr: Expr, definitions: dict[tuple[str, str, str], Expr], depth: int = 0) -> Expr:
    """Substitute defined names (``a_1 = σ(W_1 x)``) until only the network's own remain."""
    if depth > 20:
        return expr
    if isinstance(expr, Sym) and key(expr) in definitions and expr.name not in ("x", "X"):
        return expand_names(definitions[key(expr)], definitions, depth + 1)
    if isinstance(expr, Call | Mul | Add | Div | Neg | Transpose):
        changes: dict[str, object] = {}
        for f in fields(expr):
            value = getattr(expr, f.name)
            if f.name == "span":
                continue
            if isinstance(value, Expr):
                changes[f.name] = expand_names(value, definitions, depth + 1)
            elif isinstance(value, tuple) and value and all(isinstance(v, Expr) for v in value):
                changes[f.name] = tuple(expand_names(v, definitions, depth + 1) for v in value)
        return replace(expr, **changes)  # type: ignore[arg-type]
    return expr


def spec_text(e: Expr, fn_names: dict[str, str]) -> str | None:
    """The spec string of a network expression, or None when ``e`` is not one.

    Layers are numbered 1, 2, … from the input. A weight or bias the author labelled must
    carry its layer's number (so the names in the derivation mean what the model's do); an
    unlabelled one (``σ(wᵀh + c)``, ``softmax(V h)``) takes its place's number, and
    :func:`unify_statement` later binds the author's name to it.
    """
    found = _layer_text(e, fn_names)
    if found is None or found[1] == 0:
        return None
    return "yhat = " + found[0]


_WEIGHTS = frozenset({"W", "w", "V", "v", "U", "M", "A", "B", "C", "Theta"})

_BIASES = frozenset({"b", "c", "beta", "bias"})


def _layer_text(e: Expr, fn_names: dict[str, str]) -> tuple[str, int] | None:
    """The spec text of ``e`` and how many affine layers it holds, or None."""
    if isinstance(e, Sym) and e.name in ("x", "X") and not e.layer and not e.accent:
        return e.name, 0
    if isinstance(e, Sym) and e.name in ("a", "h", "A", "H") and e.layer == "0" and not e.accent:
        return ("X" if e.name.isupper() else "x"), 0  # a⁽⁰⁾: the input
    logistic = logistic_of(e)
    if logistic is not None:  # 1/(1 + e^{−z}), written out
        inner = _layer_text(logistic, fn_names)
        return None if inner is None else (f"sigmoid({inner[0]})", inner[1])
    if isinstance(e, Call) and not e.prime:
        act, arg = activation_of(e, fn_names)
        inner = None if act is None or arg is None else _layer_text(arg, fn_names)
        return None if inner is None else (f"{act}({inner[0]})", inner[1])
    if isinstance(e, Mul) and len(e.factors) == 2:
        a, b = e.factors
        for weight, below, column in ((a, b, True), (b, a, False)):
            label = _weight_label(weight, column)
            if label is None:
                continue
            inner = _layer_text(below, fn_names)
            if inner is None:
                continue  # `A₁ W₂` in rows: A₁ is the input of W₂, not a weight
            layer = inner[1] + 1
            if label and label != str(layer):
                return None
            below_text = inner[0]
            if inner[1] and not _one_call(below_text):
                below_text = f"identity({below_text})"  # `W₂(W₁x + b₁)`: a linear layer
            return (f"W{layer} {below_text}" if column else f"{below_text} W{layer}"), layer
        return None
    if isinstance(e, Add) and len(e.terms) == 2:
        for affine, bias in (e.terms, e.terms[::-1]):
            label = _bias_label(bias)
            inner = None if label is None else _layer_text(affine, fn_names)
            if inner is None or inner[1] == 0:
                continue
            text, layer = inner
            outermost = text.startswith(f"W{layer} ") or text.endswith(f" W{layer}")
            if outermost and label in ("", str(layer)):
                return f"{text} + b{layer}", layer
    return None


def logistic_of(e: Expr) -> Expr | None:
    """z when ``e`` is the logistic function of z written out, ``1 / (1 + e^{−z})``."""
    if not (isinstance(e, Div) and e.num == Num("1") and isinstance(e.den, Add)):
        return None
    terms = e.den.terms
    if len(terms) != 2 or terms[0] != Num("1"):
        return None
    power = terms[1]
    if isinstance(power, Call) and power.func == "exp" and len(power.args) == 1:
        arg = power.args[0]
        if isinstance(arg, Neg):
            return arg.operand
    return None


def _one_call(text: str) -> bool:
    """Whether a spec text is one activation applied to everything (``tanh(…)``)."""
    head, paren, _ = text.partition("(")
    if not paren or head not in ACTIVATION_CANDIDATES:
        return False
    depth = 0
    for k, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        if depth == 0 and ch == ")":
            return k == len(text) - 1
    return False


def activation_of(e: Call, fn_names: dict[str, str]) -> tuple[str | None, Expr | None]:
    """The activation a call applies and its argument: ``σ(z)``, or ``max(0, z)`` (ReLU)."""
    if e.func in ("max", "maximum") and len(e.args) == 2:
        zero = [i for i, a in enumerate(e.args) if isinstance(a, Num) and a.text == "0"]
        if len(zero) == 1:
            return "relu", e.args[1 - zero[0]]
        return None, None
    if len(e.args) != 1:
        return None, None
    act = fn_names.get(e.func) or KNOWN_FUNCTIONS.get(e.func) or USUAL.get(e.func)
    return (act, e.args[0]) if act in ACTIVATION_CANDIDATES else (None, None)


def _weight_label(e: Expr, column: bool) -> str | None:
    """A weight factor's layer label (``""`` when it has none), or None when ``e`` is no
    weight: ``W_2``, ``V``, and in the column convention a one-unit layer's ``w^⊤``. A
    transposed matrix (``W^⊤ h``) is not read: its author's W would be the model's Wᵀ."""
    if isinstance(e, Transpose):
        inner = e.operand
        vector = ("w", "v", "theta", "beta")
        if column and isinstance(inner, Sym) and inner.name in vector and not inner.accent:
            return inner.layer if inner.layer.isdigit() or not inner.layer else None
        return None
    # a weight vector w (unlabelled); Nielsen's w^l, labelled, is the layer's matrix
    is_vector = e.name in ("w", "v") and not e.layer if isinstance(e, Sym) else False
    if isinstance(e, Sym) and e.name in _WEIGHTS and not e.accent and (not is_vector or not column):
        # (in rows `h w + c`, a one-unit layer's weight vector w is its d × 1 matrix itself)
        return e.layer if e.layer.isdigit() or not e.layer else None
    return None


def _bias_label(e: Expr) -> str | None:
    """A bias term's layer label (``""`` when it has none), or None when ``e`` is none:
    ``b_2``, ``c``, and over a batch ``b_2 𝟏`` or ``𝟏 b_1^⊤``."""
    ones = (Num("1"), Transpose(Num("1")))
    if isinstance(e, Mul) and len(e.factors) == 2 and any(f in ones for f in e.factors):
        e = next(f for f in e.factors if f not in ones)  # b 𝟏ᵀ, 𝟏 bᵀ: over a batch
        e = e.operand if isinstance(e, Transpose) else e
    if isinstance(e, Sym) and e.name in _BIASES and not e.accent:
        return e.layer if e.layer.isdigit() or not e.layer else None
    if (
        isinstance(e, Sym) and len(e.name) == 1 and not e.layer and not e.accent
        and e.name not in _WEIGHTS and e.name not in ("x", "X", "e")
    ):  # fmt: skip
        return ""  # `r = U x + a`: the author's own letter for the bias
    if isinstance(e, Sym) and e.name in ("theta", "w") and e.layer == "0" and not e.accent:
        return ""  # θ₀, w₀: the intercept of θᵀx + θ₀
    return None
