"""The symbol table of one derivation: what each name means, and why.

Lookup order (DESIGN.md): the author's own definitions (matched to model nodes by value),
the problem statement, then conventions (z⁽ˡ⁾, a⁽ˡ⁾, h, δ⁽ˡ⁾ = ∂L/∂z⁽ˡ⁾, δ with two
indices = Kronecker). Every convention that a line actually relies on is recorded as an
assumption sentence in the evaluator's ``used`` set, so the report says what it assumed.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from chainrule.bind.refs import Const, NodeRef, describe, key, sym_text
from chainrule.evaluate.tensor import EvalError, Unbound
from chainrule.reader.ast import Call, Deriv, Expr, Indexed, Mul, Sym, Transpose, map_tree

if TYPE_CHECKING:
    from chainrule.evaluate.evaluator import Evaluator
    from chainrule.model.graph import Model

SymKey = tuple[str, str, str]

# How a batched δ was read, in its assumption sentence: the judge finds the reading by these.
SUMMED_LOSS = "the derivative of the summed loss"
MEAN_COST = "the derivative of the mean cost"

# Functions every reader knows by name.
KNOWN_FUNCTIONS = {
    "sigmoid": "sigmoid", "tanh": "tanh", "relu": "relu", "ReLU": "relu",
    "identity": "identity", "softmax": "softmax", "log": "log", "ln": "log", "exp": "exp",
    "diag": "diag", "sqrt": "sqrt", "max": "max", "sech": "sech", "cosh": "cosh",
    "step": "step", "heaviside": "step", "Heaviside": "step",
}  # fmt: skip


LAYER_FUNCTIONS = frozenset({"g", "f", "sigma", "phi", "varphi", "h"})
"""Letters that, labelled with a layer (``g^{[1]}``, ``f_2``), name that layer's activation."""


@dataclass(frozen=True)
class Meaning:
    """What a symbol stands for, and the sentence to report when that was an assumption."""

    expr: Expr
    assumption: str = ""


@dataclass
class Binding:
    """Names → meanings for one model; filled by :mod:`chainrule.bind.document`."""

    model: Model
    symbols: dict[SymKey, Meaning] = field(default_factory=dict)
    functions: dict[str, Meaning] = field(default_factory=dict)
    function_names: dict[str, str] = field(default_factory=dict)
    label_indices: set[str] = field(default_factory=set)
    dims: dict[SymKey, int] = field(default_factory=dict)
    claimed: dict[SymKey, tuple[Expr, int]] = field(default_factory=dict)
    """Symbols the author claimed a value for (``δ₂ = …``), and the claim's line: later lines
    are evaluated with the author's value, so a wrong claim's error is carried, not hidden."""
    families: dict[tuple[str, str], tuple[str, Expr, str]] = field(default_factory=dict)
    """Names the author defined as a derivative for every layer (``E_ℓ := m ∂L/∂Z_ℓ``):
    (name, accent) → (the layer variable, the definition, its source text)."""
    claimed_derivs: dict[Expr, tuple[Expr, int]] = field(default_factory=dict)
    """Derivatives the author claimed wrongly (``∂J/∂Z₂ = …``), by the derivative as
    written. Unlike a name, ``∂J/∂Z₂`` means the true derivative, so a later identity
    using it stays right; the judge only notes that the author's value would not be."""
    use_claimed: bool = True
    use_claimed_derivs: bool = False
    numerator: bool = False
    """Numerator layout: ∂L/∂v is a row vector and ∂L/∂W has the shape of Wᵀ."""
    numerator_declared: bool = False
    """The text says it uses numerator layout, so transposed matrix derivatives are right."""
    per_example: bool = True
    """In a batch, dZ, dA and δ are per-example errors m·∂J/∂Z (deeplearning.ai's dZ = Ŷ − Y);
    False once a line is right only with the 1/m inside them (dZ = (1/m)(Ŷ − Y) = ∂J/∂Z),
    the other common convention: from then on the document is read that way."""
    half_open: bool = False
    """The loss is MSE and the text defines L nowhere chainrule can read: ½‖ŷ − y‖² and
    ‖ŷ − y‖² are both in use, so a gradient off by exactly 2 is not called wrong."""
    per_example_settled: bool = False
    """A line was right with the per-example reading, so the document uses it: a later line
    right only the other way is not excused by it."""
    writes_sums: bool = False
    """The text writes a sum with Σ somewhere, so an index a product repeats is not summed
    by itself (Einstein's convention is read only where nothing says otherwise)."""
    inferred_label: str = ""
    """The label index chainrule inferred (``y_j`` with j free on the right only), not one the
    text or the options stated."""

    # -- symbols ----------------------------------------------------------------------
    def resolve(self, sym: Sym, used: set[str]) -> Expr | None:
        if self.use_claimed and key(sym) in self.claimed:
            return self.claimed[key(sym)][0]
        meaning = self.symbols.get(key(sym)) or self.convention(sym)
        if meaning is None:
            dim = self.dims.get(key(sym))
            if dim is not None:
                return Const(float(dim), sym_text(sym))
            return None
        if meaning.assumption:
            used.add(meaning.assumption)
        return meaning.expr

    def resolve_author(self, sym: Sym) -> Meaning | None:
        """The author's own meaning for ``sym`` (definitions and --define), if any."""
        return self.symbols.get(key(sym))

    def convention(self, sym: Sym) -> Meaning | None:
        depth = self.model.spec.depth
        layer = self._layer_number(sym.layer, depth)
        name, accent = sym.name, sym.accent
        family = self.families.get((name, accent))
        if family is not None and layer is not None:
            variable, definition, source = family
            return Meaning(
                at_layer(definition, variable, layer),
                f"{sym_text(sym)} is {source} at layer {layer} (the author's definition for "
                "every layer).",
            )
        if accent == "hat" and name in ("y", "Y") and not sym.layer:
            return Meaning(NodeRef("yhat"))
        if accent:
            return None
        if not sym.layer and depth == 1 and name in ("W", "b", "z"):
            return Meaning(NodeRef(f"{name}1"), f"{name} is the only layer's {name}₁.")
        if not sym.layer and depth == 2 and name == "h":
            return Meaning(NodeRef("a1"), "h is the hidden layer's activation a₁.")
        if not sym.layer:
            simple = {"x": "x", "X": "x", "y": "y", "Y": "y", "L": "L", "J": "L", "E": "L"}
            if name in simple:
                note = "" if name in ("x", "y", "L") else f"{name} is the loss L."
                if name in ("X", "Y"):
                    note = ""
                return Meaning(NodeRef(simple[name]), note)
            if name == "e":
                return Meaning(Const(math.e, "e"), "e is Euler's number.")
            if name in ("yhat", "Yhat"):
                return Meaning(NodeRef("yhat"), f"{name} is ŷ.")
            return self._d_name(sym)
        if layer is None:
            return None
        if name in ("W", "b"):
            node = f"{name}{layer}"
            return Meaning(NodeRef(node)) if node in self.model.nodes else None
        if name == "w" and f"W{layer}" in self.model.nodes and self._single_unit(layer):
            # A one-unit layer's weights as a vector: W_l = w_lᵀ (p = σ(w₃ᵀ r + b₃)).
            return Meaning(
                Transpose(NodeRef(f"W{layer}")),
                f"{sym_text(sym)} is the weight vector of the one-unit layer {layer} "
                f"(W{_sub(layer)} = {sym_text(sym)}ᵀ).",
            )
        if name == "w" and f"W{layer}" in self.model.nodes:
            # Nielsen's w^l: the weight matrix, w^l_{jk} from neuron k below to neuron j
            return Meaning(
                NodeRef(f"W{layer}"), f"{sym_text(sym)} is the weight matrix W{_sub(layer)}."
            )
        if name in ("z", "Z"):
            return Meaning(NodeRef(f"z{layer}"), "") if 1 <= layer <= depth else None
        if name in ("u", "U") and 1 <= layer <= depth:
            return Meaning(
                NodeRef(f"z{layer}"),
                f"{sym_text(sym)} is layer {layer}'s pre-activation z{_sub(layer)}.",
            )
        if name in ("a", "A", "h", "H"):
            if not 0 <= layer <= depth:
                return None
            node = "x" if layer == 0 else ("yhat" if layer == depth else f"a{layer}")
            note = f"{sym_text(sym)} is the layer-{layer} activation." if name in "hH" else ""
            return Meaning(NodeRef(node), note)
        if name in ("delta", "Delta") and 1 <= layer <= depth:
            grad = Deriv(Sym("L"), NodeRef(f"z{layer}"))
            why = "the per-example error, as in batched derivations"
            error = self._batch_error(grad, sym_text(sym), f"Z{_sub(layer)}", why)
            return error or Meaning(
                grad,
                f"{sym_text(sym)} is the error signal ∂L/∂z{_sub(layer)} (the gradient of the "
                f"loss with respect to layer {layer}'s pre-activation).",
            )
        return self._gradient_name(sym, name, layer, depth)

    def _single_unit(self, layer: int) -> bool:
        """Layer ``layer`` has one unit, in the column convention without a batch."""
        spec = self.model.spec
        return (
            spec.convention == "column"
            and spec.batch == "none"
            and self.model.dims.sizes[layer] == 1
        )

    def _d_name(self, sym: Sym) -> Meaning | None:
        """``dscores``, ``dhidden``, ``dX``: code-style gradient names, ∂L/∂(the rest)."""
        name = sym.name
        if len(name) < 2 or name[0] != "d" or not name[1:].isalpha() or name in KNOWN_FUNCTIONS:
            return None
        rest = Sym(name[1:])
        meaning = self.symbols.get(key(rest)) or self.convention(rest)
        if meaning is None:
            return None
        grad: Expr = Deriv(Sym("L"), rest)
        node = meaning.expr.node if isinstance(meaning.expr, NodeRef) else ""
        if node and not node.startswith(("W", "b")) and node != "L":
            # a batch's dX, dH: errors like its dZ and dA, per example or of the mean cost
            error = self._batch_error(grad, name, name[1:], "like the batch's dZ and dA")
            if error is not None:
                return error
        return Meaning(grad, f"{name} is ∂L/∂{name[1:]} (code-style naming).")

    def _batch_error(self, grad: Expr, name: str, of: str, why: str) -> Meaning | None:
        """A batch's error signal ``name`` (dZ₂, dH) for ∂J/∂``of``: per example, m·∂J/∂Z
        (deeplearning.ai's dZ = Ŷ − Y), or, once the document reads them so, of the mean
        cost with the 1/m inside; None without a batch."""
        batch = self.model.dims.batch
        if batch is None:
            return None
        if self.per_example:
            return Meaning(
                Mul((Const(float(batch), "m"), grad)),
                f"{name} is m·∂J/∂{of}, {SUMMED_LOSS} ({why}).",
            )
        return Meaning(grad, f"{name} is ∂J/∂{of}, {MEAN_COST} (the 1/m inside it).")

    def _gradient_name(self, sym: Sym, name: str, layer: int, depth: int) -> Meaning | None:
        """deeplearning.ai's dW, db (of the averaged cost) and dZ, dA (of the summed loss)."""
        if len(name) != 2 or name[0] != "d" or name[1] not in "WbZzAa":
            return None
        letter = name[1].lower() if name[1] in "ZA" else name[1]
        if letter == "a":
            node = "x" if layer == 0 else ("yhat" if layer == depth else f"a{layer}")
        else:
            node = f"{letter}{layer}"
        if node not in self.model.nodes:
            return None
        grad: Expr = Deriv(Sym("L"), NodeRef(node))
        of = f"{name[1]}{_sub(layer)}"
        error = None
        if letter in "za":
            error = self._batch_error(grad, sym_text(sym), of, "deeplearning.ai's naming")
        return error or Meaning(grad, f"{sym_text(sym)} is ∂J/∂{of} (deeplearning.ai's naming).")

    @staticmethod
    def _layer_number(label: str, depth: int) -> int | None:
        if not label:
            return None
        if label.isdigit():
            return int(label)
        if label == "L":
            return depth
        if label in ("L-1", "L - 1"):
            return depth - 1
        return None

    def unknown_message(self, sym: Sym) -> str:
        name = sym_text(sym)
        if sym.layer and not sym.layer.isdigit() and sym.layer != "L":
            return (
                f"{name} is written for a general layer {sym.layer}; chainrule checks concrete "
                f"layers (write the step for, say, layer 2)."
            )
        return (
            f"chainrule does not know what {name} is: define it in the text "
            f"(\"Let {name} = …\") or pass --define '{name.replace(' ', '')} = …'."
        )

    def is_kronecker(self, sym: Sym, n_indices: int) -> bool:
        return (
            sym.name == "delta"
            and not sym.layer
            and not sym.accent
            and n_indices == 2
            and key(sym) not in self.symbols
        )

    # -- functions --------------------------------------------------------------------
    def function(self, call: Call, used: set[str]) -> str:
        """The canonical function a call applies: ``sigmoid``, ``softmax``, ``network``, …"""
        layer = self._layer_number(call.layer, self.model.spec.depth)
        if (
            call.func in LAYER_FUNCTIONS
            and layer is not None
            and 1 <= layer <= self.model.spec.depth
        ):
            # deeplearning.ai's g^{[l]}: the activation of layer l, whatever g is elsewhere
            act = self.model.spec.layers[layer - 1].activation
            used.add(f"{call.func}^[{layer}] is layer {layer}'s activation, the {act}.")
            return act
        meaning = self.function_names.get(call.func)
        if meaning is not None:
            note = self.functions.get(call.func)
            if note is not None and note.assumption:
                used.add(note.assumption)
            return meaning
        if call.func in KNOWN_FUNCTIONS:
            return KNOWN_FUNCTIONS[call.func]
        raise Unbound(
            f"chainrule does not know the function {call.func}: define it in the text "
            f'(e.g. "{call.func}(z) = \\frac{{1}}{{1+e^{{-z}}}}") or pass --define.',
            call.func,
            call,
        )

    # -- derivatives ------------------------------------------------------------------
    def as_node(self, wrt: Expr, ev: Evaluator) -> tuple[str, tuple[str, ...] | None]:
        """The model node a derivative is taken with respect to, and the entry's indices."""
        indices: tuple[str, ...] | None = None
        target = wrt
        if isinstance(wrt, Indexed):
            target, indices = wrt.base, wrt.indices
        if isinstance(target, Transpose):
            raise EvalError("a derivative with respect to a transpose is not supported", "other")
        resolved: Expr | None = target
        if isinstance(target, Sym):
            resolved = self.resolve(target, ev.used)
            if resolved is None:
                raise Unbound(self.unknown_message(target), sym_text(target), target)
        if isinstance(resolved, NodeRef):
            return resolved.node, indices
        assert resolved is not None
        return self._match_node(resolved, ev), indices

    def _match_node(self, expr: Expr, ev: Evaluator) -> str:
        value = ev.eval(expr)
        if value.axes:
            raise EvalError("cannot differentiate with respect to an indexed expression", "other")
        data = value.data
        for node in self.model.nodes:
            if node in ("y", "L"):
                continue
            v = np.asarray(ev.values[node])
            flat = data.reshape(-1) if data.size == v.size else None
            if flat is not None and np.allclose(flat, v.reshape(-1), rtol=1e-10, atol=1e-12):
                ev.used.add(
                    f"the derivative is taken with respect to {self.describe(expr)}, "
                    f"which is the model's {node}."
                )
                return node
        raise EvalError(
            f"cannot differentiate with respect to {self.describe(expr)}: it is not a "
            "quantity of the network",
            "other",
        )

    def describe(self, expr: Expr) -> str:
        return describe(expr)


def _sub(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def at_layer(expr: Expr, variable: str, layer: int) -> Expr:
    """``expr`` with the layer variable (``Z_ℓ``, ``Z^{(ℓ)}``, ``h^{(k-1)}``) set to ``layer``."""

    def fn(node: Expr) -> Expr | None:
        if (
            isinstance(node, Indexed)
            and isinstance(node.base, Sym)
            and node.indices == (variable,)
            and not node.base.layer
        ):
            return replace(node.base, layer=str(layer))
        if isinstance(node, Sym) and node.layer:
            m = re.fullmatch(rf"{re.escape(variable)}\s*(?:([+-])\s*(\d+))?", node.layer)
            if m:
                shift = int(m.group(2) or 0) * (-1 if m.group(1) == "-" else 1)
                return replace(node, layer=str(layer + shift))
        return None

    return map_tree(expr, fn)
