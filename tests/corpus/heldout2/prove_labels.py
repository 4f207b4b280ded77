#!/usr/bin/env python3
"""Independent numerical proof of every label in labels.json (second held-out corpus).

numpy only -- no chainrule import, no sympy, no autograd library.

For every document and every random seed this script

  * builds the network named by the document's ``model`` / ``loss`` /
    ``convention`` entry in labels.json with a small parser written here;
  * uses all-distinct sizes d=7, d1=5, d2=4, k=3 (k=1 for bce; k=2 for the one
    document that fixes two classes), one-hot y for cross_entropy, y in {0,1}
    for bce, real-valued y for mse;
  * computes the TRUE value of each left-hand side by complex-step
    differentiation (exact to rounding) through a hand-written forward pass,
    with respect to parameters, the input, or any intermediate
    (z1, a1, ..., yhat), everything downstream being recomputed;
  * evaluates the author's right-hand side, hand-translated into numpy next
    to a snippet of the text it translates (einsum for index forms: the
    result is an array over all free-index values);
  * asserts  verdict == "correct"  <=>  allclose(truth, rhs) on every seed,
    and proves every ``introduces_error`` flag in both directions (see
    README.md, "Introduces vs carries").

Run (from the repository root):
    python tests/corpus/heldout2/prove_labels.py            # everything
    python tests/corpus/heldout2/prove_labels.py 08-two     # files containing "08-two"
    python tests/corpus/heldout2/prove_labels.py --stats    # counts for README.md
Prints one line per document, then "N passed, M failed"; exit status 1 on failure.
"""
import json
import pathlib
import re
import sys

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
SEEDS = (0, 1, 2, 3)       # every label must hold on all four instances
D, D1, D2, K, M = 7, 5, 4, 3, 6
RTOL, ATOL = 1e-7, 1e-10
KINDS = {"index", "transpose", "missing_factor", "extra_factor", "sign", "y_vs_yhat",
         "softmax_jacobian", "activation_derivative", "shape", "wrong_layer", "other"}
LOSSES = {"cross_entropy", "mse", "bce"}

# ---------------------------------------------------------------------------
# Model specs.  Grammar (tokens separated by spaces / parentheses):
#   spec  := "yhat =" act
#   act   := NAME "(" lin ")" | "x" | "X"
#   lin   := "W<n>" act ["+" "b<n>"]      column convention
#          | act "W<n>" ["+" "b<n>"]      row convention
# ---------------------------------------------------------------------------
ACT_NAMES = ("sigmoid", "tanh", "relu", "identity", "softmax")


class SpecError(ValueError):
    pass


def parse_spec(spec):
    m = re.fullmatch(r"\s*yhat\s*=\s*(.+?)\s*", spec)
    if not m:
        raise SpecError("spec must start with 'yhat =': %r" % spec)
    toks = re.findall(r"[A-Za-z]+\d*|[()+]", m[1])
    pos = [0]

    def peek():
        return toks[pos[0]] if pos[0] < len(toks) else None

    def take(expected=None):
        t = peek()
        if t is None or (expected is not None and t != expected):
            raise SpecError("expected %r at token %d of %r" % (expected, pos[0], spec))
        pos[0] += 1
        return t

    def act():
        t = take()
        if t in ("x", "X"):
            return {"input": t, "layers": [], "conv": None}
        if t not in ACT_NAMES:
            raise SpecError("unknown activation %r" % t)
        take("(")
        inner = lin(t)
        take(")")
        return inner

    def lin(name):
        t = peek()
        if t is not None and re.fullmatch(r"W\d+", t):
            w = int(take()[1:])
            sub = act()
            conv = "column"
        else:
            sub = act()
            t2 = take()
            if not re.fullmatch(r"W\d+", t2):
                raise SpecError("expected a weight after the row-vector input, got %r" % t2)
            w = int(t2[1:])
            conv = "row"
        bias = False
        if peek() == "+":
            take("+")
            b = take()
            if b != "b%d" % w:
                raise SpecError("bias %r does not match W%d" % (b, w))
            bias = True
        if sub["conv"] not in (None, conv):
            raise SpecError("mixed conventions")
        if w != len(sub["layers"]) + 1:
            raise SpecError("layers must be numbered from the input: W%d" % w)
        return {"input": sub["input"], "conv": conv,
                "layers": sub["layers"] + [{"act": name, "bias": bias}]}

    net = act()
    if peek() is not None:
        raise SpecError("trailing tokens in %r" % spec)
    if not net["layers"]:
        raise SpecError("no layers")
    if any(l["act"] == "softmax" for l in net["layers"][:-1]):
        raise SpecError("softmax only at the output")
    return net


def act_fn(name, z, axis):
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-z))
    if name == "tanh":
        return np.tanh(z)
    if name == "relu":
        return np.where(z.real > 0, z, 0.0 * z)
    if name == "identity":
        return z
    if name == "softmax":
        e = np.exp(z - np.max(z.real, axis=axis, keepdims=True))
        return e / np.sum(e, axis=axis, keepdims=True)
    raise ValueError(name)


class Net:
    def __init__(self, spec, loss, convention, k=None):
        p = parse_spec(spec)
        if p["conv"] != convention:
            raise SpecError("labels.json says %s but the model is %s" % (convention, p["conv"]))
        if loss not in LOSSES:
            raise SpecError("unknown loss %r" % loss)
        self.layers, self.conv, self.loss = p["layers"], p["conv"], loss
        self.batch = p["input"] == "X"
        n = len(self.layers)
        if k is not None and loss == "bce":
            raise SpecError("a bce output has one unit")
        out = 1 if loss == "bce" else (k or K)
        if loss == "cross_entropy" and self.layers[-1]["act"] != "softmax":
            raise SpecError("cross_entropy needs a softmax output")
        if loss == "bce" and self.layers[-1]["act"] != "sigmoid":
            raise SpecError("bce needs a sigmoid output")
        self.sizes = [D] + [D1, D2][: n - 1] + [out]
        dims = self.sizes + ([M] if self.batch else [])
        assert len(set(dims)) == len(dims), "dimensions must be distinct: %r" % dims
        # class axis of a (batched) activation
        self.axis = 0 if (self.conv == "column" or not self.batch) else 1

    def affine(self, W, h, b):
        if self.conv == "column":
            z = W @ h
            if b is not None:
                z = z + (b[:, None] if self.batch else b)
        else:
            z = h @ W
            if b is not None:
                z = z + (b[None, :] if self.batch else b)
        return z

    def forward(self, P, ov=None):
        ov = ov or {}
        v = dict(P)
        h = P["x"]
        n = len(self.layers)
        for l, spec in enumerate(self.layers, 1):
            if "z%d" % l in ov:
                z = ov["z%d" % l]
            else:
                z = self.affine(P["W%d" % l], h, P.get("b%d" % l))
            v["z%d" % l] = z
            if "a%d" % l in ov:
                a = ov["a%d" % l]
            elif l == n and "yhat" in ov:
                a = ov["yhat"]
            else:
                a = act_fn(spec["act"], z, self.axis)
            v["a%d" % l] = h = a
        v["yhat"] = h
        y = P["y"]
        if self.loss == "cross_entropy":
            per = -y * np.log(h)
        elif self.loss == "mse":
            per = 0.5 * (h - y) ** 2          # analytic (no abs) for the complex step
        else:
            per = -(y * np.log(h) + (1 - y) * np.log(1 - h))
        v["L"] = np.sum(per) / (M if self.batch else 1)
        return v

    def instance(self, seed):
        rng = np.random.default_rng([seed, 20250611])
        n = len(self.layers)
        m = M if self.batch else None
        if not self.batch:
            x = rng.normal(size=D)
        else:
            x = rng.normal(size=(D, M) if self.conv == "column" else (M, D))
        P = {"x": x}
        for l, spec in enumerate(self.layers, 1):
            fi, fo = self.sizes[l - 1], self.sizes[l]
            P["W%d" % l] = rng.normal(size=(fo, fi) if self.conv == "column" else (fi, fo)) * 1.4 / np.sqrt(fi)
            if spec["bias"]:
                P["b%d" % l] = rng.normal(size=fo) * 0.5
        out = self.sizes[-1]
        j = None
        if self.loss == "cross_entropy":
            if self.batch:
                cls = [(seed + i) % out for i in range(M)]
                Y = np.eye(out)[cls]                       # (m, k)
                P["y"] = Y.T if self.conv == "column" else Y
            else:
                j = seed % out
                P["y"] = np.eye(out)[j]
        elif self.loss == "bce":
            if self.batch:
                Y = np.array([[float((seed + i) % 2)] for i in range(M)])   # (m, 1)
                P["y"] = Y.T if self.conv == "column" else Y
            else:
                P["y"] = np.array([float(seed % 2)])
        else:
            shape = (out,) if not self.batch else ((out, M) if self.conv == "column" else (M, out))
            P["y"] = rng.normal(size=shape)
        return P, j, m


class Ctx:
    """One random instance.  c.NAME gives parameters and forward values (x is the
    input, also for a batch X; y the target; z1, a1, ..., yhat, L); c.g(name) the
    gradient of L; c.J(out, wrt) the complex-step Jacobian (shape out + wrt)."""

    H = 1e-30

    def __init__(self, net, seed):
        self.net = net
        self.P, self.j, self.m = net.instance(seed)
        self.v = net.forward(self.P)
        self.k = net.sizes[-1]
        self._cache = {}
        for l, spec in enumerate(net.layers, 1):   # complex step needs no kink nearby
            if spec["act"] == "relu":
                assert np.min(np.abs(self.v["z%d" % l])) > 1e-6

    def __getattr__(self, name):
        if name in ("v", "P", "net"):
            raise AttributeError(name)
        if name in self.v:
            return np.real(self.v[name])
        raise AttributeError(name)

    def J(self, out, wrt):
        key = (out, wrt)
        if key not in self._cache:
            base = np.asarray(self.v[wrt])
            res = np.zeros(np.shape(self.v[out]) + base.shape)
            for idx in np.ndindex(base.shape):
                pert = base.astype(complex)
                pert[idx] += 1j * self.H
                if wrt in self.P:
                    r = self.net.forward(dict(self.P, **{wrt: pert}))
                else:
                    r = self.net.forward(self.P, {wrt: pert})
                res[(Ellipsis,) + idx] = np.imag(r[out]) / self.H
            self._cache[key] = res
        return self._cache[key]

    def g(self, wrt):
        return self.J("L", wrt)


def dact(name, z):
    """Elementwise derivative of an activation by complex step (not a formula)."""
    h = 1e-30
    return np.imag(act_fn(name, np.asarray(z, dtype=complex) + 1j * h, 0)) / h


# ---------------------------------------------------------------------------
# helpers for the translations
# ---------------------------------------------------------------------------
sig = lambda z: 1.0 / (1.0 + np.exp(-z))
ind = lambda z: (np.asarray(z) > 0).astype(float)          # 1[z > 0]
outer = np.outer
ein = np.einsum
eye = np.eye


class Ill:
    """A right-hand side that is not a well-formed value (shapes that do not
    combine, an index outside its range).  ``holds`` is the dimension fact that
    makes it ill-formed, asserted here; ``key`` names the expression so that a
    later line writing the same ill-formed thing counts as equal to it."""

    def __init__(self, why, holds, key=None):
        assert holds, "ill-formedness claim is false: " + why
        self.why, self.key = why, key or why

    def __repr__(self):
        return "Ill(%s)" % self.why


def close(a, b):
    if isinstance(a, Ill) or isinstance(b, Ill):
        return isinstance(a, Ill) and isinstance(b, Ill) and a.key == b.key
    if isinstance(a, tuple) or isinstance(b, tuple):
        return (isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b)
                and all(close(p, q) for p, q in zip(a, b)))
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=RTOL, atol=ATOL))


def line(n, snippet, truth, rhs, repaired=None, cf=None):
    """n: 1-based line where the rhs starts; snippet: text that must be on that
    line; truth: the true lhs; rhs: the author's rhs.  For a line that carries an
    error by reusing the author's earlier wrong result(s): repaired is the rhs
    with those results replaced by their true values, cf the line(s) they come from."""
    if cf is not None and not isinstance(cf, (list, tuple)):
        cf = [cf]
    return dict(n=n, snippet=snippet, truth=truth, rhs=rhs, repaired=repaired, cf=cf)


def chain(*lines):
    return list(lines)


DOCS = {}


def proves(fname, unlabelled=None, k=None):
    """Register a document's translation.  ``unlabelled`` maps a line number, or a
    (first, last) range, to the reason it looks like a claim but is not one.  ``k``
    overrides the number of output units when the document fixes it (08-: two classes)."""
    def deco(fn):
        DOCS[fname] = (fn, unlabelled or {}, k)
        return fn
    return deco




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


# ===========================================================================
# The checker
# ===========================================================================
# A line "looks like a claim" when it has '=' and one of these tokens.  Every
# such line must be labelled or declared in @proves(unlabelled=...).
LINT = re.compile(r"\\partial|\\nabla|∂|∇|['′]\s*[(=]|\\prime|&=|\\delta|δ|\\frac\{d|"
                  r"(^|[\s$])d[A-Za-z]\w*(\^\{[^}]*\})?\s*=")
NON_DOCS = {"README.md", "labels.json", "prove_labels.py"}


def read_lines(path):
    """Lines of a document; for .ipynb the JSON string on each line is decoded so
    that snippets and the lint see the text (line numbers are the JSON file's)."""
    raw = path.read_text(encoding="utf-8").split("\n")
    if path.suffix != ".ipynb":
        return raw
    json.loads("\n".join(raw))                             # must be valid JSON
    out = []
    for t in raw:
        s = t.strip().rstrip(",")
        if len(s) >= 2 and s[0] == '"' and s[-1] == '"':
            try:
                out.append(json.loads(s))
                continue
            except ValueError:
                pass
        out.append(t)
    return out


def expand(unlabelled):
    res = {}
    for k, why in unlabelled.items():
        if isinstance(k, tuple):
            for i in range(k[0], k[1] + 1):
                res[i] = why
        else:
            res[k] = why
    return res


def check_doc(entry):
    probs = []
    fname = entry["file"]
    path = HERE / fname
    if not path.exists():
        return ["file missing"], None
    if fname not in DOCS:
        return ["no translation in prove_labels.py"], None
    text = read_lines(path)
    fn, unl, kk = DOCS[fname]
    unl = expand(unl)
    net = Net(entry["model"], entry["loss"], entry["convention"], k=kk)
    li = entry["label_index"]
    if li is not None and (entry["loss"] != "cross_entropy" or net.batch or not re.fullmatch(r"[a-z]", li)):
        probs.append("label_index %r only for single-example cross_entropy documents" % li)
    runs = [fn(Ctx(net, s)) for s in SEEDS]
    shape0 = [[ln["n"] for ln in ch] for ch in runs[0]]
    for r in runs[1:]:
        assert [[ln["n"] for ln in ch] for ch in r] == shape0
    ns = [n for ch in shape0 for n in ch]
    labels = {l["line"]: l for l in entry["lines"]}
    if len(labels) != len(entry["lines"]):
        probs.append("duplicate line numbers in labels.json")
    if len(set(ns)) != len(ns):
        probs.append("duplicate line numbers in the translation")
    if set(ns) != set(labels):
        probs.append("labelled but not translated %s; translated but not labelled %s"
                     % (sorted(set(labels) - set(ns)), sorted(set(ns) - set(labels))))
        return probs, None
    if [l["line"] for l in entry["lines"]] != sorted(labels):
        probs.append("labels.json lines not in file order")
    correct, prev, rep = {}, {}, {}
    for ci, ch in enumerate(shape0):
        for k, n in enumerate(ch):
            lns = [r[ci][k] for r in runs]
            correct[n] = all(close(l["truth"], l["rhs"]) for l in lns)
            if k > 0:
                prev[n] = (ch[k - 1], all(close(r[ci][k]["rhs"], r[ci][k - 1]["rhs"]) for r in runs))
            if lns[0]["repaired"] is not None:
                rep[n] = (lns[0]["cf"], all(close(l["truth"], l["repaired"]) for l in lns))
    info = {ln["n"]: ln for ch in runs[0] for ln in ch}
    for n in ns:
        lab, ln, where = labels[n], info[n], "line %d" % n
        if not 1 <= n <= len(text) or ln["snippet"] not in text[n - 1]:
            probs.append("%s: snippet %r not on that line" % (where, ln["snippet"]))
        verdict = "correct" if correct[n] else "incorrect"
        if lab["verdict"] != verdict:
            probs.append("%s: labelled %s, but the numbers say %s" % (where, lab["verdict"], verdict))
            continue
        if not lab.get("note"):
            probs.append("%s: empty note" % where)
        if verdict == "correct":
            if lab["kinds"] or lab["introduces_error"]:
                probs.append("%s: a correct line has kinds or introduces_error" % where)
            if n in rep:
                probs.append("%s: a correct line has a repaired value" % where)
            continue
        if not lab["kinds"] or not set(lab["kinds"]) <= KINDS:
            probs.append("%s: bad kinds %r" % (where, lab["kinds"]))
        p = prev.get(n)
        eq_wrong_prev = p is not None and not correct[p[0]] and p[1]
        rp = rep.get(n)
        repaired_ok = False
        if rp is not None:
            cf, ok = rp
            cf_ok = bool(cf) and all(f < n and f in labels and labels[f]["verdict"] == "incorrect" for f in cf)
            if not cf_ok:
                probs.append("%s: carried_from %r must name earlier incorrect lines" % (where, cf))
            if not ok:
                probs.append("%s: still wrong after repairing lines %r" % (where, cf))
            repaired_ok = ok and cf_ok
        if lab["introduces_error"]:
            if eq_wrong_prev:
                probs.append("%s: equals the wrong line %d, so it carries" % (where, p[0]))
            if repaired_ok:
                probs.append("%s: right once earlier errors are repaired, so it carries" % where)
        elif not (eq_wrong_prev or repaired_ok):
            probs.append("%s: labelled as carrying, but it neither equals a wrong previous line "
                         "nor becomes right when an earlier wrong result is repaired" % where)
    wrong = [n for n in ns if not correct[n]]
    fel = min(wrong) if wrong else None
    if entry["first_error_line"] != fel:
        probs.append("first_error_line %r, the numbers say %r" % (entry["first_error_line"], fel))
    for i, t in enumerate(text, 1):
        if "=" in t and LINT.search(t) and i not in labels and i not in unl:
            probs.append("line %d looks like a claim but is not labelled: %s" % (i, t.strip()[:70]))
    for i in unl:
        if i in labels:
            probs.append("line %d is both labelled and declared unlabelled" % i)
    return probs, dict(lines=len(ns), incorrect=len(wrong))


def stats(entries):
    from collections import Counter
    lines = [l for e in entries for l in e["lines"]]
    wrong = [l for l in lines if l["verdict"] == "incorrect"]
    print("documents: %d (%d fully correct)" % (len(entries), sum(e["first_error_line"] is None for e in entries)))
    print("by extension: %s" % dict(sorted(Counter(e["file"].rsplit(".", 1)[1] for e in entries).items())))
    print("by convention: %s" % dict(Counter(e["convention"] for e in entries)))
    print("batch documents: %d" % sum(" X" in e["model"] or "(X" in e["model"] for e in entries))
    print("by loss: %s" % dict(Counter(e["loss"] for e in entries)))
    print("labelled lines: %d (%d correct, %d incorrect: %d introduce, %d carry)" % (
        len(lines), len(lines) - len(wrong), len(wrong), sum(l["introduces_error"] for l in wrong),
        sum(not l["introduces_error"] for l in wrong)))
    print("| kind | incorrect lines | of which introduce | documents |")
    for kind in sorted(KINDS):
        n = sum(kind in l["kinds"] for l in wrong)
        i = sum(kind in l["kinds"] and l["introduces_error"] for l in wrong)
        docs = sum(any(kind in l["kinds"] for l in e["lines"]) for e in entries)
        print("| %s | %d | %d | %d |" % (kind, n, i, docs))
    print("| model | loss | docs | fully correct | lines | incorrect |")
    groups = {}
    for e in entries:
        groups.setdefault((e["model"], e["loss"]), []).append(e)
    for (mdl, loss), es in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        ls = [l for e in es for l in e["lines"]]
        print("| `%s` | %s | %d | %d | %d | %d |" % (mdl, loss, len(es), sum(e["first_error_line"] is None for e in es),
                                                  len(ls), sum(l["verdict"] == "incorrect" for l in ls)))


def main(argv):
    entries = json.loads((HERE / "labels.json").read_text(encoding="utf-8"))
    if argv[1:] == ["--stats"]:
        stats(entries)
        return 0
    flt = argv[1] if len(argv) > 1 else ""
    passed = failed = 0
    gprobs = []
    if not flt:
        files = {p.name for p in HERE.iterdir() if p.is_file() and p.name not in NON_DOCS
                 and not p.name.startswith(".") and p.suffix != ".pyc"}
        listed = [e["file"] for e in entries]
        if len(set(listed)) != len(listed):
            gprobs.append("a file is listed twice in labels.json")
        if files - set(listed):
            gprobs.append("documents without labels: %s" % sorted(files - set(listed)))
        if set(DOCS) - set(listed):
            gprobs.append("translations without labels: %s" % sorted(set(DOCS) - set(listed)))
    for e in entries:
        if flt not in e["file"]:
            continue
        try:
            probs, st = check_doc(e)
        except Exception as exc:                       # a crash is a failure
            import traceback
            probs, st = ["crashed: %r\n%s" % (exc, traceback.format_exc())], None
        if probs:
            failed += 1
            print("FAIL %s" % e["file"])
            for p in probs:
                print("     - " + p)
        else:
            passed += 1
            print("ok   %-52s %2d lines, %2d incorrect" % (e["file"], st["lines"], st["incorrect"]))
    for p in gprobs:
        failed += 1
        print("FAIL " + p)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
