#!/usr/bin/env python3
"""Independent numerical proof of every label in labels.json (third held-out corpus).

numpy only -- no chainrule import, no sympy, no autograd library; the shared
method and the reason are in tests/corpus/proofkit.py.  This file: the
corpus's settings, its --stats lines, and one hand translation per document.

Run from the repository root: ``python tests/corpus/heldout3/prove_labels.py
[FILTER | --stats]``, e.g. FILTER ``07-index``; proofkit.main says what it prints.

Instances: sizes d=7, d1=5, d2=4, d3=8, k=3 (k=1 for bce) and a batch of m=6
examples for the mini-batch documents (columns or rows, as the model string
and the "batch" field say); the loss of a batch is the MEAN over its examples,
and mse is 1/2 ||yhat - y||^2 or ||yhat - y||^2 as the "mse_half" field says.
"""
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/corpus, home of proofkit
from proofkit import (Corpus, Setup, chain, dact, ein, eye, ind, line, main,  # noqa: E402
                      outer, parse_spec, sig, tally)


def batch_facts(entries):
    """The --stats lines this corpus adds: batch layouts, losses, mse scaling, depth."""
    return [
        tally("by batch", (str(e["batch"]) for e in entries)),
        tally("by convention and batch", ("%s/%s" % (e["convention"], e["batch"]) for e in entries)),
        tally("by loss", (e["loss"] for e in entries)),
        tally("mse with 1/2", (str(e["mse_half"]) for e in entries if e["loss"] == "mse")),
        tally("by depth", (len(parse_spec(e["model"]).layers) for e in entries), sort=True),
    ]


CORPUS = Corpus(
    here=Path(__file__).resolve().parent,
    setup=Setup(hidden=(5, 4, 8), rng_key=lambda seed: [seed, 20250917], weight_scale=1.4),
    seeds=(0, 1, 2, 3),  # every label must hold on all four instances
    rtol=1e-7,
    declares_shape=True,
    stats_facts=batch_facts,
)
proves = CORPUS.registry.proves


# ===========================================================================
# Per-document translations
# ===========================================================================

# 01 cs231n-style blog: rows = examples, ReLU + softmax, mean cross-entropy over the batch
@proves("01-cs231n-row-batch-relu-softmax-correct.md", unlabelled={(55, 63): "code block"})
def d01(c):
    X, Y, P, H, z1, W1, W2 = c.x, c.y, c.yhat, c.a1, c.z1, c.W1, c.W2
    E = (P - Y) / c.m                                      # author's dL/dS
    dH = E @ W2.T
    dZ1 = dH * ind(z1)
    return [
        chain(line(18, r"\frac{\partial L}{\partial S} = \frac{1}{m}\,(P - Y).", c.g("z2"), E)),
        chain(line(26, r"\frac{\partial L}{\partial W_2} = H^\top \frac{\partial L}{\partial S}", c.g("W2"), H.T @ E)),
        chain(line(30, r"\sum_{i=1}^m \frac{1}{m}\,(P_{i,:} - Y_{i,:})", c.g("b2"), E.sum(axis=0))),
        chain(line(34, r"\frac{\partial L}{\partial S}\, W_2^\top", c.g("a1"), dH)),
        chain(line(38, r"\frac{\partial L}{\partial H} \odot \mathbb{1}[Z_1 > 0]", c.g("z1"), dZ1)),
        chain(line(44, r"\frac{\partial L}{\partial W_1} = X^\top \frac{\partial L}{\partial Z_1}", c.g("W1"), X.T @ dZ1)),
        chain(line(46, r"= \mathbf{1}_m^\top \frac{\partial L}{\partial Z_1}", c.g("b1"), np.ones(c.m) @ dZ1)),
        chain(line(50, r"\frac{\partial L}{\partial X} = \frac{\partial L}{\partial Z_1}\, W_1^\top", c.g("x"), dZ1 @ W1.T)),
    ]


# 02 PyTorch-style plain text, row vector x, tanh + linear head, 1/2 MSE; dW2 first written transposed
@proves("02-pytorch-forum-row-tanh-mse-transpose.txt")
def d02(c):
    x, y, yh, h, z1, W1, W2 = c.x, c.y, c.yhat, c.a1, c.z1, c.W1, c.W2
    e = yh - y
    dh = e @ W2.T
    dz1 = dh * (1 - h ** 2)
    return [
        chain(line(14, "dL/dyhat = yhat - y", c.g("yhat"), e)),
        chain(line(15, "dL/dW2   = (yhat - y)^T h", c.g("W2"), outer(e, h))),      # k x h, W2 is h x k
        chain(line(16, "dL/db2   = yhat - y", c.g("b2"), e)),
        chain(line(17, "dL/dh    = (yhat - y) W2^T", c.g("a1"), dh)),
        chain(line(19, "tanh'(z) = 1 - tanh(z)^2", dact("tanh", z1), 1 - np.tanh(z1) ** 2)),
        chain(line(21, "dL/dz1 = dL/dh * (1 - h^2)", c.g("z1"), dz1)),
        chain(line(22, "dL/dW1 = x^T dL/dz1", c.g("W1"), outer(x, dz1))),
        chain(line(23, "dL/db1 = dL/dz1", c.g("b1"), dz1)),
        chain(line(24, "dL/dx  = dL/dz1 W1^T", c.g("x"), dz1 @ W1.T)),
        chain(line(30, "dL/dW2 = h^T (yhat - y)", c.g("W2"), outer(h, e))),
    ]


# 03 rows = examples, sigmoid hidden + sigmoid/BCE output, mean cost; dJ/dZ2 = Yhat - Y drops the 1/m
@proves("03-row-batch-sigmoid-bce-forgot-1-over-m.tex", unlabelled={(10, 11): "forward pass"})
def d03(c):
    X, Y, Yh, A1, z1, z2, W2 = c.x, c.y, c.yhat, c.a1, c.z1, c.z2, c.W2
    m, s1 = c.m, A1 * (1 - A1)
    E = Yh - Y                                             # author's dJ/dZ2 (wrong: no 1/m)
    t2 = c.g("z2")
    dz1, tz1 = (E @ W2.T) * s1, (t2 @ W2.T) * s1
    one = np.ones(m)
    return [
        chain(line(20, r"\frac{1}{m}\,\frac{\hat y^{(i)} - y^{(i)}}{\hat y^{(i)}\big(1-\hat y^{(i)}\big)}", c.g("yhat"),
                   (Yh - Y) / (m * Yh * (1 - Yh)))),
        chain(line(22, r"$\sigma'(z) = \sigma(z)\big(1-\sigma(z)\big)$", (dact("sigmoid", z1), dact("sigmoid", z2)),
                   (sig(z1) * (1 - sig(z1)), sig(z2) * (1 - sig(z2))))),
        chain(line(24, r"\frac{\partial J}{\partial Z_2} &= \hat Y - Y,", t2, E)),
        chain(line(25, r"&= A_1^\top (\hat Y - Y),", c.g("W2"), A1.T @ E, repaired=A1.T @ t2, cf=24)),
        chain(line(26, r"&= \sum_{i=1}^m \big(\hat y^{(i)} - y^{(i)}\big).", c.g("b2"), np.array([E.sum()]),
                   repaired=np.array([t2.sum()]), cf=24)),
        chain(line(31, r"\frac{\partial J}{\partial A_1} &= (\hat Y - Y)\, W_2^\top,", c.g("a1"), E @ W2.T,
                   repaired=t2 @ W2.T, cf=24)),
        chain(line(32, r"\odot A_1 \odot (1 - A_1),\\", c.g("z1"), dz1, repaired=tz1, cf=24)),
        chain(line(33, r"\frac{\partial J}{\partial W_1} &= X^\top \Big(", c.g("W1"), X.T @ dz1, repaired=X.T @ tz1, cf=24)),
        chain(line(34, r"\frac{\partial J}{\partial b_1} &= \mathbf{1}^\top \Big(", c.g("b1"), one @ dz1,
                   repaired=one @ tz1, cf=24)),
    ]


# 04 blog, row vector x, every step as scalars with indices; c = correct class
@proves("04-blog-row-index-sums-relu-ce-correct.md")
def d04(c):
    x, p, h, z, W1, W2 = c.x, c.yhat, c.a1, c.z1, c.W1, c.W2
    ec = eye(len(p))[c.j]
    e = p - ec
    gh = ein("jk,k->j", W2, e)
    gz = ind(z) * gh
    return [
        chain(line(18, r"\frac{\partial p_k}{\partial s_l} = p_k(\delta_{kl} - p_l)", c.J("yhat", "z2"),
                   ein("k,kl->kl", p, eye(len(p)) - p[None, :]))),
        chain(line(20, r"$\partial L / \partial s_k = -\frac{1}{p_c}\, p_c(\delta_{ck} - p_k)$", c.g("z2"),
                   -(1 / p[c.j]) * p[c.j] * (ec - p))),
        chain(line(22, r"\frac{\partial L}{\partial s_k} = p_k - \delta_{kc}", c.g("z2"), e)),
        chain(line(28, r"= h_j\,(p_k - \delta_{kc})", c.g("W2"), ein("j,k->jk", h, e))),
        chain(line(30, r"\frac{\partial L}{\partial b^{(2)}_k} = p_k - \delta_{kc}", c.g("b2"), e)),
        chain(line(34, r"\frac{\partial L}{\partial h_j} = \sum_k W^{(2)}_{jk}", c.g("a1"), gh)),
        chain(line(40, r"\frac{\partial L}{\partial z_j} = \mathbb{1}[z_j > 0] \sum_k", c.g("z1"), gz)),
        chain(line(42, r"= x_i\, \mathbb{1}[z_j > 0] \sum_k", c.g("W1"), ein("i,j->ij", x, gz))),
        chain(line(44, r"\frac{\partial L}{\partial b^{(1)}_j} = \mathbb{1}[z_j > 0]", c.g("b1"), gz)),
        chain(line(48, r"\frac{\partial L}{\partial x_i} = \sum_j W^{(1)}_{ij}", c.g("x"), ein("ij,j,jk,k->i", W1, ind(z), W2, e))),
        chain(line(54, r"\nabla_{W^{(1)}} L = x^\top \Big(", c.g("W1"), outer(x, (e @ W2.T) * ind(z)))),
    ]


# 05 deeplearning.ai notebook, examples as columns, tanh + sigmoid/BCE.  The course's dZ is the
# gradient of the SUMMED loss m*J (stated in the document); dW and db carry the 1/m.
@proves("05-dlai-column-batch-tanh-sigmoid-bce-correct.ipynb", unlabelled={(63, 73): "code cell"})
def d05(c):
    X, Y, A2, A1, z1, z2, W2 = c.x, c.y, c.yhat, c.a1, c.z1, c.z2, c.W2
    m = c.m
    dZ2 = A2 - Y
    dZ1 = (W2.T @ dZ2) * (1 - A1 ** 2)
    return [
        chain(line(25, r"\frac{\partial J}{\partial A^{[2]}} = \frac{1}{m}\left(-\frac{Y}{A^{[2]}}", c.g("yhat"),
                   (1 / m) * (-Y / A2 + (1 - Y) / (1 - A2)))),
        chain(line(27, r"$\sigma'(z) = \sigma(z)(1 - \sigma(z))$", dact("sigmoid", z2), sig(z2) * (1 - sig(z2)))),
        chain(line(33, r"$$dZ^{[2]} = A^{[2]} - Y$$", m * c.g("z2"), dZ2)),
        chain(line(35, r"$$dW^{[2]} = \frac{1}{m} dZ^{[2]} A^{[1]T}$$", c.g("W2"), (1 / m) * dZ2 @ A1.T)),
        chain(line(37, r"$$db^{[2]} = \frac{1}{m} \sum_{i=1}^{m} dZ^{[2](i)}$$", c.g("b2"), (1 / m) * dZ2.sum(axis=1))),
        chain(line(46, r"$g^{[1]\prime}(z) = 1 - \tanh^2(z)$", dact("tanh", z1), 1 - np.tanh(z1) ** 2)),
        chain(line(47, r"$g^{[1]\prime}(Z^{[1]}) = 1 - (A^{[1]})^2$", dact("tanh", z1), 1 - A1 ** 2)),
        chain(line(50, r"$$dZ^{[1]} = W^{[2]T} dZ^{[2]} * (1 - (A^{[1]})^2)$$", m * c.g("z1"), dZ1)),
        chain(line(52, r"$$dW^{[1]} = \frac{1}{m} dZ^{[1]} X^T$$", c.g("W1"), (1 / m) * dZ1 @ X.T)),
        chain(line(54, r"$$db^{[1]} = \frac{1}{m} \sum_{i=1}^{m} dZ^{[1](i)}$$", c.g("b1"), (1 / m) * dZ1.sum(axis=1))),
    ]


# 06 the seed's problem (no biases), W_{3_{mn}} subscripts, j = correct class;
# softmax Jacobian written y_j(1 - y_m), the Kronecker delta dropped
@proves("06-seed-style-index-sigmoid3-softmax-jacobian.tex")
def d06(c):
    x, y, yh, a1, a2, z1, z2, W2, W3, j = c.x, c.y, c.yhat, c.a1, c.a2, c.z1, c.z2, c.W2, c.W3, c.j
    Jz = c.J("yhat", "z3")                                 # Jz[l, m] = d yhat_l / d z_m
    t3 = c.g("z3")
    e = yh - 1                                             # author's dL/dz_m (wrong)
    s1, s2 = a1 * (1 - a1), a2 * (1 - a2)
    w1 = lambda v: outer(s1 * (W2.T @ (s2 * v)), x)
    return [
        chain(line(10, r"\frac{\partial L}{\partial \hat{y}_l} = -\frac{y_l}{\hat{y}_l}", c.g("yhat"), -y / yh)),
        chain(line(14, r"\sum_{l=1}^k \frac{\partial L}{\partial \hat{y}_l} \frac{\partial \hat{y}_l}{\partial z_m}", t3,
                   ein("l,lm->m", c.g("yhat"), Jz)),
              line(15, r"&= -\frac{1}{\hat{y}_j} \frac{\partial \hat{y}_j}{\partial z_m}", t3, -(1 / yh[j]) * Jz[j])),
        chain(line(19, r"\frac{\partial \hat{y}_j}{\partial z_m} = \hat{y}_j (1 - \hat{y}_m)", Jz[j], yh[j] * (1 - yh))),
        chain(line(23, r"&= -\frac{1}{\hat{y}_j}\, \hat{y}_j (1 - \hat{y}_m) \\", t3, -(1 / yh[j]) * yh[j] * (1 - yh),
                   repaired=-(1 / yh[j]) * Jz[j], cf=19),
              line(24, r"&= \hat{y}_m - 1", t3, e)),
        chain(line(28, r"= (\hat{y}_m - 1)\, a_{2_n}", c.g("W3"), outer(e, a2), repaired=outer(t3, a2), cf=24)),
        chain(line(30, r"$\sigma'(u) = \sigma(u)(1 - \sigma(u))$", (dact("sigmoid", z1), dact("sigmoid", z2)),
                   (sig(z1) * (1 - sig(z1)), sig(z2) * (1 - sig(z2))))),
        chain(line(32, r"&= \sum_{m=1}^k (\hat{y}_m - 1)\, W_{3_{mn}} \\", c.g("a2"), ein("m,mn->n", e, W3),
                   repaired=ein("m,mn->n", t3, W3), cf=24)),
        chain(line(33, r"&= a_{2_p}(1 - a_{2_p}) \sum_{m=1}^k (\hat{y}_m - 1)\, W_{3_{mp}}\, a_{1_q}", c.g("W2"),
                   ein("p,m,mp,q->pq", s2, e, W3, a1), repaired=ein("p,m,mp,q->pq", s2, t3, W3, a1), cf=24)),
        chain(line(37, r"= a_{1_r}(1 - a_{1_r}) \sum_{p=1}^{d_2} W_{2_{pr}}", c.g("W1"),
                   ein("r,pr,p,m,mp,s->rs", s1, W2, s2, e, W3, x), repaired=w1(W3.T @ t3), cf=24)),
    ]


# 07 plain-text LaTeX, examples as columns, index form with sums over the batch;
# dJ/dW2_{kj} uses A_{ki} for A_{ji}; the matrix versions at the end are right
@proves("07-index-column-batch-relu-softmax-index-swap.txt")
def d07(c):
    X, Y, P, A, z1, W2 = c.x, c.y, c.yhat, c.a1, c.z1, c.W2
    m, D_ = c.m, P - c.y
    K_, H_ = W2.shape
    gA = ein("kj,ki->ji", W2, D_) / m
    swapped = ein("ki,ki->k", D_, A[:K_]) / m              # A_{ki}: k < 3 is a valid row of A
    return [
        chain(line(9, r"\frac{\partial J}{\partial Z^{(2)}_{ki}} = \frac{1}{m} (P_{ki} - Y_{ki})", c.g("z2"), D_ / m)),
        chain(line(11, r"\frac{\partial J}{\partial W^{(2)}_{kj}} = \frac{1}{m} \sum_{i=1}^{m} (P_{ki} - Y_{ki}) A_{ki}",
                   c.g("W2"), np.repeat(swapped[:, None], H_, axis=1))),
        chain(line(13, r"\frac{\partial J}{\partial b^{(2)}_{k}} = \frac{1}{m} \sum_{i=1}^{m}", c.g("b2"), D_.sum(axis=1) / m)),
        chain(line(17, r"\frac{\partial J}{\partial A_{ji}} = \frac{1}{m} \sum_{k} W^{(2)}_{kj}", c.g("a1"), gA)),
        chain(line(19, r"\frac{\partial J}{\partial Z^{(1)}_{ji}} = \frac{1}{m} [Z^{(1)}_{ji} > 0]", c.g("z1"), ind(z1) * gA)),
        chain(line(21, r"\frac{\partial J}{\partial W^{(1)}_{jl}} = \frac{1}{m} \sum_{i=1}^{m} [Z^{(1)}_{ji} > 0]", c.g("W1"),
                   ein("ji,kj,ki,li->jl", ind(z1), W2, D_, X) / m)),
        chain(line(23, r"\frac{\partial J}{\partial b^{(1)}_{j}} = \frac{1}{m} \sum_{i=1}^{m} [Z^{(1)}_{ji} > 0]", c.g("b1"),
                   ein("ji,kj,ki->j", ind(z1), W2, D_) / m)),
        chain(line(27, r"\nabla_{W^{(2)}} J = \frac{1}{m} (P - Y) A^T", c.g("W2"), D_ @ A.T / m)),
        chain(line(29, r"\nabla_{W^{(1)}} J = \frac{1}{m} \left( (W^{(2)T} (P - Y)) \odot [Z^{(1)} > 0] \right) X^T",
                   c.g("W1"), ((W2.T @ D_) * ind(z1)) @ X.T / m)),
    ]


# 08 recitation notes, depth 4, squared error without 1/2; dL/dW3 uses a3 (its own output) for a2
@proves("08-lecture-depth4-column-mse-wrong-layer.tex", unlabelled={19: "definition of delta^(l)"})
def d08(c):
    x, y, yh, a1, a2, a3, z2 = c.x, c.y, c.yhat, c.a1, c.a2, c.a3, c.z2
    W1, W2, W3, W4 = c.W1, c.W2, c.W3, c.W4
    d4 = 2 * (yh - y)
    d3 = (W4.T @ d4) * (1 - a3 * a3)
    d2 = (W3.T @ d3) * ind(z2)
    d1 = (W2.T @ d2) * a1 * (1 - a1)
    return [
        chain(line(24, r"\frac{\partial L}{\partial \hat y} &= 2(\hat y - y), \\", c.g("yhat"), d4)),
        chain(line(25, r"\delta^{(4)} &= 2(\hat y - y).", c.g("z4"), d4)),
        chain(line(29, r"\delta^{(3)} &= \big(W^{(4)\top} \delta^{(4)}\big)", c.g("z3"), d3)),
        chain(line(30, r"\delta^{(2)} &= \big(W^{(3)\top} \delta^{(3)}\big)", c.g("z2"), d2)),
        chain(line(31, r"\delta^{(1)} &= \big(W^{(2)\top} \delta^{(2)}\big)", c.g("z1"), d1)),
        chain(line(37, r"\frac{\partial L}{\partial W^{(4)}} &= \delta^{(4)} a^{(3)\top}", c.g("W4"), outer(d4, a3))),
        chain(line(38, r"\frac{\partial L}{\partial W^{(3)}} &= \delta^{(3)} a^{(3)\top}", c.g("W3"), outer(d3, a3))),
        chain(line(39, r"\frac{\partial L}{\partial W^{(2)}} &= \delta^{(2)} a^{(1)\top}", c.g("W2"), outer(d2, a1))),
        chain(line(40, r"\frac{\partial L}{\partial W^{(1)}} &= \delta^{(1)} x^{\top}", c.g("W1"), outer(d1, x))),
        chain(line(44, r"\frac{\partial L}{\partial b^{(4)}} &= \delta^{(4)}", c.g("b4"), d4)),
        chain(line(45, r"\frac{\partial L}{\partial b^{(3)}} &= \delta^{(3)}", c.g("b3"), d3)),
        chain(line(46, r"\frac{\partial L}{\partial b^{(2)}} &= \delta^{(2)}", c.g("b2"), d2)),
        chain(line(47, r"\frac{\partial L}{\partial b^{(1)}} &= \delta^{(1)}", c.g("b1"), d1)),
        chain(line(51, r"\frac{\partial L}{\partial x} = W^{(1)\top} \delta^{(1)}.", c.g("x"), W1.T @ d1)),
    ]


# 09 Colab lab, examples as columns, sigmoid/sigmoid with the 1/(2m) MSE; sigma' written
# sigma(1 + sigma), found by a gradient check and corrected in the last cell
@proves("09-colab-column-batch-sigmoid-mse-sigma-one-plus.ipynb", unlabelled={(53, 61): "code cell"})
def d09(c):
    X, Y, Yh, A1, z1, z2, W2 = c.x, c.y, c.yhat, c.a1, c.z1, c.z2, c.W2
    m = c.m
    g2 = (Yh - Y) / m * Yh * (1 + Yh)                      # author's dJ/dZ2 (wrong)
    g1 = (W2.T @ g2) * A1 * (1 + A1)                       # author's dJ/dZ1 (wrong)
    t2, t1 = c.g("z2"), c.g("z1")
    f2 = (Yh - Y) / m * Yh * (1 - Yh)                      # corrected
    f1 = (W2.T @ f2) * A1 * (1 - A1)
    return [
        chain(line(26, r"$\frac{\partial J}{\partial \hat{Y}} = \frac{1}{m} (\hat{Y} - Y)$", c.g("yhat"), (Yh - Y) / m)),
        chain(line(30, r"$\sigma'(z) = \sigma(z)(1 + \sigma(z))$", (dact("sigmoid", z1), dact("sigmoid", z2)),
                   (sig(z1) * (1 + sig(z1)), sig(z2) * (1 + sig(z2))))),
        chain(line(34, r"\odot \hat{Y} \odot (1 + \hat{Y})$", t2, g2, repaired=(Yh - Y) / m * dact("sigmoid", z2), cf=30)),
        chain(line(36, r"\odot (1 + \hat{Y})\right] A_1^T$", c.g("W2"), g2 @ A1.T, repaired=t2 @ A1.T, cf=34)),
        chain(line(38, r"\odot (1 + \hat{Y})\right]_{:, i}$", c.g("b2"), g2.sum(axis=1), repaired=t2.sum(axis=1), cf=34)),
        chain(line(42, r"\right) \odot A_1 \odot (1 + A_1)$", t1, g1, repaired=(W2.T @ t2) * dact("sigmoid", z1), cf=[30, 34])),
        chain(line(44, r"$\frac{\partial J}{\partial W_1} = \frac{\partial J}{\partial Z_1} X^T$", c.g("W1"), g1 @ X.T,
                   repaired=t1 @ X.T, cf=42)),
        chain(line(85, r"$\sigma'(z) = \sigma(z)(1 - \sigma(z))$", (dact("sigmoid", z1), dact("sigmoid", z2)),
                   (sig(z1) * (1 - sig(z1)), sig(z2) * (1 - sig(z2))))),
        chain(line(89, r"\odot \hat{Y} \odot (1 - \hat{Y})$", t2, f2)),
        chain(line(91, r"\right) \odot A_1 \odot (1 - A_1)$", t1, f1)),
        chain(line(93, r"$\frac{\partial J}{\partial W_1} = \frac{\partial J}{\partial Z_1} X^T$ and", c.g("W1"), f1 @ X.T)),
        chain(line(94, r"$\frac{\partial J}{\partial W_2} = \frac{\partial J}{\partial Z_2} A_1^T$", c.g("W2"), f2 @ A1.T)),
    ]


# 10 Piazza question, ReLU + sigmoid/BCE, one output (w2 = the single row of W2);
# dL/dyhat with the wrong sign; the instructor's answer gives the right lines
@proves("10-piazza-column-relu-bce-sign.md")
def d10(c):
    x, y, yh, h, z1, z2 = c.x, c.y, c.yhat, c.a1, c.z1, c.z2
    w2 = c.W2[0]
    gw2 = c.g("W2")[0]                                     # dL/dw2, w2 = W2^T as a vector
    e = y - yh                                             # author's dL/dz2 (wrong sign)
    t2 = c.g("z2")
    dz1, tz1 = e * w2 * ind(z1), t2 * w2 * ind(z1)
    return [
        chain(line(6, r"$\frac{\partial L}{\partial \hat y} = \frac{y}{\hat y} - \frac{1 - y}{1 - \hat y}$", c.g("yhat"),
                   y / yh - (1 - y) / (1 - yh))),
        chain(line(8, r"$\sigma' = \hat y(1 - \hat y)$", dact("sigmoid", z2), yh * (1 - yh))),
        chain(line(10, r"$\frac{\partial L}{\partial z_2} = y - \hat y$", t2, e, repaired=c.g("yhat") * yh * (1 - yh), cf=6)),
        chain(line(12, r"$\frac{\partial L}{\partial w_2} = (y - \hat y)\, h$", gw2, e * h, repaired=t2 * h, cf=10)),
        chain(line(14, r"$\frac{\partial L}{\partial b_2} = y - \hat y$", c.g("b2"), e, repaired=t2, cf=10)),
        chain(line(16, r"$\frac{\partial L}{\partial h} = (y - \hat y)\, w_2$", c.g("a1"), e * w2, repaired=t2 * w2, cf=10)),
        chain(line(20, r"$\frac{\partial L}{\partial z_1} = (y - \hat y)\, w_2 \odot", c.g("z1"), dz1, repaired=tz1, cf=10)),
        chain(line(22, r"$\frac{\partial L}{\partial W_1} = \big((y - \hat y)", c.g("W1"), outer(dz1, x),
                   repaired=outer(tz1, x), cf=10)),
        chain(line(24, r"$\frac{\partial L}{\partial b_1} = (y - \hat y)", c.g("b1"), dz1, repaired=tz1, cf=10)),
        chain(line(34, r"$\frac{\partial L}{\partial \hat y} = -\frac{y}{\hat y} + \frac{1 - y}{1 - \hat y}$", c.g("yhat"),
                   -y / yh + (1 - y) / (1 - yh))),
        chain(line(38, r"$\frac{\partial L}{\partial z_2} = \hat y - y$.", t2, yh - y)),
        chain(line(40, r"$\frac{\partial L}{\partial w_2} = (\hat y - y)\, h$", gw2, (yh - y) * h)),
    ]


# 11 exercise solution in index notation, W^{(2)}_{mn}, Kronecker deltas, j = correct class, input gradient
@proves("11-index-heavy-tanh-softmax-input-grad-correct.tex", unlabelled={6: "definition: y is one-hot at j"})
def d11(c):
    x, yh, h, W1, W2, j = c.x, c.yhat, c.a1, c.W1, c.W2, c.j
    k, n1 = len(yh), len(h)
    dj = eye(k)[j]
    e = yh - dj
    th = 1 - h ** 2
    gh = ein("m,mn->n", e, W2)
    gz = th * gh
    return [
        chain(line(10, r"\frac{\partial L}{\partial \hat{y}_l} &= -\frac{\delta_{lj}}{\hat{y}_j}", c.g("yhat"), -dj / yh[j])),
        chain(line(11, r"&= \hat{y}_l(\delta_{lm} - \hat{y}_m).", c.J("yhat", "z2"), ein("l,lm->lm", yh, eye(k) - yh[None, :]))),
        chain(line(15, r"\sum_{l} \left(-\frac{\delta_{lj}}{\hat{y}_j}\right) \hat{y}_l(\delta_{lm} - \hat{y}_m)", c.g("z2"),
                   ein("l,l,lm->m", -dj / yh[j], yh, eye(k) - yh[None, :])),
              line(16, r"&= -(\delta_{jm} - \hat{y}_m) \\", c.g("z2"), -(dj - yh)),
              line(17, r"&= \hat{y}_m - \delta_{mj}.", c.g("z2"), e)),
        chain(line(22, r"&= (\hat{y}_m - \delta_{mj})\, h_n, \\", c.g("W2"), ein("m,n->mn", e, h))),
        chain(line(23, r"\frac{\partial L}{\partial h_n} &= \sum_{m} (\hat{y}_m - \delta_{mj})\, W^{(2)}_{mn}.", c.g("a1"), gh)),
        chain(line(28, r"&= \delta_{np}\,(1 - h_n^2).", c.J("a1", "z1"), ein("np,n->np", eye(n1), th))),
        chain(line(32, r"&= \sum_n \frac{\partial L}{\partial h_n}\, \delta_{np}\,(1 - h_n^2) \\", c.g("z1"),
                   ein("n,np,n->p", gh, eye(n1), th)),
              line(33, r"&= (1 - h_p^2) \sum_{m} (\hat{y}_m - \delta_{mj})\, W^{(2)}_{mp}, \\", c.g("z1"), gz)),
        chain(line(34, r"&= (1 - h_p^2) \sum_{m} (\hat{y}_m - \delta_{mj})\, W^{(2)}_{mp}\, x_q.", c.g("W1"),
                   ein("p,m,mp,q->pq", th, e, W2, x))),
        chain(line(39, r"&= \sum_p W^{(1)}_{pq}\, (1 - h_p^2) \sum_{m}", c.g("x"), ein("pq,p,m,mp->q", W1, th, e, W2)),
              line(40, r"&= \sum_p \sum_m W^{(1)}_{pq} (1 - h_p^2) W^{(2)}_{mp}\, \hat{y}_m", c.g("x"),
                   ein("pq,p,mp,m->q", W1, th, W2, yh) - ein("pq,p,p->q", W1, th, W2[j]))),
    ]


# 12 engineer's design note, rows = examples, tanh + 3 sigmoid outputs, mean squared error
# without 1/2; the output sigma' written with Y for Yhat
@proves("12-engineer-row-batch-tanh-sigmoid-mse-y-for-yhat.txt")
def d12(c):
    X, Y, Yh, A1, z2, W2 = c.x, c.y, c.yhat, c.a1, c.z2, c.W2
    m = c.m
    g2 = (2 / m) * (Yh - Y) * Y * (1 - Y)                  # author's dJ/dZ2 (wrong)
    t2, ta1, tz1 = c.g("z2"), c.g("a1"), c.g("z1")
    ga1 = g2 @ W2.T
    gz1 = ga1 * (1 - A1 ** 2)
    return [
        chain(line(16, "dJ/dYhat = (2/m) * (Yhat - Y)", c.g("yhat"), (2 / m) * (Yh - Y))),
        chain(line(17, "sigmoid'(Z2) = Yhat * (1 - Yhat)", dact("sigmoid", z2), Yh * (1 - Yh))),
        chain(line(18, "dJ/dZ2 = (2/m) * (Yhat - Y) * Y * (1 - Y)", t2, g2)),
        chain(line(19, "dJ/dW2 = A1.T @ dJ/dZ2", c.g("W2"), A1.T @ g2, repaired=A1.T @ t2, cf=18)),
        chain(line(20, "dJ/db2 = sum over rows of dJ/dZ2", c.g("b2"), g2.sum(axis=0), repaired=t2.sum(axis=0), cf=18)),
        chain(line(21, "dJ/dA1 = dJ/dZ2 @ W2.T", ta1, ga1, repaired=t2 @ W2.T, cf=18)),
        chain(line(22, "dJ/dZ1 = dJ/dA1 * (1 - A1**2)", tz1, gz1, repaired=ta1 * (1 - A1 ** 2), cf=21)),
        chain(line(23, "dJ/dW1 = X.T @ dJ/dZ1", c.g("W1"), X.T @ gz1, repaired=X.T @ tz1, cf=22)),
        chain(line(24, "dJ/db1 = sum over rows of dJ/dZ1", c.g("b1"), gz1.sum(axis=0), repaired=tz1.sum(axis=0), cf=22)),
    ]


# 13 Jupyter, row vector x, sigmoid -> ReLU -> softmax; delta_2 forgets the ReLU derivative
@proves("13-jupyter-row-depth3-sigmoid-relu-missing-relu-derivative.ipynb",
        unlabelled={13: "definition of delta_l", (65, 73): "code cell"})
def d13(c):
    x, y, yh, a1, a2, z1, W2, W3 = c.x, c.y, c.yhat, c.a1, c.a2, c.z1, c.W2, c.W3
    e = yh - y
    d2 = e @ W3.T                                          # author's delta_2 (no ReLU mask)
    t2, t1 = c.g("z2"), c.g("z1")
    s1 = a1 * (1 - a1)
    d1 = (d2 @ W2.T) * s1
    return [
        chain(line(22, r"$$\delta_3 = \hat y - y$$", c.g("z3"), e)),
        chain(line(24, r"$$\frac{\partial L}{\partial W_3} = a_2^\top (\hat y - y)$$", c.g("W3"), outer(a2, e))),
        chain(line(26, r"$$\frac{\partial L}{\partial b_3} = \hat y - y$$", c.g("b3"), e)),
        chain(line(28, r"$$\frac{\partial L}{\partial a_2} = (\hat y - y) W_3^\top$$", c.g("a2"), e @ W3.T)),
        chain(line(39, r"$$\delta_2 = (\hat y - y) W_3^\top$$", t2, d2)),
        chain(line(41, r"$$\frac{\partial L}{\partial W_2} = a_1^\top \left[(\hat y - y) W_3^\top\right]$$", c.g("W2"),
                   outer(a1, d2), repaired=outer(a1, t2), cf=39)),
        chain(line(43, r"$$\frac{\partial L}{\partial b_2} = (\hat y - y) W_3^\top$$", c.g("b2"), d2, repaired=t2, cf=39)),
        chain(line(52, r"$\sigma'(z_1) = a_1 \odot (1 - a_1)$", dact("sigmoid", z1), s1)),
        chain(line(54, r"$$\delta_1 = (\delta_2 W_2^\top) \odot a_1 \odot (1 - a_1)$$", t1, d1,
                   repaired=(t2 @ W2.T) * s1, cf=39)),
        chain(line(56, r"$$\frac{\partial L}{\partial W_1} = x^\top \delta_1$$", c.g("W1"), outer(x, d1),
                   repaired=outer(x, t1), cf=54)),
        chain(line(58, r"$$\frac{\partial L}{\partial b_1} = \delta_1$$", c.g("b1"), d1, repaired=t1, cf=54)),
    ]


# 14 lecture notes, softmax regression (depth 1) on a row-wise batch, integer labels y_i, index form
@proves("14-lecture-softmax-regression-row-batch-integer-labels-correct.tex", unlabelled={7: "forward pass (softmax)"})
def d14(c):
    X, Y, P, W = c.x, c.y, c.yhat, c.W1
    m, k = P.shape
    lab = np.argmax(Y, axis=1)                             # y_i
    Jfull = c.J("yhat", "z1")                              # (m, k, m, k)
    Jrow = np.stack([Jfull[i, :, i, :] for i in range(m)]) # d P_ic / d S_ic'
    E = P - Y
    return [
        chain(line(15, r"\frac{\partial P_{ic}}{\partial S_{ic'}} = P_{ic}\,(\delta_{cc'} - P_{ic'}).", Jrow,
                   ein("ic,icd->icd", P, eye(k)[None] - P[:, None, :]))),
        chain(line(22, r"&= -\frac{1}{m}\,\frac{1}{P_{iy_i}}\,\frac{\partial P_{iy_i}}{\partial S_{ic}} \\", c.g("z1"),
                   np.stack([-(1 / m) / P[i, lab[i]] * Jrow[i, lab[i]] for i in range(m)])),
              line(23, r"&= -\frac{1}{m}\,(\mathbb{1}\{c = y_i\} - P_{ic}) \\", c.g("z1"), -(1 / m) * (Y - P)),
              line(24, r"&= \frac{1}{m}\,(P_{ic} - \mathbb{1}\{c = y_i\}).", c.g("z1"), E / m)),
        chain(line(30, r"\frac{\partial J}{\partial W_{jc}} &= \frac{1}{m} \sum_{i=1}^{m} X_{ij}", c.g("W1"),
                   ein("ij,ic->jc", X, E) / m)),
        chain(line(31, r"\frac{\partial J}{\partial b_{c}} &= \frac{1}{m} \sum_{i=1}^{m}", c.g("b1"), E.sum(axis=0) / m)),
        chain(line(35, r"\nabla_W J = \frac{1}{m}\, X^\top (P - Y).", c.g("W1"), X.T @ E / m)),
        chain(line(41, r"\frac{\partial J}{\partial X_{ij}} = \frac{1}{m} \sum_{c=1}^{k}", c.g("x"), ein("ic,jc->ij", E, W) / m)),
    ]


# 15 TA feedback quoting a student's index-form derivation (ReLU -> tanh -> 3 sigmoids, 1/2 MSE);
# dL/da_{2,j} drops the sum over k, the TA gives the corrected lines
@proves("15-ta-feedback-column-depth3-mse-missing-sum.md")
def d15(c):
    x, y, yh, a1, a2, z1, W2, W3 = c.x, c.y, c.yhat, c.a1, c.a2, c.z1, c.W2, c.W3
    e = (yh - y) * yh * (1 - yh)
    ta2, tz2 = c.g("a2"), c.g("z2")
    t2 = 1 - a2 ** 2
    return [
        chain(line(10, r"\frac{\partial L}{\partial \hat y_k} &= \hat y_k - y_k \\", c.g("yhat"), yh - y)),
        chain(line(11, r"\frac{\partial L}{\partial z_{3,k}} &= (\hat y_k - y_k)\,\hat y_k (1 - \hat y_k) \\", c.g("z3"), e)),
        chain(line(12, r"\frac{\partial L}{\partial W_{3,kj}} &=", c.g("W3"), ein("k,j->kj", e, a2))),
        chain(line(13, r"\frac{\partial L}{\partial b_{3,k}} &=", c.g("b3"), e)),
        # free indices k and j on the right, only j on the left: an array over (k, j)
        chain(line(14, r"\frac{\partial L}{\partial a_{2,j}} &= (\hat y_k - y_k)", ta2, ein("k,kj->kj", e, W3))),
        chain(line(15, r"\frac{\partial L}{\partial z_{2,j}} &= (1 - a_{2,j}^2)", tz2, ein("j,k,kj->kj", t2, e, W3),
                   repaired=t2 * ta2, cf=14)),
        chain(line(16, r"\frac{\partial L}{\partial W_{2,ji}} &= (1 - a_{2,j}^2)", c.g("W2"), ein("j,k,kj,i->kji", t2, e, W3, a1),
                   repaired=ein("j,i->ji", tz2, a1), cf=15)),
        chain(line(17, r"\frac{\partial L}{\partial z_{1,i}} &= \mathbb{1}[z_{1,i} > 0] \sum_j", c.g("z1"),
                   ein("i,ji,j,k,kj->ik", ind(z1), W2, t2, e, W3), repaired=ind(z1) * (W2.T @ tz2), cf=15)),
        chain(line(26, r"$$\frac{\partial L}{\partial a_{2,j}} = \sum_k (\hat y_k - y_k)", ta2, ein("k,kj->j", e, W3))),
        chain(line(30, r"$$\frac{\partial L}{\partial W_{2,ji}} = (1 - a_{2,j}^2) \sum_k", c.g("W2"),
                   ein("j,k,kj,i->ji", t2, e, W3, a1))),
    ]


# 16 Stack Exchange answer: linear (identity) first layer without bias, ReLU, sigmoid/BCE with one
# output (w3 = the single row of W3), diag(1[v > 0]) Jacobian, input gradient
@proves("16-stackexchange-linear-bottleneck-relu-bce-correct.md")
def d16(c):
    x, y, p, u, r, v, W1, W2 = c.x, c.y, c.yhat, c.a1, c.a2, c.z2, c.W1, c.W2
    w3 = c.W3[0]
    ep = p - y                                             # shape (1,)
    Dm = np.diag(ind(v))
    gv = ep * (Dm @ w3)
    return [
        chain(line(9, r"$$\frac{\partial L}{\partial p} = \frac{p - y}{p(1 - p)}$$", c.g("yhat"), (p - y) / (p * (1 - p)))),
        chain(line(11, r"$$\frac{\partial L}{\partial s} = p - y \qquad", c.g("z3"), ep)),
        chain(line(13, r"$\partial L / \partial w_3 = (p - y)\, r$", c.g("W3")[0], ep * r)),
        chain(line(14, r"$\partial L / \partial b_3 = p - y$", c.g("b3"), ep)),
        chain(line(18, r"$$\frac{\partial L}{\partial v} = (p - y)\, D\, w_3$$", c.g("z2"), gv)),
        chain(line(20, r"$$\frac{\partial L}{\partial W_2} = (p - y)\, D\, w_3\, u^\top$$", c.g("W2"), outer(gv, u))),
        chain(line(22, r"$$\frac{\partial L}{\partial b_2} = (p - y)\, D\, w_3$$", c.g("b2"), gv)),
        chain(line(26, r"$$\frac{\partial L}{\partial u} = (p - y)\, W_2^\top D\, w_3$$", c.g("a1"), ep * (W2.T @ Dm @ w3))),
        chain(line(28, r"$$\frac{\partial L}{\partial W_1} = (p - y)\, W_2^\top D\, w_3\, x^\top$$", c.g("W1"),
                   ep * outer(W2.T @ Dm @ w3, x))),
        chain(line(30, r"$$\frac{\partial L}{\partial x} = (p - y)\, W_1^\top W_2^\top D\, w_3$$", c.g("x"),
                   ep * (W1.T @ W2.T @ Dm @ w3))),
    ]


if __name__ == "__main__":
    sys.exit(main(CORPUS, sys.argv))
