"""The right answer in the author's own notation: expected expressions and next steps.

Formulas come from ``derive`` (the rule table), as trees in canonical names (a₂, ŷ, W₃);
here they are renamed into the author's names (``h`` for a₂ when the author defined it so,
their index letters) and then *verified* by the same evaluator that judges the author's
lines, against the complex-step truth. Nothing unverified is shown as right.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from chainrule.bind.binding import Meaning
from chainrule.bind.document import BoundDocument
from chainrule.bind.refs import NodeRef, key
from chainrule.derive.build import build_steps
from chainrule.derive.formula import Formula
from chainrule.evaluate.evaluator import Scope
from chainrule.judge.verdicts import Judge, SideResult
from chainrule.reader.ast import Bound, Deriv, Expr, Indexed, Sum, Sym, map_tree, walk
from chainrule.reader.claims import Chain

LETTER_PAIRS = ("pq", "rs", "tu", "uv", "ab", "cd", "gh", "op")


def canonical_sym(node: str) -> Sym:
    if node == "yhat":
        return Sym("y", "hat")
    if node in ("x", "y", "L"):
        return Sym(node)
    return Sym(node[0], layer=node[1:])


@dataclass
class Notation:
    """How the author names things: node → symbol, letters already in use, introduced names."""

    names: dict[str, Sym]
    used_letters: set[str]
    introduced: list[tuple[str, str]]  # (node, latex definition) for names we made up
    error_name: str = "delta"
    """What the author calls the error signal: δ, or deeplearning.ai's dZ."""


def author_notation(bound: BoundDocument) -> Notation:
    used_syms: set[tuple[str, str, str]] = set()
    letters: set[str] = set()
    for _, chain in bound.claims:
        for side in (chain.lhs, *chain.rhs):
            if side.expr is None:
                continue
            for n in walk(side.expr):
                if isinstance(n, Sym):
                    used_syms.add(key(n))
                if isinstance(n, Indexed):
                    letters.update(i for i in n.indices if i.isalpha())
                if isinstance(n, Sum):
                    letters.update(b.index for b in n.bounds)
    letters.update(bound.binding.label_indices)
    names: dict[str, Sym] = {}
    for k, meaning in bound.binding.symbols.items():
        if isinstance(meaning.expr, NodeRef):
            names.setdefault(meaning.expr.node, Sym(k[0], k[1], k[2]))
    model = bound.model
    depth = model.spec.depth
    introduced: list[tuple[str, str]] = []
    for layer in range(1, depth):
        node = f"a{layer}"
        if node in names or ("a", "", str(layer)) in used_syms:
            continue  # the author has a name for it already
        if (
            layer == depth - 1
            and ("h", "", "") not in used_syms
            and not any(s.name == "h" for s in names.values())
        ):
            h = Sym("h")
            names[node] = h
            bound.binding.symbols[key(h)] = Meaning(NodeRef(node))
            introduced.append((node, "h"))
        else:
            introduced.append((node, f"a_{{{layer}}}"))
    error_name = "dZ" if any(k[0] in ("dZ", "dz") for k in used_syms) else "delta"
    return Notation(names, letters, introduced, error_name)


def _rename(e: Expr, notation: Notation, letter_map: dict[str, str]) -> Expr:
    by_key = {key(canonical_sym(node)): sym for node, sym in notation.names.items()}

    def fn(n: Expr) -> Expr | None:
        if isinstance(n, Sym) and key(n) in by_key:
            return by_key[key(n)]
        if isinstance(n, Sym) and n.name == "delta" and n.layer and notation.error_name != "delta":
            return replace(n, name=notation.error_name)
        if isinstance(n, Indexed):
            return replace(n, indices=tuple(letter_map.get(i, i) for i in n.indices))
        if isinstance(n, Sum):
            return replace(
                n,
                bounds=tuple(
                    Bound(letter_map.get(b.index, b.index), b.lower, b.upper) for b in n.bounds
                ),
            )
        return None

    return map_tree(e, fn)


def _letter_map(formula: Formula, wanted: tuple[str, ...], used: set[str]) -> dict[str, str]:
    mapping = dict(zip(formula.free, wanted, strict=False))
    taken = set(wanted) | used
    pool = [c for c in "lrstuvpqabcdgh" if c not in taken]
    for letter, _ in formula.ranges:
        if letter in mapping:
            continue
        if letter not in taken:
            mapping[letter] = letter
            taken.add(letter)
        elif pool:
            mapping[letter] = pool.pop(0)
            taken.add(mapping[letter])
    return mapping


class Expected:
    """Derived formulas for one bound document, renamed and verified on demand."""

    def __init__(self, bound: BoundDocument, judge: Judge) -> None:
        self.bound = bound
        self.judge = judge
        self.notation = author_notation(bound)
        self.formulas: dict[tuple[str, int], Formula] = {}
        try:
            for step in build_steps(bound.model.spec):
                for f in step.formulas:
                    self.formulas.setdefault(f.quantity, f)
        except Exception:  # derive may not cover every spec; then nothing is expected
            self.formulas = {}

    def definition(self, layer: int) -> Expr | None:
        """``σ(W_2 a_1)``: what hidden activation ``layer`` is, from derive's forward step,
        in the author's names (for names chainrule introduces, such as ``h``)."""
        a, z = self.formulas.get(("a", layer)), self.formulas.get(("z", layer))
        if a is None or z is None or not a.matrix or not z.matrix:
            return None
        pre_activation = Sym("z", layer=str(layer))
        composed = map_tree(a.matrix[-1], _replacer(pre_activation, z.matrix[-1]))
        return _rename(composed, self.notation, {})

    def quantity_of(self, lhs: Expr) -> tuple[str, int] | None:
        """Which derived quantity a left-hand side asks for."""
        target = lhs
        if isinstance(lhs, Indexed) and isinstance(lhs.base, Sym) and lhs.base.name == "delta":
            target = lhs.base
        if isinstance(target, Sym) and target.name == "delta" and target.layer.isdigit():
            return ("delta", int(target.layer))
        if not isinstance(lhs, Deriv):
            return None
        of = lhs.of
        if not (isinstance(of, Sym) and of.name in ("L", "J", "E")):
            return None
        wrt = lhs.wrt.base if isinstance(lhs.wrt, Indexed) else lhs.wrt
        if not isinstance(wrt, Sym):
            return None
        meaning = self.bound.binding.resolve(wrt, set())
        if not isinstance(meaning, NodeRef):
            return None
        node = meaning.node
        depth = self.bound.model.spec.depth
        if node[0] in "Wb" and node[1:].isdigit():
            return ("d" + node[0], int(node[1:]))
        if node[0] == "z" and node[1:].isdigit():
            return ("delta", int(node[1:]))
        if node[0] == "a" and node[1:].isdigit():
            return ("da", int(node[1:]))
        if node == "x":
            return ("da", 0)
        if node == "yhat":
            return ("dyhat", depth)
        return None

    def expected(self, chain: Chain, lhs_res: SideResult, scopes: list[Scope]) -> Expr | None:
        lhs = chain.lhs.expr
        if lhs is None or lhs_res.error is not None:
            return None
        q = self.quantity_of(lhs)
        formula = self.formulas.get(q) if q else None
        if formula is None:
            return None
        indexed = any(isinstance(n, Indexed) for n in walk(lhs))
        wanted = _lhs_letters(lhs)
        forms = [formula.index, formula.matrix] if indexed else [formula.matrix, formula.index]
        for chain_form in forms:
            if not chain_form:
                continue
            mapping = _letter_map(formula, wanted, self.notation.used_letters)
            for candidate in reversed(chain_form):
                tree = _rename(candidate, self.notation, mapping)
                res = self.judge.evaluate(
                    tree, scopes, claimed=False
                )  # the truth, not the author's δ
                if res.error is None and self.judge.outcome(lhs_res, res).ok:
                    return tree
        return None

    def next_steps(self, covered: set[tuple[str, int]]) -> list[tuple[str, Expr, Expr, str]]:
        """(wrt, index-form chain lhs, rhs, matrix-form LaTeX) for each weight, verified."""
        out: list[tuple[str, Expr, Expr, str]] = []
        depth = self.bound.model.spec.depth
        used = set(self.notation.used_letters)
        pairs = [p for p in LETTER_PAIRS if not set(p) & used]
        for layer in range(depth, 0, -1):
            formula = self.formulas.get(("dW", layer))
            if formula is None or formula.lhs_index is None or not formula.index:
                continue
            letters = self._author_letters(layer) or (tuple(pairs.pop(0)) if pairs else ("i", "j"))
            used.update(letters)
            mapping = _letter_map(formula, letters, used)
            lhs = _rename(formula.lhs_index, self.notation, mapping)
            rhs = _rename(formula.index[-1], self.notation, mapping)
            if not self._verifies(lhs, rhs):
                continue
            out.append((f"W{layer}", lhs, rhs, self._matrix_form(layer, formula)))
            bias = self._bias_step(layer, mapping)
            if bias is not None:
                out.append(bias)
        return out

    def _bias_step(self, layer: int, mapping: dict[str, str]) -> tuple[str, Expr, Expr, str] | None:
        """∂L/∂b_l in the same letters as W_l's rows, when the layer has a bias (verified)."""
        formula = self.formulas.get(("db", layer))
        if formula is None or formula.lhs_index is None or not formula.index:
            return None
        # derive names b_l's entries with W_l's row letter, so W_l's mapping fits
        lhs = _rename(formula.lhs_index, self.notation, mapping)
        rhs = _rename(formula.index[-1], self.notation, mapping)
        if not self._verifies(lhs, rhs):
            return None
        from chainrule.reader.printer import to_latex

        matrix = ""
        if formula.lhs_matrix is not None and formula.matrix:
            m_l = _rename(formula.lhs_matrix, self.notation, {})
            m_r = _rename(formula.matrix[-1], self.notation, {})
            matrix = f"{to_latex(m_l)} = {to_latex(m_r)}"
        return (f"b{layer}", lhs, rhs, matrix)

    def _matrix_form(self, layer: int, formula: Formula) -> str:
        """``δ₂ = (W₃ᵀδ₃) ⊙ h ⊙ (1 − h),  ∇_{W₂}L = δ₂ a₁ᵀ`` in the author's names."""
        from chainrule.reader.printer import to_latex

        parts = []
        delta = self.formulas.get(("delta", layer))
        for f in (delta, formula):
            if f is None or f.lhs_matrix is None or not f.matrix:
                continue
            m_l = _rename(f.lhs_matrix, self.notation, {})
            m_r = _rename(f.matrix[-1], self.notation, {})
            parts.append(f"{to_latex(m_l)} = {to_latex(m_r)}")
        return r", \quad ".join(parts)

    def _author_letters(self, layer: int) -> tuple[str, ...] | None:
        for _, chain in self.bound.claims:
            lhs = chain.lhs.expr
            if isinstance(lhs, Deriv) and isinstance(lhs.wrt, Indexed):
                base = lhs.wrt.base
                if isinstance(base, Sym) and base.name == "W" and base.layer == str(layer):
                    return lhs.wrt.indices
        return None

    def _verifies(self, lhs: Expr, rhs: Expr) -> bool:
        lhs_res, scopes = self.judge.evaluate_lhs(lhs)
        if lhs_res.error is not None:
            return False
        res = self.judge.evaluate(rhs, scopes, claimed=False)
        return res.error is None and self.judge.outcome(lhs_res, res).ok


def _lhs_letters(lhs: Expr) -> tuple[str, ...]:
    if isinstance(lhs, Deriv) and isinstance(lhs.wrt, Indexed):
        return lhs.wrt.indices
    if isinstance(lhs, Indexed):
        return lhs.indices
    return ()


def _replacer(old: Expr, new: Expr) -> Callable[[Expr], Expr | None]:
    def fn(node: Expr) -> Expr | None:
        return new if node == old else None

    return fn
