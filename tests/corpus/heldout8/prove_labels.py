#!/usr/bin/env python3
"""Independent numerical proof of every label in labels.json (eighth held-out corpus).

numpy only -- no chainrule import, no sympy, no autograd library; the shared
method and the reason are in tests/corpus/proofkit.py, imported unchanged.  This
file: the corpus's settings, its --stats lines, and one hand translation per
document.  Each translation maps the document's own names (r, h, s, p, U, V, ...)
onto proofkit's z1, a1, ..., W1, b1, ...; the mapping is written above each one.

Run from the repository root: ``python tests/corpus/heldout8/prove_labels.py
[FILTER | --stats]``, e.g. FILTER ``10-latex``; proofkit.main says what it prints.

Instances: sizes d=5, d1=7, d2=4, k=3 and batch m=6, all distinct, so a
transposed, mis-indexed or wrong-layer right-hand side cannot pass by accident
(it either has the wrong shape or a different value); five seeds (0-4), so with
k=3 every class is the correct one on some seed and both bce labels occur.
"""
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/corpus, home of proofkit
from proofkit import (Corpus, Setup, at, chain, dact, ein, eye, ind, line, main,  # noqa: E402
                      model_facts, outer, relu_d, sig, sig_d, softmax_jac, tally, tanh_d)

# How each document states its network and its loss (for --stats and the README):
# (forward pass written as, layers named by, loss given by).
STATED = {
    "01": ("chain of definitions", "letters", "formula"),     # r, h, s, p; U, V; -sum y log p
    "02": ("numbered steps", "letters", "words"),             # u, h, o; W, V; negative log-likelihood
    "03": ("nested formula", "letters", "formula"),           # out = U relu(V relu(W x)); 0.5 ||out - t||^2
    "04": ("generic layer l", "superscript (l)", "formula"),  # tanh in words; -sum y log a^(3)
    "05": ("numbered steps", "brackets [l]", "formula"),      # binary cross-entropy
    "06": ("chain of definitions", "subscripts", "words"),    # half the squared error
    "07": ("chain of definitions", "subscripts", "formula"),  # A, H, S, P; mean cross-entropy
    "08": ("chain of definitions", "brackets [l]", "formula"),  # mean cross-entropy
    "09": ("chain of definitions", "letters", "formula"),     # u, h, v; W, M; -sum y log yhat
    "10": ("chain of definitions", "letters", "formula"),     # h, o, p; W, V; -log p_y
    "11": ("index-form list", "letters", "formula"),          # s_j, h_j, r_i, q_i; -sum t log q
    "12": ("chain of definitions", "letters", "formula"),     # a, h, z, p; W, w; binary cross-entropy
    "13": ("generic layer l", "superscript (l)", "formula"),  # ||a^(3) - y||^2
    "14": ("nested formula", "letters", "formula"),           # f(x) = C s(B s(Ax)); 1/2 ||f(x) - y||^2
    "15": ("nested formula", "subscripts", "words"),          # negative log-likelihood of class c
    "16": ("nested formula", "letters", "formula"),           # yhat = softmax(V s(Wx + b) + c); -log yhat_y
}


def corpus_facts(entries):
    """The --stats lines this corpus adds: the shared model facts and how each is stated."""
    how = [STATED[e["file"][:2]] for e in entries]
    return [
        *model_facts(entries),
        tally("forward pass written as", (h[0] for h in how)),
        tally("layers named by", (h[1] for h in how)),
        tally("loss given by", (h[2] for h in how)),
    ]


CORPUS = Corpus(
    here=Path(__file__).resolve().parent,
    setup=Setup(hidden=(7, 4), rng_key=lambda seed: [seed, 20260808], weight_scale=1.3, d=5, k=3, m=6),
    seeds=(0, 1, 2, 3, 4),  # every label must hold on all five instances
    rtol=1e-7,
    declares_shape=True,
    stats_facts=corpus_facts,
    name_width=96,
)
proves = CORPUS.registry.proves


# ===========================================================================
# Per-document translations
# ===========================================================================

# 01 LaTeX notes, own names: r = Ux + a, h = tanh(r), s = Vh + c, p = softmax(s), cross-entropy;
# U, a, V, c = W1, b1, W2, b2; r, h, s, p = z1, a1, z2, yhat. Distractors: d_h = 64, a parameter
# count, an SGD step. Correct.
@proves("01-latex-own-names-r-h-s-p-tanh-softmax-dims-and-sgd-distractors-correct.tex",
        unlabelled={(13, 15): "forward pass (align with &=)", 52: "SGD update with a step size"})
def d01(c):
    x, y, p, h, r, U, V = c.x, c.y, c.yhat, c.a1, c.z1, c.W1, c.W2
    e = p - y
    dr = (V.T @ e) * (1 - h * h)
    return [
        chain(line(27, r"\frac{\partial \ell}{\partial p_j} &= -\frac{y_j}{p_j} , \\", c.g("yhat"), -y / p)),
        # [j, i] = p_j (delta_ij - p_i)
        chain(line(28, r"\frac{\partial p_j}{\partial s_i} &= p_j(\delta_{ij} - p_i) , \\", c.J("yhat", "z2"), softmax_jac(p))),
        chain(line(29, r"\Big(-\frac{y_j}{p_j}\Big)\, p_j(\delta_{ij} - p_i) \\", c.g("z2"), ein("j,ji->i", -y / p, softmax_jac(p))),
              line(30, r"&= -y_i + p_i \sum_{j=1}^{K} y_j = p_i - y_i .", c.g("z2"), e)),
        chain(line(34, r"\frac{\partial \ell}{\partial V} &= e\, h^\top , \\", c.g("W2"), outer(e, h))),
        chain(line(35, r"\frac{\partial \ell}{\partial c} &= e .", c.g("b2"), e)),
        chain(line(41, r"\frac{\partial \ell}{\partial h} = V^\top e .", c.g("a1"), V.T @ e)),
        chain(line(43, r"Since $\tanh'(r) = 1 - \tanh^2(r)$", *at([tanh_d(r)]))),
        chain(line(45, r"&= (V^\top e) \odot (1 - h \odot h) , \\", c.g("z1"), dr)),
        chain(line(46, r"\frac{\partial \ell}{\partial U} &= \frac{\partial \ell}{\partial r}\, x^\top , \\", c.g("W1"), outer(dr, x))),
        chain(line(47, r"\frac{\partial \ell}{\partial a} &= \frac{\partial \ell}{\partial r} , \\", c.g("b1"), dr)),
        chain(line(48, r"\frac{\partial \ell}{\partial x} &= U^\top \frac{\partial \ell}{\partial r} .", c.g("x"), U.T @ dr)),
    ]


# 02 Markdown, row vectors, numbered steps u = xW + b, h = sigma(u), o = hV + c, yhat = softmax(o);
# loss named in words (negative log-likelihood, one-hot y); W, b, V, c = W1, b1, W2, b2.
# dL/dV written delta_o^T h (K x n_h) instead of h^T delta_o (n_h x K); the rest is right.
@proves("02-markdown-row-vectors-numbered-steps-nll-in-words-transposed-weight-gradient.md")
def d02(c):
    x, y, yh, h, u, W, V = c.x, c.y, c.yhat, c.a1, c.z1, c.W1, c.W2
    do = yh - y
    du = (do @ V.T) * h * (1 - h)
    return [
        chain(line(18, r"$\partial L / \partial \hat y_i = -y_i / \hat y_i$", c.g("yhat"), -y / yh)),
        chain(line(20, r"$\partial L/\partial o = \hat y - y$", c.g("z2"), do)),
        chain(line(22, r"\frac{\partial L}{\partial V} = \delta_o^\top h$$", c.g("W2"), outer(do, h))),
        chain(line(24, r"\frac{\partial L}{\partial c} = \delta_o$$", c.g("b2"), do)),
        chain(line(28, r"\frac{\partial L}{\partial h} = \delta_o V^\top$$", c.g("a1"), do @ V.T)),
        chain(line(30, r"$\sigma'(u) = \sigma(u)\,(1 - \sigma(u))$", *at([sig_d(u)]))),
        chain(line(32, r"= (\delta_o V^\top) \odot h \odot (1 - h)$$", c.g("z1"), du)),
        chain(line(34, r"\frac{\partial L}{\partial W} = x^\top \delta_u$$", c.g("W1"), outer(x, du))),
        chain(line(36, r"\frac{\partial L}{\partial b} = \delta_u$$", c.g("b1"), du)),
        chain(line(38, r"$\partial L/\partial x = \delta_u W^\top$", c.g("x"), du @ W.T)),
    ]


# 03 plain-text forum post, one nested formula out = U relu(V relu(W x)), no biases, relu defined
# inline as max(0, z), L = 0.5 ||out - t||^2; W, V, U = W1, W2, W3; g1, r1, g2, r2, out = z1, a1,
# z2, a2, yhat; t = y. Correct, including step(r2) in place of step(g2) (same indicator).
@proves("03-plaintext-forum-nested-formula-relu-inline-linear-output-half-squared-error-correct.txt")
def d03(c):
    x, t, out, r1, r2, g1, g2, W, V, U = c.x, c.y, c.yhat, c.a1, c.a2, c.z1, c.z2, c.W1, c.W2, c.W3
    e = out - t
    dg2 = (U.T @ e) * ind(g2)
    dg1 = (V.T @ dg2) * ind(g1)
    return [
        chain(line(15, "dL/dout = out - t", c.g("yhat"), e)),
        chain(line(16, "dL/dU   = (out - t) r2^T", c.g("W3"), outer(e, r2))),
        chain(line(17, "dL/dr2  = U^T (out - t)", c.g("a2"), U.T @ e)),
        chain(line(18, "relu'(g) = 1 if g > 0, else 0", *at([relu_d(g1), relu_d(g2)]))),
        chain(line(19, "dL/dg2  = (U^T (out - t)) * step(g2)", c.g("z2"), dg2)),
        chain(line(20, "dL/dV   = dL/dg2 r1^T", c.g("W2"), outer(dg2, r1))),
        chain(line(21, "dL/dr1  = V^T dL/dg2", c.g("a1"), V.T @ dg2)),
        chain(line(22, "dL/dg1  = (V^T dL/dg2) * step(g1)", c.g("z1"), dg1)),
        chain(line(23, "dL/dW   = dL/dg1 x^T", c.g("W1"), outer(dg1, x))),
        chain(line(24, "dL/dx   = W^T dL/dg1", c.g("x"), W.T @ dg1)),
        chain(line(26, "dL/dg2 = (U^T (out - t)) * step(r2)", c.g("z2"), (U.T @ e) * ind(r2))),
    ]


# 04 LaTeX problem set, superscript layers a^(l), z^(l), W^(l), b^(l); tanh named in words, softmax
# output, J = -sum_k y_k log a^(3)_k. tanh' written 1 + tanh^2; both deltas and every layer-1/2
# gradient carry it; the output layer and the generic recursion (before the mistake) are right.
@proves("04-latex-superscript-l-layers-tanh-in-words-softmax-tanh-derivative-plus.tex")
def d04(c):
    x, y, a1, a2, a3, z1, z2, W2, W3 = c.x, c.y, c.a1, c.a2, c.yhat, c.z1, c.z2, c.W2, c.W3
    t1, t2, t3 = c.g("z1"), c.g("z2"), c.g("z3")
    d3 = a3 - y
    bad2 = (W3.T @ d3) * (1 + a2 * a2)                     # the author's delta^(2)
    bad1 = (W2.T @ bad2) * (1 + a1 * a1)                   # the author's delta^(1)
    return [
        chain(line(19, r"\delta^{(3)} \equiv \frac{\partial J}{\partial z^{(3)}} &= a^{(3)} - y, \\", t3, d3)),
        chain(line(20, r"\frac{\partial J}{\partial W^{(3)}} &= \delta^{(3)} \big(a^{(2)}\big)^{T}, \\", c.g("W3"), outer(d3, a2))),
        chain(line(21, r"\frac{\partial J}{\partial b^{(3)}} &= \delta^{(3)}, \\", c.g("b3"), d3)),
        chain(line(22, r"\frac{\partial J}{\partial a^{(2)}} &= \big(W^{(3)}\big)^{T} \delta^{(3)} .", c.g("a2"), W3.T @ d3)),
        # generic recursion for l = 1, 2, with tanh' not yet evaluated
        chain(line(27, r"\delta^{(l)} = \Big(\big(W^{(l+1)}\big)^{T} \delta^{(l+1)}\Big) \odot \tanh'\big(z^{(l)}\big),",
                   (t1, t2), ((W2.T @ t2) * dact("tanh", z1), (W3.T @ t3) * dact("tanh", z2)))),
        chain(line(31, r"\frac{d}{dz}\tanh z = 1 + \tanh^{2} z .", (dact("tanh", z1), dact("tanh", z2)),
                   (1 + np.tanh(z1) ** 2, 1 + np.tanh(z2) ** 2))),
        chain(line(35, r"\odot \big(1 + a^{(2)} \odot a^{(2)}\big), \\", t2, bad2, repaired=(W3.T @ d3) * (1 - a2 * a2), cf=31)),
        chain(line(36, r"\frac{\partial J}{\partial W^{(2)}} &= \delta^{(2)} \big(a^{(1)}\big)^{T}, \\", c.g("W2"), outer(bad2, a1),
                   repaired=outer(t2, a1), cf=35)),
        chain(line(37, r"\frac{\partial J}{\partial b^{(2)}} &= \delta^{(2)}, \\", c.g("b2"), bad2, repaired=t2, cf=35)),
        chain(line(38, r"\odot \big(1 + a^{(1)} \odot a^{(1)}\big), \\", t1, bad1, repaired=(W2.T @ t2) * (1 - a1 * a1), cf=(31, 35))),
        chain(line(39, r"\frac{\partial J}{\partial W^{(1)}} &= \delta^{(1)} x^{T}, \\", c.g("W1"), outer(bad1, x),
                   repaired=outer(t1, x), cf=38)),
        chain(line(40, r"\frac{\partial J}{\partial b^{(1)}} &= \delta^{(1)} .", c.g("b1"), bad1, repaired=t1, cf=38)),
    ]


# 05 Markdown, numbered forward steps with [l] layers, ReLU as max(0, z), one sigmoid output unit
# written out as 1/(1 + e^{-z}), binary cross-entropy; W^[2] is 1 x n^[1]. Correct.
@proves("05-markdown-numbered-forward-steps-bracket-layers-relu-max-bce-one-sigmoid-unit-correct.md")
def d05(c):
    x, y, a1, a2, z1, z2, W2 = c.x, c.y, c.a1, c.yhat, c.z1, c.z2, c.W2
    e = a2 - y
    dz1 = (W2.T @ e) * ind(z1)
    return [
        chain(line(19, r"= -\dfrac{y}{a^{[2]}} + \dfrac{1 - y}{1 - a^{[2]}}$", c.g("yhat"), -y / a2 + (1 - y) / (1 - a2))),
        chain(line(20, r"\dfrac{d a^{[2]}}{d z^{[2]}} = a^{[2]}(1 - a^{[2]})$", dact("sigmoid", z2), a2 * (1 - a2))),
        chain(line(21, r"\dfrac{\partial \mathcal{L}}{\partial z^{[2]}} = a^{[2]} - y$", c.g("z2"), e)),
        chain(line(22, r"\dfrac{\partial \mathcal{L}}{\partial W^{[2]}} = (a^{[2]} - y)\, a^{[1]T}$", c.g("W2"), outer(e, a1))),
        chain(line(23, r"\dfrac{\partial \mathcal{L}}{\partial b^{[2]}} = a^{[2]} - y$", c.g("b2"), e)),
        chain(line(24, r"\dfrac{\partial \mathcal{L}}{\partial a^{[1]}} = W^{[2]T} (a^{[2]} - y)$", c.g("a1"), W2.T @ e)),
        chain(line(25, r"\dfrac{d}{dz}\max(0, z) = \mathbb{1}[z > 0]$", *at([relu_d(z1)]))),
        chain(line(26, r"= W^{[2]T} (a^{[2]} - y) \odot \mathbb{1}[z^{[1]} > 0]$", c.g("z1"), dz1)),
        chain(line(27, r"= \dfrac{\partial \mathcal{L}}{\partial z^{[1]}}\, x^T$", c.g("W1"), outer(dz1, x))),
        chain(line(28, r"\dfrac{\partial \mathcal{L}}{\partial b^{[1]}} = \dfrac{\partial \mathcal{L}}{\partial z^{[1]}}$", c.g("b1"), dz1)),
    ]


# 06 plain-text email, z_1 = W_1 x + b_1, h = sigmoid(z_1), yhat = W_2 h + b_2 (linear); loss in
# words: half the squared error. With e = y - yhat the author writes dL/dyhat = e (sign error);
# every gradient carries it; the sigmoid identity is right.
@proves("06-plaintext-email-subscript-layers-sigmoid-half-squared-error-in-words-sign-error.txt")
def d06(c):
    x, y, yh, h, z1, W1, W2 = c.x, c.y, c.yhat, c.a1, c.z1, c.W1, c.W2
    e = y - yh                                             # the author's dL/dyhat
    ty, t1 = c.g("yhat"), c.g("z1")
    bad1 = (W2.T @ e) * h * (1 - h)
    return [
        chain(line(18, "dL/dyhat = e", ty, e)),
        chain(line(19, "dL/dW_2  = e h^T", c.g("W2"), outer(e, h), repaired=outer(ty, h), cf=18)),
        chain(line(20, "dL/db_2  = e", c.g("b2"), e, repaired=ty, cf=18)),
        chain(line(21, "dL/dh    = W_2^T e", c.g("a1"), W2.T @ e, repaired=W2.T @ ty, cf=18)),
        chain(line(23, "sigmoid'(z) = sigmoid(z) (1 - sigmoid(z))", *at([sig_d(z1)]))),
        chain(line(25, "dL/dz_1  = (W_2^T e) .* h .* (1 - h)", t1, bad1, repaired=(W2.T @ ty) * h * (1 - h), cf=18)),
        chain(line(26, "dL/dW_1  = dL/dz_1 x^T", c.g("W1"), outer(bad1, x), repaired=outer(t1, x), cf=25)),
        chain(line(27, "dL/db_1  = dL/dz_1", c.g("b1"), bad1, repaired=t1, cf=25)),
        chain(line(28, "dL/dx    = W_1^T dL/dz_1", c.g("x"), W1.T @ bad1, repaired=W1.T @ t1, cf=25)),
    ]


# 07 notebook, row layout mini-batch: A = XW_1 + b_1, H = sigma(A), S = HW_2 + b_2, P = softmax(S)
# row by row, J = mean cross-entropy; A, H, S, P = z1, a1, z2, yhat (all m x .). The logistic
# function defined inline; distractor: an inverse-time learning-rate schedule. Correct.
@proves("07-notebook-row-layout-minibatch-sigmoid-softmax-mean-ce-lr-schedule-correct.ipynb",
        unlabelled={63: "learning-rate schedule and SGD update", (72, 81): "code cell"})
def d07(c):
    X, Y, P, H, A, W1, W2, m = c.x, c.y, c.yhat, c.a1, c.z1, c.W1, c.W2, c.m
    one = np.ones(m)
    dS = (P - Y) / m
    dH = dS @ W2.T
    dA = dH * H * (1 - H)
    return [
        # per-example loss l_n = m * (its share of J), and S_n only reaches l_n: dl_n/dS_n = m dJ/dS_n
        chain(line(28, r"$\partial \ell_n/\partial S_{n,:} = P_{n,:} - Y_{n,:}$", m * c.g("z2"), P - Y)),
        chain(line(31, r"\frac{\partial J}{\partial S} = \frac{1}{m}(P - Y)$$", c.g("z2"), dS)),
        chain(line(33, r"\frac{\partial J}{\partial W_2} = \frac{1}{m} H^\top (P - Y)$$", c.g("W2"), H.T @ (P - Y) / m)),
        chain(line(35, r"\frac{\partial J}{\partial b_2} = \frac{1}{m}\mathbf{1}^\top (P - Y)$$", c.g("b2"), one @ (P - Y) / m)),
        chain(line(37, r"\frac{\partial J}{\partial H} = \frac{1}{m}(P - Y)\,W_2^\top$$", c.g("a1"), dH)),
        chain(line(46, r"$\sigma'(A) = H \odot (1 - H)$", dact("sigmoid", A), H * (1 - H))),
        chain(line(48, r"\frac{\partial J}{\partial A} = \frac{\partial J}{\partial H} \odot H \odot (1 - H)$$", c.g("z1"), dA)),
        chain(line(50, r"\frac{\partial J}{\partial W_1} = X^\top \frac{\partial J}{\partial A}$$", c.g("W1"), X.T @ dA)),
        chain(line(52, r"\frac{\partial J}{\partial b_1} = \mathbf{1}^\top \frac{\partial J}{\partial A}$$", c.g("b1"), one @ dA)),
        chain(line(54, r"\frac{\partial J}{\partial X} = \frac{\partial J}{\partial A}\, W_1^\top$$", c.g("x"), dA @ W1.T)),
    ]


# 08 LaTeX, column-layout mini-batch X (n_x x m), [l] layers, ReLU, column softmax, J = mean
# cross-entropy. Layer 2 is right with its 1/m; dJ/dA^[1] is first written right through the
# symbol dJ/dZ^[2], then with A^[2] - Y substituted and the 1/m dropped; layer 1 carries it.
@proves("08-latex-column-minibatch-bracket-layers-relu-softmax-mean-ce-missing-1-over-m.tex",
        unlabelled={(10, 11): "forward pass (align with &=)"})
def d08(c):
    X, Y, A1, A2, Z1, W2, m = c.x, c.y, c.a1, c.yhat, c.z1, c.W2, c.m
    t2, tA1, t1 = c.g("z2"), c.g("a1"), c.g("z1")
    E = A2 - Y
    badA1 = W2.T @ E                                       # the author's dJ/dA^[1] (no 1/m)
    badZ1 = badA1 * ind(Z1)
    return [
        chain(line(22, r"\frac{\partial J}{\partial Z^{[2]}} &= \frac{1}{m}\big(A^{[2]} - Y\big), \\", t2, E / m)),
        chain(line(23, r"&= \frac{1}{m}\big(A^{[2]} - Y\big) A^{[1]\top}, \\", c.g("W2"), E @ A1.T / m)),
        chain(line(24, r"&= \frac{1}{m} \sum_{i=1}^{m} \big(A^{[2]} - Y\big)_{:,i} .", c.g("b2"), E.sum(axis=1) / m)),
        chain(line(30, r"&= W^{[2]\top} \frac{\partial J}{\partial Z^{[2]}} \\", tA1, W2.T @ t2),
              line(31, r"&= W^{[2]\top} \big(A^{[2]} - Y\big) .", tA1, badA1)),
        chain(line(33, r"$\operatorname{ReLU}'(Z) = \mathbb{1}[Z > 0]$", *at([relu_d(Z1)]))),
        # dJ/dA^[1] means the author's value of l.31
        chain(line(35, r"&= \frac{\partial J}{\partial A^{[1]}} \odot \mathbb{1}\big[Z^{[1]} > 0\big] \\", t1, badZ1,
                   repaired=tA1 * ind(Z1), cf=31),
              line(36, r"&= \Big(W^{[2]\top} \big(A^{[2]} - Y\big)\Big) \odot \mathbb{1}\big[Z^{[1]} > 0\big], \\", t1, badZ1)),
        chain(line(37, r"&= \frac{\partial J}{\partial Z^{[1]}}\, X^\top, \\", c.g("W1"), badZ1 @ X.T, repaired=t1 @ X.T, cf=36)),
        chain(line(38, r"&= \sum_{i=1}^{m} \Big(\frac{\partial J}{\partial Z^{[1]}}\Big)_{:,i} .", c.g("b1"), badZ1.sum(axis=1),
                   repaired=t1.sum(axis=1), cf=36)),
    ]


# 09 Markdown, own letters u = Wx, h = g(u) with g = 1/(1 + e^{-u}) written inline, v = Mh,
# yhat = softmax(v), no biases, L = -sum y log yhat; W, M = W1, W2; u, h, v = z1, a1, z2.
# dL/dM uses the pre-activation u where h belongs; its entrywise restatement carries it; the
# hidden layer does not use it and is right.
@proves("09-markdown-letters-u-h-v-logistic-defined-inline-no-bias-preactivation-in-weight-gradient.md")
def d09(c):
    x, y, yh, h, u, W, M = c.x, c.y, c.yhat, c.a1, c.z1, c.W1, c.W2
    e = yh - y
    du = (M.T @ e) * h * (1 - h)
    return [
        chain(line(8, r"$\dfrac{\partial L}{\partial \hat y_i} = -\dfrac{y_i}{\hat y_i}$", c.g("yhat"), -y / yh)),
        chain(line(9, r"$\dfrac{\partial \hat y_i}{\partial v_j} = \hat y_i(\delta_{ij} - \hat y_j)$", c.J("yhat", "z2"), softmax_jac(yh))),
        chain(line(11, r"$$\frac{\partial L}{\partial v} = \hat y - y$$", c.g("z2"), e)),
        chain(line(15, r"\frac{\partial L}{\partial M} = (\hat y - y)\, u^\top$$", c.g("W2"), outer(e, u)),
              line(17, r"$\partial L/\partial M_{ij} = (\hat y_i - y_i)\, u_j$", c.g("W2"), ein("i,j->ij", e, u))),
        chain(line(21, r"\frac{\partial L}{\partial h} = M^\top (\hat y - y)$$", c.g("a1"), M.T @ e)),
        chain(line(23, r"$g'(u) = g(u)\,(1 - g(u))$", *at([sig_d(u)]))),
        chain(line(25, r"= \big(M^\top (\hat y - y)\big) \odot h \odot (1 - h)$$", c.g("z1"), du)),
        chain(line(27, r"\frac{\partial L}{\partial W} = \frac{\partial L}{\partial u}\, x^\top$$", c.g("W1"), outer(du, x))),
        chain(line(29, r"\frac{\partial L}{\partial x} = W^\top \frac{\partial L}{\partial u}$$", c.g("x"), W.T @ du)),
    ]


# 10 LaTeX, h = max(0, Wx + b), o = Vh + c, p = softmax(o), L = -log p_y with an integer label y
# (c.j); r = Wx + b; W, b, V, c = W1, b1, W2, b2. The quotient rule is done as if p_y's numerator
# depended on o_i for every i: dp_y/do_i = p_y(1 - p_i), without the Kronecker delta. Everything
# after it carries it (dL/do_i = p_i - 1 for every i); the chain-rule line and relu' are right.
@proves("10-latex-integer-label-neg-log-p-y-relu-max-softmax-jacobian-missing-kronecker.tex")
def d10(c):
    x, p, h, r, V, j = c.x, c.yhat, c.a1, c.z1, c.W2, c.j
    to, Jac = c.g("z2"), c.J("yhat", "z2")
    bad = p - 1                                            # the author's dL/do
    badr = ind(r) * (V.T @ bad)
    tr = ind(r) * (V.T @ to)
    return [
        chain(line(19, r"\frac{\partial L}{\partial p_y} &= -\frac{1}{p_y}, \\", c.g("yhat")[j], -1 / p[j])),
        chain(line(20, r"&= -\frac{1}{p_y}\, \frac{\partial p_y}{\partial o_i} .", to, -(1 / p[j]) * Jac[j])),
        chain(line(24, r"\frac{\partial p_y}{\partial o_i} = p_y (1 - p_i),", Jac[j], p[j] * (1 - p))),
        chain(line(28, r"&= -\frac{1}{p_y}\, p_y (1 - p_i) \\", to, -(1 / p[j]) * p[j] * (1 - p), repaired=-(1 / p[j]) * Jac[j], cf=24),
              line(29, r"&= p_i - 1 .", to, bad)),
        chain(line(33, r"\frac{\partial L}{\partial V_{ij}} &= (p_i - 1)\, h_j , \\", c.g("W2"), outer(bad, h),
                   repaired=outer(to, h), cf=29)),
        chain(line(34, r"\frac{\partial L}{\partial c_i} &= p_i - 1 .", c.g("b2"), bad, repaired=to, cf=29)),
        chain(line(39, r"\frac{\partial L}{\partial h_j} = \sum_{i=1}^{K} (p_i - 1)\, V_{ij} .", c.g("a1"), V.T @ bad,
                   repaired=V.T @ to, cf=29)),
        chain(line(41, r"is $1$ for $r > 0$ and $0$ for $r < 0$, i.e.\ $\mathbb{1}[r > 0]$", *at([relu_d(r)]))),
        chain(line(43, r"\frac{\partial L}{\partial r_j} &= \mathbb{1}[r_j > 0] \sum_{i=1}^{K} (p_i - 1)\, V_{ij} , \\", c.g("z1"), badr,
                   repaired=tr, cf=29)),
        chain(line(44, r"\frac{\partial L}{\partial W_{jk}} &= \mathbb{1}[r_j > 0] \sum_{i=1}^{K} (p_i - 1)\, V_{ij}\, x_k , \\",
                   c.g("W1"), outer(badr, x), repaired=outer(tr, x), cf=29)),
        chain(line(45, r"\frac{\partial L}{\partial b_j} &= \mathbb{1}[r_j > 0] \sum_{i=1}^{K} (p_i - 1)\, V_{ij} .", c.g("b1"), badr,
                   repaired=tr, cf=29)),
    ]


# 11 Markdown, index form: s_j = sum_k W_jk x_k + b_j, h_j = g(s_j) (g named in words: the
# logistic function), r_i = sum_j V_ij h_j + c_i, q = softmax(r), L = -sum t log q, one-hot t;
# W, b, V, c = W1, b1, W2, b2; s, h, r, q = z1, a1, z2, yhat. dL/dV_ij = (q_i - t_i) h_i: the
# hidden unit's index is the output's (well-formed, since K < n_h: h_1..h_K exist); nothing else
# uses it.
@proves("11-markdown-index-sums-logistic-in-words-one-hot-t-wrong-index-in-output-weight-gradient.md")
def d11(c):
    x, t, q, h, s, V = c.x, c.y, c.yhat, c.a1, c.z1, c.W2
    e = q - t
    assert c.k < c.d1  # h_i for i = 1..K is defined
    ds = h * (1 - h) * ein("i,ij->j", e, V)
    return [
        chain(line(14, r"$$\frac{\partial L}{\partial q_l} = -\frac{t_l}{q_l}$$", c.g("yhat"), -t / q)),
        chain(line(16, r"$$\frac{\partial q_l}{\partial r_i} = q_l(\delta_{li} - q_i)$$", c.J("yhat", "z2"), softmax_jac(q))),
        chain(line(18, r"= -t_i + q_i \sum_l t_l$$", c.g("z2"), -t + q * np.sum(t)),
              line(20, r"which is $q_i - t_i$", c.g("z2"), e)),
        chain(line(22, r"$$\frac{\partial L}{\partial V_{ij}} = (q_i - t_i)\, h_i$$", c.g("W2"),
                   ein("i,j->ij", e * h[: c.k], np.ones(c.d1)))),
        chain(line(24, r"$$\frac{\partial L}{\partial c_i} = q_i - t_i$$", c.g("b2"), e)),
        chain(line(28, r"$$\frac{\partial L}{\partial h_j} = \sum_i (q_i - t_i)\, V_{ij}$$", c.g("a1"), ein("i,ij->j", e, V))),
        chain(line(30, r"With $g'(s) = g(s)(1 - g(s))$:", *at([sig_d(s)]))),
        chain(line(32, r"= h_j (1 - h_j) \sum_i (q_i - t_i)\, V_{ij}$$", c.g("z1"), ds)),
        chain(line(34, r"= h_j (1 - h_j) \sum_i (q_i - t_i)\, V_{ij}\, x_k$$", c.g("W1"), ein("j,k->jk", ds, x))),
        chain(line(36, r"$$\frac{\partial L}{\partial b_j} = h_j (1 - h_j) \sum_i (q_i - t_i)\, V_{ij}$$", c.g("b1"), ds)),
    ]


# 12 plain-text forum post, row vectors: a = x W + b, h = tanh(a), z = h w + c, p = 1/(1 + exp(-z))
# written inline, binary cross-entropy; W, b, w, c = W1, b1, W2 (n x 1), b2; a, h, z, p = z1, a1,
# z2, yhat. dL/dz = (p - y) p (1 - p): the sigmoid derivative applied a second time after the
# simplification; every gradient after it carries it; tanh' and the two local derivatives are right.
@proves("12-plaintext-forum-row-vectors-tanh-sigmoid-inline-bce-extra-sigmoid-derivative.txt")
def d12(c):
    x, y, p, h, a, z, w = c.x, c.y, c.yhat, c.a1, c.z1, c.z2, c.W2
    tz, th, ta = c.g("z2"), c.g("a1"), c.g("z1")
    bad = (p - y) * p * (1 - p)                            # the author's dL/dz (shape (1,))
    badh = bad[0] * w[:, 0]                                # dL/dz w^T, as the n-vector dL/dh
    bada = badh * (1 - h ** 2)
    return [
        chain(line(16, "dL/dp = -y/p + (1 - y)/(1 - p)", c.g("yhat"), -y / p + (1 - y) / (1 - p))),
        chain(line(17, "dp/dz = p (1 - p)", dact("sigmoid", z), p * (1 - p))),
        chain(line(18, "dL/dz = (p - y) * p * (1 - p)", tz, bad)),
        chain(line(19, "dL/dw = h^T dL/dz", c.g("W2"), outer(h, bad), repaired=outer(h, tz), cf=18)),
        chain(line(20, "dL/dc = dL/dz", c.g("b2"), bad, repaired=tz, cf=18)),
        chain(line(21, "dL/dh = dL/dz w^T", th, badh, repaired=tz[0] * w[:, 0], cf=18)),
        chain(line(22, "tanh'(a) = 1 - tanh(a)^2", *at([tanh_d(a)]))),
        chain(line(23, "dL/da = dL/dh * (1 - h^2)", ta, bada, repaired=th * (1 - h ** 2), cf=21)),
        chain(line(24, "dL/dW = x^T dL/da", c.g("W1"), outer(x, bada), repaired=outer(x, ta), cf=23)),
        chain(line(25, "dL/db = dL/da", c.g("b1"), bada, repaired=ta, cf=23)),
    ]


# 13 LaTeX, generic layer form a^(0) = x, z^(l) = W^(l) a^(l-1) + b^(l), tanh hidden layers, linear
# output, L = ||a^(3) - y||^2 without 1/2. The generic weight gradient uses a^(l) where a^(l-1)
# belongs (a d_l x d_l matrix: the wrong shape at every layer); its three instances carry it; the
# deltas, the bias gradients and tanh' are right.
@proves("13-latex-generic-layer-l-tanh-linear-output-squared-norm-no-half-off-by-one-layer.tex",
        unlabelled={16: "definition of delta^(l)"})
def d13(c):
    x, y, a1, a2, a3, z1, z2, W2, W3 = c.x, c.y, c.a1, c.a2, c.yhat, c.z1, c.z2, c.W2, c.W3
    t1, t2, t3 = c.g("z1"), c.g("z2"), c.g("z3")
    gW = (c.g("W1"), c.g("W2"), c.g("W3"))
    d3 = 2 * (a3 - y)
    d2 = (W3.T @ d3) * (1 - a2 * a2)
    d1 = (W2.T @ d2) * (1 - a1 * a1)
    return [
        chain(line(20, r"\frac{\partial L}{\partial a^{(3)}} &= 2\big(a^{(3)} - y\big), \\", c.g("yhat"), d3)),
        chain(line(21, r"\delta^{(3)} &= 2\big(a^{(3)} - y\big),", t3, d3)),
        chain(line(27, r"\delta^{(l)} = \big(W^{(l+1)}\big)^{\top} \delta^{(l+1)} \odot \big(1 - a^{(l)} \odot a^{(l)}\big),",
                   (t1, t2), ((W2.T @ t2) * (1 - a1 * a1), (W3.T @ t3) * (1 - a2 * a2)))),
        chain(line(29, r"where we used $\tanh'(z) = 1 - \tanh^2(z)$.", *at([tanh_d(z1), tanh_d(z2)]))),
        chain(line(33, r"\frac{\partial L}{\partial b^{(l)}} &= \delta^{(l)}, \\", (c.g("b1"), c.g("b2"), c.g("b3")), (t1, t2, t3))),
        chain(line(34, r"\frac{\partial L}{\partial W^{(l)}} &= \delta^{(l)} \big(a^{(l)}\big)^{\top} .", gW,
                   (outer(t1, a1), outer(t2, a2), outer(t3, a3)))),
        chain(line(39, r"\odot \big(1 - a^{(2)} \odot a^{(2)}\big), \\", t2, d2)),
        chain(line(40, r"\delta^{(1)} &= \big(W^{(2)}\big)^{\top} \delta^{(2)} \odot \big(1 - a^{(1)} \odot a^{(1)}\big), \\", t1, d1)),
        chain(line(41, r"&= 2\big(a^{(3)} - y\big) \big(a^{(3)}\big)^{\top}, \\", gW[2], outer(d3, a3), repaired=outer(d3, a2), cf=34)),
        chain(line(42, r"&= \delta^{(2)} \big(a^{(2)}\big)^{\top}, \\", gW[1], outer(d2, a2), repaired=outer(d2, a1), cf=34)),
        chain(line(43, r"&= \delta^{(1)} \big(a^{(1)}\big)^{\top} .", gW[0], outer(d1, a1), repaired=outer(d1, x), cf=34)),
    ]


# 14 LaTeX appendix, one nested formula f(x) = C sigma(B sigma(Ax)) with sigma written inline, no
# biases, L = 1/2 ||f(x) - y||^2; A, B, C = W1, W2, W3; u, h, s, g, f = z1, a1, z2, a2, yhat.
# Distractors: layer widths d_1 = 64 etc., an SGD step with nabla, a step-decay schedule. The last
# line substitutes everything back into one formula, recomputed here from A, B, C and x. Correct.
@proves("14-latex-one-nested-formula-sigmoid-inline-no-bias-half-squared-norm-dims-sgd-schedule-correct.tex",
        unlabelled={16: "SGD update with nabla"})
def d14(c):
    x, y, f, g, h, z1, z2, A, B, C = c.x, c.y, c.yhat, c.a2, c.a1, c.z1, c.z2, c.W1, c.W2, c.W3
    e = f - y
    ds = (C.T @ e) * g * (1 - g)
    du = (B.T @ ds) * h * (1 - h)

    def sp(v):
        return sig(v) * (1 - sig(v))
    fx = C @ sig(B @ sig(A @ x))
    nested = outer((B.T @ ((C.T @ (fx - y)) * sp(B @ sig(A @ x)))) * sp(A @ x), x)
    return [
        chain(line(22, r"\frac{\partial L}{\partial f} &= f - y, \\", c.g("yhat"), e)),
        chain(line(23, r"\frac{\partial L}{\partial C} &= (f - y)\, g^\top, \\", c.g("W3"), outer(e, g))),
        chain(line(24, r"\frac{\partial L}{\partial g} &= C^\top (f - y) .", c.g("a2"), C.T @ e)),
        chain(line(26, r"Using $\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$,", *at([sig_d(z1), sig_d(z2)]))),
        chain(line(28, r"&= \big(C^\top (f - y)\big) \odot g \odot (1 - g), \\", c.g("z2"), ds)),
        chain(line(29, r"\frac{\partial L}{\partial B} &= \frac{\partial L}{\partial s}\, h^\top, \\", c.g("W2"), outer(ds, h))),
        chain(line(30, r"\frac{\partial L}{\partial h} &= B^\top \frac{\partial L}{\partial s}, \\", c.g("a1"), B.T @ ds)),
        chain(line(31, r"\Big(B^\top \frac{\partial L}{\partial s}\Big) \odot h \odot (1 - h), \\", c.g("z1"), du)),
        chain(line(32, r"\frac{\partial L}{\partial A} &= \frac{\partial L}{\partial u}\, x^\top .", c.g("W1"), outer(du, x))),
        chain(line(36, r"\odot \sigma'\big(B\sigma(Ax)\big) \Big) \odot \sigma'(Ax) \Big]\, x^\top .", c.g("W1"), nested)),
    ]


# 15 Markdown Q&A: yhat = softmax(W_2 ReLU(W_1 x + b_1) + b_2) in one formula, the loss named in
# words (negative log-likelihood of the true class c, = c.j); e_c the one-hot of c. Correct.
@proves("15-markdown-qa-nll-in-words-true-class-c-relu-first-layer-gradient-correct.md")
def d15(c):
    x, yh, z1, W2, j = c.x, c.yhat, c.z1, c.W2, c.j
    ec = eye(c.k)[j]
    dz1 = (W2.T @ (yh - ec)) * ind(z1)
    return [
        chain(line(6, r"$\partial L/\partial \hat y_c = -1/\hat y_c$", c.g("yhat")[j], -1 / yh[j])),
        chain(line(7, r"$\partial L/\partial z_2 = \hat y - e_c$", c.g("z2"), yh - ec)),
        chain(line(8, r"$\partial L/\partial z_1 = \big(W_2^\top (\hat y - e_c)\big) \odot \mathbb{1}[z_1 > 0]$", c.g("z1"), dz1)),
        chain(line(9, r"\odot \mathbb{1}[z_1 > 0]\Big)\, x^\top$", c.g("W1"), outer(dz1, x))),
        chain(line(10, r"$\partial L/\partial b_1 = \big(W_2^\top (\hat y - e_c)\big) \odot \mathbb{1}[z_1 > 0]$", c.g("b1"), dz1)),
    ]


# 16 plain-text post in Unicode, one nested formula yhat = softmax(V sigma(Wx + b) + c), sigma named
# in words, L = -log yhat_y with an integer class y (c.j); u, h, z = z1, a1, z2; W, b, V, c = W1,
# b1, W2, b2. dL/dh_j keeps only the y-th term of the sum over the K outputs (the other outputs
# reach h through the softmax's normaliser); the hidden-layer lines carry it, the output layer and
# sigma' are right.
@proves("16-plaintext-unicode-nested-formula-integer-label-sigmoid-dropped-sum-over-outputs.txt")
def d16(c):
    x, yh, h, u, V, j = c.x, c.yhat, c.a1, c.z1, c.W2, c.j
    e = yh - eye(c.k)[j]
    th, tu = c.g("a1"), c.g("z1")
    bad_h = (yh[j] - 1) * V[j]                             # the author's dL/dh (one term of the sum)
    bad_u = bad_h * h * (1 - h)
    return [
        chain(line(10, "∂L/∂z_k  = ŷ_k − [k = y]", c.g("z2"), e)),
        chain(line(11, "∂L/∂V_kj = (ŷ_k − [k = y]) h_j", c.g("W2"), ein("k,j->kj", e, h))),
        chain(line(12, "∂L/∂c_k  = ŷ_k − [k = y]", c.g("b2"), e)),
        chain(line(16, "∂L/∂h_j  = (ŷ_y − 1) V_yj", th, bad_h)),
        chain(line(18, "σ′(u) = σ(u)(1 − σ(u))", *at([sig_d(u)]))),
        chain(line(20, "∂L/∂u_j  = (ŷ_y − 1) V_yj h_j (1 − h_j)", tu, bad_u, repaired=th * h * (1 - h), cf=16)),
        chain(line(21, "∂L/∂W_ji = (ŷ_y − 1) V_yj h_j (1 − h_j) x_i", c.g("W1"), ein("j,i->ji", bad_u, x),
                   repaired=ein("j,i->ji", tu, x), cf=20)),
        chain(line(22, "∂L/∂b_j  = (ŷ_y − 1) V_yj h_j (1 − h_j)", c.g("b1"), bad_u, repaired=tu, cf=20)),
    ]


if __name__ == "__main__":
    sys.exit(main(CORPUS, sys.argv))
