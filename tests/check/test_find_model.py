"""check without --model: the network and the loss are read off the text, as a user runs it.

Each document states its network its own way; the model found, the loss and the verdicts are
asserted, and a wrong line stays wrong.
"""

from __future__ import annotations

import pytest

from chainrule.checker import check

CASES = [
    (  # unlabelled output weights and bias (w, c), a loss written out: binary cross-entropy
        r"""A binary classifier: $h = \tanh(W_1 x + b_1)$, $\hat{y} = \sigma(w^\top h + c)$,
loss $L = -\bigl[y \log \hat{y} + (1 - y)\log(1 - \hat{y})\bigr]$.
\[ \frac{\partial L}{\partial w} = (\hat y - y) h \]
\[ \frac{\partial L}{\partial c} = \hat y - y \]
""",
        "yhat = sigmoid(W2 tanh(W1 x + b1) + b2)",
        "bce",
    ),
    (  # max(0, ·) is ReLU; a linear output named ŷ; a squared error with its ½
        r"""Let $u_1 = W_1 x$, $h_1 = \max(0, u_1)$, $u_2 = W_2 h_1$, $h_2 = \max(0, u_2)$, and
$\hat{y} = W_3 h_2$, with $L = \frac{1}{2}\sum_{m=1}^{k} (\hat{y}_m - y_m)^2$.
\[ \frac{\partial L}{\partial W_3} = (\hat y - y) h_2^\top \]
\[ \frac{\partial L}{\partial h_2} = W_3^\top (\hat y - y) \]
""",
        "yhat = identity(W3 relu(W2 relu(W1 x)))",
        "mse",
    ),
    (  # notes in columns, a sigmoid named in words, an output called yhat
        """I use s(.) for the sigmoid. Forward pass:
  z1 = W1 x + b1        a1 = s(z1)
  z2 = W2 a1 + b2       yhat = softmax(z2)
  L  = - sum_i y_i log(yhat_i)

  dL/dz2 = yhat - y
  dL/dW2 = (yhat - y) a1^T
""",
        "yhat = softmax(W2 sigmoid(W1 x + b1) + b2)",
        "cross_entropy",
    ),
    (  # logistic regression: one unlabelled W, a softmax written entry by entry, p for ŷ
        r"""scores:  $z = W x + b$
probs:   $p_i = e^{z_i} / \sum_{l} e^{z_l}$
loss: cross-entropy, $c$ is the index of the correct class.
$$\frac{\partial L}{\partial z} = p - y$$
$$\nabla_W L = (p - y) x^T$$
""",
        "yhat = softmax(W1 x + b1)",
        "cross_entropy",
    ),
]


@pytest.mark.parametrize(("text", "model", "loss"), CASES)
def test_the_network_and_the_loss_are_read_off_the_text(text: str, model: str, loss: str) -> None:
    report = check(text)
    assert (report.model.spec, report.model.loss) == (model, loss)
    assert report.model.source.startswith("the problem statement")
    assert report.steps and all(s.verdict == "correct" for s in report.steps)


def test_a_wrong_line_stays_wrong_when_the_model_is_read_off_the_text() -> None:
    text = CASES[0][0].replace(r"= (\hat y - y) h \]", r"= (y - \hat y) h \]")
    assert [s.verdict for s in check(text).steps] == ["incorrect", "correct"]


def test_an_unstated_true_class_index_is_read_as_such_and_said() -> None:
    """The seed's answer writes ŷ_m − δ_{jm} without saying that j is the true class."""
    text = r"""$\hat{y} = \mathrm{softmax}(W_2 \sigma(W_1 x))$, cross-entropy loss.
$$\frac{\partial L}{\partial z_{2,m}} = \hat y_m - \delta_{jm}$$
$$\frac{\partial L}{\partial z_{2,m}} = \hat y_m + \delta_{jm}$$
"""
    report = check(text)
    assert [s.verdict for s in report.steps] == ["correct", "incorrect"]
    assert any("j is taken as the index of the true class" in a for a in report.assumptions)


@pytest.mark.parametrize(
    "said", ["($j$ = correct class)", "où $j$ est la classe correcte", "$j$ es la clase correcta"]
)
def test_the_true_class_stated_in_other_words(said: str) -> None:
    text = rf"""$\hat y = \mathrm{{softmax}}(W_2 \sigma(W_1 x))$, $L = -\log \hat y_j$ {said}.
$$\frac{{\partial L}}{{\partial z_{{2,m}}}} = \hat y_m - \delta_{{jm}}$$
"""
    report = check(text)
    assert report.steps[0].verdict == "correct"
    assert any("from the text" in a and "j is the index" in a for a in report.assumptions)


def test_a_vulgar_fraction_and_a_subject_after_the_formula() -> None:
    text = """ok: h = ReLU(W₁x + b₁), ŷ = σ(W₂h + b₂), L = ½‖ŷ − y‖², y is a real vector

∂L/∂ŷ = ŷ − y
"""
    report = check(text)
    assert (report.model.spec, report.model.loss) == (
        "yhat = sigmoid(W2 relu(W1 x + b1) + b2)",
        "mse",
    )
    assert [s.verdict for s in report.steps] == ["correct"]


def test_a_forum_answer_in_plain_text_with_masks_and_a_case_split() -> None:
    """``h = relu(z1)`` and ``yhat = W2 h + b2`` are formulas though nothing in them is LaTeX;
    ``(z1 > 0)`` is NumPy's 0/1 mask; ``relu'(z) = 1 if z > 0, else 0`` is one piece of a
    case split, not the claim relu′ = 1; ``||v||`` is a norm."""
    text = """My loss is the squared error L = 0.5 ||yhat - y||^2.

    z1 = W1 x + b1
    h  = relu(z1)
    yhat = W2 h + b2

relu'(z) = 1 if z > 0, else 0. Then

    dL/dW2 = (yhat - y) h^T
    dL/dz1 = (W2^T (yhat - y)) * (z1 > 0)
"""
    report = check(text)
    assert (report.model.spec, report.model.loss) == (
        "yhat = identity(W2 relu(W1 x + b1) + b2)",
        "mse",
    )
    assert [s.verdict for s in report.steps] == ["correct", "correct"]


def test_an_output_the_text_never_states_is_the_one_its_loss_needs() -> None:
    """An answer to a question that stated ŷ: the text reads the layers up to z = W₃h and
    L = −log ŷ_j, so the output is a softmax (stated), not a linear one."""
    text = r"""Only the correct class $j$ has $y_j = 1$, so $L = -\log \hat{y}_j$. Let
$h = \sigma(W_2\sigma(W_1x))$ and $z = W_3 h$.
$$\frac{\partial L}{\partial z_m} = \hat y_m - \delta_{jm}$$
"""
    report = check(text)
    assert (report.model.spec, report.model.loss) == (
        "yhat = softmax(W3 sigmoid(W2 sigmoid(W1 x)))",
        "cross_entropy",
    )
    assert any("the text does not state ŷ" in a for a in report.assumptions)
    assert [s.verdict for s in report.steps] == ["correct"]


def test_a_linear_layer_and_words_before_the_equation_in_a_line() -> None:
    text = r"""x is 1 x D, h = \sigma(x W_1 + b_1) is 1 x H, u = h W_2 + b_2 is 1 x K,
\hat{y} = softmax(u W_3 + b_3), J = -\sum_i y_i \log(\hat{y}_i).

\partial J / \partial W_3 = u^T (\hat{y} - y)
"""
    report = check(text)
    assert report.model.spec == "yhat = softmax(identity(sigmoid(x W1 + b1) W2 + b2) W3 + b3)"
    assert [s.verdict for s in report.steps] == ["correct"]


def test_a_network_defined_for_a_general_layer() -> None:
    """``z⁽ˡ⁾ = W⁽ˡ⁾a⁽ˡ⁻¹⁾ + b⁽ˡ⁾`` and ``a⁽ˡ⁾ = σ(z⁽ˡ⁾)`` for l = 1, 2, then ŷ = softmax(z⁽³⁾):
    the general definitions are read at every layer the text names, and the range "for
    l = 1, 2" ends at the comma before ŷ's definition."""
    text = r"""Throughout, $a^{(0)} = x$, $z^{(l)} = W^{(l)} a^{(l-1)} + b^{(l)}$ and
$a^{(l)} = \sigma(z^{(l)})$ for $l = 1, 2$, and $\hat{y} = \mathrm{softmax}(z^{(3)})$, with
cross-entropy.
\[ \delta^{(3)} = \hat{y} - y \]
\[ \frac{\partial L}{\partial W^{(3)}} = \delta^{(3)} a^{(2)\top} \]
"""
    report = check(text)
    assert (report.model.spec, report.model.loss) == (
        "yhat = softmax(W3 sigmoid(W2 sigmoid(W1 x + b1) + b2) + b3)",
        "cross_entropy",
    )
    assert [s.verdict for s in report.steps] == ["correct", "correct"]


@pytest.mark.parametrize(
    ("statement", "model"),
    [
        (r"$s = \theta^\top x + \theta_0$, $\hat y = \sigma(s)$", "yhat = sigmoid(W1 x + b1)"),
        (
            r"$z_\ell = W_\ell a_{\ell-1}$ with $a_0 = x$, $a_\ell = \sigma(z_\ell)$ for "
            r"$\ell = 1$, and $\hat y = \sigma(z_2)$",
            "yhat = sigmoid(W2 sigmoid(W1 x))",
        ),
    ],
)
def test_logistic_regression_with_theta_and_layers_in_subscripts(
    statement: str, model: str
) -> None:
    text = (
        statement
        + r""", loss $L = -y \log \hat y - (1 - y)\log(1 - \hat y)$.
$$\frac{\partial L}{\partial \hat y} = \frac{\hat y - y}{\hat y (1 - \hat y)}$$
"""
    )
    report = check(text)
    assert (report.model.spec, report.model.loss) == (model, "bce")
    assert [s.verdict for s in report.steps] == ["correct"]


@pytest.mark.parametrize(
    ("statement", "model"),
    [
        (  # index form with sums, a ReLU as max(0, ·), a linear output, column convention
            r"let $u_r = \sum_{s} W^{(1)}_{rs} x_s + b^{(1)}_r$, $h_r = \max(0, u_r)$ and "
            r"$\hat{y}_m = \sum_{r} W^{(2)}_{mr} h_r + b^{(2)}_m$, with "
            r"$L = \frac{1}{2} \sum_{m} (\hat{y}_m - y_m)^2$.",
            "yhat = identity(W2 relu(W1 x + b1) + b2)",
        ),
        (  # Einstein's convention, rows: z_j = x_i W_ij
            r"with the summation convention, $z_j = x_i W^{(1)}_{ij} + b^{(1)}_j$, "
            r"$h_j = \tanh(z_j)$, $\hat{y}_k = h_j W^{(2)}_{jk} + b^{(2)}_k$, and "
            r"$L = \frac{1}{2} \sum_{k} (\hat{y}_k - y_k)^2$.",
            "yhat = identity(tanh(x W1 + b1) W2 + b2)",
        ),
    ],
)
def test_a_network_stated_entry_by_entry(statement: str, model: str) -> None:
    text = statement + "\n$$\\frac{\\partial L}{\\partial \\hat y_m} = \\hat y_m - y_m$$\n"
    report = check(text)
    assert (report.model.spec, report.model.loss) == (model, "mse")
    assert [s.verdict for s in report.steps] == ["correct"]


def test_numpy_code_style_forward_pass() -> None:
    text = """Z1 = X @ W1 + b1;  H1 = np.maximum(Z1, 0)
Z2 = H1 @ W2 + b2; Yhat = np.tanh(Z2)
L = 0.5 * ||Yhat - Y||^2 / m

dZ2 = (Yhat - Y) * (1 - Yhat**2)
"""
    report = check(text)
    assert report.model.spec == "yhat = tanh(relu(X W1 + b1) W2 + b2)"


def test_an_output_entry_right_only_at_an_unstated_class_is_not_called_wrong() -> None:
    """∂L/∂ŷ_j = −1/ŷ_j is right if j is the true class and wrong otherwise; a text that
    never says what j is gets "could not verify" with what to write, and the same line is
    checked once the text says it."""
    text = r"""$\hat y = \mathrm{softmax}(W_2 \sigma(W_1 x))$, $L = -\log \hat y_j$.
$$\frac{\partial L}{\partial \hat y_j} = -\frac{1}{\hat y_j}$$
"""
    (step,) = check(text).steps
    assert step.verdict == "unverifiable" and "right if j is the true class" in step.message
    said = text.replace(r"\hat y_j$.", r"\hat y_j$, where $j$ is the correct class.")
    assert [s.verdict for s in check(said).steps] == ["correct"]


def test_a_name_given_to_the_result_above_in_words() -> None:
    text = r"""$u = W_1 x + b_1$, $h = \tanh(u)$, $\hat y = W_2 h + b_2$,
$L = \frac12 \|\hat y - y\|^2$.
$$\frac{\partial L}{\partial u} = (1 - h \odot h) \odot W_2^{\top} (\hat y - y)$$
Call that $g$. Then
$$\frac{\partial L}{\partial b_1} = g, \qquad \frac{\partial L}{\partial b_1} = 2 g$$
"""
    report = check(text)
    assert [s.verdict for s in report.steps][1:] == ["correct", "incorrect"]


def test_nielsens_notation_read_off_the_text() -> None:
    text = r"""$$z^l = w^l a^{l-1} + b^l,\quad a^l = \sigma(z^l)\ (l = 1, 2),\quad
a^L_j = \frac{e^{z^L_j}}{\sum_k e^{z^L_k}},\quad a^0 = x,\ L = 3.$$
The cost is the log-likelihood $C = -\ln a^L_y$, where $y$ is the correct class.
$$\frac{\partial C}{\partial b^L_j} = a^L_j - y_j$$
"""
    report = check(text)
    assert report.model.spec == "yhat = softmax(W3 sigmoid(W2 sigmoid(W1 x + b1) + b2) + b3)"
    assert report.model.loss == "cross_entropy"


def test_own_letters_sizes_a_target_t_and_the_unit_step() -> None:
    """A bias written a, sizes stated as numbers (d = 784, K = 10 are not quantities), the
    target called t, and step(z) for ReLU's derivative."""
    text = r"""$r = U x + a$, $h = \max(0, r)$, $s = V h + c$, $p = \operatorname{softmax}(s)$;
the target $t$ is one-hot and $\ell = -\sum_{i=1}^{K} t_i \log p_i$, with $d = 784$, $K = 10$.
$$\frac{\partial \ell}{\partial s} = p - t$$
$$\frac{\partial \ell}{\partial r} = (V^\top (p - t)) \odot \mathrm{step}(r)$$
$$\frac{\partial \ell}{\partial a} = (V^\top (p - t)) \odot \mathrm{step}(h)$$
"""
    report = check(text)
    assert (report.model.spec, report.model.loss) == (
        "yhat = softmax(W2 relu(W1 x + b1) + b2)",
        "cross_entropy",
    )
    assert [s.verdict for s in report.steps] == ["correct", "correct", "correct"]
    assert any("t is the target y" in a for a in report.assumptions)
