"""What check understands beyond the seed, each on a small document written here."""

from __future__ import annotations

import pytest

from chainrule.checker import check

DLAI = r"""Forward: $Z^{[1]} = W^{[1]} X + b^{[1]}$, $A^{[1]} = \tanh(Z^{[1]})$,
$Z^{[2]} = W^{[2]} A^{[1]} + b^{[2]}$, $A^{[2]} = \sigma(Z^{[2]})$, cost averaged over m examples.

$$dZ^{[2]} = A^{[2]} - Y$$

$$\frac{\partial J}{\partial W^{[2]}} = \frac{1}{m} dZ^{[2]} A^{[1]T}$$

$$\frac{\partial J}{\partial W^{[1]}}
  = \frac{1}{m} \left(W^{[2]T} dZ^{[2]} \odot (1 - A^{[1]2})\right) X^T$$
"""
DLAI_MODEL = "yhat = sigmoid(W2 tanh(W1 X + b1) + b2)"


def test_batched_deeplearning_ai_derivation_is_correct() -> None:
    report = check(DLAI, model=DLAI_MODEL, loss="bce")
    assert [s.verdict for s in report.steps] == ["correct"] * 3
    assert any("dZ" in a and "m·∂J/∂Z" in a for a in report.assumptions)


def test_missing_one_over_m_is_named_and_fixed() -> None:
    wrong = DLAI.replace(r"\frac{1}{m} dZ^{[2]} A^{[1]T}", r"dZ^{[2]} A^{[1]T}")
    report = check(wrong, model=DLAI_MODEL, loss="bce")
    step = report.steps[1]
    assert step.verdict == "incorrect" and step.introduces_error
    (kind,) = [d for d in step.diagnosis if d.kind == "missing_factor"]
    assert kind.fix is not None and "\\frac{1}{m}" in kind.fix


GENERAL = r"""The network: $\hat{y} = \mathrm{softmax}(W^{(3)} \sigma(W^{(2)} \sigma(W^{(1)} x)))$
with cross-entropy, and $\delta^{(l)} = \partial L / \partial z^{(l)}$.
\[
\delta^{(l)} = \left((W^{(l+1)})^\top \delta^{(l+1)}\right) \odot \sigma'(z^{(l)})
\]
\[
\delta^{(l)} = \left((W^{(l+1)})^\top \delta^{(l+1)}\right) \odot \sigma(z^{(l)})
\]
"""


def test_a_general_layer_claim_is_checked_at_every_layer() -> None:
    report = check(GENERAL)
    right, wrong = report.steps
    assert right.verdict == "correct"
    assert wrong.verdict == "incorrect"
    assert wrong.message.startswith("at l = ")


def test_an_unknown_name_is_unverifiable_and_says_how_to_define_it() -> None:
    text = r"""$$\hat{y} = \mathrm{softmax}(W_2 \sigma(W_1 x))$$
$$\frac{\partial L}{\partial W_2} = (\hat{y} - y) q^\top$$
"""
    report = check(text)
    (step,) = report.steps
    assert step.verdict == "unverifiable"
    assert "q" in step.message and "--define" in step.message
    defined = check(text, defines=["q = sigmoid(W1 x)"])
    assert defined.steps[0].verdict == "correct"


def test_next_steps_include_biases() -> None:
    text = r"""Network: $\hat{y} = \mathrm{softmax}(W_2 \tanh(W_1 x + b_1) + b_2)$.

$$\frac{\partial L}{\partial W_{2,mn}} = (\hat{y}_m - y_m) h_n$$
where $h = \tanh(W_1 x + b_1)$.
"""
    report = check(text)
    assert report.steps[0].verdict == "correct"
    assert [n.wrt for n in report.next_steps] == ["W2", "b2", "W1", "b1"]


def test_numerator_layout_is_honoured_only_when_declared() -> None:
    body = r"""$$\hat{y} = \mathrm{softmax}(W_2 \sigma(W_1 x))$$
$$\frac{\partial L}{\partial W_2} = a_1 (\hat{y} - y)^\top$$
"""
    assert check(body).steps[0].verdict == "incorrect"
    declared = "We use numerator layout throughout.\n" + body
    assert check(declared).steps[0].verdict == "correct"


def test_sgd_updates_are_checked_against_the_true_gradient() -> None:
    text = r"""$$\hat{y} = \mathrm{softmax}(W_2 \sigma(W_1 x))$$

$$W_2 \leftarrow W_2 - \eta (\hat{y} - y) a_1^\top$$

$$W_1 \leftarrow W_1 + \eta ((W_2^\top (\hat{y} - y)) \odot a_1 \odot (1 - a_1)) x^\top$$
"""
    report = check(text)
    right, wrong = report.steps
    assert right.verdict == "correct"
    assert wrong.verdict == "incorrect"
    assert wrong.diagnosis[0].kind == "sign"
    assert any("learning rate" in a for a in report.assumptions)


MEAN_DZ = r"""Forward for a batch $X$: $Z_1 = W_1 X + b_1$, $A_1 = \sigma(Z_1)$,
$Z_2 = W_2 A_1 + b_2$, $\hat{Y} = \mathrm{softmax}(Z_2)$; the cost is the mean over m examples.
\begin{align}
dZ_2 &= \frac{1}{m}(\hat{Y} - Y) \\
dW_2 &= dZ_2 A_1^T \\
db_2 &= \sum_{i=1}^{m} dZ_2^{(i)} \\
dZ_1 &= W_2^T dZ_2 \odot A_1 \odot (1 - A_1) \\
dW_1 &= dZ_1 X^T
\end{align}
"""
MEAN_DZ_MODEL = "softmax(W2 sigmoid(W1 X + b1) + b2)"


def test_a_batch_error_signal_with_the_one_over_m_inside_is_right_and_said_so() -> None:
    """dZ = (1/m)(Ŷ − Y) is the other taught convention (dZ = ∂J/∂Z): right, and the lines
    after it are read that way; a per-example sum written X^{(i)} is not verified, never
    called wrong."""
    report = check(MEAN_DZ, model=MEAN_DZ_MODEL)
    assert [s.verdict for s in report.steps] == [
        "correct", "correct", "unverifiable", "correct", "correct",
    ]  # fmt: skip
    assert "example number" in report.steps[2].message
    assert any("1/m inside them" in a for a in report.assumptions)


def test_a_wrong_line_stays_wrong_in_either_convention() -> None:
    wrong = MEAN_DZ.replace(r"dW_1 &= dZ_1 X^T", r"dW_1 &= \frac{1}{m} dZ_1 X^T")
    report = check(wrong, model=MEAN_DZ_MODEL)
    assert report.steps[-1].verdict == "incorrect"
    assert [s.verdict for s in report.steps[:2]] == ["correct", "correct"]


NO_HALF = r"""$\hat y = W_2 \tanh(W_1 x)$, and the loss is the plain squared error
\begin{equation*}
L = \lVert \hat y - y \rVert^2 \quad (\text{no } \tfrac12 \text{ this time}).
\end{equation*}
\begin{align}
\frac{\partial L}{\partial \hat y} &= 2(\hat y - y) \\
\frac{\partial L}{\partial W_2} &= 2(\hat y - y) \tanh(W_1 x)^T \\
\frac{\partial L}{\partial W_2} &= (\hat y - y) \tanh(W_1 x)^T
\end{align}
"""


@pytest.mark.parametrize("given", [{}, {"model": "identity(W2 tanh(W1 x))", "loss": "mse"}])
def test_a_squared_error_without_the_half_is_the_documents_loss(given: dict[str, str]) -> None:
    """The text defines L without MSE's ½ — found or named mse on the command line, the
    document's own definition sets the factor of 2, and says so."""
    report = check(NO_HALF, **given)
    assert [s.verdict for s in report.steps[-3:]] == ["correct", "correct", "incorrect"]
    assert any("without the ½" in a for a in report.assumptions)


def test_a_kronecker_index_takes_its_range_from_a_later_factor() -> None:
    text = r"""$\hat y = \mathrm{softmax}(W_2 \sigma(W_1 x))$, $L = -\sum_l y_l \log \hat y_l$,
and $j$ is the correct class.
$$\frac{\partial L}{\partial z_{2,m}} = \sum_{l} \left(-\frac{\delta_{lj}}{\hat{y}_j}\right)
\hat{y}_l(\delta_{lm} - \hat{y}_m)$$
"""
    (step,) = check(text).steps
    assert step.verdict == "correct", step.message


def test_a_matrix_defined_entry_by_entry_is_bound_by_value() -> None:
    """``P_{ki} = exp(Z_{ki}) / Σ_c exp(Z_{ci})`` defines all of P (here ŷ, k × m)."""
    text = r"""Examples are columns of $X$: $Z_1 = W_1 X + b_1$, $A = \max(0, Z_1)$,
$Z_2 = W_2 A + b_2$, $P_{ki} = \exp(Z_{2,ki}) / \sum_c \exp(Z_{2,ci})$,
$J = -\frac{1}{m} \sum_i \sum_k Y_{ki} \log P_{ki}$.
$$\frac{\partial J}{\partial W_2} = \frac{1}{m} (P - Y) A^T$$
$$\frac{\partial J}{\partial W_2} = \frac{1}{m} (Y - P) A^T$$
"""
    report = check(text, model="softmax(W2 relu(W1 X + b1) + b2)")
    assert [s.verdict for s in report.steps[-2:]] == ["correct", "incorrect"]


def test_a_one_unit_layers_weight_vector_and_a_where_definition() -> None:
    """``p = σ(w_2^⊤ h + b_2)``: w₂ is the one-unit layer's weight vector (W₂ = w₂ᵀ), and
    ``\\text{where } s = …`` after a claim defines s for it."""
    text = r"""The network is $h = \tanh(W_1 x + b_1)$, $p = \sigma(w_2^\top h + b_2)$, with the
logistic loss $L = -y \log p - (1 - y) \log(1 - p)$.
$$\frac{\partial L}{\partial s} = p - y \qquad \text{where } s = w_2^\top h + b_2$$
$$\frac{\partial L}{\partial w_2} = (p - y)\, h$$
$$\frac{\partial L}{\partial w_2} = (y - p)\, h$$
"""
    report = check(text, model="sigmoid(W2 tanh(W1 x + b1) + b2)", loss="bce")
    assert [s.verdict for s in report.steps] == ["correct", "correct", "incorrect"]
    assert any("weight vector of the one-unit layer 2" in a for a in report.assumptions)


def test_integer_labels_and_primed_indices_in_a_row_batch() -> None:
    """``1\\{c = y_i\\}`` with y_i example i's class, and ``c'`` another index than c."""
    text = r"""Rows of $X$ are examples; $S = X W + b$,
$P_{ic} = \exp(S_{ic}) / \sum_{c'} \exp(S_{ic'})$, labels $y_i \in \{1, \dots, k\}$,
$J = -\frac{1}{m} \sum_i \log P_{i y_i}$.
$$\frac{\partial P_{ic}}{\partial S_{ic'}} = P_{ic}\,(\delta_{cc'} - P_{ic'})$$
$$\frac{\partial J}{\partial S_{ic}} = \frac{1}{m}\,(P_{ic} - \mathbb{1}\{c = y_i\})$$
$$\frac{\partial J}{\partial S_{ic}} = \frac{1}{m}\,(P_{ic} - \mathbb{1}\{c \neq y_i\})$$
"""
    report = check(text, model="softmax(X W1 + b1)")
    assert [s.verdict for s in report.steps] == ["correct", "correct", "incorrect"]
    assert any("class of example i" in a for a in report.assumptions)


def test_numpy_notation_and_an_identity_over_a_wrong_value() -> None:
    """``A1.T @ dJ/dZ2`` is read as NumPy writes it; after a wrong ∂J/∂Z₂, the identity
    ∂J/∂W₂ = A₁ᵀ ∂J/∂Z₂ is still right as written, with a note that the author's value of
    ∂J/∂Z₂ would make its result wrong — never an accusation."""
    text = """rows are examples
  Z1 = X @ W1 + b1, A1 = tanh(Z1), Z2 = A1 @ W2 + b2, Yhat = sigmoid(Z2)
  dJ/dZ2 = (2/m) * (Yhat - Y) * Y * (1 - Y)
  dJ/dW2 = A1.T @ dJ/dZ2
  dJ/dA1 = dJ/dZ2 @ W2.T
  dJ/dZ1 = dJ/dA1 * (1 - A1**2)
"""
    report = check(text, model="sigmoid(tanh(X W1 + b1) W2 + b2)", loss="mse")
    first, *rest = report.steps
    assert first.verdict == "incorrect"
    assert [s.verdict for s in rest] == ["correct"] * 3
    assert all("carries the error of line 3" in s.message for s in rest)


def test_plain_text_derivatives_and_an_mse_whose_half_is_open() -> None:
    """``dL/dyhat`` typed without LaTeX is a claim; with an MSE the text never writes out,
    a gradient exactly twice the ½-MSE one is 'could not verify', never wrong."""
    text = """regression head, x is a column vector
    h = tanh(W1 x + b1)
    yhat = W2 h + b2

    dL/dyhat = 2 (yhat - y)
    dL/dW2 = (yhat - y) h^T
    dL/dW2 = 3 (yhat - y) h^T
"""
    report = check(text, model="identity(W2 tanh(W1 x + b1) + b2)", loss="mse")
    assert [(s.line, s.verdict) for s in report.steps] == [
        (5, "unverifiable"), (6, "correct"), (7, "incorrect"),
    ]  # fmt: skip
    assert "without the ½" in report.steps[0].message


def test_a_sum_that_is_zero_in_exact_arithmetic_is_zero() -> None:
    """Σ_m ∂L/∂z_m = 0 for softmax with cross-entropy: the truth comes out as ~1e-16."""
    text = r"""$\hat y = \mathrm{softmax}(W_2 \sigma(W_1 x))$ with cross-entropy.
$$\sum_m \frac{\partial L}{\partial z_{2,m}} = 0$$
$$\sum_m \frac{\partial L}{\partial z_{2,m}} = 1$$
"""
    assert [s.verdict for s in check(text).steps] == ["correct", "incorrect"]


def test_an_error_signal_claimed_entry_by_entry_is_carried() -> None:
    text = r"""$\hat y = \mathrm{softmax}(W_2 \sigma(W_1 x))$, cross-entropy, $j$ the true class.
$$\delta_{2_m} = (\hat{y}_m - \delta_{mj})\,\hat{y}_m(1-\hat{y}_m)$$
$$\frac{\partial L}{\partial W_2_{mn}} = \delta_{2_m}\, a_{1_n}$$
"""
    claim, use = check(text).steps
    assert claim.verdict == use.verdict == "incorrect"
    assert claim.introduces_error and not use.introduces_error
    assert "carries the error of line 2" in use.message


def test_a_name_for_a_derivative_then_a_claim_about_it() -> None:
    """``g_2 = ∂L/∂z_2 = ŷ − y`` and ``J := ∂a_1/∂x = …``: the name is a definition, the
    derivative's value the claim judged."""
    text = r"""$\hat y = \mathrm{softmax}(W_2 \sigma(W_1 x))$ with cross-entropy.
$$g_2 = \frac{\partial L}{\partial z_2} = \hat y - y$$
$$J := \frac{\partial a_1}{\partial x} = \mathrm{diag}(a_1 \odot (1 - a_1)) W_1^T$$
$$\frac{\partial L}{\partial W_2} = g_2 a_1^T$$
"""
    report = check(text)
    assert [(s.line, s.verdict) for s in report.steps] == [
        (2, "correct"), (3, "incorrect"), (4, "correct"),
    ]  # fmt: skip


def test_a_bias_gradient_over_a_batch_as_a_product_with_ones() -> None:
    """``Δ 𝟏`` sums a batch's errors (the bias gradient; without it the shapes differ), and
    ``Z = W X + b 𝟏ᵀ`` keeps Z's meaning though chainrule cannot evaluate the broadcast."""
    text = r"""Examples are columns: $Z_1 = W_1 X + b_1 \mathbf{1}^\top$, $A_1 = \tanh(Z_1)$,
$Z_2 = W_2 A_1 + b_2 \mathbf{1}^\top$, $\hat Y = \mathrm{softmax}(Z_2)$, mean cross-entropy.
$$\Delta_2 = \frac{1}{m}(\hat Y - Y)$$
$$\frac{\partial L}{\partial b_2} = \Delta_2 \mathbf{1}$$
$$\frac{\partial L}{\partial b_2} = \Delta_2$$
"""
    report = check(text, model="softmax(W2 tanh(W1 X + b1) + b2)")
    assert [s.verdict for s in report.steps[-2:]] == ["correct", "incorrect"]


def test_the_texts_own_words_for_f_and_g_and_u_as_pre_activations() -> None:
    """ "f, the hyperbolic tangent" names f (an author's wrong f′ does not), and u₂ is a
    pre-activation: σ′(u₂) = h₂ ⊙ (1 − h₂) is about the network, not an identity in u."""
    text = r"""The network is $\hat y = \mathrm{softmax}(W_3 g(W_2 f(W_1 x)))$, where the first
layer uses $f$, the hyperbolic tangent, and the second uses $g$, the logistic sigmoid.
Write $h_1 = f(W_1 x)$, $h_2 = g(W_2 h_1)$ and $u_\ell$ for layer $\ell$'s pre-activation.
$$f'(z) = f(z)(1 - f(z))$$
$$g'(u_2) = h_2 \odot (1 - h_2)$$
$$\frac{\partial L}{\partial W_3} = (\hat y - y) h_2^\top$$
"""
    report = check(text)
    assert [s.verdict for s in report.steps] == ["incorrect", "correct", "correct"]
    assert any("f is the tanh (from the text)" in a for a in report.assumptions)


def test_a_batch_loss_written_with_a_frobenius_norm() -> None:
    """``L = (1/2m) ‖Ŷ − Y‖_F²`` is read as the mean ½-squared error, so a doubled
    gradient is wrong (not excused by an open ½)."""
    text = r"""Examples are columns: $\hat Y = W_2 \tanh(W_1 X)$,
$L = \frac{1}{2m} \| \hat Y - Y \|_F^2$.
$$\frac{\partial L}{\partial \hat Y} = \frac{1}{m}(\hat Y - Y)$$
$$\frac{\partial L}{\partial \hat Y} = \frac{2}{m}(\hat Y - Y)$$
"""
    report = check(text, model="identity(W2 tanh(W1 X))", loss="mse")
    assert [s.verdict for s in report.steps] == ["correct", "incorrect"]


def test_a_chain_that_settles_the_batch_convention_is_judged_in_it() -> None:
    """``Δ₂ = ∂L/∂Z₂ = (Ŷ − Y)/m``: Δ (like δ) with the 1/m inside, and the rest of the same
    chain compared with Δ read that way."""
    text = r"""Rows are examples: $Z_1 = X W_1$, $H_1 = \tanh(Z_1)$, $Z_2 = H_1 W_2$,
$\hat Y = \mathrm{softmax}(Z_2)$, mean cross-entropy.
$$\Delta_2 = \frac{\partial L}{\partial Z_2} = \frac{1}{m}(\hat Y - Y)$$
$$\frac{\partial L}{\partial W_2} = H_1^\top \Delta_2$$
"""
    report = check(text, model="softmax(tanh(X W1) W2)")
    assert [s.verdict for s in report.steps] == ["correct"] * 3


def test_code_style_lines_without_latex_are_claims() -> None:
    text = """examples are columns, J is the mean cross-entropy
backward:
    dZ2 = A2 - Y
    dW2 = (1/m) dZ2 A1^T
    db2 = (1/m) dZ2 1
    dW2 = dZ2 A1^T
"""
    report = check(text, model="softmax(W2 tanh(W1 X + b1) + b2)")
    assert [(s.line, s.verdict) for s in report.steps] == [
        (3, "correct"), (4, "correct"), (5, "correct"), (6, "incorrect"),
    ]  # fmt: skip


def test_a_layer_quantity_keeps_its_meaning_when_its_definition_is_misread() -> None:
    """``Z₁ = X W₁ + 𝟏 b₁ᵀ:`` read as ``X W₁ + 𝟏`` (its colon ends the formula) matches
    nothing in the network, so Z₁ stays the network's Z₁; H_l is layer l's activation."""
    text = r"""Rows are examples, i.e. Z₁ = X W₁ + 𝟏 b₁ᵀ: the bias broadcasts.
H₁ = tanh(Z₁), Ŷ = softmax(H₁ W₂ + 𝟏 b₂ᵀ), mean cross-entropy, G₂ = Ŷ − Y.

∂L/∂W₂ = (1/m) H₁ᵀ G₂

G₁ = (G₂ W₂ᵀ) ⊙ (1 − H₁ ⊙ H₁)

∂L/∂W₁ = (1/m) Xᵀ G₁
"""
    report = check(text, model="softmax(tanh(X W1 + b1) W2 + b2)")
    assert [s.verdict for s in report.steps] == ["correct", "correct"]


def test_a_name_defined_as_a_derivative_for_every_layer() -> None:
    """``E_ℓ := m ∂L/∂Z_ℓ`` makes ``E_3 = …`` and ``E_2 = …`` claims about E at that layer."""
    text = r"""Rows are examples: $Z_1 = X W_1$, $H_1 = \tanh(Z_1)$, $Z_2 = H_1 W_2$,
$\hat Y = \mathrm{softmax}(Z_2)$, mean cross-entropy.
I use $E_\ell := m\,\partial L/\partial Z_\ell$.
$$E_2 = \hat Y - Y$$
$$E_1 = (E_2 W_2^\top) \odot (1 - H_1 \odot H_1)$$
$$E_1 = (E_2 W_2^\top) \odot H_1$$
"""
    report = check(text, model="softmax(tanh(X W1) W2)")
    assert [s.verdict for s in report.steps] == ["correct", "correct", "incorrect"]
    assert any("for every layer" in a for a in report.assumptions)


def test_a_name_defined_in_words_as_a_gradient() -> None:
    text = r"""The network is $h = \tanh(W_1 x)$, $\hat y = W_2 h$ with the squared error
$L = \tfrac12 \lVert \hat y - y \rVert^2$. Write $u_\ell$ for the pre-activation of layer
$\ell$; $g_\ell$ denotes the gradient of the loss with respect to $u_\ell$.
$$g_2 = \hat y - y$$
$$g_1 = (1 - h \odot h) \odot W_2^\top g_2$$
$$g_1 = h \odot W_2^\top g_2$$
"""
    report = check(text, model="identity(W2 tanh(W1 x))", loss="mse")
    assert [s.verdict for s in report.steps] == ["correct", "correct", "incorrect"]


def test_a_general_layer_definition_is_matched_at_every_layer() -> None:
    """Goodfellow's ``a^{(k)} = b^{(k)} + W^{(k)} h^{(k-1)}``: here a is the pre-activation,
    so ∇_{a^{(2)}} J is the error at z₂, not at the usual a₂."""
    text = r"""We follow the book: $a^{(k)} = b^{(k)} + W^{(k)} h^{(k-1)}$, $h^{(k)} = f(a^{(k)})$,
$h^{(0)} = x$, $f$ is the ReLU, and $\hat y = \mathrm{softmax}(a^{(2)})$.
$$\nabla_{a^{(2)}} J = \hat y - y$$
$$\nabla_{a^{(1)}} J = (W^{(2)\top} (\hat y - y)) \odot \mathbb{1}[a^{(1)} > 0]$$
"""
    report = check(text, model="softmax(W2 relu(W1 x + b1) + b2)")
    assert [s.verdict for s in report.steps] == ["correct", "correct"]
    assert any("at every layer" in a and "matched by value" in a for a in report.assumptions)


def test_nielsens_notation() -> None:
    """Layer superscripts (``a^l``, ``w^{l+1}``, ``\\delta^L_j``) and ``w^l_{jk}``, the weight
    from neuron k below to neuron j; BP1–BP4 checked at every layer."""
    text = r"""Nielsen's notation: $z^l = w^l a^{l-1} + b^l$, $a^l = \sigma(z^l)$, $a^0 = x$,
$L = 2$, quadratic cost $C = \tfrac12 \lVert y - a^L \rVert^2$,
and $\delta^l = \partial C/\partial z^l$.
$$\delta^L = (a^L - y) \odot \sigma'(z^L)$$
$$\delta^l = ((w^{l+1})^T \delta^{l+1}) \odot \sigma'(z^l)$$
$$\frac{\partial C}{\partial w^l_{jk}} = a^{l-1}_k \delta^l_j$$
$$\frac{\partial C}{\partial w^l_{jk}} = a^{l-1}_j \delta^l_k$$
"""
    report = check(text, model="sigmoid(W2 sigmoid(W1 x + b1) + b2)", loss="mse")
    verdicts = [s.verdict for s in report.steps]
    assert verdicts[:3] == ["correct"] * 3 and verdicts[3] != "correct"


def test_code_style_notes_that_say_dq_means_dj_dq() -> None:
    """ "dQ means dJ/dQ": dZ is the mean cost's derivative from the start, so a dZ without
    the 1/m is wrong (not excused by the per-example convention)."""
    text = """examples are columns, J is the mean cross-entropy
notation: dQ means dJ/dQ, same shape as Q.
    dZ2 = A2 - Y
    dZ2 = (1/m) (A2 - Y)
"""
    report = check(text, model="softmax(W2 tanh(W1 X + b1) + b2)")
    assert [s.verdict for s in report.steps] == ["incorrect", "correct"]


def test_digit_layer_superscripts_in_a_document_that_writes_a_to_the_l() -> None:
    """Nielsen writes ``a^l`` for layer l, so ``δ^2`` and ``(w^3)^T`` there are layers 2 and
    3, not powers."""
    text = r"""With $z^l = w^l a^{l-1}$ and $a^l = \sigma(z^l)$, $a^0 = x$, quadratic cost
$C = \tfrac12 \lVert a^2 - y \rVert^2$:
$$\delta^2 = (a^2 - y) \odot a^2 \odot (1 - a^2)$$
$$\delta^1 = \big((w^2)^T \delta^2\big) \odot a^1 \odot (1 - a^1)$$
$$\frac{\partial C}{\partial w^2} = \delta^2 (a^1)^T$$
"""
    report = check(text, model="sigmoid(W2 sigmoid(W1 x))", loss="mse")
    assert [s.verdict for s in report.steps] == ["correct"] * 3


EINSTEIN = r"""Network: $\hat y = \mathrm{softmax}(W_3 \sigma(W_2 \sigma(W_1 x)))$, cross-entropy.
Let $h_1 = \sigma(W_1 x)$, $h_2 = \sigma(W_2 h_1)$.DECLARED
\begin{align*}
\frac{\partial L}{\partial h_{2,j}} &= (\hat y_k - y_k) W_{3,kj} \\
\frac{\partial L}{\partial W_{2,ji}} &= (\hat y_k - y_k) W_{3,kj} h_{2,j}(1-h_{2,j}) h_{1,i} \\
\frac{\partial L}{\partial h_{1,i}} &= (\hat y_k - y_k) W_{3,kj} h_{2,j}(1-h_{2,j}) W_{2,ij}
\end{align*}
"""


@pytest.mark.parametrize(
    "declared", [" We use the summation convention: repeated indices are summed.", ""]
)
def test_einsteins_summation_convention(declared: str) -> None:
    """Repeated indices are summed when the text says so, and in a text that writes no Σ;
    the left-hand side's j stays free however often the right repeats it."""
    report = check(EINSTEIN.replace("DECLARED", declared))
    assert [s.verdict for s in report.steps] == ["correct", "correct", "incorrect"]
    wrong = report.steps[2]  # W_{2,ij} for W_{2,ji}: wrong in either reading
    assert wrong.introduces_error
    notes = " ".join(report.assumptions)
    if declared:
        assert "as the text says (Einstein's summation convention)" in notes
    else:
        assert "Read with the repeated index k summed over" in notes
        assert "does not say so" in notes


def test_a_text_that_writes_its_sums_is_not_read_with_implicit_ones() -> None:
    """A dropped Σ in a text that writes Σ elsewhere is a dropped sum, not Einstein."""
    text = EINSTEIN.replace("DECLARED", "").replace(
        r"&= (\hat y_k - y_k) W_{3,kj} \\", r"&= \sum_k (\hat y_k - y_k) W_{3,kj} \\", 1
    )
    report = check(text)
    assert [s.verdict for s in report.steps][:2] == ["correct", "incorrect"]


ROW_BATCH = r"""A batch of $m$ rows: $U = X W_1 + \mathbf 1\, b_1^{\mathsf T}$, $H = \tanh(U)$,
$\hat{\mathbf y} = \sigma(H W_2 + b_2 \mathbf 1)$, with binary cross-entropy averaged over
the batch;
dZ and dH are per-example gradients, without the 1/m.
\[ dZ_2 = \hat{\mathbf y} - \mathbf y \]
\[ dH = dZ_2\, W_2^{\mathsf T} \]
\[ dZ_1 = dH \circ (1 - H \circ H) \]
\[ \frac{\partial L}{\partial W_1} = \frac{1}{m}\, X^{\mathsf T} dZ_1 \]
"""


def test_a_row_batch_with_a_column_bias_and_a_code_style_dh() -> None:
    """``𝟏 b₁ᵀ`` adds b₁ to every row (stated), and ``dH`` is a gradient's name (per example,
    like dZ), not d·H."""
    report = check(ROW_BATCH, model="yhat = sigmoid(tanh(X W1 + b1) W2 + b2)", loss="bce")
    assert [s.verdict for s in report.steps] == ["correct"] * 4
    wrong = check(
        ROW_BATCH.replace(r"dH \circ (1 - H \circ H)", r"dH \circ (1 - H)"),
        model="yhat = sigmoid(tanh(X W1 + b1) W2 + b2)",
        loss="bce",
    )
    assert [s.verdict for s in wrong.steps] == ["correct", "correct", "incorrect", "incorrect"]


def test_identities_between_functions_written_without_their_argument() -> None:
    """tanh′ = 1 − tanh², σ′ = σ(1 − σ) (a product, not σ of 1 − σ) are checked at random
    points; tanh′ = 1 − tanh is wrong."""
    text = r"""$\hat y = \mathrm{softmax}(W_2 \tanh(W_1 x))$, cross-entropy.
$$\frac{\partial L}{\partial z_2} = \hat y - y$$
Recall $\tanh' = 1 - \tanh^2$, and $\sigma' = \sigma (1 - \sigma)$, and $\tanh' = 1 - \tanh$.
"""
    report = check(text)
    assert [s.verdict for s in report.steps] == ["correct", "correct", "correct", "incorrect"]


def test_a_layers_activation_written_g_with_its_layer_and_a_prime() -> None:
    """deeplearning.ai's g^{[1]′}(Z^{[1]}) is layer 1's activation's derivative, whatever g
    means elsewhere; claimed for a general l it is checked where it holds and "could not
    verify" where another activation is, never wrong."""
    text = (
        DLAI
        + r"""
$$g^{[1]\prime}(Z^{[1]}) = 1 - (A^{[1]})^2$$
$$g^{[l]\prime}(Z^{[l]}) = 1 - (A^{[l]})^2$$
$$\frac{dA^{[2]}}{dZ^{[2]}} = A^{[2]}(1 - A^{[2]})$$
"""
    )
    steps = check(text, model=DLAI_MODEL, loss="bce").steps[3:]
    assert [s.verdict for s in steps[:2]] == ["correct", "unverifiable"]
    assert "right at l = 1, not at l = 2" in steps[1].message
