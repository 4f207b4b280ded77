#!/usr/bin/env python3
"""Independent numerical proof of every label in labels.json.

numpy only: no chainrule, no sympy, no torch.  The method, shared by every
corpus, lives in tests/corpus/proofkit.py (which says why chainrule must stay
out): random instances of the network each entry names, the TRUE value of
each chain's left-hand side by complex-step differentiation through a
hand-written forward pass, and  verdict == "correct"  <=>  allclose(truth,
rhs) for every free index value and every seed, with every
``introduces_error`` flag proven (see README.md, "introduces vs carries").

Run:  python tests/corpus/check/prove_labels.py            all documents
      python tests/corpus/check/prove_labels.py 17-uni     only files whose name contains "17-uni"
      python tests/corpus/check/prove_labels.py --stats    the counts quoted in README.md
Exit status 1 if any document fails.

This file holds this corpus's settings and its hand translations: each
function below turns the author's right-hand sides into numpy (einsum for
index forms, the label index j = the true class), next to a snippet of the
LaTeX it translates.  Instances: single examples, d=7, d1=5, d2=4, k=3 (k=1
for bce), one-hot y for cross_entropy, y in {0,1} for bce, real-valued y for
mse; four seeds, rtol 1e-6.
"""
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/corpus, home of proofkit
from proofkit import Corpus, Ill, Setup, chain, ein, ind, main, outer, sig  # noqa: E402
from proofkit import line as kit_line  # noqa: E402

CORPUS = Corpus(
    here=Path(__file__).resolve().parent,
    setup=Setup(hidden=(5, 4), rng_key=lambda seed: 1000 + seed, weight_scale=1.3),
    seeds=(0, 1, 2, 3),
    rtol=1e-6,
    # this corpus's lint predates the \prime and "dX =" forms the held-out corpora added
    lint=re.compile(r"\\partial|\\nabla|∂|∇|['′]\s*\(|['′]\s*=|&=|\\delta|δ|\\frac\{d"),
    name_width=55,
    stats_markdown=False,
)
proves = CORPUS.registry.proves


def line(n, snippet, truth, rhs, repaired=None, carried_from=None):
    """proofkit.line with the keyword these translations use for the one line carried from."""
    return kit_line(n, snippet, truth, rhs, repaired, cf=carried_from)


# ==========================================================================
# Per-document translations.  Each function gets a Ctx and returns a list of
# chains; each chain a list of line(...) in order.
# ==========================================================================

# --------------------------------------------------------------------------
# 01  seed network, seed style; student uses a wrong softmax Jacobian
#     z = W_3 a_2 (= z3), yhat = g(z)
# --------------------------------------------------------------------------
@proves("01-seed-variant-softmax-jacobian.txt")
def d01(c):
    yh, y, a1, a2, W3, k = c.yhat, c.y, c.a1, c.a2, c.W3, c.k
    dL_dyh = c.J("L", "yhat")                                   # [i]
    dyh_dz = c.J("yhat", "z3")                                  # [i, m]
    dz_dW3 = c.J("z3", "W3")[np.arange(k), np.arange(k)]        # [m, n] = dz_m / dW3_mn
    dz_da2 = c.J("z3", "a2")                                    # [m, p]
    da2_dW2 = c.J("a2", "W2")[np.arange(c.d2), np.arange(c.d2)]  # [p, q] = da2_p / dW2_pq
    gW3, gW2 = c.grad("W3"), c.grad("W2")
    wrongJ = ein("i,m->im", yh, 1 - yh)                         # yhat_i (1 - yhat_m)
    return [
        # dL/dyhat_i = -y_i / yhat_i
        chain(line(22, r"&= -\frac{y_i}{\hat{y}_i}", dL_dyh, -y / yh)),
        # dyhat_i/dz_m = yhat_i (1 - yhat_m)            [should be yhat_i (delta_im - yhat_m)]
        chain(line(23, r"\hat{y}_i (1 - \hat{y}_m)", dyh_dz, wrongJ)),
        chain(
            # sum_i dL/dyhat_i dyhat_i/dz_m dz_m/dW3_mn
            line(27, r"\frac{\partial z_m}{\partial W_{3_{mn}}}", gW3,
                 ein("i,im,mn->mn", dL_dyh, dyh_dz, dz_dW3)),
            # sum_i (-y_i/yhat_i) yhat_i (1 - yhat_m) a2_n
            line(28, r"\hat{y}_i (1 - \hat{y}_m)\, a_{2_n}", gW3,
                 ein("i,im,n->mn", -y / yh, wrongJ, a2),
                 repaired=ein("i,im,n->mn", -y / yh, dyh_dz, a2), carried_from=23),
            # -sum_i y_i (1 - yhat_m) a2_n
            line(29, r"-\sum_{i=1}^k y_i (1 - \hat{y}_m)", gW3, -ein("i,m,n->mn", y, 1 - yh, a2)),
            # (yhat_m - 1) a2_n
            line(30, r"(\hat{y}_m - 1)\, a_{2_n}", gW3, outer(yh - 1, a2)),
        ),
        chain(
            # sum_m dL/dz_m dz_m/da2_p da2_p/dW2_pq
            line(34, r"\frac{\partial a_{2_p}}{\partial W_{2_{pq}}}", gW2,
                 ein("m,mp,pq->pq", c.grad("z3"), dz_da2, da2_dW2)),
            # sum_m (yhat_m - 1) W3_mp a2_p (1 - a2_p) a1_q
            line(35, r"(\hat{y}_m - 1)\, W_{3_{mp}}", gW2,
                 ein("m,mp,p,q->pq", yh - 1, W3, a2 * (1 - a2), a1),
                 repaired=ein("m,mp,p,q->pq", yh - y, W3, a2 * (1 - a2), a1), carried_from=30),
        ),
    ]


# --------------------------------------------------------------------------
# 02  seed network, matrix form; W_3 delta_3 instead of W_3^T delta_3
# --------------------------------------------------------------------------
@proves("02-matrix-form-wrong-transpose.md", unlabelled={5: "definition of delta_l"})
def d02(c):
    yh, y, x, a1, a2, W2, W3 = c.yhat, c.y, c.x, c.a1, c.a2, c.W2, c.W3
    d3 = yh - y
    ill = lambda: Ill("W_3 is k x d2 and delta_3 has k entries: W_3 delta_3 needs d2 == k",
                      W3.shape[1] != d3.shape[0], key="W3 delta3")
    d2_true = (W3.T @ d3) * a2 * (1 - a2)
    d1_true = (W2.T @ d2_true) * a1 * (1 - a1)
    return [
        chain(line(11, r"\delta_3 = \hat y - y", c.grad("z3"), d3)),
        chain(line(13, r"\delta_3 a_2^\top", c.grad("W3"), outer(d3, a2))),
        chain(line(19, r"= W_3 \delta_3", c.grad("a2"), ill())),
        # sigma'(z_2) = a_2 (1 - a_2): elementwise derivative = diagonal of da2/dz2
        chain(line(21, r"\sigma'(z_2) = a_2 \odot (1 - a_2)", np.diag(c.J("a2", "z2")), a2 * (1 - a2))),
        chain(line(23, r"(W_3 \delta_3) \odot a_2", c.grad("z2"), ill(),
                   repaired=d2_true, carried_from=19)),
        chain(line(25, r"\delta_2 a_1^\top", c.grad("W2"), ill(),
                   repaired=outer(d2_true, a1), carried_from=23)),
        chain(line(29, r"(W_2^\top \delta_2) \odot a_1", c.grad("z1"), ill(),
                   repaired=d1_true, carried_from=23)),
        chain(line(31, r"\delta_1 x^\top", c.grad("W1"), ill(),
                   repaired=outer(d1_true, x), carried_from=29)),
    ]


# --------------------------------------------------------------------------
# 03  softmax(W2 relu(W1 x + b1) + b2); h = a1, s = z2; fully correct
# --------------------------------------------------------------------------
@proves("03-relu-bias-index-correct.tex")
def d03(c):
    yh, y, x, h, W2, j, k = c.yhat, c.y, c.x, c.a1, c.W2, c.j, c.k
    s = c.z2
    E = np.eye(k)
    gs = c.grad("z2")
    gW1 = c.grad("W1")
    return [
        chain(
            line(12, r"-\delta_{ij} + \frac{e^{s_i}}", gs, -E[j] + np.exp(s) / np.exp(s).sum()),
            line(13, r"\hat{y}_i - \delta_{ij}", gs, yh - E[j]),
            line(14, r"&= \hat{y}_i - y_i .", gs, yh - y),
        ),
        chain(
            line(19, r"\delta_{ci}\, h_r", c.grad("W2"), ein("c,ci,r->ir", yh - y, E, h)),
            line(20, r"(\hat{y}_i - y_i)\, h_r", c.grad("W2"), outer(yh - y, h)),
        ),
        chain(line(21, r"&= \hat{y}_i - y_i .", c.grad("b2"), yh - y)),
        chain(line(26, r"W^{(2)}_{ir} , \\", c.grad("a1"), W2.T @ (yh - y))),
        chain(
            line(27, r"\mathbb{1}[h_r > 0]\, x_t \\", gW1, ein("i,ir,r,t->rt", yh - y, W2, ind(h), x)),
            line(28, r"- W^{(2)}_{jr}\Bigr)", gW1, ein("r,r,t->rt", W2.T @ yh - W2[j], ind(h), x)),
        ),
        chain(line(29, r"\mathbb{1}[h_r > 0] \sum", c.grad("b1"), ind(h) * (W2.T @ (yh - y)))),
    ]


# --------------------------------------------------------------------------
# 04  sigmoid(W2 tanh(W1 x + b1) + b2), bce; w = W2^T, c = b2, u = z2.
#     Sign error in dL/dyhat, carried everywhere.
# --------------------------------------------------------------------------
@proves("04-bce-tanh-sign-flip.tex")
def d04(c):
    yh, y, h, x, z1 = c.yhat[0], c.y[0], c.a1, c.x, c.z1
    w = c.W2[0]
    dL_dyh = c.grad("yhat")[0]
    dyh_du = c.J("yhat", "z2")[0, 0]
    gu = c.grad("z2")[0]
    bad = y / yh - (1 - y) / (1 - yh)                     # author's dL/dyhat
    back = w * (1 - h * h)
    return [
        # (prose) dyhat/du = yhat (1 - yhat)
        chain(line(13, r"\partial \hat{y} / \partial u = \hat{y}(1 - \hat{y})", dyh_du, yh * (1 - yh))),
        chain(line(18, r"\frac{y}{\hat{y}} - \frac{1 - y}{1 - \hat{y}}.", dL_dyh, bad)),
        chain(
            line(22, r"\cdot \frac{\partial \hat{y}}{\partial u}", gu, dL_dyh * dyh_du),
            line(23, r"\right) \hat{y}(1 - \hat{y})", gu, bad * yh * (1 - yh),
                 repaired=dL_dyh * yh * (1 - yh), carried_from=18),
            line(24, r"y(1 - \hat{y}) - (1 - y)\hat{y}", gu, y * (1 - yh) - (1 - y) * yh),
            line(25, r"&= y - \hat{y}.", gu, y - yh),
        ),
        chain(line(29, r"(y - \hat{y})\, h,", c.grad("W2")[0], (y - yh) * h,
                   repaired=(yh - y) * h, carried_from=25)),
        chain(line(30, r"&= y - \hat{y}.", c.grad("b2")[0], y - yh, repaired=yh - y, carried_from=25)),
        # tanh'(v) = 1 - tanh^2(v), checked at v = z1
        chain(line(32, r"\tanh'(v) = 1 - \tanh^2(v)", np.diag(c.J("a1", "z1")), 1 - np.tanh(z1) ** 2)),
        chain(line(34, r"(y - \hat{y}) \bigl(w \odot", c.grad("W1"), (y - yh) * outer(back, x),
                   repaired=(yh - y) * outer(back, x), carried_from=25)),
        chain(line(35, r"(y - \hat{y})\, w \odot", c.grad("b1"), (y - yh) * back,
                   repaired=(yh - y) * back, carried_from=25)),
    ]


# --------------------------------------------------------------------------
# 05  linear regression yhat = W x, mse; correct (incl. a numerator-layout line)
# --------------------------------------------------------------------------
@proves("05-linear-regression-mse-correct.md")
def d05(c):
    yh, y, x, W, k = c.yhat, c.y, c.x, c.W1, c.k
    E = np.eye(k)
    gW = c.grad("W1")
    return [
        chain(line(9, r"\frac{\partial L}{\partial \hat{y}} = \hat{y} - y", c.grad("yhat"), yh - y)),
        # dyhat_r/dW_ij = delta_ri x_j
        chain(line(11, r"= \delta_{ri}\, x_j", c.J("yhat", "W1"), ein("ri,j->rij", E, x))),
        chain(
            line(15, r"\delta_{ri}\, x_j \\", gW, ein("r,ri,j->ij", yh - y, E, x)),
            line(16, r"(\hat{y}_i - y_i)\, x_j", gW, outer(yh - y, x)),
        ),
        chain(line(22, r"(Wx - y)\, x^\top", gW, outer(W @ x - y, x))),
        chain(line(26, r"W x x^\top - y x^\top", gW, W @ outer(x, x) - outer(y, x))),
        chain(line(28, r"\nabla_x L = W^\top (\hat{y} - y)", c.grad("x"), W.T @ (yh - y))),
        # numerator layout: dL/dW is the d x k transpose of the gradient
        chain(line(32, r"x\, (\hat{y} - y)^\top", gW.T, outer(x, yh - y))),
    ]


# --------------------------------------------------------------------------
# 06  softmax(W3 tanh(W2 tanh(W1 x + b1) + b2) + b3); (W_l)_{mn} notation; correct
# --------------------------------------------------------------------------
@proves("06-tanh3-bias-paren-index-correct.tex",
        unlabelled={3: "forward-pass definitions", 4: "forward-pass definitions",
                    5: "forward-pass definitions", 9: "definition of delta_l"})
def d06(c):
    yh, y, x, a1, a2, W2, W3 = c.yhat, c.y, c.x, c.a1, c.a2, c.W2, c.W3
    gz3, gz2 = c.grad("z3"), c.grad("z2")
    v2 = (1 - a2 ** 2) * (W3.T @ (yh - y))
    zz = np.concatenate([c.z1, c.z2])
    tanh_prime = np.concatenate([np.diag(c.J("a1", "z1")), np.diag(c.J("a2", "z2"))])
    d1 = (1 - a1 * a1) * (W2.T @ gz2)
    return [
        chain(line(11, r"= \hat{y}_m - y_m ,", gz3, yh - y)),
        chain(line(15, r"(\hat{y}_m - y_m)\,(a_2)_n", c.grad("W3"), outer(yh - y, a2))),
        chain(line(16, r"&= \hat{y}_m - y_m .", c.grad("b3"), yh - y)),
        # tanh'(z) = 1 - tanh^2(z), checked at z = z1 and z = z2
        chain(line(18, r"\tanh'(z) = 1 - \tanh^2(z)", tanh_prime, 1 - np.tanh(zz) ** 2)),
        chain(
            line(20, r"\frac{\partial L}{\partial (z_3)_m}\, (W_3)_{mp}", gz2,
                 ein("m,mp,p->p", gz3, W3, 1 - a2 ** 2)),
            line(21, r"(W_3)_{mp}\, (\hat{y}_m - y_m) , \\", gz2, v2),
        ),
        chain(line(22, r"(\hat{y}_m - y_m)\, (a_1)_q", c.grad("W2"), outer(v2, a1))),
        chain(line(23, r"(W_3)_{mp}\, (\hat{y}_m - y_m) .", c.grad("b2"), v2)),
        chain(line(27, r"(W_2)_{pr} \bigl(1 - (a_1)_r^2\bigr)\, x_s", c.grad("W1"),
                   ein("p,pr,r,s->rs", gz2, W2, 1 - a1 ** 2, x))),
        chain(line(28, r"\delta_{2,p} .", c.grad("b1"), (1 - a1 ** 2) * (W2.T @ gz2))),
        chain(line(30, r"\delta_1 = (1 - a_1 \odot a_1)", c.grad("z1"), d1)),
        chain(line(31, r"\nabla_{W_1} L = \delta_1 x^\top", c.grad("W1"), outer(d1, x))),
    ]


# --------------------------------------------------------------------------
# 07  row convention (CS224n): h = sigmoid(x W1 + b1), theta = h W2 + b2; correct.
#     delta_1 = dJ/dtheta (= dL/dz2), delta_2 = dJ/dz1.  Row vectors are 1-D here.
# --------------------------------------------------------------------------
@proves("07-row-cs224n-sigmoid-correct.tex", unlabelled={7: "definition of delta_1, delta_2"})
def d07(c):
    yh, y, x, h, W1, W2 = c.yhat, c.y, c.x, c.a1, c.W1, c.W2
    d1 = yh - y
    d2 = (d1 @ W2.T) * h * (1 - h)
    return [
        chain(line(10, r"\delta_1 &= \hat{y} - y", c.grad("z2"), d1)),
        chain(line(11, r"h^\top \delta_1", c.grad("W2"), outer(h, d1))),
        chain(line(12, r"&= \delta_1 \\", c.grad("b2"), d1)),
        chain(line(13, r"\delta_1 W_2^\top \\", c.grad("a1"), d1 @ W2.T)),
        chain(
            line(14, r"\circ \sigma'(z_1)", c.grad("z1"), (d1 @ W2.T) * sig(c.z1) * (1 - sig(c.z1))),
            line(15, r"\circ h \circ (1 - h)", c.grad("z1"), d2),
        ),
        chain(line(16, r"x^\top \delta_2", c.grad("W1"), outer(x, d2))),
        chain(line(17, r"&= \delta_2 \\", c.grad("b1"), d2)),
        chain(line(18, r"\delta_2 W_1^\top", c.grad("x"), d2 @ W1.T)),
    ]


# --------------------------------------------------------------------------
# 08  row convention regressor: yhat = tanh(x W1 + b1) W2 + b2, mse.
#     Outer products reversed (k x d1 for a d1 x k gradient, d1 x d for d x d1).
# --------------------------------------------------------------------------
@proves("08-row-tanh-mse-outer-reversed.md")
def d08(c):
    yh, y, x, h, W2 = c.yhat, c.y, c.x, c.a1, c.W2
    e = yh - y
    g = (e @ W2.T) * (1 - h * h)
    return [
        chain(line(5, r"\frac{\partial L}{\partial \hat y} = \hat y - y", c.grad("yhat"), e)),
        chain(line(7, r"= e^\top h", c.grad("W2"), outer(e, h))),          # k x d1, W2 is d1 x k
        chain(line(9, r"= e$$", c.grad("b2"), e)),
        chain(line(11, r"= e\, W_2^\top", c.grad("a1"), e @ W2.T)),
        # tanh' = 1 - tanh^2, at the pre-activation z1
        chain(line(13, r"\tanh' = 1 - \tanh^2", np.diag(c.J("a1", "z1")), 1 - np.tanh(c.z1) ** 2)),
        chain(line(15, r"= g^\top x", c.grad("W1"), outer(g, x))),         # d1 x d, W1 is d x d1
        chain(line(17, r"e W_2^\top \odot (1 - h\odot h)", c.grad("b1"), g)),
    ]


# --------------------------------------------------------------------------
# 09  seed network, seed style; h_1 = a1, h_2 = a2, o = z3.
#     a_1 where a_2 belongs in W_3; sigma' evaluated at the activation h_2.
# --------------------------------------------------------------------------
@proves("09-seed-variant-wrong-layer.txt")
def d09(c):
    yh, y, x, h1, h2, W2, W3, j, k = c.yhat, c.y, c.x, c.a1, c.a2, c.W2, c.W3, c.j, c.k
    E = np.eye(k)
    go = c.grad("z3")
    dh2 = W3.T @ (yh - E[j])                      # author's dL/dh2_p (line 29, correct)
    gW2 = c.grad("W2")
    return [
        chain(
            line(19, r"\frac{\partial \hat{y}_l}{\partial o_m}", go,
                 ein("l,lm->m", c.J("L", "yhat"), c.J("yhat", "z3"))),
            line(20, r"-\frac{1}{\hat{y}_j}\, \hat{y}_j (\delta_{jm} - \hat{y}_m)", go,
                 -1 / yh[j] * yh[j] * (E[j] - yh)),
            line(21, r"&= \hat{y}_m - \delta_{jm}", go, yh - E[j]),
        ),
        # n runs over the d2 columns of W_3; h_1 has d1 > d2 entries, so h_{1_n} is defined but wrong
        chain(line(25, r"(\hat{y}_m - \delta_{jm})\, h_{1_n}", c.grad("W3"), outer(yh - E[j], h1[: c.d2]))),
        chain(line(29, r"(\hat{y}_m - \delta_{jm})\, W_{3_{mp}} \\", c.grad("a2"), dh2)),
        chain(
            # dL/dh2_p sigma'(h2_p) h1_q   (sigma' at the activation, not at the pre-activation)
            line(30, r"\sigma'(h_{2_p})\, h_{1_q}", gW2, outer(dh2 * sig(h2) * (1 - sig(h2)), h1)),
            line(31, r"\sigma(h_{2_p})(1 - \sigma(h_{2_p}))", gW2,
                 ein("m,mp,p,q->pq", yh - E[j], W3, sig(h2) * (1 - sig(h2)), h1)),
        ),
        chain(line(35, r"h_{2_p}(1 - h_{2_p})\, W_{2_{pr}}", c.grad("W1"),
                   ein("p,p,pr,r,s->rs", dh2, h2 * (1 - h2), W2, h1 * (1 - h1), x))),
    ]


# --------------------------------------------------------------------------
# 10  softmax(W1 x + b1), label index c; plain-text notes; correct
# --------------------------------------------------------------------------
@proves("10-softmax-logreg-bias-correct.txt")
def d10(c):
    p, y, x, z, cc, k = c.yhat, c.y, c.x, c.z1, c.j, c.k
    E = np.eye(k)
    gz, gW = c.grad("z1"), c.grad("W1")
    dz_dW = c.J("z1", "W1")                                  # [m, i, t]
    return [
        chain(line(8, r"p_i \delta_{im} - p_i p_m", c.J("yhat", "z1"), ein("i,im->im", p, E) - outer(p, p))),
        chain(
            line(11, r"-\frac{1}{p_c} \frac{\partial p_c}{\partial z_m}", gz, -1 / p[cc] * c.J("yhat", "z1")[cc]),
            line(12, r"p_c \delta_{cm} - p_c p_m", gz, -1 / p[cc] * (p[cc] * E[cc] - p[cc] * p)),
            line(13, r"= p_m - \delta_{cm}", gz, p - E[cc]),
            line(14, r"= p_m - y_m", gz, p - y),
        ),
        chain(
            line(17, r"\frac{\partial z_m}{\partial W_{it}}", gW, ein("m,mit->it", p - y, dz_dW)),
            line(18, r"\delta_{mi}\, x_t", gW, ein("m,mi,t->it", p - y, E, x)),
            line(19, r"= p_i x_t - y_i x_t", gW, outer(p, x) - outer(y, x)),
        ),
        chain(line(22, r"= p_i - y_i", c.grad("b1"), p - y)),
        chain(line(25, r"\nabla_W L = (p - y) x^T", gW, outer(p - y, x))),
        chain(line(26, r"\nabla_b L = p - y", c.grad("b1"), p - y)),
    ]


# --------------------------------------------------------------------------
# 11  logistic regression sigmoid(W1 x + b1), bce; w = W1^T, t = z1.
#     dL/db written as the vector (yhat - y) x.
# --------------------------------------------------------------------------
@proves("11-bce-logreg-bias-vector-for-scalar.md")
def d11(c):
    yh, y, x = c.yhat[0], c.y[0], c.x
    gyh = c.grad("yhat")[0]
    return [
        chain(
            line(9, r"-\frac{y}{\hat y} + \frac{1-y}{1-\hat y}", gyh, -y / yh + (1 - y) / (1 - yh)),
            line(10, r"\frac{\hat y - y}{\hat y(1-\hat y)}", gyh, (yh - y) / (yh * (1 - yh))),
        ),
        chain(line(14, r"\frac{d\hat y}{dt} = \hat y(1-\hat y)", c.J("yhat", "z1")[0, 0], yh * (1 - yh))),
        chain(line(16, r"\frac{\partial L}{\partial t} = \hat y - y", c.grad("z1")[0], yh - y)),
        chain(line(18, r"\partial t/\partial w = x", c.J("z1", "W1")[0, 0], x)),
        chain(line(20, r"\frac{\partial L}{\partial w} = (\hat y - y)\,x", c.grad("W1")[0], (yh - y) * x)),
        chain(line(22, r"\frac{\partial L}{\partial b} = (\hat y - y)\,x", c.grad("b1")[0],
                   Ill("b is a scalar but (yhat - y) x is a vector of length d", x.shape == (c.d,) and c.d > 1))),
    ]


# --------------------------------------------------------------------------
# 12  identity(W2 sigmoid(W1 x + b1) + b2), mse; z = z1, a = a1.  sigma' dropped.
# --------------------------------------------------------------------------
@proves("12-mse-sigmoid-bias-missing-sigma-prime.tex")
def d12(c):
    yh, y, x, a, W2 = c.yhat, c.y, c.x, c.a1, c.W2
    e = yh - y
    gz = c.grad("z1")
    return [
        chain(line(5, r"&= \hat y - y, \\", c.grad("yhat"), e)),
        chain(line(6, r"(\hat y - y)\, a^\top", c.grad("W2"), outer(e, a))),
        chain(line(7, r"&= \hat y - y, \\", c.grad("b2"), e)),
        chain(line(8, r"W_2^\top (\hat y - y).", c.grad("a1"), W2.T @ e)),
        chain(
            # (da/dz) dL/da, denominator layout (da/dz is diagonal)
            line(12, r"\frac{\partial a}{\partial z}\, \frac{\partial L}{\partial a}", gz,
                 c.J("a1", "z1").T @ c.grad("a1")),
            line(13, r"&= W_2^\top (\hat y - y),", gz, W2.T @ e),
        ),
        chain(line(17, r"\left(W_2^\top (\hat y - y)\right) x^\top", c.grad("W1"), outer(W2.T @ e, x),
                   repaired=outer(gz, x), carried_from=13)),
        chain(line(18, r"&= W_2^\top (\hat y - y).", c.grad("b1"), W2.T @ e, repaired=gz, carried_from=13)),
    ]


# --------------------------------------------------------------------------
# 13  identity(W3 relu(W2 relu(W1 x))), mse; W_{3,mn} notation; correct
#     u_l = z_l, h_l = a_l, 1_p = 1[u_{2,p} > 0], 1_r = 1[u_{1,r} > 0]
# --------------------------------------------------------------------------
@proves("13-relu3-mse-comma-index-correct.tex")
def d13(c):
    yh, y, x, h1, h2, W2, W3 = c.yhat, c.y, c.x, c.a1, c.a2, c.W2, c.W3
    e = yh - y
    i2, i1 = ind(c.z2), ind(c.z1)
    gh2 = W3.T @ e
    gW1 = c.grad("W1")
    return [
        chain(line(5, r"&= \hat{y}_m - y_m \\", c.grad("yhat"), e)),
        chain(
            line(6, r"\frac{\partial \hat{y}_i}{\partial W_{3,mn}}", c.grad("W3"), ein("i,imn->mn", e, c.J("yhat", "W3"))),
            line(7, r"(\hat{y}_m - y_m)\, h_{2,n}", c.grad("W3"), outer(e, h2)),
        ),
        chain(line(8, r"(\hat{y}_m - y_m)\, W_{3,mp} \\", c.grad("a2"), gh2)),
        chain(line(9, r"\mathbb{1}_{p}\, h_{1,q}", c.grad("W2"), ein("m,mp,p,q->pq", e, W3, i2, h1))),
        chain(line(10, r"\mathbb{1}_{p}\, W_{2,pr} \\", c.grad("a1"), ein("m,mp,p,pr->r", e, W3, i2, W2))),
        chain(
            line(11, r"\mathbb{1}_{r}\, x_s \\", gW1, ein("m,mp,p,pr,r,s->rs", e, W3, i2, W2, i1, x)),
            line(12, r"\frac{\partial L}{\partial h_{2,p}}", gW1, ein("r,s,p,pr,p->rs", i1, x, i2, W2, c.grad("a2"))),
        ),
    ]


# --------------------------------------------------------------------------
# 14  sigmoid(W3 relu(W2 relu(W1 x + b1) + b2) + b3), bce; v = W3^T, c = b3, s = z3.
#     x where a_1 belongs; relu' of the wrong layer in delta_1.
# --------------------------------------------------------------------------
@proves("14-bce-relu3-wrong-layer.tex", unlabelled={8: "definition of delta_l"})
def d14(c):
    yh, y, x, a1, a2, W2 = c.yhat[0], c.y[0], c.x, c.a1, c.a2, c.W2
    v = c.W3[0]
    d2 = (yh - y) * v * ind(c.z2)
    d1_true = (W2.T @ d2) * ind(c.z1)
    bad_d1 = Ill("W_2^T delta_2 has d1 entries, 1[z_2 > 0] has d2", W2.shape[1] != c.z2.shape[0], key="z2 mask")
    return [
        chain(line(10, r"\frac{\partial L}{\partial s} &= \hat y - y", c.grad("z3")[0], yh - y)),
        chain(line(11, r"(\hat y - y)\, a_2", c.grad("W3")[0], (yh - y) * a2)),
        chain(line(12, r"\frac{\partial L}{\partial c} &= \hat y - y", c.grad("b3")[0], yh - y)),
        chain(line(13, r"v \odot \mathbb{1}[z_2 > 0]", c.grad("z2"), d2)),
        chain(line(14, r"\delta_2\, x^\top", c.grad("W2"), outer(d2, x))),       # d2 x d, W2 is d2 x d1
        chain(line(15, r"&= \delta_2 \\", c.grad("b2"), d2)),
        chain(line(16, r"\odot \mathbb{1}[z_2 > 0]", c.grad("z1"), bad_d1)),
        chain(line(17, r"\delta_1\, x^\top", c.grad("W1"), bad_d1, repaired=outer(d1_true, x), carried_from=16)),
        chain(line(18, r"&= \delta_1", c.grad("b1"), bad_d1, repaired=d1_true, carried_from=16)),
    ]


# --------------------------------------------------------------------------
# 15  softmax(W2 tanh(W1 x)); tanh' written as h(1 - h) (the sigmoid formula)
# --------------------------------------------------------------------------
@proves("15-tanh-derivative-written-as-sigmoid.txt")
def d15(c):
    yh, y, x, h, W1, W2 = c.yhat, c.y, c.x, c.a1, c.W1, c.W2
    e = yh - y
    wrong = (W2.T @ e) * h * (1 - h)
    right = (W2.T @ e) * (1 - h * h)
    gz1 = c.grad("z1")
    return [
        chain(line(5, r"\frac{\partial L}{\partial (W_2 h)} = \hat{y} - y", c.grad("z2"), e)),
        chain(line(6, r"(\hat{y} - y) h^\top", c.grad("W2"), outer(e, h))),
        chain(line(9, r"\text{diag}(h \odot (1 - h))", c.J("a1", "z1"), np.diag(h * (1 - h)))),
        chain(
            line(11, r"\text{diag}(h \odot (1 - h))\, W_2^\top", gz1, np.diag(h * (1 - h)) @ W2.T @ e,
                 repaired=np.diag(1 - h * h) @ W2.T @ e, carried_from=9),
            line(12, r"\odot h \odot (1 - h)", gz1, wrong),
        ),
        chain(line(13, r"\right] x^\top", c.grad("W1"), outer(wrong, x), repaired=outer(right, x), carried_from=12)),
        chain(line(14, r"= W_1^\top \left[", c.grad("x"), W1.T @ wrong, repaired=W1.T @ right, carried_from=12)),
    ]


# --------------------------------------------------------------------------
# 16  seed network, unicode-only math; correct
# --------------------------------------------------------------------------
@proves("16-unicode-seed-net-correct.md")
def d16(c):
    yh, y, x, a1, a2, W2, W3, j, k = c.yhat, c.y, c.x, c.a1, c.a2, c.W2, c.W3, c.j, c.k
    E = np.eye(k)
    d3 = yh - y
    d2 = (W3.T @ d3) * a2 * (1 - a2)
    d1 = (W2.T @ d2) * a1 * (1 - a1)
    gz3 = c.grad("z3")
    Jsm = ein("i,im->im", yh, E - yh[None, :])              # yhat_i (delta_im - yhat_m)
    return [
        chain(line(7, "= −yᵢ/ŷᵢ", c.grad("yhat"), -y / yh)),
        chain(line(8, "= ŷᵢ(δᵢₘ − ŷₘ)", c.J("yhat", "z3"), Jsm)),
        chain(
            line(9, "Σᵢ (−yᵢ/ŷᵢ) ŷᵢ(δᵢₘ − ŷₘ)", gz3, ein("i,im->m", -y / yh, Jsm)),
            line(10, "= −(δⱼₘ − ŷₘ)", gz3, -(E[j] - yh)),
            line(11, "= ŷₘ − yₘ", gz3, yh - y),
        ),
        chain(line(15, "δ₃ = ŷ − y", gz3, d3)),
        chain(line(17, "δ₃ a₂ᵀ", c.grad("W3"), outer(d3, a2))),
        chain(line(19, "(W₃ᵀδ₃) ⊙ a₂ ⊙ (1 − a₂)", c.grad("z2"), d2)),
        chain(line(21, "δ₂ a₁ᵀ", c.grad("W2"), outer(d2, a1))),
        chain(line(23, "(W₂ᵀδ₂) ⊙ a₁ ⊙ (1 − a₁)", c.grad("z1"), d1)),
        chain(line(25, "δ₁ xᵀ", c.grad("W1"), outer(d1, x))),
    ]


# --------------------------------------------------------------------------
# 17  sigmoid(W2 tanh(W1 x + b1) + b2), bce, unicode; w = W2^T, c = b2, u = z2.
#     Extra factor yhat(1 - yhat) in dL/du (lines 7-9); the hidden layer is right.
# --------------------------------------------------------------------------
@proves("17-unicode-bce-tanh-extra-sigmoid-factor.md")
def d17(c):
    yh, y, x, h = c.yhat[0], c.y[0], c.x, c.a1
    w = c.W2[0]
    s = yh * (1 - yh)
    bad = (yh - y) * s
    return [
        chain(line(5, "= (ŷ − y) / (ŷ(1 − ŷ))", c.grad("yhat")[0], (yh - y) / s)),
        chain(line(6, "∂ŷ/∂u = ŷ(1 − ŷ)", c.J("yhat", "z2")[0, 0], s)),
        chain(line(7, "= (ŷ − y) · ŷ(1 − ŷ)", c.grad("z2")[0], bad)),
        chain(line(8, "= (ŷ − y) ŷ(1 − ŷ) h", c.grad("W2")[0], bad * h, repaired=(yh - y) * h, carried_from=7)),
        chain(line(9, "= (ŷ − y) ŷ(1 − ŷ)", c.grad("b2")[0], bad, repaired=yh - y, carried_from=7)),
        chain(line(10, "= (ŷ − y) w", c.grad("a1"), (yh - y) * w)),
        chain(line(11, "= (ŷ − y) (1 − h ⊙ h) ⊙ w", c.grad("b1"), (yh - y) * (1 - h * h) * w)),
        chain(line(12, "⊙ w] xᵀ", c.grad("W1"), outer((yh - y) * (1 - h * h) * w, x))),
        # tanh'(t) = 1 - tanh^2(t), checked at t = z1
        chain(line(14, "tanh′(t) = 1 − tanh²(t)", np.diag(c.J("a1", "z1")), 1 - np.tanh(c.z1) ** 2)),
    ]


# --------------------------------------------------------------------------
# 18  identity(W2 relu(W1 x + b1) + b2), mse, unicode; W₂ₙₘ with n over d1 rows
# --------------------------------------------------------------------------
@proves("18-unicode-relu-mse-swapped-index.md")
def d18(c):
    yh, y, h, z, W2 = c.yhat, c.y, c.a1, c.z1, c.W2
    e = yh - y
    swapped = lambda: Ill("W₂ₙₘ: n runs over d1 = 5 but W₂ has k = 3 rows", W2.shape[0] < c.d1, key="W2_nm")
    return [
        chain(line(4, "= ŷₘ − yₘ", c.grad("yhat"), e)),
        chain(line(6, "= eₘ hₙ", c.grad("W2"), outer(e, h))),
        chain(line(8, "= eₘ", c.grad("b2"), e)),
        chain(line(10, "= Σₘ eₘ W₂ₘₙ", c.grad("a1"), ein("m,mn->n", e, W2))),
        chain(line(12, "= 𝟙[zₙ > 0] Σₘ eₘ W₂ₘₙ", c.grad("z1"), ind(z) * ein("m,mn->n", e, W2))),
        chain(line(14, "W₂ₙₘ xₛ", c.grad("W1"), swapped())),
        chain(line(16, "Σₘ eₘ W₂ₙₘ", c.grad("b1"), swapped())),
    ]


# --------------------------------------------------------------------------
# 19  softmax(W2 sigmoid(W1 x)); Jacobians with \text{diag}; correct
# --------------------------------------------------------------------------
@proves("19-two-layer-sigmoid-diag-jacobians-correct.tex")
def d19(c):
    yh, y, x, a1, W2 = c.yhat, c.y, c.x, c.a1, c.W2
    Jsm = np.diag(yh) - outer(yh, yh)
    gz2, gz1 = c.grad("z2"), c.grad("z1")
    S = np.diag(a1 * (1 - a1))
    return [
        chain(line(10, r"\text{diag}(\hat{y}) - \hat{y}\hat{y}^\top", c.J("yhat", "z2"), Jsm)),
        chain(line(11, r"\text{diag}\bigl(\sigma(z_1)", c.J("a1", "z1"), np.diag(sig(c.z1) * (1 - sig(c.z1))))),
        chain(line(13, r"\nabla_{\hat{y}} L = -y \oslash \hat{y}", c.grad("yhat"), -y / yh)),
        chain(
            line(15, r"\Bigr)^{\!\top} \nabla_{\hat{y}} L", gz2, c.J("yhat", "z2").T @ c.grad("yhat")),
            line(16, r"(-y \oslash \hat{y}) \\", gz2, Jsm @ (-y / yh)),
            line(17, r"-y + \hat{y}\,(\mathbf{1}^\top y)", gz2, -y + yh * y.sum()),
            line(18, r"&= \hat{y} - y,", gz2, yh - y),
        ),
        chain(line(22, r"(\hat{y} - y)\, a_1^\top", c.grad("W2"), outer(yh - y, a1))),
        chain(line(23, r"W_2^\top (\hat{y} - y), \\", c.grad("a1"), W2.T @ (yh - y))),
        chain(
            line(24, r"\Bigl(\frac{\partial a_1}{\partial z_1}\Bigr)^{\!\top}", gz1, c.J("a1", "z1").T @ W2.T @ (yh - y)),
            line(25, r"\bigr)\, W_2^\top (\hat{y} - y), \\", gz1, S @ W2.T @ (yh - y)),
        ),
        chain(line(26, r"(\hat{y} - y)\, x^\top", c.grad("W1"), outer(S @ W2.T @ (yh - y), x))),
    ]


# --------------------------------------------------------------------------
# 20  seed network in numerator layout (declared): dL/dv is a row vector and
#     dL/dW has the shape of W^T, so truth = gradient^T for matrices.  Correct.
# --------------------------------------------------------------------------
@proves("20-seed-net-numerator-layout-correct.tex")
def d20(c):
    yh, y, x, a1, a2, W2, W3 = c.yhat, c.y, c.x, c.a1, c.a2, c.W2, c.W3
    gz3, gz2, gz1 = c.grad("z3"), c.grad("z2"), c.grad("z1")
    Jsm = np.diag(yh) - outer(yh, yh)
    r2 = (yh - y) @ W3 @ np.diag(a2 * (1 - a2))       # row vector dL/dz2 (author)
    r1 = r2 @ W2 @ np.diag(a1 * (1 - a1))
    return [
        chain(
            line(5, r"\frac{\partial L}{\partial \hat y}\frac{\partial \hat y}{\partial z_3}", gz3,
                 c.grad("yhat") @ c.J("yhat", "z3")),
            line(6, r"-(y \oslash \hat y)^\top", gz3, -(y / yh) @ Jsm),
            line(7, r"&= (\hat y - y)^\top, \\", gz3, yh - y),
        ),
        chain(line(8, r"a_2 (\hat y - y)^\top", c.grad("W3").T, outer(a2, yh - y))),
        chain(line(9, r"(\hat y - y)^\top W_3\, \mathrm{diag}", gz2, r2)),
        chain(line(10, r"a_1 \frac{\partial L}{\partial z_2}", c.grad("W2").T, outer(a1, gz2))),
        chain(line(11, r"\frac{\partial L}{\partial z_2} W_2\, \mathrm{diag}", gz1, gz2 @ W2 @ np.diag(a1 * (1 - a1)))),
        chain(line(12, r"x \frac{\partial L}{\partial z_1}", c.grad("W1").T, outer(x, gz1))),
        # explicitly denominator layout
        chain(line(14, r"\nabla_{W_3} L = (\hat y - y) a_2^\top", c.grad("W3"), outer(yh - y, a2))),
    ]


# --------------------------------------------------------------------------
# 21  softmax(W2 relu(W1 x + b1) + b2); softmax Jacobian taken as diag(yhat(1-yhat)).
#     Line 23 also drops the ReLU mask (a new error on top of the carried one).
# --------------------------------------------------------------------------
@proves("21-softmax-jacobian-treated-elementwise.tex")
def d21(c):
    yh, y, x, h, W2 = c.yhat, c.y, c.x, c.a1, c.W2
    gz2 = c.grad("z2")
    Jbad = np.diag(yh * (1 - yh))
    g = yh * y - y                                      # author's dL/dz2
    mask = ind(c.z1)
    return [
        chain(line(6, r"\mathrm{diag}\bigl(\hat y \odot (1 - \hat y)\bigr).", c.J("yhat", "z2"), Jbad)),
        chain(
            line(10, r"\Bigr)^{\top} \frac{\partial L}{\partial \hat y}", gz2, c.J("yhat", "z2").T @ c.grad("yhat")),
            line(11, r"\Bigl(-\frac{y}{\hat y}\Bigr)", gz2, Jbad @ (-y / yh),
                 repaired=c.J("yhat", "z2").T @ (-y / yh), carried_from=6),
            line(12, r"&= -y \odot (1 - \hat y)", gz2, -y * (1 - yh)),
            line(13, r"&= \hat y \odot y - y ,", gz2, g),
        ),
        chain(line(17, r"(\hat y \odot y - y)\, h^\top", c.grad("W2"), outer(g, h), repaired=outer(gz2, h), carried_from=13)),
        chain(line(18, r"&= \hat y \odot y - y ,", c.grad("b2"), g, repaired=gz2, carried_from=13)),
        chain(line(19, r"W_2^\top (\hat y \odot y - y) .", c.grad("a1"), W2.T @ g, repaired=W2.T @ gz2, carried_from=13)),
        # even with the right dL/dz2 the ReLU mask is missing
        chain(line(23, r"\bigl(W_2^\top (\hat y \odot y - y)\bigr)\, x^\top", c.grad("W1"), outer(W2.T @ g, x),
                   repaired=outer(W2.T @ gz2, x), carried_from=13)),
    ]


# --------------------------------------------------------------------------
# 22  softmax(W3 tanh(W2 tanh(W1 x + b1) + b2) + b3); W_{3_{pm}} (p over d2 > k rows)
# --------------------------------------------------------------------------
@proves("22-tanh3-bias-swapped-w3-index.txt")
def d22(c):
    yh, y, x, a1, a2, W2, W3 = c.yhat, c.y, c.x, c.a1, c.a2, c.W2, c.W3
    e = yh - y
    bad = lambda: Ill("W_{3_{pm}}: p runs over d2 = 4 but W_3 has k = 3 rows", W3.shape[0] < c.d2, key="W3_pm")
    ga2 = c.grad("a2")
    return [
        chain(line(5, r"= \hat{y}_m - y_m .", c.grad("z3"), e)),
        chain(line(8, r"(\hat{y}_m - y_m) a_{2_n}", c.grad("W3"), outer(e, a2))),
        chain(line(9, r"= \hat{y}_m - y_m", c.grad("b3"), e)),
        chain(line(12, r"(\hat{y}_m - y_m) W_{3_{pm}}", ga2, bad())),
        chain(line(13, r"W_{3_{pm}} (1 - a_{2_p}^2) a_{1_q}", c.grad("W2"), bad(),
                   repaired=outer(ga2 * (1 - a2 ** 2), a1), carried_from=12)),
        chain(line(14, r"= (1 - a_{2_p}^2) \sum", c.grad("b2"), bad(), repaired=(1 - a2 ** 2) * ga2, carried_from=12)),
        chain(line(17, r"\frac{\partial L}{\partial a_{2_p}} (1 - a_{2_p}^2)", c.grad("W1"), bad(),
                   repaired=ein("p,p,pr,r,s->rs", ga2, 1 - a2 ** 2, W2, 1 - a1 ** 2, x), carried_from=12)),
    ]


# --------------------------------------------------------------------------
# 23  softmax(W2 relu(W1 x + b1) + b2); relu' written as h (the activation)
# --------------------------------------------------------------------------
@proves("23-relu-derivative-as-activation.md")
def d23(c):
    p, x, h, W2, j, k = c.yhat, c.x, c.a1, c.W2, c.j, c.k
    ej = np.eye(k)[j]
    up = W2.T @ (p - ej)
    true_z1 = ind(c.z1) * up
    return [
        chain(line(7, r"\frac{\partial L}{\partial z_2} = p - e_j", c.grad("z2"), p - ej)),
        chain(line(8, r"(p - e_j)\, h^\top", c.grad("W2"), outer(p - ej, h))),
        chain(line(9, r"\frac{\partial L}{\partial b_2} = p - e_j", c.grad("b2"), p - ej)),
        chain(line(10, r"= W_2^\top (p - e_j)", c.grad("a1"), up)),
        chain(line(11, r"\mathrm{diag}(h)", c.J("a1", "z1"), np.diag(h))),
        chain(line(12, r"\frac{\partial L}{\partial z_1} = h \odot", c.grad("z1"), h * up,
                   repaired=np.diag(c.J("a1", "z1")) * up, carried_from=11)),
        chain(line(13, r"\right) x^\top", c.grad("W1"), outer(h * up, x), repaired=outer(true_z1, x), carried_from=12)),
        chain(line(14, r"\frac{\partial L}{\partial b_1} = h \odot", c.grad("b1"), h * up, repaired=true_z1, carried_from=12)),
    ]


# --------------------------------------------------------------------------
# 24  linear regression, mse = 1/2 ||.||^2; factor 2 from forgetting the 1/2;
#     W (yhat - y) instead of W^T (yhat - y).
# --------------------------------------------------------------------------
@proves("24-linreg-mse-factor-two.tex", unlabelled={4: "problem statement"})
def d24(c):
    yh, y, x, W = c.yhat, c.y, c.x, c.W1
    gW = c.grad("W1")
    return [
        chain(line(12, r"= 2(\hat y_i - y_i)", c.grad("yhat"), 2 * (yh - y))),
        chain(
            line(16, r"\frac{\partial L}{\partial \hat y_i}\, x_t", gW, outer(c.grad("yhat"), x)),
            line(17, r"2(\hat y_i - y_i)\, x_t", gW, 2 * outer(yh - y, x), repaired=outer(yh - y, x), carried_from=12),
        ),
        chain(line(19, r"\nabla_W L = 2(Wx - y)\,x^\top", gW, 2 * outer(W @ x - y, x), repaired=outer(W @ x - y, x),
                   carried_from=17)),
        chain(line(21, r"\nabla_x L = W (\hat y - y).", c.grad("x"),
                   Ill("W is k x d and yhat - y has k entries: W (yhat - y) needs d == k", W.shape[1] != (yh - y).shape[0]))),
    ]


# --------------------------------------------------------------------------
# 25  softmax(W3 sigmoid(W2 sigmoid(W1 x + b1) + b2) + b3); generic-l formulas
#     (checked for every l they are claimed for, concatenated); correct
# --------------------------------------------------------------------------
@proves("25-ta-solution-sigmoid3-bias-correct.tex", unlabelled={3: "definition of delta^(l)"})
def d25(c):
    yh, y, x, a1, a2, W2, W3 = c.yhat, c.y, c.x, c.a1, c.a2, c.W2, c.W3
    cat = lambda *arrs: np.concatenate([np.ravel(a) for a in arrs])
    d3 = yh - y
    d2 = (W3.T @ d3) * (sig(c.z2) * (1 - sig(c.z2)))
    d1 = (W2.T @ d2) * (sig(c.z1) * (1 - sig(c.z1)))
    return [
        chain(line(7, r"\delta^{(3)} = \hat{y} - y", c.grad("z3"), d3)),
        # l = 2, 1
        chain(line(11, r"\odot \sigma'\bigl(z^{(l)}\bigr)", cat(c.grad("z2"), c.grad("z1")), cat(d2, d1))),
        # sigma'(z^(l)) = a^(l)(1 - a^(l)), l = 1, 2
        chain(line(13, r"\sigma'(z^{(l)}) = a^{(l)} \odot (1 - a^{(l)})",
                   cat(np.diag(c.J("a1", "z1")), np.diag(c.J("a2", "z2"))), cat(a1 * (1 - a1), a2 * (1 - a2)))),
        # l = 1, 2, 3
        chain(line(16, r"= \delta^{(l)} \bigl(a^{(l-1)}\bigr)^{\top}", cat(c.grad("W1"), c.grad("W2"), c.grad("W3")),
                   cat(outer(d1, x), outer(d2, a1), outer(d3, a2)))),
        chain(line(17, r"= \delta^{(l)} .", cat(c.grad("b1"), c.grad("b2"), c.grad("b3")), cat(d1, d2, d3))),
        chain(line(21, r"\odot a^{(1)} \odot (1 - a^{(1)}) \Bigr] x^{\top}", c.grad("W1"),
                   outer((W2.T @ ((W3.T @ (yh - y)) * a2 * (1 - a2))) * a1 * (1 - a1), x))),
    ]


# --------------------------------------------------------------------------
# 26  identity(W2 relu(W1 x + b1) + b2), mse; u = z1, h = a1, o = yhat; correct
# --------------------------------------------------------------------------
@proves("26-engineer-notes-relu-mse-correct.md")
def d26(c):
    o, y, x, h, u, W1, W2, b2 = c.yhat, c.y, c.x, c.a1, c.z1, c.W1, c.W2, c.b2
    gu = (W2.T @ (o - y)) * ind(u)
    return [
        chain(line(9, r"\frac{\partial L}{\partial o} = o - y", c.grad("yhat"), o - y)),
        chain(line(11, r"(W_2 h + b_2 - y)\, h^\top", c.grad("W2"), outer(W2 @ h + b2 - y, h))),
        chain(line(13, r"\frac{\partial L}{\partial b_2} = o - y", c.grad("b2"), o - y)),
        chain(line(15, r"\odot \mathbb{1}[u > 0]$$", c.grad("z1"), gu)),
        chain(line(17, r"\operatorname{diag}(\mathbb{1}[u > 0])", c.grad("W1"), outer(np.diag(ind(u)) @ W2.T @ (o - y), x))),
        chain(line(19, r"\mathbb{1}[h > 0] \odot W_2^\top (o - y)", c.grad("b1"), ind(h) * (W2.T @ (o - y)))),
        chain(line(21, r"= W_1^\top \Bigl(", c.grad("x"), W1.T @ gu)),
    ]


# --------------------------------------------------------------------------
# 27  seed network, seed style; last step drops the hat: (y_m - delta_jm) a2_n
# --------------------------------------------------------------------------
@proves("27-seed-variant-dropped-hat.txt", unlabelled={20: "Kronecker delta / definition of e"})
def d27(c):
    yh, y, x, a1, a2, W2, W3, j, k = c.yhat, c.y, c.x, c.a1, c.a2, c.W2, c.W3, c.j, c.k
    E = np.eye(k)
    gW3 = c.grad("W3")
    dyh_dW3 = c.J("yhat", "W3")                                 # [l, m, n]
    e = yh - y
    g2 = (W3.T @ e) * a2 * (1 - a2)
    return [
        chain(
            line(14, r"\frac{\partial \hat{y}_{l}}{\partial W_{3_{mn}}} \\", gW3, ein("l,lmn->mn", c.grad("yhat"), dyh_dW3)),
            line(15, r"\left(-\frac{y_{l}}{\hat{y}_{l}}\right)", gW3, ein("l,lmn->mn", -y / yh, dyh_dW3)),
            line(16, r"-\frac{1}{\hat{y}_{j}} \frac{\partial \hat{y}_{j}}", gW3, -1 / yh[j] * dyh_dW3[j]),
            line(17, r"(\delta_{jm} - \hat{y}_{m})\, a_{2_n}", gW3, -1 / yh[j] * yh[j] * outer(E[j] - yh, a2)),
            line(18, r"(y_{m} - \delta_{jm})\, a_{2_n}", gW3, outer(y - E[j], a2)),
        ),
        chain(line(22, r"\bigr)\, a_1^\top", c.grad("W2"), outer(g2, a1))),
        chain(line(23, r"\Bigr)\, x^\top", c.grad("W1"), outer((W2.T @ g2) * a1 * (1 - a1), x))),
    ]


# --------------------------------------------------------------------------
# 28  softmax(W3 relu(W2 tanh(W1 x + b1) + b2) + b3); h = a1, g = a2, o = z3,
#     p = yhat, label index t; Iverson brackets; correct
# --------------------------------------------------------------------------
@proves("28-mixed-tanh-relu-iverson-correct.tex")
def d28(c):
    p, x, h, g, W2, W3, t, k = c.yhat, c.x, c.a1, c.a2, c.W2, c.W3, c.j, c.k
    et = np.eye(k)[t]
    pre2 = W2 @ h + c.b2
    g2 = ind(pre2) * (W3.T @ (p - et))
    gh = W2.T @ g2
    return [
        chain(line(5, r"&= p - e_t, \\", c.grad("z3"), p - et)),
        chain(line(6, r"(p - e_t)\, g^\top", c.grad("W3"), outer(p - et, g))),
        chain(line(7, r"&= p - e_t, \\", c.grad("b3"), p - et)),
        chain(line(8, r"&= W_3^\top (p - e_t), \\", c.grad("a2"), W3.T @ (p - et))),
        chain(line(9, r"&= \mathbb{1}[W_2 h + b_2 > 0] \odot", c.grad("z2"), g2)),
        chain(line(10, r"\Bigr) h^\top", c.grad("W2"), outer(g2, h))),
        chain(line(11, r"&= W_2^\top \Bigl(", c.grad("a1"), gh)),
        # dL/dh here is the true gradient (symbolic)
        chain(line(12, r"\Bigr) x^\top", c.grad("W1"), outer((1 - h * h) * c.grad("a1"), x))),
        chain(line(13, r"(1 - h \odot h) \odot \frac{\partial L}{\partial h}.", c.grad("b1"), (1 - h * h) * c.grad("a1"))),
        chain(line(17, r"\bigl(p_m - [m = t]\bigr)", c.grad("W1"),
                   ein("r,s,qr,q,mq,m->rs", 1 - h ** 2, x, W2, ind(g), W3, p - et))),
    ]


# --------------------------------------------------------------------------
# 29  row convention: softmax(relu(x W1 + b1) W2 + b2); g W2 instead of g W2^T
# --------------------------------------------------------------------------
@proves("29-row-relu-softmax-missing-transpose.txt", unlabelled={4: "definition of z and g"})
def d29(c):
    yh, y, x, h, z, W1, W2 = c.yhat, c.y, c.x, c.a1, c.z1, c.W1, c.W2
    g = yh - y
    bad = lambda: Ill("g is 1 x C and W2 is H x C: g W2 needs C == H", W2.shape[0] != g.shape[0], key="g W2")
    gz_true = (g @ W2.T) * ind(z)
    return [
        chain(line(6, r"g = \hat{y} - y", c.grad("z2"), g)),
        chain(line(7, r"= h^T g", c.grad("W2"), outer(h, g))),
        chain(line(8, r"\partial J/\partial b2 = g", c.grad("b2"), g)),
        chain(line(9, r"\partial J/\partial h = g W2", c.grad("a1"), bad())),
        chain(line(10, r"\partial J/\partial z = (g W2)", c.grad("z1"), bad(), repaired=gz_true, carried_from=9)),
        chain(line(11, r"= x^T ((g W2)", c.grad("W1"), bad(), repaired=outer(x, gz_true), carried_from=10)),
        chain(line(12, r"\partial J/\partial b1 = (g W2)", c.grad("b1"), bad(), repaired=gz_true, carried_from=10)),
        chain(line(13, r"1\{z > 0\}) W1^T", c.grad("x"), bad(), repaired=gz_true @ W1.T, carried_from=10)),
    ]


# --------------------------------------------------------------------------
# 30  logistic regression sigmoid(W1 x + b1), bce; theta = W1^T, theta_0 = b1,
#     s = z1; sigmoid log-derivative facts; unsimplified steps; correct
# --------------------------------------------------------------------------
@proves("30-logreg-bce-unsimplified-correct.tex")
def d30(c):
    yh, y, x, s = c.yhat[0], c.y[0], c.x, c.z1[0]
    theta = c.W1[0]
    dyh_ds = c.J("yhat", "z1")[0, 0]
    gth = c.grad("W1")[0]
    gs = c.grad("z1")[0]
    return [
        # d/ds log sigma(s) = (1/sigma) dsigma/ds, evaluated at s = z1
        chain(line(7, r"&= 1 - \sigma(s), \\", dyh_ds / yh, 1 - sig(s))),
        chain(line(8, r"&= -\sigma(s).", -dyh_ds / (1 - yh), -sig(s))),
        chain(
            line(12, r"-y\bigl(1 - \sigma(s)\bigr) + (1 - y)\,\sigma(s)", gs, -y * (1 - sig(s)) + (1 - y) * sig(s)),
            line(13, r"&= \sigma(s) - y .", gs, sig(s) - y),
        ),
        chain(line(15, r"\partial s / \partial \theta_t = x_t", c.J("z1", "W1")[0, 0], x)),
        chain(
            line(17, r"\frac{\partial s}{\partial \theta_t} \\", gth,
                 c.grad("yhat")[0] * dyh_ds * c.J("z1", "W1")[0, 0]),
            line(18, r"\hat y(1-\hat y)\,x_t \\", gth, (-y / yh + (1 - y) / (1 - yh)) * yh * (1 - yh) * x),
            line(19, r"-y + y\hat y + \hat y - y\hat y", gth, (-y + y * yh + yh - y * yh) * x),
            line(20, r"&= (\hat y - y)\,x_t , \\", gth, (yh - y) * x),
        ),
        chain(line(21, r"&= \hat y - y , \\", c.grad("b1")[0], yh - y)),
        chain(line(22, r"(\hat y - y)\,\theta .", c.grad("x"), (yh - y) * theta)),
    ]


# --------------------------------------------------------------------------
# 31  identity(W2 sigmoid(W1 x + b1) + b2), mse; V = W2, c = b2, W = W1, b = b1.
#     dL/da_r drops the sum over the outputs i (i left free on the right).
# --------------------------------------------------------------------------
@proves("31-mse-sigmoid-missing-sum-over-outputs.tex")
def d31(c):
    yh, y, x, a, V = c.yhat, c.y, c.x, c.a1, c.W2
    e = yh - y
    free_i = lambda: Ill("index i is free on the right-hand side but absent on the left (sum over the k outputs dropped)",
                         c.k > 1, key="free i")
    ga = c.grad("a1")
    return [
        chain(line(4, r"(\hat y_i - y_i)\, a_r \\", c.grad("W2"), outer(e, a))),
        chain(line(5, r"&= \hat y_i - y_i \\", c.grad("b2"), e)),
        chain(line(6, r"(\hat y_i - y_i)\, V_{ir} \\", ga, free_i())),
        chain(line(7, r"a_r (1 - a_r)\, x_t \\", c.grad("W1"), free_i(), repaired=outer(ga * a * (1 - a), x), carried_from=6)),
        chain(line(8, r"V_{ir}\, a_r (1 - a_r)", c.grad("b1"), free_i(), repaired=ga * a * (1 - a), carried_from=6)),
        chain(line(12, r"(\hat y - y)\, a^\top", c.grad("W2"), outer(e, a))),
        chain(line(13, r"\odot a \odot (1 - a)\bigr)\, x^\top", c.grad("W1"), outer((V.T @ e) * a * (1 - a), x))),
    ]


# --------------------------------------------------------------------------
# 32  softmax(W2 tanh(W1 x)); s = z1, h = a1, z = z2.  Elementwise product where
#     an outer product is needed (lengths differ, so ill-formed).
# --------------------------------------------------------------------------
@proves("32-softmax-tanh-elementwise-for-outer.tex")
def d32(c):
    yh, y, x, h, W2 = c.yhat, c.y, c.x, c.a1, c.W2
    gs = c.grad("z1")
    return [
        chain(line(3, r"\frac{\partial L}{\partial z} = \hat y - y", c.grad("z2"), yh - y)),
        chain(line(4, r"(\hat y - y) \odot h", c.grad("W2"),
                   Ill("yhat - y has k entries and h has d1: no elementwise product", c.k != c.d1))),
        chain(line(5, r"= W_2^\top (\hat y - y)$", c.grad("a1"), W2.T @ (yh - y))),
        chain(line(6, r"\odot (1 - h^2)", gs, (W2.T @ (yh - y)) * (1 - h ** 2))),
        chain(line(7, r"\frac{\partial L}{\partial s} \odot x", c.grad("W1"),
                   Ill("dL/ds has d1 entries and x has d: no elementwise product", c.d1 != c.d))),
        chain(line(9, r"\frac{\partial L}{\partial s_r}\, x_s", c.grad("W1"), outer(gs, x))),
    ]


# --------------------------------------------------------------------------
# 33  softmax(W2 identity(W1 x + b1) + b2): linear projection u = z1 = a1; correct
# --------------------------------------------------------------------------
@proves("33-linear-projection-softmax-correct.md")
def d33(c):
    p, y, x, u, W1, W2, j, k = c.yhat, c.y, c.x, c.a1, c.W1, c.W2, c.j, c.k
    iv = (np.arange(k) == j).astype(float)                    # 1{i = j}
    return [
        chain(line(7, r"p_i - \mathbb{1}\{i = j\}", c.grad("z2"), p - iv)),
        chain(line(8, r"(p - y)\,u^\top", c.grad("W2"), outer(p - y, u))),
        chain(line(9, r"= p - y$", c.grad("b2"), p - y)),
        chain(line(10, r"= W_2^\top (p - y)$", c.grad("a1"), W2.T @ (p - y))),
        chain(line(11, r"W_2^\top (p - y)\, x^\top", c.grad("W1"), outer(W2.T @ (p - y), x))),
        chain(line(12, r"= W_2^\top (p - y)$", c.grad("b1"), W2.T @ (p - y))),
        chain(line(13, r"W_1^\top W_2^\top (p - y)", c.grad("x"), W1.T @ W2.T @ (p - y))),
        chain(line(15, r"(W_2 W_1)^\top (p - y)", c.grad("x"), (W2 @ W1).T @ (p - y))),
    ]


# --------------------------------------------------------------------------
# 34  sigmoid(W3 relu(W2 relu(W1 x + b1) + b2) + b3), bce; w = W3^T, c = b3;
#     superscript layer indices, Iverson brackets; correct
# --------------------------------------------------------------------------
@proves("34-bce-relu3-superscript-index-correct.tex")
def d34(c):
    yh, y, x, a1, a2, z1, z2, W2 = c.yhat[0], c.y[0], c.x, c.a1, c.a2, c.z1, c.z2, c.W2
    w = c.W3[0]
    gz2_true, gz1_true = c.grad("z2"), c.grad("z1")
    g2 = (yh - y) * w * ind(z2)
    return [
        chain(line(6, r"(\hat y - y)\, a^{(2)}_n", c.grad("W3")[0], (yh - y) * a2)),
        chain(line(7, r"&= \hat y - y \\", c.grad("b3")[0], yh - y)),
        chain(line(8, r"&= (\hat y - y)\, w_p \\", c.grad("a2"), (yh - y) * w)),
        chain(line(9, r"w_p\, [z^{(2)}_p > 0] \\", gz2_true, g2)),
        chain(line(10, r"[z^{(2)}_p > 0]\, a^{(1)}_q", c.grad("W2"), outer(g2, a1))),
        chain(line(11, r"w_p\, [z^{(2)}_p > 0] \\", c.grad("b2"), g2)),
        # symbolic dL/dz^(2)_p = true gradient
        chain(line(12, r"[z^{(1)}_r > 0] \sum_{p} W^{(2)}_{pr}", gz1_true, ind(z1) * (W2.T @ gz2_true))),
        chain(line(13, r"\frac{\partial L}{\partial z^{(1)}_r}\, x_s", c.grad("W1"), outer(gz1_true, x))),
        chain(line(14, r"&= \frac{\partial L}{\partial z^{(1)}_r}", c.grad("b1"), gz1_true)),
    ]


# --------------------------------------------------------------------------
# 35  softmax(W3 tanh(W2 tanh(W1 x + b1) + b2) + b3); sign error, noticed and redone.
#     After line 11 the symbol delta_3 means yhat - y (the author's latest claim).
# --------------------------------------------------------------------------
@proves("35-tanh3-sign-then-corrected.tex", unlabelled={2: "definition of delta_l"})
def d35(c):
    yh, y, x, a1, a2, W2, W3, j = c.yhat, c.y, c.x, c.a1, c.a2, c.W2, c.W3, c.j
    d3 = yh - y
    d2 = (W3.T @ d3) * (1 - a2 ** 2)
    d1 = (W2.T @ d2) * (1 - a1 ** 2)
    return [
        chain(line(5, r"\delta_3 &= y - \hat{y} \\", c.grad("z3"), y - yh)),
        chain(line(6, r"(y - \hat{y})\, a_2^\top", c.grad("W3"), outer(y - yh, a2), repaired=outer(d3, a2), carried_from=5)),
        chain(line(7, r"&= y - \hat{y}", c.grad("b3"), y - yh, repaired=d3, carried_from=5)),
        # d(-log yhat_j)/dz_{3,j} = -(1 - yhat_j)
        chain(line(9, r"= -(1 - \hat y_j)", c.grad("z3")[j], -(1 - yh[j]))),
        chain(line(11, r"\delta_3 &= \hat{y} - y \\", c.grad("z3"), d3)),
        chain(line(12, r"\odot (1 - a_2^2) \\", c.grad("z2"), d2)),
        chain(line(13, r"\delta_2\, a_1^\top", c.grad("W2"), outer(d2, a1))),
        chain(line(14, r"&= \delta_2 \\", c.grad("b2"), d2)),
        chain(line(15, r"\odot (1 - a_1^2) \\", c.grad("z1"), d1)),
        chain(line(16, r"\delta_1\, x^\top", c.grad("W1"), outer(d1, x))),
    ]


# --------------------------------------------------------------------------
# 36  identity(W3 relu(W2 relu(W1 x))), mse; M_l = diag(1[z_l > 0]).
#     Extra ReLU mask M_3 on the linear output; W_1 delta_1 for the input gradient.
# --------------------------------------------------------------------------
@proves("36-relu3-mse-mask-on-linear-output.txt", unlabelled={7: "definition of delta_l and M_l"})
def d36(c):
    yh, y, x, h1, h2, W1, W2, W3 = c.yhat, c.y, c.x, c.a1, c.a2, c.W1, c.W2, c.W3
    M1, M2, M3 = (np.diag(ind(c.v[z].real)) for z in ("z1", "z2", "z3"))
    d3 = yh - y
    d2 = M2 @ M2 @ W3.T @ d3
    d1 = M1 @ W2.T @ d2
    return [
        chain(line(8, r"\delta_3 = \hat{y} - y", c.grad("z3"), d3)),
        chain(line(9, r"M_3 \delta_3 h_2^T", c.grad("W3"), outer(M3 @ d3, h2))),
        chain(line(10, r"M_2 M_2 W_3^T \delta_3", c.grad("z2"), d2)),
        chain(line(11, r"\delta_2 h_1^T", c.grad("W2"), outer(d2, h1))),
        chain(line(12, r"M_1 W_2^T \delta_2", c.grad("z1"), d1)),
        chain(line(13, r"\delta_1 x^T", c.grad("W1"), outer(d1, x))),
        chain(line(14, r"dL/dx = W_1 \delta_1", c.grad("x"),
                   Ill("W_1 is d1 x d and delta_1 has d1 entries: W_1 delta_1 needs d == d1", W1.shape[1] != d1.shape[0]))),
    ]


# --------------------------------------------------------------------------
# 37  softmax(W1 x + b1), s = z1; Jacobian written yhat_i(delta_im - yhat_i)
# --------------------------------------------------------------------------
@proves("37-logreg-softmax-jacobian-wrong-index.txt")
def d37(c):
    yh, y, x, j, k = c.yhat, c.y, c.x, c.j, c.k
    E = np.eye(k)
    Jbad = ein("i,im->im", yh, E - yh[:, None])              # yhat_i (delta_im - yhat_i)
    Jtrue = c.J("yhat", "z1")
    gs = c.grad("z1")
    bad = yh[j] - E[j]                                        # yhat_j - delta_jm, over m
    return [
        chain(line(4, r"= -\frac{y_i}{\hat{y}_i}", c.grad("yhat"), -y / yh)),
        chain(line(5, r"\hat{y}_i (\delta_{im} - \hat{y}_i)", Jtrue, Jbad)),
        chain(
            line(6, r"-\sum_i \frac{y_i}{\hat{y}_i}", gs, -ein("i,im->m", y / yh, Jbad),
                 repaired=-ein("i,im->m", y / yh, Jtrue), carried_from=5),
            line(7, r"= -(\delta_{jm} - \hat{y}_j)", gs, -(E[j] - yh[j])),
            line(8, r"= \hat{y}_j - \delta_{jm}", gs, bad),
        ),
        chain(line(9, r"(\hat{y}_j - \delta_{jm}) x_n", c.grad("W1"), outer(bad, x), repaired=outer(gs, x), carried_from=8)),
        chain(line(10, r"\frac{\partial L}{\partial b_m} = \hat{y}_j - \delta_{jm}", c.grad("b1"), bad,
                   repaired=gs, carried_from=8)),
    ]


# --------------------------------------------------------------------------
# 38  sigmoid(W2 relu(W1 x)), bce; w = W2^T, z = z2.  y and yhat swapped twice.
# --------------------------------------------------------------------------
@proves("38-bce-relu-y-and-yhat-swapped.md")
def d38(c):
    yh, y, x, h, z1 = c.yhat[0], c.y[0], c.x, c.a1, c.z1
    w = c.W2[0]
    return [
        chain(line(5, r"-\frac{\hat y}{y} + \frac{1-\hat y}{1-y}", c.grad("yhat")[0],
                   Ill("divides by y or by 1 - y, one of which is 0 for a binary label", y in (0.0, 1.0)))),
        chain(line(7, r"= y(1-y)$$", c.J("yhat", "z2")[0, 0], y * (1 - y))),
        chain(line(11, r"\frac{\partial L}{\partial z} = \hat y - y", c.grad("z2")[0], yh - y)),
        chain(line(13, r"(\hat y - y)\, h$$", c.grad("W2")[0], (yh - y) * h)),
        chain(line(15, r"(\hat y - y)\, w$$", c.grad("a1"), (yh - y) * w)),
        chain(line(17, r"\mathbb{1}[W_1 x > 0]\bigr)\, x^\top", c.grad("W1"), (yh - y) * outer(w * ind(z1), x))),
    ]


# --------------------------------------------------------------------------
# 39  identity(W3 sigmoid(W2 sigmoid(W1 x))), mse; W^{(l)}_{mn}; correct
# --------------------------------------------------------------------------
@proves("39-sigmoid3-mse-superscript-correct.txt")
def d39(c):
    yh, y, x, a1, a2, W2, W3 = c.yhat, c.y, c.x, c.a1, c.a2, c.W2, c.W3
    zz = np.concatenate([c.z1, c.z2])
    sp = np.concatenate([np.diag(c.J("a1", "z1")), np.diag(c.J("a2", "z2"))])   # sigma'(z) at z1, z2
    e = yh - y
    gz2, gz1 = c.grad("z2"), c.grad("z1")
    sgp = lambda z: sig(z) * (1 - sig(z))
    return [
        chain(
            line(4, r"\frac{e^{-z}}{(1 + e^{-z})^2}", sp, np.exp(-zz) / (1 + np.exp(-zz)) ** 2),
            line(5, r"= \sigma(z)\,(1 - \sigma(z)).", sp, sig(zz) * (1 - sig(zz))),
        ),
        chain(line(7, r"(\hat{y}_m - y_m)\, a^{(2)}_n", c.grad("W3"), outer(e, a2))),
        chain(line(8, r"\sigma'(z^{(2)}_p) \sum_m", gz2, sgp(c.z2) * (W3.T @ e))),
        chain(line(9, r"\frac{\partial L}{\partial z^{(2)}_p}\, a^{(1)}_q", c.grad("W2"), outer(gz2, a1))),
        chain(line(10, r"\sum_p W^{(2)}_{pr}\, \frac{\partial L}{\partial z^{(2)}_p}", gz1, a1 * (1 - a1) * (W2.T @ gz2))),
        chain(
            line(11, r"\frac{\partial L}{\partial z^{(1)}_r}\, x_s", c.grad("W1"), outer(gz1, x)),
            line(12, r"= x_s\, a^{(1)}_r (1 - a^{(1)}_r)", c.grad("W1"),
                 ein("s,r,pr,p,m,mp->rs", x, a1 * (1 - a1), W2, a2 * (1 - a2), e, W3)),
        ),
    ]


# --------------------------------------------------------------------------
# 40  sigmoid(W2 tanh(W1 x + b1) + b2), bce; v = W2^T, c = b2, u = z1, t = z2,
#     W = W1, b = b1; factored and sech^2 forms; correct
# --------------------------------------------------------------------------
@proves("40-bce-tanh-index-sech-correct.tex")
def d40(c):
    yh, y, x, h, u, W = c.yhat[0], c.y[0], c.x, c.a1, c.z1, c.W1
    v = c.W2[0]
    sech2 = 1 / np.cosh(u) ** 2
    return [
        chain(line(4, r"\frac{\partial L}{\partial t} = \hat y - y", c.grad("z2")[0], yh - y)),
        chain(line(7, r"(\hat y - y)\, h_r", c.grad("W2")[0], (yh - y) * h)),
        chain(line(10, r"\frac{\partial L}{\partial c} = \hat y - y", c.grad("b2")[0], yh - y)),
        # tanh' = sech^2, at u
        chain(line(12, r"\tanh' = \operatorname{sech}^2", np.diag(c.J("a1", "z1")), sech2)),
        chain(line(14, r"v_r\, (1 - h_r^2)", c.grad("z1"), (yh - y) * v * (1 - h ** 2))),
        chain(line(17, r"(1 - h_r)(1 + h_r)\, x_s", c.grad("W1"), outer((yh - y) * v * (1 - h) * (1 + h), x))),
        chain(line(20, r"\operatorname{sech}^2(u_r)", c.grad("b1"), (yh - y) * v * sech2)),
        chain(line(23, r"\sum_r v_r\, (1 - h_r^2)\, W_{rs}", c.grad("x"), (yh - y) * ein("r,r,rs->s", v, 1 - h ** 2, W))),
    ]


# --------------------------------------------------------------------------
# 41  softmax(W2 tanh(W1 x)); sign flip in grad_h, then h^T where x^T belongs
# --------------------------------------------------------------------------
@proves("41-softmax-tanh-sign-and-wrong-layer.md", unlabelled={1: "problem statement"})
def d41(c):
    yh, y, x, h, W2, k = c.yhat, c.y, c.x, c.a1, c.W2, c.k
    E = np.eye(k)
    gh = W2.T @ (yh - y)
    return [
        chain(line(5, r"\hat y_i(\delta_{im} - \hat y_m)", c.J("yhat", "z2"), ein("i,im->im", yh, E - yh[None, :]))),
        chain(line(11, r"\nabla_z L &= \hat y - y", c.grad("z2"), yh - y)),
        chain(line(12, r"(\hat y - y)\, h^\top", c.grad("W2"), outer(yh - y, h))),
        chain(line(13, r"-W_2^\top (\hat y - y)", c.grad("a1"), -gh)),
        chain(line(14, r"\nabla_{W_1 x} L &= -\bigl(", c.grad("z1"), -gh * (1 - h * h),
                   repaired=c.grad("a1") * (1 - h * h), carried_from=13)),
        # h^T where x^T belongs: d1 x d1 instead of d1 x d, wrong even with the sign repaired
        chain(line(15, r"\Bigr) h^\top .", c.grad("W1"), -outer(gh * (1 - h * h), h),
                   repaired=outer(c.grad("z1"), h), carried_from=14)),
    ]


# --------------------------------------------------------------------------
# 42  softmax(W2 sigmoid(W1 x)); extra yhat(1 - yhat) at the softmax output;
#     input gradient also misses sigma' of the hidden layer
# --------------------------------------------------------------------------
@proves("42-sigmoid2-extra-sigmoid-factor-on-softmax.txt",
        unlabelled={6: "definition of delta_2", 10: "definition of delta_1"})
def d42(c):
    yh, y, x, a, W1, W2 = c.yhat, c.y, c.x, c.a1, c.W1, c.W2
    d2 = (yh - y) * yh * (1 - yh)
    d2_true = c.grad("z2")
    d1 = (W2.T @ d2) * a * (1 - a)
    d1_true = (W2.T @ d2_true) * a * (1 - a)
    return [
        chain(line(4, r"= -y \oslash \hat{y}", c.grad("yhat"), -y / yh)),
        chain(line(7, r"\delta_2 = (\hat{y} - y) \odot \hat{y}", d2_true, d2)),
        chain(line(8, r"\nabla_{W_2} L = \delta_2 a^T", c.grad("W2"), outer(d2, a), repaired=outer(d2_true, a), carried_from=7)),
        chain(line(11, r"\delta_1 = W_2^T \delta_2 \odot a", c.grad("z1"), d1, repaired=d1_true, carried_from=7)),
        chain(line(12, r"\nabla_{W_1} L = \delta_1 x^T", c.grad("W1"), outer(d1, x), repaired=outer(d1_true, x), carried_from=11)),
        # misses sigma'(z1): wrong even with the true delta_2
        chain(line(15, r"W_1^T W_2^T \delta_2", c.grad("x"), W1.T @ W2.T @ d2, repaired=W1.T @ W2.T @ d2_true,
                   carried_from=7)),
    ]


# --------------------------------------------------------------------------
# 43  linear regression, mse; vector for scalar, prediction minus itself, sign
# --------------------------------------------------------------------------
@proves("43-linreg-mse-vector-for-scalar.txt")
def d43(c):
    yh, y, x, W = c.yhat, c.y, c.x, c.W1
    gW = c.grad("W1")
    return [
        chain(line(4, r"= \hat{y}_i - y_i", c.grad("yhat"), yh - y)),
        chain(
            line(5, r"\partial \hat{y}_r / \partial W_{ij}", gW, ein("r,rij->ij", yh - y, c.J("yhat", "W1"))),
            line(6, r"= (\hat{y} - y)\, x_j", gW,
                 Ill("(yhat - y) is a k-vector where the scalar dL/dW_ij belongs", c.k > 1)),
        ),
        chain(line(8, r"= (\hat{y}_i - y_i)\, x_j", gW, outer(yh - y, x))),
        chain(line(10, r"(W x - \hat{y})\, x^T", gW, outer(W @ x - yh, x))),
        chain(line(12, r"\sum_i (y_i - \hat{y}_i)\, W_{ij}", c.grad("x"), ein("i,ij->j", y - yh, W))),
        # derivative w.r.t. the target
        chain(line(13, r"\partial L / \partial y_i = y_i - \hat{y}_i", c.grad("y"), y - yh)),
    ]


# --------------------------------------------------------------------------
# 44  softmax(W3 relu(W2 tanh(W1 x + b1) + b2) + b3); delta_{2,q} a_{1,p} with
#     swapped indices; tanh' missing from delta_1
# --------------------------------------------------------------------------
@proves("44-mixed-acts-swapped-index-missing-tanh-prime.tex", unlabelled={1: "definition of delta_l"})
def d44(c):
    yh, y, x, a1, a2, W2, W3 = c.yhat, c.y, c.x, c.a1, c.a2, c.W2, c.W3
    d3 = yh - y
    d2 = (W3.T @ d3) * ind(c.z2)
    d1 = W2.T @ d2
    d1_true = c.grad("z1")
    return [
        chain(line(3, r"\delta_3 &= \hat y - y, \\", c.grad("z3"), d3)),
        chain(line(4, r"&= \delta_3 a_2^\top, \\", c.grad("W3"), outer(d3, a2))),
        chain(line(5, r"&= \delta_3, \\", c.grad("b3"), d3)),
        chain(line(6, r"\odot \mathbb{1}[z_2 > 0], \\", c.grad("z2"), d2)),
        chain(line(7, r"\delta_{2,q}\, a_{1,p}", c.grad("W2"),
                   Ill("q runs over the d1 = 5 columns of W_2 but delta_2 has d2 = 4 entries", c.d1 > c.d2))),
        chain(line(8, r"&= \delta_2, \\", c.grad("b2"), d2)),
        chain(line(9, r"\delta_1 &= W_2^\top \delta_2, \\", d1_true, d1)),
        chain(line(10, r"&= \delta_1 x^\top, \\", c.grad("W1"), outer(d1, x), repaired=outer(d1_true, x), carried_from=9)),
        chain(line(11, r"&= \delta_1 .", c.grad("b1"), d1, repaired=d1_true, carried_from=9)),
    ]


if __name__ == "__main__":
    sys.exit(main(CORPUS, sys.argv))
