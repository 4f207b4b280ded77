"""A document's own LaTeX macros without arguments, so the lexer can read them.

Owns :func:`find_macros` (``\\newcommand{\\one}{\\mathbf{1}}``, ``\\renewcommand``, ``\\def``,
``\\DeclareMathOperator{\\diag}{diag}`` → name and body) and :data:`MACROS`, the table the
lexer consults while one document is read (set by the reader, empty otherwise). Macros with
arguments (``[1]``) are left out: their uses stay unknown commands, reported as such. Work is
bounded: at most :data:`MAX_MACROS` macros with bodies of at most :data:`MAX_BODY` characters,
expanded at most :data:`MAX_MACRO_DEPTH` levels deep.
"""

from __future__ import annotations

import re
from contextvars import ContextVar

MAX_MACROS = 200
MAX_BODY = 400
MAX_MACRO_DEPTH = 8

MACROS: ContextVar[dict[str, str] | None] = ContextVar("chainrule_macros", default=None)
"""The macros of the document being read: name (without the backslash) → body."""

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
    r"\\(?P<kind>newcommand\*?|renewcommand\*?|providecommand\*?|def|DeclareMathOperator\*?)"
    r"\s*(?:\{\s*\\(?P<braced>[A-Za-z]+)\s*\}|\\(?P<bare>[A-Za-z]+))\s*(?P<args>\[)?"
)


def find_macros(text: str) -> dict[str, str]:
    """The argument-free macros ``text`` defines, in order (a later one wins)."""
    out: dict[str, str] = {}
    for m in _DEFINITION.finditer(text):
        if m.group("args") or len(out) >= MAX_MACROS:
            continue
        body = _group(text, m.end())
        if body is None or len(body) > MAX_BODY or "#" in body:
            continue
        name = m.group("braced") or m.group("bare")
        if m.group("kind").startswith("DeclareMathOperator"):
            body = f"\\operatorname{{{body}}}"
        out[name] = body
    return out


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
