"""The network a document states, and the names it gives its parts.

Owns choosing which statement in the text is the network (``\\hat{y} =
g(W_3\\sigma(W_2\\sigma(W_1x)))``, possibly through definitions such as ``a_1 = \\sigma(W_1
x)``; the output first, then the deepest, then the one that wraps the others; an output the
text never states is the one its loss needs), identifying σ, g, … by *evaluating* their
definitions and matching the values against the known activations (else their usual
meaning, stated), and the author's names for parameters read off the statement (``ŷ =
σ(wᵀh + c)``: w is W₂ᵀ, c is b₂). How an expression reads as a network is
:mod:`chainrule.bind.network_text`'s; the loss is :mod:`chainrule.bind.loss_text`'s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from chainrule.bind.binding import KNOWN_FUNCTIONS, Binding, Meaning
from chainrule.bind.loss_text import (
    NAMED_LOSSES,
    NO_HALF,
    Probe,
    defined_loss,
    find_loss,
    loss_in_words,
    with_loss,
)
from chainrule.bind.network_text import (
    ACTIVATION_CANDIDATES,
    USUAL,
    activation_of,
    expand_names,
    has_deriv,
    logistic_of,
    matrix_of,
    softmax_of,
    spec_text,
    symbol_definitions,
    with_layer_instances,
)
from chainrule.bind.options import CheckOptions
from chainrule.bind.refs import Literal, NodeRef, key, sym_text
from chainrule.errors import ChainruleError
from chainrule.evaluate.functions import ELEMENTWISE, softmax
from chainrule.model.graph import Dims, build_model, default_dims
from chainrule.model.spec import ModelSpec, parse_spec, preset
from chainrule.reader.ast import (
    Add,
    Call,
    Expr,
    Indexed,
    Mul,
    Span,
    Sum,
    Sym,
    Transpose,
    walk,
)
from chainrule.reader.claims import Chain, Document

_OUTPUT_NAMES = frozenset({"yhat", "Yhat", "y_hat", "Y_hat", "output", "out", "probs"})
"""Names for the network's output written without an accent (``yhat = softmax(z3)``)."""


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
                _unify(expand_names(side.expr, definitions), spec.depth, binding)
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
        arg = activation_of(e, {})[1]  # max(0, z): ReLU's argument
        e = arg if arg is not None else e
    else:
        e = logistic_of(e) or e  # 1/(1 + e^{−z}): the logistic function's argument
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
        loss, note = find_loss(chains, spec.text(), fn_names)
        if loss == NO_HALF and spec.loss == "mse":
            spec, _ = with_loss(spec, loss, note, assumptions)
        # The text's own statement of that network, if it has one, names its parts.
        found = with_layer_instances(chains)
        same = [
            c.statement for c in _candidates(found, doc, dict(fn_names), {})
            if _same_network(c.text, spec)
        ]  # fmt: skip
        return spec, "the --model option", fn_names, fn_notes, same[0] if same else None
    chains = with_layer_instances(chains)
    for candidate in _candidates(chains, doc, fn_names, fn_notes):
        text, source, statement = candidate.text, candidate.where, candidate.statement
        if not candidate.names_output:
            text, unstated = _unstated_output(chains, text, fn_names, doc.text)
            if unstated:
                assumptions.append(unstated)
        loss, loss_note = find_loss(chains, text, fn_names, doc.text)
        try:
            spec = parse_spec(text, options.loss or NAMED_LOSSES.get(loss, loss))
        except ChainruleError:
            continue
        if loss == NO_HALF and spec.loss == "mse":
            spec, loss_note = with_loss(spec, loss, loss_note, [])
        if loss_note:
            assumptions.append(loss_note)
        return spec, f"the problem statement, {source}", fn_names, fn_notes, statement
    raise ChainruleError(
        'found no network in the document: state it (e.g. "\\hat{y} = g(W_2\\sigma(W_1 x))"), '
        "or give the model (on the command line: --model 'yhat = softmax(W2 sigmoid(W1 x))' "
        "--loss cross_entropy, or --preset seed; on the web page: the model field)."
    )


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
        if (found[0] if found else loss_in_words(words, act)) == loss:
            return wrapped, (
                f"The output is taken as {act}({body.split(' ', 1)[0]} …), the output "
                f"{loss.replace('_', '-')} needs: the text does not state ŷ."
            )
    return text, ""


@dataclass(frozen=True)
class _Candidate:
    """One statement of a network in the text: whether its left side names the output, its
    depth, its spec text, where it is (for the report) and the statement itself."""

    names_output: bool
    depth: int
    text: str
    where: str
    statement: Statement


def _candidates(
    chains: list[Chain], doc: Document, fn_names: dict[str, str], fn_notes: dict[str, str]
) -> list[_Candidate]:
    """Every statement of a network in ``chains`` (with their general-layer instances),
    best first. Functions named by their usual letters (σ, g) are added to ``fn_names``,
    with a note in ``fn_notes``."""
    definitions = symbol_definitions(chains)
    candidates: list[_Candidate] = []
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
                entrywise = softmax_of(lhs, expr) or matrix_of(lhs, expr)
            if entrywise is not None:  # p_i = e^{z_i} / Σ_l e^{z_l}: p = softmax(z)
                named, expr = entrywise
            expanded = expand_names(expr, definitions)
            if spec_text(expanded, {**USUAL, **fn_names}) is None:
                continue
            for name in _functions_in(expanded):
                if name in USUAL and name not in fn_names:
                    act = USUAL[name]
                    fn_names[name] = act
                    fn_notes[name] = (
                        f"{_fname(name)} is taken as the {act} (its usual meaning; the text "
                        "does not define it)."
                    )
            text = spec_text(expanded, fn_names)
            if text is not None:
                depth = text.count("W")
                line = doc.position(side.span.start).line
                where = f"line {line}: `{chain.lhs.source.strip()} = {side.source.strip()}`"
                if side is chain.lhs:
                    where = f"line {line}: `{side.source.strip()}`"
                output = named if isinstance(named, Sym) and side is not chain.lhs else None
                statement = Statement(expanded, output)
                candidates.append(_Candidate(names_output, depth, text, where, statement))
    # The output first, then the deepest network, then the one that wraps the others (``ŷ =
    # softmax(z₃)`` over ``z₃ = W₃a₂ + b₃``): its text is the longest.
    candidates.sort(key=lambda c: (not c.names_output, -c.depth, -len(c.text)))
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
        probe = Probe(binding, leaves)
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
