"""Errors users see: each one a sentence that says where and what to do.

Every error chainrule raises on purpose derives from :class:`ChainruleError`; the CLI turns
it into a message and exit status 2, never a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


class ChainruleError(Exception):
    """Base class for errors that are the user's input, not a bug in chainrule."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Position:
    """A place in a text: 1-based line and column (and notebook cell, when there is one)."""

    line: int
    column: int
    cell: int | None = None
    cell_line: int | None = None

    def describe(self) -> str:
        where = f"line {self.line}, column {self.column}"
        if self.cell is not None:
            where += f" (cell {self.cell}, line {self.cell_line})"
        return where


def caret_excerpt(text: str, line: int, column: int, width: int = 72) -> str:
    """The source line at ``line`` with a caret under ``column`` (both 1-based).

    Long lines are windowed around the column so the caret stays on screen.
    """
    lines = text.splitlines() or [""]
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    start = max(0, column - 1 - width // 2)
    shown = source[start : start + width]
    prefix = "…" if start > 0 else ""
    return f"{prefix}{shown}\n{' ' * (len(prefix) + column - 1 - start)}^"


class SourceError(ChainruleError):
    """An error at a position in a text the user gave (a spec, a document, an option)."""

    def __init__(self, message: str, text: str, line: int, column: int) -> None:
        super().__init__(message)
        self.text = text
        self.position = Position(line, column)

    @property
    def line(self) -> int:
        return self.position.line

    @property
    def column(self) -> int:
        return self.position.column

    def excerpt(self) -> str:
        return caret_excerpt(self.text, self.position.line, self.position.column)

    def __str__(self) -> str:
        return f"{self.position.describe()}: {self.message}\n{self.excerpt()}"


class SpecError(SourceError):
    """A model spec that cannot be read (``softmax(W1 x``, ``foo(W1 x)``, …)."""


class ParseError(SourceError):
    """A piece of a document that cannot be read as math."""
