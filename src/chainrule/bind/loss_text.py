"""The loss a document uses: from its definition's value, its shape, or its words.

Owns :func:`find_loss` (a definition ``L = …`` matched by value against the known losses on
made-up inputs, else read by pattern with a note — a log of 1 − ŷ is binary cross-entropy,
−log ŷ_j the log-likelihood —, else the loss the prose names, else the usual pairing with
the output), :func:`defined_loss`, :func:`loss_in_words`, :func:`with_loss` (a squared error
without the ½) and :class:`Probe`, which evaluates small definitions on made-up inputs (also
used to identify σ, g, … by value).
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

import numpy as np

from chainrule.bind.binding import Binding
from chainrule.bind.network_text import ACTIVATION_CANDIDATES
from chainrule.errors import ChainruleError
from chainrule.evaluate.evaluator import Evaluator, Scope
from chainrule.evaluate.tensor import EvalError
from chainrule.model.graph import build_model
from chainrule.model.spec import ModelSpec, parse_spec
from chainrule.reader.ast import (
    Add,
    Call,
    Expr,
    Indexed,
    Mul,
    Neg,
    Num,
    Sum,
    Sym,
    walk,
)
from chainrule.reader.claims import Chain


class Probe:
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


def loss_in_words(text: str, out_act: str) -> str | None:
    """The loss the prose names, if it names one that fits the output."""
    for pattern, loss in _LOSS_WORDS:
        if pattern.search(text):
            if loss == "cross_entropy" and out_act == "sigmoid":
                return "bce"  # cross-entropy on a sigmoid output is its binary form
            if loss == "bce" and out_act == "softmax":
                return None
            return loss
    return None


def find_loss(
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
    named = loss_in_words(text, out_act)
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


NO_HALF = "mse without the 1/2"
"""A squared error defined without MSE's ½ (``L = ‖ŷ − y‖²``): the mse loss, scaled by 2."""

NAMED_LOSSES = {NO_HALF: "mse"}


def with_loss(
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
            NO_HALF: float(((yhat - y) ** 2).sum()),
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
    probe = Probe(binding, leaves)
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
