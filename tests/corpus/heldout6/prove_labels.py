#!/usr/bin/env python3
"""Independent numerical proof of every label in labels.json (sixth held-out corpus).

numpy only -- no chainrule import, no sympy, no autograd library; the shared
method and the reason are in tests/corpus/proofkit.py.  This file: the
corpus's settings, its --stats lines, two helpers proofkit lacks (the source
of a document, and an index-swapped Nielsen weight gradient that is
ill-formed), and one hand translation per document.

Run from the repository root: ``python tests/corpus/heldout6/prove_labels.py
[FILTER | --stats]``, e.g. FILTER ``09-nielsen``; proofkit.main says what it prints.

Instances: sizes d=5, d1=7, d2=4, k=3, all distinct, so a transposed,
mis-indexed or index-swapped right-hand side cannot pass by accident; five
seeds (0-4), so with k=3 every class is the correct one on some seed.  Every
document here is a single example (no mini-batches).
"""
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/corpus, home of proofkit
from proofkit import (Corpus, Ill, Setup, at, chain, dact, ein, eye, ind, line, main,  # noqa: E402
                      model_facts, outer, relu_d, sig, sig_d, softmax_jac, tally, tanh_d)


def source(fname):
    """What kind of real source a document imitates, from its file name."""
    if "-student-" in fname:
        return "student answer to the seed question"
    if "-qa-" in fname:
        return "short Q&A answer"
    return "textbook-style derivation"


def corpus_facts(entries):
    """The --stats lines this corpus adds: the source, then the shared model facts."""
    return [tally("by source", (source(e["file"]) for e in entries)), *model_facts(entries)]


CORPUS = Corpus(
    here=Path(__file__).resolve().parent,
    setup=Setup(hidden=(7, 4, 6, 8), rng_key=lambda seed: [seed, 20261206], weight_scale=1.3, d=5, k=3, m=9),
    seeds=(0, 1, 2, 3, 4),  # every label must hold on all five instances
    rtol=1e-7,
    declares_shape=True,
    stats_facts=corpus_facts,
)
proves = CORPUS.registry.proves


def swapped_bp4(a_prev, delta, layer):
    """Nielsen's BP4 with the indices of w^l_{jk} swapped: a^{l-1}_j delta^l_k for j over the
    n_l neurons of layer l and k over the n_{l-1} of layer l-1.  a^{l-1} has n_{l-1} entries and
    delta^l has n_l, so unless n_l == n_{l-1} one of the two subscripts runs out of range."""
    n_l, n_prev = len(delta), len(a_prev)
    return Ill(f"a^{layer - 1}_j delta^{layer}_k with j < {n_l}, k < {n_prev}", n_l != n_prev, f"bp4 l={layer}")


# ===========================================================================
# Per-document translations
# ===========================================================================

# 01 student, index form with Kronecker delta and W_{3_{mn}} subscripts, "j is the correct class",
# no biases; the softmax Jacobian written as yhat_m(delta_lm - yhat_l) (symmetric, so right); correct
@proves("01-student-index-kronecker-correct-class-j-no-bias-correct.tex")
def d01(c):
    x, y, yh, h1, h2, W2, W3, j = c.x, c.y, c.yhat, c.a1, c.a2, c.W2, c.W3, c.j
    dj = eye(c.k)[j]
    e = yh - dj
    t3, tz2 = c.g("z3"), c.g("z2")
    jac_ml = yh[None, :] * (eye(c.k) - yh[:, None])       # [l, m] = yhat_m (delta_lm - yhat_l)
    dz2 = h2 * (1 - h2) * ein("m,mn->n", e, W3)
    return [
        chain(line(12, r"\frac{\partial L}{\partial \hat{y}_l} &= -\frac{y_l}{\hat{y}_l} \\", c.g("yhat"), -y / yh)),
        chain(line(13, r"&= \hat{y}_m(\delta_{lm} - \hat{y}_l) \\", c.J("yhat", "z3"), jac_ml)),
        chain(line(14, r"\left(-\frac{y_l}{\hat{y}_l}\right)\hat{y}_m(\delta_{lm} - \hat{y}_l) \\", t3,
                   ein("l,lm->m", -y / yh, jac_ml)),
              line(15, r"&= -\frac{1}{\hat{y}_j}\,\hat{y}_m(\delta_{jm} - \hat{y}_j) \\", t3, -(1 / yh[j]) * yh * (dj - yh[j])),
              line(16, r"&= \hat{y}_m - \delta_{jm}", t3, e)),
        chain(line(20, r"&= \frac{\partial L}{\partial z_{3_m}}\, h_{2_n} \\", c.g("W3"), outer(e, h2)),
              line(21, r"&= (\hat{y}_m - \delta_{jm})\, h_{2_n}", c.g("W3"), ein("m,n->mn", e, h2))),
        chain(line(26, r"&= \sum_{m=1}^k (\hat{y}_m - \delta_{jm})\, W_{3_{mn}} \\", c.g("a2"), ein("m,mn->n", e, W3))),
        chain(line(27, r"\sigma'(z) &= \sigma(z)\big(1-\sigma(z)\big) \\", *at([sig_d(c.z1), sig_d(c.z2)]))),
        chain(line(28, r"&= h_{2_n}(1-h_{2_n}) \sum_{m=1}^k", tz2, dz2)),
        chain(line(29, r"\left[\sum_{m=1}^k (\hat{y}_m - \delta_{jm})\, W_{3_{mn}}\right] h_{1_p}", c.g("W2"),
                   ein("n,p->np", dz2, h1))),
        chain(line(34, r"&= \sum_{n=1}^{d_2} W_{2_{np}} \frac{\partial L}{\partial z_{2_n}} \\", c.g("a1"),
                   ein("np,n->p", W2, dz2))),
        chain(line(35, r"&= h_{1_p}(1-h_{1_p}) \sum_{n=1}^{d_2} W_{2_{np}}", c.g("W1"),
                   ein("p,np,n,q->pq", h1 * (1 - h1), W2, dz2, x))),
    ]


# 02 student, matrix form with diag and the Hadamard product, one-hot y, biases; dL/dW3 written
# as the transposed outer product a2 delta3^T (d2 x k); its entrywise restatement carries it; the
# rest (including the other outer products) is right
@proves("02-student-matrix-diag-onehot-biases-transposed-outer-product.md")
def d02(c):
    x, y, yh, a1, a2, W2, W3 = c.x, c.y, c.yhat, c.a1, c.a2, c.W2, c.W3
    d3 = yh - y
    sp2 = a2 * (1 - a2)
    d2 = (W3.T @ d3) * sp2
    d1 = (W2.T @ d2) * a1 * (1 - a1)
    return [
        chain(line(10, r"$\partial L/\partial \hat y = -y \oslash \hat y$", c.g("yhat"), -y / yh)),
        chain(line(12, r"= \mathrm{diag}(\hat y) - \hat y \hat y^\top .$$", c.J("yhat", "z3"), np.diag(yh) - outer(yh, yh))),
        chain(line(16, r"(-y \oslash \hat y) = \hat y - y$$", c.g("z3"), d3)),
        chain(line(20, r"\frac{\partial L}{\partial W_3} = a^{(2)} \delta^{(3)\top}$$", c.g("W3"), outer(a2, d3)),
              line(22, r"$\left(\partial L/\partial W_3\right)_{rs} = a^{(2)}_r\, \delta^{(3)}_s$", c.g("W3"),
                   ein("r,s->rs", a2, d3))),
        chain(line(24, r"\frac{\partial L}{\partial b_3} = \delta^{(3)}$$", c.g("b3"), d3)),
        chain(line(26, r"$\sigma'(z) = \sigma(z)(1-\sigma(z))$", *at([sig_d(c.z1), sig_d(c.z2)]))),
        chain(line(28, r"= \mathrm{diag}\big(\sigma'(z^{(2)})\big)\, W_3^\top \delta^{(3)}$$", c.g("z2"),
                   np.diag(sp2) @ W3.T @ d3),
              line(30, r"= \big(W_3^\top \delta^{(3)}\big) \odot a^{(2)} \odot (1 - a^{(2)})$$", c.g("z2"), d2)),
        chain(line(32, r"\frac{\partial L}{\partial W_2} = \delta^{(2)} a^{(1)\top}$$", c.g("W2"), outer(d2, a1))),
        chain(line(34, r"\frac{\partial L}{\partial b_2} = \delta^{(2)}$$", c.g("b2"), d2)),
        chain(line(38, r"\delta^{(1)} = \big(W_2^\top \delta^{(2)}\big) \odot a^{(1)} \odot (1 - a^{(1)})$$", c.g("z1"), d1)),
        chain(line(40, r"\frac{\partial L}{\partial W_1} = \delta^{(1)} x^\top$$", c.g("W1"), outer(d1, x))),
        chain(line(42, r"\frac{\partial L}{\partial b_1} = \delta^{(1)}$$", c.g("b1"), d1)),
    ]


# 03 student in the seed's own style (W_{3_{mn}}, "j is the correct class", no biases); the
# chain rule picks the derivative of the label y_j instead of yhat_j (zero); the next line
# differentiates yhat_j after all, so everything after it is right
@proves("03-student-seed-style-subscripts-dy-instead-of-dyhat.tex",
        unlabelled={8: "definitions (L = -log yhat_j, h, z, Kronecker delta)"})
def d03(c):
    x, y, yh, s, h, W2, W3, j = c.x, c.y, c.yhat, c.a1, c.a2, c.W2, c.W3, c.j
    dj = eye(c.k)[j]
    e = yh - dj
    tW3 = c.g("W3")
    gh = ein("m,mn->n", e, W3)
    gs = ein("n,n,np->p", gh, h * (1 - h), W2)
    return [
        chain(line(6, r"\frac{\partial L}{\partial \hat{y}_i} &= -\frac{y_i}{\hat{y}_i}", c.g("yhat"), -y / yh)),
        chain(line(12, r"\frac{\partial \hat{y}_{l}}{\partial W_{3_{mn}}} \\", tW3, ein("l,lmn->mn", c.g("yhat"), c.J("yhat", "W3"))),
              # the label does not depend on W3: d y_j / d W3 = 0
              line(13, r"\frac{\partial y_{j}}{\partial W_{3_{mn}}} \\", tW3, (-y[j] / yh[j]) * np.zeros_like(W3)),
              line(14, r"\hat{y}_{j}(\delta_{jm} - \hat{y}_{m})\, h_{n} \\", tW3, -(1 / yh[j]) * outer(yh[j] * (dj - yh), h)),
              line(15, r"&= (\hat{y}_{m} - \delta_{jm})\, h_{n}", tW3, outer(e, h))),
        chain(line(18, r"$\sigma'(u_n) = h_n(1-h_n)$", dact("sigmoid", c.z2), h * (1 - h))),
        chain(line(20, r"&= \sum_{m=1}^k (\hat{y}_{m} - \delta_{jm})\, W_{3_{mn}} \\", c.g("a2"), gh)),
        chain(line(21, r"&= \frac{\partial L}{\partial h_{n}}\, h_{n}(1-h_{n})\, s_{p} \\", c.g("W2"), outer(gh * h * (1 - h), s)),
              line(22, r"W_{3_{mn}}\, h_{n}(1-h_{n})\, s_{p}", c.g("W2"), ein("m,mn,n,p->np", e, W3, h * (1 - h), s))),
        chain(line(27, r"\frac{\partial L}{\partial h_{n}}\, h_{n}(1-h_{n})\, W_{2_{np}} \\", c.g("a1"), gs)),
        chain(line(28, r"&= \frac{\partial L}{\partial s_{p}}\, s_{p}(1-s_{p})\, x_{q}", c.g("W1"), outer(gs * s * (1 - s), x))),
    ]


# 04 student, plain text, biases, one-hot y; the sigmoid derivative written s(z)(1 + s(z)); both
# deltas and every layer-1/layer-2 gradient carry it, the output layer is right
@proves("04-student-plaintext-biases-onehot-sigmoid-derivative-plus.txt")
def d04(c):
    x, y, yh, a1, a2, z1, z2, W2, W3 = c.x, c.y, c.yhat, c.a1, c.a2, c.z1, c.z2, c.W2, c.W3
    e = yh - y
    t2, ta1, t1 = c.g("z2"), c.g("a1"), c.g("z1")
    bad2 = (W3.T @ e) * a2 * (1 + a2)                      # the author's delta2
    bad1 = (W2.T @ bad2) * a1 * (1 + a1)                   # the author's delta1
    return [
        chain(line(13, "dL/dz3 = yhat - y", c.g("z3"), e)),
        chain(line(14, "dL/dW3 = (yhat - y) a2^T", c.g("W3"), outer(e, a2))),
        chain(line(15, "dL/db3 = yhat - y", c.g("b3"), e)),
        chain(line(18, "dL/da2 = W3^T (yhat - y)", c.g("a2"), W3.T @ e)),
        chain(line(19, "s'(z) = s(z)(1 + s(z))", (dact("sigmoid", z1), dact("sigmoid", z2)),
                   (sig(z1) * (1 + sig(z1)), sig(z2) * (1 + sig(z2))))),
        chain(line(20, "delta2 = dL/dz2 = (W3^T (yhat - y)) * a2 * (1 + a2)", t2, bad2,
                   repaired=(W3.T @ e) * a2 * (1 - a2), cf=19)),
        chain(line(21, "dL/dW2 = delta2 a1^T", c.g("W2"), outer(bad2, a1), repaired=outer(t2, a1), cf=20)),
        chain(line(22, "dL/db2 = delta2", c.g("b2"), bad2, repaired=t2, cf=20)),
        chain(line(25, "dL/da1 = W2^T delta2", ta1, W2.T @ bad2, repaired=W2.T @ t2, cf=20)),
        chain(line(26, "delta1 = dL/dz1 = (W2^T delta2) * a1 * (1 + a1)", t1, bad1,
                   repaired=(W2.T @ t2) * a1 * (1 - a1), cf=(19, 20))),
        chain(line(27, "dL/dW1 = delta1 x^T", c.g("W1"), outer(bad1, x), repaired=outer(t1, x), cf=26)),
        chain(line(28, "dL/db1 = delta1", c.g("b1"), bad1, repaired=t1, cf=26)),
    ]


# 05 student notebook, matrix form, one-hot y, no biases; the diagonal softmax entry is right, but
# the chain rule then keeps only the diagonal (softmax treated elementwise): dL/dz3 = -y(1 - yhat);
# every gradient after it carries it; the sigmoid identity is right
@proves("05-student-notebook-matrix-form-softmax-jacobian-diagonal-only.ipynb",
        unlabelled={47: "update rule", (54, 67): "code cell"})
def d05(c):
    x, y, yh, h1, h2, z1, z2, W2, W3 = c.x, c.y, c.yhat, c.a1, c.a2, c.z1, c.z2, c.W2, c.W3
    t3, ta2, t2, t1 = c.g("z3"), c.g("a2"), c.g("z2"), c.g("z1")
    d3 = -y * (1 - yh)                                     # the author's delta3
    d2 = (W3.T @ d3) * h2 * (1 - h2)
    d1 = (W2.T @ d2) * h1 * (1 - h1)
    return [
        chain(line(18, r"\dfrac{\partial L}{\partial \hat y_i} = -\dfrac{y_i}{\hat y_i}$", c.g("yhat"), -y / yh)),
        chain(line(20, r"= \hat y_i(1-\hat y_i)$", np.diag(c.J("yhat", "z3")), yh * (1 - yh))),
        chain(line(22, r"= -\dfrac{y_i}{\hat y_i}\,\hat y_i(1-\hat y_i) = -y_i(1-\hat y_i)$", t3, d3),
              line(24, r"$\delta_3 = -y \odot (1-\hat y)$", t3, d3)),
        chain(line(26, r"= \delta_3 h_2^T$", c.g("W3"), outer(d3, h2), repaired=outer(t3, h2), cf=24)),
        chain(line(35, r"= W_3^T\delta_3$", ta2, W3.T @ d3, repaired=W3.T @ t3, cf=24)),
        chain(line(37, r"$\sigma'(z) = \sigma(z)(1-\sigma(z))$", *at([sig_d(z1), sig_d(z2)]))),
        chain(line(39, r"$\delta_2 = (W_3^T\delta_3)\odot h_2\odot(1-h_2)$", t2, d2,
                   repaired=(W3.T @ t3) * h2 * (1 - h2), cf=24)),
        chain(line(41, r"= \delta_2 h_1^T$", c.g("W2"), outer(d2, h1), repaired=outer(t2, h1), cf=39)),
        chain(line(43, r"$\delta_1 = (W_2^T\delta_2)\odot h_1\odot(1-h_1)$", t1, d1,
                   repaired=(W2.T @ t2) * h1 * (1 - h1), cf=39)),
        chain(line(45, r"= \delta_1 x^T$", c.g("W1"), outer(d1, x), repaired=outer(t1, x), cf=43)),
    ]


# 06 student, one formula per display, superscript layers, biases, "j is the correct class";
# dL/dh^(2)_n keeps only the correct class's term (the sum over the k outputs dropped); layer 2
# and layer 1 carry it, the output layer and the sigmoid identity are right
@proves("06-student-index-sums-biases-sigma-prime-dropped-sum.md",
        unlabelled={5: "definition of L and of the Kronecker delta"})
def d06(c):
    x, yh, h1, h2, z1, z2, W2, W3, j = c.x, c.yhat, c.a1, c.a2, c.z1, c.z2, c.W2, c.W3, c.j
    dj = eye(c.k)[j]
    e = yh - dj
    sp1, sp2 = dact("sigmoid", z1), dact("sigmoid", z2)
    ta2, tz2 = c.g("a2"), c.g("z2")
    bad_h2 = (yh[j] - 1) * W3[j]                           # the author's dL/dh2 (one term of the sum)
    bad_z2 = sp2 * bad_h2
    return [
        chain(line(9, r"\frac{\partial L}{\partial z^{(3)}_m} = \hat y_m - \delta_{mj}$$", c.g("z3"), e)),
        chain(line(11, r"= (\hat y_m - \delta_{mj})\,h^{(2)}_n$$", c.g("W3"), outer(e, h2))),
        chain(line(13, r"\frac{\partial L}{\partial b^{(3)}_m} = \hat y_m - \delta_{mj}$$", c.g("b3"), e)),
        chain(line(17, r"= (\hat y_j - 1)\,W^{(3)}_{jn}$$", ta2, bad_h2)),
        chain(line(19, r"= \sigma'(z^{(2)}_n)\,(\hat y_j - 1)\,W^{(3)}_{jn}$$", tz2, bad_z2, repaired=sp2 * ta2, cf=17)),
        chain(line(21, r"(\hat y_j - 1)\,W^{(3)}_{jn}\,h^{(1)}_p$$", c.g("W2"), outer(bad_z2, h1),
                   repaired=outer(sp2 * ta2, h1), cf=17)),
        chain(line(23, r"\frac{\partial L}{\partial b^{(2)}_n} = \sigma'(z^{(2)}_n)", c.g("b2"), bad_z2,
                   repaired=sp2 * ta2, cf=17)),
        chain(line(25, r"where $\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$.", *at([sig_d(z1), sig_d(z2)]))),
        # both layer-1 lines use the author's dL/dz^(2)_n of l.19
        chain(line(29, r"\frac{\partial L}{\partial z^{(2)}_n}\; x_q$$", c.g("W1"), ein("p,np,n,q->pq", sp1, W2, bad_z2, x),
                   repaired=ein("p,np,n,q->pq", sp1, W2, tz2, x), cf=19)),
        chain(line(31, r"\frac{\partial L}{\partial b^{(1)}_p} = \sigma'(z^{(1)}_p)", c.g("b1"), ein("p,np,n->p", sp1, W2, bad_z2),
                   repaired=ein("p,np,n->p", sp1, W2, tz2), cf=19)),
    ]


# 07 student, numbered align, one-hot y with y_j = 1; sum_l y_l delta_li collapsed to y_j instead of
# y_i, so dL/dz_{3,i} = yhat_i - y_j (= yhat_i - 1 for every i); everything after it carries it
@proves("07-student-align-one-hot-index-mixup-i-j.tex", unlabelled={30: "update rule"})
def d07(c):
    x, y, yh, h1, h2, z1, z2, W2, W3, j = c.x, c.y, c.yhat, c.a1, c.a2, c.z1, c.z2, c.W2, c.W3, c.j
    t3, tz2 = c.g("z3"), c.g("z2")
    sp1, sp2 = dact("sigmoid", z1), dact("sigmoid", z2)
    jac = softmax_jac(yh)                                  # [l, i]
    e = yh - y[j]                                          # the author's dL/dz3
    bad_z2 = sp2 * (W3.T @ e)
    return [
        chain(line(6, r"$\partial \hat y_l / \partial z_{3,i} = \hat y_l (\delta_{li} - \hat y_i)$", c.J("yhat", "z3"), jac)),
        chain(line(10, r"\frac{\partial \hat y_l}{\partial z_{3,i}} \\", t3, ein("l,li->i", c.g("yhat"), c.J("yhat", "z3"))),
              line(11, r"\left(-\frac{y_l}{\hat y_l}\right) \hat y_l (\delta_{li} - \hat y_i) \\", t3, ein("l,li->i", -y / yh, jac)),
              line(12, r"&= -\sum_{l=1}^{k} y_l \delta_{li} + \hat y_i \sum_{l=1}^{k} y_l \\", t3,
                   -ein("l,li->i", y, eye(c.k)) + yh * np.sum(y)),
              line(13, r"&= \hat y_i - y_j", t3, e)),
        chain(line(18, r"&= (\hat y_i - y_j)\, h_{2,r} \\", c.g("W3"), outer(e, h2), repaired=outer(t3, h2), cf=13)),
        chain(line(19, r"&= \sum_{i=1}^{k} (\hat y_i - y_j)\, W_{3,ir} \\", c.g("a2"), W3.T @ e, repaired=W3.T @ t3, cf=13)),
        chain(line(20, r"&= \sigma'(z_{2,r}) \sum_{i=1}^{k} (\hat y_i - y_j)\, W_{3,ir} \\", tz2, bad_z2,
                   repaired=sp2 * (W3.T @ t3), cf=13)),
        chain(line(21, r"(\hat y_i - y_j)\, W_{3,ir}\, h_{1,s}", c.g("W2"), outer(bad_z2, h1),
                   repaired=outer(sp2 * (W3.T @ t3), h1), cf=13)),
        # uses the author's dL/dz_{2,r} of l.20
        chain(line(26, r"W_{2,rs} \frac{\partial L}{\partial z_{2,r}}\, x_t", c.g("W1"), ein("s,rs,r,t->st", sp1, W2, bad_z2, x),
                   repaired=ein("s,rs,r,t->st", sp1, W2, tz2, x), cf=20)),
        chain(line(28, r"where $\sigma'(u) = \sigma(u)(1-\sigma(u))$ everywhere.", *at([sig_d(z1), sig_d(z2)]))),
    ]


# 08 Nielsen-style notes, sigmoid everywhere with biases, quadratic cost 1/2 ||y - a^L||^2, the
# four equations BP1-BP4 (w^l_{jk}: k in layer l-1, j in layer l) proved at every layer; correct
@proves("08-nielsen-style-four-equations-sigmoid-quadratic-cost-correct.tex",
        unlabelled={18: "definition of delta^l_j"})
def d08(c):
    x, y, a1, a2, a3, z1, z2, z3, W2, W3 = c.x, c.y, c.a1, c.a2, c.a3, c.z1, c.z2, c.z3, c.W2, c.W3
    t1, t2, t3 = c.g("z1"), c.g("z2"), c.g("z3")
    acts = (x, a1, a2)
    ts = (t1, t2, t3)
    d3 = (a3 - y) * a3 * (1 - a3)
    d2 = (W3.T @ d3) * a2 * (1 - a2)
    d1 = (W2.T @ d2) * a1 * (1 - a1)
    return [
        chain(line(20, r"\delta^L_j &= \frac{\partial C}{\partial a^L_j}\, \sigma'(z^L_j) \tag{BP1} \\", t3,
                   c.g("yhat") * dact("sigmoid", z3))),
        chain(line(21, r"\frac{\partial C}{\partial a^L_j} &= a^L_j - y_j \\", c.g("yhat"), a3 - y)),
        chain(line(22, r"\delta^L &= (a^L - y) \odot \sigma'(z^L) \tag{BP1a} \\", t3, (a3 - y) * dact("sigmoid", z3))),
        # BP2 for l = 1, 2 (l + 1 <= L)
        chain(line(23, r"\delta^l &= \big((w^{l+1})^T \delta^{l+1}\big) \odot \sigma'(z^l) \tag{BP2} \\", (t1, t2),
                   ((W2.T @ t2) * dact("sigmoid", z1), (W3.T @ t3) * dact("sigmoid", z2)))),
        chain(line(24, r"\frac{\partial C}{\partial b^l_j} &= \delta^l_j \tag{BP3} \\", (c.g("b1"), c.g("b2"), c.g("b3")), ts)),
        chain(line(25, r"\frac{\partial C}{\partial w^l_{jk}} &= a^{l-1}_k\, \delta^l_j \tag{BP4}",
                   (c.g("W1"), c.g("W2"), c.g("W3")), tuple(ein("k,j->jk", a, t) for a, t in zip(acts, ts, strict=True)))),
        chain(line(27, r"For the sigmoid, $\sigma'(z) = \sigma(z)(1-\sigma(z))$", *at([sig_d(z1), sig_d(z2), sig_d(z3)]))),
        chain(line(31, r"\delta^3 &= (a^3 - y) \odot a^3 \odot (1 - a^3) \\", t3, d3)),
        chain(line(32, r"\delta^2 &= \big((w^3)^T \delta^3\big) \odot a^2 \odot (1 - a^2) \\", t2, d2)),
        chain(line(33, r"\delta^1 &= \big((w^2)^T \delta^2\big) \odot a^1 \odot (1 - a^1) \\", t1, d1)),
        chain(line(34, r"\frac{\partial C}{\partial w^3} &= \delta^3 (a^2)^T \\", c.g("W3"), outer(d3, a2))),
        chain(line(35, r"\frac{\partial C}{\partial w^1_{jk}} &= x_k\, \delta^1_j", c.g("W1"), ein("k,j->jk", x, d1))),
    ]


# 09 Nielsen-style, sigmoid-sigmoid-softmax with the log-likelihood cost, biases; BP4 written with
# the indices of w^l_{jk} swapped, a^{l-1}_j delta^l_k (ill-formed at every layer: one subscript
# runs past its vector); the two instances of it after it carry it
@proves("09-nielsen-style-softmax-log-likelihood-wjk-indices-swapped.md",
        unlabelled={11: "definition of delta^l_j"})
def d09(c):
    x, y, yh, a1, a2, z1, z2, W2, W3 = c.x, c.y, c.yhat, c.a1, c.a2, c.z1, c.z2, c.W2, c.W3
    t1, t2, t3 = c.g("z1"), c.g("z2"), c.g("z3")
    gW = (c.g("W1"), c.g("W2"), c.g("W3"))
    return [
        chain(line(13, r"$$\delta^L_j = a^L_j - y_j$$", t3, yh - y)),
        chain(line(15, r"$$\frac{\partial C}{\partial b^L_j} = a^L_j - y_j$$", c.g("b3"), yh - y)),
        chain(line(19, r"\odot \sigma'(z^l)$$", (t1, t2), ((W2.T @ t2) * dact("sigmoid", z1), (W3.T @ t3) * dact("sigmoid", z2)))),
        chain(line(21, r"with $\sigma'(z) = \sigma(z)(1 - \sigma(z))$", *at([sig_d(z1), sig_d(z2)]))),
        chain(line(23, r"$$\frac{\partial C}{\partial b^l_j} = \delta^l_j$$", (c.g("b1"), c.g("b2"), c.g("b3")), (t1, t2, t3))),
        chain(line(25, r"= a^{l-1}_j\, \delta^l_k$$", gW,
                   (swapped_bp4(x, t1, 1), swapped_bp4(a1, t2, 2), swapped_bp4(a2, t3, 3)))),
        # instances of the swapped BP4: right once BP4 itself is
        chain(line(29, r"= a^{L-1}_j\,(a^L_k - y_k)$$", gW[2], swapped_bp4(a2, yh - y, 3), repaired=ein("k,j->jk", a2, t3),
                   cf=25)),
        chain(line(33, r"= x_j\, \delta^1_k$$", gW[0], swapped_bp4(x, t1, 1), repaired=ein("k,j->jk", x, t1), cf=25)),
    ]


# 10 Bishop-style (PRML 5.3): two tanh layers, linear outputs, sum-of-squares, delta := dE/da;
# the second-layer delta forgets h'(a_l); everything below it carries it
@proves("10-bishop-style-tanh-linear-sum-of-squares-missing-hprime.tex",
        unlabelled={38: "summary in generic indices; batch sum"})
def d10(c):
    x, y, t, z1, z2, a1, a2, W2, W3 = c.x, c.yhat, c.y, c.a1, c.a2, c.z1, c.z2, c.W2, c.W3
    dk = y - t
    tl, tj = c.g("z2"), c.g("z1")
    bad_l = W3.T @ dk                                      # the author's delta_l (no h'(a_l))
    bad_j = (1 - np.tanh(a1) ** 2) * (W2.T @ bad_l)
    return [
        chain(line(17, r"\delta_k = y_k - t_k ,", c.g("z3"), dk)),
        # d a_k / d w^{(3)}_{kl}: the entries of the Jacobian with matching k
        chain(line(19, r"$\partial a_k / \partial w^{(3)}_{kl} = z^{(2)}_l$", ein("kkl->kl", c.J("z3", "W3")),
                   np.tile(z2, (c.k, 1)))),
        chain(line(21, r"&= \delta_k\, z^{(2)}_l , \\", c.g("W3"), outer(dk, z2))),
        chain(line(22, r"\frac{\partial E_n}{\partial b^{(3)}_k} &= \delta_k .", c.g("b3"), dk)),
        chain(line(25, r"$h'(a) = 1 - h(a)^2$", *at([tanh_d(a1), tanh_d(a2)]))),
        chain(line(27, r"\delta_l &= \sum_k w^{(3)}_{kl}\, \delta_k , \\", tl, bad_l)),
        chain(line(28, r"&= \delta_l\, z^{(1)}_j , \\", c.g("W2"), outer(bad_l, z1), repaired=outer(tl, z1), cf=27)),
        chain(line(29, r"\frac{\partial E_n}{\partial b^{(2)}_l} &= \delta_l ,", c.g("b2"), bad_l, repaired=tl, cf=27)),
        chain(line(33, r"\delta_j &= h'(a^{(1)}_j) \sum_l w^{(2)}_{lj}\, \delta_l , \\", tj, bad_j,
                   repaired=(1 - np.tanh(a1) ** 2) * (W2.T @ tl), cf=27)),
        chain(line(34, r"&= \delta_j\, x_i , \\", c.g("W1"), outer(bad_j, x), repaired=outer(tj, x), cf=33)),
        chain(line(35, r"\frac{\partial E_n}{\partial b^{(1)}_j} &= \delta_j .", c.g("b1"), bad_j, repaired=tj, cf=33)),
    ]


# 11 Goodfellow-style lecture notebook (Algorithm 6.4 unrolled): relu-relu-softmax with biases,
# a^(k) pre-activations, h^(k) activations, input gradient; correct
@proves("11-goodfellow-style-notebook-relu-relu-softmax-correct.ipynb",
        unlabelled={14: "the algorithm's running gradient g, described in general", (66, 83): "code cell"})
def d11(c):
    x, y, yh, h1, h2, a1, a2, W1, W2, W3 = c.x, c.y, c.yhat, c.a1, c.a2, c.z1, c.z2, c.W1, c.W2, c.W3
    g3 = yh - y
    gh2 = W3.T @ g3
    g2 = gh2 * ind(a2)
    gh1 = W2.T @ g2
    g1 = gh1 * ind(a1)
    return [
        chain(line(23, r"$$\nabla_{\hat y} J = -y \oslash \hat y$$", c.g("yhat"), -y / yh)),
        chain(line(27, r"$$g = \nabla_{a^{(3)}} J = \hat y - y$$", c.g("z3"), g3)),
        chain(line(29, r"$$\nabla_{b^{(3)}} J = \hat y - y$$", c.g("b3"), g3)),
        chain(line(31, r"$$\nabla_{W^{(3)}} J = (\hat y - y)\, h^{(2)\top}$$", c.g("W3"), outer(g3, h2))),
        chain(line(33, r"$$\nabla_{h^{(2)}} J = W^{(3)\top} (\hat y - y)$$", c.g("a2"), gh2)),
        chain(line(42, r"$f'(a) = \mathbb{1}[a > 0]$", *at([relu_d(a1), relu_d(a2)]))),
        chain(line(44, r"$$\nabla_{a^{(2)}} J = \nabla_{h^{(2)}} J \odot \mathbb{1}[a^{(2)} > 0]$$", c.g("z2"), g2)),
        chain(line(46, r"$$\nabla_{b^{(2)}} J = \nabla_{a^{(2)}} J$$", c.g("b2"), g2)),
        chain(line(48, r"$$\nabla_{W^{(2)}} J = \nabla_{a^{(2)}} J \; h^{(1)\top}$$", c.g("W2"), outer(g2, h1))),
        chain(line(50, r"$$\nabla_{h^{(1)}} J = W^{(2)\top}\, \nabla_{a^{(2)}} J$$", c.g("a1"), gh1)),
        chain(line(52, r"$$\nabla_{a^{(1)}} J = \nabla_{h^{(1)}} J \odot \mathbb{1}[a^{(1)} > 0]$$", c.g("z1"), g1)),
        chain(line(54, r"$$\nabla_{b^{(1)}} J = \nabla_{a^{(1)}} J$$", c.g("b1"), g1)),
        chain(line(56, r"$$\nabla_{W^{(1)}} J = \nabla_{a^{(1)}} J \; x^\top$$", c.g("W1"), outer(g1, x))),
        chain(line(60, r"$$\nabla_{x} J = W^{(1)\top}\, \nabla_{a^{(1)}} J$$", c.g("x"), W1.T @ g1)),
    ]


# 12 short Q&A in plain text: why softmax + cross-entropy gives dL/dz = yhat - y (z = z3); correct
@proves("12-qa-plaintext-why-softmax-ce-gives-yhat-minus-y-correct.txt")
def d12(c):
    y, yh = c.y, c.yhat
    t3 = c.g("z3")
    jac = softmax_jac(yh)                                  # [k, i] = yhat_k (delta_ki - yhat_i)
    return [
        chain(line(2, "writes dL/dz = yhat - y", t3, yh - y)),
        chain(line(4, "dyhat_k/dz_i = yhat_k (delta_ki - yhat_i)", c.J("yhat", "z3"), jac)),
        chain(line(6, "dL/dz_i = sum_k (dL/dyhat_k)(dyhat_k/dz_i)", t3, ein("k,ki->i", c.g("yhat"), c.J("yhat", "z3"))),
              line(7, "= sum_k (-y_k / yhat_k) * yhat_k (delta_ki - yhat_i)", t3, ein("k,ki->i", -y / yh, jac)),
              line(8, "= -y_i + yhat_i * sum_k y_k = yhat_i - y_i", t3, yh - y)),
    ]


# 13 short Q&A in Markdown: dL/dW1 for the seed network in three lines; correct
@proves("13-qa-markdown-first-layer-gradient-seed-net-correct.md",
        unlabelled={1: "the question: the model, and that dL/dW3 is known"})
def d13(c):
    x, y, yh, z1, z2, W2, W3 = c.x, c.y, c.yhat, c.z1, c.z2, c.W2, c.W3
    d2 = (W3.T @ (yh - y)) * sig(z2) * (1 - sig(z2))
    d1 = (W2.T @ d2) * dact("sigmoid", z1)
    return [
        chain(line(3, r"You already have $\delta_3 = \hat y - y$.", c.g("z3"), yh - y)),
        chain(line(5, r"$$\delta_2 = \big(W_3^\top(\hat y - y)\big) \odot \sigma(z_2) \odot \big(1 - \sigma(z_2)\big)$$",
                   c.g("z2"), d2)),
        chain(line(7, r"$$\delta_1 = \big(W_2^\top \delta_2\big) \odot \sigma'(z_1)$$", c.g("z1"), d1)),
        chain(line(9, r"$$\frac{\partial L}{\partial W_1} = \delta_1\, x^\top$$", c.g("W1"), outer(d1, x))),
    ]


if __name__ == "__main__":
    sys.exit(main(CORPUS, sys.argv))
