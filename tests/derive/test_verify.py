"""Verification through the checker's evaluator: right formulas pass, wrong ones do not.

Each row replaces one printed right-hand side by a plausible mistake and asserts that the
formula is then reported not verified: a wrong layout, a ⊙ where a product belongs, an
index over the wrong range, a missing 1/m, a δ from the wrong layer.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from chainrule.bind.refs import Const, Literal, key
from chainrule.derive import check_dims
from chainrule.derive.build import build_steps
from chainrule.derive.formula import Step
from chainrule.derive.verify import ETA, derivation_binding, verify_steps
from chainrule.model.graph import build_model
from chainrule.model.spec import preset
from chainrule.reader.ast import Expr
from chainrule.rules.expr import div, had, ix, mul, nabla, num, one_minus, ones, sub, sym, total, tr

W3, W2, D3, D2, A2, A1 = (
    sym("W", 3),
    sym("W", 2),
    sym("delta", 3),
    sym("delta", 2),
    sym("a", 2),
    sym("a", 1),
)
L = sym("L")


def _verify_with(name: str, quantity: tuple[str, int], form: str, rhs: Expr) -> tuple[bool, float]:
    """Verify preset ``name`` with one formula's ``form`` chain replaced by ``rhs`` alone."""
    spec = preset(name)
    steps: list[Step] = []
    for step in build_steps(spec):
        formulas = tuple(
            replace(
                f,
                matrix=(rhs,) if form == "matrix" else (),
                index=(rhs,) if form == "index" else (),
            )
            if f.quantity == quantity
            else f
            for f in step.formulas
        )
        steps.append(replace(step, formulas=formulas))
    checked = verify_steps(steps, build_model(spec, check_dims(spec)), instances=1)
    (f,) = [f for s in checked for f in s.formulas if f.quantity == quantity]
    assert f.verified is not None and f.max_rel_error is not None
    return f.verified, f.max_rel_error


# (preset, quantity, form, right-hand side): the correct formula first, as a control.
CORRECT = [
    ("seed", ("dW", 3), "matrix", mul(D3, tr(A2))),
    ("seed", ("delta", 2), "matrix", had(mul(tr(W3), D3), A2, one_minus(A2))),
    ("seed", ("dW", 2), "index", mul(ix(D2, "n"), ix(A1, "p"))),
    ("dlai", ("db", 2), "matrix", mul(div(num(1), sym("m")), D2, ones())),
]

WRONG = [
    # δ₃ ⊙ a₂ᵀ: a column ⊙ a row is no product at all (NumPy would broadcast it)
    ("seed", ("dW", 3), "matrix", had(D3, tr(A2))),
    # the gradient transposed
    ("seed", ("dW", 3), "matrix", mul(A2, tr(D3))),
    # juxtaposition where ⊙ is meant: the checker reads `a (1 − a)` leniently, derive not
    ("seed", ("delta", 2), "matrix", had(mul(mul(tr(W3), D3), A2), one_minus(A2))),
    ("seed", ("delta", 2), "matrix", had(mul(tr(W3), D3), mul(A2, one_minus(A2)))),
    # δ from the wrong layer
    ("seed", ("delta", 2), "matrix", had(mul(tr(W3), D2), A2, one_minus(A2))),
    # W₃ indexed the wrong way round: m runs over k, n over d₂
    (
        "seed",
        ("delta", 2),
        "index",
        mul(total("m", sym("k"), mul(ix(W3, "n", "m"), ix(D3, "m"))), ix(A2, "n")),
    ),
    # a₁ indexed by n, which runs over δ₂'s units
    ("seed", ("dW", 2), "index", mul(ix(D2, "n"), ix(A1, "n"))),
    # a whole vector in an index form
    ("seed", ("dW", 2), "index", mul(ix(D2, "n"), A1)),
    # the batch's bias gradient without its 1/m
    ("dlai", ("db", 2), "matrix", mul(D2, ones())),
    # 𝟏 of the wrong length
    ("dlai", ("db", 2), "matrix", mul(div(num(1), sym("m")), D2, ones(sym("k")))),
    # an update uphill
    ("seed", ("update_W", 3), "matrix", sub(W3, mul(num(-1), sym("eta"), nabla(L, W3)))),
]


@pytest.mark.parametrize(("name", "quantity", "form", "rhs"), CORRECT)
def test_the_printed_formula_verifies(
    name: str, quantity: tuple[str, int], form: str, rhs: Expr
) -> None:
    verified, error = _verify_with(name, quantity, form, rhs)
    assert verified and error < 1e-12


@pytest.mark.parametrize(("name", "quantity", "form", "rhs"), WRONG)
def test_a_wrong_formula_does_not_verify(
    name: str, quantity: tuple[str, int], form: str, rhs: Expr
) -> None:
    verified, error = _verify_with(name, quantity, form, rhs)
    assert not verified and error > 1e-3


def test_binding_gives_derives_own_symbols() -> None:
    spec = preset("dlai")
    model = build_model(spec, check_dims(spec))
    binding = derivation_binding(model)
    k, m = model.dims.sizes[-1], model.dims.batch
    assert m is not None
    ones_k, ones_m = binding.symbols[key(ones(sym("k")))].expr, binding.symbols[key(ones())].expr
    assert isinstance(ones_k, Literal) and ones_k.values == (1.0,) * k
    assert isinstance(ones_m, Literal) and ones_m.values == (1.0,) * m
    eta = binding.symbols[key(sym("eta"))].expr
    assert isinstance(eta, Const) and eta.value == ETA
    assert (
        binding.dims[key(sym("m"))] == m and binding.dims[key(sym("d", 1))] == model.dims.sizes[1]
    )
    assert binding.function_names["sigma"] == "sigmoid"


def test_errors_are_exact_for_the_presets() -> None:
    for name in ("seed", "cs224n", "dlai", "logistic", "regression"):
        spec = preset(name)
        steps = verify_steps(build_steps(spec), build_model(spec, check_dims(spec)), instances=2)
        errors = [f.max_rel_error for s in steps for f in s.formulas]
        assert all(e is not None and e < 1e-12 for e in errors), name
        assert not any(f.problems for s in steps for f in s.formulas), name
        assert np.isfinite(errors).all()
