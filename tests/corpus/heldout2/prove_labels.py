#!/usr/bin/env python3
"""Independent numerical proof of every label in labels.json (second held-out corpus).

numpy only -- no chainrule import, no sympy, no autograd library; the shared
method and the reason are in tests/corpus/proofkit.py.  This file: the
corpus's settings and one hand translation per document.

Run from the repository root: ``python tests/corpus/heldout2/prove_labels.py
[FILTER | --stats]``, e.g. FILTER ``08-two``; proofkit.main says what it prints.

Instances: single examples, sizes d=7, d1=5, d2=4, k=3 (k=1 for bce; k=2 for
the one document that fixes two classes, via ``@proves(..., k=2)``), four
seeds with their own random stream.
"""
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/corpus, home of proofkit
from proofkit import (Corpus, Setup, batch_and_loss_facts, chain, dact, ein, eye,  # noqa: E402
                      ind, line, main, outer, sig)

CORPUS = Corpus(
    here=Path(__file__).resolve().parent,
    setup=Setup(hidden=(5, 4), rng_key=lambda seed: [seed, 20250611], weight_scale=1.4),
    seeds=(0, 1, 2, 3),  # every label must hold on all four instances
    rtol=1e-7,
    stats_facts=batch_and_loss_facts,
)
proves = CORPUS.registry.proves


# ===========================================================================
# Per-document translations
# ===========================================================================

# 01 Piazza answer, inline $...$; tanh hidden layer, softmax + cross-entropy
@proves("01-piazza-answer-tanh-softmax-correct.md")
def d01(c):
    x, y, yh, h, W1, W2 = c.x, c.y, c.yhat, c.a1, c.W1, c.W2
    e = yh - y
    g1 = (W2.T @ e) * (1 - h * h)
    return [
        chain(line(7, r"\frac{\partial L}{\partial z_2} = \hat{y} - y", c.g("z2"), e)),
        chain(line(9, r"\frac{\partial L}{\partial W_2} = (\hat{y} - y)\, h^T", c.g("W2"), outer(e, h))),
        chain(line(10, r"\frac{\partial L}{\partial b_2} = \hat{y} - y", c.g("b2"), e)),
        chain(line(12, r"\frac{\partial L}{\partial h} = W_2^T (\hat{y} - y)", c.g("a1"), W2.T @ e)),
        chain(line(14, r"\tanh'(z) = 1 - \tanh^2(z)", dact("tanh", c.z1), 1 - np.tanh(c.z1) ** 2)),
        chain(line(16, r"\frac{\partial L}{\partial z_1} = W_2^T(\hat{y} - y) \odot (1 - h \odot h)", c.g("z1"), g1)),
        chain(line(20, r"\frac{\partial L}{\partial W_1} = \left[W_2^T(\hat{y} - y)", c.g("W1"), outer(g1, x))),
        chain(line(22, r"\frac{\partial L}{\partial b_1} = W_2^T(\hat{y} - y)", c.g("b1"), g1)),
        chain(line(26, r"(W_1)_{ij}} = \sum_k (\hat{y}_k - y_k)(W_2)_{ki}(1 - h_i^2)\, x_j", c.g("W1"),
                   ein("k,ki,i,j->ij", e, W2, 1 - h ** 2, x))),
    ]


# 02 Jupyter homework (markdown cells), sigmoid output with MSE; the output sigma' is dropped
@proves("02-jupyter-homework-sigmoid-mse-missing-sigma-prime.ipynb", unlabelled={(54, 61): "code cell"})
def d02(c):
    x, y, yh, a1, W2 = c.x, c.y, c.yhat, c.a1, c.W2
    e = yh - y                                             # author's dL/dz2 (wrong)
    t2 = c.g("z2")
    s1 = a1 * (1 - a1)
    sp = lambda z: sig(z) * (1 - sig(z))
    return [
        chain(line(33, r"\frac{\partial L}{\partial \hat y} = \hat y - y$$", c.g("yhat"), e)),
        chain(line(35, r"\sigma'(z) = \sigma(z)(1 - \sigma(z))", (dact("sigmoid", c.z1), dact("sigmoid", c.z2)),
                   (sp(c.z1), sp(c.z2)))),
        chain(line(41, r"\frac{\partial L}{\partial z_2} &= \hat y - y", t2, e)),
        chain(line(42, r"\frac{\partial L}{\partial W_2} &= (\hat y - y)\, a_1^\top", c.g("W2"), outer(e, a1),
                   repaired=outer(t2, a1), cf=41)),
        chain(line(43, r"\frac{\partial L}{\partial b_2} &= \hat y - y", c.g("b2"), e, repaired=t2, cf=41)),
        chain(line(70, r"\frac{\partial L}{\partial a_1} = W_2^\top(\hat y - y)$$", c.g("a1"), W2.T @ e,
                   repaired=W2.T @ t2, cf=41)),
        chain(line(74, r"\frac{\partial L}{\partial z_1} = \left(W_2^\top(\hat y - y)\right) \odot a_1", c.g("z1"),
                   (W2.T @ e) * s1, repaired=(W2.T @ t2) * s1, cf=41)),
        chain(line(76, r"\frac{\partial L}{\partial W_1} = \left[\left(W_2^\top(\hat y - y)\right)", c.g("W1"),
                   outer((W2.T @ e) * s1, x), repaired=outer((W2.T @ t2) * s1, x), cf=41)),
        chain(line(78, r"\frac{\partial L}{\partial b_1} = \left(W_2^\top(\hat y - y)\right)", c.g("b1"),
                   (W2.T @ e) * s1, repaired=(W2.T @ t2) * s1, cf=41)),
    ]


# 03 lecture notes with \mathbf{W}^{(l)}, \boldsymbol{\delta}^{(l)}; ReLU, sigmoid, softmax; generic-l claims
@proves("03-lecture-notes-bold-delta-relu-sigmoid3-correct.tex",
        unlabelled={5: "forward pass", 10: "definition of delta^(l)"})
def d03(c):
    x, y, yh, a1, a2, z1, z2 = c.x, c.y, c.yhat, c.a1, c.a2, c.z1, c.z2
    W1, W2, W3 = c.W1, c.W2, c.W3
    e = yh - y
    s2 = a2 * (1 - a2)
    d3 = e
    d2 = (W3.T @ d3) * s2
    d1 = (W2.T @ d2) * ind(z1)
    return [
        chain(line(13, r"\mathrm{ReLU}'(z) &= \mathbb{1}[z > 0]", dact("relu", z1), ind(z1))),
        chain(line(14, r"\sigma'(z) &= \sigma(z)\,(1 - \sigma(z))", dact("sigmoid", z2), sig(z2) * (1 - sig(z2)))),
        chain(line(15, r"&= \mathrm{diag}(\hat{\mathbf{y}}) - \hat{\mathbf{y}}\hat{\mathbf{y}}^\top", c.J("yhat", "z3"),
                   np.diag(yh) - outer(yh, yh))),
        chain(line(20, r"\boldsymbol{\delta}^{(3)} = \hat{\mathbf{y}} - \mathbf{y}", c.g("z3"), d3)),
        chain(line(25, r"\boldsymbol{\delta}^{(2)} &= \left(\mathbf{W}^{(3)\top}", c.g("z2"), d2)),
        chain(line(26, r"\boldsymbol{\delta}^{(1)} &= \left(\mathbf{W}^{(2)\top}", c.g("z1"), d1)),
        # "for every layer l = 1, 2, 3", a^(0) = x
        chain(line(31, r"&= \boldsymbol{\delta}^{(l)} \mathbf{a}^{(l-1)\top}", (c.g("W1"), c.g("W2"), c.g("W3")),
                   (outer(d1, x), outer(d2, a1), outer(d3, a2)))),
        chain(line(32, r"\mathbf{b}^{(l)}} &= \boldsymbol{\delta}^{(l)}", (c.g("b1"), c.g("b2"), c.g("b3")),
                   (d1, d2, d3))),
        chain(line(36, r"= \mathbf{W}^{(1)\top} \boldsymbol{\delta}^{(1)}", c.g("x"), W1.T @ d1)),
        chain(line(41, r"\partial \mathbf{W}^{(1)}} &= \Big(\mathbf{W}^{(2)\top}", c.g("W1"),
                   outer((W2.T @ ((W3.T @ e) * s2)) * ind(z1), x)),
              line(42, r"&= \mathrm{diag}\big(\mathbb{1}[\mathbf{z}^{(1)} > 0]\big)", c.g("W1"),
                   outer(np.diag(ind(z1)) @ W2.T @ np.diag(s2) @ W3.T @ e, x))),
        chain(line(47, r"\sum_{p} W^{(2)}_{pi}\, a^{(2)}_p (1 - a^{(2)}_p) \sum_{m} W^{(3)}_{mp}", c.g("W1"),
                   ein("i,pi,p,mp,m,j->ij", ind(z1), W2, s2, W3, e, x))),
    ]


# 04 f (tanh) and g (sigmoid) named in prose; f' written as f(1 - f), the sigmoid's derivative
@proves("04-f-g-prose-tanh-derivative-as-sigmoid.tex", unlabelled={27: "definition of delta_2"})
def d04(c):
    x, y, yh, h1, h2, z1, z2, W2, W3 = c.x, c.y, c.yhat, c.a1, c.a2, c.z1, c.z2, c.W2, c.W3
    e = yh - y
    d2 = h2 * (1 - h2) * (W3.T @ e)                        # author's dL/dz2 (right)
    fa = np.tanh(z1) * (1 - np.tanh(z1))                   # author's f'(z1) (wrong)
    ft = dact("tanh", z1)
    b = W2.T @ d2
    return [
        chain(line(8, r"g'(z) &= g(z)\,\big(1 - g(z)\big)", dact("sigmoid", z2), sig(z2) * (1 - sig(z2)))),
        chain(line(9, r"f'(z) &= f(z)\,\big(1 - f(z)\big)", ft, fa)),
        chain(line(14, r"\frac{\partial L}{\partial z_3} &= \hat y - y", c.g("z3"), e)),
        chain(line(15, r"\frac{\partial L}{\partial W_3} &= (\hat y - y)\, h_2^\top", c.g("W3"), outer(e, h2))),
        chain(line(16, r"\frac{\partial L}{\partial b_3} &= \hat y - y", c.g("b3"), e)),
        chain(line(21, r"&= g'(z_2) \odot W_3^\top (\hat y - y)", c.g("z2"), sig(z2) * (1 - sig(z2)) * (W3.T @ e)),
              line(22, r"&= h_2 \odot (1 - h_2) \odot W_3^\top (\hat y - y), \\", c.g("z2"), d2)),
        chain(line(23, r"\frac{\partial L}{\partial W_2} &= \big(h_2 \odot (1 - h_2)", c.g("W2"), outer(d2, c.a1))),
        chain(line(24, r"\frac{\partial L}{\partial b_2} &= h_2 \odot (1 - h_2)", c.g("b2"), d2)),
        chain(line(29, r"&= f'(z_1) \odot W_2^\top \delta_2", c.g("z1"), fa * b, repaired=ft * b, cf=9),
              line(30, r"&= h_1 \odot (1 - h_1) \odot W_2^\top \delta_2, \\", c.g("z1"), h1 * (1 - h1) * b)),
        chain(line(31, r"\frac{\partial L}{\partial W_1} &= \big(h_1 \odot (1 - h_1)", c.g("W1"), outer(h1 * (1 - h1) * b, x),
                   repaired=outer(ft * b, x), cf=9)),
        chain(line(32, r"\frac{\partial L}{\partial b_1} &= h_1 \odot (1 - h_1)", c.g("b1"), h1 * (1 - h1) * b,
                   repaired=ft * b, cf=9)),
    ]


# 05 blog-style notes, ReLU written max(0, z), no biases; c = true class
@proves("05-blog-relu-max0z-softmax-correct.md")
def d05(c):
    x, y, yh, h, r, W1, W2, cc = c.x, c.y, c.yhat, c.a1, c.z1, c.W1, c.W2, c.j
    e = yh - y
    gr = (W2.T @ e) * ind(r)
    return [
        chain(line(11, r"\frac{d}{dz}\max(0, z) = \begin{cases} 1 & z > 0", dact("relu", r), ind(r))),
        chain(line(19, r"\frac{\partial L}{\partial s} = \hat{y} - y$$", c.g("z2"), e)),
        chain(line(23, r"\frac{\partial L}{\partial s_i} = \hat{y}_i - [i = c]", c.g("z2"), yh - eye(len(yh))[cc])),
        chain(line(25, r"\frac{\partial L}{\partial W_2} = (\hat{y} - y)\, h^\top", c.g("W2"), outer(e, h))),
        chain(line(29, r"\frac{\partial L}{\partial h} = W_2^\top (\hat{y} - y)$$", c.g("a1"), W2.T @ e)),
        chain(line(33, r"\frac{\partial L}{\partial r} = W_2^\top (\hat{y} - y) \odot \mathbb{1}[r > 0]", c.g("z1"), gr)),
        chain(line(35, r"\frac{\partial L}{\partial W_1} = \big(W_2^\top", c.g("W1"), outer(gr, x))),
        chain(line(39, r"= \mathbb{1}[r_i > 0]\, x_j \sum_{k} (\hat{y}_k - y_k)(W_2)_{ki}", c.g("W1"),
                   ein("i,j,k,ki->ij", ind(r), x, e, W2))),
        chain(line(43, r"\frac{\partial L}{\partial x} = W_1^\top \big(W_2^\top (\hat{y} - y) \odot \mathbb{1}[h > 0]\big)",
                   c.g("x"), W1.T @ ((W2.T @ e) * ind(h)))),
    ]


# 06 plain-text regression notes, bias per layer, input gradient; dL/dyhat with the sign flipped
@proves("06-plaintext-mse-regression-bias-input-grad-sign.txt")
def d06(c):
    x, y, yh, h, W1, W2 = c.x, c.y, c.yhat, c.a1, c.W1, c.W2
    ra = y - yh                                            # author's dL/dyhat (wrong sign)
    ty, tz = c.g("yhat"), c.g("z1")
    s = h * (1 - h)
    dz = (W2.T @ ra) * s                                   # author's dL/dz1
    return [
        chain(line(11, "dL/dyhat = y - yhat", ty, ra)),
        chain(line(13, "dL/dW2 = (y - yhat) h^T", c.g("W2"), outer(ra, h), repaired=outer(ty, h), cf=11)),
        chain(line(15, "dL/db2 = y - yhat", c.g("b2"), ra, repaired=ty, cf=11)),
        chain(line(17, "dL/dh = W2^T (y - yhat)", c.g("a1"), W2.T @ ra, repaired=W2.T @ ty, cf=11)),
        chain(line(19, r"\sigma'(z1) = h \odot (1 - h)", dact("sigmoid", c.z1), s)),
        chain(line(21, r"dL/dz1 = (W2^T (y - yhat)) \odot h \odot (1 - h)", tz, dz, repaired=(W2.T @ ty) * s, cf=11)),
        chain(line(23, "dL/dW1 = dL/dz1 x^T", c.g("W1"), outer(dz, x), repaired=outer(tz, x), cf=21)),
        chain(line(25, "dL/db1 = dL/dz1", c.g("b1"), dz, repaired=tz, cf=21)),
        chain(line(29, "dL/dx = W1^T dL/dz1", c.g("x"), W1.T @ dz, repaired=W1.T @ tz, cf=21),
              line(30, r"= W1^T ((W2^T (y - yhat)) \odot h \odot (1 - h))", c.g("x"), W1.T @ ((W2.T @ ra) * s))),
    ]


# 07 logistic regression (one layer, scalar output) in index form, BCE; w_j = (W1)_{1j}, b = b1
@proves("07-bce-logistic-regression-index-form-correct.tex")
def d07(c):
    x, y, yh, w = c.x, c.y, c.yhat, c.W1[0]
    e = yh - y
    gy = (yh - y) / (yh * (1 - yh))
    sz = sig(c.z1)
    return [
        chain(line(8, r"&= -\frac{y}{\hat{y}} + \frac{1 - y}{1 - \hat{y}}", c.g("yhat"), -y / yh + (1 - y) / (1 - yh)),
              line(9, r"&= \frac{\hat{y} - y}{\hat{y}(1 - \hat{y})}.", c.g("yhat"), gy)),
        chain(line(14, r"\frac{d\hat{y}}{dz} &= \sigma(z)\,(1 - \sigma(z))", dact("sigmoid", c.z1), sz * (1 - sz)),
              line(15, r"&= \hat{y}(1 - \hat{y}).", dact("sigmoid", c.z1), yh * (1 - yh))),
        chain(line(20, r"&= \frac{\partial L}{\partial \hat{y}} \frac{d\hat{y}}{dz}", c.g("z1"), gy * yh * (1 - yh)),
              line(21, r"&= \frac{\hat{y} - y}{\hat{y}(1 - \hat{y})} \cdot \hat{y}(1 - \hat{y})", c.g("z1"),
                   (yh - y) / (yh * (1 - yh)) * yh * (1 - yh)),
              line(22, r"&= \hat{y} - y.", c.g("z1"), e)),
        chain(line(25, r"Since $\partial z / \partial w_j = x_j$", c.J("z1", "W1")[0, 0], x)),
        chain(line(26, r"and $\partial z / \partial b = 1$", c.J("z1", "b1"), np.ones((1, 1)))),
        chain(line(28, r"&= \frac{\partial L}{\partial z}\, x_j", c.g("W1")[0], e * x),
              line(29, r"&= (\hat{y} - y)\, x_j, \\", c.g("W1")[0], (yh - y) * x)),
        chain(line(30, r"\frac{\partial L}{\partial b} &= \hat{y} - y.", c.g("b1"), e)),
        chain(line(32, r"\nabla_{\mathbf{w}} L = (\hat{y} - y)\,\mathbf{x}", c.g("W1")[0], e * x)),
        chain(line(36, r"\frac{\partial L}{\partial x_j} = (\hat{y} - y)\, w_j", c.g("x"), e * w)),
    ]


# 08 two classes, softmax written with exp; the cross terms of the softmax Jacobian set to zero
@proves("08-two-output-softmax-exp-diagonal-jacobian.tex", k=2)
def d08(c):
    x, y, yh, h, o, W2 = c.x, c.y, c.yhat, c.a1, c.z2, c.W2
    Jt = c.J("yhat", "z2")                                 # true d yhat_i / d o_j
    E = np.exp(o)
    to = c.g("z2")
    dL1 = -y[0] * (1 - yh[0])                              # author's dL/do_1
    dL2 = -y[1] * (1 - yh[1])                              # author's dL/do_2
    dl = -y * (1 - yh)                                     # author's delta
    return [
        chain(line(8, r"&= \frac{\exp(o_1)\big(\exp(o_1) + \exp(o_2)\big) - \exp(o_1)\exp(o_1)}", Jt[0, 0],
                   (E[0] * (E[0] + E[1]) - E[0] * E[0]) / (E[0] + E[1]) ** 2),
              line(9, r"&= \frac{\exp(o_1)\exp(o_2)}", Jt[0, 0], E[0] * E[1] / (E[0] + E[1]) ** 2),
              line(10, r"&= \hat{y}_1 (1 - \hat{y}_1),", Jt[0, 0], yh[0] * (1 - yh[0]))),
        chain(line(12, r"$\partial \hat{y}_2 / \partial o_2 = \hat{y}_2 (1 - \hat{y}_2)$", Jt[1, 1], yh[1] * (1 - yh[1]))),
        chain(line(15, r"\frac{\partial \hat{y}_i}{\partial o_j} = 0 \quad (i \neq j)", (Jt[0, 1], Jt[1, 0]), (0.0, 0.0))),
        chain(line(19, r"- \frac{y_2}{\hat{y}_2} \cdot 0 \\", to[0], -(y[0] / yh[0]) * Jt[0, 0] - (y[1] / yh[1]) * 0.0,
                   repaired=-(y[0] / yh[0]) * Jt[0, 0] - (y[1] / yh[1]) * Jt[1, 0], cf=15),
              line(20, r"&= -\frac{y_1}{\hat{y}_1}\, \hat{y}_1 (1 - \hat{y}_1) - 0", to[0],
                   -(y[0] / yh[0]) * yh[0] * (1 - yh[0]) - 0.0),
              line(21, r"&= -y_1 (1 - \hat{y}_1),", to[0], dL1)),
        chain(line(23, r"and likewise $\partial L / \partial o_2 = -y_2 (1 - \hat{y}_2)$", to[1], dL2,
                   repaired=-(y[0] / yh[0]) * Jt[0, 1] - (y[1] / yh[1]) * yh[1] * (1 - yh[1]), cf=15)),
        chain(line(26, r"\delta &= -y \odot (1 - \hat{y})", to, dl, repaired=np.array([to[0], to[1]]), cf=[21, 23])),
        chain(line(27, r"\frac{\partial L}{\partial W_2} &= \delta\, h^\top", c.g("W2"), outer(dl, h),
                   repaired=outer(to, h), cf=26)),
        chain(line(28, r"\frac{\partial L}{\partial b_2} &= \delta", c.g("b2"), dl, repaired=to, cf=26)),
        chain(line(29, r"&= \big((W_2^\top \delta) \odot (1 - h^2)\big)\, x^\top", c.g("W1"),
                   outer((W2.T @ dl) * (1 - h ** 2), x), repaired=outer((W2.T @ to) * (1 - h ** 2), x), cf=26)),
    ]


# 09 handout: nabla and \text{diag} Jacobians; ReLU, tanh, sigmoid + BCE (scalar output)
@proves("09-nabla-diag-relu-tanh-bce-correct.tex")
def d09(c):
    x, y, yh, a1, a2, z1, W1, W2, W3 = c.x, c.y, c.yhat, c.a1, c.a2, c.z1, c.W1, c.W2, c.W3
    e = yh - y
    D2 = np.diag(1 - a2 * a2)
    D1 = np.diag(ind(z1))
    g2 = D2 @ W3.T @ e
    g1 = D1 @ W2.T @ g2
    return [
        chain(line(9, r"\frac{\partial a_2}{\partial z_2} &= \text{diag}(1 - a_2 \odot a_2)", c.J("a2", "z2"), D2)),
        chain(line(10, r"\frac{\partial a_1}{\partial z_1} &= \text{diag}(\mathbb{1}[z_1 > 0])", c.J("a1", "z1"), D1)),
        chain(line(14, r"&= \frac{1 - y}{1 - \hat{y}} - \frac{y}{\hat{y}}", c.g("yhat"), (1 - y) / (1 - yh) - y / yh)),
        chain(line(15, r"\frac{\partial \hat{y}}{\partial z_3} &= \hat{y}(1 - \hat{y})", dact("sigmoid", c.z3), yh * (1 - yh))),
        chain(line(19, r"\nabla_{z_3} L &= \hat{y} - y", c.g("z3"), e)),
        chain(line(20, r"\nabla_{W_3} L &= (\hat{y} - y)\, a_2^\top", c.g("W3"), outer(e, a2))),
        chain(line(21, r"\nabla_{b_3} L &= \hat{y} - y.", c.g("b3"), e)),
        chain(line(25, r"\nabla_{z_2} L &= \text{diag}(1 - a_2 \odot a_2)\, W_3^\top (\hat{y} - y)", c.g("z2"), g2)),
        chain(line(26, r"\nabla_{W_2} L &= \nabla_{z_2} L \; a_1^\top", c.g("W2"), outer(g2, a1))),
        chain(line(27, r"\nabla_{b_2} L &= \nabla_{z_2} L.", c.g("b2"), g2)),
        chain(line(31, r"&= \text{diag}(\mathbb{1}[z_1 > 0])\, W_2^\top \nabla_{z_2} L", c.g("z1"), g1),
              line(32, r"W_2^\top\, \text{diag}(1 - a_2 \odot a_2)\, W_3^\top (\hat{y} - y)", c.g("z1"),
                   D1 @ W2.T @ D2 @ W3.T @ e)),
        chain(line(33, r"\nabla_{W_1} L &= \nabla_{z_1} L \; x^\top", c.g("W1"), outer(g1, x))),
        chain(line(34, r"\nabla_{b_1} L &= \nabla_{z_1} L", c.g("b1"), g1)),
        chain(line(35, r"\nabla_{x} L &= W_1^\top \nabla_{z_1} L", c.g("x"), W1.T @ g1)),
    ]


# 10 Unicode chat paste, ReLU + sigmoid output with MSE; sigma'(z2) evaluated at y; the reply fixes it
@proves("10-unicode-chat-relu-sigmoid-mse-y-for-yhat.md")
def d10(c):
    x, y, yh, h, z1, z2, W1, W2 = c.x, c.y, c.yhat, c.a1, c.z1, c.z2, c.W1, c.W2
    e = yh - y
    d2 = e * y * (1 - y)                                   # author's delta2 (wrong)
    d1 = (W2.T @ d2) * ind(z1)                             # author's delta1
    t2, t1 = c.g("z2"), c.g("z1")
    d2new = e * yh * (1 - yh)                              # the corrected delta2 (line 33)
    return [
        chain(line(7, "∂L/∂ŷ = ŷ − y", c.g("yhat"), e)),
        chain(line(9, "σ′(z) = σ(z)(1 − σ(z))", dact("sigmoid", z2), sig(z2) * (1 - sig(z2)))),
        chain(line(11, "σ′(z₂) = ŷ ⊙ (1 − ŷ)", dact("sigmoid", z2), yh * (1 - yh))),
        chain(line(13, "δ₂ = ∂L/∂z₂ = (ŷ − y) ⊙ y ⊙ (1 − y)", t2, d2)),
        chain(line(15, "∂L/∂W₂ = δ₂ hᵀ", c.g("W2"), outer(d2, h), repaired=outer(t2, h), cf=13)),
        chain(line(17, "∂L/∂b₂ = δ₂", c.g("b2"), d2, repaired=t2, cf=13)),
        chain(line(19, "∂L/∂h = W₂ᵀ δ₂", c.g("a1"), W2.T @ d2, repaired=W2.T @ t2, cf=13)),
        chain(line(21, "ReLU′(z₁) = 1[z₁ > 0]", dact("relu", z1), ind(z1))),
        chain(line(23, "δ₁ = ∂L/∂z₁ = W₂ᵀ δ₂ ⊙ 1[z₁ > 0]", t1, d1, repaired=(W2.T @ t2) * ind(z1), cf=13)),
        chain(line(25, "∂L/∂W₁ = δ₁ xᵀ", c.g("W1"), outer(d1, x), repaired=outer(t1, x), cf=23)),
        chain(line(27, "∂L/∂b₁ = δ₁", c.g("b1"), d1, repaired=t1, cf=23)),
        chain(line(33, "δ₂ = (ŷ − y) ⊙ ŷ ⊙ (1 − ŷ)", t2, d2new)),
        chain(line(35, "∂L/∂x = W₁ᵀ(W₂ᵀ δ₂ ⊙ 1[z₁ > 0])", c.g("x"), W1.T @ ((W2.T @ d2new) * ind(z1)))),
    ]


# 11 plain LaTeX lines in a .txt, index form, no biases; dL/dW_{2,ij} uses a_i for a_j
@proves("11-plain-latex-lines-sigmoid-softmax-index.txt")
def d11(c):
    x, y, yh, a, W1, W2 = c.x, c.y, c.yhat, c.a1, c.W1, c.W2
    e = yh - y
    Kk, H = len(yh), len(a)
    I = eye(Kk)
    s = a * (1 - a)
    gu = s * ein("i,ij->j", e, W2)
    assert Kk <= H                                         # a_i is defined for every output i
    return [
        chain(line(10, r"\frac{\partial L}{\partial \hat{y}_i} = -\frac{y_i}{\hat{y}_i}", c.g("yhat"), -y / yh)),
        chain(line(11, r"= \hat{y}_i (\delta_{ij} - \hat{y}_j)", c.J("yhat", "z2"), ein("i,ij->ij", yh, I - yh[None, :]))),
        chain(line(12, r"= \sum_i -\frac{y_i}{\hat{y}_i} \hat{y}_i (\delta_{ij} - \hat{y}_j)", c.g("z2"),
                   ein("i,i,ij->j", -y / yh, yh, I - yh[None, :]))),
        chain(line(13, r"\frac{\partial L}{\partial z_j} = \hat{y}_j - y_j", c.g("z2"), e)),
        chain(line(14, r"\frac{\partial L}{\partial W_{2,ij}} = (\hat{y}_i - y_i) a_i", c.g("W2"),
                   np.broadcast_to((e * a[:Kk])[:, None], (Kk, H)))),
        chain(line(15, r"\frac{\partial L}{\partial a_j} = \sum_i (\hat{y}_i - y_i) W_{2,ij}", c.g("a1"), ein("i,ij->j", e, W2))),
        chain(line(16, r"\sigma'(u_j) = a_j (1 - a_j)", dact("sigmoid", c.z1), s)),
        chain(line(17, r"\frac{\partial L}{\partial u_j} = a_j (1 - a_j) \sum_i", c.g("z1"), gu)),
        chain(line(18, r"\frac{\partial L}{\partial W_{1,jk}} = a_j (1 - a_j) x_k \sum_i", c.g("W1"),
                   ein("j,k,i,ij->jk", s, x, e, W2))),
        chain(line(19, r"\frac{\partial L}{\partial x_k} = \sum_j W_{1,jk} a_j (1 - a_j)", c.g("x"),
                   ein("jk,j,i,ij->k", W1, s, e, W2))),
        chain(line(22, r"\nabla_{W_1} L = ((W_2^T (\hat{y} - y)) \odot a \odot (1 - a)) x^T", c.g("W1"),
                   outer((W2.T @ e) * s, x))),
    ]


# 12 intermediates renamed u, v, s, t, o, p; q = true class; index form
@proves("12-renamed-u-v-s-t-o-p-q-correct.tex", unlabelled={(3, 5): "forward pass (names)"})
def d12(c):
    x, p, v, t, W2, W3, q = c.x, c.yhat, c.a1, c.a2, c.W2, c.W3, c.j
    dq = eye(len(p))[q]
    Jp = c.J("yhat", "z3")
    gt = ein("i,ij->j", p - dq, W3)
    gs = (1 - t ** 2) * gt
    gu = v * (1 - v) * ein("j,jk->k", gs, W2)
    return [
        chain(line(10, r"$\partial p_q / \partial o_i = p_q(\delta_{qi} - p_i)$", Jp[q], p[q] * (dq - p))),
        chain(line(12, r"&= -\frac{1}{p_q} \frac{\partial p_q}{\partial o_i}", c.g("z3"), -(1 / p[q]) * Jp[q]),
              line(13, r"&= -\frac{1}{p_q}\, p_q (\delta_{qi} - p_i)", c.g("z3"), -(1 / p[q]) * p[q] * (dq - p)),
              line(14, r"&= p_i - \delta_{qi}.", c.g("z3"), p - dq)),
        chain(line(18, r"(W_3)_{ij}} &= (p_i - \delta_{qi})\, t_j", c.g("W3"), outer(p - dq, t))),
        chain(line(19, r"(b_3)_i} &= p_i - \delta_{qi}.", c.g("b3"), p - dq)),
        chain(line(24, r"t_j} &= \sum_i (p_i - \delta_{qi})\, (W_3)_{ij}", c.g("a2"), gt),
              line(25, r"&= \sum_i p_i (W_3)_{ij} - (W_3)_{qj}.", c.g("a2"), ein("i,ij->j", p, W3) - W3[q])),
        chain(line(27, r"$\partial t_j / \partial s_j = 1 - t_j^2$", dact("tanh", c.z2), 1 - t ** 2)),
        chain(line(29, r"s_j} &= (1 - t_j^2) \sum_i (p_i - \delta_{qi})\, (W_3)_{ij}", c.g("z2"), gs)),
        chain(line(30, r"(W_2)_{jk}} &= \frac{\partial L}{\partial s_j}\, v_k", c.g("W2"), outer(gs, v))),
        chain(line(31, r"(b_2)_j} &= \frac{\partial L}{\partial s_j}.", c.g("b2"), gs)),
        chain(line(34, r"$\partial v_k / \partial u_k = v_k (1 - v_k)$", dact("sigmoid", c.z1), v * (1 - v))),
        chain(line(36, r"u_k} &= v_k (1 - v_k) \sum_j \frac{\partial L}{\partial s_j}\, (W_2)_{jk}", c.g("z1"), gu)),
        chain(line(37, r"(W_1)_{kl}} &= \frac{\partial L}{\partial u_k}\, x_l", c.g("W1"), outer(gu, x))),
        chain(line(38, r"(b_1)_k} &= \frac{\partial L}{\partial u_k}.", c.g("b1"), gu)),
    ]


# 13 identity hidden layer; dL/dW2 written h (yhat - y)^T, dL/dW1 uses h^T for x^T
@proves("13-identity-hidden-layer-transpose-wrong-layer.md")
def d13(c):
    x, y, yh, h, W1, W2, b1 = c.x, c.y, c.yhat, c.a1, c.W1, c.W2, c.b1
    e = yh - y
    return [
        chain(line(5, r"$\partial h / \partial (W_1 x + b_1) = I$", c.J("a1", "z1"), eye(len(h)))),
        chain(line(9, r"\frac{\partial L}{\partial z} &= \hat y - y", c.g("z2"), e)),
        chain(line(10, r"\frac{\partial L}{\partial W_2} &= h\,(\hat y - y)^\top", c.g("W2"), outer(h, e))),
        chain(line(11, r"\frac{\partial L}{\partial b_2} &= \hat y - y", c.g("b2"), e)),
        chain(line(12, r"\frac{\partial L}{\partial h} &= W_2^\top (\hat y - y)", c.g("a1"), W2.T @ e)),
        chain(line(13, r"\frac{\partial L}{\partial W_1} &= W_2^\top (\hat y - y)\, h^\top", c.g("W1"), outer(W2.T @ e, h)),
              line(14, r"&= W_2^\top (\hat y - y)\, (W_1 x + b_1)^\top", c.g("W1"), outer(W2.T @ e, W1 @ x + b1))),
        chain(line(15, r"\frac{\partial L}{\partial b_1} &= W_2^\top (\hat y - y)", c.g("b1"), W2.T @ e)),
        chain(line(16, r"\frac{\partial L}{\partial x} &= W_1^\top W_2^\top (\hat y - y)", c.g("x"), W1.T @ W2.T @ e)),
    ]


# 14 Colab notebook, tanh + sigmoid/BCE (scalar output); delta2 = (yhat - y) sigma'(z2), an extra sigma'
@proves("14-colab-bce-tanh-extra-sigmoid-prime.ipynb", unlabelled={(59, 63): "code cell", (89, 90): "code cell"})
def d14(c):
    x, y, yh, h, z2, W2 = c.x, c.y, c.yhat, c.a1, c.z2, c.W2
    e = yh - y
    d2 = e * sig(z2) * (1 - sig(z2))                       # author's delta2 (wrong)
    d1 = (W2.T @ d2) * (1 - h * h)
    t2, t1 = c.g("z2"), c.g("z1")
    return [
        chain(line(32, r"\frac{\partial L}{\partial \hat y} = \frac{\hat y - y}{\hat y (1 - \hat y)}", c.g("yhat"),
                   (yh - y) / (yh * (1 - yh)))),
        chain(line(34, r"\sigma'(z) = \sigma(z)\,(1 - \sigma(z))", dact("sigmoid", z2), sig(z2) * (1 - sig(z2)))),
        chain(line(40, r"&= (\hat y - y)\, \sigma'(z_2)", t2, d2),
              line(41, r"&= (\hat y - y)\, \hat y (1 - \hat y)", t2, e * yh * (1 - yh))),
        chain(line(47, r"\frac{\partial L}{\partial W_2} &= \delta_2\, h^\top", c.g("W2"), outer(d2, h),
                   repaired=outer(t2, h), cf=41)),
        chain(line(48, r"\frac{\partial L}{\partial b_2} &= \delta_2", c.g("b2"), d2, repaired=t2, cf=41)),
        chain(line(72, r"\tanh'(z) = 1 - \tanh^2(z)", dact("tanh", c.z1), 1 - np.tanh(c.z1) ** 2)),
        chain(line(76, r"&= (W_2^\top \delta_2) \odot (1 - h \odot h)", t1, d1, repaired=(W2.T @ t2) * (1 - h * h), cf=41)),
        chain(line(77, r"\frac{\partial L}{\partial W_1} &= \delta_1\, x^\top", c.g("W1"), outer(d1, x),
                   repaired=outer(t1, x), cf=76)),
        chain(line(78, r"\frac{\partial L}{\partial b_1} &= \delta_1", c.g("b1"), d1, repaired=t1, cf=76)),
    ]


if __name__ == "__main__":
    sys.exit(main(CORPUS, sys.argv))
