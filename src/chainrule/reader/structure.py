"""Rows and chains: a math region's text → rows split at ``\\\\`` → sides split at ``=``.

Owns the cleaning of a region (``&`` dropped; ``\\nonumber``, ``\\label{…}``, ``\\tag{…}``
ignored; trailing ``.``/``,`` and ``\\quad \\text{…}`` remarks set aside) and the rule that a
row starting with ``=`` continues the chain of the row above. Cleaning replaces characters by
spaces and never deletes them, so an index into the cleaned text is still a document offset.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from chainrule.errors import ParseError, Position
from chainrule.reader.ast import Expr, Span
from chainrule.reader.claims import Chain, Note, Side
from chainrule.reader.symbols import MATH_WORDS

# Markup that carries no math: blanked before rows are split.
_IGNORED = re.compile(
    r"\\(?:label|tag\*?|intertext|shortintertext|hypertarget|vspace\*?)[ \t]*\{"
    r"|\\(?:nonumber|notag|displaystyle|textstyle|scriptstyle|allowbreak|medskip|smallskip"
    r"|bigskip|noindent|relax)(?![A-Za-z])"
    r"|\\(?:begin|end)[ \t]*\{(?:split|aligned|gathered|alignedat|multlined)\}"
    r"(?:[ \t]*\[[a-z]\])?(?:[ \t]*\{\d+\})?"
)
_ASSIGN = re.compile(
    r"\\(?:coloneqq|coloneq|triangleq|eqqcolon|doteq|equiv|leftarrow|gets|longleftarrow)"
    r"(?![A-Za-z])|≔|≜|:=|←|⟵"
    r"|\\(?:overset|stackrel)[ \t]*\{[^{}\n]{0,40}\}[ \t]*\{=\}"
)
_SPACING = re.compile(r"(?:\\[,;:! ]|\\q?quad(?![A-Za-z])|~|\\hfill(?![A-Za-z])|\s)+$")
_REMARK_TEXT = re.compile(r"\\(?:text|mbox|textrm|textnormal|textit|textbf|mathrm)[ \t]*\{")
_DELIMITER_DOT = re.compile(r"\\(?:left|right|bigl?|bigr?|Bigl?|Bigr?)\.$")
_SEPARATOR = re.compile(
    r",?[ \t]*\\q?quad(?![A-Za-z])[ \t]*|[,;](?=\s)\s*|,?\\[ ;:]\s*|[ \t]{4,}|\t"
)
_RANGE_AFTER = re.compile(r"(?:\\[ ,;:]|\\q?quad|\s{2,})\s*\(\s*[A-Za-z]\s*=\s*[^()]*\)\s*$")
MAX_DEPTH = 100
MAX_SIDE = 20_000

ParseFn = Callable[[str, int], tuple[Expr, tuple[Note, ...]]]
PositionFn = Callable[[int], Position]


@dataclass(frozen=True)
class Row:
    """One row of a region after cleaning.

    Attributes:
        start: Offset of the row's first character.
        end: Offset after its last math character (remarks and punctuation excluded).
        cuts: Offsets of the ``=`` signs at the row's top level, in order.
        assign: The row's first relation is ``:=`` (or ``\\coloneqq``, ``\\triangleq``…).
        remark: The span of a remark set aside at the row's end, if any.
    """

    start: int
    end: int
    cuts: tuple[int, ...]
    assign: bool = False
    remark: tuple[int, int] | None = None

    @property
    def continues(self) -> bool:
        """The row starts with ``=``: it continues the chain of the row above."""
        return bool(self.cuts) and self.cuts[0] == self.start

    def sides(self) -> list[tuple[int, int]]:
        """``[start, end)`` of each side (the text between ``=`` signs), untrimmed."""
        edges = [self.start - 1, *self.cuts, self.end]
        return [(edges[i] + 1, edges[i + 1]) for i in range(len(edges) - 1)]


@dataclass
class _Chain:
    lhs: Side
    rhs: list[Side] = field(default_factory=list)
    assign: bool = False


def _blank(chars: list[str], a: int, b: int, base: int) -> None:
    for i in range(max(a - base, 0), min(b - base, len(chars))):
        if chars[i] != "\n":
            chars[i] = " "


def _group_end(s: str, i: int) -> int:
    """Index after the brace group opening at ``s[i] == "{"`` (or ``len(s)``)."""
    depth = 0
    n = len(s)
    while i < n:
        c = s[i]
        if c == "\\":
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return n


def clean_region(clean: str, a: int, b: int) -> tuple[list[str], list[int], list[bool]]:
    """Blank ignored markup in ``clean[a:b]``; return the chars, row breaks and ``:=`` marks.

    Returns:
        The cleaned characters of the region, offsets of its top-level row breaks (``\\\\``),
        and a per-character flag marking ``=`` signs that stand for ``:=``.
    """
    s = clean[a:b]
    chars = list(s)
    assign = [False] * len(s)
    for m in _IGNORED.finditer(s):
        stop = _group_end(s, m.end() - 1) if m.group(0).endswith("{") else m.end()
        _blank(chars, a + m.start(), a + stop, a)
    for m in _ASSIGN.finditer(s):
        _blank(chars, a + m.start(), a + m.end(), a)
        word = m.group(0)
        # One "=" stays where the relation was, marked as a definition.
        if word == ":=":
            at = m.start() + 1
        elif word.endswith("{=}"):
            at = m.end() - 2
        else:
            at = m.start()
        chars[at] = "="
        assign[at] = True
    breaks: list[int] = []
    depth = 0
    i, n = 0, len(s)
    while i < n:
        c = s[i]
        if c == "\\" and i + 1 < n:
            nxt = s[i + 1]
            if nxt == "\\" or (s.startswith("cr", i + 1) and not s[i + 3 : i + 4].isalpha()):
                stop = i + 2 if nxt == "\\" else i + 3
                if stop < n and s[stop] == "*":
                    stop += 1
                if stop < n and s[stop] == "[":
                    close = s.find("]", stop, stop + 20)
                    stop = close + 1 if close >= 0 else stop
                if depth == 0 and chars[i] != " ":
                    breaks.append(a + i)
                    _blank(chars, a + i, a + stop, a)
                i = stop
                continue
            if s.startswith("begin", i + 1) and chars[i] != " ":
                depth += 1
            elif s.startswith("end", i + 1) and chars[i] != " ":
                depth = max(depth - 1, 0)
            i += 2
            while i < n and s[i].isalpha():
                i += 1
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth = max(depth - 1, 0)
        elif c == "&" and depth == 0:
            chars[i] = " "
        i += 1
    return chars, breaks, assign


def _trim(chars: list[str], base: int, a: int, b: int) -> tuple[int, int]:
    while a < b and chars[a - base].isspace():
        a += 1
    while b > a and chars[b - 1 - base].isspace():
        b -= 1
    return a, b


def _remark_start(chars: list[str], base: int, a: int, b: int) -> int | None:
    """Where a trailing remark (``\\quad …``, ``\\text{since …}``) starts, if there is one."""
    s = "".join(chars[a - base : b - base])
    top = _top_level(chars, base, a, b)
    first_eq = next((i for i in top if chars[i - base] == "="), None)
    if first_eq is None:
        return None
    for i in top:
        if i > first_eq and chars[i - base] == "∈":
            return i  # `ŷ = σ(W₃h₂ + b₃) ∈ (0, 1)^k`: where the value lies, said after it
        if i <= first_eq or chars[i - base] != "\\":
            continue
        k = i - a
        if re.match(r"\\q?quad(?![A-Za-z])|\\in(?![A-Za-z])", s[k:]):
            return i
        m = _REMARK_TEXT.match(s, k)
        if m:
            inner = s[m.end() : _group_end(s, m.end() - 1) - 1]
            words = re.findall(r"[A-Za-z]{2,}", inner)
            if words and any(w.lower() not in MATH_WORDS for w in words):
                j = k
                while j > 0 and s[j - 1] in " \t\n,;(":
                    j -= 1
                return a + j
    return None


def _top_level(chars: list[str], base: int, a: int, b: int) -> list[int]:
    """Offsets in ``[a, b)`` that are outside every bracket (``{}``, ``()``, ``[]``, ``\\{\\}``)."""
    out: list[int] = []
    depth = 0
    i = a
    while i < b:
        c = chars[i - base]
        if c == "\\" and i + 1 < b:
            nxt = chars[i + 1 - base]
            if nxt in "{[(":
                depth += 1
            elif nxt in "}])":
                depth = max(depth - 1, 0)
            elif depth == 0:
                out.append(i)
            if nxt.isalpha():
                j = i + 1
                while j < b and chars[j - base].isalpha():
                    j += 1
                name = "".join(chars[i + 1 - base : j - base])
                # A nested environment (cases, pmatrix) is one bracket, like its braces.
                if name == "begin":
                    depth += 1
                elif name == "end":
                    depth = max(depth - 1, 0)
                i = j
                continue
            i += 2
            continue
        if c in "{([":
            depth += 1
        elif c in "})]":
            depth = max(depth - 1, 0)
        elif depth == 0:
            out.append(i)
        i += 1
    return out


def _equations(chars: list[str], base: int, a: int, b: int) -> list[tuple[int, int]]:
    """Split ``a = b,\\qquad c = d`` (or ``a = b, c = d``) into one span per equation.

    A top-level comma, ``;``, ``\\quad``, ``\\qquad``, a tab or a gap of four spaces or more
    (plain-text notes in columns: ``z1 = W1 x + b1        a1 = s(z1)``) separates two
    equations only when the text on both sides of it holds a top-level ``=``, so
    ``i = 1, 2, 3`` stays whole.
    """
    s = "".join(chars[a - base : b - base])
    if "=" not in s or not _SEPARATOR.search(s):
        return [(a, b)]
    top = set(_top_level(chars, base, a, b))
    # A separator followed by words (", \\text{ since } y_j = 1") starts a remark instead.
    seps = [
        (a + m.start(), a + m.end())
        for m in _SEPARATOR.finditer(s)
        if a + m.start() in top and not _REMARK_TEXT.match(s, m.end())
    ]
    if not seps:
        return [(a, b)]
    equals = [i for i in sorted(top) if chars[i - base] == "="]
    out: list[tuple[int, int]] = []
    start = a
    bounds = [*seps, (b, b)]
    for k, (x, y) in enumerate(bounds[:-1]):
        nxt = bounds[k + 1][0]
        if any(start <= e < x for e in equals) and any(y <= e < nxt for e in equals):
            out.append((start, x))
            start = y
    out.append((start, b))
    return out


def rows(
    chars: list[str], base: int, spans: list[tuple[int, int]], assign: list[bool]
) -> list[Row]:
    """Split each ``[start, end)`` row span into sides at its top-level ``=`` signs."""
    out: list[Row] = []
    pieces: list[tuple[int, int]] = []
    for a0, b0 in spans:
        pieces.extend(_equations(chars, base, *_trim(chars, base, a0, b0)))
    for a0, b0 in pieces:
        a, b = _trim(chars, base, a0, b0)
        if a >= b:
            continue
        remark = None
        cut = _remark_start(chars, base, a, b)
        if cut is not None:
            remark, b = (cut, b), cut
        ranged = _RANGE_AFTER.search("".join(chars[a - base : b - base]))
        if ranged and "=" in "".join(chars[a - base : a - base + ranged.start()]):
            # `a^l = σ(z^l)\ (l = 1, 2)`: the layers it is for, said after it
            remark, b = (a + ranged.start(), b), a + ranged.start()
        # Trailing punctuation and spacing are prose, not math.
        while b > a:
            tail = "".join(chars[max(a, b - 12) - base : b - base])
            m = _SPACING.search(tail)
            if m and m.start() < len(tail):
                b -= len(tail) - m.start()
            elif chars[b - 1 - base] in ".,;" and not _DELIMITER_DOT.search(
                "".join(chars[max(a, b - 7) - base : b - base])
            ):
                b -= 1
            else:
                break
        a, b = _trim(chars, base, a, b)
        if a >= b:
            continue
        cuts: list[int] = []
        for i in _top_level(chars, base, a, b):
            if chars[i - base] == "=":
                prev = chars[i - 1 - base] if i > a else " "
                nxt = chars[i + 1 - base] if i + 1 < b else " "
                if prev not in "<>!=" and nxt != "=":
                    cuts.append(i)
        is_assign = bool(cuts) and assign[cuts[0] - base]
        out.append(Row(a, b, tuple(cuts), is_assign, remark))
    return out


def max_depth(s: str) -> int:
    """The deepest nesting of braces and brackets in ``s``."""
    depth = deepest = 0
    for c in s:
        if c in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif c in "})]":
            depth -= 1
    return deepest


class SideReader:
    """Turns a ``[start, end)`` of the document into a :class:`Side`, parsed or with its error."""

    def __init__(
        self,
        text: str,
        parse: ParseFn,
        position: PositionFn,
        error_text: str,
        syntax_errors: tuple[type[Exception], ...] = (),
    ) -> None:
        self.text = text
        self.parse = parse
        self.position = position
        self.error_text = error_text
        self.syntax_errors: tuple[type[Exception], ...] = (ParseError, *syntax_errors)

    def error(self, message: str, offset: int) -> ParseError:
        """A :class:`ParseError` at a document offset (with the notebook cell, if any)."""
        where = self.position(offset)
        err = ParseError(message, self.error_text, where.line, where.column)
        err.position = where
        return err

    def side(self, chars: list[str], base: int, a: int, b: int, what: str) -> Side:
        """Parse ``chars`` (cleaned region text starting at offset ``base``) from ``a`` to ``b``."""
        a, b = _trim(chars, base, a, b)
        source = self.text[a:b]
        if a >= b:
            return Side(
                Span(a, a),
                "",
                None,
                self.error(f"The {what} is empty; write an expression there.", a),
            )
        math = "".join(chars[a - base : b - base])
        problem = None
        if b - a > MAX_SIDE:
            problem = f"This {what} is {b - a:,} characters long; split it into shorter steps."
        elif max_depth(math) > MAX_DEPTH:
            problem = (
                f"This {what} nests brackets {max_depth(math):,} deep; chainrule reads at most "
                f"{MAX_DEPTH} levels. Check for a missing closing brace."
            )
        if problem:
            return Side(Span(a, b), source, None, self.error(problem, a))
        try:
            expr, notes = self.parse(math, a)
        except RecursionError:
            return Side(
                Span(a, b),
                source,
                None,
                self.error(f"This {what} is nested too deeply to read; simplify it.", a),
            )
        except self.syntax_errors as exc:  # MathSyntaxError or any reader error with a position
            offset = getattr(exc, "offset", None)
            at = offset if isinstance(offset, int) and a <= offset <= b else a
            message = getattr(exc, "message", None) or str(exc)
            return Side(Span(a, b), source, None, self.error(message, at))
        except Exception as exc:  # a bug in the parser must not become the user's traceback
            return Side(
                Span(a, b),
                source,
                None,
                self.error(
                    f"chainrule could not read this {what} (internal error: "
                    f"{type(exc).__name__}); please report it with the document.",
                    a,
                ),
            )
        return Side(Span(a, b), source, expr, None, notes)


def chains(
    rows_: list[Row], chars: list[str], base: int, reader: SideReader, block: int, intro: str
) -> tuple[list[Chain], list[Row]]:
    """Build chains from a region's rows; also return rows with no ``=`` that start no chain."""
    done: list[Chain] = []
    lone: list[Row] = []
    current: _Chain | None = None
    pending: Row | None = None

    def finish() -> None:
        nonlocal current
        if current is not None:
            how = ":=" if current.assign else intro
            done.append(Chain(current.lhs, tuple(current.rhs), how, block))
        current = None

    for row in rows_:
        sides = row.sides()
        if row.continues:
            if current is None:
                if pending is not None:
                    lhs = reader.side(chars, base, pending.start, pending.end, "left-hand side")
                    pending = None
                else:
                    lhs = Side(
                        Span(row.start, row.start),
                        "",
                        None,
                        reader.error(
                            "This row starts with `=` but no row above gives its left-hand "
                            "side; write the left-hand side before `=`.",
                            row.start,
                        ),
                    )
                current = _Chain(lhs, assign=row.assign)
            current.rhs.extend(
                reader.side(chars, base, x, y, "right-hand side") for x, y in sides[1:]
            )
        elif row.cuts:
            finish()
            if pending is not None:
                lone.append(pending)
                pending = None
            lhs = reader.side(chars, base, *sides[0], "left-hand side")
            current = _Chain(lhs, assign=row.assign)
            current.rhs.extend(
                reader.side(chars, base, x, y, "right-hand side") for x, y in sides[1:]
            )
        else:
            finish()
            if pending is not None:
                lone.append(pending)
            pending = row
    finish()
    if pending is not None:
        lone.append(pending)
    return done, lone
