"""The spec language: good specs read back from their canonical text, bad ones get one sentence.

Tables first (what people write, what chainrule must say), then properties: canonical text
round-trips for random specs, and no text makes the parser raise anything but SpecError.
"""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chainrule.errors import SpecError
from chainrule.model.spec import (
    ACTIVATIONS,
    LOSSES,
    MAX_DEPTH,
    PRESETS,
    Layer,
    ModelSpec,
    parse_spec,
    preset,
)

SEED = "yhat = softmax(W3 sigmoid(W2 sigmoid(W1 x)))"

# (as written, loss argument, canonical text, loss, convention, batch, depth, biases)
GOOD = [
    (SEED, "cross_entropy", SEED, "cross_entropy", "column", "none", 3, "000"),
    ("softmax(W3 sigmoid(W2 sigmoid(W1 x)))", "cross_entropy", SEED, "cross_entropy", "column",
     "none", 3, "000"),
    # spacing and subscript spellings people type
    ("yhat=softmax(W_3 sigmoid(W_2 sigmoid(W_{1}x)))", "ce", SEED, "cross_entropy", "column",
     "none", 3, "000"),
    ("\\hat{y} = softmax(W_3 \\sigma(W_2 \\sigma(W_1x)))", "cross_entropy", SEED,
     "cross_entropy", "column", "none", 3, "000"),
    ("ŷ = softmax(W2 σ(W1 x + b1) + b2)", "cross_entropy",
     "yhat = softmax(W2 sigmoid(W1 x + b1) + b2)", "cross_entropy", "column", "none", 2, "11"),
    # row vectors, as in CS224n: x W1 + b1
    ("yhat = softmax(sigmoid(x W1 + b1) W2 + b2)", "cross_entropy",
     "yhat = softmax(sigmoid(x W1 + b1) W2 + b2)", "cross_entropy", "row", "none", 2, "11"),
    # mini-batches: X W1 puts examples in rows, W1 X in columns (deeplearning.ai)
    ("yhat = sigmoid(W2 tanh(W1 X + b1) + b2)", "bce",
     "yhat = sigmoid(W2 tanh(W1 X + b1) + b2)", "bce", "column", "columns", 2, "11"),
    ("softmax(relu(X W1) W2)", "cross_entropy", "yhat = softmax(relu(X W1) W2)",
     "cross_entropy", "row", "rows", 2, "00"),
    # a bare affine output is an identity output, in either convention
    ("W2 relu(W1 x + b1) + b2", "mse", "yhat = identity(W2 relu(W1 x + b1) + b2)", "mse",
     "column", "none", 2, "11"),
    ("relu(x W1) W2", "mse", "yhat = identity(relu(x W1) W2)", "mse", "row", "none", 2, "00"),
    # an unnumbered one-layer network, and the loss written in the spec (it wins)
    ("W x + b; loss = mse", "cross_entropy", "yhat = identity(W1 x + b1)", "mse", "column",
     "none", 1, "1"),
    ("sigmoid(W1 x), loss: BCE", "cross_entropy", "yhat = sigmoid(W1 x)", "bce", "column",
     "none", 1, "0"),
    ("yhat = tanh(W2 identity(W1 x)); loss mse", "cross_entropy",
     "yhat = tanh(W2 identity(W1 x))", "mse", "column", "none", 2, "00"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "loss", "canonical", "want_loss", "convention", "batch", "depth", "biases"), GOOD
)
def test_good_specs_read_to_their_canonical_text(
    text: str,
    loss: str,
    canonical: str,
    want_loss: str,
    convention: str,
    batch: str,
    depth: int,
    biases: str,
) -> None:
    spec = parse_spec(text, loss)
    assert spec.text() == canonical
    assert (spec.loss, spec.convention, spec.batch, spec.depth) == (
        want_loss,
        convention,
        batch,
        depth,
    )
    assert "".join("1" if layer.bias else "0" for layer in spec.layers) == biases
    assert [layer.index for layer in spec.layers] == list(range(1, depth + 1))
    assert parse_spec(spec.text(), spec.loss) == spec
    assert parse_spec(spec.full_text()) == spec


def test_seed_layers() -> None:
    spec = parse_spec(SEED)
    assert spec.layers == (
        Layer(1, "sigmoid", False),
        Layer(2, "sigmoid", False),
        Layer(3, "softmax", False),
    )
    assert spec.output_activation == "softmax"
    assert preset("seed") == spec


DEEP_ACTIVATIONS = "sigmoid(" * 10_000 + "W1 x" + ")" * 10_000
DEEP_NETWORK = "".join(f"W{i} sigmoid(" for i in range(10_000, 1, -1)) + "W1 x" + ")" * 9_999

# (text, loss, column, words the message must contain)
BAD = [
    ("W3 sigmoid(", "cross_entropy", 12, "ends too early"),
    ("softmax(W1 x", "cross_entropy", 13, "`)` to close the `softmax(` at column 8"),
    ("foo(W1 x)", "cross_entropy", 1, "`foo` is not an activation"),
    ("", "cross_entropy", 1, "empty"),
    ("   ", "cross_entropy", 1, "empty"),
    ("W1 W2 x", "cross_entropy", 4, "identity(W2 x)"),
    # layers are numbered from the input outward
    ("softmax(W1 sigmoid(W2 x))", "cross_entropy", 20, "should be W1, not W2"),
    ("softmax(W3 sigmoid(W1 sigmoid(W2 x)))", "cross_entropy", 31, "should be W1, not W2"),
    ("softmax(W2 sigmoid(W1 x + b2))", "cross_entropy", 27, "should be b1, not b2"),
    ("softmax(W2 sigmoid(W x))", "cross_entropy", 20, "Number the weights"),
    # one convention throughout
    ("softmax(W2 sigmoid(x W1))", "cross_entropy", 9, "one convention"),
    # the loss must fit the output
    ("relu(W1 x)", "cross_entropy", 1, "end the network with softmax or sigmoid"),
    ("softmax(W1 x); loss = mse", "bce", 1, None),  # fine: the written loss wins (see GOOD)
    ("tanh(W1 x)", "bce", 1, "output must be in (0, 1)"),
    ("softmax(W1 x); loss = hinge", "cross_entropy", 23, "Expected a loss"),
    ("softmax(W1 x)", "hinge", 1, "`hinge` is not a loss"),
    # odd tokens
    ("softmax(W1 x))", "cross_entropy", 14, "after the end of the network"),
    ("softmax(W1 x + )", "cross_entropy", 16, "a bias such as `b1`"),
    ("softmax W1 x", "cross_entropy", 1, "Expected `(` after `softmax`"),
    ("sigmoid(x)", "bce", 10, "weight matrix"),
    ("x", "mse", 1, "no layer"),
    ("((x))", "mse", 1, "Expected a layer"),
    ("softmax(W1 x) $", "cross_entropy", 15, "The character `$`"),
    ("softmax(W1 v)", "cross_entropy", 12, "`v` is not a name"),
    ("yhat = softmax(W2 sigmoid(W1 x + b1)", "cross_entropy", 37, "column 15"),
    # absurd depth fails fast, at the first layer past the bound
    (DEEP_ACTIVATIONS, "cross_entropy", 8 * MAX_DEPTH + 1, f"at most {MAX_DEPTH}"),
    (DEEP_NETWORK, "cross_entropy", None, f"at most {MAX_DEPTH}"),
]


def is_one_sentence(message: str) -> bool:
    """Starts with a capital or a quoted name, ends with a period, no second sentence."""
    return (
        (message[0].isupper() or message[0] == "`")
        and message.endswith(".")
        and re.search(r"\.\s+[A-Z]", message) is None
        and "\n" not in message
        and "Traceback" not in message
    )


@pytest.mark.parametrize(("text", "loss", "column", "words"), BAD, ids=lambda v: str(v)[:30])
def test_bad_specs_get_one_sentence_at_the_right_column(
    text: str, loss: str, column: int | None, words: str | None
) -> None:
    if words is None:
        assert parse_spec(text, loss).loss == "mse"
        return
    start = time.perf_counter()
    with pytest.raises(SpecError) as info:
        parse_spec(text, loss)
    assert time.perf_counter() - start < 1.0
    err = info.value
    assert words in err.message
    assert is_one_sentence(err.message), err.message
    assert err.line == 1
    if column is not None:
        assert err.column == column
    assert str(err).startswith(f"line 1, column {err.column}: ")


def test_error_position_counts_lines() -> None:
    with pytest.raises(SpecError) as info:
        parse_spec("yhat =\n  softmax(W2\n    foo(W1 x))")
    assert (info.value.line, info.value.column) == (3, 5)


def test_presets_and_unknown_preset() -> None:
    for name, (text, loss) in PRESETS.items():
        spec = preset(name)
        assert spec == parse_spec(text, loss)
        assert spec.text() == text
    assert preset("dlai").batch == "columns"
    assert preset("cs224n").convention == "row"
    with pytest.raises(SpecError, match="no preset named `nope`; the presets are seed"):
        preset("nope")


def test_specs_built_in_code_are_validated() -> None:
    with pytest.raises(ValueError, match="numbered"):
        ModelSpec((Layer(2, "relu", False),), "mse")
    with pytest.raises(ValueError, match="activation"):
        ModelSpec((Layer(1, "gelu", False),), "mse")
    with pytest.raises(ValueError, match="convention"):
        ModelSpec((Layer(1, "relu", False),), "mse", "row", "columns")


@st.composite
def specs(draw: st.DrawFn) -> ModelSpec:
    """Any spec the language can express (the output fits the loss)."""
    depth = draw(st.integers(1, 6))
    loss = draw(st.sampled_from(LOSSES))
    outputs = {"cross_entropy": ("softmax", "sigmoid"), "bce": ("sigmoid", "softmax")}
    output = draw(st.sampled_from(outputs.get(loss, ACTIVATIONS)))
    acts = [*draw(st.lists(st.sampled_from(ACTIVATIONS), min_size=depth - 1,
                           max_size=depth - 1)), output]  # fmt: skip
    biases = draw(st.lists(st.booleans(), min_size=depth, max_size=depth))
    convention, batch = draw(
        st.sampled_from(
            [("column", "none"), ("row", "none"), ("column", "columns"), ("row", "rows")]
        )
    )
    layers = tuple(Layer(i + 1, a, b) for i, (a, b) in enumerate(zip(acts, biases, strict=True)))
    return ModelSpec(layers, loss, convention, batch)


@settings(max_examples=150, deadline=None)
@given(specs())
def test_canonical_text_round_trips(spec: ModelSpec) -> None:
    assert parse_spec(spec.text(), spec.loss) == spec
    assert parse_spec(spec.full_text()) == spec


SPEC_ALPHABET = st.sampled_from(
    ["W1", "W2", "W", "b1", "b2", "x", "X", "sigmoid", "softmax", "relu", "foo", "(", ")",
     "+", "=", ";", "loss", "mse", " ", "yhat", "$", "\n", "σ", "_", "{", "1"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(SPEC_ALPHABET, max_size=25).map("".join) | st.text(max_size=40))
def test_no_text_raises_anything_but_spec_error(text: str) -> None:
    try:
        spec = parse_spec(text)
    except SpecError as err:
        assert is_one_sentence(err.message), err.message
        assert err.line >= 1 and err.column >= 1
    else:
        assert parse_spec(spec.full_text()) == spec
