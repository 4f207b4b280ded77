#!/usr/bin/env python3
"""Independent numerical proof of every label in labels.json (seventh held-out corpus).

numpy only -- no chainrule import, no sympy, no autograd library; the shared
method and the reason are in tests/corpus/proofkit.py (imported unchanged).
This file: the corpus's settings, its --stats lines, a few small helpers
(row vectors for the numerator layout, the softmax Jacobian written out by
hand, activation identities at every layer they are claimed for) and one
hand translation per document.

Run from the repository root: ``python tests/corpus/heldout7/prove_labels.py
[FILTER | --stats]``, e.g. FILTER ``05-adversarial``; proofkit.main says what it prints.

Instances: sizes d=5, d1=7, d2=4, d3=6, k=3 (k=2 where a document fixes two
outputs, one unit for bce), batch m=9 -- all distinct, so a transposed,
mis-indexed or mis-shaped right-hand side cannot pass by accident; five seeds
(0-4), so with k=3 every class is the correct one on some seed.

Representations: a column vector is a 1-D numpy array, as in proofkit's
forward pass; a row vector (the numerator layout of 03) is a 1 x n array, so
a row and a column never compare equal.  A Jacobian d f / d v is proofkit's
``c.J(f, v)`` (numerator layout, shape f + v); in the denominator layout of
04 it is its transpose.  Where a document's ``dZ`` is a per-example gradient
(row n = d loss_n / d Z_n, no 1/m), its truth is m times proofkit's
gradient of the batch-mean loss.
"""
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/corpus, home of proofkit
from proofkit import (Corpus, Ill, Setup, at, chain, dact, ein, eye, ind, line, main,  # noqa: E402
                      model_facts, outer, relu_d, sig, sig_d, softmax_jac, tally, tanh_d)


def language(fname):
    """The language of a document's prose, from its file name."""
    if "-es-" in fname:
        return "Spanish"
    if "-pt-" in fname:
        return "Portuguese"
    return "English"


def corpus_facts(entries):
    """The --stats lines this corpus adds: the language, then the shared model facts."""
    return [tally("by language", (language(e["file"]) for e in entries)), *model_facts(entries)]


CORPUS = Corpus(
    here=Path(__file__).resolve().parent,
    setup=Setup(hidden=(7, 4, 6), rng_key=lambda seed: [seed, 20270107], weight_scale=1.3, d=5, k=3, m=9),
    seeds=(0, 1, 2, 3, 4),  # every label must hold on all five instances
    rtol=1e-7,
    declares_shape=True,
    stats_facts=corpus_facts,
)
proves = CORPUS.registry.proves


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------
def row(v):
    """A column vector (1-D) as a 1 x n row vector."""
    return np.asarray(v)[None, :]


def col(r):
    """The transpose of a 1 x n row vector: a column (1-D)."""
    assert r.ndim == 2 and r.shape[0] == 1
    return r[0]


def ill_matvec(name, A, v):
    """A matrix-vector product A v whose sizes do not match: ill-formed."""
    return Ill(f"{name}: {A.shape[1]} columns times a vector of {len(v)}", A.shape[1] != len(v), name)


# ===========================================================================
# Per-document translations
# ===========================================================================

# 01 Einstein summation convention, tanh hidden layer, linear outputs, 1/2 squared error, W/V/b/c
# names; Kronecker-delta Jacobians, the hidden-activation gradient and the input gradient; correct
@proves("01-einstein-summation-tanh-linear-mse-half-input-gradient-correct.tex")
def d01(c):
    x, y, yh, h, W, V = c.x, c.y, c.yhat, c.a1, c.W1, c.W2
    e = yh - y
    g = V.T @ e                                            # e_i V_ij
    du = (1 - h ** 2) * g
    jh = ein("j,jl->jl", 1 - h ** 2, eye(c.d1))            # (1 - h_j^2) delta_jl
    return [
        chain(line(24, r"e_i := \frac{\partial L}{\partial \hat y_i} &= \hat y_i - y_i .", c.g("yhat"), e)),
        chain(line(28, r"&= \delta_{ip}\, h_q , \\", c.J("yhat", "W2"), ein("ip,q->ipq", eye(c.k), h))),
        chain(line(29, r"\frac{\partial L}{\partial V_{pq}} &= e_i\, \delta_{ip}\, h_q \\", c.g("W2"),
                   ein("i,ip,q->pq", e, eye(c.k), h)),
              line(30, r"&= (\hat y_p - y_p)\, h_q , \\", c.g("W2"), outer(e, h))),
        chain(line(31, r"\frac{\partial L}{\partial c_p} &= \hat y_p - y_p .", c.g("b2"), e)),
        chain(line(37, r"g_j := \frac{\partial L}{\partial h_j} &= e_i\, V_{ij} .", c.g("a1"), ein("i,ij->j", e, V))),
        chain(line(39, r"$\tanh'(u) = 1 - \tanh^2(u)$", *at([tanh_d(c.z1)]))),
        chain(line(41, r"&= (1 - h_j^2)\, \delta_{jl} , \\", c.J("a1", "z1"), jh)),
        chain(line(42, r"&= g_j \frac{\partial h_j}{\partial u_l} \\", c.g("z1"), ein("j,jl->l", g, jh)),
              line(43, r"&= (1 - h_l^2)\, e_i V_{il} .", c.g("z1"), du)),
        chain(line(47, r"&= (1 - h_l^2)\, e_i V_{il}\, x_k , \\", c.g("W1"), ein("l,i,il,k->lk", 1 - h ** 2, e, V, x))),
        chain(line(48, r"\frac{\partial L}{\partial b_l} &= (1 - h_l^2)\, e_i V_{il} .", c.g("b1"), du)),
        chain(line(54, r"&= \frac{\partial L}{\partial u_l}\, W_{lk} \\", c.g("x"), ein("l,lk->k", du, W)),
              line(55, r"&= (1 - h_l^2)\, e_i V_{il}\, W_{lk} .", c.g("x"), ein("l,i,il,lk->k", 1 - h ** 2, e, V, W))),
    ]


# 02 Einstein summation convention, ReLU hidden layer, softmax + cross-entropy, one-hot y; when
# -y_l/p_l p_l (delta_li - p_i) is multiplied out, p_i is contracted with y_l as if it were p_l:
# -y_i + y_l p_l (a scalar y.p where p_i belongs); everything built on epsilon carries it
@proves("02-einstein-summation-relu-softmax-onehot-contracted-wrong-index.md")
def d02(c):
    x, y, p, h, a, W2 = c.x, c.y, c.yhat, c.a1, c.z1, c.W2
    jac = softmax_jac(p)                                   # [l, i]
    ts = c.g("z2")
    eps = np.dot(y, p) - y                                 # the author's epsilon_i = y_l p_l - y_i
    r = ind(a)
    return [
        chain(line(18, r"$$\frac{\partial L}{\partial p_l} = -\frac{y_l}{p_l}$$", c.g("yhat"), -y / p)),
        chain(line(22, r"= p_l(\delta_{li} - p_i).$$", c.J("yhat", "z2"), jac)),
        chain(line(26, r"\frac{\partial L}{\partial p_l}\frac{\partial p_l}{\partial s_i}$$", ts,
                   ein("l,li->i", c.g("yhat"), c.J("yhat", "z2"))),
              line(28, r"$$= -\frac{y_l}{p_l}\, p_l(\delta_{li} - p_i)$$", ts, ein("l,l,li->i", -y / p, p, eye(c.k) - p[None, :])),
              line(30, r"$$= -y_l \delta_{li} + y_l p_l$$", ts, -ein("l,li->i", y, eye(c.k)) + ein("l,l->", y, p)),
              line(32, r"$$= -y_i + y_l p_l .$$", ts, -y + np.dot(y, p)),
              line(36, r"= y_l p_l - y_i .$$", ts, eps)),
        chain(line(40, r"= \varepsilon_i h_j, \qquad", c.g("W2"), outer(eps, h), repaired=outer(ts, h), cf=36)),
        chain(line(42, r"\frac{\partial L}{\partial b^{(2)}_i} = \varepsilon_i .$$", c.g("b2"), eps, repaired=ts, cf=36)),
        chain(line(48, r"= W^{(2)}_{ij}\, \varepsilon_i .$$", c.g("a1"), ein("ij,i->j", W2, eps),
                   repaired=ein("ij,i->j", W2, ts), cf=36)),
        chain(line(50, r"$\max(0, a)' = \mathbb{1}[a > 0]$", *at([relu_d(a)]))),
        chain(line(52, r"\frac{\partial L}{\partial a_j} = \mathbb{1}[a_j > 0]", c.g("z1"), r * ein("ij,i->j", W2, eps),
                   repaired=r * ein("ij,i->j", W2, ts), cf=36)),
        chain(line(54, r"\varepsilon_i\, x_k ,$$", c.g("W1"), ein("j,ij,i,k->jk", r, W2, eps, x),
                   repaired=ein("j,ij,i,k->jk", r, W2, ts, x), cf=36)),
        chain(line(56, r"\frac{\partial L}{\partial b^{(1)}_j} = \mathbb{1}[a_j > 0]", c.g("b1"), r * ein("ij,i->j", W2, eps),
                   repaired=r * ein("ij,i->j", W2, ts), cf=36)),
    ]


# 03 numerator layout (Jacobians m x n, dL/dv a 1 x n row, chained left to right), tanh-ReLU-softmax
# with biases; diag(1[z2 > 0]), diag(1 - a1 o a1), diag(p) - pp^T, the input gradient as a row,
# and parameter gradients stored with the shape of the parameter; correct
@proves("03-jacobian-numerator-layout-row-gradients-tanh-relu-softmax-input-correct.tex")
def d03(c):
    x, y, p, a1, a2, z2, W1, W2, W3 = c.x, c.y, c.yhat, c.a1, c.a2, c.z2, c.W1, c.W2, c.W3
    Jp = np.diag(p) - outer(p, p)
    D2, D1 = np.diag(ind(z2)), np.diag(1 - a1 * a1)
    r3 = row(p - y)
    r2 = r3 @ W3 @ D2
    r1 = r2 @ W2 @ D1
    rz = (r1, r2, r3)
    prev = (x, a1, a2)
    return [
        chain(line(24, r"\frac{\partial L}{\partial p} &= -(y \oslash p)^\top \\", row(c.g("yhat")), row(-y / p))),
        chain(line(25, r"\frac{\partial p}{\partial z_3} &= \diag(p) - p\,p^\top \\", c.J("yhat", "z3"), Jp)),
        chain(line(26, r"\frac{\partial z_3}{\partial a_2} &= W_3 \\", c.J("z3", "a2"), W3)),
        chain(line(27, r"&= \diag\big(\mathbb{1}[z_2 > 0]\big) \\", c.J("a2", "z2"), D2)),
        chain(line(28, r"&= \diag\big(1 - a_1 \odot a_1\big)", c.J("a1", "z1"), D1)),
        chain(line(30, r"$\partial z_2/\partial a_1 = W_2$", c.J("z2", "a1"), W2)),
        chain(line(31, r"$\partial z_1/\partial x = W_1$", c.J("z1", "x"), W1)),
        chain(line(35, r"&= \frac{\partial L}{\partial p}\,\big(\diag(p) - p\,p^\top\big) \\", row(c.g("z3")), row(-y / p) @ Jp),
              line(36, r"&= -y^\top + (y^\top \mathbf 1)\, p^\top \\", row(c.g("z3")), -row(y) + np.sum(y) * row(p)),
              line(37, r"&= (p - y)^\top \\", row(c.g("z3")), r3)),
        chain(line(38, r"\frac{\partial L}{\partial a_2} &= (p - y)^\top W_3 \\", row(c.g("a2")), r3 @ W3)),
        chain(line(39, r"&= (p - y)^\top W_3 \,\diag\big(\mathbb{1}[z_2 > 0]\big) \\", row(c.g("z2")), r2)),
        chain(line(40, r"&= \frac{\partial L}{\partial z_2}\, W_2 \,\diag\big(1 - a_1\odot a_1\big) \\", row(c.g("z1")), r1)),
        chain(line(41, r"\frac{\partial L}{\partial x} &= \frac{\partial L}{\partial z_1}\, W_1", row(c.g("x")), r1 @ W1)),
        # l = 1, 2, 3 with a_0 = x: a column times a row
        chain(line(49, r"\nabla_{W_\ell} L &= \Big(\frac{\partial L}{\partial z_\ell}\Big)^\top a_{\ell-1}^\top \\",
                   (c.g("W1"), c.g("W2"), c.g("W3")), tuple(col(r)[:, None] @ row(a) for r, a in zip(rz, prev, strict=True)))),
        chain(line(50, r"\nabla_{b_\ell} L &= \Big(\frac{\partial L}{\partial z_\ell}\Big)^\top",
                   (c.g("b1"), c.g("b2"), c.g("b3")), tuple(col(r) for r in rz))),
        chain(line(52, r"$\nabla_{W_3} L = (p - y)\, a_2^\top$", c.g("W3"), outer(p - y, a2))),
        chain(line(53, r"$\nabla_{W_1} L = \big(\frac{\partial L}{\partial z_1}\big)^\top x^\top$", c.g("W1"), col(r1)[:, None] @ row(x))),
    ]


# 04 denominator layout (d f/d v is n x m, gradients are columns, chained right to left), sigmoid-
# tanh-softmax with biases; dz3/da2 = W3^T is right, but dz2/da1 is written W2 (not transposed:
# d2 x d1 where the layout needs d1 x d2); dL/da1 = W2 delta2 then does not conform (d1 != d2),
# and delta1 and the layer-1 gradients built on it carry it
@proves("04-jacobian-denominator-layout-column-gradients-sigmoid-tanh-softmax-jacobian-not-transposed.tex",
        unlabelled={12: "the layout's chain rule, stated for a generic f", (17, 19): "forward pass"})
def d04(c):
    x, y, p, a1, a2, z1, W2, W3 = c.x, c.y, c.yhat, c.a1, c.a2, c.z1, c.W2, c.W3
    Jp = np.diag(p) - outer(p, p)
    d2 = np.diag(1 - a2 * a2) @ W3.T @ (p - y)
    S1 = np.diag(sig(z1) * (1 - sig(z1)))
    t1 = c.g("z1")
    bad_a1 = ill_matvec("W2 delta2", W2, d2)               # the author's dL/da1
    bad_d1 = ill_matvec("diag(sigma'(z1)) W2 delta2", W2, d2)
    return [
        chain(line(25, r"\frac{\partial L}{\partial \mathbf p} &= -\mathbf y \oslash \mathbf p \\", c.g("yhat"), -y / p)),
        chain(line(26, r"&= \diag(\mathbf p) - \mathbf p\mathbf p^{T} \\", c.J("yhat", "z3").T, Jp)),
        chain(line(27, r"\big(\diag(\mathbf p) - \mathbf p\mathbf p^{T}\big)(-\mathbf y \oslash \mathbf p) \\", c.g("z3"), Jp @ (-y / p)),
              line(28, r"&= \mathbf p - \mathbf y \\", c.g("z3"), p - y)),
        chain(line(29, r"&= (\mathbf p - \mathbf y)\,\mathbf a_2^{T} \\", c.g("W3"), outer(p - y, a2))),
        chain(line(30, r"\frac{\partial L}{\partial \mathbf b_3} &= \mathbf p - \mathbf y", c.g("b3"), p - y)),
        chain(line(37, r"\frac{\partial \mathbf z_3}{\partial \mathbf a_2} &= \mathbf W_3^{T} \\", c.J("z3", "a2").T, W3.T)),
        chain(line(38, r"&= \mathbf W_3^{T}(\mathbf p - \mathbf y) \\", c.g("a2"), W3.T @ (p - y))),
        chain(line(39, r"&= \diag\big(\mathbf 1 - \mathbf a_2\circ\mathbf a_2\big) \\", c.J("a2", "z2").T, np.diag(1 - a2 * a2))),
        chain(line(40, r"\bm\delta_2 := \frac{\partial L}{\partial \mathbf z_2} &=", c.g("z2"), d2)),
        chain(line(41, r"&= \bm\delta_2\,\mathbf a_1^{T} \\", c.g("W2"), outer(d2, a1))),
        chain(line(42, r"\frac{\partial L}{\partial \mathbf b_2} &= \bm\delta_2", c.g("b2"), d2)),
        chain(line(46, r"$\sigma'(z) = \sigma(z)\,(1-\sigma(z))$", *at([sig_d(z1)]))),
        chain(line(48, r"\frac{\partial \mathbf z_2}{\partial \mathbf a_1} &= \mathbf W_2 \\", c.J("z2", "a1").T, W2)),
        chain(line(49, r"\frac{\partial L}{\partial \mathbf a_1} &= \mathbf W_2\,\bm\delta_2 \\", c.g("a1"), bad_a1,
                   repaired=W2.T @ d2, cf=48)),
        chain(line(50, r"&= \diag\big(\sigma'(\mathbf z_1)\big) \\", c.J("a1", "z1").T, S1)),
        chain(line(51, r"\bm\delta_1 := \frac{\partial L}{\partial \mathbf z_1} &=", t1, bad_d1,
                   repaired=S1 @ W2.T @ d2, cf=49)),
        chain(line(52, r"\frac{\partial L}{\partial \mathbf W_1} &= \bm\delta_1\,\mathbf x^{T} \\", c.g("W1"),
                   Ill("delta1 x^T with delta1 ill-formed", W2.shape[1] != len(d2), "delta1 x^T"),
                   repaired=outer(t1, x), cf=51)),
        chain(line(53, r"\frac{\partial L}{\partial \mathbf b_1} &= \bm\delta_1", c.g("b1"), bad_d1,
                   repaired=t1, cf=51)),
    ]


# 05 FGSM-style input gradient through a depth-4 ReLU classifier (three ReLU layers, softmax,
# biases, one-hot y); ReLU' written as max(0, z) (the ReLU itself) at every hidden layer; every
# gradient back to x carries it; the output error and the last-layer weight gradient are right
@proves("05-adversarial-input-gradient-depth4-relu-softmax-relu-derivative-as-relu.md",
        unlabelled={6: "the FGSM update x_adv = x + eps sign(grad_x L)"})
def d05(c):
    x, y, p, W1, W2, W3, W4 = c.x, c.y, c.yhat, c.W1, c.W2, c.W3, c.W4
    z1, z2, z3, h1, h2, h3 = c.z1, c.z2, c.z3, c.a1, c.a2, c.a3
    relu = lambda z: np.maximum(0.0, z)                    # noqa: E731
    t3, th2, t2, th1, t1 = c.g("z3"), c.g("a2"), c.g("z2"), c.g("a1"), c.g("z1")
    gh3 = W4.T @ (p - y)
    bz3 = gh3 * relu(z3)                                   # the author's gradients
    bh2 = W3.T @ bz3
    bz2 = bh2 * relu(z2)
    bh1 = W2.T @ bz2
    bz1 = bh1 * relu(z1)
    return [
        chain(line(24, r"$$\nabla_{z_4} L = p - y$$", c.g("z4"), p - y)),
        chain(line(28, r"$$\nabla_{h_3} L = W_4^\top (p - y).$$", c.g("a3"), gh3)),
        chain(line(32, r"$$\mathrm{ReLU}'(z) = \max(0, z),$$", (dact("relu", z1), dact("relu", z2), dact("relu", z3)),
                   (relu(z1), relu(z2), relu(z3)))),
        chain(line(36, r"$$\nabla_{z_3} L = \nabla_{h_3} L \odot \max(0, z_3)$$", t3, bz3, repaired=gh3 * ind(z3), cf=32)),
        chain(line(38, r"$$\nabla_{h_2} L = W_3^\top \nabla_{z_3} L$$", th2, bh2, repaired=W3.T @ t3, cf=36)),
        chain(line(40, r"$$\nabla_{z_2} L = \nabla_{h_2} L \odot \max(0, z_2)$$", t2, bz2, repaired=th2 * ind(z2), cf=(32, 38))),
        chain(line(42, r"$$\nabla_{h_1} L = W_2^\top \nabla_{z_2} L$$", th1, bh1, repaired=W2.T @ t2, cf=40)),
        chain(line(44, r"$$\nabla_{z_1} L = \nabla_{h_1} L \odot \max(0, z_1)$$", t1, bz1, repaired=th1 * ind(z1), cf=(32, 42))),
        chain(line(46, r"$$\nabla_{x} L = W_1^\top \nabla_{z_1} L$$", c.g("x"), W1.T @ bz1, repaired=W1.T @ t1, cf=44),
              # the same thing written with the stored activations h_l = max(0, z_l)
              line(50, r"h_1 \odot W_2^\top\big(h_2 \odot W_3^\top(h_3 \odot W_4^\top(p - y))\big)", c.g("x"),
                   W1.T @ (h1 * (W2.T @ (h2 * (W3.T @ (h3 * (W4.T @ (p - y))))))))),
        chain(line(55, r"$$\nabla_{W_4} L = (p - y)\, h_3^\top .$$", c.g("W4"), outer(p - y, h3))),
    ]


# 06 mini-batch, row convention (X is m x d, Z = XW + 1b^T), ReLU + softmax, cross-entropy averaged
# over m; dZ, dA are per-example gradients (m dL/dZ), dW, db true gradients; dW = (1/m) X^T dZ is
# right, but db = dZ^T 1 forgets the 1/m (stated once for both layers); nothing is built on it
@proves("06-minibatch-row-convention-relu-softmax-bias-gradient-missing-1-over-m.md")
def d06(c):
    X, Y, P, A1, Z1, W1, W2, m = c.x, c.y, c.yhat, c.a1, c.z1, c.W1, c.W2, c.m
    ones = np.ones(m)
    dZ2 = P - Y
    dA1 = dZ2 @ W2.T
    dZ1 = dA1 * ind(Z1)
    return [
        chain(line(26, r"$\partial \ell_n / \partial P_{nk} = -Y_{nk}/P_{nk}$", m * c.g("yhat"), -Y / P)),
        chain(line(29, r"$$dZ_2 = P - Y .$$", m * c.g("z2"), dZ2)),
        chain(line(33, r"$$dW_2 = \frac{1}{m} A_1^T\, dZ_2 .$$", c.g("W2"), A1.T @ dZ2 / m)),
        chain(line(37, r"$$dA_1 = dZ_2\, W_2^T$$", m * c.g("a1"), dA1)),
        chain(line(39, r"$\mathrm{ReLU}'(Z_1) = \mathbb{1}[Z_1 > 0]$", *at([relu_d(Z1)]))),
        chain(line(41, r"$$dZ_1 = dA_1 \odot \mathbb{1}[Z_1 > 0],$$", m * c.g("z1"), dZ1)),
        chain(line(43, r"$$dW_1 = \frac{1}{m} X^T dZ_1 .$$", c.g("W1"), X.T @ dZ1 / m)),
        # l = 1, 2
        chain(line(50, r"$$db_\ell = dZ_\ell^T\, \mathbf 1 .$$", (c.g("b1"), c.g("b2")), (dZ1.T @ ones, dZ2.T @ ones))),
        chain(line(56, r"$$dX = dZ_1\, W_1^T .$$", m * c.g("x"), dZ1 @ W1.T)),
    ]


# 07 Spanish; mini-batch in the row convention, tanh hidden layer, one sigmoid unit, binary
# cross-entropy averaged over m; dZ2, dH, dZ1 per example, the 1/m put into every parameter
# gradient (biases included); transposes ^{\mathsf T}, Hadamard \circ; correct
@proves("07-es-minibatch-row-convention-tanh-sigmoid-bce-correct.tex")
def d07(c):
    X, y, yh, H, W2, m = c.x, c.y, c.yhat, c.a1, c.W2, c.m
    ones = np.ones(m)
    dZ2 = yh - y
    dH = dZ2 @ W2.T
    dZ1 = dH * (1 - H * H)
    return [
        chain(line(24, r"= \frac{1}{m}\,\frac{\hat y_n - y_n}{\hat y_n(1-\hat y_n)} ,", c.g("yhat"), (yh - y) / (yh * (1 - yh)) / m)),
        chain(line(26, r"$\sigma'(s) = \sigma(s)\,(1-\sigma(s))$", *at([sig_d(c.z2)]))),
        chain(line(29, r"= \frac{1}{m}\,(\hat{\mathbf y} - \mathbf y) .", c.g("z2"), (yh - y) / m)),
        chain(line(34, r"dZ_2 = \hat{\mathbf y} - \mathbf y ,", m * c.g("z2"), dZ2)),
        chain(line(38, r"= \frac{1}{m}\, H^{\mathsf T} dZ_2 ,", c.g("W2"), H.T @ dZ2 / m)),
        chain(line(41, r"= \frac{1}{m}\,\mathbf 1^{\mathsf T} dZ_2 .", c.g("b2"), ones @ dZ2 / m)),
        chain(line(47, r"dH = dZ_2\, W_2^{\mathsf T}", m * c.g("a1"), dH)),
        chain(line(49, r"$\tanh'(u) = 1 - \tanh^2(u)$", *at([tanh_d(c.z1)]))),
        chain(line(51, r"dZ_1 = dH \circ (1 - H \circ H) ,", m * c.g("z1"), dZ1)),
        chain(line(55, r"= \frac{1}{m}\, X^{\mathsf T} dZ_1 ,", c.g("W1"), X.T @ dZ1 / m)),
        chain(line(58, r"= \frac{1}{m}\, dZ_1^{\mathsf T}\mathbf 1 .", c.g("b1"), dZ1.T @ ones / m)),
    ]


# 08 Portuguese; index form, tanh-tanh-softmax with biases, "c is the correct class", Iverson
# brackets [i = c], products marked \cdot; tanh' written 1 - tanh (not 1 - tanh^2); both deltas and
# every layer-1/layer-2 gradient carry it, the output layer and dL/da^(2) are right
@proves("08-pt-index-form-tanh-tanh-softmax-correct-class-c-tanh-derivative-one-minus-tanh.tex",
        unlabelled={(9, 11): "forward pass"})
def d08(c):
    x, yh, a1, a2, z1, z2, W2, W3, j = c.x, c.yhat, c.a1, c.a2, c.z1, c.z2, c.W2, c.W3, c.j
    iv = eye(c.k)[j]                                       # [i = c]
    e = yh - iv
    t2, t1 = c.g("z2"), c.g("z1")
    g2 = W3.T @ e
    bd2 = (1 - a2) * g2                                    # the author's delta^(2)
    bd1 = (1 - a1) * (W2.T @ bd2)                          # the author's delta^(1)
    return [
        chain(line(19, r"&= -\frac{[i = c]}{\hat y_c} , \\", c.g("yhat"), -iv / yh[j])),
        chain(line(20, r"&= \hat y_c \cdot \big([i = c] - \hat y_i\big) ,", c.J("yhat", "z3")[j], yh[j] * (iv - yh))),
        chain(line(24, r"\delta^{(3)}_i &= \hat y_i - [i = c] , \\", c.g("z3"), e)),
        chain(line(25, r"&= \big(\hat y_i - [i = c]\big) \cdot a^{(2)}_j , \\", c.g("W3"), outer(e, a2))),
        chain(line(26, r"\frac{\partial L}{\partial b^{(3)}_i} &= \hat y_i - [i = c] .", c.g("b3"), e)),
        chain(line(31, r"&= \sum_i W^{(3)}_{ij} \cdot \big(\hat y_i - [i = c]\big) .", c.g("a2"), g2)),
        chain(line(35, r"\tanh'(z) &= 1 - \tanh(z) ,", (dact("tanh", z1), dact("tanh", z2)), (1 - np.tanh(z1), 1 - np.tanh(z2)))),
        chain(line(39, r"\delta^{(2)}_j &= \big(1 - a^{(2)}_j\big) \cdot \sum_i W^{(3)}_{ij}", t2, bd2,
                   repaired=(1 - a2 ** 2) * g2, cf=35)),
        chain(line(40, r"&= \delta^{(2)}_j \cdot a^{(1)}_k , \\", c.g("W2"), outer(bd2, a1), repaired=outer(t2, a1), cf=39)),
        chain(line(41, r"\frac{\partial L}{\partial b^{(2)}_j} &= \delta^{(2)}_j .", c.g("b2"), bd2, repaired=t2, cf=39)),
        chain(line(46, r"&= \sum_j W^{(2)}_{jk} \cdot \delta^{(2)}_j , \\", c.g("a1"), W2.T @ bd2, repaired=W2.T @ t2, cf=39)),
        chain(line(47, r"\delta^{(1)}_k &= \big(1 - a^{(1)}_k\big) \cdot \sum_j W^{(2)}_{jk}", t1, bd1,
                   repaired=(1 - a1 ** 2) * (W2.T @ t2), cf=(35, 39))),
        chain(line(48, r"&= \delta^{(1)}_k \cdot x_l , \\", c.g("W1"), outer(bd1, x), repaired=outer(t1, x), cf=47)),
        chain(line(49, r"\frac{\partial L}{\partial b^{(1)}_k} &= \delta^{(1)}_k .", c.g("b1"), bd1, repaired=t1, cf=47)),
    ]


# 09 forum answer in plain text; 5 -> 7 ReLU -> 2 linear outputs with biases, L = ||yhat - y||^2
# with no 1/2; the answerer drops the factor 2 ("the 1/2 makes no difference"): dL/dyhat = yhat - y;
# every gradient after it carries it, the Jacobian dyhat/dh = W2 and relu' are right
@proves("09-forum-answer-plaintext-relu-linear-squared-error-no-half-factor-2-dropped.txt", k=2)
def d09(c):
    x, y, yh, h, z1, W2 = c.x, c.y, c.yhat, c.a1, c.z1, c.W2
    e = yh - y                                             # the author's dL/dyhat (true: 2(yhat - y))
    ty = c.g("yhat")
    m1 = ind(z1)
    return [
        chain(line(19, "dL/dyhat = yhat - y", ty, e)),
        chain(line(23, "dyhat/dh = W2", c.J("yhat", "a1"), W2)),
        chain(line(27, "dL/dW2 = (yhat - y) h^T", c.g("W2"), outer(e, h), repaired=outer(ty, h), cf=19)),
        chain(line(28, "dL/db2 = yhat - y", c.g("b2"), e, repaired=ty, cf=19)),
        chain(line(29, "dL/dh  = W2^T (yhat - y)", c.g("a1"), W2.T @ e, repaired=W2.T @ ty, cf=19)),
        chain(line(31, "relu'(z) = 1 if z > 0, else 0", *at([relu_d(z1)]))),
        chain(line(34, "dL/dz1 = (W2^T (yhat - y)) * (z1 > 0)", c.g("z1"), (W2.T @ e) * m1, repaired=(W2.T @ ty) * m1, cf=19)),
        chain(line(35, "dL/dW1 = [(W2^T (yhat - y)) * (z1 > 0)] x^T", c.g("W1"), outer((W2.T @ e) * m1, x),
                   repaired=outer((W2.T @ ty) * m1, x), cf=19)),
        chain(line(36, "dL/db1 = (W2^T (yhat - y)) * (z1 > 0)", c.g("b1"), (W2.T @ e) * m1, repaired=(W2.T @ ty) * m1, cf=19)),
    ]


# 10 homework notebook, row-vector convention for one example (z1 = x W1 + b1, W1 is d x h), ReLU
# hidden layer, one sigmoid unit, binary cross-entropy; dL/dW1 written delta1^T x (h x d) where the
# outer product must be x^T delta1 (d x h, like W1); its entrywise restatement carries it; the rest,
# including the input gradient delta1 W1^T, is right
@proves("10-notebook-row-vector-convention-relu-sigmoid-bce-outer-product-order.ipynb",
        unlabelled={54: "the forward definition of z1 in prose", (82, 92): "code cell"})
def d10(c):
    x, y, yh, h, z1, z2, W1, W2 = c.x, c.y, c.yhat, c.a1, c.z1, c.z2, c.W1, c.W2
    e = yh - y                                             # shape (1,)
    d1 = (e @ W2.T) * ind(z1)                              # a row, stored 1-D like proofkit's a1
    return [
        chain(line(27, r"= -\frac{y}{\hat y} + \frac{1-y}{1-\hat y}$$", c.g("yhat"), -y / yh + (1 - y) / (1 - yh))),
        chain(line(29, r"$\sigma'(z_2) = \hat y (1-\hat y)$", dact("sigmoid", z2), yh * (1 - yh))),
        chain(line(31, r"$$\frac{\partial L}{\partial z_2} = \hat y - y$$", c.g("z2"), e)),
        chain(line(35, r"= h^T (\hat y - y)$$", c.g("W2"), outer(h, e))),
        chain(line(37, r"$$\frac{\partial L}{\partial b_2} = \hat y - y$$", c.g("b2"), e)),
        chain(line(48, r"= (\hat y - y)\, W_2^T$$", c.g("a1"), e @ W2.T)),
        chain(line(50, r"$\mathrm{relu}'(z) = \mathbb{1}[z > 0]$", *at([relu_d(z1)]))),
        chain(line(52, r"= (\hat y - y)\, W_2^T \odot \mathbb{1}[z_1 > 0]$$", c.g("z1"), d1)),
        chain(line(56, r"$$\frac{\partial L}{\partial W_1} = \delta_1^T x$$", c.g("W1"), outer(d1, x)),
              line(60, r"= (\delta_1)_i\, x_j$$", c.g("W1"), ein("i,j->ij", d1, x))),
        chain(line(64, r"$$\frac{\partial L}{\partial b_1} = \delta_1$$", c.g("b1"), d1)),
        chain(line(73, r"$$\frac{\partial L}{\partial x} = \delta_1 W_1^T$$", c.g("x"), d1 @ W1.T)),
    ]


# 11 bold vectors, primes for transposes (W', a'), Hadamard \circ, no biases, sigmoid-sigmoid-
# softmax with one-hot y; the output error written with the sign flipped, delta3 = y - p; every
# gradient after it carries the sign, the local derivatives are right
@proves("11-bold-vectors-prime-transposes-sigmoid-softmax-no-bias-sign-flipped-error.tex",
        unlabelled={19: "definition of delta_l"})
def d11(c):
    x, y, p, a1, a2, W2, W3 = c.x, c.y, c.yhat, c.a1, c.a2, c.W2, c.W3
    t3, t2, t1 = c.g("z3"), c.g("z2"), c.g("z1")
    bd3 = y - p                                            # the author's deltas
    bd2 = (W3.T @ bd3) * a2 * (1 - a2)
    bd1 = (W2.T @ bd2) * a1 * (1 - a1)
    return [
        chain(line(21, r"$\partial L/\partial p_i = -y_i/p_i$", c.g("yhat"), -y / p)),
        chain(line(23, r"&= -\mathbf y \oslash \mathbf p ,", c.g("yhat"), -y / p)),
        chain(line(27, r"&= \operatorname{diag}(\mathbf p) - \mathbf p\mathbf p' .", c.J("yhat", "z3"), np.diag(p) - outer(p, p))),
        chain(line(31, r"\bm\delta_3 &= \mathbf y - \mathbf p , \\", t3, bd3)),
        chain(line(32, r"&= \bm\delta_3\,\mathbf a_2' , \\", c.g("W3"), outer(bd3, a2), repaired=outer(t3, a2), cf=31)),
        chain(line(33, r"&= \mathbf W_3'\,\bm\delta_3 .", c.g("a2"), W3.T @ bd3, repaired=W3.T @ t3, cf=31)),
        chain(line(38, r"\frac{d\sigma}{dz} &= \sigma(z)\,\big(1 - \sigma(z)\big) ,", *at([sig_d(c.z1), sig_d(c.z2)]))),
        chain(line(42, r"\bm\delta_2 &= (\mathbf W_3'\bm\delta_3) \circ \mathbf a_2", t2, bd2,
                   repaired=(W3.T @ t3) * a2 * (1 - a2), cf=31)),
        chain(line(43, r"&= \bm\delta_2\,\mathbf a_1' , \\", c.g("W2"), outer(bd2, a1), repaired=outer(t2, a1), cf=42)),
        chain(line(44, r"\bm\delta_1 &= (\mathbf W_2'\bm\delta_2) \circ \mathbf a_1", t1, bd1,
                   repaired=(W2.T @ t2) * a1 * (1 - a1), cf=42)),
        chain(line(45, r"&= \bm\delta_1\,\mathbf x' .", c.g("W1"), outer(bd1, x), repaired=outer(t1, x), cf=44)),
    ]


# 12 bold vectors, ^{\mathsf T}, depth 4 (tanh, ReLU, tanh, linear output) with biases, squared
# error without the 1/2 (the 2 kept), hidden-activation gradients dL/dh; correct
@proves("12-bold-depth4-tanh-relu-tanh-linear-squared-error-no-half-hidden-gradients-correct.tex",
        unlabelled={(9, 12): "forward pass", 15: "definition of delta^[l]"})
def d12(c):
    x, y, yh, h1, h2, h3, z1, z2, z3 = c.x, c.y, c.yhat, c.a1, c.a2, c.a3, c.z1, c.z2, c.z3
    W2, W3, W4 = c.W2, c.W3, c.W4
    d4 = 2 * (yh - y)
    d3 = (W4.T @ d4) * (1 - h3 * h3)
    d2 = (W3.T @ d3) * ind(z2)
    d1 = (W2.T @ d2) * (1 - h1 * h1)
    return [
        chain(line(25, r"\tanh'(u) &= 1 - \tanh^2(u) , \\", *at([tanh_d(z1), tanh_d(z3)]))),
        chain(line(26, r"\mathrm{ReLU}'(u) &= \mathbb{1}[u > 0] .", *at([relu_d(z2)]))),
        chain(line(31, r"\frac{\partial L}{\partial \hat{\mathbf y}} &= 2(\hat{\mathbf y} - \mathbf y) , \\", c.g("yhat"), d4)),
        chain(line(32, r"\bm\delta^{[4]} &= 2(\hat{\mathbf y} - \mathbf y) , \\", c.g("z4"), d4)),
        chain(line(33, r"&= \bm\delta^{[4]}\,\mathbf h^{[3]\mathsf T} , \\", c.g("W4"), outer(d4, h3))),
        chain(line(34, r"\frac{\partial L}{\partial \mathbf b^{[4]}} &= \bm\delta^{[4]} .", c.g("b4"), d4)),
        chain(line(39, r"&= \mathbf W^{[4]\mathsf T}\bm\delta^{[4]} , \\", c.g("a3"), W4.T @ d4)),
        chain(line(40, r"\bm\delta^{[3]} &= \big(\mathbf W^{[4]\mathsf T}\bm\delta^{[4]}\big)", c.g("z3"), d3)),
        chain(line(41, r"&= \bm\delta^{[3]}\,\mathbf h^{[2]\mathsf T} .", c.g("W3"), outer(d3, h2))),
        chain(line(46, r"&= \mathbf W^{[3]\mathsf T}\bm\delta^{[3]} , \\", c.g("a2"), W3.T @ d3)),
        chain(line(47, r"\bm\delta^{[2]} &= \big(\mathbf W^{[3]\mathsf T}\bm\delta^{[3]}\big)", c.g("z2"), d2)),
        chain(line(48, r"&= \bm\delta^{[2]}\,\mathbf h^{[1]\mathsf T} , \\", c.g("W2"), outer(d2, h1))),
        chain(line(49, r"\frac{\partial L}{\partial \mathbf b^{[2]}} &= \bm\delta^{[2]} .", c.g("b2"), d2)),
        chain(line(54, r"\bm\delta^{[1]} &= \big(\mathbf W^{[2]\mathsf T}\bm\delta^{[2]}\big)", c.g("z1"), d1)),
        chain(line(55, r"&= \bm\delta^{[1]}\,\mathbf x^{\mathsf T} , \\", c.g("W1"), outer(d1, x))),
        chain(line(56, r"\frac{\partial L}{\partial \mathbf b^{[1]}} &= \bm\delta^{[1]} .", c.g("b1"), d1)),
        # l = 1, 2, 3, 4
        chain(line(58, r"$\partial L/\partial\mathbf b^{[\ell]} = \bm\delta^{[\ell]}$",
                   (c.g("b1"), c.g("b2"), c.g("b3"), c.g("b4")), (d1, d2, d3, d4))),
    ]


# 13 short Q&A in Markdown: ReLU hidden layer, one sigmoid unit s = w^T h + b2 (w is W2's only
# row), binary cross-entropy; the gradient with respect to the hidden activation h and on to W1;
# correct
@proves("13-qa-markdown-relu-sigmoid-bce-single-unit-hidden-activation-gradient-correct.md")
def d13(c):
    x, y, yh, z1, W2 = c.x, c.y, c.yhat, c.z1, c.W2
    w = W2[0]
    e = yh - y                                             # shape (1,)
    dz1 = e * w * ind(z1)
    return [
        chain(line(5, r"$$\frac{\partial L}{\partial \hat y} = \frac{\hat y - y}{\hat y(1-\hat y)}$$", c.g("yhat"),
                   (yh - y) / (yh * (1 - yh)))),
        chain(line(7, r"$d\hat y/ds = \hat y(1-\hat y)$", c.J("yhat", "z2")[:, 0], yh * (1 - yh))),
        chain(line(9, r"$$\frac{\partial L}{\partial s} = \hat y - y .$$", c.g("z2"), e)),
        chain(line(13, r"$$\frac{\partial L}{\partial h} = (\hat y - y)\, w ,$$", c.g("a1"), e * w)),
        chain(line(17, r"$$\frac{\partial L}{\partial z_1} = (\hat y - y)\, w \odot \mathbb{1}[z_1 > 0]$$", c.g("z1"), dz1)),
        chain(line(19, r"\mathbb{1}[z_1 > 0]\big)\, x^\top$$", c.g("W1"), outer(dz1, x))),
    ]


# 14 mini-batch, row convention, ReLU-ReLU-linear with biases, 1/2 squared error averaged over m;
# G_l := dL/dZ_l is the full batch gradient (1/m inside), so no further 1/m; bias gradients 1^T G,
# input gradient G1 W1^T; correct
@proves("14-minibatch-row-convention-relu-relu-linear-mse-half-full-batch-gradients-correct.md",
        unlabelled={13: "definition of G_l"})
def d14(c):
    X, Y, Yh, A1, A2, Z1, Z2, W1, W2, W3, m = c.x, c.y, c.yhat, c.a1, c.a2, c.z1, c.z2, c.W1, c.W2, c.W3, c.m
    ones = np.ones(m)
    G3 = (Yh - Y) / m
    G2 = (G3 @ W3.T) * ind(Z2)
    G1 = (G2 @ W2.T) * ind(Z1)
    return [
        chain(line(15, r"$\mathrm{relu}'(Z) = \mathbb{1}[Z > 0]$", *at([relu_d(Z1), relu_d(Z2)]))),
        chain(line(19, r"$$\frac{\partial L}{\partial \hat Y} = \frac{1}{m}(\hat Y - Y)$$", c.g("yhat"), G3)),
        chain(line(23, r"$$G_3 = \frac{1}{m}(\hat Y - Y)$$", c.g("z3"), G3)),
        chain(line(25, r"$$\frac{\partial L}{\partial W_3} = A_2^T G_3$$", c.g("W3"), A2.T @ G3)),
        chain(line(27, r"$$\frac{\partial L}{\partial b_3} = \mathbf 1^T G_3$$", c.g("b3"), ones @ G3)),
        chain(line(31, r"$$\frac{\partial L}{\partial A_2} = G_3 W_3^T$$", c.g("a2"), G3 @ W3.T)),
        chain(line(33, r"$$G_2 = (G_3 W_3^T) \odot \mathbb{1}[Z_2 > 0]$$", c.g("z2"), G2)),
        chain(line(35, r"$$\frac{\partial L}{\partial W_2} = A_1^T G_2$$", c.g("W2"), A1.T @ G2)),
        chain(line(37, r"$$\frac{\partial L}{\partial b_2} = \mathbf 1^T G_2$$", c.g("b2"), ones @ G2)),
        chain(line(41, r"$$G_1 = (G_2 W_2^T) \odot \mathbb{1}[Z_1 > 0]$$", c.g("z1"), G1)),
        chain(line(43, r"$$\frac{\partial L}{\partial W_1} = X^T G_1$$", c.g("W1"), X.T @ G1)),
        chain(line(45, r"$$\frac{\partial L}{\partial b_1} = \mathbf 1^T G_1$$", c.g("b1"), ones @ G1)),
        chain(line(49, r"$$\frac{\partial L}{\partial X} = G_1 W_1^T .$$", c.g("x"), G1 @ W1.T)),
    ]


if __name__ == "__main__":
    sys.exit(main(CORPUS, sys.argv))
