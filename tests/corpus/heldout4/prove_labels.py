#!/usr/bin/env python3
"""Independent numerical proof of every label in labels.json (fourth held-out corpus).

numpy only -- no chainrule import, no sympy, no autograd library; the shared
method and the reason are in tests/corpus/proofkit.py.  This file: the
corpus's settings, its --stats lines, and one hand translation per document.

Run from the repository root: ``python tests/corpus/heldout4/prove_labels.py
[FILTER | --stats]``, e.g. FILTER ``03-seed``; proofkit.main says what it prints.

Instances: sizes d=6, d1=5, d2=4, d3=7, k=3 (k=1 for bce), all distinct, so a
transposed or mis-indexed right-hand side cannot pass by accident; five seeds
(0-4), so with k=3 every class is the correct one on some seed and both bce
labels occur.  Every document here is a single example (no batch); mse is
1/2 ||yhat - y||^2 in all of them ("mse_half": true).
"""
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/corpus, home of proofkit
from proofkit import (Corpus, Ill, Setup, chain, dact, ein, eye, ind, line, main,  # noqa: E402
                      model_facts, outer, sig, softmax_jac)


def corpus_facts(entries):
    """The --stats lines this corpus adds: the shared model facts."""
    return model_facts(entries)


CORPUS = Corpus(
    here=Path(__file__).resolve().parent,
    setup=Setup(hidden=(5, 4, 7), rng_key=lambda seed: [seed, 20260212], weight_scale=1.3, d=6, k=3, m=9),
    seeds=(0, 1, 2, 3, 4),  # every label must hold on all five instances
    rtol=1e-7,
    declares_shape=True,
    stats_facts=corpus_facts,
)
proves = CORPUS.registry.proves


def diag_part(J):
    """J[p, p, q] of a Jacobian d out_p / d W_pq: the entries where the row index matches."""
    return ein("ppq->pq", J)


# ===========================================================================
# Per-document translations
# ===========================================================================

# 01 chat assistant, Unicode; the softmax Jacobian is declared diagonal, diag(yhat(1 - yhat))
@proves("01-chat-assistant-unicode-sigmoid-softmax-diagonal-jacobian.md")
def d01(c):
    x, y, yh, h, z1, W2 = c.x, c.y, c.yhat, c.a1, c.z1, c.W2
    Jt = c.J("yhat", "z2")
    e = -y * (1 - yh)                                      # author's dL/dz2 (wrong)
    t2, t1 = c.g("z2"), c.g("z1")
    s1 = h * (1 - h)
    d1 = -(W2.T @ (y * (1 - yh))) * s1                     # author's dL/dz1
    return [
        chain(line(13, "∂L/∂ŷ = −y ⊘ ŷ", c.g("yhat"), -y / yh)),
        chain(line(21, "∂ŷ/∂z₂ = diag(ŷ ⊙ (1 − ŷ))", Jt, np.diag(yh * (1 - yh)))),
        chain(line(25, "∂L/∂z₂ = −(y ⊘ ŷ) ⊙ ŷ ⊙ (1 − ŷ)", t2, -(y / yh) * yh * (1 - yh),
                   repaired=(-y / yh) @ Jt, cf=21),
              line(26, "= −y ⊙ (1 − ŷ)", t2, e),
              line(28, "∂L/∂z₂ = (ŷ_c − 1) e_c", t2, (yh[c.j] - 1) * eye(c.k)[c.j])),
        chain(line(32, "∂L/∂W₂ = −(y ⊙ (1 − ŷ)) hᵀ", c.g("W2"), outer(e, h), repaired=outer(t2, h), cf=26)),
        chain(line(34, "∂L/∂b₂ = −y ⊙ (1 − ŷ)", c.g("b2"), e, repaired=t2, cf=26)),
        chain(line(38, "∂L/∂h = −W₂ᵀ (y ⊙ (1 − ŷ))", c.g("a1"), -W2.T @ (y * (1 - yh)), repaired=W2.T @ t2, cf=26)),
        chain(line(40, "σ′(z) = σ(z)(1 − σ(z))", dact("sigmoid", z1), sig(z1) * (1 - sig(z1)))),
        chain(line(42, "∂L/∂z₁ = −(W₂ᵀ (y ⊙ (1 − ŷ))) ⊙ h ⊙ (1 − h)", t1, d1, repaired=(W2.T @ t2) * s1, cf=26)),
        chain(line(46, "∂L/∂W₁ = (∂L/∂z₁) xᵀ", c.g("W1"), outer(d1, x), repaired=outer(t1, x), cf=42)),
        chain(line(48, "∂L/∂b₁ = ∂L/∂z₁", c.g("b1"), d1, repaired=t1, cf=42)),
    ]


def seed_net(c):
    """The seed problem's quantities (no biases): x, one-hot y, yhat, a1, a2, j and e = yhat - e_j."""
    dj = eye(c.k)[c.j]
    return c.x, c.y, c.yhat, c.a1, c.a2, c.W2, c.W3, c.j, dj, c.yhat - dj


SEED = "yhat = softmax(W3 sigmoid(W2 sigmoid(W1 x)))"


# 02 seed problem, student A: dL/dW2 forgets the layer-2 sigmoid derivative
@proves("02-seed-student-a-index-missing-sigma-prime.tex", unlabelled={18: "definition of the Kronecker delta"})
def d02(c):
    x, y, yh, a1, a2, W2, W3, j, dj, e = seed_net(c)
    k = c.k
    s1 = a1 * (1 - a1)                                     # the author never uses a2 (1 - a2)
    t3, ta2, tz2 = c.g("z3"), c.g("a2"), c.g("z2")
    return [
        chain(line(12, r"\frac{\partial L}{\partial \hat{y}_i} &= -\frac{y_i}{\hat{y}_i}", c.g("yhat"), -y / yh)),
        chain(line(13, r"&= \hat{y}_l(\delta_{lm} - \hat{y}_m)", c.J("yhat", "z3"), softmax_jac(yh))),
        chain(line(14, r"\sum_{l=1}^k -\frac{y_l}{\hat{y}_l}\,\hat{y}_l(\delta_{lm} - \hat{y}_m)", t3,
                   ein("l,l,lm->m", -y / yh, yh, eye(k) - yh[None, :])),
              line(15, r"&= -(\delta_{jm} - \hat{y}_m)", t3, -(dj - yh)),
              line(16, r"&= \hat{y}_m - \delta_{jm}", t3, e)),
        chain(line(22, r"&= \frac{\partial L}{\partial z_m}\, a_{2_n}", c.g("W3"), outer(t3, a2)),
              line(23, r"&= (\hat{y}_m - \delta_{jm})\, a_{2_n}", c.g("W3"), ein("m,n->mn", e, a2))),
        chain(line(28, r"&= \sum_{m=1}^k (\hat{y}_m - \delta_{jm})\, W_3_{mn}", ta2, ein("m,mn->n", e, W3))),
        chain(line(29, r"\frac{\partial a_{2_p}}{\partial W_{2_{pq}}}", c.g("W2"), ta2[:, None] * diag_part(c.J("a2", "W2"))),
              line(30, r"&= \sum_{m=1}^k (\hat{y}_m - \delta_{jm})\, W_3_{mp}\, a_{1_q}", c.g("W2"), ein("m,mp,q->pq", e, W3, a1))),
        chain(line(33, r"$\sigma'(t) = \sigma(t)(1 - \sigma(t))$", (dact("sigmoid", c.z1), dact("sigmoid", c.z2)),
                   (sig(c.z1) * (1 - sig(c.z1)), sig(c.z2) * (1 - sig(c.z2))))),
        chain(line(35, r"&= \sum_{p=1}^{d_2} W_2_{pq} \sum_{m=1}^k", c.g("a1"), ein("pq,m,mp->q", W2, e, W3),
                   repaired=W2.T @ tz2, cf=30)),
        chain(line(36, r"&= a_{1_q}(1 - a_{1_q}) \sum_{p=1}^{d_2} W_2_{pq}", c.g("W1"),
                   ein("q,pq,m,mp,r->qr", s1, W2, e, W3, x), repaired=outer(s1 * (W2.T @ tz2), x), cf=35)),
    ]


# 03 seed problem, student B (plain-text scratch): dL/dz_m = delta_jm - yhat_m, the sign dropped
@proves("03-seed-student-b-kronecker-sign.txt", unlabelled={13: "definition of the Kronecker delta"})
def d03(c):
    x, y, yh, a1, a2, W2, W3, j, dj, e = seed_net(c)
    s1, s2 = a1 * (1 - a1), a2 * (1 - a2)
    Jz = c.J("yhat", "z3")
    t3, ta2, ta1 = c.g("z3"), c.g("a2"), c.g("a1")
    eb = dj - yh                                           # author's dL/dz (wrong sign)
    gh2 = W3.T @ eb
    gh1 = W2.T @ (s2 * gh2)
    return [
        chain(line(9, r"-\frac{1}{\hat{y}_j}\frac{\partial \hat{y}_j}{\partial z_m}", t3, -(1 / yh[j]) * Jz[j]),
              line(10, r"= -\frac{1}{\hat{y}_j}\hat{y}_j(\delta_{jm} - \hat{y}_m)", t3, -(1 / yh[j]) * yh[j] * (dj - yh)),
              line(11, r"= \delta_{jm} - \hat{y}_m", t3, eb)),
        chain(line(15, r"\sum_m \frac{\partial L}{\partial z_m} = 0", np.sum(t3), 0.0)),
        chain(line(19, r"= (\delta_{jm} - \hat{y}_m) h_{2_n}", c.g("W3"), outer(eb, a2), repaired=outer(t3, a2), cf=11)),
        chain(line(23, r"= \sum_{m=1}^k (\delta_{jm} - \hat{y}_m) W_3_{mn}", ta2, gh2, repaired=W3.T @ t3, cf=11)),
        chain(line(25, r"\sigma'(u) = \sigma(u)(1-\sigma(u))", (dact("sigmoid", c.z1), dact("sigmoid", c.z2)),
                   (sig(c.z1) * (1 - sig(c.z1)), sig(c.z2) * (1 - sig(c.z2))))),
        chain(line(27, r"= h_{2_n}(1-h_{2_n}) \sum_{m=1}^k", c.g("W2"), ein("n,m,mn,p->np", s2, eb, W3, a1),
                   repaired=outer(s2 * ta2, a1), cf=23)),
        chain(line(31, r"= \sum_{n=1}^{d_2} W_2_{np} h_{2_n}(1-h_{2_n})", ta1, gh1, repaired=W2.T @ (s2 * ta2), cf=23)),
        chain(line(33, r"= h_{1_p}(1-h_{1_p}) \frac{\partial L}{\partial h_{1_p}} x_q", c.g("W1"), outer(s1 * gh1, x),
                   repaired=outer(s1 * ta1, x), cf=31)),
    ]


# 04 seed problem, student C: correct; symmetric softmax Jacobian yhat_m(delta_lm - yhat_l) and a
# half-written derivative \frac{W_3_{mn} a_{2_n}}{\partial W_{3_{mn}}} meaning dz_m/dW3_mn
@proves("04-seed-student-c-symmetric-jacobian-correct.md",
        unlabelled={5: "definition: y is one-hot at j", 18: "an identity of Kronecker deltas, not a derivative"})
def d04(c):
    x, y, yh, a1, a2, W2, W3, j, dj, e = seed_net(c)
    k = c.k
    s1, s2 = a1 * (1 - a1), a2 * (1 - a2)
    t3 = c.g("z3")
    sym = ein("m,lm->lm", yh, eye(k) - yh[:, None])        # [l, m] = yhat_m (delta_lm - yhat_l)
    ga2 = W3.T @ e
    ga1 = W2.T @ (s2 * ga2)
    r = yh - y
    return [
        chain(line(8, r"$$\frac{\partial L}{\partial \hat y_l} = -\frac{y_l}{\hat y_l}$$", c.g("yhat"), -y / yh)),
        chain(line(11, r"= \hat y_m(\delta_{lm} - \hat y_l)$$", c.J("yhat", "z3"), sym)),
        chain(line(14, r"\sum_{l=1}^k -\frac{y_l}{\hat y_l}\,\hat y_m(\delta_{lm} - \hat y_l)", t3, ein("l,lm->m", -y / yh, sym)),
              line(15, r"$$= -\frac{1}{\hat y_j}\,\hat y_m(\delta_{jm} - \hat y_j)$$", t3, -(1 / yh[j]) * yh * (dj - yh[j])),
              line(16, r"$$= \hat y_m - \delta_{jm}$$", t3, e)),
        chain(line(21, r"\frac{W_3_{mn} a_{2_n}}{\partial W_{3_{mn}}}", c.g("W3"), t3[:, None] * diag_part(c.J("z3", "W3"))),
              line(22, r"$$= (\hat y_m - \delta_{jm})\, a_{2_n}$$", c.g("W3"), outer(e, a2))),
        chain(line(25, r"= \sum_{m=1}^k (\hat y_m - \delta_{jm})\, W_3_{mn}$$", c.g("a2"), ein("m,mn->n", e, W3))),
        chain(line(26, r"= a_{2_n}(1 - a_{2_n}) \sum_{m=1}^k", c.g("W2"), ein("n,m,mn,p->np", s2, e, W3, a1))),
        chain(line(29, r"= \sum_{n=1}^{d_2} W_2_{np}\, a_{2_n}(1 - a_{2_n})", c.g("a1"), ga1)),
        chain(line(30, r"= a_{1_p}(1 - a_{1_p})\, \frac{\partial L}{\partial a_{1_p}}\, x_q$$", c.g("W1"), outer(s1 * ga1, x))),
        chain(line(33, r"$$\nabla_{W_3} L = (\hat y - y)\, a_2^\top$$", c.g("W3"), outer(r, a2))),
        chain(line(34, r"$$\nabla_{W_2} L = \big[(W_3^\top(\hat y - y)) \odot a_2", c.g("W2"), outer((W3.T @ r) * s2, a1))),
        chain(line(35, r"$$\nabla_{W_1} L = \Big[\Big(W_2^\top", c.g("W1"), outer((W2.T @ ((W3.T @ r) * s2)) * s1, x))),
    ]


# 05 seed problem, student D: the output delta is multiplied by yhat_m(1 - yhat_m) after dL/dz
@proves("05-seed-student-d-output-delta-extra-yhat-factor.tex",
        unlabelled={22: "definition of delta_3, delta_2, delta_1", 34: "update rule"})
def d05(c):
    x, y, yh, a1, a2, W2, W3, j, dj, e = seed_net(c)
    s1, s2 = a1 * (1 - a1), a2 * (1 - a2)
    t3, tz2, tz1 = c.g("z3"), c.g("z2"), c.g("z1")
    d3 = e * yh * (1 - yh)                                 # author's delta_3 (wrong)
    d2 = s2 * (W3.T @ d3)
    d1 = s1 * (W2.T @ d2)
    return [
        chain(line(12, r"\frac{\partial L}{\partial \hat{y}_i} = -\frac{y_i}{\hat{y}_i}", c.g("yhat"), -y / yh)),
        chain(line(14, r"= \hat{y}_l(\delta_{lm}-\hat{y}_m)$,", c.J("yhat", "z3"), softmax_jac(yh))),
        chain(line(16, r"\frac{\partial L}{\partial z_m} = \hat{y}_m - \delta_{mj}.", t3, e)),
        chain(line(20, r"\delta_{3_m} = (\hat{y}_m - \delta_{mj})\,\hat{y}_m(1-\hat{y}_m)", t3, d3)),
        chain(line(26, r"&= \delta_{3_m}\, a_{2_n} \\", c.g("W3"), outer(d3, a2), repaired=outer(t3, a2), cf=20)),
        chain(line(27, r"\delta_{2_n} &= a_{2_n}(1-a_{2_n}) \sum_{m=1}^{k} W_3_{mn}\, \delta_{3_m}", tz2, d2,
                   repaired=s2 * (W3.T @ t3), cf=20)),
        chain(line(28, r"&= \delta_{2_n}\, a_{1_p} \\", c.g("W2"), outer(d2, a1), repaired=outer(tz2, a1), cf=27)),
        chain(line(29, r"\delta_{1_p} &= a_{1_p}(1-a_{1_p}) \sum_{n=1}^{d_2} W_2_{np}\, \delta_{2_n}", tz1, d1,
                   repaired=s1 * (W2.T @ tz2), cf=27)),
        chain(line(30, r"&= \delta_{1_p}\, x_q", c.g("W1"), outer(d1, x), repaired=outer(tz1, x), cf=29)),
        chain(line(32, r"$\sigma'(t) = \sigma(t)(1-\sigma(t))$", (dact("sigmoid", c.z1), dact("sigmoid", c.z2)),
                   (sig(c.z1) * (1 - sig(c.z1)), sig(c.z2) * (1 - sig(c.z2))))),
    ]


# 06 matrix calculus in numerator layout (row-vector gradients, Jacobian chain J3 J2 J1), correct;
# its dL/dW3 is the numerator-layout d2 x k object, i.e. the transpose of the gradient
@proves("06-matrix-calculus-numerator-layout-sigmoid-mse-correct.tex")
def d06(c):
    x, y, yh, a1, a2, z1, z2, W1, W2, W3 = c.x, c.y, c.yhat, c.a1, c.a2, c.z1, c.z2, c.W1, c.W2, c.W3
    r = yh - y                                             # the row vector (yhat - y)^T, stored 1-D
    D1, D2 = np.diag(a1 * (1 - a1)), np.diag(a2 * (1 - a2))
    J3, J2, J1 = W3, D2 @ W2, D1 @ W1
    gz2 = r @ W3 @ D2
    gz1 = gz2 @ W2 @ D1
    sg = lambda z: (dact("sigmoid", z), sig(z) * (1 - sig(z)))  # noqa: E731
    return [
        chain(line(18, r"\frac{\partial L}{\partial \hat y} &= (\hat y - y)^\top", c.g("yhat"), r)),
        chain(line(19, r"\frac{\partial \hat y}{\partial a_2} &= W_3", c.J("yhat", "a2"), W3)),
        chain(line(20, r"&= \diag(\sigma'(z_2)) \\", c.J("a2", "z2"), np.diag(sig(z2) * (1 - sig(z2))))),
        chain(line(21, r"\frac{\partial z_2}{\partial a_1} &= W_2", c.J("z2", "a1"), W2)),
        chain(line(22, r"&= \diag(a_1 \odot (1 - a_1)) \\", c.J("a1", "z1"), D1)),
        chain(line(23, r"\frac{\partial z_1}{\partial x} &= W_1", c.J("z1", "x"), W1)),
        chain(line(25, r"$\sigma'(t) = \sigma(t)(1 - \sigma(t))$", (sg(z1)[0], sg(z2)[0]), (sg(z1)[1], sg(z2)[1]))),
        chain(line(26, r"$\diag(\sigma'(z_2)) = \diag(a_2 \odot (1 - a_2))$", np.diag(dact("sigmoid", z2)), D2)),
        chain(line(29, r"J_3 := \frac{\partial \hat y}{\partial a_2} &= W_3", c.J("yhat", "a2"), J3)),
        chain(line(30, r"J_2 := \frac{\partial a_2}{\partial a_1} &= D_2 W_2", c.J("a2", "a1"), J2)),
        chain(line(31, r"J_1 := \frac{\partial a_1}{\partial x} &= D_1 W_1", c.J("a1", "x"), J1)),
        chain(line(36, r"&= (\hat y - y)^\top W_3 D_2", c.g("z2"), gz2)),
        chain(line(37, r"&= \frac{\partial L}{\partial z_2}\, W_2 D_1", c.g("z1"), gz1)),
        chain(line(38, r"&= \frac{\partial L}{\partial \hat y}\, J_3 J_2 J_1", c.g("x"), r @ J3 @ J2 @ J1),
              line(39, r"&= (\hat y - y)^\top W_3 D_2 W_2 D_1 W_1", c.g("x"), r @ W3 @ D2 @ W2 @ D1 @ W1)),
        # numerator layout: dL/dW3 is d2 x k, the transpose of the gradient in W3's shape
        chain(line(45, r"\frac{\partial L}{\partial W_3} = a_2 (\hat y - y)^\top", c.g("W3").T, outer(a2, r))),
        chain(line(49, r"\nabla_{W_3} L &= (\hat y - y)\, a_2^\top", c.g("W3"), outer(r, a2))),
        chain(line(50, r"\nabla_{b_3} L &= \hat y - y", c.g("b3"), r)),
        chain(line(51, r"\nabla_{W_2} L &= \Big(\frac{\partial L}{\partial z_2}\Big)^{\!\top} a_1^\top", c.g("W2"), outer(gz2, a1))),
        chain(line(52, r"\nabla_{b_2} L &= \Big(\frac{\partial L}{\partial z_2}\Big)^{\!\top}", c.g("b2"), gz2)),
        chain(line(53, r"\nabla_{W_1} L &= \Big(\frac{\partial L}{\partial z_1}\Big)^{\!\top} x^\top", c.g("W1"), outer(gz1, x))),
        chain(line(54, r"\nabla_{b_1} L &= \Big(\frac{\partial L}{\partial z_1}\Big)^{\!\top}", c.g("b1"), gz1)),
        chain(line(58, r"\nabla_x L = W_1^\top D_1 W_2^\top D_2 W_3^\top (\hat y - y).", c.g("x"),
                   W1.T @ D1 @ W2.T @ D2 @ W3.T @ r)),
    ]


# 07 notebook, 4 ReLU layers, linear output, 1/2 MSE; dL/dW3 written h2 delta3^T (transposed);
# every other line is right, and the code cell computes the right outer product
@proves("07-notebook-relu-depth4-mse-transposed-weight-gradient.ipynb",
        unlabelled={(18, 41): "code cell", 50: "definition of delta_l", (92, 126): "code cells"})
def d07(c):
    x, y, yh, a1, a2, a3 = c.x, c.y, c.yhat, c.a1, c.a2, c.a3
    z1, z2, z3, W1, W2, W3, W4 = c.z1, c.z2, c.z3, c.W1, c.W2, c.W3, c.W4
    d4 = yh - y
    d3 = (W4.T @ d4) * ind(z3)
    d2 = (W3.T @ d3) * ind(z2)
    d1 = (W2.T @ d2) * ind(z1)
    return [
        chain(line(51, r"$\mathrm{relu}'(z) = \mathbb{1}[z > 0]$", tuple(dact("relu", z) for z in (z1, z2, z3)),
                   tuple(ind(z) for z in (z1, z2, z3)))),
        chain(line(55, r"$$\delta_4 = \hat y - y$$", c.g("z4"), d4)),
        chain(line(57, r"$$\frac{\partial L}{\partial W_4} = \delta_4 h_3^T$$", c.g("W4"), outer(d4, a3))),
        chain(line(59, r"$$\frac{\partial L}{\partial b_4} = \delta_4$$", c.g("b4"), d4)),
        chain(line(63, r"$$\delta_3 = (W_4^T \delta_4) \odot \mathbb{1}[z_3 > 0]$$", c.g("z3"), d3)),
        chain(line(65, r"$$\frac{\partial L}{\partial W_3} = h_2 \delta_3^T$$", c.g("W3"), outer(a2, d3))),
        chain(line(67, r"$$\frac{\partial L}{\partial b_3} = \delta_3$$", c.g("b3"), d3)),
        chain(line(71, r"$$\delta_2 = (W_3^T \delta_3) \odot \mathbb{1}[z_2 > 0]$$", c.g("z2"), d2)),
        chain(line(73, r"$$\frac{\partial L}{\partial W_2} = \delta_2 h_1^T$$", c.g("W2"), outer(d2, a1))),
        chain(line(75, r"$$\frac{\partial L}{\partial b_2} = \delta_2$$", c.g("b2"), d2)),
        chain(line(79, r"$$\delta_1 = (W_2^T \delta_2) \odot \mathbb{1}[z_1 > 0]$$", c.g("z1"), d1)),
        chain(line(81, r"$$\frac{\partial L}{\partial W_1} = \delta_1 x^T$$", c.g("W1"), outer(d1, x))),
        chain(line(83, r"$$\frac{\partial L}{\partial b_1} = \delta_1$$", c.g("b1"), d1)),
        chain(line(87, r"$$\frac{\partial L}{\partial x} = W_1^T \delta_1$$", c.g("x"), W1.T @ d1)),
    ]


# 08 lecture notes: the general recursion for any layer l, then L = 4 sigmoid layers with BCE; correct
@proves("08-lecture-notes-general-layer-sigmoid-depth4-bce-correct.tex",
        unlabelled={15: "definition of delta^(l)", 27: "forward definition in prose"})
def d08(c):
    x, y, yh = c.x, c.y, c.yhat
    a = [x, c.a1, c.a2, c.a3, c.a4]
    z = [None, c.z1, c.z2, c.z3, c.z4]
    W = [None, c.W1, c.W2, c.W3, c.W4]
    s = [None] + [a[i] * (1 - a[i]) for i in range(1, 5)]
    t = [None] + [c.g(f"z{i}") for i in range(1, 5)]
    d4 = yh - y
    d3 = (W[4].T @ d4) * s[3]
    d2 = (W[3].T @ d3) * s[2]
    d1 = (W[2].T @ d2) * s[1]
    a4 = a[4]
    return [
        chain(line(21, r"\sigma'(z^{(l)}) = a^{(l)} \odot (1 - a^{(l)}).", tuple(dact("sigmoid", z[i]) for i in range(1, 5)),
                   tuple(s[1:]))),
        # generic in l: proved for every hidden layer l = 1, 2, 3 with the true delta^(l+1)
        chain(line(25, r"\delta^{(l)} = \big(W^{(l+1)\top} \delta^{(l+1)}\big) \odot \sigma'(z^{(l)}).",
                   tuple(t[1:4]), tuple((W[i + 1].T @ t[i + 1]) * s[i] for i in range(1, 4)))),
        chain(line(29, r"&= \delta^{(l)}\, a^{(l-1)\top}, \\", tuple(c.g(f"W{i}") for i in range(1, 5)),
                   tuple(outer(t[i], a[i - 1]) for i in range(1, 5)))),
        chain(line(30, r"&= \delta^{(l)}.", tuple(c.g(f"b{i}") for i in range(1, 5)), tuple(t[1:]))),
        chain(line(36, r"= \frac{a^{(L)} - y}{a^{(L)}(1 - a^{(L)})},", c.g("yhat"), (a4 - y) / (a4 * (1 - a4)))),
        chain(line(40, r"\cdot a^{(L)}(1 - a^{(L)}) \\", t[4], (a4 - y) / (a4 * (1 - a4)) * a4 * (1 - a4)),
              line(41, r"&= a^{(L)} - y.", t[4], a4 - y)),
        chain(line(47, r"\delta^{(4)} &= \hat y - y, \\", t[4], d4)),
        chain(line(48, r"\delta^{(3)} &= \big(W^{(4)\top} (\hat y - y)\big) \odot a^{(3)}", t[3], d3)),
        chain(line(49, r"\delta^{(2)} &= \big(W^{(3)\top} \delta^{(3)}\big) \odot a^{(2)}", t[2], d2)),
        chain(line(50, r"\delta^{(1)} &= \big(W^{(2)\top} \delta^{(2)}\big) \odot a^{(1)}", t[1], d1)),
        chain(line(54, r"&= (\hat y - y)\, a^{(3)\top}, &", c.g("W4"), outer(d4, a[3]))),
        chain(line(55, r"\frac{\partial \ell}{\partial b^{(4)}} &= \hat y - y, \\", c.g("b4"), d4)),
        chain(line(56, r"&= \delta^{(3)} a^{(2)\top}, &", c.g("W3"), outer(d3, a[2]))),
        chain(line(57, r"&= \delta^{(2)} a^{(1)\top}, \\", c.g("W2"), outer(d2, a[1]))),
        chain(line(58, r"&= \delta^{(1)} x^{\top}.", c.g("W1"), outer(d1, x))),
        chain(line(62, r"\frac{\partial \ell}{\partial x} = W^{(1)\top} \delta^{(1)}.", c.g("x"), W[1].T @ d1)),
    ]


# 09 blog post: input gradient for FGSM, two tanh layers and a sigmoid/BCE output; correct
@proves("09-blog-fgsm-input-gradient-tanh-depth3-bce-correct.md", unlabelled={47: "definition of the FGSM step"})
def d09(c):
    x, y, yh, h1, h2, z1, z2, W1, W2, W3 = c.x, c.y, c.yhat, c.a1, c.a2, c.z1, c.z2, c.W1, c.W2, c.W3
    r = yh - y
    gu2 = (1 - h2 ** 2) * (W3.T @ r)
    gh1 = W2.T @ gu2
    gu1 = (1 - h1 ** 2) * gh1
    return [
        chain(line(17, r"= \frac{\hat y - y}{\hat y(1 - \hat y)}$$", c.g("yhat"), r / (yh * (1 - yh)))),
        chain(line(21, r"$$\frac{\partial L}{\partial s} = \hat y - y$$", c.g("z3"), r)),
        chain(line(23, r"$\tanh'(u) = 1 - \tanh^2(u)$", (dact("tanh", z1), dact("tanh", z2)),
                   (1 - np.tanh(z1) ** 2, 1 - np.tanh(z2) ** 2))),
        chain(line(25, r"$$\frac{\partial L}{\partial h_2} = W_3^\top(\hat y - y)$$", c.g("a2"), W3.T @ r)),
        chain(line(27, r"= (1 - h_2^2) \odot W_3^\top(\hat y - y)$$", c.g("z2"), gu2)),
        chain(line(29, r"= W_2^\top\big[(1 - h_2^2) \odot W_3^\top(\hat y - y)\big]$$", c.g("a1"), gh1)),
        chain(line(31, r"= (1 - h_1^2) \odot \frac{\partial L}{\partial h_1}$$", c.g("z1"), gu1)),
        chain(line(35, r"$$\nabla_x L = W_1^\top\Big[(1 - h_1^2)", c.g("x"),
                   W1.T @ ((1 - h1 ** 2) * (W2.T @ ((1 - h2 ** 2) * (W3.T @ r)))))),
        chain(line(39, r"= (\hat y - y)\, h_2^\top$$", c.g("W3"), outer(r, h2))),
        chain(line(41, r"$$\frac{\partial L}{\partial b_3} = \hat y - y$$", c.g("b3"), r)),
        chain(line(43, r"= \frac{\partial L}{\partial u_1}\, x^\top$$", c.g("W1"), outer(gu1, x))),
    ]


# 10 plain-text notes, two tanh layers, linear output, 1/2 MSE; d1 uses the wrong layer's activation
# (1 - h2^2 for 1 - h1^2), which cannot even be formed: W2^T d2 has d1 entries, h2 has d2
@proves("10-plaintext-tanh-depth3-mse-wrong-layer-activation.txt")
def d10(c):
    x, y, yh, h1, h2, z1, z2, W1, W3 = c.x, c.y, c.yhat, c.a1, c.a2, c.z1, c.z2, c.W1, c.W3
    d3 = yh - y
    d2 = (W3.T @ d3) * (1 - h2 ** 2)
    tz1 = c.g("z1")
    bad = "(W2^T d2) * (1 - h2^2): W2^T d2 has d1 entries, h2 has d2"
    return [
        chain(line(14, "dL/dyhat = yhat - y", c.g("yhat"), d3)),
        chain(line(15, "d3 := dL/dz3 = yhat - y", c.g("z3"), d3)),
        chain(line(16, "dL/dW3 = d3 h2^T", c.g("W3"), outer(d3, h2))),
        chain(line(17, "dL/db3 = d3", c.g("b3"), d3)),
        chain(line(19, "tanh'(z) = 1 - tanh(z)^2", (dact("tanh", z1), dact("tanh", z2)),
                   (1 - np.tanh(z1) ** 2, 1 - np.tanh(z2) ** 2))),
        chain(line(21, "d2 := dL/dz2 = (W3^T d3) * (1 - h2^2)", c.g("z2"), d2)),
        chain(line(22, "dL/dW2 = d2 h1^T", c.g("W2"), outer(d2, h1))),
        chain(line(23, "dL/db2 = d2", c.g("b2"), d2)),
        chain(line(25, "d1 := dL/dz1 = (W2^T d2) * (1 - h2^2)", tz1, Ill(bad, holds=len(h1) != len(h2), key="d1"))),
        chain(line(26, "dL/dW1 = d1 x^T", c.g("W1"), Ill("d1 x^T with the ill-formed d1", True, "dW1"),
                   repaired=outer(tz1, x), cf=25)),
        chain(line(27, "dL/db1 = d1", c.g("b1"), Ill("the ill-formed d1", True, "db1"), repaired=tz1, cf=25)),
        chain(line(28, "dL/dx  = W1^T d1", c.g("x"), Ill("W1^T d1 with the ill-formed d1", True, "dx"),
                   repaired=W1.T @ tz1, cf=25)),
    ]


# 11 index-notation scratch, ReLU-ReLU-softmax; dL/da2_j drops the sum over k, leaving k free;
# everything after it carries the extra index
@proves("11-scratch-index-relu-depth3-softmax-dropped-sum.txt")
def d11(c):
    x, y, yh, a1, a2, z1, z2, W2, W3 = c.x, c.y, c.yhat, c.a1, c.a2, c.z1, c.z2, c.W2, c.W3
    e = yh - y
    ta2, tz2, ta1 = c.g("a2"), c.g("z2"), c.g("a1")
    gz2 = ein("j,k,kj->kj", ind(z2), e, W3)                # free k and j
    ga1 = ein("ji,j,k,kj->ki", W2, ind(z2), e, W3)         # free k and i
    return [
        chain(line(7, r"\frac{\partial L}{\partial z^{(3)}_k} = \hat y_k - y_k", c.g("z3"), e)),
        chain(line(8, r"\sum_k \frac{\partial L}{\partial z^{(3)}_k} = 0", np.sum(c.g("z3")), 0.0)),
        chain(line(9, r"= (\hat y_k - y_k) a^{(2)}_j", c.g("W3"), ein("k,j->kj", e, a2))),
        chain(line(10, r"\frac{\partial L}{\partial b^{(3)}_k} = \hat y_k - y_k", c.g("b3"), e)),
        chain(line(13, r"\frac{\partial L}{\partial a^{(2)}_j} = (\hat y_k - y_k) W^{(3)}_{kj}", ta2, ein("k,kj->kj", e, W3))),
        chain(line(14, r"\text{relu}'(t) = [t > 0]", (dact("relu", z1), dact("relu", z2)), (ind(z1), ind(z2)))),
        chain(line(15, r"\frac{\partial L}{\partial z^{(2)}_j} = [z^{(2)}_j > 0]", tz2, gz2, repaired=ind(z2) * ta2, cf=13)),
        chain(line(16, r"\frac{\partial L}{\partial W^{(2)}_{ji}} = [z^{(2)}_j > 0]", c.g("W2"),
                   ein("j,k,kj,i->kji", ind(z2), e, W3, a1), repaired=outer(tz2, a1), cf=15)),
        chain(line(17, r"\frac{\partial L}{\partial b^{(2)}_j} = [z^{(2)}_j > 0]", c.g("b2"), gz2, repaired=tz2, cf=15)),
        chain(line(20, r"\frac{\partial L}{\partial a^{(1)}_i} = \sum_j W^{(2)}_{ji}", ta1, ga1, repaired=W2.T @ tz2, cf=15)),
        chain(line(21, r"\frac{\partial L}{\partial W^{(1)}_{il}} = [z^{(1)}_i > 0]", c.g("W1"),
                   ein("i,ki,l->kil", ind(z1), ga1, x), repaired=outer(ind(z1) * ta1, x), cf=20)),
        chain(line(22, r"\frac{\partial L}{\partial b^{(1)}_i} = [z^{(1)}_i > 0]", c.g("b1"),
                   ein("i,ki->ki", ind(z1), ga1), repaired=ind(z1) * ta1, cf=20)),
    ]


# 12 exercise solution, tanh + softmax; the softmax Jacobian written yhat_i(delta_ik - yhat_i), an index mix-up
@proves("12-exercise-sheet-tanh-softmax-jacobian-index-mixup.md")
def d12(c):
    x, y, yh, h, z1, W2 = c.x, c.y, c.yhat, c.a1, c.z1, c.W2
    k = c.k
    Jt = c.J("yhat", "z2")
    Jw = ein("i,ik->ik", yh, eye(k) - yh[:, None])         # [i, k] = yhat_i (delta_ik - yhat_i)
    t2, th = c.g("z2"), c.g("a1")
    g2 = -y + y @ yh                                       # author's dL/dz_k
    gh = W2.T @ g2
    t = 1 - h ** 2
    return [
        chain(line(8, r"$$\frac{\partial L}{\partial \hat y_i} = -\frac{y_i}{\hat y_i}$$", c.g("yhat"), -y / yh)),
        chain(line(12, r"= \hat y_i(\delta_{ik} - \hat y_i)$$", Jt, Jw)),
        chain(line(16, r"= \sum_i -\frac{y_i}{\hat y_i}\,\hat y_i(\delta_{ik} - \hat y_i)$$", t2, ein("i,ik->k", -y / yh, Jw),
                   repaired=ein("i,ik->k", -y / yh, Jt), cf=12),
              line(18, r"$$= -y_k + \sum_i y_i \hat y_i$$", t2, g2)),
        chain(line(22, r"= \Big(\sum_i y_i \hat y_i - y_k\Big) h_j$$", c.g("W2"), outer(g2, h), repaired=outer(t2, h), cf=18)),
        chain(line(24, r"$$\frac{\partial L}{\partial b^{(2)}_k} = \sum_i y_i \hat y_i - y_k$$", c.g("b2"), g2, repaired=t2, cf=18)),
        chain(line(28, r"= \sum_k W^{(2)}_{kj}\Big(\sum_i y_i \hat y_i - y_k\Big)$$", th, gh, repaired=W2.T @ t2, cf=18)),
        chain(line(30, r"$\tanh'(a) = 1 - \tanh^2(a)$", dact("tanh", z1), 1 - np.tanh(z1) ** 2)),
        chain(line(32, r"= (1 - h_j^2)\,\frac{\partial L}{\partial h_j}\, x_l$$", c.g("W1"), outer(t * gh, x),
                   repaired=outer(t * th, x), cf=28)),
        chain(line(34, r"= (1 - h_j^2)\,\frac{\partial L}{\partial h_j}$$", c.g("b1"), t * gh, repaired=t * th, cf=28)),
        chain(line(36, r"$\nabla_{W^{(1)}} L = \big[(1 - h \odot h) \odot \nabla_h L\big]\, x^\top$", c.g("W1"),
                   outer(t * gh, x), repaired=outer(t * th, x), cf=28)),
    ]


# 13 notebook (Colab), ReLU-ReLU-sigmoid with BCE, g_l = dL/dz_l, a gradient check; correct
@proves("13-notebook-relu-depth3-sigmoid-bce-gradcheck-correct.ipynb")
def d13(c):
    x, y, p, a1, a2, z1, z2, z3, W2, W3 = c.x, c.y, c.yhat, c.a1, c.a2, c.z1, c.z2, c.z3, c.W2, c.W3
    g3 = p - y
    g2 = (W3.T @ g3) * ind(z2)
    g1 = (W2.T @ g2) * ind(z1)
    return [
        chain(line(44, r"= -\dfrac{y}{p} + \dfrac{1 - y}{1 - p}$", c.g("yhat"), -y / p + (1 - y) / (1 - p))),
        chain(line(46, r"\dfrac{\partial p}{\partial z_3} = p(1 - p)$", dact("sigmoid", z3), p * (1 - p))),
        chain(line(48, r"$g_3 = \dfrac{\partial L}{\partial z_3} = p - y$", c.g("z3"), g3)),
        chain(line(50, r"= (p - y)\, a_2^{\top}$", c.g("W3"), outer(g3, a2))),
        chain(line(52, r"\dfrac{\partial L}{\partial b_3} = p - y$", c.g("b3"), g3)),
        chain(line(56, r"= \big(W_3^{\top} (p - y)\big) \odot \mathbb{1}[z_2 > 0]$", c.g("z2"), g2)),
        chain(line(58, r"= g_2\, a_1^{\top}$", c.g("W2"), outer(g2, a1))),
        chain(line(60, r"\dfrac{\partial L}{\partial b_2} = g_2$", c.g("b2"), g2)),
        chain(line(64, r"= (W_2^{\top} g_2) \odot \mathbb{1}[z_1 > 0]$", c.g("z1"), g1)),
        chain(line(66, r"= g_1\, x^{\top}$", c.g("W1"), outer(g1, x))),
        chain(line(68, r"\dfrac{\partial L}{\partial b_1} = g_1$", c.g("b1"), g1)),
    ]


# 14 chat assistant, Unicode, tanh + sigmoid/BCE (one output), input gradient; correct
@proves("14-chat-assistant-unicode-tanh-bce-input-gradient-correct.md", unlabelled={43: "shape bookkeeping"})
def d14(c):
    x, y, yh, h, z1, z2, W1, W2 = c.x, c.y, c.yhat, c.a1, c.z1, c.z2, c.W1, c.W2
    r = yh - y
    gz1 = (1 - h * h) * (W2.T @ r)
    return [
        chain(line(15, "∂L/∂ŷ = −y/ŷ + (1 − y)/(1 − ŷ)", c.g("yhat"), -y / yh + (1 - y) / (1 - yh))),
        chain(line(17, "σ′(z₂) = ŷ(1 − ŷ)", dact("sigmoid", z2), yh * (1 - yh))),
        chain(line(19, "∂L/∂z₂ = ŷ − y", c.g("z2"), r)),
        chain(line(23, "∂L/∂W₂ = (ŷ − y) hᵀ", c.g("W2"), outer(r, h))),
        chain(line(25, "∂L/∂b₂ = ŷ − y", c.g("b2"), r)),
        chain(line(27, "tanh′(z) = 1 − tanh²(z)", dact("tanh", z1), 1 - np.tanh(z1) ** 2)),
        chain(line(29, "∂L/∂h = W₂ᵀ (ŷ − y)", c.g("a1"), W2.T @ r)),
        chain(line(31, "∂L/∂z₁ = (1 − h ⊙ h) ⊙ W₂ᵀ (ŷ − y)", c.g("z1"), gz1)),
        chain(line(35, "∂L/∂W₁ = [(1 − h ⊙ h) ⊙ W₂ᵀ(ŷ − y)] xᵀ", c.g("W1"), outer(gz1, x))),
        chain(line(37, "∂L/∂b₁ = (1 − h ⊙ h) ⊙ W₂ᵀ (ŷ − y)", c.g("b1"), gz1)),
        chain(line(41, "∂L/∂x = W₁ᵀ [(1 − h ⊙ h) ⊙ W₂ᵀ (ŷ − y)]", c.g("x"), W1.T @ gz1)),
    ]


# 15 homework, tanh -> ReLU -> sigmoid/BCE; dL/ds = (yhat - y) yhat (1 - yhat), the sigmoid's
# derivative applied a second time after it had already cancelled
@proves("15-homework-tex-relu-tanh-bce-double-sigmoid-derivative.tex", unlabelled={(9, 11): "forward pass", 28: "definition of e"})
def d15(c):
    x, y, yh, h1, h2, z2, z3, W1, W2, W3 = c.x, c.y, c.yhat, c.a1, c.a2, c.z2, c.z3, c.W1, c.W2, c.W3
    e = (yh - y) * yh * (1 - yh)                           # author's dL/ds (wrong)
    ts, tz2, tz1 = c.g("z3"), c.g("z2"), c.g("z1")
    gz2 = (W3.T @ e) * ind(z2)
    gz1 = (W2.T @ gz2) * (1 - h1 * h1)
    return [
        chain(line(17, r"&= -\frac{y}{\hat y} + \frac{1 - y}{1 - \hat y}, \\", c.g("yhat"), -y / yh + (1 - y) / (1 - yh))),
        chain(line(18, r"\sigma'(s) &= \hat y (1 - \hat y), \\", dact("sigmoid", z3), yh * (1 - yh))),
        chain(line(19, r"&= \frac{\partial L}{\partial \hat y}\, \sigma'(s) \\", ts, c.g("yhat") * dact("sigmoid", z3)),
              line(20, r"&= (\hat y - y)\, \hat y (1 - \hat y).", ts, e)),
        chain(line(24, r"&= (\hat y - y)\, \hat y (1 - \hat y)\, h_2^\top, \\", c.g("W3"), outer(e, h2),
                   repaired=outer(ts, h2), cf=20)),
        chain(line(25, r"\frac{\partial L}{\partial b_3} &= (\hat y - y)\, \hat y (1 - \hat y).", c.g("b3"), e,
                   repaired=ts, cf=20)),
        chain(line(30, r"\frac{\partial L}{\partial h_2} &= W_3^\top e, \\", c.g("a2"), W3.T @ e, repaired=W3.T @ ts, cf=20)),
        chain(line(31, r"&= W_3^\top e \odot \mathbb{1}[z_2 > 0], \\", tz2, gz2, repaired=(W3.T @ ts) * ind(z2), cf=20)),
        chain(line(32, r"&= \big(W_3^\top e \odot \mathbb{1}[z_2 > 0]\big)\, h_1^\top, \\", c.g("W2"), outer(gz2, h1),
                   repaired=outer(tz2, h1), cf=20)),
        chain(line(33, r"\odot (1 - h_1 \odot h_1), \\", tz1, gz1, repaired=(W2.T @ tz2) * (1 - h1 * h1), cf=31)),
        chain(line(34, r"&= \frac{\partial L}{\partial z_1}\, x^\top, \\", c.g("W1"), outer(gz1, x), repaired=outer(tz1, x), cf=33)),
        chain(line(35, r"\frac{\partial L}{\partial b_1} &= \frac{\partial L}{\partial z_1}.", c.g("b1"), gz1, repaired=tz1, cf=33)),
        chain(line(38, r"= W_1^\top \frac{\partial L}{\partial z_1}$.", c.g("x"), W1.T @ gz1, repaired=W1.T @ tz1, cf=33)),
    ]


if __name__ == "__main__":
    sys.exit(main(CORPUS, sys.argv))
