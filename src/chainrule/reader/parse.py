"""``parse_math``: one side of an equation → an expression tree with spans and notes.

Owned by the expression reader. The lexer (``reader.lexer``) makes tokens; Lark's LALR
parser, fed those tokens, checks them against ``reader/grammar.lark``; the transformer here
turns Lark's tree into raw pieces (``reader.raw``) and the assembler (``reader.assemble``)
gives them meaning. Work is bounded: 20,000 characters, 200 nested groups, a tree at most
200 nodes deep — past that a :class:`MathSyntaxError`, never a ``RecursionError``.

Example:
    >>> parse_math(r"\\frac{\\partial L}{\\partial W_{3_{mn}}}").expr
    Deriv(of=Sym(name='L', accent='', layer='', style=''), wrt=Indexed(base=Sym(name='W', \
accent='', layer='3', style=''), indices=('m', 'n')), style='partial')
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from lark import Lark, Token, Transformer_NonRecursive
from lark.exceptions import UnexpectedInput, UnexpectedToken, VisitError
from lark.lexer import Lexer

from chainrule.reader.assemble import GLUE_NOTE, GRADIENT_NAMES, Assembler, Context
from chainrule.reader.ast import (
    Add,
    Call,
    Deriv,
    Expr,
    Indexed,
    Indicator,
    Mul,
    Neg,
    Norm,
    Num,
    Relation,
    Span,
    Sum,
    Sym,
    children,
)
from chainrule.reader.claims import Note
from chainrule.reader.lexer import MathSyntaxError, tokenize
from chainrule.reader.raw import (
    MARKERS,
    DerivOpAtom,
    GroupAtom,
    Item,
    MarkAtom,
    Marker,
    NameAtom,
    OpenSum,
    Partial,
    PartialAlone,
    Post,
    RawFactor,
    Script,
    ValueAtom,
)

__all__ = ["MathSyntaxError", "Parsed", "parse_math"]

MAX_TREE_DEPTH = 200


@dataclass(frozen=True)
class Parsed:
    """A parsed expression and one note per reading that was not the literal one."""

    expr: Expr
    notes: tuple[Note, ...]


class _Feed(Lexer):
    """Hands Lark the tokens ``reader.lexer`` already made (the 'text' is the token tuple)."""

    def __init__(self, lexer_conf: Any) -> None:
        pass

    def lex(self, data: Any) -> Iterator[Token]:  # type: ignore[override]
        yield from data


_PARSER: Lark | None = None


def _parser() -> Lark:
    """The LALR parser, built on first use so importing the reader stays cheap."""
    global _PARSER
    if _PARSER is None:
        grammar = (Path(__file__).parent / "grammar.lark").read_text(encoding="utf-8")
        _PARSER = Lark(grammar, parser="lalr", lexer=_Feed, maybe_placeholders=True)
    return _PARSER


def parse_math(text: str, base: int = 0) -> Parsed:
    """Parse one side of an equation.

    Args:
        text: the LaTeX or Unicode math of one side (no top-level ``=``); may contain
            newlines; ``&`` and trailing punctuation already removed by the caller.
        base: the document offset of ``text[0]``; every span in the result is offset by it.

    Returns:
        The tree (``reader.ast``) and a note for each tolerant reading.

    Raises:
        MathSyntaxError: ``text`` cannot be read; ``offset`` and ``expected`` say where
            and what was expected.
    """
    lexed = tokenize(text, base)
    if not lexed.tokens:
        raise MathSyntaxError("an expression here, not an empty side", base)
    ctx = Context(text, base, list(lexed.notes))
    try:
        tree = _parser().parse(lexed.tokens)  # the token tuple is the "text"
    except UnexpectedInput as exc:
        raise _syntax_error(exc, lexed.tokens, base) from None
    try:
        result = _Build(ctx).transform(tree)
    except VisitError as exc:
        if isinstance(exc.orig_exc, MathSyntaxError):
            raise exc.orig_exc from None
        raise
    assert isinstance(result, Item)
    _check(result.value, ctx)
    return Parsed(result.value, tuple(sorted(ctx.notes, key=lambda n: n.span.start)))


# -- Lark tree → raw pieces --------------------------------------------------------------
class _Build(Transformer_NonRecursive[Token, Item]):
    """One method per grammar rule; each returns a piece of ``reader.raw`` or a tree node."""

    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.ctx = ctx
        self.assembler = Assembler(ctx)

    def _span(self, start: int, end: int) -> Span:
        return Span(self.ctx.base + start, self.ctx.base + end)

    def _tok(self, token: Token) -> Span:
        return self._span(token.start_pos or 0, token.end_pos or 0)

    def start(self, c: list[Any]) -> Item:
        item: Item = c[0]
        return item

    def expr(self, c: list[Any]) -> Item:
        terms: list[Expr] = []
        sign: Token | None = c[0]
        first: Item = c[1]
        if sign is None and len(c) == 2 and not isinstance(first.value, OpenSum):
            return first
        parts = [(sign, first)]
        for k in range(2, len(c), 3):
            op, extra, term = c[k], c[k + 1], c[k + 2]
            parts.append((op, term))
            if extra is not None:  # `a - -b`: the second sign negates the term
                parts[-1] = (op, _negate(term, extra, self._tok(extra), self.ctx))
        pending: OpenSum | None = None
        for op, term in parts:
            value = term.value
            if op is not None and op.value == "-":
                span = Span(self._tok(op).start, (value.span or self._tok(op)).end)
                value = _neg(value, span)
            if isinstance(value, OpenSum):
                pending = value
                continue
            if pending is not None:
                # `\sum_{l} -\frac{y_l}{ŷ_l} …`: the sum's body is the signed term after it
                span = Span((pending.span or Span(0, 0)).start, (value.span or Span(0, 0)).end)
                self.ctx.note(span, f"read `{self.ctx.source(span)}` as the sum of the signed term")
                value = Sum(pending.bounds, value, span=span)
                pending = None
            terms.append(value)
        if pending is not None:
            what = pending.text or self.ctx.source(pending.span or Span(0, 0))
            raise self.ctx.error(f"an expression after `{what}`", pending.span or Span(0, 0))
        if len(terms) == 1:
            return Item(terms[0], None)
        spans = [t.span for t in terms if t.span is not None]
        whole = Span(spans[0].start, spans[-1].end) if spans else None
        return Item(Add(tuple(terms), span=whole), None)

    def term(self, c: list[Any]) -> Item:
        value = self.assembler.term(c)
        single = c[0] if len(c) == 1 else None
        d_rest = None
        first = c[0]
        if isinstance(first, RawFactor) and _is_bare_d(Item(value, first)):
            d_rest = _d_rest(value)
        return Item(value, single, d_rest)

    def factor(self, c: list[Any]) -> RawFactor:
        atom = c[0]
        posts = tuple(c[1:])
        end = posts[-1].span.end if posts else atom.span.end
        return RawFactor(atom, posts, Span(atom.span.start, end))

    def sub(self, c: list[Any]) -> Post:
        return Post("sub", c[1], Span(self._tok(c[0]).start, c[1].span.end), str(c[0].value))

    def sup(self, c: list[Any]) -> Post:
        return Post("sup", c[1], Span(self._tok(c[0]).start, c[1].span.end), str(c[0].value))

    def prime(self, c: list[Any]) -> Post:
        return Post("prime", None, self._tok(c[0]))

    def bracket_post(self, c: list[Any]) -> Post:
        span = Span(self._tok(c[0]).start, self._tok(c[2]).end)
        return Post("bracket", Script(tuple(c[1]), span), span)

    def script_group(self, c: list[Any]) -> Script:
        return Script(tuple(c[1]), Span(self._tok(c[0]).start, self._tok(c[2]).end))

    def script_simple(self, c: list[Any]) -> Script:
        token: Token = c[0]
        atom = self._atom(token)
        raw = RawFactor(atom, (), atom.span)
        value = self.assembler.term([raw])
        return Script((Item(value, raw),), atom.span)

    def simple(self, c: list[Any]) -> Token:
        token: Token = c[0]
        return token

    def _atom(self, token: Token) -> NameAtom | ValueAtom | MarkAtom:
        span = self._tok(token)
        kind, value = token.type, str(token.value)
        if kind == "NAME":
            return NameAtom(value, "name", "", span)
        if kind == "OPNAME":
            name, _, style = value.partition("|")
            return NameAtom(name, "op", style, span)
        if kind == "NUMBER":
            return ValueAtom(Num(value, span=span), span)
        marks = {"ONE": "one", "SUM": "sum", "NABLA": "nabla", "PARTIAL": "partial"}
        marks |= {"TOP": "top", "PRIMECMD": "prime", "ELLIPSIS": "ellipsis"}
        return MarkAtom(marks[kind], span)

    def name(self, c: list[Any]) -> NameAtom | ValueAtom | MarkAtom:
        return self._atom(c[0])

    opname = number = one = sum = nabla = partial = top = primecmd = ellipsis = name

    def _group(self, kind: str, c: list[Any]) -> GroupAtom:
        return GroupAtom(kind, tuple(c[1]), Span(self._tok(c[0]).start, self._tok(c[2]).end))

    def paren(self, c: list[Any]) -> GroupAtom:
        return self._group("paren", c)

    def bracket(self, c: list[Any]) -> GroupAtom:
        return self._group("bracket", c)

    def setgroup(self, c: list[Any]) -> GroupAtom:
        return self._group("set", c)

    def brace(self, c: list[Any]) -> GroupAtom:
        return self._group("brace", c)

    def norm(self, c: list[Any]) -> ValueAtom:
        group = self._group("norm", c)
        value = self.assembler.group_value(group)
        return ValueAtom(Norm(value, span=group.span), group.span)

    def abs(self, c: list[Any]) -> ValueAtom:
        atom = self.norm(c)
        self.ctx.note(
            atom.span, f"read `{self.ctx.source(atom.span)}` as a norm `\\|…\\|` (no |·| node)"
        )
        return atom

    def frac(self, c: list[Any]) -> ValueAtom | DerivOpAtom:
        span = Span(self._tok(c[0]).start, c[2].span.end)
        num, den = (self._one_item(s, "one expression in each part of `\\frac`") for s in c[1:])
        style = {"frac": "frac", "dfrac": "dfrac", "tfrac": "tfrac"}.get(str(c[0].value), "frac")
        if isinstance(num.value, PartialAlone) and isinstance(den.value, Partial):
            return DerivOpAtom(den.value.of, "operator", span)
        if num.d_rest is not None and den.d_rest is not None:
            self._drop_glue_notes(span)
            return ValueAtom(Deriv(num.d_rest, den.d_rest, "d", span=span), span)
        if _is_bare_d(num) and den.d_rest is not None:
            self._drop_glue_notes(span)
            return DerivOpAtom(den.d_rest, "d", span)
        return ValueAtom(self.assembler.quotient(num.value, den.value, style, span), span)

    def _drop_glue_notes(self, span: Span) -> None:
        """Inside ``\frac{dL}{dW}`` the ``dW`` was a differential, not a name: unsay it."""
        self.ctx.notes[:] = [
            n
            for n in self.ctx.notes
            if not (span.start <= n.span.start < span.end and GLUE_NOTE in n.message)
        ]

    def _one_item(self, script: Script, what: str) -> Item:
        if len(script.items) != 1:
            raise self.ctx.error(what, script.span)
        return script.items[0]

    def sqrt(self, c: list[Any]) -> ValueAtom:
        span = Span(self._tok(c[0]).start, c[1].span.end)
        arg = self._one_item(c[1], "one expression under `\\sqrt`").value
        return ValueAtom(Call("sqrt", (arg,), span=span), span)

    def accent(self, c: list[Any]) -> NameAtom | ValueAtom:
        token: Token = c[0]
        script: Script = c[1]
        span = Span(self._tok(token).start, script.span.end)
        kind, _, name = str(token.value).partition(":")
        item = self._one_item(script, f"one letter under `{self.ctx.source(self._tok(token))}`")
        raw = item.single
        if kind == "font" and raw is not None and isinstance(raw.atom, NameAtom) and not raw.posts:
            return replace(raw.atom, style=name, span=span)
        value = _accented(item.value, kind, name)
        if value is None:
            raise self.ctx.error(
                f"a letter under `{self.ctx.source(self._tok(token))}`, as in "
                f"`{self.ctx.source(self._tok(token))}{{y}}`",
                script.span,
            )
        return ValueAtom(replace(value, span=span), span)

    def content(self, c: list[Any]) -> list[Item]:
        return [x for x in c if isinstance(x, Item)]

    def item(self, c: list[Any]) -> Item:
        left: Item = c[0]
        if c[1] is None:
            return left
        right: Item = c[2]
        op = str(c[1].value)
        spans = [s for s in (left.value.span, right.value.span) if s is not None]
        span = Span(spans[0].start, spans[-1].end) if spans else None
        return Item(Relation(left.value, op, right.value, span=span), None)


def _neg(value: Expr, span: Span) -> Expr:
    return Neg(value, span=span)


def _negate(term: Item, sign: Token, span: Span, ctx: Context) -> Item:
    if sign.value == "-":
        end = term.value.span.end if term.value.span else span.end
        return Item(_neg(term.value, Span(span.start, end)), None)
    return term


def _d_rest(value: Expr) -> Expr | None:
    """``d L`` → ``L``; ``d W_3 x`` → ``W_3 x``: what a leading bare ``d`` differentiates.

    ``dW`` may already have been read as one name (deeplearning.ai's gradient names); in a
    derivative's ``d`` it is the differential again.
    """
    unglued = _unglue(value)
    if unglued is not None:
        return unglued
    if isinstance(value, Mul) and not value.op and len(value.factors) >= 2:
        first = value.factors[0]
        if isinstance(first, Sym) and first.name == "d":
            rest = value.factors[1:]
            return rest[0] if len(rest) == 1 else Mul(rest, "", span=rest[0].span)
        head = _unglue(first)
        if head is not None:
            return Mul((head, *value.factors[1:]), "", span=value.span)
    return None


def _unglue(value: Expr) -> Expr | None:
    glued = isinstance(value, Sym) and len(value.name) > 1 and value.name[0] == "d"
    if glued and isinstance(value, Sym) and value.name[1:] in GRADIENT_NAMES:
        return replace(value, name=value.name[1:])
    return None


def _is_bare_d(item: Item) -> bool:
    raw = item.single
    return (
        raw is not None
        and isinstance(raw.atom, NameAtom)
        and raw.atom.name == "d"
        and raw.atom.kind == "name"
        and not raw.posts
    )


def _accented(value: Expr, kind: str, name: str) -> Expr | None:
    """``\\hat`` / ``\\mathbf`` applied to a symbol (or the symbol of an entry)."""
    if isinstance(value, Indexed) and isinstance(value.base, Sym):
        inner = _accented(value.base, kind, name)
        return replace(value, base=inner) if inner is not None else None
    if isinstance(value, Sym):
        if kind == "font":
            return replace(value, style=name)
        if value.accent:
            return None
        return replace(value, accent=name)
    if kind == "font":
        return value
    return None


# -- errors and checks -------------------------------------------------------------------
_DESCRIBE = {
    "ADDOP": "`{}`",
    "MULOP": "`\\{}`",
    "SLASH": "`/`",
    "SUB": "`_`",
    "SUP": "`^`",
    "REL": "`{}`",
    "COMMA": "`,`",
    "FRAC": "`\\{}`",
    "SQRT": "`\\sqrt`",
    "ACCENT": "the accent",
    "LPAR": "`(`",
    "LBRACK": "`[`",
    "LBRACE": "`{{`",
    "LSET": "`\\{{`",
    "NORMOPEN": "`\\|`",
    "BAROPEN": "`|`",
}


def _describe(token: Token) -> str:
    template = _DESCRIBE.get(token.type, "`{}`")
    return template.format(token.value)


def _syntax_error(exc: UnexpectedInput, tokens: tuple[Token, ...], base: int) -> MathSyntaxError:
    if not isinstance(exc, UnexpectedToken):  # pragma: no cover - our lexer makes all tokens
        return MathSyntaxError("an expression chainrule can read", base)
    token: Token = exc.token
    at_end = token.type == "$END"
    index = len(tokens) if at_end else _index_of(token, tokens)
    previous = tokens[index - 1] if index > 0 else None
    offset = base + (previous.end_pos or 0 if at_end and previous else token.start_pos or 0)
    prev_type = previous.type if previous else ""
    if prev_type in ("SUB", "SUP"):
        what = "a subscript" if prev_type == "SUB" else "a superscript"
        return MathSyntaxError(f"{what} after {_describe(previous)}", offset)  # type: ignore[arg-type]
    if prev_type == "FRAC":
        return MathSyntaxError(f"two arguments `{{…}}{{…}}` after {_describe(previous)}", offset)  # type: ignore[arg-type]
    if previous is not None and prev_type in _DESCRIBE and prev_type not in ("COMMA",):
        if not at_end and token.type == "REL" and prev_type == "REL":
            pass
        else:
            return MathSyntaxError(f"an expression after {_describe(previous)}", offset)
    if at_end:
        return MathSyntaxError("more of the expression: it ends too early", offset)
    if token.type == "REL":
        return MathSyntaxError(
            f"an operator or the end of the expression, not the relation `{token.value}` "
            "(relations belong inside an indicator such as `1\\{y = j\\}`)",
            offset,
        )
    if token.type == "COMMA":
        return MathSyntaxError(
            "one expression, not a list (write a vector in brackets: `[a, b]`)", offset
        )
    if token.type in ("RPAR", "RBRACK", "RBRACE", "RSET", "NORMCLOSE", "BARCLOSE"):
        return MathSyntaxError(f"an expression before `{token.value}`", offset)
    return MathSyntaxError(f"an operator or the end of the expression before `{token}`", offset)


def _index_of(token: Token, tokens: tuple[Token, ...]) -> int:
    for k, t in enumerate(tokens):
        if t is token:
            return k
    for k, t in enumerate(tokens):
        if t.start_pos == token.start_pos and t.type == token.type:
            return k
    return 0


def _check(expr: Expr, ctx: Context) -> None:
    """No marker left, relations only in indicators, depth bounded — without recursion."""
    stack: list[tuple[Expr, int, Expr | None]] = [(expr, 1, None)]
    while stack:
        node, depth, parent = stack.pop()
        span = node.span or Span(ctx.base, ctx.base)
        if depth > MAX_TREE_DEPTH:
            raise MathSyntaxError(
                f"an expression nested at most {MAX_TREE_DEPTH} levels deep", span.start
            )
        if isinstance(node, MARKERS):
            raise _marker_error(node, span, ctx)
        if isinstance(node, Relation) and not isinstance(parent, Indicator):
            raise MathSyntaxError(
                f"an expression, not the relation `{ctx.source(span)}` (a relation belongs "
                "inside an indicator such as `1\\{y = j\\}`; the document reader splits at `=`)",
                span.start,
            )
        stack.extend((child, depth + 1, node) for child in children(node))


def _marker_error(node: Expr, span: Span, ctx: Context) -> MathSyntaxError:
    if isinstance(node, Partial | PartialAlone):
        return MathSyntaxError(
            f"`{ctx.source(span)}` inside a derivative such as `\\frac{{\\partial L}}"
            "{\\partial W}` or `\\partial L/\\partial W`",
            span.start,
        )
    if isinstance(node, OpenSum):
        return MathSyntaxError(f"an expression after `{ctx.source(span)}`", span.start)
    assert isinstance(node, Marker)
    if node.kind == "ellipsis":
        return MathSyntaxError(
            "`\\dots` only inside a list such as `[a_1, \\dots, a_n]`", span.start
        )
    return MathSyntaxError(
        f"`{ctx.source(span)}` only in a superscript, as in `W^{{{ctx.source(span)}}}`", span.start
    )
