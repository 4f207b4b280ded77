"""Shared numerical machinery for the corpora's independent label proofs.

Every corpus folder under tests/corpus (check, heldout, heldout2, heldout3)
holds documents, a labels.json that says which claimed lines are right, and a
prove_labels.py that hand-translates each claimed line into numpy.  The
translations (one function per document) stay in those scripts; this module
owns everything they have in common:

  * the model-spec parser (``yhat = softmax(W2 tanh(W1 x + b1) + b2)``, column
    or row convention, single example ``x`` or mini-batch ``X``);
  * the forward pass, written to run on complex arrays, and the random
    instances (all dimensions distinct, fixed seeds);
  * the truth: complex-step derivatives (exact to rounding) of the loss or of
    any forward value, with respect to parameters, the input or intermediates;
  * the helpers the translations use (``sig``, ``ind``, ``ein``, ``dact``, the
    (truth, formula) pairs ``sig_d``/``tanh_d``/``relu_d`` with ``at``, ``softmax_jac``,
    ``Ill``, ``line``, ``chain``, a ``Registry`` behind ``@proves``);
  * the checker that turns the numbers into pass/fail for every label
    (verdict, ``introduces_error`` in both directions, ``first_error_line``,
    snippets, a lint for unlabelled claims) and the command line with its
    ``--stats`` report.

It must never import chainrule (nor sympy, torch or any autograd library):
the labels are the ground truth chainrule is measured against, so a proof
that ran chainrule's own code could "prove" a wrong label whenever chainrule
has a bug.  numpy and the standard library only.
"""

from __future__ import annotations

import json
import re
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

Array = Any  # a numpy array (complex while differentiating) or a scalar
Entry = dict[str, Any]  # one document's entry in labels.json

KINDS = frozenset(
    {
        "index",
        "transpose",
        "missing_factor",
        "extra_factor",
        "sign",
        "y_vs_yhat",
        "softmax_jacobian",
        "activation_derivative",
        "shape",
        "wrong_layer",
        "other",
    }
)
LOSSES = frozenset({"cross_entropy", "mse", "bce"})
ACT_NAMES = ("sigmoid", "tanh", "relu", "identity", "softmax")
# heldout3's labels.json declares the batch layout and the mse scaling as well.
ENTRY_FIELDS = (
    "file",
    "model",
    "loss",
    "convention",
    "batch",
    "mse_half",
    "label_index",
    "lines",
    "first_error_line",
)
NON_DOCS = frozenset({"README.md", "labels.json", "prove_labels.py"})
# A line "looks like a claim" when it has '=' and one of these tokens; every such
# line must be labelled or declared in @proves(unlabelled=...).
LINT = re.compile(
    r"\\partial|\\nabla|∂|∇|['′]\s*[(=]|\\prime|&=|\\delta|δ|\\frac\{d|"
    r"(^|[\s$])d[A-Za-z]\w*(\^\{[^}]*\})?\s*="
)
STEP = 1e-30  # complex-step size: no cancellation, so it can be this small


# ---------------------------------------------------------------------------
# Model specs.  Grammar (tokens separated by spaces / parentheses):
#   spec  := "yhat =" act
#   act   := NAME "(" lin ")" | "x" | "X"
#   lin   := "W<n>" act ["+" "b<n>"]      column convention
#          | act "W<n>" ["+" "b<n>"]      row convention
# ---------------------------------------------------------------------------
class SpecError(ValueError):
    """A model spec (or labels.json entry) that does not describe a network."""


@dataclass(frozen=True)
class Layer:
    """One layer: its activation's name and whether it adds a bias."""

    act: str
    bias: bool


@dataclass(frozen=True)
class Spec:
    """A parsed model: input name (x or X), convention (None before a layer), layers."""

    input: str
    conv: str | None
    layers: tuple[Layer, ...]


class _SpecParser:
    """Recursive descent over the tokens of one spec."""

    def __init__(self, spec: str) -> None:
        m = re.fullmatch(r"\s*yhat\s*=\s*(.+?)\s*", spec)
        if not m:
            raise SpecError(f"spec must start with 'yhat =': {spec!r}")
        self.spec = spec
        self.toks: list[str] = re.findall(r"[A-Za-z]+\d*|[()+]", m[1])
        self.pos = 0

    def peek(self) -> str | None:
        return self.toks[self.pos] if self.pos < len(self.toks) else None

    def take(self, expected: str | None = None) -> str:
        t = self.peek()
        if t is None or (expected is not None and t != expected):
            raise SpecError(f"expected {expected!r} at token {self.pos} of {self.spec!r}")
        self.pos += 1
        return t

    def act(self) -> Spec:
        t = self.take()
        if t in ("x", "X"):
            return Spec(t, None, ())
        if t not in ACT_NAMES:
            raise SpecError(f"unknown activation {t!r}")
        self.take("(")
        inner = self.lin(t)
        self.take(")")
        return inner

    def lin(self, name: str) -> Spec:
        t = self.peek()
        if t is not None and re.fullmatch(r"W\d+", t):
            w = int(self.take()[1:])
            sub = self.act()
            conv = "column"
        else:
            sub = self.act()
            t2 = self.take()
            if not re.fullmatch(r"W\d+", t2):
                raise SpecError(f"expected a weight after the row-vector input, got {t2!r}")
            w = int(t2[1:])
            conv = "row"
        bias = self.peek() == "+"
        if bias:
            self.take("+")
            b = self.take()
            if b != f"b{w}":
                raise SpecError(f"bias {b!r} does not match W{w}")
        if sub.conv not in (None, conv):
            raise SpecError("mixed conventions")
        if w != len(sub.layers) + 1:
            raise SpecError(f"layers must be numbered from the input: W{w}")
        return Spec(sub.input, conv, (*sub.layers, Layer(name, bias)))


def parse_spec(spec: str) -> Spec:
    """Parse ``yhat = ...`` into layers numbered from the input."""
    parser = _SpecParser(spec)
    net = parser.act()
    if parser.peek() is not None:
        raise SpecError(f"trailing tokens in {spec!r}")
    if not net.layers:
        raise SpecError("no layers")
    if any(layer.act == "softmax" for layer in net.layers[:-1]):
        raise SpecError("softmax only at the output")
    return net


# ---------------------------------------------------------------------------
# Forward pass (analytic everywhere it is evaluated, so complex-step works)
# ---------------------------------------------------------------------------
def act_fn(name: str, z: Array, axis: int) -> Array:
    """Activation ``name`` of ``z``; softmax normalises along ``axis``."""
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


def dact(name: str, z: Array) -> Array:
    """Elementwise derivative of an activation by complex step (not a formula)."""
    return np.imag(act_fn(name, np.asarray(z, dtype=complex) + 1j * STEP, 0)) / STEP


@dataclass(frozen=True)
class Setup:
    """How a corpus draws its random instances.

    Attributes:
        hidden: hidden-layer widths, first layer first (d1, d2, ...).
        rng_key: seed -> the key given to ``np.random.default_rng``.
        weight_scale: weights are normal * weight_scale / sqrt(fan_in).
        d: input size; k: output classes (bce has one unit); m: batch size.
    """

    hidden: tuple[int, ...]
    rng_key: Callable[[int], int | list[int]]
    weight_scale: float
    d: int = 7
    k: int = 3
    m: int = 6


class Net:
    """The network of one labels.json entry, with its loss (mean over a batch)."""

    def __init__(
        self,
        spec: str,
        loss: str,
        convention: str,
        setup: Setup,
        k: int | None = None,
        half: bool = True,
    ) -> None:
        p = parse_spec(spec)
        if p.conv != convention:
            raise SpecError(f"labels.json says {convention} but the model is {p.conv}")
        if loss not in LOSSES:
            raise SpecError(f"unknown loss {loss!r}")
        self.model, self.setup = spec, setup
        self.layers, self.conv, self.loss, self.half = p.layers, p.conv, loss, half
        self.batch = p.input == "X"
        if k is not None and loss == "bce":
            raise SpecError("a bce output has one unit")
        out = 1 if loss == "bce" else (k or setup.k)
        if loss == "cross_entropy" and self.layers[-1].act != "softmax":
            raise SpecError("cross_entropy needs a softmax output")
        if loss == "bce" and self.layers[-1].act != "sigmoid":
            raise SpecError("bce needs a sigmoid output")
        n = len(self.layers)
        self.sizes = [setup.d, *list(setup.hidden[: n - 1]), out]
        dims = self.sizes + ([setup.m] if self.batch else [])
        # distinct sizes make a transposed or mis-indexed rhs fail to broadcast
        assert len(set(dims)) == len(dims), f"dimensions must be distinct: {dims!r}"
        self.axis = 0 if (self.conv == "column" or not self.batch) else 1  # class axis

    def affine(self, W: Array, h: Array, b: Array | None) -> Array:
        if self.conv == "column":
            z = W @ h
            if b is not None:
                z = z + (b[:, None] if self.batch else b)
        else:
            z = h @ W
            if b is not None:
                z = z + (b[None, :] if self.batch else b)
        return z

    def forward(
        self, P: Mapping[str, Array], ov: Mapping[str, Array] | None = None
    ) -> dict[str, Array]:
        """All forward values from parameters P; ``ov`` overrides intermediates
        (z1, a1, ..., yhat) so that everything downstream is recomputed."""
        ov = ov or {}
        v = dict(P)
        h = P["x"]
        n = len(self.layers)
        for i, layer in enumerate(self.layers, 1):
            zi, ai = f"z{i}", f"a{i}"
            z = ov[zi] if zi in ov else self.affine(P[f"W{i}"], h, P.get(f"b{i}"))
            v[zi] = z
            if ai in ov:
                a = ov[ai]
            elif i == n and "yhat" in ov:
                a = ov["yhat"]
            else:
                a = act_fn(layer.act, z, self.axis)
            v[ai] = h = a
        v["yhat"] = h
        v["L"] = np.sum(self.per_example_loss(h, P["y"])) / (self.setup.m if self.batch else 1)
        return v

    def per_example_loss(self, h: Array, y: Array) -> Array:
        if self.loss == "cross_entropy":
            return -y * np.log(h)
        if self.loss == "mse":
            return (0.5 if self.half else 1.0) * (h - y) ** 2  # analytic (no abs) for the step
        return -(y * np.log(h) + (1 - y) * np.log(1 - h))

    def instance(self, seed: int) -> tuple[dict[str, Array], int | None, int | None]:
        """Random parameters, x and y for one seed; also the true class j (single-example
        cross_entropy) and the batch size m (None for a single example)."""
        s = self.setup
        rng = np.random.default_rng(s.rng_key(seed))
        if not self.batch:
            x = rng.normal(size=s.d)
        else:
            x = rng.normal(size=(s.d, s.m) if self.conv == "column" else (s.m, s.d))
        P = {"x": x}
        for i, layer in enumerate(self.layers, 1):
            fi, fo = self.sizes[i - 1], self.sizes[i]
            shape = (fo, fi) if self.conv == "column" else (fi, fo)
            P[f"W{i}"] = rng.normal(size=shape) * s.weight_scale / np.sqrt(fi)
            if layer.bias:
                P[f"b{i}"] = rng.normal(size=fo) * 0.5
        j = self._target(P, rng, seed)
        return P, j, (s.m if self.batch else None)

    def _target(self, P: dict[str, Array], rng: np.random.Generator, seed: int) -> int | None:
        out, m = self.sizes[-1], self.setup.m

        def by_rows(Y: Array) -> Array:  # (m, out) in the convention's layout
            return Y.T if self.conv == "column" else Y

        if self.loss == "cross_entropy":
            if self.batch:
                P["y"] = by_rows(np.eye(out)[[(seed + i) % out for i in range(m)]])
                return None
            P["y"] = np.eye(out)[seed % out]
            return seed % out
        if self.loss == "bce":
            if self.batch:
                P["y"] = by_rows(np.array([[float((seed + i) % 2)] for i in range(m)]))
            else:
                P["y"] = np.array([float(seed % 2)])
            return None
        shape = (out,) if not self.batch else ((out, m) if self.conv == "column" else (m, out))
        P["y"] = rng.normal(size=shape)
        return None


def check_declarations(net: Net, batch: str | None, mse_half: bool | None) -> None:
    """A labels.json that declares ``batch`` and ``mse_half`` must agree with the model."""
    want = {"column": "columns", "row": "rows"}[net.conv or ""] if net.batch else None
    if batch != want:
        raise SpecError(
            f"labels.json says batch {batch!r} but the model {net.model!r} means {want!r}"
        )
    if (net.loss == "mse") != (mse_half is not None):
        raise SpecError("mse_half is true/false for an mse loss and null otherwise")


class Ctx:
    """One random instance, as a translation sees it.

    ``c.NAME`` gives parameters and forward values as real arrays (x is the input,
    also for a batch X; y the target; z1, a1, ..., yhat, L); ``c.j`` the true class,
    ``c.m`` the batch size, ``c.k``/``c.d``/``c.d1``/``c.d2`` sizes; ``c.J(out, wrt)``
    the complex-step Jacobian (shape out + wrt); ``c.g(wrt)`` (or ``c.grad``) dL/dwrt.
    """

    def __init__(self, net: Net, seed: int) -> None:
        self.net = net
        self.P, self.j, self.m = net.instance(seed)
        self.v = net.forward(self.P)
        self.k = net.sizes[-1]
        self.d = net.setup.d
        self.d1, self.d2 = net.setup.hidden[:2]
        self._cache: dict[tuple[str, str], Array] = {}
        for i, layer in enumerate(net.layers, 1):  # the complex step needs no kink nearby
            if layer.act == "relu":
                assert np.min(np.abs(self.v[f"z{i}"])) > 1e-6

    def __getattr__(self, name: str) -> Array:
        if name in ("v", "P", "net"):
            raise AttributeError(name)
        if name in self.v:
            return np.real(self.v[name])
        raise AttributeError(name)

    def J(self, out: str, wrt: str) -> Array:
        key = (out, wrt)
        if key not in self._cache:
            base = np.asarray(self.v[wrt])
            res = np.zeros(np.shape(self.v[out]) + base.shape)
            for idx in np.ndindex(base.shape):
                pert = base.astype(complex)
                pert[idx] += 1j * STEP
                if wrt in self.P:
                    r = self.net.forward(dict(self.P, **{wrt: pert}))
                else:
                    r = self.net.forward(self.P, {wrt: pert})
                res[(Ellipsis, *idx)] = np.imag(r[out]) / STEP
            self._cache[key] = res
        return self._cache[key]

    def g(self, wrt: str) -> Array:
        return self.J("L", wrt)

    grad = g  # the name check/'s translations use


# ---------------------------------------------------------------------------
# Helpers for the translations
# ---------------------------------------------------------------------------
outer = np.outer
ein = np.einsum
eye = np.eye


def sig(z: Array) -> Array:
    return 1.0 / (1.0 + np.exp(-z))


def ind(z: Array) -> Array:
    """The indicator 1[z > 0] as floats."""
    return (np.asarray(z) > 0).astype(float)


# (dact, formula) pairs: the complex-step derivative of an activation beside the
# closed form a document writes for it, so a translation proves the identity.
def sig_d(z: Array) -> tuple[Array, Array]:
    """(dact, formula) pair for sigma' = sigma (1 - sigma) at z."""
    return dact("sigmoid", z), sig(z) * (1 - sig(z))


def tanh_d(z: Array) -> tuple[Array, Array]:
    """(dact, formula) pair for tanh' = 1 - tanh^2 at z."""
    return dact("tanh", z), 1 - np.tanh(z) ** 2


def relu_d(z: Array) -> tuple[Array, Array]:
    """(dact, formula) pair for relu' = 1[z > 0] at z."""
    return dact("relu", z), ind(z)


def at(pairs: Iterable[tuple[Array, Array]]) -> tuple[tuple[Array, ...], tuple[Array, ...]]:
    """A generic claim proved at every layer it is made for: (truths, rhss)."""
    pairs = list(pairs)
    return tuple(p[0] for p in pairs), tuple(p[1] for p in pairs)


def softmax_jac(p: Array) -> Array:
    """d p_l / d z_i as the matrix [l, i] = p_l (delta_li - p_i), written out by hand."""
    return p[:, None] * (eye(len(p)) - p[None, :])


class Ill:
    """A right-hand side that is not a well-formed value (shapes that do not
    combine, an index outside its range).  ``holds`` is the dimension fact that
    makes it ill-formed, asserted here; ``key`` names the expression so that a
    later line writing the same ill-formed thing counts as equal to it."""

    def __init__(self, why: str, holds: bool, key: str | None = None) -> None:
        assert holds, "ill-formedness claim is false: " + why
        self.why, self.key = why, key or why

    def __repr__(self) -> str:
        return f"Ill({self.why})"


def close(a: Any, b: Any, rtol: float, atol: float) -> bool:
    """Equal values: same shape and allclose; Ill only equals the same Ill;
    tuples compare element by element."""
    if isinstance(a, Ill) or isinstance(b, Ill):
        return isinstance(a, Ill) and isinstance(b, Ill) and a.key == b.key
    if isinstance(a, tuple) or isinstance(b, tuple):
        return (
            isinstance(a, tuple)
            and isinstance(b, tuple)
            and len(a) == len(b)
            and all(close(p, q, rtol, atol) for p, q in zip(a, b, strict=True))
        )
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol))


@dataclass(frozen=True)
class Claim:
    """One labelled line: where it is, the true lhs and the author's rhs."""

    n: int
    snippet: str
    truth: Any
    rhs: Any
    repaired: Any = None
    cf: tuple[int, ...] | None = None


def line(
    n: int,
    snippet: str,
    truth: Any,
    rhs: Any,
    repaired: Any = None,
    cf: int | Sequence[int] | None = None,
) -> Claim:
    """n: 1-based line where the rhs starts; snippet: text that must be on that
    line; truth: the true lhs; rhs: the author's rhs.  For a line that carries an
    error by reusing the author's earlier wrong result(s): repaired is the rhs
    with those results replaced by their true values, cf the line(s) they come from."""
    cfs = None if cf is None else ((cf,) if isinstance(cf, int) else tuple(cf))
    return Claim(n, snippet, truth, rhs, repaired, cfs)


def chain(*lines: Claim) -> list[Claim]:
    return list(lines)


Translation = Callable[[Ctx], list[list[Claim]]]


@dataclass(frozen=True)
class Doc:
    """One registered translation (see ``Registry.proves``)."""

    fn: Translation
    unlabelled: Mapping[int | tuple[int, int], str]
    k: int | None


@dataclass
class Registry:
    """The translated documents of one corpus, filled by ``@registry.proves``."""

    docs: dict[str, Doc] = field(default_factory=dict)

    def proves(
        self,
        fname: str,
        unlabelled: Mapping[int | tuple[int, int], str] | None = None,
        k: int | None = None,
    ) -> Callable[[Translation], Translation]:
        """Register a document's translation.  ``unlabelled`` maps a line number, or a
        (first, last) range, to the reason it looks like a claim but is not one; ``k``
        overrides the number of output units when the document fixes it."""

        def deco(fn: Translation) -> Translation:
            self.docs[fname] = Doc(fn, unlabelled or {}, k)
            return fn

        return deco


# ---------------------------------------------------------------------------
# The checker
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Corpus:
    """Everything that differs between the corpora's proofs.

    Attributes:
        here: the corpus folder (documents and labels.json).
        setup: how instances are drawn.
        seeds: every label must hold on every one of these instances.
        rtol, atol: the tolerance of ``close``.
        lint: what makes a line look like a claim.
        name_width: the file-name column of the ``ok`` lines.
        declares_shape: labels.json entries also declare ``batch`` and ``mse_half``
            (and must have every field of ENTRY_FIELDS); otherwise mse is 1/2 ||.||^2.
        stats_facts: the corpus-specific lines of ``--stats`` after "by convention".
        stats_markdown: ``--stats`` tables as markdown (sorted extension counts and a
            documents column); False keeps check/'s plain layout its README quotes.
    """

    here: Path
    setup: Setup
    seeds: tuple[int, ...]
    rtol: float
    atol: float = 1e-10
    lint: re.Pattern[str] = LINT
    name_width: int = 52
    declares_shape: bool = False
    stats_facts: Callable[[list[Entry]], list[str]] = lambda entries: []
    stats_markdown: bool = True
    # Filled by the script's @proves decorators as it loads; the script binds
    # ``proves = CORPUS.registry.proves``.
    registry: Registry = field(default_factory=Registry)

    def close(self, a: Any, b: Any) -> bool:
        return close(a, b, self.rtol, self.atol)


@dataclass(frozen=True)
class Facts:
    """What the numbers say about each labelled line, over all seeds."""

    correct: dict[int, bool]
    prev: dict[int, tuple[int, bool]]  # n -> (previous line in the chain, same rhs)
    repaired: dict[int, tuple[tuple[int, ...] | None, bool]]  # n -> (cf, right once repaired)
    first: dict[int, Claim]  # the first seed's claim of each line


@dataclass(frozen=True)
class DocStats:
    """A passing document's counts for its ``ok`` line."""

    lines: int
    incorrect: int


def read_lines(path: Path) -> list[str]:
    """Lines of a document; for .ipynb the JSON string on each line is decoded so
    that snippets and the lint see the text (line numbers are the JSON file's)."""
    raw = path.read_text(encoding="utf-8").split("\n")
    if path.suffix != ".ipynb":
        return raw
    json.loads("\n".join(raw))  # must be valid JSON
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


def expand(unlabelled: Mapping[int | tuple[int, int], str]) -> dict[int, str]:
    """Line numbers of ``unlabelled`` with its (first, last) ranges spelled out."""
    res = {}
    for k, why in unlabelled.items():
        for i in range(k[0], k[1] + 1) if isinstance(k, tuple) else (k,):
            res[i] = why
    return res


def build_net(corpus: Corpus, entry: Entry, k: int | None) -> Net:
    if not corpus.declares_shape:
        return Net(entry["model"], entry["loss"], entry["convention"], corpus.setup, k=k)
    net = Net(
        entry["model"],
        entry["loss"],
        entry["convention"],
        corpus.setup,
        k=k,
        half=bool(entry.get("mse_half")),
    )
    check_declarations(net, entry.get("batch"), entry.get("mse_half"))
    return net


def numerical_facts(corpus: Corpus, runs: list[list[list[Claim]]]) -> Facts:
    """Compare truth, rhs and repaired values on every seed (``runs``: one per seed)."""
    correct, prev, rep, first = {}, {}, {}, {}
    for ci, ch in enumerate(runs[0]):
        for k, claim in enumerate(ch):
            n, lns = claim.n, [r[ci][k] for r in runs]
            first[n] = claim
            correct[n] = all(corpus.close(c.truth, c.rhs) for c in lns)
            if k > 0:
                prev[n] = (
                    ch[k - 1].n,
                    all(corpus.close(r[ci][k].rhs, r[ci][k - 1].rhs) for r in runs),
                )
            if claim.repaired is not None:
                rep[n] = (claim.cf, all(corpus.close(c.truth, c.repaired) for c in lns))
    return Facts(correct, prev, rep, first)


def numbering_problems(entry: Entry, labels: Mapping[int, Entry], ns: list[int]) -> list[str]:
    probs = []
    if len(labels) != len(entry["lines"]):
        probs.append("duplicate line numbers in labels.json")
    if len(set(ns)) != len(ns):
        probs.append("duplicate line numbers in the translation")
    if set(ns) != set(labels):
        untranslated, unlabelled = sorted(set(labels) - set(ns)), sorted(set(ns) - set(labels))
        probs.append(
            f"labelled but not translated {untranslated}; translated but not labelled {unlabelled}"
        )
    return probs


def wrong_line_problems(n: int, lab: Entry, labels: Mapping[int, Entry], facts: Facts) -> list[str]:
    """Kinds and the introduces/carries flag of a line the numbers say is wrong."""
    probs, where = [], f"line {n}"
    if not lab["kinds"] or not set(lab["kinds"]) <= KINDS:
        probs.append(f"{where}: bad kinds {lab['kinds']!r}")
    p = facts.prev.get(n)
    eq_wrong_prev = p is not None and not facts.correct[p[0]] and p[1]
    rp = facts.repaired.get(n)
    repaired_ok = False
    if rp is not None:
        cf, ok = rp
        cf_shown = None if cf is None else list(cf)
        cf_ok = bool(cf) and all(
            f < n and f in labels and labels[f]["verdict"] == "incorrect" for f in cf or ()
        )
        if not cf_ok:
            probs.append(f"{where}: carried_from {cf_shown!r} must name earlier incorrect lines")
        if not ok and not lab["introduces_error"]:  # still wrong: it adds its own error
            probs.append(f"{where}: still wrong after repairing lines {cf_shown!r}")
        repaired_ok = ok and cf_ok
    if lab["introduces_error"]:
        if eq_wrong_prev:
            assert p is not None
            probs.append(f"{where}: equals the wrong line {p[0]}, so it carries")
        if repaired_ok:
            probs.append(f"{where}: right once earlier errors are repaired, so it carries")
    elif not (eq_wrong_prev or repaired_ok):
        probs.append(
            f"{where}: labelled as carrying, but it neither equals a wrong previous line "
            "nor becomes right when an earlier wrong result is repaired"
        )
    return probs


def line_problems(n: int, labels: Mapping[int, Entry], facts: Facts, text: list[str]) -> list[str]:
    """Everything wrong with the label of line n."""
    probs, lab, where = [], labels[n], f"line {n}"
    snippet = facts.first[n].snippet
    if not 1 <= n <= len(text) or snippet not in text[n - 1]:
        probs.append(f"{where}: snippet {snippet!r} not on that line")
    verdict = "correct" if facts.correct[n] else "incorrect"
    if lab["verdict"] != verdict:
        probs.append(f"{where}: labelled {lab['verdict']}, but the numbers say {verdict}")
        return probs
    if not lab.get("note"):
        probs.append(f"{where}: empty note")
    if verdict == "incorrect":
        return probs + wrong_line_problems(n, lab, labels, facts)
    if lab["kinds"] or lab["introduces_error"]:
        probs.append(f"{where}: a correct line has kinds or introduces_error")
    if n in facts.repaired:
        probs.append(f"{where}: a correct line has a repaired value")
    return probs


def lint_problems(
    corpus: Corpus, text: list[str], labels: Mapping[int, Entry], unl: Mapping[int, str]
) -> list[str]:
    probs = []
    for i, t in enumerate(text, 1):
        if "=" in t and corpus.lint.search(t) and i not in labels and i not in unl:
            probs.append(f"line {i} looks like a claim but is not labelled: {t.strip()[:70]}")
    for i in unl:
        if i in labels:
            probs.append(f"line {i} is both labelled and declared unlabelled")
    return probs


def check_doc(corpus: Corpus, entry: Entry) -> tuple[list[str], DocStats | None]:
    """The problems with one document's labels (none: every label is proven)."""
    fname = entry["file"]
    path = corpus.here / fname
    if not path.exists():
        return ["file missing"], None
    if fname not in corpus.registry.docs:
        return ["no translation in prove_labels.py"], None
    text = read_lines(path)
    doc = corpus.registry.docs[fname]
    unl = expand(doc.unlabelled)
    probs = [
        f"labels.json entry has no {key!r} field"
        for key in (ENTRY_FIELDS if corpus.declares_shape else ())
        if key not in entry
    ]
    net = build_net(corpus, entry, doc.k)
    li = entry["label_index"]
    if li is not None and (
        entry["loss"] != "cross_entropy" or net.batch or not re.fullmatch(r"[a-z]", li)
    ):
        probs.append(f"label_index {li!r} only for single-example cross_entropy documents")
    runs = [doc.fn(Ctx(net, s)) for s in corpus.seeds]
    shape0 = [[ln.n for ln in ch] for ch in runs[0]]
    for r in runs[1:]:
        assert [[ln.n for ln in ch] for ch in r] == shape0
    ns = [n for ch in shape0 for n in ch]
    labels = {lab["line"]: lab for lab in entry["lines"]}
    probs += numbering_problems(entry, labels, ns)
    if set(ns) != set(labels):
        return probs, None
    if [lab["line"] for lab in entry["lines"]] != sorted(labels):
        probs.append("labels.json lines not in file order")
    facts = numerical_facts(corpus, runs)
    for n in ns:
        probs += line_problems(n, labels, facts, text)
    wrong = [n for n in ns if not facts.correct[n]]
    fel = min(wrong) if wrong else None
    if entry["first_error_line"] != fel:
        probs.append(f"first_error_line {entry['first_error_line']!r}, the numbers say {fel!r}")
    probs += lint_problems(corpus, text, labels, unl)
    return probs, DocStats(lines=len(ns), incorrect=len(wrong))


# ---------------------------------------------------------------------------
# --stats: the counts each corpus's README.md quotes
# ---------------------------------------------------------------------------
def tally(label: str, values: Iterable[Any], sort: bool = False) -> str:
    """``label: {value: count}``, in first-seen order unless ``sort``."""
    counts = Counter(values)
    return f"{label}: {dict(sorted(counts.items())) if sort else dict(counts)}"


def model_facts(entries: list[Entry]) -> list[str]:
    """The --stats lines every corpus from heldout4/ on reports: batch layout, loss, mse
    scaling, depth, label index, biases and the activations used."""
    specs = [parse_spec(e["model"]) for e in entries]
    return [
        tally("by batch", (str(e["batch"]) for e in entries)),
        tally("by loss", (e["loss"] for e in entries)),
        tally("mse with 1/2", (str(e["mse_half"]) for e in entries if e["loss"] == "mse")),
        tally("by depth", (len(s.layers) for s in specs), sort=True),
        tally("by label_index", (str(e["label_index"]) for e in entries)),
        tally("with biases", (all(layer.bias for layer in s.layers) for s in specs)),
        tally("documents using an activation", (a for s in specs for a in {la.act for la in s.layers}),
              sort=True),
    ]


def batch_and_loss_facts(entries: list[Entry]) -> list[str]:
    """The --stats lines heldout/ and heldout2/ add: batch documents and losses."""
    batch = sum(" X" in e["model"] or "(X" in e["model"] for e in entries)
    return [f"batch documents: {batch}", tally("by loss", (e["loss"] for e in entries))]


def _row(cells: Sequence[Any], markdown: bool) -> str:
    body = " | ".join(str(c) for c in cells)
    return f"| {body} |" if markdown else body


def _kind_rows(entries: list[Entry], wrong: list[Entry], markdown: bool) -> list[str]:
    head = ["kind", "incorrect lines", "of which introduce"] + (["documents"] if markdown else [])
    rows = [_row(head, markdown)]
    for kind in sorted(KINDS):
        n = sum(kind in lab["kinds"] for lab in wrong)
        i = sum(kind in lab["kinds"] and lab["introduces_error"] for lab in wrong)
        docs = sum(any(kind in lab["kinds"] for lab in e["lines"]) for e in entries)
        rows.append(_row([kind, n, i] + ([docs] if markdown else []), markdown))
    return rows


def _model_rows(entries: list[Entry], markdown: bool) -> list[str]:
    rows = [_row(["model", "loss", "docs", "fully correct", "lines", "incorrect"], markdown)]
    groups: dict[tuple[str, str], list[Entry]] = {}
    for e in entries:
        groups.setdefault((e["model"], e["loss"]), []).append(e)
    for (mdl, loss), es in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        ls = [lab for e in es for lab in e["lines"]]
        fully = sum(e["first_error_line"] is None for e in es)
        wrong = sum(lab["verdict"] == "incorrect" for lab in ls)
        rows.append(_row([f"`{mdl}`", loss, len(es), fully, len(ls), wrong], markdown))
    return rows


def stats_lines(corpus: Corpus, entries: list[Entry]) -> list[str]:
    """The --stats report: documents, labelled lines, then by kind and by model."""
    md = corpus.stats_markdown
    lines = [lab for e in entries for lab in e["lines"]]
    wrong = [lab for lab in lines if lab["verdict"] == "incorrect"]
    intro = sum(lab["introduces_error"] for lab in wrong)
    fully = sum(e["first_error_line"] is None for e in entries)
    return [
        f"documents: {len(entries)} ({fully} fully correct)",
        tally("by extension", (e["file"].rsplit(".", 1)[1] for e in entries), sort=md),
        tally("by convention", (e["convention"] for e in entries)),
        *corpus.stats_facts(entries),
        f"labelled lines: {len(lines)} ({len(lines) - len(wrong)} correct, {len(wrong)} incorrect:"
        f" {intro} introduce, {len(wrong) - intro} carry)",
        *_kind_rows(entries, wrong, md),
        *_model_rows(entries, md),
    ]


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------
def corpus_problems(corpus: Corpus, entries: list[Entry]) -> list[str]:
    """Problems of the corpus as a whole: unlisted documents, stray translations."""
    files = {
        p.name
        for p in corpus.here.iterdir()
        if p.is_file()
        and p.name not in NON_DOCS
        and not p.name.startswith(".")
        and p.suffix != ".pyc"
    }
    listed = [e["file"] for e in entries]
    probs = []
    if len(set(listed)) != len(listed):
        probs.append("a file is listed twice in labels.json")
    if files - set(listed):
        probs.append(f"documents without labels: {sorted(files - set(listed))}")
    stray = sorted(set(corpus.registry.docs) - set(listed))
    if stray:
        probs.append(f"translations without labels: {stray}")
    return probs


def run_doc(corpus: Corpus, entry: Entry) -> bool:
    """Check one document and print its ok/FAIL line; True when it passed."""
    try:
        probs, st = check_doc(corpus, entry)
    except Exception as exc:  # a crash in a translation is a failure, not an abort
        probs, st = [f"crashed: {exc!r}\n{traceback.format_exc()}"], None
    if probs or st is None:
        print(f"FAIL {entry['file']}")
        for p in probs:
            print("     - " + p)
        return False
    name = entry["file"].ljust(corpus.name_width)
    print(f"ok   {name} {st.lines:2d} lines, {st.incorrect:2d} incorrect")
    return True


def main(corpus: Corpus, argv: list[str]) -> int:
    """``prove_labels.py [FILTER | --stats]``: check every document whose file name
    contains FILTER (all of them, plus corpus-wide checks, without one) and print one
    ok/FAIL line per document, then "N passed, M failed"; return 1 on any failure.
    ``--stats`` prints the counts the corpus's README.md quotes instead."""
    entries = json.loads((corpus.here / "labels.json").read_text(encoding="utf-8"))
    if argv[1:] == ["--stats"]:
        print("\n".join(stats_lines(corpus, entries)))
        return 0
    flt = argv[1] if len(argv) > 1 else ""
    results = [run_doc(corpus, e) for e in entries if flt in e["file"]]
    gprobs = [] if flt else corpus_problems(corpus, entries)
    for p in gprobs:
        print("FAIL " + p)
    passed = sum(results)
    failed = len(results) - passed + len(gprobs)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0
