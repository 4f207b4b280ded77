"""Bind a read document: its model, definitions, conventions, prose and claims.

``bind_document`` runs the binding stage: the model (``bind.statement``), dimension symbols
from memberships (``W_1 \\in \\mathbb{R}^{d_1 \\times d}``), the conventions the reader found in
words (the label index, the Kronecker delta and its contradictions, the target's letter, a name
for a result, the summation convention, numerator layout), the author's definitions matched to
model nodes by value on two instances, and which chains are claims to judge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import numpy as np

from chainrule.bind.binding import Binding, Meaning, at_layer
from chainrule.bind.einstein import free_indices, with_implicit_sums
from chainrule.bind.loss_text import defined_loss
from chainrule.bind.network_text import has_deriv
from chainrule.bind.options import CheckOptions
from chainrule.bind.refs import Const, EntryDef, NodeRef, key, sym_text
from chainrule.bind.statement import (
    checking_dims,
    find_model,
    unify_statement,
    usual_functions,
)
from chainrule.errors import ChainruleError
from chainrule.evaluate.evaluator import Evaluator, Scope
from chainrule.evaluate.tensor import EvalError
from chainrule.model.graph import Model, build_model, parse_dims
from chainrule.reader.ast import (
    Add,
    Call,
    Deriv,
    Expr,
    Indexed,
    Mul,
    Neg,
    Num,
    Span,
    Sum,
    Sym,
    walk,
)
from chainrule.reader.claims import Chain, Document
from chainrule.reader.parse import parse_math


@dataclass
class BoundDocument:
    """A document with its model and binding, ready to judge."""

    model: Model
    model_source: str
    binding: Binding
    claims: list[tuple[int, Chain]]
    assumptions: list[str] = field(default_factory=list)
    notes: list[tuple[Span | None, str]] = field(default_factory=list)


ERROR_NAMES = ("delta", "Delta", "dZ", "dz", "dW", "db", "dA", "da")
"""Names whose equations are claims about gradients: δ⁽ˡ⁾ and deeplearning.ai's dZ, dW, …"""


def is_claim(chain: Chain) -> bool:
    """A chain to judge: its left side is a derivative (or an error signal δ⁽ˡ⁾)."""
    lhs = chain.lhs.expr
    if lhs is None:
        return any(s.expr is not None and has_deriv(s.expr) for s in chain.rhs)
    if has_deriv(lhs):
        return True
    if isinstance(lhs, Call) and lhs.prime:
        return True  # "σ′(z) = a ⊙ (1 − a)", "tanh′ = 1 − tanh²": a claim about a derivative
    if is_update(chain):
        return True  # "W₂ ← W₂ − η ∂L/∂W₂": an SGD update, checked against the true gradient
    if chain.intro in ("let", "where", ":="):
        return False  # "Let δ₁ = …": the author's own name, not a claim
    if len(chain.rhs) == 1 and isinstance(chain.rhs[0].expr, Deriv):
        return False  # "δ₁ = ∂J/∂θ" names a derivative: a definition
    base = lhs.base if isinstance(lhs, Indexed) else lhs
    gradient_name = isinstance(base, Sym) and (
        (base.name in ERROR_NAMES and bool(base.layer)) or _code_gradient_name(base.name)
    )
    return gradient_name and (
        chain.intro == "" or any(s.expr is not None and has_deriv(s.expr) for s in chain.rhs)
    )


def _derivative_families(
    chains: list[Chain], binding: Binding
) -> dict[tuple[str, str], tuple[str, Expr, str]]:
    """``E_ℓ := m ∂L/∂Z_ℓ``, ``g^{(l)} = ∂L/∂u^{(l)}``: a name without a meaning of its own
    (not δ, dZ, z, a …) defined as a derivative for a general layer — its uses at concrete
    layers (``E_3 = Ŷ − Y``) are claims about it."""
    out: dict[tuple[str, str], tuple[str, Expr, str]] = {}
    for chain in chains:
        lhs, first = chain.lhs.expr, chain.rhs[0] if chain.rhs else None
        if first is None or first.expr is None or not has_deriv(first.expr):
            continue
        named = _family_name(lhs, binding)
        if named is None or named[1] == "L" or named[0].name.startswith("d"):
            continue
        base, variable = named
        out[(base.name, base.accent)] = (variable, first.expr, first.source.strip())
    return out


def _family_name(name: Expr | None, binding: Binding) -> tuple[Sym, str] | None:
    """``g_ℓ``, ``g^{(l)}``: a name for a general layer (its base and layer letter), when the
    name means nothing of its own at a concrete layer."""
    if (
        isinstance(name, Indexed)
        and isinstance(name.base, Sym)
        and len(name.indices) == 1
        and not name.base.layer  # δ_{3_m} is an entry of δ₃, not a family
    ):
        base, variable = name.base, name.indices[0]
    elif isinstance(name, Sym):
        base, variable = name, name.layer
    else:
        return None
    if not variable.isalpha() or binding.convention(replace(base, layer="1")) is not None:
        return None
    return base, variable


def _families_in_words(
    doc: Document, binding: Binding
) -> dict[tuple[str, str], tuple[str, Expr, str]]:
    """A name defined in words ("g_ℓ denotes the gradient of the loss with respect to u_ℓ"):
    the family g_ℓ = ∂L/∂u_ℓ."""
    from chainrule.reader.parse import parse_math  # the reader's expression parser

    out: dict[tuple[str, str], tuple[str, Expr, str]] = {}
    for a in doc.assumptions:
        if a.kind != "gradient":
            continue
        try:
            name, wrt = parse_math(a.subject).expr, parse_math(a.value).expr
        except ChainruleError:
            continue
        named = _family_name(name, binding)
        if named is not None:
            base, variable = named
            deriv = Deriv(Sym("L"), wrt)
            out[(base.name, base.accent)] = (variable, deriv, f"∂L/∂{a.value} (from the text)")
    return out


def _of_family(chain: Chain, binding: Binding) -> bool:
    """``E_3 = Ŷ − Y`` where ``E_ℓ`` names a derivative: a claim about E₃."""
    lhs = chain.lhs.expr
    return (
        isinstance(lhs, Sym) and lhs.layer.isdigit() and (lhs.name, lhs.accent) in binding.families
    )


def _named_claim(chain: Chain) -> list[Chain]:
    """``g₃ = ∂L/∂z₃ = p − y`` or ``J₃ := ∂ŷ/∂a₂ = W₃``: a name for a derivative, then a
    claim about the derivative. The name is a definition (bound as any other); the rest,
    ``∂L/∂z₃ = p − y``, is judged."""
    if len(chain.rhs) < 2:
        return []
    named = chain.rhs[0]
    if named.expr is None or not has_deriv(named.expr):
        return []
    return [Chain(named, chain.rhs[1:], "", chain.block)]


def _code_gradient_name(name: str) -> bool:
    """``dscores``, ``dX``: a ``d`` glued to a name, as code-style notes name gradients."""
    return len(name) >= 2 and name[0] == "d" and name[1:].isalpha() and name not in ("diag",)


LEARNING_RATES = ("eta", "alpha", "lambda", "epsilon", "lr", "gamma")


def is_update(chain: Chain) -> bool:
    """``W ← W − η ∇L`` (or with ``:=``): a parameter, and the same parameter on the right
    next to a learning rate."""
    lhs = chain.lhs.expr
    if not isinstance(lhs, Sym) or lhs.name not in ("W", "b", "w", "theta") or lhs.accent:
        return False
    for side in chain.rhs:
        if side.expr is None:
            continue
        names = list(walk(side.expr))
        if lhs in names and any(isinstance(n, Sym) and n.name in LEARNING_RATES for n in names):
            return True
    return False


def is_update_truth(chain: Chain) -> bool:
    """A chain whose left side ``update_claim`` replaced by ``W − η ∂L/∂W``."""
    lhs = chain.lhs.expr
    return isinstance(lhs, Add) and len(lhs.terms) == 2 and isinstance(lhs.terms[1], Neg)


def update_claim(chain: Chain) -> Chain:
    """An update ``W ← W − η·(…)`` as the claim it makes: the right side equals
    ``W − η ∂L/∂W`` with the true gradient (η any number: it is bound to 0.1)."""
    lhs = chain.lhs.expr
    if not is_update(chain) or not isinstance(lhs, Sym):
        return chain
    rate = next(
        n
        for side in chain.rhs
        if side.expr is not None
        for n in walk(side.expr)
        if isinstance(n, Sym) and n.name in LEARNING_RATES
    )
    truth = Add((lhs, Neg(Mul((rate, Deriv(Sym("L"), lhs))))))
    return replace(chain, lhs=replace(chain.lhs, expr=truth))


def bind_document(doc: Document, options: CheckOptions) -> BoundDocument:
    """The model, binding and claims of ``doc`` under ``options``."""
    notes: list[tuple[Span | None, str]] = []
    assumptions: list[str] = []
    chains = list(doc.chains)
    spec, source, fn_names, fn_notes, statement = find_model(
        chains, options, notes, assumptions, doc
    )
    assumptions[:0] = list(fn_notes.values())  # how σ and g were identified comes first
    dims = parse_dims(options.dims, spec) if options.dims else checking_dims(spec)
    model = build_model(spec, dims)
    binding = Binding(model)
    binding.function_names.update(fn_names)
    for name, sentence in fn_notes.items():
        binding.functions[name] = Meaning(Sym(name), sentence)
    binding.function_names.setdefault("f", "network")
    usual_functions(spec, binding)
    binding.numerator_declared = any(a.kind == "numerator_layout" for a in doc.assumptions)
    binding.half_open = (
        spec.loss == "mse"
        and spec.loss_scale == 1.0
        and defined_loss(chains, spec.text(), fn_names) is None
    )
    unify_statement(chains, binding, statement)
    _bind_dims(doc, binding)
    _bind_prose(doc, binding, options, notes, assumptions)
    _bind_result_names(doc, binding)
    _bind_target_name(doc, binding)
    binding.writes_sums = any(
        isinstance(node, Sum) for c in chains for side in (c.lhs, *c.rhs) if side.expr is not None
        for node in walk(side.expr)
    )  # fmt: skip
    if any(a.kind == "summation" for a in doc.assumptions):
        chains = _with_implicit_sums(chains, binding, assumptions)
    binding.families.update(_derivative_families(chains, binding))
    binding.families.update(_families_in_words(doc, binding))
    _bind_definitions(chains, binding, options, notes, assumptions)
    _bind_general_definitions(chains, binding, assumptions)
    claims = [
        (i, claim)
        for i, c in enumerate(chains)
        for claim in (
            [update_claim(c)] if is_claim(c) or _of_family(c, binding) else _named_claim(c)
        )
    ]
    for _, chain in claims:
        if is_update_truth(chain):
            rate = chain.lhs.expr.terms[1].operand.factors[0]  # type: ignore[union-attr]
            if isinstance(rate, Sym) and key(rate) not in binding.symbols:
                binding.symbols[key(rate)] = Meaning(
                    Const(0.1, "η"), f"{sym_text(rate)} is a learning rate (checked at 0.1)."
                )
    _infer_label_index(claims, binding, assumptions)
    return BoundDocument(model, source, binding, claims, assumptions, notes)


# -- the model ------------------------------------------------------------------------------


# -- dims, prose, definitions ---------------------------------------------------------------
def _bind_dims(doc: Document, binding: Binding) -> None:
    model = binding.model
    sizes = model.dims.sizes
    depth = model.spec.depth
    binding.dims.setdefault(("k", "", ""), sizes[-1])
    binding.dims.setdefault(("d", "", ""), sizes[0])
    binding.dims.setdefault(("K", "", ""), sizes[-1])
    for layer in range(1, depth):
        binding.dims.setdefault(("d", "", str(layer)), sizes[layer])
        binding.dims.setdefault(("n", "", str(layer)), sizes[layer])
    if model.dims.batch is not None:
        for name in ("m", "N", "B"):  # the mini-batch size, by its usual names
            binding.dims.setdefault((name, "", ""), model.dims.batch)
    for a in doc.assumptions:
        if a.kind != "dims":
            continue
        node = _node_of_subject(a.subject, model)
        if node is None:
            continue
        parts = [p.strip() for p in re.split(r"\\times|×|\bx\b", a.value) if p.strip()]
        shape = model.shape(node)
        if len(parts) != len(shape):
            continue
        for text, size in zip(parts, shape, strict=True):
            sym = _dim_symbol(text)
            if sym is not None:
                binding.dims[sym] = size


def _dim_symbol(text: str) -> tuple[str, str, str] | None:
    m = re.fullmatch(r"\s*([A-Za-z])\s*(?:_\s*\{?\s*(\w+)\s*\}?)?\s*", text)
    if not m:
        return None
    return (m.group(1), "", m.group(2) or "")


def _node_of_subject(subject: str, model: Model) -> str | None:
    m = re.fullmatch(r"\s*([A-Za-z])\s*(?:_\s*\{?\s*(\d+)\s*\}?|(\d+))?\s*", subject)
    if not m:
        return None
    name = m.group(1) + (m.group(2) or m.group(3) or "")
    try:
        return model.canonical(name)
    except KeyError:
        return None


def _bind_prose(
    doc: Document,
    binding: Binding,
    options: CheckOptions,
    notes: list[tuple[Span | None, str]],
    assumptions: list[str],
) -> None:
    if options.label_index:
        binding.label_indices.add(options.label_index)
        assumptions.append(
            f"{options.label_index} is the index of the true class (y_{options.label_index} = 1)"
            " — from --label-index."
        )
    for a in doc.assumptions:
        if a.kind == "label_index" and a.subject not in binding.label_indices:
            binding.label_indices.add(a.subject)
            assumptions.append(
                f"{a.subject} is the index of the true class, so y_{a.subject} = 1 and "
                f"y_i = 0 for i ≠ {a.subject} (from the text)."
            )
        if a.kind == "kronecker":
            _kronecker_note(a.value, a.sentence, a.span, notes)
        if a.kind == "mean_gradients" and binding.model.dims.batch is not None:
            # "dQ means dJ/dQ": the batch's dZ, dA are the mean cost's, from the start
            binding.per_example, binding.per_example_settled = False, True
            assumptions.append(
                "dZ, dA … are derivatives of the mean cost J, with the 1/m inside (the text "
                "says dQ means dJ/dQ)."
            )


def _with_implicit_sums(
    chains: list[Chain], binding: Binding, assumptions: list[str]
) -> list[Chain]:
    """The chains with every index a product repeats written as a sum (the text declares
    Einstein's convention); the left-hand side's free indices and label indices stay free."""
    out = []
    for chain in chains:
        lhs = chain.lhs.expr
        keep = frozenset((free_indices(lhs) if lhs is not None else set()) | binding.label_indices)
        sides = tuple(
            side if side.expr is None else replace(side, expr=with_implicit_sums(side.expr, keep))
            for side in chain.rhs
        )
        out.append(chain if sides == chain.rhs else replace(chain, rhs=sides))
    if out != chains:
        assumptions.append(
            "An index repeated in a product is summed over, as the text says (Einstein's "
            "summation convention); the indices of the left-hand side stay free."
        )
    return out


def _bind_result_names(doc: Document, binding: Binding) -> None:
    """ "… = diag(1 − h ⊙ h) W₂ᵀ r. Call that $g$": g is the derivative the chain just
    before the words is about (its left-hand side), when g has no other meaning."""
    for a in doc.assumptions:
        if a.kind != "result_name":
            continue
        try:
            sym = parse_math(a.subject).expr
        except ChainruleError:
            continue
        before = [c for c in doc.chains if c.lhs.span.start < a.span.start]
        if not isinstance(sym, Sym) or not before or key(sym) in binding.symbols:
            continue
        lhs = before[-1].lhs.expr
        if isinstance(lhs, Deriv) and binding.convention(sym) is None:
            binding.symbols[key(sym)] = Meaning(
                lhs, f"{sym_text(sym)} is {before[-1].lhs.source.strip()} (the text names it so)."
            )


def _bind_target_name(doc: Document, binding: Binding) -> None:
    """ "the target t is a vector": t is the label y (when t has no other meaning)."""
    for a in doc.assumptions:
        sym = Sym(a.subject)
        if a.kind != "target" or a.subject in ("y", "x") or key(sym) in binding.symbols:
            continue
        if binding.convention(sym) is None:
            binding.symbols[key(sym)] = Meaning(
                NodeRef("y"), f"{a.subject} is the target y (the text says so)."
            )
            return


def _kronecker_note(
    value: str, sentence: str, span: Span, notes: list[tuple[Span | None, str]]
) -> None:
    """Note prose that contradicts δ's definition ("δ_mn … equals 1 if n = j")."""
    letters = re.findall(r"[A-Za-z]", value)
    cond = re.search(r"1\s*(?:if|when|whenever)\s*\$?\s*([A-Za-z])\s*=\s*([A-Za-z])", sentence)
    if len(letters) != 2 or cond is None or set(cond.groups()) == set(letters):
        return
    i, j = letters
    notes.append(
        (
            span,
            f"the text says δ_{i}{j} equals 1 if {cond.group(1)} = {cond.group(2)}, but the "
            f"Kronecker delta δ_{i}{j} is 1 when {i} = {j}; chainrule reads δ_{i}{j} as the "
            "Kronecker delta (not counted against the derivation).",
        )
    )


def _bind_definitions(
    chains: list[Chain],
    binding: Binding,
    options: CheckOptions,
    notes: list[tuple[Span | None, str]],
    assumptions: list[str],
) -> None:
    items: list[tuple[Expr, Expr, str]] = []
    for text in options.defines:
        from chainrule.reader.parse import parse_math  # the reader's expression parser

        if "=" not in text:
            raise ChainruleError(f"--define {text!r} needs the form 'name = expression'.")
        left, right = text.split("=", 1)
        items.append((parse_math(left).expr, parse_math(right).expr, f"--define {text.strip()}"))
    for chain in chains:
        lhs = chain.lhs.expr
        if lhs is None or is_claim(chain) or has_deriv(lhs) or _of_family(chain, binding):
            continue
        base = lhs.base if isinstance(lhs, Indexed) else lhs
        if not isinstance(base, Sym) or not chain.rhs or chain.rhs[0].expr is None:
            continue
        rhs0 = chain.rhs[0].expr
        assert rhs0 is not None
        items.append((lhs, rhs0, chain.rhs[0].source.strip()))
    model = binding.model
    runs = _runs(model, (99, 98))
    for lhs, rhs, source in items:
        base = lhs.base if isinstance(lhs, Indexed) else lhs
        if not isinstance(base, Sym):
            continue
        if (
            isinstance(rhs, Num)
            and rhs.text.isdigit()
            and int(rhs.text) > 1
            and not source.startswith("--define")
        ):
            continue  # `d = 784`, `K = 10`: a size in the text's own setting, not a quantity
        own_name = base.name in ("x", "y", "L", "J", "E", "W", "b") or base.accent == "hat"
        if own_name and binding.convention(base) is not None and key(base) not in binding.symbols:
            continue  # the problem's own names are not redefined
        candidates = _nodes_by_value(binding, runs, lhs, rhs)
        if candidates:
            binding.symbols[key(base)] = Meaning(NodeRef(candidates[0]))
        elif (candidates is None or _layer_quantity(base)) and binding.convention(base) is not None:
            # `Z₁ = X W₁ + 𝟏b₁ᵀ` that chainrule cannot evaluate (or reads as something that
            # is no quantity of the network): Z₁ keeps its meaning, the network's Z₁
            continue
        elif key(base) not in binding.symbols and not (
            isinstance(lhs, Indexed) and len(lhs.indices) > 1
        ):
            # (An entry-by-entry matrix definition that matched no node by value says
            # nothing usable: its name keeps any conventional meaning it has.)
            meaning: Expr = rhs
            if isinstance(lhs, Indexed) and len(lhs.indices) == 1:
                meaning = EntryDef(rhs, lhs.indices[0])  # e_m = ŷ_m − y_m defines all of e
            binding.symbols[key(base)] = Meaning(
                meaning, f"{sym_text(base)} is {source} (the author's definition)."
            )


def _layer_quantity(sym: Sym) -> bool:
    """``Z₁``, ``a₂``, ``H₃``: a layer's pre-activation or activation by its usual name."""
    return bool(sym.layer) and sym.name in ("z", "Z", "a", "A", "h", "H", "u", "U")


def _bind_general_definitions(
    chains: list[Chain], binding: Binding, assumptions: list[str]
) -> None:
    """``a^{(k)} = b^{(k)} + W^{(k)} h^{(k−1)}`` (Goodfellow's a is a pre-activation): a
    definition for a general layer, tried at every layer and bound by value where it names a
    node of the network — so the author's a⁽²⁾ is z₂ here, whatever a usually means."""
    model = binding.model
    runs = _runs(model, (97, 96))
    for chain in chains:
        lhs = chain.lhs.expr
        if not isinstance(lhs, Sym) or not chain.rhs or chain.rhs[0].expr is None:
            continue
        label = lhs.layer
        if not re.fullmatch(r"[a-zA-Zℓ]", label) or label == "L" or has_deriv(chain.rhs[0].expr):
            continue
        bound = []
        for layer in range(1, model.spec.depth + 1):
            rhs = at_layer(chain.rhs[0].expr, label, layer)
            target = replace(lhs, layer=str(layer))
            found = _nodes_by_value(binding, runs, target, rhs)
            if found and key(target) not in binding.symbols:
                node = found[0]
                binding.symbols[key(target)] = Meaning(NodeRef(node))
                bound.append(f"{sym_text(target)} = {node}")
        if bound:
            assumptions.append(
                f"{chain.lhs.source.strip()} = {chain.rhs[0].source.strip()} at every layer: "
                + ", ".join(bound)
                + " (the author's definition, matched by value)."
            )


_Run = tuple[dict[str, np.ndarray], dict[str, np.ndarray]]


def _runs(model: Model, seeds: tuple[int, ...]) -> list[_Run]:
    """Random instances of the network's leaves, each with its forward pass."""
    return [(leaves, model.forward(leaves)) for leaves in map(model.random_instance, seeds)]


def _nodes_by_value(binding: Binding, runs: list[_Run], lhs: Expr, rhs: Expr) -> list[str] | None:
    """The network's nodes (in the model's order) equal to the definition ``lhs = rhs`` on
    every run; None when its right side cannot be evaluated."""
    found: set[str] | None = None
    for leaves, values in runs:
        data = _definition_value(binding, leaves, values, lhs, rhs)
        if data is None:
            return None
        matches = set(_matches(values, data, binding.model))
        found = matches if found is None else found & matches
    return [n for n in binding.model.nodes if found and n in found]


def _definition_value(
    binding: Binding,
    leaves: dict[str, np.ndarray],
    values: dict[str, np.ndarray],
    lhs: Expr,
    rhs: Expr,
) -> np.ndarray | None:
    """The value of a definition's right side as a flat array (None: not evaluable)."""
    ev = Evaluator(binding, leaves, values, Scope())
    try:
        t = ev.eval(rhs)
    except (EvalError, ArithmeticError, ValueError):
        return None
    data = np.asarray(t.data)
    if isinstance(lhs, Indexed):
        # e_m = …, or P_{ki} = exp(Z_{ki}) / Σ_c exp(Z_{ci}): every entry, laid out in the
        # order of the left side's indices (the model's own layout when they name it).
        wanted = lhs.indices
        if (
            not t.is_scalar
            or len(set(wanted)) != len(wanted)
            or sorted(t.axes) != sorted(wanted)
            or data.ndim != len(wanted)
        ):
            return None
        data = data.transpose([t.axes.index(i) for i in wanted])
    elif t.axes:
        return None
    return data.reshape(-1)


def _matches(values: dict[str, np.ndarray], data: np.ndarray, model: Model) -> list[str]:
    out = []
    for node in model.nodes:
        if node in ("y", "L"):
            continue
        v = np.asarray(values[node]).reshape(-1)
        if v.size == data.size and np.allclose(np.real(data), v, rtol=1e-10, atol=1e-12):
            out.append(node)
    return out


def _infer_label_index(
    claims: list[tuple[int, Chain]], binding: Binding, assumptions: list[str]
) -> None:
    """``y_j`` with j free on the right only: j is the true class (stated). The label itself
    as an index (``p_y``, ``−log ŷ_y`` with an integer label y) is the true class too."""
    if binding.label_indices:
        return
    as_index = any(
        isinstance(n, Indexed) and "y" in n.indices
        for _, chain in claims for side in (chain.lhs, *chain.rhs) if side.expr is not None
        for n in walk(side.expr)
    )  # fmt: skip
    if as_index:
        binding.label_indices.add("y")
        binding.inferred_label = "y"
        assumptions.append(
            "y used as an index (p_y) is the integer label, the index of the true class."
        )
        return
    for _, chain in claims:
        lhs = chain.lhs.expr
        left = {i for n in walk(lhs) if isinstance(n, Indexed) for i in n.indices} if lhs else set()
        for side in chain.rhs:
            if side.expr is None:
                continue
            bound = {b.index for n in walk(side.expr) if isinstance(n, Sum) for b in n.bounds}
            for n in walk(side.expr):
                if (
                    isinstance(n, Indexed)
                    and isinstance(n.base, Sym)
                    and n.base.name == "y"
                    and len(n.indices) == 1
                ):
                    i = n.indices[0]
                    if i.isalpha() and i not in left and i not in bound:
                        binding.label_indices.add(i)
                        binding.inferred_label = i
                        assumptions.append(
                            f"{i} is taken as the index of the true class (y_{i} = 1): it "
                            f"appears on y_{i} on the right but not on the left."
                        )
                        return
