#!/usr/bin/env python3
"""Independent numerical proof of every label in labels.json (fifth held-out corpus).

numpy only -- no chainrule import, no sympy, no autograd library; the shared
method and the reason are in tests/corpus/proofkit.py.  This file: the
corpus's settings, its --stats lines, the one thing proofkit lacks (a
multi-label sigmoid/BCE output with k > 1 units), and one hand translation
per document.

Run from the repository root: ``python tests/corpus/heldout5/prove_labels.py
[FILTER | --stats]``, e.g. FILTER ``07-notebook``; proofkit.main says what it prints.

Instances: sizes d=5, d1=4, d2=6, d3=7, d4=8, k=3 (k=1 for single-output bce),
batch m=9, all distinct, so a transposed, mis-indexed or wrong-layer
right-hand side cannot pass by accident; five seeds (0-4), so with k=3 every
class is the correct one on some seed, and every multi-label target bit takes
both values.  Batch losses are means over the m examples (proofkit's Net).
"""
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/corpus, home of proofkit
import proofkit  # noqa: E402
from proofkit import (Corpus, Ill, Net, Setup, SpecError, at, chain, check_declarations,  # noqa: E402
                      dact, ein, eye, ind, line, main, model_facts, outer, relu_d, sig_d, tally,
                      tanh_d)


# ===========================================================================
# What proofkit lacks: multi-label outputs (k independent sigmoids, BCE summed over them)
# ===========================================================================
class MultiLabelNet(Net):
    """A bce network with k > 1 output units, each its own sigmoid and its own 0/1 target.

    proofkit's Net refuses ``k`` for bce (its bce has one unit).  Everything else --
    forward pass, the loss (per_example_loss already sums over units), complex-step
    truth -- works unchanged for k units, so only the output size and the targets
    differ here.
    """

    def __init__(self, spec, loss, convention, setup, k, half=True):
        super().__init__(spec, loss, convention, setup, k=None, half=half)
        if loss != "bce" or k < 2:
            raise SpecError("MultiLabelNet is for bce with k > 1 units")
        self.sizes[-1] = k
        dims = self.sizes + ([setup.m] if self.batch else [])
        assert len(set(dims)) == len(dims), f"dimensions must be distinct: {dims!r}"

    def _target(self, P, rng, seed):
        k, m = self.sizes[-1], self.setup.m
        if not self.batch:
            # the bits of seed + 1: over seeds 0-4 every unit sees both 0 and 1
            P["y"] = np.array([float(((seed + 1) >> i) & 1) for i in range(k)])
            return None
        Y = np.array([[float(((seed + n + 1) >> i) & 1) for i in range(k)] for n in range(m)])
        P["y"] = Y.T if self.conv == "column" else Y  # (k, m) for columns, (m, k) for rows
        return None


_build_net = proofkit.build_net


def build_net(corpus, entry, k):
    """proofkit.build_net, except that a bce document registered with k > 1 gets k units."""
    if entry["loss"] != "bce" or k is None:
        return _build_net(corpus, entry, k)
    net = MultiLabelNet(entry["model"], entry["loss"], entry["convention"], corpus.setup, k,
                        half=bool(entry.get("mse_half")))
    check_declarations(net, entry.get("batch"), entry.get("mse_half"))
    return net


proofkit.build_net = build_net  # check_doc looks build_net up in proofkit at call time


def corpus_facts(entries):
    """The --stats lines this corpus adds: the shared model facts and the bce output units."""
    docs = CORPUS.registry.docs

    def units(e):
        return docs[e["file"]].k or (1 if e["loss"] == "bce" else CORPUS.setup.k)

    return [*model_facts(entries),
            tally("bce output units", (units(e) for e in entries if e["loss"] == "bce"), sort=True)]


CORPUS = Corpus(
    here=Path(__file__).resolve().parent,
    setup=Setup(hidden=(4, 6, 7, 8), rng_key=lambda seed: [seed, 20261128], weight_scale=1.3, d=5, k=3, m=9),
    seeds=(0, 1, 2, 3, 4),  # every label must hold on all five instances
    rtol=1e-7,
    declares_shape=True,
    stats_facts=corpus_facts,
)
proves = CORPUS.registry.proves


# ===========================================================================
# Per-document translations
# ===========================================================================

# 01 TA feedback (Markdown), row batch, relu + softmax; the student divides by m again in Delta_1
# although Delta_2 already holds the 1/m; the two expanded lines after it carry the factor
@proves("01-ta-feedback-row-batch-relu-softmax-mean-twice.md")
def d01(c):
    X, Y, Yh, H1, Z1, W1, W2, m = c.x, c.y, c.yhat, c.a1, c.z1, c.W1, c.W2, c.m
    one = np.ones(m)
    D2 = (Yh - Y) / m
    M = ind(Z1)
    t1 = c.g("z1")
    bad = (D2 @ W2.T) * M / m                              # the student's Delta_1
    D1 = (D2 @ W2.T) * M                                   # the TA's corrected Delta_1
    return [
        chain(line(11, "> Δ₂ = ∂L/∂Z₂ = (Ŷ − Y)/m", c.g("z2"), D2)),
        chain(line(15, "> ∂L/∂W₂ = H₁ᵀ Δ₂", c.g("W2"), H1.T @ D2)),
        chain(line(19, "> ∂L/∂b₂ = 𝟏ᵀ Δ₂", c.g("b2"), one @ D2)),
        chain(line(25, "> ∂L/∂H₁ = Δ₂ W₂ᵀ", c.g("a1"), D2 @ W2.T)),
        chain(line(29, "> relu′(Z₁) = 𝟙[Z₁ > 0]", *relu_d(Z1))),
        chain(line(33, "> Δ₁ = ∂L/∂Z₁ = (1/m) (Δ₂ W₂ᵀ) ⊙ 𝟙[Z₁ > 0]", t1, bad)),
        chain(line(37, "  Δ₁ = ∂L/∂Z₁ = (Δ₂ W₂ᵀ) ⊙ 𝟙[Z₁ > 0]", t1, D1)),
        chain(line(41, "> ∂L/∂W₁ = (1/m) Xᵀ [(Δ₂ W₂ᵀ) ⊙ 𝟙[Z₁ > 0]]", c.g("W1"), X.T @ bad,
                   repaired=X.T @ t1, cf=33)),
        chain(line(43, "> ∂L/∂b₁ = (1/m) 𝟏ᵀ [(Δ₂ W₂ᵀ) ⊙ 𝟙[Z₁ > 0]]", c.g("b1"), one @ bad,
                   repaired=one @ t1, cf=33)),
        chain(line(47, "  ∂L/∂W₁ = Xᵀ Δ₁", c.g("W1"), X.T @ D1)),
        chain(line(51, "  ∂L/∂b₁ = 𝟏ᵀ Δ₁.", c.g("b1"), one @ D1)),
        chain(line(56, "∂L/∂X = Δ₁ W₁ᵀ", c.g("x"), D1 @ W1.T)),
    ]


# 02 TA feedback (LaTeX), single example, sigmoid -> tanh -> softmax with "j is the correct class";
# the student differentiates -log y_j (the label) instead of -log yhat_j; the TA fixes each step
@proves("02-ta-feedback-tex-sigmoid-tanh-softmax-y-for-yhat.tex")
def d02(c):
    x, y, yh, h1, h2, z1, z2, W2, W3, j = c.x, c.y, c.yhat, c.a1, c.a2, c.z1, c.z2, c.W2, c.W3, c.j
    dj = eye(c.k)[j]
    t3, th2 = c.g("z3"), c.g("a2")
    s = yh[j] * (yh - dj)                                  # the student's dL/dz (wrong by yhat_j)
    gh2 = W3.T @ s                                         # the student's dL/dh2
    t2 = 1 - h2 ** 2
    s1 = h1 * (1 - h1)
    return [
        chain(line(13, r"\frac{\partial L}{\partial \hat y_j} = -\frac{1}{y_j} = -1$", c.g("yhat")[j], -1 / y[j])),
        chain(line(18, r"\frac{\partial L}{\partial \hat y_j} = -\frac{1}{\hat y_j}.", c.g("yhat")[j], -1 / yh[j])),
        chain(line(21, r"= \hat y_j(\delta_{jm} - \hat y_m)$", c.J("yhat", "z3")[j], yh[j] * (dj - yh))),
        chain(line(25, r"= -\frac{1}{y_j}\,\hat y_j(\delta_{jm} - \hat y_m)", t3, -(1 / y[j]) * yh[j] * (dj - yh),
                   repaired=-(1 / yh[j]) * yh[j] * (dj - yh), cf=13),
              line(26, r"= \hat y_j \hat y_m - \hat y_j \delta_{jm}$", t3, yh[j] * yh - yh[j] * dj)),
        chain(line(30, r"&= -\frac{1}{\hat y_j}\,\hat y_j(\delta_{jm} - \hat y_m) \\", t3, -(1 / yh[j]) * yh[j] * (dj - yh)),
              line(31, r"&= \hat y_m - \delta_{jm}.", t3, yh - dj)),
        chain(line(34, r"= \hat y_j(\hat y_m - \delta_{jm})\, h_{2,n},", c.g("W3"), outer(s, h2), repaired=outer(t3, h2), cf=26)),
        chain(line(35, r"\frac{\partial L}{\partial b_{3,m}} = \hat y_j(\hat y_m - \delta_{jm})$", c.g("b3"), s,
                   repaired=t3, cf=26)),
        chain(line(39, r"= (\hat y_m - \delta_{jm})\, h_{2,n},", c.g("W3"), outer(yh - dj, h2))),
        chain(line(42, r"\frac{\partial L}{\partial b_{3,m}} = \hat y_m - \delta_{jm}.", c.g("b3"), yh - dj)),
        chain(line(47, r"= \sum_{m=1}^{k} \hat y_j(\hat y_m - \delta_{jm})\, W_{3,mn}$", th2, ein("m,mn->n", s, W3),
                   repaired=W3.T @ t3, cf=26)),
        chain(line(50, r"$\tanh'(u) = 1 - \tanh^2(u)$, so", *tanh_d(z2))),
        chain(line(51, r"= (1 - h_{2,n}^2)\,\frac{\partial L}{\partial h_{2,n}}\, h_{1,p}$", c.g("W2"), outer(t2 * gh2, h1),
                   repaired=outer(t2 * th2, h1), cf=47)),
        chain(line(58, r"$\sigma'(t) = \sigma(t)(1 - \sigma(t))$, hence", *sig_d(z1))),
        chain(line(59, r"= h_{1,p}(1 - h_{1,p}) \sum_{n} W_{2,np}(1 - h_{2,n}^2)", c.g("W1"),
                   outer(s1 * (W2.T @ (t2 * gh2)), x), repaired=outer(s1 * (W2.T @ (t2 * th2)), x), cf=47)),
        chain(line(64, r"= \sum_{m=1}^{k} (\hat y_m - \delta_{jm})\, W_{3,mn},", th2, ein("m,mn->n", yh - dj, W3))),
        # the TA's dL/dh_{2,n} (l.64, right) is the one in force here
        chain(line(67, r"= h_{1,p}(1 - h_{1,p}) \sum_{n} W_{2,np}(1 - h_{2,n}^2)", c.g("W1"),
                   ein("p,np,n,m,mn,q->pq", s1, W2, t2, yh - dj, W3, x))),
    ]


# 03 German prose, two tanh layers, sigmoid/BCE output (one unit), input gradient; correct
@proves("03-german-prose-tanh-tanh-bce-input-gradient-correct.txt",
        unlabelled={23: "definition of e2 (e2 := dL/du2)", 29: "definition of e1 (e1 := dL/du1)"})
def d03(c):
    x, y, p, h1, h2, z1, z2, z3, W1, W2, W3 = c.x, c.y, c.yhat, c.a1, c.a2, c.z1, c.z2, c.z3, c.W1, c.W2, c.W3
    r = p - y
    e2 = (1 - h2 * h2) * (W3.T @ r)
    e1 = (1 - h1 * h1) * (W2.T @ e2)
    return [
        chain(line(10, "∂L/∂p = −y/p + (1 − y)/(1 − p).", c.g("yhat"), -y / p + (1 - y) / (1 - p))),
        chain(line(11, "Da σ′(s) = p(1 − p) gilt", dact("sigmoid", z3), p * (1 - p))),
        chain(line(13, "∂L/∂s = p − y.", c.g("z3"), r)),
        chain(line(17, "∂L/∂W₃ = (p − y) h₂ᵀ,", c.g("W3"), outer(r, h2))),
        chain(line(18, "∂L/∂b₃ = p − y.", c.g("b3"), r)),
        chain(line(21, "∂L/∂h₂ = W₃ᵀ (p − y).", c.g("a2"), W3.T @ r)),
        chain(line(22, "tanh′(u) = 1 − tanh²(u)", *at([tanh_d(z1), tanh_d(z2)]))),
        chain(line(25, "e₂ = (1 − h₂ ⊙ h₂) ⊙ W₃ᵀ (p − y),", c.g("z2"), e2)),
        chain(line(26, "∂L/∂W₂ = e₂ h₁ᵀ,", c.g("W2"), outer(e2, h1))),
        chain(line(27, "∂L/∂b₂ = e₂.", c.g("b2"), e2)),
        chain(line(31, "∂L/∂h₁ = W₂ᵀ e₂,", c.g("a1"), W2.T @ e2)),
        chain(line(32, "e₁ = (1 − h₁ ⊙ h₁) ⊙ W₂ᵀ e₂,", c.g("z1"), e1)),
        chain(line(33, "∂L/∂W₁ = e₁ xᵀ,", c.g("W1"), outer(e1, x))),
        chain(line(34, "∂L/∂b₁ = e₁.", c.g("b1"), e1)),
        chain(line(39, "∂L/∂x = W₁ᵀ e₁", c.g("x"), W1.T @ e1),
              line(40, "= W₁ᵀ [(1 − h₁ ⊙ h₁) ⊙ W₂ᵀ e₂].", c.g("x"), W1.T @ ((1 - h1 * h1) * (W2.T @ e2)))),
    ]


# 04 French prose, tanh -> relu -> softmax with "j la classe correcte"; dL/dh2 = W3 delta3 uses the
# Jacobian untransposed (k x d2 times a k-vector: ill-formed); every later line carries it
@proves("04-french-prose-tanh-relu-softmax-transposed-backprop.md",
        unlabelled={13: "definition of delta_3, delta_2", 14: "definition of delta_1"})
def d04(c):
    x, y, yh, h1, h2, z1, z2, W2, W3, j = c.x, c.y, c.yhat, c.a1, c.a2, c.z1, c.z2, c.W2, c.W3, c.j
    dj = eye(c.k)[j]
    d3 = yh - dj
    ta2, tz2, tz1 = c.g("a2"), c.g("z2"), c.g("z1")
    return [
        chain(line(19, r"$\partial L / \partial \hat y_j = -1/\hat y_j$", c.g("yhat")[j], -1 / yh[j])),
        chain(line(20, r"$\partial \hat y_j / \partial z_m = \hat y_j(\delta_{jm} - \hat y_m)$", c.J("yhat", "z3")[j],
                   yh[j] * (dj - yh))),
        chain(line(23, r"= \hat y_m - \delta_{jm},$$", c.g("z3"), d3)),
        chain(line(25, r"$\delta_3 = \hat y - e_j$", c.g("z3"), d3)),
        chain(line(28, r"= \delta_3\, h_2^\top,$$", c.g("W3"), outer(d3, h2))),
        chain(line(29, r"\frac{\partial L}{\partial b_3} = \delta_3.$$", c.g("b3"), d3)),
        chain(line(35, r"\frac{\partial L}{\partial h_2} = W_3\, \delta_3.$$", ta2,
                   Ill("W3 delta3: W3 is k x d2, delta3 has k entries", W3.shape[1] != len(d3), "W3 d3"))),
        chain(line(37, r"$\mathrm{relu}'(t) = \mathbb{1}[t > 0]$", *relu_d(z2))),
        chain(line(39, r"\delta_2 = \frac{\partial L}{\partial h_2} \odot \mathbb{1}[a_2 > 0],$$", tz2,
                   Ill("the ill-formed dL/dh2 masked", True, "delta2"), repaired=ta2 * ind(z2), cf=35)),
        chain(line(43, r"= \delta_2\, h_1^\top,$$", c.g("W2"), Ill("delta2 h1^T with the ill-formed delta2", True, "dW2"),
                   repaired=outer(tz2, h1), cf=39)),
        chain(line(44, r"\frac{\partial L}{\partial b_2} = \delta_2 .$$", c.g("b2"), Ill("the ill-formed delta2", True, "delta2"),
                   repaired=tz2, cf=39)),
        chain(line(48, r"$\partial L / \partial h_1 = W_2^\top \delta_2$.", c.g("a1"),
                   Ill("W2^T delta2 with the ill-formed delta2", True, "dh1"), repaired=W2.T @ tz2, cf=39)),
        chain(line(49, r"$\tanh'(t) = 1 - \tanh^2(t)$", *tanh_d(z1))),
        chain(line(51, r"\delta_1 = (1 - h_1 \odot h_1) \odot W_2^\top \delta_2,$$", tz1,
                   Ill("delta1 from the ill-formed delta2", True, "delta1"), repaired=(1 - h1 * h1) * (W2.T @ tz2), cf=39)),
        chain(line(53, r"= \delta_1\, x^\top,$$", c.g("W1"), Ill("delta1 x^T with the ill-formed delta1", True, "dW1"),
                   repaired=outer(tz1, x), cf=51)),
        chain(line(54, r"\frac{\partial L}{\partial b_1} = \delta_1 .$$", c.g("b1"), Ill("the ill-formed delta1", True, "delta1"),
                   repaired=tz1, cf=51)),
        # delta_3 is the author's (right) one, so the check holds
        chain(line(56, r"$\sum_m \delta_{3,m} = \sum_m \hat y_m - 1 = 0$", np.sum(c.g("z3")), np.sum(yh) - 1)),
    ]


# 05 paper appendix in prose, relu -> tanh -> sigmoid -> identity, 1/2 squared error, gradients with
# respect to every hidden activation and the input; correct
@proves("05-prose-depth4-relu-tanh-sigmoid-identity-mse-correct.tex")
def d05(c):
    x, y, yh, h1, h2, h3 = c.x, c.y, c.yhat, c.a1, c.a2, c.a3
    z1, z2, z3, W1, W2, W3, W4 = c.z1, c.z2, c.z3, c.W1, c.W2, c.W3, c.W4
    r = yh - y
    g3 = (W4.T @ r) * h3 * (1 - h3)
    g2 = (1 - h2 * h2) * (W3.T @ g3)
    g1 = ind(z1) * (W2.T @ g2)
    return [
        chain(line(16, r"$g_4 = \partial L / \partial \hat y = \hat y - y$", c.g("yhat"), r)),
        chain(line(17, r"$\partial L / \partial W_4 = (\hat y - y)\, h_3^\top$", c.g("W4"), outer(r, h3))),
        chain(line(18, r"$\partial L / \partial b_4 = \hat y - y$", c.g("b4"), r)),
        chain(line(21, r"$\partial L / \partial h_3 = W_4^\top (\hat y - y)$", c.g("a3"), W4.T @ r)),
        chain(line(22, r"$\sigma'(u_3) = h_3 \odot (1 - h_3)$", dact("sigmoid", z3), h3 * (1 - h3))),
        chain(line(25, r"g_3 = \big(W_4^\top (\hat y - y)\big) \odot h_3 \odot (1 - h_3),", c.g("z3"), g3)),
        chain(line(27, r"$\partial L / \partial W_3 = g_3\, h_2^\top$", c.g("W3"), outer(g3, h2))),
        chain(line(28, r"$\partial L / \partial b_3 = g_3$.", c.g("b3"), g3)),
        chain(line(31, r"$\partial L / \partial h_2 = W_3^\top g_3$", c.g("a2"), W3.T @ g3)),
        chain(line(32, r"$\tanh'(u) = 1 - \tanh^2(u)$", *tanh_d(z2))),
        chain(line(34, r"g_2 = (1 - h_2 \odot h_2) \odot W_3^\top g_3,", c.g("z2"), g2)),
        chain(line(36, r"$\partial L / \partial W_2 = g_2\, h_1^\top$", c.g("W2"), outer(g2, h1))),
        chain(line(37, r"$\partial L / \partial b_2 = g_2$", c.g("b2"), g2)),
        chain(line(38, r"$\mathrm{relu}'(u) = \mathbb{1}[u > 0]$", *relu_d(z1))),
        chain(line(39, r"$\partial L / \partial h_1 = W_2^\top g_2$", c.g("a1"), W2.T @ g2)),
        chain(line(42, r"g_1 = \mathbb{1}[u_1 > 0] \odot W_2^\top g_2 .", c.g("z1"), g1)),
        chain(line(44, r"$\partial L / \partial W_1 = g_1\, x^\top$", c.g("W1"), outer(g1, x))),
        chain(line(45, r"$\partial L / \partial b_1 = g_1$.", c.g("b1"), g1)),
        chain(line(48, r"$\nabla_x L = W_1^\top g_1$", c.g("x"), W1.T @ g1)),
    ]


# 06 lecture notes, column batch (W X + b 1^T), relu-relu-softmax, mean CE; Delta_l := m dL/dZ_l
# (the summed loss), the 1/m put into every parameter gradient, bias gradients Delta 1; correct
@proves("06-column-batch-relu-softmax-mean-in-weight-gradient-correct.tex",
        unlabelled={(12, 14): "forward pass", 20: "definition of Delta_l := m dL/dZ_l",
                    49: "a mistake the notes warn against, quoted, not claimed"})
def d06(c):
    X, Y, Yh, H1, H2, Z1, Z2, W1, W2, W3, m = c.x, c.y, c.yhat, c.a1, c.a2, c.z1, c.z2, c.W1, c.W2, c.W3, c.m
    one = np.ones(m)
    D3 = Yh - Y
    D2 = (W3.T @ D3) * ind(Z2)
    D1 = (W2.T @ D2) * ind(Z1)
    return [
        chain(line(23, r"\Delta_3 = m \frac{\partial L}{\partial Z_3} = \hat Y - Y.", m * c.g("z3"), D3)),
        chain(line(28, r"&= \frac{1}{m}\, \Delta_3 H_2^\top, \\", c.g("W3"), D3 @ H2.T / m)),
        chain(line(29, r"&= \frac{1}{m}\, \Delta_3 \one .", c.g("b3"), D3 @ one / m)),
        chain(line(31, r"$\mathrm{relu}'(Z) = \mathbb{1}[Z > 0]$", *at([relu_d(Z1), relu_d(Z2)]))),
        chain(line(34, r"\Delta_2 &= (W_3^\top \Delta_3) \odot \mathbb{1}[Z_2 > 0], \\", m * c.g("z2"), D2)),
        chain(line(35, r"&= \frac{1}{m}\, \Delta_2 H_1^\top, \\", c.g("W2"), D2 @ H1.T / m)),
        chain(line(36, r"&= \frac{1}{m}\, \Delta_2 \one ,", c.g("b2"), D2 @ one / m)),
        chain(line(40, r"\Delta_1 &= (W_2^\top \Delta_2) \odot \mathbb{1}[Z_1 > 0], \\", m * c.g("z1"), D1)),
        chain(line(41, r"&= \frac{1}{m}\, \Delta_1 X^\top, \\", c.g("W1"), D1 @ X.T / m)),
        chain(line(42, r"&= \frac{1}{m}\, \Delta_1 \one .", c.g("b1"), D1 @ one / m)),
        chain(line(47, r"\frac{\partial L}{\partial X} = \frac{1}{m}\, W_1^\top \Delta_1 .", c.g("x"), W1.T @ D1 / m)),
    ]


# 07 lab notebook, row batch (X W + 1 b^T), relu -> tanh -> 3 independent sigmoids (multi-label BCE),
# 1/m in Delta_3; the generic bias line dL/db_l = Delta_l forgets the sum over examples
# (an m x d_l matrix for a d_l-vector) while the code cell sums correctly
@proves("07-notebook-row-batch-multilabel-bce-bias-gradient-not-summed.ipynb", k=3,
        unlabelled={(27, 50): "code cell", (97, 110): "code cell", (130, 141): "code cell"})
def d07(c):
    X, Y, Yh, H1, H2, Z1, Z2, Z3, W1, W2, W3, m = (c.x, c.y, c.yhat, c.a1, c.a2, c.z1, c.z2, c.z3,
                                                   c.W1, c.W2, c.W3, c.m)
    one = np.ones(m)
    D3 = (Yh - Y) / m
    D2 = (D3 @ W3.T) * (1 - H2 * H2)
    D1 = (D2 @ W2.T) * ind(Z1)
    return [
        chain(line(60, r"\dfrac{\partial L}{\partial \hat Y_{nc}} = \dfrac{1}{m}\Big(", c.g("yhat"),
                   (-Y / Yh + (1 - Y) / (1 - Yh)) / m)),
        chain(line(61, r"$\sigma'(z) = \sigma(z)(1 - \sigma(z))$", *sig_d(Z3))),
        chain(line(63, r"$$\Delta_3 := \frac{\partial L}{\partial Z_3} = \frac{1}{m}(\hat Y - Y)$$", c.g("z3"), D3)),
        chain(line(67, r"$$\frac{\partial L}{\partial W_3} = H_2^\top \Delta_3$$", c.g("W3"), H2.T @ D3)),
        chain(line(71, r"$$\Delta_2 = (\Delta_3 W_3^\top) \odot (1 - H_2 \odot H_2)$$", c.g("z2"), D2)),
        chain(line(73, r"$$\frac{\partial L}{\partial W_2} = H_1^\top \Delta_2$$", c.g("W2"), H1.T @ D2)),
        chain(line(77, r"$$\Delta_1 = (\Delta_2 W_2^\top) \odot \mathbb{1}[Z_1 > 0]$$", c.g("z1"), D1)),
        chain(line(79, r"$$\frac{\partial L}{\partial W_1} = X^\top \Delta_1$$", c.g("W1"), X.T @ D1)),
        # generic in l: proved for l = 1, 2, 3; each rhs is m x d_l, each truth a d_l-vector
        chain(line(83, r"$$\frac{\partial L}{\partial b_\ell} = \Delta_\ell \qquad (\ell = 1, 2, 3)$$",
                   (c.g("b1"), c.g("b2"), c.g("b3")), (D1, D2, D3))),
        chain(line(85, r"In particular, $\partial L / \partial b_3 = \frac{1}{m}(\hat Y - Y)$.", c.g("b3"), (Yh - Y) / m,
                   repaired=one @ (Yh - Y) / m, cf=83)),
        chain(line(87, r"$\partial L / \partial X = \Delta_1 W_1^\top$", c.g("x"), D1 @ W1.T)),
    ]


# 08 forum post, depth 5 (tanh, relu, sigmoid, tanh, identity), squared error without 1/2;
# step 10 evaluates the sigmoid derivative at the pre-activation z3 instead of a3 = sigma(z3)
@proves("08-forum-depth5-mixed-activations-squared-error-sigmoid-derivative-at-preactivation.md",
        unlabelled={14: "definition of delta_l"})
def d08(c):
    x, y, yh = c.x, c.y, c.yhat
    a1, a2, a3, a4 = c.a1, c.a2, c.a3, c.a4
    z1, z2, z3, z4 = c.z1, c.z2, c.z3, c.z4
    W1, W2, W3, W4, W5 = c.W1, c.W2, c.W3, c.W4, c.W5
    d5 = 2 * (yh - y)
    d4 = (W5.T @ d5) * (1 - a4 * a4)
    bad = z3 * (1 - z3)                                    # the author's sigma'(z3)
    d3 = (W4.T @ d4) * bad
    d2 = (W3.T @ d3) * ind(z2)
    d1 = (W2.T @ d2) * (1 - a1 * a1)
    t3, t2, t1 = c.g("z3"), c.g("z2"), c.g("z1")
    return [
        chain(line(16, "- tanh′(z) = 1 − tanh²(z)", *at([tanh_d(z1), tanh_d(z4)]))),
        chain(line(17, "- relu′(z) = 𝟙[z > 0]", *relu_d(z2))),
        chain(line(18, "- σ′(z) = σ(z)(1 − σ(z))", *sig_d(z3))),
        chain(line(22, "1. ∂L/∂ŷ = 2(ŷ − y)", c.g("yhat"), d5)),
        chain(line(23, "2. δ₅ = 2(ŷ − y)", c.g("z5"), d5)),
        chain(line(24, "3. ∂L/∂W₅ = 2(ŷ − y) a₄ᵀ", c.g("W5"), outer(d5, a4))),
        chain(line(25, "4. ∂L/∂b₅ = 2(ŷ − y)", c.g("b5"), d5)),
        chain(line(26, "5. ∂L/∂a₄ = W₅ᵀ δ₅", c.g("a4"), W5.T @ d5)),
        chain(line(27, "6. δ₄ = (W₅ᵀ δ₅) ⊙ (1 − a₄ ⊙ a₄)", c.g("z4"), d4)),
        chain(line(28, "7. ∂L/∂W₄ = δ₄ a₃ᵀ", c.g("W4"), outer(d4, a3))),
        chain(line(29, "8. ∂L/∂b₄ = δ₄", c.g("b4"), d4)),
        chain(line(30, "9. ∂L/∂a₃ = W₄ᵀ δ₄", c.g("a3"), W4.T @ d4)),
        chain(line(31, "10. σ′(z₃) = z₃ ⊙ (1 − z₃)", dact("sigmoid", z3), bad)),
        chain(line(32, "11. δ₃ = (W₄ᵀ δ₄) ⊙ z₃ ⊙ (1 − z₃)", t3, d3, repaired=(W4.T @ d4) * dact("sigmoid", z3), cf=31)),
        chain(line(33, "12. ∂L/∂W₃ = δ₃ a₂ᵀ", c.g("W3"), outer(d3, a2), repaired=outer(t3, a2), cf=32)),
        chain(line(34, "13. ∂L/∂b₃ = δ₃", c.g("b3"), d3, repaired=t3, cf=32)),
        chain(line(35, "14. ∂L/∂a₂ = W₃ᵀ δ₃", c.g("a2"), W3.T @ d3, repaired=W3.T @ t3, cf=32)),
        chain(line(36, "15. δ₂ = (W₃ᵀ δ₃) ⊙ 𝟙[z₂ > 0]", t2, d2, repaired=(W3.T @ t3) * ind(z2), cf=32)),
        chain(line(37, "16. ∂L/∂W₂ = δ₂ a₁ᵀ", c.g("W2"), outer(d2, a1), repaired=outer(t2, a1), cf=36)),
        chain(line(38, "17. δ₁ = (W₂ᵀ δ₂) ⊙ (1 − a₁ ⊙ a₁)", t1, d1, repaired=(W2.T @ t2) * (1 - a1 * a1), cf=36)),
        chain(line(39, "18. ∂L/∂W₁ = δ₁ xᵀ", c.g("W1"), outer(d1, x), repaired=outer(t1, x), cf=38)),
        chain(line(40, "19. ∂L/∂b₁ = δ₁", c.g("b1"), d1, repaired=t1, cf=38)),
        chain(line(41, "20. ∂L/∂x = W₁ᵀ δ₁", c.g("x"), W1.T @ d1, repaired=W1.T @ t1, cf=38)),
        # the accepted reply: the fixed delta_3, with the poster's (right) delta_4
        chain(line(50, "With the fix, δ₃ = (W₄ᵀ δ₄) ⊙ a₃ ⊙ (1 − a₃).", t3, (W4.T @ d4) * a3 * (1 - a3))),
    ]


# 09 Q&A answer in Markdown with NumPy blocks, row batch, relu -> tanh -> softmax, mean CE;
# G_l := m dL/dZ_l (the summed loss), 1/m in the parameter and input gradients; correct
@proves("09-answer-markdown-numpy-row-batch-relu-tanh-softmax-correct.md",
        unlabelled={(9, 15): "code block", (23, 25): "code block", (33, 36): "code block", (49, 53): "code block",
                    (63, 67): "code block", (73, 75): "code block"})
def d09(c):
    X, Y, Yh, H1, H2, Z1, Z2, W1, W2, W3, m = c.x, c.y, c.yhat, c.a1, c.a2, c.z1, c.z2, c.W1, c.W2, c.W3, c.m
    one = np.ones(m)
    G3 = Yh - Y
    G2 = (G3 @ W3.T) * (1 - H2 * H2)
    G1 = (G2 @ W2.T) * ind(Z1)
    return [
        chain(line(21, "G₃ = m ∂L/∂Z₃ = Ŷ − Y", m * c.g("z3"), G3)),
        chain(line(29, "∂L/∂W₃ = (1/m) H₂ᵀ G₃", c.g("W3"), H2.T @ G3 / m)),
        chain(line(31, "∂L/∂b₃ = (1/m) 𝟏ᵀ G₃", c.g("b3"), one @ G3 / m)),
        chain(line(39, "tanh′(z) = 1 − tanh²(z)", *tanh_d(Z2))),
        chain(line(41, "∂(mL)/∂H₂ = G₃ W₃ᵀ", m * c.g("a2"), G3 @ W3.T)),
        chain(line(43, "G₂ = (G₃ W₃ᵀ) ⊙ (1 − H₂ ⊙ H₂)", m * c.g("z2"), G2)),
        chain(line(45, "∂L/∂W₂ = (1/m) H₁ᵀ G₂", c.g("W2"), H1.T @ G2 / m)),
        chain(line(47, "∂L/∂b₂ = (1/m) 𝟏ᵀ G₂", c.g("b2"), one @ G2 / m)),
        chain(line(55, "relu′(z) = 𝟙[z > 0]", *relu_d(Z1))),
        chain(line(57, "G₁ = (G₂ W₂ᵀ) ⊙ 𝟙[Z₁ > 0]", m * c.g("z1"), G1)),
        chain(line(59, "∂L/∂W₁ = (1/m) Xᵀ G₁", c.g("W1"), X.T @ G1 / m)),
        chain(line(61, "∂L/∂b₁ = (1/m) 𝟏ᵀ G₁", c.g("b1"), one @ G1 / m)),
        chain(line(71, "∂L/∂X = (1/m) G₁ W₁ᵀ", c.g("x"), G1 @ W1.T / m)),
    ]


# 10 homework, relu -> tanh -> 3 independent sigmoids (multi-label BCE summed over labels);
# the simplification -y(1 - yhat) + (1 - y) yhat = y - yhat flips the sign; everything after carries it
@proves("10-homework-multilabel-sigmoid-bce-relu-tanh-sign.tex", k=3)
def d10(c):
    x, y, yh, h1, h2, z1, z2, z3, W2, W3 = c.x, c.y, c.yhat, c.a1, c.a2, c.z1, c.z2, c.z3, c.W2, c.W3
    e = y - yh                                             # the author's dL/ds (wrong sign)
    t3, ta2, tz2, ta1, tz1 = c.g("z3"), c.g("a2"), c.g("z2"), c.g("a1"), c.g("z1")
    gr2 = (1 - h2 * h2) * (W3.T @ e)
    gh1 = W2.T @ gr2
    gr1 = ind(z1) * gh1
    dL = -y / yh + (1 - y) / (1 - yh)
    return [
        chain(line(22, r"\frac{\partial L}{\partial \hat y_i} &= -\frac{y_i}{\hat y_i} + \frac{1 - y_i}{1 - \hat y_i}, \\",
                   c.g("yhat"), dL)),
        # the diagonal of the output Jacobian (the off-diagonal entries are zero)
        chain(line(23, r"\frac{\partial \hat y_i}{\partial s_i} &= \hat y_i (1 - \hat y_i), \\", np.diag(c.J("yhat", "z3")),
                   yh * (1 - yh))),
        chain(line(24, r"\frac{\partial L}{\partial s_i} &= \Big(-\frac{y_i}{\hat y_i}", t3, dL * yh * (1 - yh)),
              line(25, r"&= -y_i(1 - \hat y_i) + (1 - y_i)\hat y_i \\", t3, -y * (1 - yh) + (1 - y) * yh),
              line(26, r"&= y_i - \hat y_i .", t3, e),
              line(28, r"Writing $e = \partial L / \partial s = y - \hat y$", t3, e)),
        chain(line(30, r"\frac{\partial L}{\partial W_3} &= (y - \hat y)\, h_2^\top, \\", c.g("W3"), outer(e, h2),
                   repaired=outer(t3, h2), cf=28)),
        chain(line(31, r"\frac{\partial L}{\partial b_3} &= y - \hat y .", c.g("b3"), e, repaired=t3, cf=28)),
        chain(line(34, r"$\tanh'(t) = 1 - \tanh^2(t)$", *tanh_d(z2))),
        chain(line(35, r"$\mathrm{relu}'(t) = \mathbb{1}[t > 0]$", *relu_d(z1))),
        chain(line(37, r"\frac{\partial L}{\partial h_2} &= W_3^\top (y - \hat y), \\", ta2, W3.T @ e,
                   repaired=W3.T @ t3, cf=28)),
        chain(line(38, r"&= (1 - h_2 \odot h_2) \odot W_3^\top (y - \hat y), \\", tz2, gr2,
                   repaired=(1 - h2 * h2) * (W3.T @ t3), cf=28)),
        chain(line(39, r"\frac{\partial L}{\partial W_2} &= \frac{\partial L}{\partial r_2}\, h_1^\top, \\", c.g("W2"),
                   outer(gr2, h1), repaired=outer(tz2, h1), cf=38)),
        chain(line(40, r"\frac{\partial L}{\partial h_1} &= W_2^\top \frac{\partial L}{\partial r_2}, \\", ta1, gh1,
                   repaired=W2.T @ tz2, cf=38)),
        chain(line(41, r"&= \mathbb{1}[r_1 > 0] \odot \frac{\partial L}{\partial h_1}, \\", tz1, gr1,
                   repaired=ind(z1) * ta1, cf=40)),
        chain(line(42, r"\frac{\partial L}{\partial W_1} &= \frac{\partial L}{\partial r_1}\, x^\top, \\", c.g("W1"),
                   outer(gr1, x), repaired=outer(tz1, x), cf=41)),
        chain(line(43, r"\frac{\partial L}{\partial b_1} &= \frac{\partial L}{\partial r_1}.", c.g("b1"), gr1,
                   repaired=tz1, cf=41)),
    ]


# 11 plain-text quiz notes, tanh -> relu -> sigmoid -> softmax, "j = the correct class", Iverson
# brackets, input gradient; correct
@proves("11-plaintext-depth4-tanh-relu-sigmoid-softmax-correct-class-j-correct.txt")
def d11(c):
    x, y, yh, h1, h2, h3 = c.x, c.y, c.yhat, c.a1, c.a2, c.a3
    z1, z2, z3, W1, W2, W3, W4, j = c.z1, c.z2, c.z3, c.W1, c.W2, c.W3, c.W4, c.j
    dj = eye(c.k)[j]
    e4 = yh - dj
    e3 = h3 * (1 - h3) * (W4.T @ e4)
    e2 = ind(z2) * (W3.T @ e3)
    e1 = (1 - h1 ** 2) * (W2.T @ e2)
    t4 = c.g("z4")
    return [
        chain(line(11, "dL/dyhat_i = -[i = j] / yhat_j", c.g("yhat"), -dj / yh[j])),
        chain(line(12, "dyhat_j/du4_m = yhat_j ([j = m] - yhat_m)", c.J("yhat", "z4")[j], yh[j] * (dj - yh))),
        chain(line(13, "dL/du4_m = -(1/yhat_j) yhat_j ([j = m] - yhat_m)", t4, -(1 / yh[j]) * yh[j] * (dj - yh)),
              line(14, "= yhat_m - [m = j]", t4, e4)),
        chain(line(15, "so e4 := dL/du4 = yhat - onehot(j)", t4, e4)),
        chain(line(16, "dL/dW4_mn = (yhat_m - [m = j]) h3_n", c.g("W4"), ein("m,n->mn", e4, h3))),
        chain(line(17, "dL/db4_m  = yhat_m - [m = j]", c.g("b4"), e4)),
        chain(line(20, "dL/dh3_n  = sum_m W4_mn (yhat_m - [m = j])", c.g("a3"), ein("mn,m->n", W4, e4))),
        chain(line(21, "sigmoid'(u) = sigmoid(u) (1 - sigmoid(u))", *sig_d(z3))),
        chain(line(22, "e3 := dL/du3 = h3 * (1 - h3) * (W4^T e4)", c.g("z3"), e3)),
        chain(line(23, "dL/dW3 = e3 h2^T", c.g("W3"), outer(e3, h2))),
        chain(line(24, "dL/db3 = e3", c.g("b3"), e3)),
        chain(line(27, "relu'(u) = [u > 0]", *relu_d(z2))),
        chain(line(28, "e2 := dL/du2 = [u2 > 0] * (W3^T e3)", c.g("z2"), e2)),
        chain(line(29, "dL/dW2 = e2 h1^T", c.g("W2"), outer(e2, h1))),
        chain(line(30, "dL/db2 = e2", c.g("b2"), e2)),
        chain(line(33, "tanh'(u) = 1 - tanh(u)^2", *tanh_d(z1))),
        chain(line(34, "e1 := dL/du1 = (1 - h1^2) * (W2^T e2)", c.g("z1"), e1)),
        chain(line(35, "dL/dW1 = e1 x^T", c.g("W1"), outer(e1, x))),
        chain(line(36, "dL/db1 = e1", c.g("b1"), e1)),
        chain(line(37, "dL/dx  = W1^T e1", c.g("x"), W1.T @ e1)),
        chain(line(39, "check: sum_m dL/du4_m = sum_m yhat_m - 1 = 0", np.sum(t4), np.sum(yh) - 1)),
    ]


# 12 index notation, column batch (example index n), tanh -> sigmoid -> softmax, 1/m in delta^(3),
# bias gradients summed over n; dL/da^(1)_pn = sum_i W^(2)_pi delta^(2)_in swaps W^(2)'s indices
# (i runs to d2, W^(2)'s second index only to d1: ill-formed); layer 1 carries it
@proves("12-index-notation-column-batch-tanh-sigmoid-softmax-swapped-index.tex", unlabelled={(10, 12): "forward pass"})
def d12(c):
    X, Y, Yh, A1, A2, Z1, Z2, W2, W3, m = c.x, c.y, c.yhat, c.a1, c.a2, c.z1, c.z2, c.W2, c.W3, c.m
    d3 = (Yh - Y) / m
    ga2 = ein("ci,cn->in", W3, d3)
    d2 = A2 * (1 - A2) * ga2
    ta1, tz1 = c.g("a1"), c.g("z1")
    return [
        chain(line(19, r"\delta^{(3)}_{cn} := \frac{\partial L}{\partial z^{(3)}_{cn}} = \frac{1}{m}", c.g("z3"), d3)),
        chain(line(23, r"&= \sum_{n=1}^{m} \delta^{(3)}_{cn}\, a^{(2)}_{in}, \\", c.g("W3"), ein("cn,in->ci", d3, A2))),
        chain(line(24, r"\frac{\partial L}{\partial b^{(3)}_{c}} &= \sum_{n=1}^{m} \delta^{(3)}_{cn}.", c.g("b3"),
                   ein("cn->c", d3))),
        chain(line(29, r"&= \sum_{c=1}^{k} W^{(3)}_{ci}\, \delta^{(3)}_{cn}, \\", c.g("a2"), ga2)),
        chain(line(30, r"\sigma'(t) &= \sigma(t)\big(1 - \sigma(t)\big), \\", *sig_d(Z2))),
        chain(line(31, r"\delta^{(2)}_{in} &= a^{(2)}_{in}\big(1 - a^{(2)}_{in}\big)", c.g("z2"), d2)),
        chain(line(32, r"&= \sum_{n=1}^{m} \delta^{(2)}_{in}\, a^{(1)}_{pn}, \\", c.g("W2"), ein("in,pn->ip", d2, A1))),
        chain(line(33, r"\frac{\partial L}{\partial b^{(2)}_{i}} &= \sum_{n=1}^{m} \delta^{(2)}_{in}.", c.g("b2"),
                   ein("in->i", d2))),
        chain(line(38, r"&= \sum_{i=1}^{d_2} W^{(2)}_{pi}\, \delta^{(2)}_{in}, \\", ta1,
                   Ill("W2_{pi} with i up to d2: W2 is d2 x d1, its second index stops at d1",
                       W2.shape[1] < c.d2, "dA1"))),
        chain(line(39, r"\tanh'(t) &= 1 - \tanh^2(t), \\", *tanh_d(Z1))),
        chain(line(40, r"\delta^{(1)}_{pn} &= \big(1 - (a^{(1)}_{pn})^2\big)", tz1,
                   Ill("the ill-formed dL/da1 times 1 - a1^2", True, "delta1"), repaired=(1 - A1 ** 2) * ta1, cf=38)),
        chain(line(41, r"&= \sum_{n=1}^{m} \delta^{(1)}_{pn}\, x_{qn}, \\", c.g("W1"),
                   Ill("sum_n delta1_pn x_qn with the ill-formed delta1", True, "dW1"),
                   repaired=ein("pn,qn->pq", tz1, X), cf=40)),
        chain(line(42, r"\frac{\partial L}{\partial b^{(1)}_{p}} &= \sum_{n=1}^{m} \delta^{(1)}_{pn}.", c.g("b1"),
                   Ill("sum_n delta1_pn with the ill-formed delta1", True, "db1"), repaired=ein("pn->p", tz1), cf=40)),
        chain(line(48, r"\frac{\partial L}{\partial W^{(3)}} &= \Delta^{(3)} A^{(2)\top}, \\", c.g("W3"), d3 @ A2.T)),
        chain(line(49, r"\frac{\partial L}{\partial b^{(3)}} &= \Delta^{(3)} \mathbf{1}, \\", c.g("b3"), d3 @ np.ones(m))),
        chain(line(50, r"\frac{\partial L}{\partial W^{(1)}} &= \Delta^{(1)} X^{\top}.", c.g("W1"),
                   Ill("Delta1 X^T with the ill-formed Delta1", True, "dW1 matrix"), repaired=tz1 @ X.T, cf=40)),
    ]


# 13 Colab notebook, column batch (W X + b 1^T), relu -> tanh -> relu -> 3 independent sigmoids
# (multi-label BCE), 1/m in Delta_4, bias gradients Delta 1 (np.sum(axis=1)); correct
@proves("13-notebook-column-batch-multilabel-bce-relu-tanh-relu-correct.ipynb", k=3,
        unlabelled={(32, 50): "code cell", (105, 117): "code cell", (126, 138): "code cell",
                    61: "definition of Delta_l"})
def d13(c):
    X, Y, Yh, A1, A2, A3, Z1, Z2, Z3, Z4 = c.x, c.y, c.yhat, c.a1, c.a2, c.a3, c.z1, c.z2, c.z3, c.z4
    W2, W3, W4, m = c.W2, c.W3, c.W4, c.m
    one = np.ones(m)
    D4 = (Yh - Y) / m
    D3 = (W4.T @ D4) * ind(Z3)
    D2 = (W3.T @ D3) * (1 - A2 * A2)
    D1 = (W2.T @ D2) * ind(Z1)
    return [
        chain(line(63, r"$\dfrac{\partial L}{\partial \hat Y} = \dfrac{1}{m}\Big(", c.g("yhat"),
                   ((1 - Y) / (1 - Yh) - Y / Yh) / m)),
        chain(line(64, r"$\sigma'(Z_4) = \hat Y \odot (1 - \hat Y)$", dact("sigmoid", Z4), Yh * (1 - Yh))),
        chain(line(66, r"$$\Delta_4 = \frac{\partial L}{\partial Z_4} = \frac{1}{m}(\hat Y - Y)$$", c.g("z4"), D4)),
        chain(line(68, r"$$\frac{\partial L}{\partial W_4} = \Delta_4 A_3^\top$$", c.g("W4"), D4 @ A3.T)),
        chain(line(70, r"$$\frac{\partial L}{\partial b_4} = \Delta_4 \mathbf{1}$$", c.g("b4"), D4 @ one)),
        chain(line(74, r"$\mathrm{relu}'(Z) = \mathbb{1}[Z > 0]$", *at([relu_d(Z3), relu_d(Z1)]))),
        chain(line(76, r"$$\Delta_3 = (W_4^\top \Delta_4) \odot \mathbb{1}[Z_3 > 0]$$", c.g("z3"), D3)),
        chain(line(78, r"$$\frac{\partial L}{\partial W_3} = \Delta_3 A_2^\top$$", c.g("W3"), D3 @ A2.T)),
        chain(line(80, r"$$\frac{\partial L}{\partial b_3} = \Delta_3 \mathbf{1}$$", c.g("b3"), D3 @ one)),
        chain(line(82, r"$\tanh'(Z) = 1 - \tanh^2(Z)$", *tanh_d(Z2))),
        chain(line(84, r"$$\Delta_2 = (W_3^\top \Delta_3) \odot (1 - A_2 \odot A_2)$$", c.g("z2"), D2)),
        chain(line(86, r"$$\frac{\partial L}{\partial W_2} = \Delta_2 A_1^\top$$", c.g("W2"), D2 @ A1.T)),
        chain(line(88, r"$$\frac{\partial L}{\partial b_2} = \Delta_2 \mathbf{1}$$", c.g("b2"), D2 @ one)),
        chain(line(92, r"$$\frac{\partial L}{\partial A_1} = W_2^\top \Delta_2$$", c.g("a1"), W2.T @ D2)),
        chain(line(94, r"$$\Delta_1 = (W_2^\top \Delta_2) \odot \mathbb{1}[Z_1 > 0]$$", c.g("z1"), D1)),
        chain(line(96, r"$$\frac{\partial L}{\partial W_1} = \Delta_1 X^\top$$", c.g("W1"), D1 @ X.T)),
        chain(line(98, r"$$\frac{\partial L}{\partial b_1} = \Delta_1 \mathbf{1}$$", c.g("b1"), D1 @ one)),
    ]


# 14 plain-text notes (dZ = dJ/dZ), column batch, relu-relu-sigmoid, mean BCE (one unit);
# dZ3 = A3 - Y drops the 1/m of the mean cost, and every gradient after it is m times too big
@proves("14-plaintext-column-batch-relu-relu-sigmoid-bce-dropped-mean.txt",
        unlabelled={11: "notation", 30: "update rule"})
def d14(c):
    X, Y, Yh, A1, A2, Z1, Z2, Z3, W2, W3, m = c.x, c.y, c.yhat, c.a1, c.a2, c.z1, c.z2, c.z3, c.W2, c.W3, c.m
    one = np.ones(m)
    dZ3 = Yh - Y                                           # the author's (missing 1/m)
    dA2 = W3.T @ dZ3
    dZ2 = dA2 * ind(Z2)
    dA1 = W2.T @ dZ2
    dZ1 = dA1 * ind(Z1)
    t3, ta2, t2, ta1, t1 = c.g("z3"), c.g("a2"), c.g("z2"), c.g("a1"), c.g("z1")
    return [
        chain(line(14, "sigmoid'(z) = sigmoid(z) (1 - sigmoid(z))", *sig_d(Z3))),
        chain(line(15, "dZ3 = A3 - Y", t3, dZ3)),
        chain(line(16, "dW3 = dZ3 A2^T", c.g("W3"), dZ3 @ A2.T, repaired=t3 @ A2.T, cf=15)),
        chain(line(17, "db3 = dZ3 1", c.g("b3"), dZ3 @ one, repaired=t3 @ one, cf=15)),
        chain(line(19, "dA2 = W3^T dZ3", ta2, dA2, repaired=W3.T @ t3, cf=15)),
        chain(line(20, "relu'(z) = 1 if z > 0 else 0", *at([relu_d(Z1), relu_d(Z2)]))),
        chain(line(21, "dZ2 = dA2 * 1[Z2 > 0]", t2, dZ2, repaired=ta2 * ind(Z2), cf=19)),
        chain(line(22, "dW2 = dZ2 A1^T", c.g("W2"), dZ2 @ A1.T, repaired=t2 @ A1.T, cf=21)),
        chain(line(23, "db2 = dZ2 1", c.g("b2"), dZ2 @ one, repaired=t2 @ one, cf=21)),
        chain(line(25, "dA1 = W2^T dZ2", ta1, dA1, repaired=W2.T @ t2, cf=21)),
        chain(line(26, "dZ1 = dA1 * 1[Z1 > 0]", t1, dZ1, repaired=ta1 * ind(Z1), cf=25)),
        chain(line(27, "dW1 = dZ1 X^T", c.g("W1"), dZ1 @ X.T, repaired=t1 @ X.T, cf=26)),
        chain(line(28, "db1 = dZ1 1", c.g("b1"), dZ1 @ one, repaired=t1 @ one, cf=26)),
    ]


# 15 question post, row batch (PyTorch layout), tanh -> relu -> sigmoid (one unit), mean BCE,
# E_l := m dL/dZ_l; the ReLU mask is taken from the wrong layer, 1[Z1 > 0] for 1[Z2 > 0]
# (m x d2 times m x d1: ill-formed, the ValueError the poster reports); everything below carries it
@proves("15-question-row-batch-tanh-relu-sigmoid-bce-mask-from-wrong-layer.md",
        unlabelled={13: "definition of E_l := m dL/dZ_l"})
def d15(c):
    X, Y, Yh, H1, H2, Z1, Z2, W2, W3, m = c.x, c.y, c.yhat, c.a1, c.a2, c.z1, c.z2, c.W2, c.W3, c.m
    one = np.ones(m)
    E3 = Yh - Y
    t2, t1 = m * c.g("z2"), m * c.g("z1")                  # true E2, E1
    return [
        chain(line(16, r"$$E_3 = m\,\frac{\partial L}{\partial Z_3} = \hat y - y$$", m * c.g("z3"), E3)),
        chain(line(18, r"$$\frac{\partial L}{\partial W_3} = \frac{1}{m} H_2^\top E_3$$", c.g("W3"), H2.T @ E3 / m)),
        chain(line(20, r"$$\frac{\partial L}{\partial b_3} = \frac{1}{m} \mathbf{1}^\top E_3$$", c.g("b3"), one @ E3 / m)),
        chain(line(22, r"$\mathrm{relu}'(z) = \mathbb{1}[z > 0]$", *relu_d(Z2))),
        chain(line(24, r"$$E_2 = (E_3 W_3^\top) \odot \mathbb{1}[Z_1 > 0]$$", t2,
                   Ill("(E3 W3^T) * 1[Z1 > 0]: E3 W3^T is m x d2, Z1 is m x d1", (E3 @ W3.T).shape != Z1.shape, "E2"))),
        chain(line(26, r"$$\frac{\partial L}{\partial W_2} = \frac{1}{m} H_1^\top E_2$$", c.g("W2"),
                   Ill("H1^T E2 with the ill-formed E2", True, "dW2"), repaired=H1.T @ t2 / m, cf=24)),
        chain(line(28, r"$$\frac{\partial L}{\partial b_2} = \frac{1}{m} \mathbf{1}^\top E_2$$", c.g("b2"),
                   Ill("1^T E2 with the ill-formed E2", True, "db2"), repaired=one @ t2 / m, cf=24)),
        chain(line(30, r"$\tanh'(z) = 1 - \tanh^2(z)$", *tanh_d(Z1))),
        chain(line(32, r"$$E_1 = (E_2 W_2^\top) \odot (1 - H_1 \odot H_1)$$", t1,
                   Ill("E1 from the ill-formed E2", True, "E1"), repaired=(t2 @ W2.T) * (1 - H1 * H1), cf=24)),
        chain(line(34, r"$$\frac{\partial L}{\partial W_1} = \frac{1}{m} X^\top E_1$$", c.g("W1"),
                   Ill("X^T E1 with the ill-formed E1", True, "dW1"), repaired=X.T @ t1 / m, cf=32)),
        chain(line(36, r"$$\frac{\partial L}{\partial b_1} = \frac{1}{m} \mathbf{1}^\top E_1$$", c.g("b1"),
                   Ill("1^T E1 with the ill-formed E1", True, "db1"), repaired=one @ t1 / m, cf=32)),
    ]


if __name__ == "__main__":
    sys.exit(main(CORPUS, sys.argv))
