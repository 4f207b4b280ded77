"""``derive``: the full backpropagation derivation for a network, every formula verified.

Walks the rule table from the loss down (``build``), checks every printed formula against
the complex-step ground truth (``verify``), and returns a :class:`Derivation` that renders as
terminal text, LaTeX, Markdown, JSON or a runnable NumPy ``grads`` function.

Example:
    >>> from chainrule.model.spec import preset
    >>> d = derive(preset("seed"))
    >>> d.find("delta", 3).matrix_text
    'δ₃ = (diag(ŷ) − ŷ ŷᵀ) (−y/ŷ) = ŷ − y'
    >>> d.verified
    True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from chainrule.derive.build import build_steps
from chainrule.derive.codegen import grads_source
from chainrule.derive.derivation import Derivation
from chainrule.derive.formula import Formula, Step, Truth
from chainrule.derive.verify import RTOL, verify_steps
from chainrule.model.graph import Dims, build_model, default_dims
from chainrule.model.spec import ModelSpec

INSTANCES = 3
"""Random instances each formula is checked on."""


def check_dims(spec: ModelSpec) -> Dims:
    """Sizes for checking: the model's defaults, or small ones for deep networks.

    Deep networks get widths cycling through 3, 4, 5, 7 (neighbours always differ, so a
    transpose still shows) to keep the complex-step Jacobians small.
    """
    if spec.depth <= 6:
        return default_dims(spec)
    cycle = (3, 4, 5, 7)
    sizes = tuple(cycle[(spec.depth - lv) % len(cycle)] for lv in range(spec.depth + 1))
    return Dims(sizes, default_dims(spec).batch)


def derive(
    spec: ModelSpec,
    wrt: Sequence[str] | None = None,
    verify: bool = True,
    dims: Dims | None = None,
    names: Mapping[str, str] | None = None,
    letters: Sequence[str] | None = None,
    instances: int = INSTANCES,
) -> Derivation:
    """The backpropagation derivation for ``spec``.

    Args:
        spec: the network.
        wrt: the quantities to differentiate by (``["W2", "b1", "x", "a1"]``); default all.
        verify: check every formula against the complex-step truth (``instances`` random
            instances, relative tolerance 1e-8).
        dims: sizes to check at (default: small, all different).
        names: how to print symbols, keyed by canonical name (``{"a2": "h", "yhat":
            "\\\\hat{y}"}``): the formulas in a student's notation.
        letters: index letters from the output layer down (default m, n, p, q, …).
        instances: how many random instances to check on.

    Returns:
        The derivation; ``derivation.verified`` says whether every formula checked out.

    Raises:
        ChainruleError: a ``wrt`` name that is not a quantity of the network.
    """
    steps = build_steps(spec, wrt, letters)
    shown = ", ".join((dims or check_dims(spec)).names())
    if verify:
        model = build_model(spec, dims or check_dims(spec))
        steps = verify_steps(steps, model, instances, RTOL)
        shown = model.dims.text()
    named = tuple(
        Step(s.title, s.explanation, tuple(f.named(names) for f in s.formulas), s.layer)
        for s in steps
    )
    return Derivation(
        spec_text=spec.text(),
        loss=spec.loss,
        convention=spec.convention,
        batch=spec.batch,
        dims=shown,
        steps=named,
        numpy_source=grads_source(spec, list(named)),
        names=dict(names or {}),
        instances=instances if verify else 0,
    )


__all__ = ["Derivation", "Formula", "Step", "Truth", "check_dims", "derive"]
