"""Finding math in a document: delimited regions, and bare lines that plainly are math.

Owns the scan of one segment of text for ``\\[…\\]``, ``\\(…\\)``, ``$$…$$``, ``$…$``, the
math environments, Markdown fenced math, and lines outside any delimiter that are plainly
math (LaTeX pasted into plain text, or math typed in Unicode as from a chat). Also notes what
is deliberately not done (a macro :mod:`chainrule.reader.macros` cannot take is not expanded —
the others are, by the lexer —, ``\\input`` is not read) and reports
unclosed regions, which are read up to the end of their paragraph.

Everything here is a linear scan with bounded regular expressions, so no input can make it
hang or recurse deeply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chainrule.reader.macros import MAX_BODY, find_macros
from chainrule.reader.symbols import MATH_WORDS

MATH_ENVS = frozenset(
    f"{name}{star}"
    for name in (
        "align",
        "equation",
        "gather",
        "multline",
        "eqnarray",
        "flalign",
        "alignat",
        "displaymath",
        "split",
        "math",
    )
    for star in ("", "*")
)
_CODE_ENVS = frozenset(
    {"verbatim", "verbatim*", "Verbatim", "lstlisting", "minted", "comment", "filecontents"}
)
_MATH_FENCE = frozenset({"math", "latex", "tex", "katex", "mathjax"})

_TOKEN = re.compile(
    r"\\begin[ \t]*\{(?P<env>[A-Za-z]{1,30}\*?)\}"
    r"|\\(?P<open>\[|\()"
    r"|(?P<dollars>\$\$?)"
    r"|\\(?P<macro>def|gdef|edef|xdef|newcommand|renewcommand|providecommand"
    r"|DeclareMathOperator|DeclareRobustCommand|let)(?![A-Za-z])"
    r"|\\(?P<include>input|include|subfile)(?![A-Za-z])"
)
_MD_TOKEN = re.compile(
    _TOKEN.pattern
    + r"|^(?P<indent>[ \t]{0,3})(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n`]{0,80})$"
    + r"|(?P<ticks>`+)",
    re.MULTILINE,
)
_TEX_TOKEN = re.compile(_TOKEN.pattern, re.MULTILINE)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_END_CACHE: dict[str, re.Pattern[str]] = {}

_ENUMERATOR = re.compile(r"\((?:[a-h]|[ivx]{1,4}|[0-9]{1,2})\)")
_IDENTIFIER = re.compile(r"[A-Za-z]+(?:_[A-Za-z0-9]+)+|[A-Za-z]+[0-9]+")
_BRACKETED = re.compile(
    r"[(\[|]*([A-Za-z][A-Za-z0-9_]*)[)\]|]+(?:\^[0-9]+)?|[(\[|]+([A-Za-z][A-Za-z0-9_]*)"
)
_ARRAY_CALL = re.compile(r"\(*(?:np|numpy|jnp|torch|F)\.[A-Za-z_]\w*\(")
_CODE_NAMES = frozenset({"yhat", "y_hat", "probs", "scores", "logits", "loss", "out", "output"})
"""A code-style identifier (a letter word with ``_`` parts or trailing digits)."""

# Words that may appear in a formula; any other run of 3+ letters outside a command is prose.
_STOP_WORDS = frozenset(
    [
        "is",
        "so",
        "of",
        "to",
        "we",
        "be",
        "in",
        "on",
        "at",
        "as",
        "by",
        "if",
        "or",
        "it",
        "an",
        "and",
        "the",
        "for",
        "my",
        "me",
        "do",
        "no",
        "up",
        "us",
        "i.e",
        "e.g",
        "ie",
        "eg",
        "vs",
    ]
)
_COMMAND = re.compile(r"\\[A-Za-z]+")
_WORD = re.compile(r"[A-Za-z]{3,}")
_SIGNAL = re.compile(
    "[\\\\_^\u0370-\u03ff\u2070-\u209f\u1d00-\u1dbf\u0300-\u036f\u0100-\u024f"
    "\u2200-\u22ff\u00b7\u00d7\u2032\u211d]"
)
_PLAIN_DERIVATIVE = re.compile(r"\bd[A-Za-z]\w*\s*/\s*d[A-Za-z]")
"""``dL/dyhat`` typed without any LaTeX: a derivative, so the line is math."""
_CODE_SIGNAL = re.compile(
    r"\s*(?:[A-Za-z]+[0-9]\w*\s*:?=|[A-Za-z]+'\s*\("
    r"|[A-Za-z]\w*\s*:?=\s*[^=]*?(?:\b[A-Za-z]+[0-9]+\b|\b(?:relu|tanh|sigmoid|softmax|exp|log)\s*\())"
)
"""Code-style notes: ``dZ3 = A3 - Y`` (a name with a layer digit, assigned), ``sigmoid'(z) =
…`` (a primed function) or ``h = relu(z1)``, ``yhat = W2 h + b2`` (an assignment of an
expression with such a name or a known function): math though nothing in it is LaTeX."""
_SCRIPTED = re.compile(r"[A-Za-z0-9}][_^]\{?[A-Za-z0-9]")
"""A letter (or group) with a subscript or superscript: ``x_i``, ``W^{(2)}``, ``e^{s_i}``."""
_PLAIN_DERIVATIVE_TOKEN = re.compile(r"d[A-Za-z]\w*/d[A-Za-z]\w*")
_LIST_MARKER = re.compile(r"[ \t]*(?:(?:[-*+•>]|\d{1,3}[.)]|#{1,6})[ \t]+)*")
_MEMBERSHIP = re.compile(r"\\in(?![A-Za-z])|∈")


@dataclass(frozen=True)
class Region:
    """A stretch of math.

    Attributes:
        start: Offset of the opening delimiter (or of the math itself when bare).
        end: Offset just after the closing delimiter.
        body_start: Offset where the math inside the delimiters starts.
        body_end: Offset where it ends.
        display: Displayed math (rows, chains) rather than a piece of a prose sentence.
        env: The environment or delimiter (``align*``, ``\\[``, ``$``, ``bare``, ``fence``).
        rows: For bare lines, each line's ``[start, end)``; empty when rows come from ``\\\\``.
    """

    start: int
    end: int
    body_start: int
    body_end: int
    display: bool
    env: str
    rows: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Scan:
    """What a segment scan found: regions in order, stretches to skip, notes and errors."""

    regions: tuple[Region, ...]
    skipped: tuple[tuple[int, int], ...]
    notes: tuple[tuple[int, int, str], ...]
    errors: tuple[tuple[int, str], ...]


def escaped(text: str, i: int) -> bool:
    """Whether the character at ``i`` is escaped by an odd run of backslashes before it."""
    n = 0
    while i - n - 1 >= 0 and text[i - n - 1] == "\\":
        n += 1
    return n % 2 == 1


def mask_comments(text: str) -> str:
    """``text`` with LaTeX ``%`` comments replaced by spaces (offsets unchanged)."""
    if "%" not in text:
        return text
    out = list(text)
    for m in re.finditer(r"%[^\n]*", text):
        if not escaped(text, m.start()):
            out[m.start() : m.end()] = " " * (m.end() - m.start())
    return "".join(out)


def _paragraph_end(text: str, pos: int, end: int) -> int:
    m = _BLANK_LINE.search(text, pos, end)
    return m.start() if m else end


def _skip_group(text: str, pos: int, end: int, open_: str, close: str) -> int:
    """Offset after the balanced group opening at ``pos`` (or ``end`` when unbalanced)."""
    depth = 0
    i = pos
    while i < end:
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == open_:
            depth += 1
        elif c == close:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return end


def _skip_macro_definition(text: str, pos: int, end: int) -> int:
    """Offset after ``\\newcommand{\\R}[1]{…}``-like arguments starting at ``pos``."""
    groups = 0
    i = pos
    while i < end and groups < 2:
        while i < end and text[i] in " \t":
            i += 1
        if i >= end:
            break
        c = text[i]
        if c == "{":
            i = _skip_group(text, i, end, "{", "}")
            groups += 1
        elif c == "[":
            close = text.find("]", i, min(end, i + 200))
            i = close + 1 if close >= 0 else i + 1
        elif c == "#" and i + 1 < end:
            i += 2
        elif c == "\\":
            m = _COMMAND.match(text, i)
            i = m.end() if m else i + 2
        else:
            break
    return i


def scan(text: str, start: int, end: int, kind: str) -> Scan:
    """Find the math regions of ``text[start:end]`` (``text`` already comment-masked)."""
    token = _MD_TOKEN if kind in ("md", "ipynb") else _TEX_TOKEN
    regions: list[Region] = []
    skipped: list[tuple[int, int]] = []
    notes: list[tuple[int, int, str]] = []
    errors: list[tuple[int, str]] = []
    pos = start
    while pos < end:
        m = token.search(text, pos, end)
        if m is None:
            break
        at = m.start()
        if m.group("ticks") if kind in ("md", "ipynb") else False:
            ticks = m.group("ticks")
            close = text.find(ticks, m.end(), _paragraph_end(text, m.end(), end))
            if close < 0:
                pos = m.end()
            else:
                skipped.append((at, close + len(ticks)))
                pos = close + len(ticks)
            continue
        if at > 0 and escaped(text, at):
            pos = at + 1
            continue
        if kind in ("md", "ipynb") and m.group("fence"):
            pos = _fence(text, m, end, regions, skipped, errors)
        elif m.group("env"):
            pos = _environment(text, m, end, regions, skipped, errors)
        elif m.group("open"):
            pos = _bracket(text, m, end, regions, errors)
        elif m.group("dollars"):
            pos = _dollars(text, m, end, regions, notes, errors, kind)
        elif m.group("macro"):
            stop = _skip_macro_definition(text, m.end(), end)
            skipped.append((at, stop))
            if not find_macros(text[at:stop]):  # one the lexer will not expand
                notes.append(
                    (
                        at,
                        stop,
                        f"`\\{m.group('macro')}` here is not expanded (a `\\def` with "
                        f"parameters, or a body over {MAX_BODY} characters or with an argument the "
                        "macro does not take): write the expanded formula where the macro is "
                        "used.",
                    )
                )
            pos = max(stop, m.end())
        else:
            stop = m.end()
            if stop < end and text[stop] == "{":
                stop = _skip_group(text, stop, end, "{", "}")
            skipped.append((at, stop))
            notes.append(
                (
                    at,
                    stop,
                    f"`{text[at:stop][:80]}` is not read: chainrule checks only this document, "
                    "so paste the derivation from that file here.",
                )
            )
            pos = stop
    covered = sorted([(r.start, r.end) for r in regions] + skipped)
    regions.extend(bare_math(text, start, end, covered))
    regions.sort(key=lambda r: r.start)
    return Scan(tuple(regions), tuple(skipped), tuple(notes), tuple(errors))


def _unclosed(text: str, at: int, body: int, end: int, opener: str, closer: str) -> tuple[int, str]:
    stop = _paragraph_end(text, body, end)
    line = text.count("\n", 0, stop) + 1
    return stop, (
        f"`{opener}` is never closed by `{closer}`; chainrule read it up to the end of its "
        f"paragraph (line {line}). Add `{closer}` where the math ends."
    )


def _environment(
    text: str,
    m: re.Match[str],
    end: int,
    regions: list[Region],
    skipped: list[tuple[int, int]],
    errors: list[tuple[int, str]],
) -> int:
    env = m.group("env")
    if env not in MATH_ENVS and env not in _CODE_ENVS:
        return m.end()  # enumerate, document, …: their contents are read as usual
    closer = _END_CACHE.get(env)
    if closer is None:
        closer = _END_CACHE[env] = re.compile(r"\\end[ \t]*\{" + re.escape(env) + r"\}")
    body = m.end()
    if env.startswith("alignat") and text.startswith("{", body):
        body = _skip_group(text, body, end, "{", "}")
    found = closer.search(text, body, end)
    if env in _CODE_ENVS:
        stop = found.end() if found else end
        skipped.append((m.start(), stop))
        return stop
    if found:
        body_end, stop = found.start(), found.end()
    else:
        stop, message = _unclosed(text, m.start(), body, end, m.group(0), f"\\end{{{env}}}")
        body_end = stop
        errors.append((m.start(), message))
    inline = env == "math"
    regions.append(Region(m.start(), stop, body, body_end, not inline, env))
    return max(stop, m.end())


def _bracket(
    text: str, m: re.Match[str], end: int, regions: list[Region], errors: list[tuple[int, str]]
) -> int:
    display = m.group("open") == "["
    closer = "\\]" if display else "\\)"
    body = m.end()
    found = body
    while True:
        found = text.find(closer, found, end)
        if found < 0 or not escaped(text, found):
            break
        found += 1
    if found >= 0:
        body_end, stop = found, found + 2
    else:
        stop, message = _unclosed(text, m.start(), body, end, m.group(0), closer)
        body_end = stop
        errors.append((m.start(), message))
    regions.append(Region(m.start(), stop, body, body_end, display, m.group(0)))
    return stop


def _dollars(
    text: str,
    m: re.Match[str],
    end: int,
    regions: list[Region],
    notes: list[tuple[int, int, str]],
    errors: list[tuple[int, str]],
    kind: str,
) -> int:
    at, body = m.start(), m.end()
    if m.group("dollars") == "$$":
        found = body
        while True:
            found = text.find("$$", found, end)
            if found < 0 or not escaped(text, found):
                break
            found += 1
        if found >= 0:
            regions.append(Region(at, found + 2, body, found, True, "$$"))
            return found + 2
        stop, message = _unclosed(text, at, body, end, "$$", "$$")
        errors.append((at, message))
        regions.append(Region(at, stop, body, stop, True, "$$"))
        return stop
    limit = _paragraph_end(text, body, end)
    found = body
    while True:
        found = text.find("$", found, limit)
        if found < 0 or not escaped(text, found):
            break
        found += 1
    if found < 0 or not text[body:found].strip():
        notes.append(
            (at, at + 1, "A lone `$` opens no math here, so it was read as text (write `\\$`).")
        )
        return body
    regions.append(Region(at, found + 1, body, found, False, "$"))
    return found + 1


def _fence(
    text: str,
    m: re.Match[str],
    end: int,
    regions: list[Region],
    skipped: list[tuple[int, int]],
    errors: list[tuple[int, str]],
) -> int:
    fence = m.group("fence")
    info = m.group("info").strip().lower()
    closer = re.compile(
        r"^[ \t]{0,3}" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t]*$", re.MULTILINE
    )
    body = min(m.end() + 1, end)
    found = closer.search(text, body, end)
    is_math = info.split(" ")[0] in _MATH_FENCE if info else False
    if found:
        body_end, stop = max(body, found.start() - 1), found.end()
    elif is_math:
        stop, message = _unclosed(text, m.start(), body, end, fence + info, fence)
        body_end = stop
        errors.append((m.start(), message))
    else:
        body_end = stop = end  # CommonMark: an unclosed code fence runs to the end
    if is_math:
        regions.append(Region(m.start(), stop, body, body_end, True, "fence"))
    else:
        skipped.append((m.start(), stop))
    return max(stop, m.end())


def _is_prose_token(token: str) -> bool:
    if "\x00" in token:
        return True
    if _ENUMERATOR.fullmatch(token):  # "(d)", "(ii)" label a part of a question, not a factor
        return True
    if token.lower().strip(".,;:!?()\"'") in _STOP_WORDS:
        return True
    if token.strip("*_").endswith(":"):  # a label such as "**Layer 2:**" or "Answer:"
        return True
    if _IDENTIFIER.fullmatch(token.rstrip(".,;:")):
        return False  # `dhidden_pre`, `W1`, `b_2`: a code-style name inside a formula
    if _ARRAY_CALL.match(token):
        return False  # `np.maximum(Z1,`: NumPy's function of a formula
    core = _BRACKETED.fullmatch(token.rstrip(".,;:"))
    name = (core.group(1) or core.group(2)) if core else ""
    if name and (_IDENTIFIER.fullmatch(name) or name.lower() in _CODE_NAMES or len(name) == 1):
        return False  # `||yhat`, `y||^2`, `(yhat`: a name inside brackets or bars
    if _PLAIN_DERIVATIVE_TOKEN.fullmatch(token.rstrip(".,;:")):
        return False  # `dL/dyhat`: a derivative typed without LaTeX, whatever its words
    if _SCRIPTED.search(token):
        return False  # `probs_{i,c}`, `e^{scores_{i,c}}`: a name with an index or exponent
    bare = _COMMAND.sub(" ", token)
    return any(w.group(0).lower() not in MATH_WORDS for w in _WORD.finditer(bare))


def bare_math(text: str, start: int, end: int, covered: list[tuple[int, int]]) -> list[Region]:
    """Regions for lines outside any delimiter that plainly are math.

    A line with no prose words, a sign of math (a backslash command, ``_``, ``^``, a Greek
    letter, ``∂``, a subscript digit…) and an ``=`` (or ``∈``) is math; consecutive such lines
    form one block whose lines are rows, so a line starting with ``=`` continues the one
    above. In a line of prose, a run of math tokens around an ``=`` is read as inline math.
    """
    masked = list(text[start:end])
    for a, b in covered:
        lo, hi = max(a, start), min(b, end)
        if lo < hi:
            masked[lo - start : hi - start] = "\x00" * (hi - lo)
    seg = "".join(masked)
    out: list[Region] = []
    block: list[tuple[int, int]] = []

    def flush() -> None:
        if block and any(
            "=" in seg[a - start : b - start] or _MEMBERSHIP.search(seg[a - start : b - start])
            for a, b in block
        ):
            out.append(
                Region(
                    block[0][0], block[-1][1], block[0][0], block[-1][1], True, "bare", tuple(block)
                )
            )
        block.clear()

    offset = start
    for line in seg.split("\n"):
        line_start, line_end = offset, offset + len(line)
        offset = line_end + 1
        marker = _LIST_MARKER.match(line)
        body = line[marker.end() if marker else 0 :].rstrip()
        if not body.strip():
            flush()
            continue
        remark = _SHAPE_REMARK.search(line)  # `(N x H)` after a formula: a comment on shapes
        remark = remark or _CODE_COMMENT.search(line) or _prose_remark(line)
        kept = line[: remark.start()] if remark else line
        tokens = [(t.start(), t.end(), t.group(0)) for t in re.finditer(r"\S+", kept)]
        first = line_start + (marker.end() if marker else 0)
        lead = [t for t in tokens if line_start + t[0] >= first]
        prose = _names_between_operators(lead, [_is_prose_token(t[2]) for t in lead])
        signal = _SIGNAL.search(body) or _PLAIN_DERIVATIVE.search(body) or _CODE_SIGNAL.match(body)
        if lead and not any(prose) and signal:
            block.append((first, line_start + len(kept.rstrip())))
            continue
        flush()
        if "=" not in line and not _MEMBERSHIP.search(line):
            continue
        out.extend(_runs_in_line(lead, prose, line_start))
    flush()
    return out


_TRAILING_PARENS = re.compile(r"(\s+)[(\[]([^()\[\]]*)[)\]]\s*$")


def _prose_remark(line: str) -> re.Match[str] | None:
    """``d3 = yhat - y   (output is linear, nothing to multiply)``: a parenthesis of words
    after a formula is the author's comment, not a factor: two words or more, or one in
    an aside set off by two spaces (``(* = elementwise)``); ``(yhat - y)`` stays math."""
    m = _TRAILING_PARENS.search(line)
    before = line[: m.start()].rstrip() if m else ""
    if m is None or "=" not in before or before[-1] in "=+-*/(,":
        return None  # no formula before it, or one the parenthesis completes
    if "\\" in m.group(2) or "_" in m.group(2) or "^" in m.group(2):
        return None  # LaTeX or scripts inside: a factor of the formula
    words = [w for w in _WORD.findall(m.group(2)) if w.lower() not in MATH_WORDS]
    aside = bool(words) and len(m.group(1)) >= 2 and "=" in m.group(2)  # `(* = elementwise)`
    return m if len(words) >= 2 or aside else None


_CODE_COMMENT = re.compile(r"(?<=\S)\s+#(?:\s.*)?$")
"""``p = 1 / (1 + exp(-z))    # sigmoid``: a comment after a formula in code-style notes."""
_SHAPE_REMARK = re.compile(r"\s+\(\s*[A-Za-z0-9_]+\s*(?:x|×|\\times)\s*[A-Za-z0-9_]+\s*\)\s*$")
_OPERATOR_TOKEN = re.compile(r"^(=|\+|-|−|\*|/|\\odot|\\cdot|\\times|⊙|·)$")
_NAME_TOKEN = re.compile(r"^[(\[]?[A-Za-z][A-Za-z0-9_]*[)\]]?$")


def _names_between_operators(tokens: list[tuple[int, int, str]], prose: list[bool]) -> list[bool]:
    """``dscores = \frac{1}{N} (probs - Y)``: a word next to ``=``, ``+``, ``⊙`` … is a
    name in a formula (code-style notes write them so), unless it is an English stop word."""
    out = list(prose)
    for i, (_, _, tok) in enumerate(tokens):
        if not out[i] or not _NAME_TOKEN.match(tok):
            continue
        if tok.lower().strip("()[]") in _STOP_WORDS:
            continue
        before = i > 0 and _OPERATOR_TOKEN.match(tokens[i - 1][2]) is not None
        after = i + 1 < len(tokens) and _OPERATOR_TOKEN.match(tokens[i + 1][2]) is not None
        if before or after:
            out[i] = False
    # `dW2 = hidden^T dscores`: a word after a scripted name, ending the line or followed
    # by an operator, is a factor of the same product (`p_c where c is …` stays prose)
    for i, (_, _, tok) in enumerate(tokens):
        if not out[i] or not _NAME_TOKEN.match(tok) or tok.lower() in _STOP_WORDS:
            continue
        left = i > 0 and not out[i - 1] and _SCRIPTED.search(tokens[i - 1][2]) is not None
        last = i + 1 == len(tokens)
        right = last or _OPERATOR_TOKEN.match(tokens[i + 1][2]) is not None
        if left and right:
            out[i] = False
    return out


_LETTER_FORMULA = re.compile(
    r"[A-Za-z]\s*=\s*[A-Za-z](?:\s+[A-Za-z])*(?:\s*[+-]\s*[A-Za-z](?:\s+[A-Za-z])*)+"
)
"""``z = W x + b``: one-letter names joined by a sum, a formula though nothing marks it."""


def _opens_more(token: str) -> bool:
    """Whether a token opens more brackets than it closes (``(W``)."""
    return token.count("(") + token.count("[") > token.count(")") + token.count("]")


_CONDITION_WORDS = frozenset({"if", "when", "whenever", "otherwise", "else", "unless"})


def _runs_in_line(
    tokens: list[tuple[int, int, str]], prose: list[bool], line_start: int
) -> list[Region]:
    """Inline regions for runs of math tokens around an ``=`` inside a line of prose."""
    out: list[Region] = []
    i = 0
    while i < len(tokens):
        if prose[i]:
            i += 1
            continue
        j = i
        while j < len(tokens) and not prose[j]:
            j += 1
        run = tokens[i:j]
        equals = next((k for k, t in enumerate(run) if t[2] == "="), None)
        commas = [k for k, t in enumerate(run[:equals]) if t[2].endswith(",")]
        if equals is not None and commas:
            # `1 x D_h, \hat{y} = …`: what ends before the comma is no part of the equation
            run = run[commas[-1] + 1 :]
        if j < len(tokens) and tokens[j][2].lower().strip(",") in _CONDITION_WORDS:
            i = j  # `relu'(z) = 1 if z > 0, else 0`: one piece of a case split, not a claim
            continue
        while j < len(tokens) and len(run) > 2 and _opens_more(run[-1][2]):
            run = run[:-1]  # `y_hat = W x (W is k x d)`: the parenthesis opens a remark
        if j < len(tokens) and len(run) > 2 and run[-2][2].endswith(","):
            # `L = ½‖ŷ − y‖², y is a real vector`: the name before the words is their subject
            run = run[:-1]
        i = j
        words = " ".join(t[2] for t in run)
        a = line_start + run[0][0]
        b = line_start + run[-1][1]
        stripped = words.rstrip(".,;:")
        b -= len(words) - len(stripped)
        if (
            ("=" in stripped or _MEMBERSHIP.search(stripped))
            and (
                _SIGNAL.search(stripped)
                or _PLAIN_DERIVATIVE.search(stripped)
                or _CODE_SIGNAL.match(stripped)
                or _LETTER_FORMULA.fullmatch(stripped)
            )
            and not stripped.startswith("=")
            and not stripped.endswith("=")
        ):
            out.append(Region(a, b, a, b, False, "bare"))
    return out
