"""The network a document states, and the names it gives its parts.

Owns finding the model in the problem statement (``\\hat{y} = g(W_3\\sigma(W_2\\sigma(W_1x)))``,
possibly through definitions such as ``a_1 = \\sigma(W_1 x)``), identifying σ, g, … by
*evaluating* their definitions and matching the values against the known activations (else
their usual meaning, stated), the loss (by value, by pattern with a note, or by the usual
pairing), and the author's names for parameters read off the statement (``ŷ = σ(wᵀh + c)``:
w is W₂ᵀ, c is b₂).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, fields, replace

import numpy as np

from chainrule.bind.binding import KNOWN_FUNCTIONS, Binding, Meaning
from chainrule.bind.layers import general_labels, instantiate
from chainrule.bind.options import CheckOptions
from chainrule.bind.refs import Literal, NodeRef, key, sym_text
from chainrule.errors import ChainruleError
from chainrule.evaluate.evaluator import Evaluator, Scope
from chainrule.evaluate.functions import ELEMENTWISE, softmax
from chainrule.evaluate.tensor import EvalError
from chainrule.model.graph import Dims, build_model, default_dims
from chainrule.model.spec import ModelSpec, parse_spec, preset
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
    Span,
    Sum,
    Sym,
    Transpose,
    map_tree,
    walk,
)
from chainrule.reader.claims import Chain, Document, Side


def has_deriv(e: Expr) -> bool:
    """Whether a derivative appears anywhere in ``e``."""
    return any(isinstance(n, Deriv) for n in walk(e))


ACTIVATION_CANDIDATES = ("sigmoid", "tanh", "relu", "identity", "softmax")


USUAL = {"sigma": "sigmoid", "g": "softmax", "phi": "sigmoid", "varphi": "sigmoid"}

_OUTPUT_NAMES = frozenset({"yhat", "Yhat", "y_hat", "Y_hat", "output", "out", "probs"})
"""Names for the network's output written without an accent (``yhat = softmax(z3)``)."""


class _Probe:
    """Evaluate small expressions (function and loss definitions) on made-up inputs."""

    def __init__(self, binding: Binding, leaves: dict[str, np.ndarray]) -> None:
        self.binding = binding
        self.leaves = leaves
        self.values = binding.model.forward(leaves)

    def eval(self, expr: Expr) -> np.ndarray | None:
        ev = Evaluator(self.binding, self.leaves, self.values, Scope())
        try:
            with np.errstate(all="ignore"):  # a log of a negative probe value: NaN, no match
                t = ev.eval(expr)
        except (EvalError, ArithmeticError, ValueError):
            return None
        data = np.real(t.data)
        if t.axes and t.is_scalar and len(t.axes) == 1:
            return data.reshape(-1, 1)
        return data if not t.axes else None


def unify_statement(chains: list[Chain], binding: Binding, found: Statement | None) -> None:
    """Learn the author's names for parameters from their statement of the network.

    ``ŷ = σ(w^⊤ h + c)`` against the model ``yhat = sigmoid(W2 relu(W1 x))``: w is W₂ᵀ and
    c is b₂. Walks the author's (definition-expanded) output expression and the model's
    layers together, from the output down; binds only names without another meaning. With
    ``found``, the statement the model was read from (its output's name, ``p``, is ŷ);
    without, the text's ``ŷ = …``.
    """
    spec = binding.model.spec
    if found is not None:
        if found.output is not None:
            _bind_name(found.output, NodeRef("yhat"), binding)
        _unify(found.expr, spec.depth, binding)
        return
    definitions = symbol_definitions(chains)
    for chain in chains:
        lhs = chain.lhs.expr
        if not (isinstance(lhs, Sym) and lhs.name == "y" and lhs.accent == "hat"):
            continue
        for side in chain.rhs:
            if side.expr is not None:
                _unify(_expand(side.expr, definitions), spec.depth, binding)
        return


def _bind_name(sym: Expr, meaning: Expr, binding: Binding) -> None:
    if isinstance(sym, Sym) and key(sym) not in binding.symbols and binding.convention(sym) is None:
        binding.symbols[key(sym)] = Meaning(
            meaning,
            f"{sym_text(sym)} is the model's "
            f"{_node_name(meaning)} (from the statement of the network).",
        )


def _node_name(e: Expr) -> str:
    if isinstance(e, NodeRef):
        return e.node
    if isinstance(e, Transpose) and isinstance(e.operand, NodeRef):
        return f"{e.operand.node}ᵀ"
    return "quantity"


def _unify(e: Expr, layer: int, binding: Binding) -> None:
    """Match one layer ``act(W·below + b)`` of the author's expression; recurse below."""
    if layer < 1:
        return
    if isinstance(e, Call) and len(e.args) == 1:
        e = e.args[0]
    elif isinstance(e, Call):
        arg = _activation(e, {})[1]  # max(0, z): ReLU's argument
        e = arg if arg is not None else e
    else:
        e = _logistic_of(e) or e  # 1/(1 + e^{−z}): the logistic function's argument
    row = binding.model.spec.convention == "row"
    if isinstance(e, Add) and len(e.terms) == 2:
        affine, bias = e.terms
        if layer_has_bias(binding, layer):
            _bind_name(bias, NodeRef(f"b{layer}"), binding)
        e = affine
    if isinstance(e, Sum) and len(e.bounds) == 1 and isinstance(e.body, Mul):
        # Σ_n w_n a_n: a one-output layer written with its weights as a vector w = W_lᵀ
        factors = e.body.factors
        i = e.bounds[0].index
        entries = [f for f in factors if isinstance(f, Indexed) and f.indices == (i,)]
        if len(factors) == 2 and len(entries) == 2:
            w, below = entries[0].base, entries[1].base
            if _known(w, binding) and not _known(below, binding):
                w, below = below, w  # the weights are the factor not yet known
            _bind_name(w, Transpose(NodeRef(f"W{layer}")), binding)
            if layer > 1 and isinstance(below, Sym):
                _bind_name(below, NodeRef(f"a{layer - 1}"), binding)
        return
    if isinstance(e, Mul) and len(e.factors) == 2:
        first, second = e.factors
        weight, below = (second, first) if row else (first, second)
        if isinstance(weight, Transpose):
            _bind_name(weight.operand, Transpose(NodeRef(f"W{layer}")), binding)
        else:
            _bind_name(weight, NodeRef(f"W{layer}"), binding)
        if layer > 1 and isinstance(below, Sym):
            _bind_name(below, NodeRef(f"a{layer - 1}"), binding)
        _unify(below, layer - 1, binding)


def _known(e: Expr, binding: Binding) -> bool:
    return isinstance(e, Sym) and binding.resolve(e, set()) is not None


def layer_has_bias(binding: Binding, layer: int) -> bool:
    return any(lay.index == layer and lay.bias for lay in binding.model.spec.layers)


def checking_dims(spec: ModelSpec) -> Dims:
    """Small distinct sizes; a sigmoid output with binary cross-entropy has one output."""
    dims = default_dims(spec)
    if spec.loss == "bce" and spec.layers[-1].activation == "sigmoid":
        return Dims((*dims.sizes[:-1], 1), dims.batch)
    return dims


def usual_functions(spec: ModelSpec, binding: Binding) -> None:
    """σ (or φ) for the hidden activation and g for the output's, when the text is silent."""
    hidden = {layer.activation for layer in spec.layers[:-1]}
    usual = {"g": spec.layers[-1].activation, "sigma": "sigmoid"}  # σ: the logistic function
    if len(hidden) == 1:
        usual["phi"] = usual["varphi"] = next(iter(hidden))
    for name, act in usual.items():
        if name in binding.function_names:
            continue
        binding.function_names[name] = act
        binding.functions[name] = Meaning(
            Sym(name),
            f"{_fname(name)} is taken as the network's {act} (the text does not define it).",
        )


@dataclass(frozen=True)
class Statement:
    """The network as the text states it: its expression with the definitions expanded,
    and the name the text gives its output (``ŷ``, ``p``), if it names it."""

    expr: Expr
    output: Sym | None


def find_model(
    chains: list[Chain],
    options: CheckOptions,
    notes: list[tuple[Span | None, str]],
    assumptions: list[str],
    doc: Document,
) -> tuple[ModelSpec, str, dict[str, str], dict[str, str], Statement | None]:
    fn_names, fn_notes = _identify_functions(chains)
    # "f, the hyperbolic tangent": the text's word outranks a guess from the usual names or
    # from the author's own (possibly wrong) derivative of f
    for a in doc.assumptions:
        if a.kind == "activation" and re.fullmatch(r"[A-Za-z]+", a.subject):
            fn_names[a.subject] = a.value
            fn_notes[a.subject] = f"{a.subject} is the {a.value} (from the text)."
    if options.preset:
        return preset(options.preset), f"the preset {options.preset!r}", fn_names, fn_notes, None
    if options.model:
        spec = parse_spec(options.model, options.loss or "cross_entropy")
        loss, note = _find_loss(chains, spec.text(), fn_names)
        if loss == _NO_HALF and spec.loss == "mse":
            spec, _ = _with_loss(spec, loss, note, assumptions)
        # The text's own statement of that network, if it has one, names its parts.
        same = [
            c[4] for c in _candidates(chains, doc, dict(fn_names), {})
            if _same_network(c[2], spec)
        ]  # fmt: skip
        return spec, "the --model option", fn_names, fn_notes, same[0] if same else None
    candidates = _candidates(chains, doc, fn_names, fn_notes)
    chains = _with_layer_instances(chains)
    for named, _, text, source, statement in candidates:
        if not named:
            text, unstated = _unstated_output(chains, text, fn_names, doc.text)
            if unstated:
                assumptions.append(unstated)
        loss, loss_note = _find_loss(chains, text, fn_names, doc.text)
        try:
            spec = parse_spec(text, options.loss or _NAMED.get(loss, loss))
        except ChainruleError:
            continue
        if loss == _NO_HALF and spec.loss == "mse":
            spec, loss_note = _with_loss(spec, loss, loss_note, [])
        if loss_note:
            assumptions.append(loss_note)
        return spec, f"the problem statement, {source}", fn_names, fn_notes, statement
    raise ChainruleError(
        'found no network in the document: state it (e.g. "\\hat{y} = g(W_2\\sigma(W_1 x))"), '
        "or give the model (on the command line: --model 'yhat = softmax(W2 sigmoid(W1 x))' "
        "--loss cross_entropy, or --preset seed; on the web page: the model field)."
    )


def _with_layer_instances(chains: list[Chain]) -> list[Chain]:
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


def _unstated_output(
    chains: list[Chain], text: str, fn_names: dict[str, str], words: str
) -> tuple[str, str]:
    """A network read up to a pre-activation (``z = W₃h``) whose output the text never
    states (it answers a question that did): the output its loss needs — softmax under
    cross-entropy, sigmoid under binary cross-entropy, found by the loss's definition's
    value or by name — with the sentence saying so; else the text unchanged."""
    body = text.split("=", 1)[1].strip()
    if body.split("(", 1)[0] in ACTIVATION_CANDIDATES:
        return text, ""
    for act, loss in (("softmax", "cross_entropy"), ("sigmoid", "bce")):
        wrapped = f"yhat = {act}({body})"
        found = defined_loss(chains, wrapped, fn_names)
        if (found[0] if found else _loss_in_words(words, act)) == loss:
            return wrapped, (
                f"The output is taken as {act}({body.split(' ', 1)[0]} …), the output "
                f"{loss.replace('_', '-')} needs: the text does not state ŷ."
            )
    return text, ""


def _candidates(
    chains: list[Chain], doc: Document, fn_names: dict[str, str], fn_notes: dict[str, str]
) -> list[tuple[int, int, str, str, Statement]]:
    """Every statement of a network in the text, best first: ``(names the output, depth,
    spec text, where, statement)``. Functions named by their usual letters (σ, g) are added
    to ``fn_names``, with a note in ``fn_notes``."""
    chains = _with_layer_instances(chains)
    definitions = symbol_definitions(chains)
    candidates: list[tuple[int, int, str, str, Statement]] = []
    for chain in chains:
        lhs = chain.lhs.expr
        names_output = isinstance(lhs, Sym) and (
            (lhs.name in ("y", "Y") and lhs.accent == "hat")
            or (lhs.name in _OUTPUT_NAMES and not lhs.accent)
        )
        for side in (chain.lhs, *chain.rhs):
            expr, named = side.expr, lhs
            if expr is None or has_deriv(expr):
                continue
            entrywise = None
            if lhs is not None and side is not chain.lhs:
                entrywise = _softmax_of(lhs, expr) or _matrix_of(lhs, expr)
            if entrywise is not None:  # p_i = e^{z_i} / Σ_l e^{z_l}: p = softmax(z)
                named, expr = entrywise
            expanded = _expand(expr, definitions)
            if _spec_text(expanded, {**USUAL, **fn_names}) is None:
                continue
            for name in _functions_in(expanded):
                if name in USUAL and name not in fn_names:
                    act = USUAL[name]
                    fn_names[name] = act
                    fn_notes[name] = (
                        f"{_fname(name)} is taken as the {act} (its usual meaning; the text "
                        "does not define it)."
                    )
            text = _spec_text(expanded, fn_names)
            if text is not None:
                depth = text.count("W")
                line = doc.position(side.span.start).line
                where = f"line {line}: `{chain.lhs.source.strip()} = {side.source.strip()}`"
                if side is chain.lhs:
                    where = f"line {line}: `{side.source.strip()}`"
                output = named if isinstance(named, Sym) and side is not chain.lhs else None
                statement = Statement(expanded, output)
                candidates.append((int(names_output), depth, text, where, statement))
    # The output first, then the deepest network, then the one that wraps the others (``ŷ =
    # softmax(z₃)`` over ``z₃ = W₃a₂ + b₃``): its text is the longest.
    candidates.sort(key=lambda c: (-c[0], -c[1], -len(c[2])))
    return candidates


def _same_network(text: str, spec: ModelSpec) -> bool:
    """Whether a spec text states ``spec``'s network (whatever its loss)."""
    try:
        return parse_spec(text, spec.loss).text() == spec.text()
    except ChainruleError:
        return False


def _fname(name: str) -> str:
    return {"sigma": "σ", "phi": "φ", "varphi": "φ"}.get(name, name)


def _functions_in(e: Expr) -> set[str]:
    return {n.func for n in walk(e) if isinstance(n, Call)}


def _softmax_of(lhs: Expr, rhs: Expr) -> tuple[Sym, Expr] | None:
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


def _matrix_of(lhs: Expr, rhs: Expr) -> tuple[Sym, Expr] | None:
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
    """``e``, written for entry ``index`` of a vector, as the vector (see :func:`_matrix_of`)."""
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
            entrywise = _softmax_of(lhs, first) or _matrix_of(lhs, first)
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


def _expand(expr: Expr, definitions: dict[tuple[str, str, str], Expr], depth: int = 0) -> Expr:
    """Substitute defined names (``a_1 = σ(W_1 x)``) until only the network's own remain."""
    if depth > 20:
        return expr
    if isinstance(expr, Sym) and key(expr) in definitions and expr.name not in ("x", "X"):
        return _expand(definitions[key(expr)], definitions, depth + 1)
    if isinstance(expr, Call | Mul | Add | Div | Neg | Transpose):
        changes: dict[str, object] = {}
        for f in fields(expr):
            value = getattr(expr, f.name)
            if f.name == "span":
                continue
            if isinstance(value, Expr):
                changes[f.name] = _expand(value, definitions, depth + 1)
            elif isinstance(value, tuple) and value and all(isinstance(v, Expr) for v in value):
                changes[f.name] = tuple(_expand(v, definitions, depth + 1) for v in value)
        return replace(expr, **changes)  # type: ignore[arg-type]
    return expr


def _spec_text(e: Expr, fn_names: dict[str, str]) -> str | None:
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
    logistic = _logistic_of(e)
    if logistic is not None:  # 1/(1 + e^{−z}), written out
        inner = _layer_text(logistic, fn_names)
        return None if inner is None else (f"sigmoid({inner[0]})", inner[1])
    if isinstance(e, Call) and not e.prime:
        act, arg = _activation(e, fn_names)
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


def _logistic_of(e: Expr) -> Expr | None:
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


def _activation(e: Call, fn_names: dict[str, str]) -> tuple[str | None, Expr | None]:
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


def _identify_functions(chains: list[Chain]) -> tuple[dict[str, str], dict[str, str]]:
    """σ, g, … from their definitions, matched by value against the known activations."""
    names: dict[str, str] = {}
    sentences: dict[str, str] = {}
    probe_model = build_model(preset("seed"))
    rng = np.random.default_rng(5)
    z = tuple(float(v) for v in rng.normal(size=5) * 1.5)
    for chain in chains:
        lhs = chain.lhs.expr
        if not isinstance(lhs, Call) or len(lhs.args) != 1 or lhs.func in KNOWN_FUNCTIONS:
            continue
        arg = lhs.args[0]
        base = arg.base if isinstance(arg, Indexed) else arg
        if not isinstance(base, Sym) or lhs.func in names:
            continue
        binding = Binding(probe_model)
        binding.symbols[key(base)] = Meaning(Literal(z))
        binding.dims[("k", "", "")] = binding.dims[("n", "", "")] = 5
        leaves = probe_model.random_instance(0)
        probe = _Probe(binding, leaves)
        for side in chain.rhs:
            if side.expr is None:
                continue
            value = probe.eval(side.expr)
            if value is None:
                continue
            zz = np.asarray(z).reshape(-1, 1)
            for act in ACTIVATION_CANDIDATES:
                expected = softmax(zz, 0) if act == "softmax" else ELEMENTWISE[act][0](zz)
                if value.shape == expected.shape and np.allclose(value, expected, rtol=1e-9):
                    names[lhs.func] = act
                    sentences[lhs.func] = (
                        f"{_fname(lhs.func)} is the {act}: its definition "
                        f"`{side.source.strip()}` matches it on random inputs."
                    )
                    break
            if lhs.func in names:
                break
    return names, sentences


def _one_minus_something(e: Expr) -> bool:
    return isinstance(e, Add) and len(e.terms) == 2 and e.terms[0] == Num("1")


_LOSS_WORDS = (
    (re.compile(r"binary\s+cross[- ]?entropy|log(?:istic)?[- ]loss|entrop[ií]a\s+cruzada\s+"
                r"binaria|entropie\s+crois[ée]e\s+binaire|bin[äa]re\s+kreuzentropie", re.I),
     "bce"),
    (re.compile(r"cross[- ]?entropy|log[- ]likelihood|entrop[ií]a\s+cruzada|entropie\s+"
                r"crois[ée]e|kreuzentropie", re.I), "cross_entropy"),
    (re.compile(r"squared[- ]error|sum[- ]of[- ]squares|quadratic\s+(?:cost|loss)|\bMSE\b|"
                r"\bL2\s+loss|error\s+cuadr[aá]tico|erro\s+quadr[aá]tico|erreur\s+"
                r"quadratique", re.I), "mse"),
)  # fmt: skip
"""Losses named in words, most specific first."""


def _loss_in_words(text: str, out_act: str) -> str | None:
    """The loss the prose names, if it names one that fits the output."""
    for pattern, loss in _LOSS_WORDS:
        if pattern.search(text):
            if loss == "cross_entropy" and out_act == "sigmoid":
                return "bce"  # cross-entropy on a sigmoid output is its binary form
            if loss == "bce" and out_act == "softmax":
                return None
            return loss
    return None


def _find_loss(
    chains: list[Chain], spec_text: str, fn_names: dict[str, str], text: str = ""
) -> tuple[str, str]:
    """The loss from a definition ``L = …`` (by value, or by pattern with a note), else from
    the words of the text, else the usual pairing with the output."""
    found = defined_loss(chains, spec_text, fn_names)
    if found is not None:
        return found
    out_act = spec_text.split("=", 1)[1].strip().split("(", 1)[0]
    if out_act not in ACTIVATION_CANDIDATES:
        out_act = "identity"
    named = _loss_in_words(text, out_act)
    if named is not None:
        return named, f"The loss is taken to be {named.replace('_', '-')}, as the text names it."
    default = {"softmax": "cross_entropy", "sigmoid": "bce"}.get(out_act, "mse")
    return default, (
        f"The loss is taken to be {default.replace('_', '-')}, the usual pairing with "
        f"{'a linear' if out_act == 'identity' else 'a ' + out_act} output (the text does not "
        "define it)."
    )


def defined_loss(
    chains: list[Chain], spec_text: str, fn_names: dict[str, str]
) -> tuple[str, str] | None:
    """The loss a definition ``L = …`` in the text gives, with a note; None if none does."""
    for chain in chains:
        lhs = chain.lhs.expr
        is_loss = (
            (isinstance(lhs, Sym) and lhs.name in ("L", "J", "E") and not lhs.layer)
            or (isinstance(lhs, Call) and lhs.func in ("L", "J", "E"))
            or (
                isinstance(lhs, Mul)
                and isinstance(lhs.factors[0], Sym)
                and lhs.factors[0].name == "L"
            )
        )
        if not is_loss:
            continue
        for side in chain.rhs:
            if side.expr is None:
                continue
            found = _loss_by_value(side.expr, spec_text, fn_names)
            if found:
                return found, ""
            pattern = _loss_by_pattern(side.expr)
            if pattern:
                return pattern[0], pattern[1].replace("`…`", f"`{side.source.strip()}`")
    return None


_NO_HALF = "mse without the 1/2"
"""A squared error defined without MSE's ½ (``L = ‖ŷ − y‖²``): the mse loss, scaled by 2."""
_NAMED = {_NO_HALF: "mse"}


def _with_loss(
    spec: ModelSpec, loss: str, note: str, assumptions: list[str]
) -> tuple[ModelSpec, str]:
    """``spec`` with the document's squared error without the ½, and the sentence saying so."""
    sentence = (
        "The loss is the squared error without the ½ the text defines (L = ‖ŷ − y‖²), so "
        "every derivative is twice the usual MSE one."
    )
    assumptions.append(sentence)
    return replace(spec, loss_scale=2.0), sentence


def _true_losses(yhat: np.ndarray, y: np.ndarray) -> dict[str, float]:
    with np.errstate(all="ignore"):  # an unbounded output has no log loss: NaN, never equal
        return {
            "cross_entropy": float(-(y * np.log(yhat)).sum()),
            "mse": float(0.5 * ((yhat - y) ** 2).sum()),
            _NO_HALF: float(((yhat - y) ** 2).sum()),
            "bce": float(-(y * np.log(yhat) + (1 - y) * np.log(1 - yhat)).sum()),
        }


def _loss_by_value(expr: Expr, spec_text: str, fn_names: dict[str, str]) -> str | None:
    model = None
    for probe_loss in ("cross_entropy", "mse"):  # any loss the output allows: only ŷ is used
        try:
            model = build_model(parse_spec(spec_text, probe_loss))
            break
        except ChainruleError:
            continue
    if model is None:
        return None
    binding = Binding(model)
    binding.function_names.update(fn_names)
    if model.dims.batch is not None:  # L = (1/2m) ‖Ŷ − Y‖²: m is the batch size
        for name in ("m", "N", "B"):
            binding.dims[(name, "", "")] = model.dims.batch
    leaves = model.random_instance(3)
    probe = _Probe(binding, leaves)
    value = probe.eval(expr)
    if value is None or value.size != 1:
        return None
    values = probe.values
    per = model.dims.batch or 1  # a batch's loss is the mean over its m examples
    for name, v in _true_losses(np.real(values["yhat"]), leaves["y"]).items():
        if math.isclose(float(value.reshape(())), v / per, rel_tol=1e-9):
            return name
    return None


def _loss_by_pattern(expr: Expr) -> tuple[str, str] | None:
    nodes = walk(expr)
    logs = [n for n in nodes if isinstance(n, Call) and n.func == "log"]
    if any(_one_minus_something(n.args[0]) for n in logs if len(n.args) == 1):
        return "bce", (
            "read the loss `…` as binary cross-entropy: it has the log of 1 minus the output."
        )
    has_log = bool(logs)
    free_logs = [
        n for n in logs if len(n.args) == 1 and isinstance(n.args[0], Indexed)
        and len(n.args[0].indices) == 1 and n.args[0].indices[0].isalpha()
    ]  # fmt: skip
    if isinstance(expr, Neg) and free_logs and not any(isinstance(n, Sum) for n in nodes):
        index = free_logs[0].args[0].indices[0]  # type: ignore[attr-defined]
        return "cross_entropy", (
            f"read the loss `…` as −log ŷ_{index}, the log-likelihood of the true class "
            f"{index} (cross-entropy)."
        )
    has_sum = [n for n in nodes if isinstance(n, Sum)]
    if has_log and has_sum:
        s = has_sum[0]
        index = s.bounds[0].index
        used = {i for n in walk(s.body) if isinstance(n, Indexed) for i in n.indices}
        if index not in used:
            return "cross_entropy", (
                f"read the loss `…` as −Σ_{index} y_{index} log ŷ_{index} (cross-entropy): "
                f"the sum's index {index} does not appear in its body, so y and ŷ are read "
                f"as their {index}-th entries."
            )
    return None
