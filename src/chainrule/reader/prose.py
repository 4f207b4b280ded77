"""Prose around the math: sentences, how an equation is introduced, and stated conventions.

Owns three readings of the words in a document:

* the *intro* of each math region — ``"let"`` ("Let $h = …$", "with $δ_3 = …$"), ``"where"``
  ("where $z_3 = W_3 h$"), ``"cond"`` for a condition that is not a claim ("if $n=j$",
  "for $i = 1, 2, 3$"), else ``""``; "Let $a$, $b$ and $c$" carries "let" along the list;
* assumptions stated in words: the index of the correct class, the Kronecker delta, which
  function is the sigmoid or softmax, a one-hot label;
* memberships ``x \\in \\mathbb{R}^d`` as dimensions (``W_1`` is ``d_1 x d``).

Each assumption keeps its whole sentence, so later stages can notice what else it says.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from chainrule.reader.ast import Span
from chainrule.reader.claims import Assumption
from chainrule.reader.regions import Region

_LET = frozenset(
    [
        "let",
        "suppose",
        "define",
        "set",
        "denote",
        "with",
        "given",
        "assume",
        "consider",
        "defining",
        "letting",
        "take",
        "write",
        "using",
        "setup",
        "notation",
        "definitions",
    ]
)
_WHERE = frozenset({"where", "whereby"})
_COND = frozenset({"if", "when", "whenever", "unless", "for", "iff", "otherwise", "whether"})
_INDEX_RANGE = re.compile(r"\s*[a-z]\s*=\s*\d")
_BREAKS = re.compile(r"\b(?:so|then|thus|hence|therefore|gives?|get|obtain|yields?|which|that)\b")
_ABBREV = re.compile(r"(?:\b(?:i\.e|e\.g|etc|cf|vs|resp|eq|Eq|Fig|fig)|\b[A-Za-z])$")
_GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "η": "eta",
    "θ": "theta", "λ": "lambda", "μ": "mu", "σ": "sigma", "τ": "tau", "φ": "phi",
    "ϕ": "phi", "ψ": "psi", "ω": "omega", "ρ": "rho", "π": "pi", "ξ": "xi", "ζ": "zeta",
    "κ": "kappa", "ν": "nu", "χ": "chi", "Δ": "Delta", "Σ": "Sigma",
}  # fmt: skip
_SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉ₐₑᵢⱼₖₗₘₙₒₚᵣₛₜᵤₓ", "0123456789aeijklmnoprstux")
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹ᵈᵏⁿᵐˣ", "0123456789dknmx")
_SUB_CHARS = "₀₁₂₃₄₅₆₇₈₉ₐₑᵢⱼₖₗₘₙₒₚᵣₛₜᵤₓ"
_SUP_CHARS = "⁰¹²³⁴⁵⁶⁷⁸⁹ᵈᵏⁿᵐˣ"
_ACTIVATIONS = {
    "sigmoid": "sigmoid",
    "logistic": "sigmoid",
    "softmax": "softmax",
    "tanh": "tanh",
    "hyperbolic tangent": "tanh",
    "relu": "relu",
    "rectified linear": "relu",
}
# A subject: an inline math placeholder (\x01…\x01) or one letter, Latin or Greek.
_SUBJ = r"(?P<subj>\x01\x02*\x01|(?<![\w\\])[A-Za-zα-ωΑ-Ω](?![\w\\]))"
_IS = r"\s+(?:is|be|are|denotes?|represents?|stands\s+for|is\s+taken\s+as)\s+"
_LABEL = re.compile(
    # "j is the index of the correct class", "(j = correct class)", and in French, Spanish,
    # Portuguese and German ("j est la classe correcte", "j es la clase correcta")
    _SUBJ + r"(?:" + _IS + r"|\s*[=:]\s*)(?:the\s+)?(?:index\s+(?:of\s+)?(?:the\s+)?)?"
    r"(?:correct|true|target|ground[- ]truth|right|actual)\s+(?:class|label|category|output)"
    r"|" + _SUBJ.replace("subj", "subj3") + r"\s+(?:est|es|é|ist|d[ée]signe|denota|indica|"
    r"bezeichnet|repr[ée]sente?a?)\s+(?:la|el|a|die)\s+"
    r"(?:classe|clase|klasse)\s+(?:correcte|correcta|correta|richtige|vraie|verdadera|"
    r"verdadeira|wahre)"
    r"|(?:correct|true|target)\s+(?:class|label)(?:\s+index)?\s+(?:is\s+|be\s+)?"
    + _SUBJ.replace("subj", "subj2"),
    re.IGNORECASE,
)
_KRONECKER = re.compile(
    r"(?P<subj>\x01\x02*\x01|(?<![\w\\])δ\S{0,6})" + _IS + r"(?:the\s+|a\s+)?kronecker"
    r"|kronecker\s+delta\s*,?\s*(?P<subj2>\x01\x02*\x01)",
    re.IGNORECASE,
)
_ACTIVATION = re.compile(
    # "σ is the logistic sigmoid", and the apposition "uses $g$, the logistic sigmoid"
    _SUBJ + r"(?:\s*\(\s*\S{0,3}\s*\))?(?:" + _IS + r"|(?P<apposition>\s*,\s*(?=the\s)))"
    r"(?:the\s+|an?\s+)?(?:(?:element-?wise|standard|usual|logistic|\(logistic\))\s+)?"
    r"(?P<act>sigmoid|logistic|softmax|tanh|hyperbolic\s+tangent|relu|rectified\s+linear)"
    # … but not in a list such as "$W_3 \in …$, the sigmoid $\sigma$": there the word names
    # the symbol after it
    r"(?(apposition)(?!\s*(?:function\s*)?\x01)(?=\s*(?:[.,;:)]|and\b|$)))",
    re.IGNORECASE,
)
_ACTIVATION_FOR = re.compile(
    # "I use s(.) for the sigmoid", "we write φ for the hyperbolic tangent"
    r"\b(?:use|write|denote|using|writing)\s+" + _SUBJ + r"(?:\s*\(\s*\S{0,3}\s*\))?\s+"
    r"(?:for|as)\s+(?:the\s+|an?\s+)?(?:(?:element-?wise|standard|usual|logistic)\s+)?"
    r"(?P<act>sigmoid|logistic|softmax|tanh|hyperbolic\s+tangent|relu|rectified\s+linear)\b",
    re.IGNORECASE,
)
_GRADIENT = re.compile(
    # "g_ℓ denotes the gradient of the loss with respect to u_ℓ" (a name defined in words)
    r"(?P<subj>\x01\x02*\x01)\s+(?:denotes?|is|stands\s+for|will\s+denote)\s+the\s+"
    r"(?:gradient|derivative|partial\s+derivative)\s+of\s+the\s+(?:loss|cost|objective)\s+"
    r"(?:\(\x01\x02*\x01\)\s+)?(?:with\s+respect\s+to|w\.?r\.?t\.?)\s+"
    r"(?:the\s+\w+\s+)?(?P<wrt>\x01\x02*\x01)",
    re.IGNORECASE,
)
_MEAN_GRADIENTS = re.compile(
    # "dQ means dJ/dQ" (code-style notes): every dX is the mean cost's ∂J/∂X
    r"\bd(?P<q>[A-Za-z])\s+(?:means|denotes|is|stands\s+for)\s+(?:d|∂|\\partial\s*)J\s*/\s*"
    r"(?:d|∂|\\partial\s*)(?P=q)\b"
)
_ONE_HOT = re.compile(
    _SUBJ + r"(?:" + _IS + r"(?:an?\s+|the\s+)?|\s+)one[- ]hot"
    r"|one[- ]hot\s+(?:encoded\s+)?(?:labels?|vectors?|targets?|encodings?)?\s*"
    + _SUBJ.replace("subj", "subj2"),
    re.IGNORECASE,
)
_TARGET = re.compile(
    # "the target t is a vector", "one-hot target $t$", "$t$ is the one-hot label"
    r"\b(?:target|label)s?\s+(?:vector\s+)?"
    + _SUBJ
    + r"|"
    + _SUBJ.replace("subj", "subj2")
    + r"\s+(?:is|be|denotes)\s+(?:the|a)\s+"
    r"(?:one-hot\s+)?(?:target|label)",
    re.IGNORECASE,
)
_RESULT_NAME = re.compile(
    # "Call that $g$", "denote this by $g$", "which we call $g$": a name for the result above
    r"\b(?:call|denote|name|write)\s+(?:this|that|it|the\s+(?:result|above|vector|gradient))"
    r"\s+(?:by\s+|as\s+)?(?P<subj>\x01\x02*\x01)"
    r"|\bwhich\s+we\s+(?:call|denote(?:\s+by)?|name)\s+(?P<subj2>\x01\x02*\x01)",
    re.IGNORECASE,
)
_SUMMATION = re.compile(
    # "we use the summation convention", "Einstein notation", "repeated indices are summed"
    r"summation\s+convention|einstein(?:'s)?\s+(?:summation|notation|convention)"
    r"|repeated\s+ind(?:ex|ices)\s+(?:is|are)\s+(?:implicitly\s+)?summed"
    r"|summenkonvention|convenci[oó]n\s+de\s+(?:la\s+)?suma"
    r"|conven[cç][aã]o\s+de\s+(?:soma|somat[oó]rio)|convention\s+de\s+sommation",
    re.IGNORECASE,
)
_NUMERATOR_LAYOUT = re.compile(r"numerator[- ]layout", re.IGNORECASE)
_EXACTLY_ONE = re.compile(r"exactly\s+one|one[- ]hot|only\s+one", re.IGNORECASE)
_SET = re.compile(
    r"(?:\\in|∈)\s*(?P<set>\\mathbb\s*\{?R\}?|\\R(?![A-Za-z])|ℝ|\\\{\s*0\s*,\s*1\s*\\\})"
    r"\s*(?:\^\s*(?P<exp>\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}|\\[A-Za-z]+|[A-Za-z0-9])"
    r"|(?P<sup>[" + _SUP_CHARS + r"]+))?"
)


@dataclass(frozen=True)
class Sentence:
    """A sentence of prose: its span and the inline math regions inside it."""

    start: int
    end: int
    inline: tuple[Region, ...]


def _flat(text: str, a: int, b: int, inline: Sequence[Region]) -> str:
    """``text[a:b]`` with each inline region replaced by ``\\x01\\x02…\\x01`` (same length)."""
    parts: list[str] = []
    pos = a
    for r in inline:
        if r.start < pos or r.end > b:
            continue
        parts.append(text[pos : r.start])
        n = r.end - r.start
        parts.append("\x01" + "\x02" * (n - 2) + "\x01" if n >= 2 else "\x01" * n)
        pos = r.end
    parts.append(text[pos:b])
    return "".join(parts)


def sentences(
    text: str, start: int, end: int, regions: Sequence[Region], skipped: Sequence[tuple[int, int]]
) -> list[Sentence]:
    """Split ``text[start:end]`` into sentences; display regions and skips end a sentence."""
    walls = sorted([(r.start, r.end) for r in regions if r.display] + list(skipped))
    inline = [r for r in regions if not r.display]
    out: list[Sentence] = []
    pos = start
    for a, b in [*walls, (end, end)]:
        if a > pos:
            out.extend(_split(text, pos, min(a, end), inline))
        pos = max(pos, b)
    return out


def _split(text: str, a: int, b: int, inline: Sequence[Region]) -> list[Sentence]:
    mine = [r for r in inline if a <= r.start and r.end <= b]
    flat = _flat(text, a, b, mine)
    out: list[Sentence] = []
    begin = 0
    for m in re.finditer(r"[.!?](?=\s|$)|\n[ \t]*\n", flat):
        if m.group(0) == "." and _ABBREV.search(flat, 0, m.start()):
            continue
        stop = m.end()
        if flat[begin:stop].strip():
            out.append(_sentence(a + begin, a + stop, mine))
        begin = stop
    if flat[begin:].strip():
        out.append(_sentence(a + begin, b, mine))
    return out


def _sentence(a: int, b: int, inline: Sequence[Region]) -> Sentence:
    return Sentence(a, b, tuple(r for r in inline if a <= r.start and r.end <= b))


def _last_word(prose: str) -> str:
    words = re.findall(r"[A-Za-z]+", prose.lower())
    return words[-1] if words else ""


def intro_of(prose: str, previous: str | None) -> str:
    """The intro of a math piece from the prose just before it.

    Args:
        prose: Text between the previous math piece of the sentence (or its start) and this.
        previous: The intro of the previous math piece of the sentence, if any.
    """
    stripped = prose.strip().lower()
    words = re.findall(r"[A-Za-z]+", stripped)
    last = words[-1] if words else ""
    connector = stripped == "" or stripped.endswith((",", ";")) or last in ("and", "or")
    if previous is not None and connector and not _BREAKS.search(stripped):
        return previous
    two = " ".join(words[-2:])
    if two in ("so that", "such that", "we have", "we get", "note that"):
        return ""
    if last in _LET:
        return "let"
    if last in _WHERE or two == "in which":
        return "where"
    if two in ("for all", "for any", "for each", "for every"):
        return "cond"
    if last == "for":
        return "for"
    if last in _COND:
        return "cond"
    return ""


def intros(text: str, sentences_: Sequence[Sentence], regions: Sequence[Region]) -> dict[int, str]:
    """The intro of every region, keyed by its start offset."""
    out: dict[int, str] = {}
    for s in sentences_:
        pos, previous = s.start, None
        opening = _last_word(text[s.start : s.inline[0].start]) if s.inline else ""
        lead = re.match(r"\W*([A-Za-z]+)", text[s.start : s.end])
        ranged = False
        for r in s.inline:
            how = intro_of(text[pos : r.start], previous)
            # "With one-hot $y$ and $\delta_3 = …$": the list is still under "With".
            if (
                how == ""
                and previous == ""
                and lead
                and lead.group(1).lower() in _LET
                and opening
                and text[pos : r.start].strip().lower() in ("and", ",", ", and")
            ):
                how = "let"
            body = text[r.body_start : r.body_end]
            if how == "for":
                # "for $i = 1, 2, 3$" ranges an index; "for $L = -\sum …$" defines a name.
                how = "cond" if _INDEX_RANGE.match(body) else ""
            elif how == "cond" and ranged and not _INDEX_RANGE.match(body):
                # "… for $l = 1, 2$, and $\hat y = …$": the range ends at the comma
                how = ""
            ranged = how == "cond" and bool(_INDEX_RANGE.match(body))
            previous = out[r.start] = how
            pos = r.end
    by_end = {s.end: s for s in sentences_}
    ends = sorted(by_end)
    import bisect

    for r in regions:
        if r.display:
            k = bisect.bisect_right(ends, r.start) - 1
            before = ""
            if k >= 0:
                s = by_end[ends[k]]
                if text[s.end : r.start].strip() == "":
                    before = text[s.start : s.end]
                    if s.inline:
                        before = text[s.inline[-1].end : s.end]
            last = _last_word(before)
            out[r.start] = "let" if last in _LET else "where" if last in _WHERE else ""
    return out


def symbol_name(source: str) -> str:
    """A canonical name for a written symbol: ``W_{1}`` → ``W_1``, ``\\sigma`` → ``sigma``."""
    s = source.strip().strip("$").strip()
    s = re.sub(r"^\\\(|\\\)$", "", s).strip()
    s = re.sub(r"\\(?:mathbf|boldsymbol|bm|mathbfit|vec|mathit|mathrm)\s*\{([^{}]*)\}", r"\1", s)
    s = re.sub(r"\\([A-Za-z]+)", lambda m: m.group(1), s)
    s = "".join(_GREEK.get(c, c) for c in s)
    s = re.sub(f"([{_SUB_CHARS}]+)", lambda m: "_" + m.group(1).translate(_SUBSCRIPTS), s)
    s = re.sub(r"\^\{?[(\[](\w+)[)\]]\}?", r"_\1", s)  # W^{(1)} is layer 1, like W_1
    s = re.sub(r"\s+", "", s)
    s = re.sub(r"_\{(\w+)\}", r"_\1", s)
    return s


def _function_head(body: str) -> str:
    """The symbol a math piece is about: ``\\sigma(z) = …`` → ``sigma``, ``W_1`` → ``W_1``."""
    lhs = body.split("=", 1)[0]
    lhs = re.split(r"\\in(?![A-Za-z])|∈", lhs)[0]
    head = re.match(r"\s*(\\[A-Za-z]+|[^\s(\\]+)(?:\s*_\s*(\{[^{}]*\}|\w))?", lhs)
    if not head:
        return symbol_name(lhs)
    return symbol_name(head.group(1))


def _indices(body: str) -> str:
    m = re.search(r"_\s*(\{[^{}]*\}|\w)", body)
    if m:
        return re.sub(r"[{}\s,]", "", m.group(1))
    subs = re.search(f"[{_SUB_CHARS}]+", body)
    return subs.group(0).translate(_SUBSCRIPTS) if subs else ""


def dims_value(exponent: str) -> str:
    """``{d_1 \\times d}`` → ``d_1 x d``; ``d`` → ``d``."""
    e = exponent.translate(_SUPERSCRIPTS).strip()
    if e.startswith("{") and e.endswith("}"):
        e = e[1:-1]
    factors = re.split(r"\\times|×|\\cdot|\*|,|\s+x\s+", e)
    return " x ".join(symbol_name(f) for f in factors if f.strip())


def memberships(text: str, a: int, b: int, sentence: str) -> list[Assumption]:
    """Memberships ``x \\in \\mathbb{R}^d`` in ``text[a:b]`` as ``dims`` (and ``one_hot``)."""
    out: list[Assumption] = []
    body = text[a:b]
    for m in _SET.finditer(body):
        before = body[: m.start()]
        cut = max(before.rfind(","), before.rfind("$"), before.rfind(";"), before.rfind("\\("))
        subject_src = before[cut + 1 :].strip()
        if not subject_src or len(subject_src) > 40:
            continue
        subject = symbol_name(subject_src)
        exp = m.group("exp") or m.group("sup") or ""
        value = dims_value(exp) if exp else "1"
        span = Span(a + cut + 1 + (len(before[cut + 1 :]) - len(before[cut + 1 :].lstrip())),
                    a + m.end())  # fmt: skip
        out.append(Assumption("dims", subject, value, span, sentence))
        if "0" in m.group("set") and _EXACTLY_ONE.search(sentence):
            out.append(Assumption("one_hot", subject, "", span, sentence))
    return out


def assumptions(text: str, sentences_: Sequence[Sentence]) -> list[Assumption]:
    """Conventions stated in words, one list for the whole document, in reading order."""
    out: list[Assumption] = []
    for s in sentences_:
        flat = _flat(text, s.start, s.end, s.inline)
        sentence = " ".join(text[s.start : s.end].split())
        by_start = {r.start - s.start: r for r in s.inline}

        def subject(m: re.Match[str], by_start: dict[int, Region] = by_start) -> tuple[str, str]:
            groups = [g for g in ("subj", "subj2", "subj3") if g in m.re.groupindex]
            group = next(g for g in groups if m.group(g) is not None)
            region = by_start.get(m.start(group))
            body = text[region.body_start : region.body_end] if region else m.group(group)
            return _function_head(body), body

        for m in _LABEL.finditer(flat):
            name, _ = subject(m)
            out.append(_at("label_index", name, "", s.start, m, sentence))
        for m in _KRONECKER.finditer(flat):
            _, body = subject(m)
            out.append(_at("kronecker", "delta", _indices(body), s.start, m, sentence))
        for m in [*_ACTIVATION.finditer(flat), *_ACTIVATION_FOR.finditer(flat)]:
            name, _ = subject(m)
            act = _ACTIVATIONS[" ".join(m.group("act").lower().split())]
            out.append(_at("activation", name, act, s.start, m, sentence))
        for m in _ONE_HOT.finditer(flat):
            name, _ = subject(m)
            out.append(_at("one_hot", name, "", s.start, m, sentence))
        for m in _TARGET.finditer(flat):
            name, _ = subject(m)
            if re.fullmatch(r"[A-Za-z]", name):
                out.append(_at("target", name, "", s.start, m, sentence))
        for m in _RESULT_NAME.finditer(flat):
            _, body = subject(m)
            out.append(_at("result_name", body.strip(), "", s.start, m, sentence))
        for m in _NUMERATOR_LAYOUT.finditer(flat):
            out.append(_at("numerator_layout", "", "", s.start, m, sentence))
        for m in _SUMMATION.finditer(flat):
            out.append(_at("summation", "", "", s.start, m, sentence))
        for m in _MEAN_GRADIENTS.finditer(flat):
            out.append(_at("mean_gradients", "d", "", s.start, m, sentence))
        for m in _GRADIENT.finditer(flat):
            _, body = subject(m)
            wrt = by_start.get(m.start("wrt"))
            if wrt is not None:
                value = text[wrt.body_start : wrt.body_end]
                out.append(_at("gradient", body.strip(), value.strip(), s.start, m, sentence))
    return out


def _at(
    kind: str, subject: str, value: str, base: int, m: re.Match[str], sentence: str
) -> Assumption:
    return Assumption(kind, subject, value, Span(base + m.start(), base + m.end()), sentence)
