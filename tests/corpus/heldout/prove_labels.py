#!/usr/bin/env python3
"""Independent numerical proof of every label in labels.json (held-out corpus).

numpy only -- no chainrule import, no sympy, no autograd library.  The method
is tests/corpus/proofkit.py's (its docstring says why chainrule stays out):
complex-step truth through a hand-written forward pass, verdict == "correct"
<=> allclose(truth, rhs) on every seed, every ``introduces_error`` flag proven
in both directions (README.md, "Introduces vs carries").

Run from the repository root: ``python tests/corpus/heldout/prove_labels.py``
checks everything, ``... 14-tanh`` only files containing "14-tanh", ``...
--stats`` prints the counts for README.md (proofkit.main: output, exit status).

Below: this corpus's settings, then one hand translation per document (the
author's right-hand side in numpy next to a snippet of the text it
translates; einsum for index forms).  Instances: single example ``x`` or
mini-batch ``X`` (examples as columns for the column convention, as rows for
the row convention; batch losses are averaged over the m examples);
all-distinct sizes d=7, d1=5, d2=4, k=3 (k=1 for bce), m=6; five seeds.
"""
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/corpus, home of proofkit
from proofkit import (Corpus, Ill, Setup, batch_and_loss_facts, chain, dact,  # noqa: E402
                      ein, eye, ind, line, main, outer, sig)

CORPUS = Corpus(
    here=Path(__file__).resolve().parent,
    setup=Setup(hidden=(5, 4), rng_key=lambda seed: [seed, 20240917], weight_scale=1.4),
    seeds=(0, 1, 2, 3, 4),  # every label must hold on all five instances
    rtol=1e-7,
    stats_facts=batch_and_loss_facts,
)
proves = CORPUS.registry.proves


# ===========================================================================
# Per-document translations
# ===========================================================================

# 01 deeplearning.ai planar classifier, batch as columns; dZ, dA = m * dJ/d(.)
@proves("01-dlai-planar-batch-correct.md",
        unlabelled={11: "notation: defines dZ as m dJ/dZ", (46, 51): "python code block"})
def d01(c):
    m, X, Y, A1, A2 = c.m, c.x, c.y, c.a1, c.a2
    dA2 = -Y / A2 + (1 - Y) / (1 - A2)
    dZ2 = A2 - Y
    gp = 1 - A1 ** 2                                  # the author's g'(Z1)
    dA1 = c.W2.T @ dZ2
    dZ1 = dA1 * gp
    sp = lambda z: sig(z) * (1 - sig(z))
    return [
        chain(line(15, r"dA^{[2]} = -\frac{Y}{A^{[2]}} + \frac{1 - Y}{1 - A^{[2]}}", m * c.g("a2"), dA2)),
        chain(line(17, r"\sigma'(z) = \sigma(z)(1 - \sigma(z))",
                   (dact("sigmoid", c.z2), dact("sigmoid", c.z1)), (sp(c.z2), sp(c.z1)))),
        chain(line(21, r"dA^{[2]} * A^{[2]} (1 - A^{[2]})", m * c.g("z2"), dA2 * A2 * (1 - A2)),
              line(22, r"&= A^{[2]} - Y", m * c.g("z2"), A2 - Y)),
        chain(line(23, r"\frac{1}{m}\, dZ^{[2]} A^{[1]T}", c.g("W2"), dZ2 @ A1.T / m)),
        chain(line(24, r"\frac{1}{m} \sum_{i=1}^{m} dZ^{[2](i)}", c.g("b2"), dZ2.sum(axis=1) / m)),
        chain(line(30, r"g^{[1]\prime}(Z^{[1]}) = 1 - (A^{[1]})^2", dact("tanh", c.z1), 1 - A1 ** 2)),
        chain(line(34, r"dA^{[1]} &= W^{[2]T} dZ^{[2]}", m * c.g("a1"), dA1)),
        chain(line(35, r"dA^{[1]} * g^{[1]\prime}(Z^{[1]})", m * c.g("z1"), dA1 * gp),
              line(36, r"* \big(1 - (A^{[1]})^2\big)", m * c.g("z1"), (c.W2.T @ dZ2) * (1 - A1 ** 2)),
              line(37, r"* (1 - A^{[1]}) * (1 + A^{[1]})", m * c.g("z1"), (c.W2.T @ dZ2) * (1 - A1) * (1 + A1))),
        chain(line(38, r"\frac{1}{m}\, dZ^{[1]} X^T", c.g("W1"), dZ1 @ X.T / m)),
        chain(line(39, r"\texttt{np.sum}(dZ^{[1]}, \texttt{axis=1}", c.g("b1"), dZ1.sum(axis=1) / m)),
    ]


# 02 lecture notes, delta^[l] = dLsum/dZ (summed loss), batch as columns; dW lacks 1/m
@proves("02-dlai-delta-relu-softmax-missing-1-over-m.tex",
        unlabelled={9: "forward pass", 10: "forward pass", 14: "definition of delta^[l]"})
def d02(c):
    m, X, Y, Yh, A1 = c.m, c.x, c.y, c.yhat, c.a1
    d2 = Yh - Y
    d1 = (c.W2.T @ d2) * ind(c.z1)
    return [
        chain(line(18, r"\partial \ell / \partial z^{[2]} = \hat{y} - y", m * c.g("z2"), Yh - Y)),
        chain(line(20, r"\delta^{[2]} &= \hat{Y} - Y", m * c.g("z2"), d2)),
        chain(line(21, r"&= \delta^{[2]} A^{[1]\top}", c.g("W2"), d2 @ A1.T)),
        chain(line(22, r"\frac{1}{m}\sum_{i=1}^{m} \delta^{[2]}_{:,i}", c.g("b2"), d2.sum(axis=1) / m)),
        chain(line(28, r"\big(W^{[2]\top}\delta^{[2]}\big) \odot", m * c.g("z1"), d1)),
        chain(line(29, r"&= \delta^{[1]} X^\top", c.g("W1"), d1 @ X.T),
              line(30, r"\big(W^{[2]\top}(\hat{Y} - Y)\big) \odot", c.g("W1"),
                   ((c.W2.T @ (Yh - Y)) * ind(c.z1)) @ X.T)),
        chain(line(31, r"\frac{1}{m}\sum_{i=1}^{m} \delta^{[1]}_{:,i}", c.g("b1"), d1.sum(axis=1) / m)),
    ]


# 03 index form with Kronecker deltas; s = logits, u = hidden pre-activation, c = true class
@proves("03-index-form-kronecker-sigmoid-softmax-correct.tex")
def d03(c):
    yh, y, h, x, W2, cc = c.yhat, c.y, c.a1, c.x, c.W2, c.j
    Kk, p = len(yh), len(h)
    I = eye(Kk)
    jac = yh[None, :] * (I - yh[:, None])            # [i, m] = yh_m (delta_im - yh_i)
    dLdy = -y / yh
    dLds = yh - I[cc]                                 # author's final dL/ds_m
    e = yh - y
    back = ein("m,ma->a", e, W2)
    sp = h * (1 - h)
    return [
        chain(line(13, r"= \hat{y}_m \left(\delta_{im} - \hat{y}_i\right)", c.J("yhat", "z2"), jac)),
        chain(line(15, r"\partial L / \partial \hat{y}_i = -y_i / \hat{y}_i", c.g("yhat"), dLdy)),
        chain(line(17, r"\frac{\partial L}{\partial \hat{y}_i} \frac{\partial \hat{y}_i}{\partial s_m}",
                   c.g("z2"), ein("i,im->m", dLdy, jac)),
              line(18, r"&= -\sum_{i=1}^{K} \frac{y_i}{\hat{y}_i}", c.g("z2"),
                   -ein("i,m,im->m", y / yh, yh, I - yh[:, None])),
              line(19, r"&= -\frac{1}{\hat{y}_c}", c.g("z2"), -(1 / yh[cc]) * yh * (I[cc] - yh[cc])),
              line(20, r"\frac{\hat{y}_m}{\hat{y}_c}\, \delta_{cm}", c.g("z2"), yh - yh / yh[cc] * I[cc]),
              line(21, r"&= \hat{y}_m - \delta_{cm}.", c.g("z2"), yh - I[cc])),
        chain(line(26, r"(W_2)_{mn}} &= \delta_{im}\, h_n", c.J("z2", "W2"), ein("im,n->imn", I, h))),
        chain(line(27, r"(b_2)_m} &= \delta_{im},", c.J("z2", "b2"), I)),
        chain(line(31, r"\frac{\partial L}{\partial s_i}\, \delta_{im}\, h_n", c.g("W2"),
                   ein("i,im,n->mn", dLds, I, h)),
              line(32, r"&= (\hat{y}_m - y_m)\, h_n", c.g("W2"), outer(e, h))),
        chain(line(33, r"(b_2)_m} &= \hat{y}_m - y_m.", c.g("b2"), e)),
        chain(line(36, r"\sigma'(u_a) = h_a (1 - h_a)", dact("sigmoid", c.z1), sp)),
        chain(line(37, r"\partial s_m / \partial h_a = (W_2)_{ma}", c.J("z2", "a1"), W2)),
        chain(line(39, r"h_a} &= \sum_{m=1}^{K}", c.g("a1"), back)),
        chain(line(40, r"u_a} &= h_a (1 - h_a)", c.g("z1"), sp * back)),
        chain(line(41, r"\delta_{a a'}\, x_b", c.g("W1"), ein("m,mq,q,aq,b->ab", e, W2, sp, eye(p), x)),
              line(42, r"&= h_a (1 - h_a)\, x_b", c.g("W1"), outer(sp * back, x))),
        chain(line(43, r"(b_1)_a} &= h_a (1 - h_a) \sum", c.g("b1"), sp * back)),
        chain(line(47, r"\hat{y}_m (W_2)_{ma} - (W_2)_{ca}", c.g("b1"), sp * (W2.T @ yh - W2[cc]))),
    ]


# 04 matrix form, 3 tanh/softmax layers; delta_2 uses W_3 delta_3 (missing transpose)
@proves("04-matrix-form-tanh3-missing-transpose.md", unlabelled={9: "notation: definition of delta_l"})
def d04(c):
    x, y, yh, a1, a2, W1, W2, W3 = c.x, c.y, c.yhat, c.a1, c.a2, c.W1, c.W2, c.W3
    d3 = yh - y
    bad = Ill("W_3 delta_3: W_3 is K x n_2 = %dx%d and delta_3 has K = %d entries" % (W3.shape + (len(d3),)),
              W3.shape[1] != len(d3))
    inh = lambda what, key=None: Ill("%s built on the ill-formed W_3 delta_3 of line 25" % what, True, key)
    tg2, tg1 = c.g("z2"), c.g("z1")
    return [
        chain(line(15, r"\delta_3 &= \hat y - y", c.g("z3"), d3)),
        chain(line(16, r"\nabla_{W_3} L &= \delta_3\, a_2^\top", c.g("W3"), outer(d3, a2))),
        chain(line(17, r"\nabla_{b_3} L &= \delta_3", c.g("b3"), d3)),
        chain(line(21, r"\tanh'(z) = 1 - \tanh^2(z)", (dact("tanh", c.z1), dact("tanh", c.z2)),
                   (1 - np.tanh(c.z1) ** 2, 1 - np.tanh(c.z2) ** 2))),
        chain(line(25, r"\delta_2 &= (W_3\, \delta_3) \odot (1 - a_2 \odot a_2)", tg2, bad)),
        chain(line(26, r"\nabla_{W_2} L &= \delta_2\, a_1^\top", c.g("W2"), inh("delta_2 a_1^T"),
                   repaired=outer(tg2, a1), cf=25)),
        chain(line(27, r"\nabla_{b_2} L &= \delta_2", c.g("b2"), inh("delta_2"), repaired=tg2, cf=25)),
        chain(line(35, r"\delta_1 &= (W_2^\top \delta_2) \odot (1 - a_1 \odot a_1)", tg1, inh("delta_1"),
                   repaired=(W2.T @ tg2) * (1 - a1 * a1), cf=25)),
        chain(line(36, r"\nabla_{W_1} L &= \delta_1\, x^\top", c.g("W1"), inh("delta_1 x^T"),
                   repaired=outer(tg1, x), cf=35)),
        chain(line(37, r"\nabla_{b_1} L &= \delta_1", c.g("b1"), inh("delta_1 (b_1)"), repaired=tg1, cf=35)),
        chain(line(45, r"\nabla_x L &= W_1^\top \delta_1", c.g("x"), inh("grad_x", "gradx"),
                   repaired=W1.T @ tg1, cf=35),
              line(46, r"(W_3\, \delta_3) \odot (1 - a_2 \odot a_2) \big) \big) \odot", c.g("x"),
                   inh("grad_x written out", "gradx"))),
    ]


# 05 CS224n row vectors: delta_1 = dJ/dz2, delta_2 = dJ/dz1
@proves("05-cs224n-row-tanh-correct.tex", unlabelled={11: "definition of delta_1, delta_2"})
def d05(c):
    x, y, yh, h, W1, W2 = c.x, c.y, c.yhat, c.a1, c.W1, c.W2
    d1 = yh - y
    d2 = (d1 @ W2.T) * (1 - h ** 2)
    return [
        chain(line(12, r"\tanh'(z) = 1 - \tanh^2(z)", dact("tanh", c.z1), 1 - np.tanh(c.z1) ** 2)),
        chain(line(14, r"&= \hat{y} - y", c.g("z2"), d1)),
        chain(line(15, r"b_2} &= \delta_1", c.g("b2"), d1)),
        chain(line(16, r"&= h^\top \delta_1", c.g("W2"), outer(h, d1))),
        chain(line(17, r"&= \delta_1 W_2^\top \\", c.g("a1"), d1 @ W2.T)),
        chain(line(18, r"\circ (1 - h^2)", c.g("z1"), d2),
              line(19, r"\circ (1 - h) \circ (1 + h)", c.g("z1"), (d1 @ W2.T) * (1 - h) * (1 + h))),
        chain(line(20, r"&= x^\top \delta_2", c.g("W1"), outer(x, d2))),
        chain(line(21, r"b_1} &= \delta_2", c.g("b1"), d2)),
        chain(line(22, r"&= \delta_2 W_1^\top", c.g("x"), d2 @ W1.T)),
    ]


# 06 BCE, scalar output z = w^T h + c (w = W2^T); dL/dyhat with flipped sign
@proves("06-bce-tanh-sign-flip.tex")
def d06(c):
    x, y, yh, h, w = c.x, c.y, c.yhat, c.a1, c.W2[0]
    dLdy = y / yh - (1 - y) / (1 - yh)                     # author's (wrong sign)
    dz = y - yh                                            # author's dL/dz
    tz = c.g("z2")
    gu = lambda s: s * w * (1 - h * h)
    return [
        chain(line(13, r"\frac{y}{\hat{y}} - \frac{1 - y}{1 - \hat{y}}", c.g("yhat"), dLdy)),
        chain(line(15, r"\frac{d\hat{y}}{dz} = \hat{y}(1 - \hat{y})", dact("sigmoid", c.z2), yh * (1 - yh))),
        chain(line(17, r"\right) \hat{y} (1 - \hat{y})", tz, dLdy * yh * (1 - yh),
                   repaired=c.g("yhat") * yh * (1 - yh), cf=13),
              line(18, r"&= y (1 - \hat{y}) - (1 - y)\hat{y}", tz, y * (1 - yh) - (1 - y) * yh),
              line(19, r"&= y - \hat{y}.", tz, dz)),
        chain(line(23, r"w} &= (y - \hat{y})\, h,", c.g("W2")[0], dz * h, repaired=tz * h, cf=19)),
        chain(line(24, r"c} &= y - \hat{y},", c.g("b2"), dz, repaired=tz, cf=19)),
        chain(line(25, r"h} &= (y - \hat{y})\, w,", c.g("a1"), dz * w, repaired=tz * w, cf=19)),
        chain(line(26, r"u} &= (y - \hat{y})\, w \odot", c.g("z1"), gu(dz), repaired=gu(tz), cf=19)),
        chain(line(27, r"\big(w \odot (1 - h \odot h)\big)\, x^\top", c.g("W1"), outer(gu(dz), x),
                   repaired=outer(gu(tz), x), cf=19)),
        chain(line(28, r"b} &= (y - \hat{y})\, w \odot", c.g("b1"), gu(dz), repaired=gu(tz), cf=19)),
    ]


# 07 seed-style paste; dL/d(W_1 x) drops the sigma' factor
@proves("07-seed-style-missing-sigma-prime.txt")
def d07(c):
    x, y, yh, a, W2 = c.x, c.y, c.yhat, c.a1, c.W2
    e = yh - y
    dz1 = W2.T @ e                                         # author's dL/d(W1 x)
    return [
        chain(line(11, r"&= \hat{y}_i (\delta_{ij} - \hat{y}_j)", c.J("yhat", "z2"), np.diag(yh) - outer(yh, yh))),
        chain(line(12, r"z} &= \hat{y} - y", c.g("z2"), e)),
        chain(line(13, r"&= (\hat{y}_i - y_i) a_j", c.g("W2"), ein("i,j->ij", e, a))),
        chain(line(14, r"&= (\hat{y} - y) a^T", c.g("W2"), outer(e, a))),
        chain(line(20, r"a} &= W_2^T (\hat{y} - y)", c.g("a1"), W2.T @ e)),
        chain(line(21, r"(W_1 x)} &= W_2^T (\hat{y} - y) \\", c.g("z1"), dz1)),
        chain(line(22, r"&= \frac{\partial L}{\partial (W_1 x)} x^T", c.g("W1"), outer(dz1, x),
                   repaired=outer(c.g("z1"), x), cf=21),
              line(23, r"&= W_2^T (\hat{y} - y) x^T", c.g("W1"), outer(W2.T @ e, x))),
    ]


# 08 Unicode chat paste, ReLU + softmax
@proves("08-unicode-chat-relu-softmax-correct.md")
def d08(c):
    x, y, yh, a1, z1, W1, W2 = c.x, c.y, c.yhat, c.a1, c.z1, c.W1, c.W2
    e = yh - y
    g1 = (W2.T @ e) * ind(z1)
    return [
        chain(line(5, "∂L/∂z₂ = ŷ − y", c.g("z2"), e)),
        chain(line(7, "∂L/∂W₂ = (ŷ − y) a₁ᵀ", c.g("W2"), outer(e, a1))),
        chain(line(9, "∂L/∂b₂ = ŷ − y", c.g("b2"), e)),
        chain(line(11, "∂L/∂a₁ = W₂ᵀ(ŷ − y)", c.g("a1"), W2.T @ e)),
        chain(line(13, "ReLU′(z₁) = 1[z₁ > 0]", dact("relu", z1), ind(z1))),
        chain(line(15, "∂L/∂z₁ = W₂ᵀ(ŷ − y) ⊙ 1[z₁ > 0]", c.g("z1"), g1)),
        chain(line(17, "∂L/∂W₁ = (W₂ᵀ(ŷ − y) ⊙ 1[z₁ > 0]) xᵀ", c.g("W1"), outer(g1, x))),
        chain(line(19, "∂L/∂b₁ = W₂ᵀ(ŷ − y) ⊙ 1[z₁ > 0]", c.g("b1"), g1)),
        chain(line(21, "∂L/∂W₁[r,s] = Σₘ (ŷₘ − yₘ) W₂[m,r]", c.g("W1"),
                   ein("m,mr,r,s->rs", e, W2, ind(z1), x))),
        chain(line(25, "∂L/∂x = W₁ᵀ(W₂ᵀ(ŷ − y) ⊙ 1[a₁ > 0])", c.g("x"), W1.T @ ((W2.T @ e) * ind(a1)))),
    ]


# 09 engineer's notes: tanh regressor with biases, MSE; r = yhat - y, g = dL/du
@proves("09-engineer-tanh-regressor-correct.md", unlabelled={(47, 51): "python code block"})
def d09(c):
    x, y, yh, h, u, W1, W2, b2 = c.x, c.y, c.yhat, c.a1, c.z1, c.W1, c.W2, c.b2
    r = yh - y
    sech2 = 1 / np.cosh(u) ** 2
    g = np.diag(1 - h * h) @ W2.T @ r                      # the author's g (line 29)
    return [
        chain(line(13, r"\partial \hat y} = r$$", c.g("yhat"), r)),
        chain(line(17, r"&= r\, h^{\top}", c.g("W2"), outer(r, h))),
        chain(line(18, r"b_2} &= r \\", c.g("b2"), r)),
        chain(line(19, r"&= W_2^{\top} r", c.g("a1"), W2.T @ r)),
        chain(line(23, r"\tanh'(u) = \operatorname{sech}^2(u)", dact("tanh", u), sech2)),
        chain(line(27, r"&= \operatorname{sech}^2(u) \odot W_2^{\top} r", c.g("z1"), sech2 * (W2.T @ r)),
              line(28, r"&= (1 - h) \odot (1 + h) \odot", c.g("z1"), (1 - h) * (1 + h) * (W2.T @ (yh - y))),
              line(29, r"&= \operatorname{diag}(1 - h \odot h)\, W_2^{\top} r", c.g("z1"), g)),
        chain(line(37, r"&= g\, x^{\top}", c.g("W1"), outer(g, x)),
              line(38, r"(W_2 h + b_2 - y)\, x^{\top}", c.g("W1"),
                   outer(np.diag(1 - h * h) @ W2.T @ (W2 @ h + b2 - y), x))),
        chain(line(39, r"b_1} &= g \\", c.g("b1"), g)),
        chain(line(40, r"&= W_1^{\top} g", c.g("x"), W1.T @ g)),
    ]


# 10 seed network, index form; softmax Jacobian taken as diagonal; j = true class
@proves("10-seed-net-softmax-jacobian-diagonal.tex")
def d10(c):
    x, y, yh, a1, a2, W2, W3, j = c.x, c.y, c.yhat, c.a1, c.a2, c.W2, c.W3, c.j
    Kk = len(yh)
    I = eye(Kk)
    dLdy = -y / yh
    jac = I * (yh * (1 - yh))[:, None]                     # author's: delta_im yh_i (1 - yh_i)
    dz = -y * (1 - yh)                                     # author's dL/dz_m
    tz = c.g("z3")
    da2 = -(1 - yh[j]) * W3[j]                            # author's dL/da2_q
    ta2 = c.g("a2")
    s2, s1 = a2 * (1 - a2), a1 * (1 - a1)
    W1rs = lambda v: ein("q,q,qr,r,s->rs", v, s2, W2, s1, x)
    sp = lambda z: sig(z) * (1 - sig(z))
    return [
        chain(line(10, r"&= -\frac{y_i}{\hat{y}_i}.", c.g("yhat"), dLdy)),
        chain(line(14, r"&= \delta_{im}\, \hat{y}_i (1 - \hat{y}_i).", c.J("yhat", "z3"), jac)),
        chain(line(18, r"\left(-\frac{y_i}{\hat{y}_i}\right) \delta_{im}", tz, ein("i,im->m", dLdy, jac),
                   repaired=ein("i,im->m", dLdy, c.J("yhat", "z3")), cf=14),
              line(19, r"&= -y_m (1 - \hat{y}_m) \\", tz, dz),
              line(20, r"&= -\delta_{jm} (1 - \hat{y}_j).", tz, -I[j] * (1 - yh[j]))),
        chain(line(22, r"\partial z_m / \partial W_{3_{pq}} = \delta_{mp}\, a_{2_q}", c.J("z3", "W3"),
                   ein("mp,q->mpq", I, a2))),
        chain(line(24, r"\frac{\partial L}{\partial z_m}\, \delta_{mp}\, a_{2_q}", c.g("W3"),
                   ein("m,mp,q->pq", dz, I, a2), repaired=ein("m,mp,q->pq", tz, I, a2), cf=20),
              line(25, r"&= -y_p (1 - \hat{y}_p)\, a_{2_q}.", c.g("W3"), outer(-y * (1 - yh), a2))),
        chain(line(27, r"\sigma' = \sigma (1 - \sigma)", (dact("sigmoid", c.z1), dact("sigmoid", c.z2)),
                   (sp(c.z1), sp(c.z2)))),
        chain(line(29, r"&= -\sum_{m=1}^{k} y_m (1 - \hat{y}_m)\, W_{3_{mq}}", ta2, -ein("m,mq->q", y * (1 - yh), W3),
                   repaired=W3.T @ tz, cf=20),
              line(30, r"&= -(1 - \hat{y}_j)\, W_{3_{jq}}, \\", ta2, da2)),
        chain(line(31, r"a_{2_q} (1 - a_{2_q})\, a_{1_r}.", c.g("W2"), outer(da2 * s2, a1),
                   repaired=outer(ta2 * s2, a1), cf=30)),
        chain(line(35, r"\frac{\partial L}{\partial a_{2_q}}\, a_{2_q} (1 - a_{2_q})", c.g("W1"), W1rs(da2),
                   repaired=W1rs(ta2), cf=30),
              line(36, r"&= -(1 - \hat{y}_j) \sum_{q=1}^{d_2} W_{3_{jq}}", c.g("W1"),
                   -(1 - yh[j]) * ein("q,q,qr,r,s->rs", W3[j], s2, W2, s1, x))),
    ]


# 11 Unicode Discord paste, tanh' written as 1 - tanh; a reply corrects it
@proves("11-unicode-tanh-derivative-missing-square.md", unlabelled={3: "problem statement (defines e)"})
def d11(c):
    x, y, yh, h1, h2, W1, W2, W3 = c.x, c.y, c.yhat, c.a1, c.a2, c.W1, c.W2, c.W3
    e = yh - y
    g2 = (W3.T @ e) * (1 - h2)                             # author's (wrong)
    g1 = (W2.T @ g2) * (1 - h1)                            # author's (wrong)
    t2, t1 = c.g("z2"), c.g("z1")
    g2new = (W3.T @ e) * (1 - h2 * h2)                     # the reply's g2
    return [
        chain(line(5, "∂L/∂ŷ = e", c.g("yhat"), e)),
        chain(line(7, "∂L/∂W₃ = e h₂ᵀ", c.g("W3"), outer(e, h2))),
        chain(line(9, "∂L/∂h₂ = W₃ᵀ e", c.g("a2"), W3.T @ e)),
        chain(line(11, "tanh′(s) = 1 − tanh(s)", (dact("tanh", c.z2), dact("tanh", c.z1)),
                   (1 - np.tanh(c.z2), 1 - np.tanh(c.z1)))),
        chain(line(13, "g₂ := ∂L/∂(W₂h₁) = (W₃ᵀ e) ⊙ (1 − h₂)", t2, g2,
                   repaired=(W3.T @ e) * dact("tanh", c.z2), cf=11)),
        chain(line(15, "∂L/∂W₂ = g₂ h₁ᵀ", c.g("W2"), outer(g2, h1), repaired=outer(t2, h1), cf=13)),
        chain(line(17, "g₁ := ∂L/∂(W₁x) = (W₂ᵀ g₂) ⊙ (1 − h₁)", t1, g1,
                   repaired=(W2.T @ t2) * dact("tanh", c.z1), cf=[11, 13])),
        chain(line(19, "∂L/∂W₁ = g₁ xᵀ", c.g("W1"), outer(g1, x), repaired=outer(t1, x), cf=17)),
        chain(line(21, "∂L/∂x = W₁ᵀ g₁", c.g("x"), W1.T @ g1, repaired=W1.T @ t1, cf=17),
              line(22, "= W₁ᵀ((W₂ᵀ((W₃ᵀ e) ⊙ (1 − h₂))) ⊙ (1 − h₁))", c.g("x"),
                   W1.T @ ((W2.T @ ((W3.T @ e) * (1 - h2))) * (1 - h1)))),
        chain(line(26, "tanh′(s) = 1 − tanh²(s)", (dact("tanh", c.z2), dact("tanh", c.z1)),
                   (1 - np.tanh(c.z2) ** 2, 1 - np.tanh(c.z1) ** 2))),
        chain(line(27, "so g₂ = (W₃ᵀ e) ⊙ (1 − h₂ ⊙ h₂)", t2, g2new)),
        chain(line(29, "∂L/∂x = W₁ᵀ((W₂ᵀ g₂) ⊙ (1 − h₁ ⊙ h₁))", c.g("x"),
                   W1.T @ ((W2.T @ g2new) * (1 - h1 * h1)))),
    ]


# 12 row vectors; both weight gradients written as reversed outer products
@proves("12-row-vector-reversed-outer-product.txt", unlabelled={6: "definition of delta_1, delta_2"})
def d12(c):
    x, y, yh, h, W1, W2 = c.x, c.y, c.yhat, c.a1, c.W1, c.W2
    d1 = yh - y
    d2 = (d1 @ W2.T) * h * (1 - h)
    return [
        chain(line(8, r"\delta_1 = \hat{y} - y", c.g("z2"), d1)),
        chain(line(10, r"\partial J / \partial b_2 = \delta_1", c.g("b2"), d1)),
        chain(line(12, r"\partial J / \partial W_2 = \delta_1^T h", c.g("W2"), outer(d1, h))),
        chain(line(14, r"\partial J / \partial h = \delta_1 W_2^T", c.g("a1"), d1 @ W2.T)),
        chain(line(16, r"\sigma'(z_1) = h \circ (1 - h)", dact("sigmoid", c.z1), h * (1 - h))),
        chain(line(18, r"\delta_2 = \delta_1 W_2^T \circ h \circ (1 - h)", c.g("z1"), d2)),
        chain(line(20, r"\partial J / \partial b_1 = \delta_2", c.g("b1"), d2)),
        chain(line(22, r"\partial J / \partial W_1 = \delta_2^T x", c.g("W1"), outer(d2, x))),
        chain(line(24, r"\partial J / \partial x = \delta_2 W_1^T", c.g("x"), d2 @ W1.T)),
    ]


# 13 TA model solution, 3 layers ReLU/ReLU/softmax with biases; generic-l claims
@proves("13-ta-solution-relu3-correct.tex", unlabelled={13: "definition of delta^(l)"})
def d13(c):
    x, y, yh, a1, a2, z1, z2 = c.x, c.y, c.yhat, c.a1, c.a2, c.z1, c.z2
    W1, W2, W3 = c.W1, c.W2, c.W3
    J3 = np.diag(yh) - outer(yh, yh)
    d3 = yh - y
    d2 = np.diag(ind(z2)) @ W3.T @ d3
    d1 = np.diag(ind(z1)) @ W2.T @ d2
    e = yh - y
    return [
        chain(line(16, r"\mathrm{diag}(\hat{y}) - \hat{y}\hat{y}^\top$, which", c.J("yhat", "z3"), J3)),
        chain(line(17, r"\partial L / \partial \hat{y} = -y \oslash \hat{y}", c.g("yhat"), -y / yh)),
        chain(line(19, r"\big)\, (-y \oslash \hat{y})", c.g("z3"), J3 @ (-y / yh)),
              line(20, r"&= -y + \hat{y}\, (\mathbf{1}^\top y)", c.g("z3"), -y + yh * np.sum(y)),
              line(21, r"&= \hat{y} - y.", c.g("z3"), d3)),
        chain(line(24, r"\mathrm{ReLU}'(z) = \mathbb{1}[z > 0]", (dact("relu", z2), dact("relu", z1)),
                   (ind(z2), ind(z1)))),
        # "for l = 2, 1": both instances, each with the author's delta^(l+1)
        chain(line(26, r"\mathrm{diag}\big(\mathbb{1}[z^{(\ell)} > 0]\big)", (c.g("z2"), c.g("z1")),
                   (np.diag(ind(z2)) @ W3.T @ d3, np.diag(ind(z1)) @ W2.T @ d2)),
              line(27, r"\odot \mathbb{1}[a^{(\ell)} > 0].", (c.g("z2"), c.g("z1")),
                   ((W3.T @ d3) * ind(a2), (W2.T @ d2) * ind(a1)))),
        # "for every layer l = 1, 2, 3", a^(0) = x
        chain(line(32, r"&= \delta^{(\ell)} a^{(\ell-1)\top}", (c.g("W1"), c.g("W2"), c.g("W3")),
                   (outer(d1, x), outer(d2, a1), outer(d3, a2)))),
        chain(line(33, r"\nabla_{b^{(\ell)}} L &= \delta^{(\ell)}.", (c.g("b1"), c.g("b2"), c.g("b3")),
                   (d1, d2, d3))),
        chain(line(38, r"(W^{(3)\top} (\hat{y} - y)) \odot", c.g("W1"),
                   outer((W2.T @ ((W3.T @ e) * ind(z2))) * ind(z1), x))),
        chain(line(39, r"W^{(3)}_{mp}\, \mathbb{1}[z^{(2)}_p > 0]\, W^{(2)}_{pr}", c.g("W1"),
                   ein("m,mp,p,pr,r,s->rs", e, W3, ind(z2), W2, ind(z1), x))),
    ]


# 14 index form, tanh hidden layer differentiated as if it were a sigmoid; t = true class
@proves("14-tanh-layer-sigmoid-derivative.tex")
def d14(c):
    x, y, p, h, W1, W2, t = c.x, c.y, c.yhat, c.a1, c.W1, c.W2, c.j
    Kk = len(p)
    I = eye(Kk)
    e = p - I[t]
    back = ein("i,ij->j", e, W2)
    dq = h * (1 - h) * back                                # author's dl/dq_j (wrong)
    tq = c.g("z1")
    Jq = c.J("z1", "W1")
    return [
        chain(line(11, r"\left(-\frac{y_r}{p_r}\right) p_r \left(\delta_{ri} - p_i\right)", c.g("z2"),
                   ein("r,ri->i", -y / p * p, I - p[None, :])),
              line(12, r"&= -\left(\delta_{ti} - p_i\right)", c.g("z2"), -(I[t] - p)),
              line(13, r"&= p_i - [i = t].", c.g("z2"), e)),
        chain(line(17, r"= \left(p_i - [i = t]\right) h_j", c.g("W2"), outer(e, h))),
        chain(line(20, r"= p_i - [i = t]", c.g("b2"), e)),
        chain(line(24, r"h_j} = \sum_i \left(p_i - [i = t]\right) W^{(2)}_{ij}", c.g("a1"), back)),
        chain(line(28, r"q_j} = h_j (1 - h_j),", dact("tanh", c.z1), h * (1 - h))),
        chain(line(31, r"q_j} = h_j (1 - h_j) \sum_i", tq, dq, repaired=dact("tanh", c.z1) * back, cf=28)),
        chain(line(33, r"\partial q_j / \partial W^{(1)}_{jk} = x_k", np.array([Jq[a, a, :] for a in range(len(h))]),
                   np.broadcast_to(x, (len(h), len(x))))),
        chain(line(35, r"= h_j (1 - h_j)\, x_k \sum_i", c.g("W1"), outer(dq, x),
                   repaired=outer(dact("tanh", c.z1) * back, x), cf=28)),
        chain(line(38, r"b^{(1)}_{j}} = \frac{\partial \ell}{\partial q_j},", c.g("b1"), dq, repaired=tq, cf=31)),
        chain(line(42, r"x_k} = \sum_j \frac{\partial \ell}{\partial q_j}\, W^{(1)}_{jk}", c.g("x"),
                   ein("j,jk->k", dq, W1), repaired=ein("j,jk->k", tq, W1), cf=31)),
    ]


# 15 notebook: BCE, relu hidden layer, scalar output s = w^T h + c (w = W2^T); input gradient
@proves("15-notebook-bce-relu-correct.ipynb", unlabelled={(20, 32): "code cell", (65, 67): "code cell",
                                                          (98, 107): "code cell"})
def d15(c):
    x, y, yh, h, u, W, w = c.x, c.y, c.yhat, c.a1, c.z1, c.W1, c.W2[0]
    e = yh - y
    gu = e * w * ind(u)
    return [
        chain(line(44, r"\sigma'(s) = \hat y (1 - \hat y)", dact("sigmoid", c.z2), yh * (1 - yh))),
        chain(line(45, r"\partial L / \partial \hat y = -y / \hat y + (1 - y) / (1 - \hat y)", c.g("yhat"),
                   -y / yh + (1 - y) / (1 - yh))),
        chain(line(49, r"&= -y\, \frac{\hat y (1 - \hat y)}{\hat y}", c.g("z2"),
                   -y * yh * (1 - yh) / yh + (1 - y) * yh * (1 - yh) / (1 - yh)),
              line(50, r"&= -y (1 - \hat y) + (1 - y)\, \hat y", c.g("z2"), -y * (1 - yh) + (1 - y) * yh),
              line(51, r"&= \hat y - y", c.g("z2"), e)),
        chain(line(55, r"\partial w} = (\hat y - y)\, h", c.g("W2")[0], e * h)),
        chain(line(57, r"\partial c} = \hat y - y", c.g("b2"), e)),
        chain(line(79, r"\partial h} = (\hat y - y)\, w", c.g("a1"), e * w)),
        chain(line(81, r"\mathrm{relu}'(u) = \mathbb{1}[u > 0]", dact("relu", u), ind(u))),
        chain(line(85, r"\partial u} &= (\hat y - y)\, w \odot", c.g("z1"), gu)),
        chain(line(86, r"\partial W} &= (\hat y - y)\, \big(w \odot", c.g("W1"), outer(gu, x))),
        chain(line(87, r"\partial b} &= (\hat y - y)\, w \odot", c.g("b1"), gu)),
        chain(line(88, r"\partial x} &= (\hat y - y)\, W^\top", c.g("x"), W.T @ (e * w * ind(u)))),
    ]


# 16 notebook, batch as columns, BCE; db2 left as a 1 x m row (no sum over the batch)
@proves("16-notebook-batch-db-vector-for-scalar.ipynb",
        unlabelled={(24, 32): "code cell", (58, 60): "code cell", (89, 92): "code cell"})
def d16(c):
    m, X, Y, A1, A2, Z1, W2 = c.m, c.x, c.y, c.a1, c.a2, c.z1, c.W2
    dZ2 = A2 - Y
    dA1 = W2.T @ dZ2
    dZ1 = dA1 * ind(Z1)
    return [
        chain(line(46, r"dZ^{[2]} &= A^{[2]} - Y", m * c.g("z2"), dZ2)),
        chain(line(47, r"dZ^{[2]} A^{[1]T}", c.g("W2"), dZ2 @ A1.T / m)),
        chain(line(48, r"db^{[2]} &= \frac{1}{m}\, dZ^{[2]}", c.g("b2"), dZ2 / m)),
        chain(line(72, r"g^{[1]\prime}(Z^{[1]}) = \mathbb{1}[Z^{[1]} > 0]", dact("relu", Z1), ind(Z1))),
        chain(line(76, r"dA^{[1]} &= W^{[2]T} dZ^{[2]}", m * c.g("a1"), dA1)),
        chain(line(77, r"dZ^{[1]} &= dA^{[1]} * \mathbb{1}[Z^{[1]} > 0]", m * c.g("z1"), dZ1)),
        chain(line(78, r"dZ^{[1]} X^T", c.g("W1"), dZ1 @ X.T / m)),
        chain(line(79, r"\sum_{i=1}^{m} dZ^{[1](i)}", c.g("b1"), dZ1.sum(axis=1) / m)),
    ]


# 17 CS231n style: X is N x D (rows), loss averaged over N; dfoo = dL/dfoo
@proves("17-cs231n-dscores-correct.txt")
def d17(c):
    N, X, Y, P, hid, W1, W2 = c.m, c.x, c.y, c.yhat, c.a1, c.W1, c.W2
    ds = (P - Y) / N
    dh = ds @ W2.T
    dpre = dh * ind(hid)
    return [
        chain(line(15, r"dscores = \frac{1}{N} (probs - Y)", c.g("z2"), ds)),
        chain(line(16, r"dscores_{i,c} = \frac{1}{N} (probs_{i,c} - [c = y_i])", c.g("z2"), (P - Y) / N)),
        chain(line(17, r"dW2 = hidden^T dscores", c.g("W2"), hid.T @ ds)),
        chain(line(18, r"db2 = \sum_{i=1}^{N} dscores_{i,:}", c.g("b2"), ds.sum(axis=0))),
        chain(line(19, r"dhidden = dscores W_2^T", c.g("a1"), dh)),
        chain(line(20, r"dhidden_pre = dhidden \odot [hidden > 0]", c.g("z1"), dpre)),
        chain(line(21, r"dW1 = X^T dhidden_pre", c.g("W1"), X.T @ dpre)),
        chain(line(22, r"db1 = \sum_{i=1}^{N} dhidden_pre_{i,:}", c.g("b1"), dpre.sum(axis=0))),
        chain(line(23, r"dX = dhidden_pre W_1^T", c.g("x"), dpre @ W1.T)),
    ]


# 18 sigmoid output with MSE; sigma'(z) evaluated at y instead of yhat
@proves("18-sigmoid-mse-y-for-yhat.md", unlabelled={5: "definition of delta_2, delta_1"})
def d18(c):
    x, y, yh, h, W1, W2 = c.x, c.y, c.yhat, c.a1, c.W1, c.W2
    d2 = (yh - y) * y * (1 - y)                            # author's (wrong)
    d1 = (W2.T @ d2) * (1 - h * h)
    t2, t1 = c.g("z2"), c.g("z1")
    return [
        chain(line(7, r"\partial \hat y} = \hat y - y$$", c.g("yhat"), yh - y)),
        chain(line(9, r"\operatorname{diag}\big(\hat y \odot (1 - \hat y)\big)", c.J("yhat", "z2"),
                   np.diag(yh * (1 - yh)))),
        chain(line(15, r"(\hat y - y) \odot y \odot (1 - y)", t2, d2)),
        chain(line(16, r"\nabla_{W_2} L &= \delta_2\, h^\top", c.g("W2"), outer(d2, h), repaired=outer(t2, h), cf=15)),
        chain(line(17, r"\nabla_{b_2} L &= \delta_2", c.g("b2"), d2, repaired=t2, cf=15)),
        chain(line(18, r"\delta_1 &= \big(W_2^\top \delta_2\big)", t1, d1, repaired=(W2.T @ t2) * (1 - h * h), cf=15)),
        chain(line(19, r"\nabla_{W_1} L &= \delta_1\, x^\top", c.g("W1"), outer(d1, x), repaired=outer(t1, x), cf=18)),
        chain(line(20, r"\nabla_{b_1} L &= \delta_1", c.g("b1"), d1, repaired=t1, cf=18)),
        chain(line(24, r"\nabla_x L = W_1^\top \delta_1", c.g("x"), W1.T @ d1, repaired=W1.T @ t1, cf=18)),
    ]


# 19 deeplearning.ai brackets, single example, 3 tanh layers + sigmoid/BCE; delta^[1] uses a^[2]
@proves("19-dlai-tanh3-bce-wrong-layer.txt", unlabelled={9: "definition of delta^[l]"})
def d19(c):
    x, y, yh, a1, a2, W2, W3 = c.x, c.y, c.yhat, c.a1, c.a2, c.W2, c.W3
    d3 = yh - y
    d2 = (W3.T @ d3) * (1 - a2 ** 2)
    back = W2.T @ d2
    bad = Ill("W^[2]T delta^[2] has d1 = %d entries, 1 - (a^[2])^2 has d2 = %d" % (len(back), len(a2)),
              back.shape != a2.shape)
    t1 = c.g("z1")
    inh = lambda what: Ill("%s built on the ill-formed delta^[1] of line 19" % what, True)
    return [
        chain(line(11, r"\delta^{[3]} = \hat{y} - y", c.g("z3"), d3)),
        chain(line(12, r"= \delta^{[3]} a^{[2]T}", c.g("W3"), outer(d3, a2))),
        chain(line(13, r"b^{[3]} = \delta^{[3]}", c.g("b3"), d3)),
        chain(line(15, r"\delta^{[2]} = W^{[3]T} \delta^{[3]} * (1 - (a^{[2]})^2)", c.g("z2"), d2)),
        chain(line(16, r"= \delta^{[2]} a^{[1]T}", c.g("W2"), outer(d2, a1))),
        chain(line(17, r"b^{[2]} = \delta^{[2]}", c.g("b2"), d2)),
        chain(line(19, r"\delta^{[1]} = W^{[2]T} \delta^{[2]} * (1 - (a^{[2]})^2)", t1, bad)),
        chain(line(20, r"= \delta^{[1]} x^T", c.g("W1"), inh("delta^[1] x^T"), repaired=outer(t1, x), cf=19)),
        chain(line(21, r"b^{[1]} = \delta^{[1]}", c.g("b1"), inh("delta^[1]"), repaired=t1, cf=19)),
        chain(line(23, r"g^{[l]\prime}(z^{[l]}) = 1 - (a^{[l]})^2", (dact("tanh", c.z1), dact("tanh", c.z2)),
                   (1 - a1 ** 2, 1 - a2 ** 2))),
    ]


# 20 index form, ReLU regressor with MSE; Kronecker delta collapsed onto the wrong index
@proves("20-index-form-relu-mse-wrong-index.tex")
def d20(c):
    x, y, yh, h, u, W2 = c.x, c.y, c.yhat, c.a1, c.z1, c.W2
    e = yh - y
    P, H, Dd = len(yh), len(h), len(x)
    du = ind(u) * (W2.T @ e)                               # author's dL/du_r (correct)
    assert H <= Dd                                          # x_a is defined for every hidden a
    return [
        chain(line(11, r"\hat{y}_m} &= e_m, \\", c.g("yhat"), e)),
        chain(line(12, r"&= \sum_{n} e_n \frac{\partial \hat{y}_n}", c.g("W2"), ein("n,nmr->mr", e, c.J("yhat", "W2"))),
              line(13, r"&= \sum_{n} e_n\, \delta_{nm}\, h_r", c.g("W2"), ein("n,nm,r->mr", e, eye(P), h)),
              line(14, r"&= e_m h_r, \\", c.g("W2"), outer(e, h))),
        chain(line(15, r"b^{(2)}_m} &= e_m.", c.g("b2"), e)),
        chain(line(18, r"\partial h_r / \partial u_r = \mathbb{1}[u_r > 0]", dact("relu", u), ind(u))),
        chain(line(20, r"u_r} &= \mathbb{1}[u_r > 0] \sum_{m} e_m W^{(2)}_{mr}", c.g("z1"), du)),
        chain(line(21, r"&= \delta_{ra}\, x_b, \\", c.J("z1", "W1"), ein("ra,b->rab", eye(H), x))),
        chain(line(22, r"&= \sum_{r} \frac{\partial L}{\partial u_r}\, \delta_{ra}\, x_b", c.g("W1"),
                   ein("r,ra,b->ab", du, eye(H), x)),
              line(23, r"&= \frac{\partial L}{\partial u_a}\, x_a", c.g("W1"),
                   np.broadcast_to((du * x[:H])[:, None], (H, Dd))),
              line(24, r"&= \mathbb{1}[u_a > 0]\, x_a \sum_{m}", c.g("W1"),
                   np.broadcast_to((ind(u) * x[:H] * (W2.T @ e))[:, None], (H, Dd)))),
        chain(line(25, r"b^{(1)}_a} &= \mathbb{1}[u_a > 0] \sum_{m}", c.g("b1"), ind(u) * (W2.T @ e))),
        chain(line(27, r"\nabla_{W^{(1)}} L = \big((W^{(2)\top} e) \odot", c.g("W1"), outer((W2.T @ e) * ind(u), x))),
    ]


# 21 engineer's batch notes (examples as columns, MSE averaged over m); extra factor 2
@proves("21-engineer-batch-mse-extra-factor.txt")
def d21(c):
    m, X, Y, Yh, H, U, W2 = c.m, c.x, c.y, c.yhat, c.a1, c.z1, c.W2
    dY = 2 / m * (Yh - Y)                                  # author's dL/dYhat (wrong)
    dU = 2 / m * (W2.T @ (Yh - Y)) * ind(U)                # author's dL/dU (wrong)
    tY, tU = c.g("yhat"), c.g("z1")
    ones = np.ones(m)
    return [
        chain(line(14, r"\partial L / \partial Yhat = \frac{2}{m} (Yhat - Y)", tY, dY)),
        chain(line(15, r"\partial L / \partial W_2  = \frac{2}{m} (Yhat - Y) H^T", c.g("W2"), dY @ H.T,
                   repaired=tY @ H.T, cf=14)),
        chain(line(16, r"\partial L / \partial b_2  = \frac{2}{m} (Yhat - Y) 1", c.g("b2"), dY @ ones,
                   repaired=tY @ ones, cf=14)),
        chain(line(17, r"\partial L / \partial H    = \frac{2}{m} W_2^T (Yhat - Y)", c.g("a1"), W2.T @ dY,
                   repaired=W2.T @ tY, cf=14)),
        chain(line(18, r"\frac{2}{m} W_2^T (Yhat - Y) \odot 1[U > 0]", tU, dU,
                   repaired=(W2.T @ tY) * ind(U), cf=14)),
        chain(line(19, r"\partial L / \partial U \cdot X^T", c.g("W1"), dU @ X.T, repaired=tU @ X.T, cf=18)),
        chain(line(20, r"(\partial L / \partial U) 1", c.g("b1"), dU @ ones, repaired=tU @ ones, cf=18)),
    ]


# 22 declared numerator layout: dL/dW is the transpose, dL/dv a row vector
@proves("22-numerator-layout-bce-correct.txt", unlabelled={5: "definition of the numerator layout"})
def d22(c):
    x, y, yh, a, W1, W2 = c.x, c.y, c.yhat, c.a1, c.W1, c.W2
    e = yh - y                                             # (1,)
    gu = e[:, None] * W2 @ np.diag(a * (1 - a))            # row, 1 x h
    row = lambda v: v[None, :]
    return [
        chain(line(13, r"\partial L / \partial s = \hat{y} - y", c.g("z2"), e)),
        chain(line(15, r"\partial L / \partial b_2 = \hat{y} - y", c.g("b2"), e)),
        chain(line(17, r"\partial L / \partial W_2 = (\hat{y} - y) a", c.g("W2").T, (e * a)[:, None])),
        chain(line(19, r"\partial L / \partial a = (\hat{y} - y) W_2", row(c.g("a1")), e[:, None] * W2)),
        chain(line(21, r"\partial L / \partial u = (\hat{y} - y) W_2 \, diag", row(c.g("z1")), gu)),
        chain(line(23, r"\partial L / \partial W_1 = x \, (\hat{y} - y)", c.g("W1").T, x[:, None] @ gu)),
        chain(line(25, r"\partial L / \partial b_1 = (\hat{y} - y) W_2", row(c.g("b1")), gu)),
        chain(line(27, r"\partial L / \partial x = (\hat{y} - y) W_2 \, diag(a \odot (1 - a)) \, W_1",
                   row(c.g("x")), gu @ W1)),
    ]


if __name__ == "__main__":
    sys.exit(main(CORPUS, sys.argv))
