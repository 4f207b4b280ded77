"""Properties: for random networks every printed formula verifies and the NumPy code agrees."""

from __future__ import annotations

import numpy as np
from derive_helpers import close, run_grads, spec_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chainrule.derive import check_dims, derive
from chainrule.model.graph import build_model
from chainrule.model.spec import ACTIVATIONS, ModelSpec

OUTPUTS = {
    "cross_entropy": ("softmax", "sigmoid"),
    "bce": ("sigmoid", "softmax"),
    "mse": ACTIVATIONS,
}


@st.composite
def specs(draw: st.DrawFn) -> ModelSpec:
    depth = draw(st.integers(1, 4))
    loss = draw(st.sampled_from(sorted(OUTPUTS)))
    hidden = draw(st.lists(st.sampled_from(ACTIVATIONS), min_size=depth - 1, max_size=depth - 1))
    out = draw(st.sampled_from(OUTPUTS[loss]))
    biases = draw(st.lists(st.booleans(), min_size=depth, max_size=depth))
    convention = draw(st.sampled_from(["column", "row"]))
    return spec_of([*hidden, out], biases, loss, convention, draw(st.booleans()))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs())
def test_every_formula_verifies(spec: ModelSpec) -> None:
    d = derive(spec, instances=2)
    failed = [
        (f.quantity, f.matrix_text, f.index_text, f.problems) for f in d.formulas if not f.verified
    ]
    assert failed == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs(), st.integers(0, 2**16))
def test_numpy_code_matches_truth(spec: ModelSpec, seed: int) -> None:
    d = derive(spec, verify=False)
    got, truth = run_grads(d.to_numpy(), build_model(spec, check_dims(spec)), seed)
    assert set(got) == set(truth) and got
    for name in got:
        assert close(got[name], truth[name]), name
        assert np.asarray(got[name]).dtype == np.float64
