"""A document's own LaTeX macros, and the physics package's derivatives, so the lexer can
read them.

Owns :class:`Macro`, :func:`find_macros` (``\\newcommand{\\one}{\\mathbf{1}}``,
``\\newcommand{\\pd}[2]{\\frac{\\partial #1}{\\partial #2}}`` with an optional first argument's
default, ``\\renewcommand``, ``\\def`` without parameters, ``\\DeclareMathOperator{\\diag}{diag}``
→ name and macro), :func:`arguments` and :func:`expand` (a use's arguments read from the
text and put into the body), :data:`PACKAGE_MACROS` (``\\pdv{L}{W}``, ``\\dv{f}{x}``) and
:data:`MACROS`, the table the lexer consults while one document is read (set by the reader,
empty otherwise). Work is bounded: at most :data:`MAX_MACROS` macros with bodies of at most
:data:`MAX_BODY` characters, expansions of at most :data:`MAX_EXPANSION` characters,
expanded at most :data:`MAX_MACRO_DEPTH` levels deep.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from dataclasses import dataclass

MAX_MACROS = 200
MAX_BODY = 400
MAX_EXPANSION = 2_000
MAX_MACRO_DEPTH = 8


@dataclass(frozen=True)
class Macro:
    """A macro's body (``#1`` … ``#9`` for its arguments), how many arguments it takes, and
    the default of an optional first one (``\\newcommand{\\x}[2][a]{…}``), if it has one."""

    body: str
    arity: int = 0
    default: str | None = None


MACROS: ContextVar[dict[str, Macro] | None] = ContextVar("chainrule_macros", default=None)
"""The macros of the document being read: name (without the backslash) → macro."""

PACKAGE_MACROS = {
    "pdv": Macro(r"\frac{\partial #1}{\partial #2}", 2),
    "dv": Macro(r"\frac{d #1}{d #2}", 2),
}
"""The physics package's derivatives, in their two-argument form (``\\pdv{L}{W_3}``); a
document's own macro of the same name wins."""

DOCUMENT_FUNCTIONS: ContextVar[frozenset[str]] = ContextVar(
    "chainrule_document_functions", default=frozenset()
)
"""Single letters the document being read uses as functions (``s'(z)``, "I use s(.) for the
sigmoid"), so ``s(z_1)`` there is a call, not s times z₁."""

_PRIMED_CALL = re.compile(r"(?<![\\A-Za-z])([A-Za-z])(?:'+|\^\{?\\prime\}?)\s*\(")
_NAMED_FUNCTION = re.compile(
    r"\b(?:use|write|denote|using|writing)\s+\$?\\?([A-Za-z])\$?(?:\s*\(\s*\S{0,3}\s*\))?\s+"
    r"(?:for|as)\s+(?:the\s+|an?\s+)?(?:[\w-]+\s+)?"
    r"(?:sigmoid|logistic|tanh|relu|softmax|activation|non-?linearity)",
    re.IGNORECASE,
)


def functions_used(text: str) -> frozenset[str]:
    """The single letters ``text`` uses as functions: primed and applied (``s'(z)``), or
    named so in words ("I use s(.) for the sigmoid")."""
    # A prime also marks a transpose (W'(y − ŷ), w'x), so only letters that name functions
    # count when primed; a name given in words may be any letter but the network's own.
    letters = {m.group(1) for m in _PRIMED_CALL.finditer(text)} & {"f", "g", "s", "r"}
    letters |= {m.group(1) for m in _NAMED_FUNCTION.finditer(text)}
    return frozenset(letters - set("xyzahwvbWXYZAHLedm"))


LAYER_SUPERSCRIPTS: ContextVar[bool] = ContextVar("chainrule_layer_superscripts", default=False)
"""The document being read writes layers as superscripts (Nielsen: ``a^l``, ``w^{l+1}``), so
``a^3`` there is layer 3's a, not a cube."""

_NIELSEN = re.compile(
    r"(?:\\delta|\\Delta|(?<![A-Za-z\\])[azwbh])\^\{?(?:l|L|\\ell)(?:\s*[+-]\s*1)?\}?"
)


def writes_layer_superscripts(text: str) -> bool:
    """Whether ``text`` uses Nielsen's layer superscripts at least twice (``a^l``, ``δ^{l+1}``)."""
    return len(_NIELSEN.findall(text)) >= 2


_DEFINITION = re.compile(
    r"\\(?P<kind>newcommand\*?|renewcommand\*?|providecommand\*?|[gex]?def|DeclareMathOperator\*?)"
    r"\s*(?:\{\s*\\(?P<braced>[A-Za-z]+)\s*\}|\\(?P<bare>[A-Za-z]+))"
    r"(?:\s*\[\s*(?P<arity>[1-9])\s*\](?:\s*\[(?P<default>[^\]]{0,100})\])?)?"
)
_PARAMETER = re.compile(r"#([1-9])")


def find_macros(text: str) -> dict[str, Macro]:
    """The macros ``text`` defines, in order (a later one wins).

    Left out: ``\\def`` with parameters (``\\def\\x#1{…}``), bodies over :data:`MAX_BODY`
    characters, and bodies that use an argument the macro does not take; their uses stay
    unknown commands, reported as such.
    """
    out: dict[str, Macro] = {}
    for m in _DEFINITION.finditer(text):
        if len(out) >= MAX_MACROS:
            break
        body = _group(text, m.end())
        if body is None or len(body) > MAX_BODY:
            continue
        arity = int(m.group("arity") or 0)
        used = [int(k) for k in _PARAMETER.findall(body)]
        if body.count("#") != len(used) or any(k > arity for k in used):
            continue
        name = m.group("braced") or m.group("bare")
        if m.group("kind").startswith("DeclareMathOperator"):
            body = f"\\operatorname{{{body}}}"
        out[name] = Macro(body, arity, m.group("default") if arity else None)
    return out


def macro(name: str) -> Macro | None:
    """The document's macro ``name``, or the physics package's, or None."""
    return (MACROS.get() or {}).get(name) or PACKAGE_MACROS.get(name)


def arguments(text: str, start: int, macro: Macro) -> tuple[list[str], int] | None:
    """The arguments of a use of ``macro`` whose name ends at ``start``, and the offset after
    them; None when the text runs out first.

    An argument is a braced group, a command (``\\alpha``) or one character, as in TeX; an
    optional first argument is a bracketed group, its default when there is none.
    """
    args: list[str] = []
    i = _skip_spaces(text, start)
    wanted = macro.arity
    if macro.default is not None:
        if text.startswith("[", i):
            close = text.find("]", i, i + MAX_BODY)
            if close < 0:
                return None
            args.append(text[i + 1 : close])
            i = close + 1
        else:
            args.append(macro.default)
        wanted -= 1
    for _ in range(wanted):
        i = _skip_spaces(text, i)
        if i >= len(text):
            return None
        if text[i] == "{":
            group = _group(text, i)
            if group is None:
                return None
            args.append(group)
            i += len(group) + 2
        elif text[i] == "\\":
            j = i + 1
            while j < len(text) and text[j].isascii() and text[j].isalpha():
                j += 1
            j = max(j, i + 2)
            args.append(text[i:j])
            i = j
        else:
            args.append(text[i])
            i += 1
    return args, i


def expand(macro: Macro, args: list[str]) -> str | None:
    """``macro``'s body with its arguments put in as TeX does, text for text (so
    ``#1^2`` of ``a+b`` is ``a+b^2``), or None when that is over :data:`MAX_EXPANSION`
    characters."""
    out = _PARAMETER.sub(lambda m: args[int(m.group(1)) - 1], macro.body)
    return out if len(out) <= MAX_EXPANSION else None


def _skip_spaces(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\n":
        i += 1
    return i


def _group(text: str, start: int) -> str | None:
    """The contents of the braced group starting at ``start`` (after spaces), if any."""
    i = start
    while i < len(text) and text[i] in " \t\n":
        i += 1
    if i >= len(text) or text[i] != "{":
        return None
    depth, j = 0, i
    while j < len(text) and j - i <= MAX_BODY + 2:
        if text[j] == "\\":
            j += 2
            continue
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return text[i + 1 : j]
        j += 1
    return None
