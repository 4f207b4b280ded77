"""The reader's entry point: a document (path or text) → :class:`~chainrule.reader.claims.Document`.

Glues the stages of reading together: load the text (:mod:`.documents`), find math regions
(:mod:`.regions`), split rows and sides and parse each side (:mod:`.structure` with
:func:`chainrule.reader.parse.parse_math`), and read the prose (:mod:`.prose`).

Example:
    >>> doc = read_document("Let $h = \\\\sigma(W_1 x)$.")
    >>> doc.chains[0].intro, doc.chains[0].lhs.source, doc.chains[0].rhs[0].source
    ('let', 'h', '\\\\sigma(W_1 x)')
"""

from __future__ import annotations

import os
import re
from dataclasses import replace

from chainrule.errors import ParseError
from chainrule.reader.ast import Expr, Span
from chainrule.reader.claims import Assumption, Chain, Document, Note
from chainrule.reader.documents import Source, load
from chainrule.reader.macros import (
    DOCUMENT_FUNCTIONS,
    LAYER_SUPERSCRIPTS,
    MACROS,
    find_macros,
    functions_used,
    writes_layer_superscripts,
)
from chainrule.reader.parse import MathSyntaxError, parse_math
from chainrule.reader.prose import assumptions, intros, memberships, sentences
from chainrule.reader.regions import Region, mask_comments, scan
from chainrule.reader.structure import Row, SideReader, chains, clean_region, rows

MAX_CHAINS = 5000

__all__ = ["read_document"]


def _parse(math: str, base: int) -> tuple[Expr, tuple[Note, ...]]:
    parsed = parse_math(math, base)
    return parsed.expr, parsed.notes


def read_document(
    source: str | os.PathLike[str], *, kind: str | None = None, path: str | None = None
) -> Document:
    """Read a derivation: its chains of equalities, definitions and stated assumptions.

    Args:
        source: A path to a ``.tex``, ``.txt``, ``.md`` or ``.ipynb`` file, or the text
            itself (a ``str`` is text when it holds a newline, ``\\``, or ``$``, or when no
            file of that name exists).
        kind: ``"tex"``, ``"txt"``, ``"md"`` or ``"ipynb"``; by default from the file's
            extension, else sniffed from the text.
        path: The name to show for text given directly.

    Returns:
        The document's claims; sides that cannot be read carry their error, and problems
        with the document's structure are in ``errors`` and ``notes``.

    Raises:
        ParseError: The whole document cannot be read (empty, over 1 MB, binary, a broken
            notebook).
    """
    src = load(source, kind=kind, path=path)
    # The document's own macros (\newcommand{\one}{\mathbf{1}}) are read wherever it uses them.
    token = MACROS.set(find_macros(src.text))
    layers = LAYER_SUPERSCRIPTS.set(writes_layer_superscripts(src.text))
    functions = DOCUMENT_FUNCTIONS.set(functions_used(src.text))
    try:
        return _read(src)
    finally:
        DOCUMENT_FUNCTIONS.reset(functions)
        LAYER_SUPERSCRIPTS.reset(layers)
        MACROS.reset(token)


def _read(src: Source) -> Document:
    text = src.text
    clean = mask_comments(text) if src.kind == "tex" else text
    shell = Document(text, src.path, (), (), (), (), src.line_starts, src.cells)
    position = shell.position
    reader = SideReader(text, _parse, position, text, (MathSyntaxError,))
    notes: list[Note] = [Note(Span(at, at), message) for at, message in src.notes]
    errors: list[ParseError] = []
    found: list[Chain] = []
    stated: list[Assumption] = []
    block = 0
    for start, end in src.segments:
        result = scan(clean, start, end, src.kind)
        notes.extend(Note(Span(a, b), message) for a, b, message in result.notes)
        errors.extend(reader.error(message, at) for at, message in result.errors)
        sents = sentences(clean, start, end, result.regions, result.skipped)
        intro = intros(clean, sents, result.regions)
        sentence_of = {r.start: s for s in sents for r in s.inline}
        for region in result.regions:
            if len(found) >= MAX_CHAINS:
                notes.append(
                    Note(
                        Span(region.start, region.start),
                        f"Only the first {MAX_CHAINS} equations were read; check the rest "
                        "in a separate document.",
                    )
                )
                break
            how = intro.get(region.start, "")
            sent = sentence_of.get(region.start)
            words = " ".join(text[sent.start : sent.end].split()) if sent else ""
            made, lone, more = _region(clean, region, reader, block, how)
            notes.extend(more)
            if how != "cond":
                made = _continued(found, made, clean, region.start, notes)
                found.extend(made)
            for row_start, row_end in lone:
                said = words or " ".join(text[row_start:row_end].split())
                stated.extend(memberships(clean, row_start, row_end, said))
            block += 1
        stated.extend(assumptions(clean, sents))
    stated.sort(key=lambda s: s.span.start)
    return Document(
        text,
        src.path,
        tuple(found),
        tuple(stated),
        tuple(notes),
        tuple(errors),
        src.line_starts,
        src.cells,
    )


_WHERE = re.compile(r"[\s,;]*(?:\\q?quad\b\s*)?\\(?:text|mbox|textrm)\{\s*(?:where|with)\s*\}\s*")
"""A remark that names what a symbol in the row is: ``… \\qquad \\text{where } s = w^⊤r``."""


def _where_rows(
    made: list[Row], chars: list[str], base: int, assign: list[bool], text: str
) -> list[Row]:
    """The definitions in ``\\text{where} s = …`` remarks, as rows of their own.

    The remark stays a remark (it is noted as one); its math is read as a definition, as
    "Let s = …" would be, so the row's claim can use the name.
    """
    out: list[Row] = []
    for row in made:
        if row.remark is None:
            continue
        start, end = row.remark
        m = _WHERE.match(text, start)
        if m is None or m.end() >= end or "\\text" in text[m.end() : end]:
            continue
        out.extend(r for r in rows(chars, base, [(m.end(), end)], assign) if r.cuts)
    return out


def _continued(
    found: list[Chain], made: list[Chain], clean: str, start: int, notes: list[Note]
) -> list[Chain]:
    """A display that starts with ``=`` (``$$= ŷ_m − y_m$$`` under ``$$∂L/∂z_m = …$$``)
    continues the chain before it, when only blank space separates them; ``found``'s last
    chain takes its right-hand sides."""
    if not made or not found or made[0].lhs.source.strip():
        return made
    first, previous = made[0], found[-1]
    last_end = (previous.rhs[-1].span if previous.rhs else previous.lhs.span).end
    between = clean[last_end:start]
    if re.sub(r"\$+|\\\]|\\\[|\\end\{[a-z*]+\}|\\begin\{[a-z*]+\}|\s", "", between):
        return made  # words in between: not a continuation
    found[-1] = replace(previous, rhs=(*previous.rhs, *first.rhs))
    notes.append(Note(first.rhs[0].span, "Read this display as continuing the equation above it."))
    return made[1:]


def _region(
    clean: str, region: Region, reader: SideReader, block: int, intro: str
) -> tuple[list[Chain], list[tuple[int, int]], list[Note]]:
    """Chains of one region, its rows that are not equations, and notes on remarks."""
    a, b = region.body_start, region.body_end
    chars, breaks, assign = clean_region(clean, a, b)
    if region.rows:
        spans: list[tuple[int, int]] = []
        for x, y in region.rows:
            inner = [k for k in breaks if x <= k < y]
            edges = [x, *inner, y]
            spans.extend((edges[i], edges[i + 1]) for i in range(len(edges) - 1))
    else:
        edges = [a, *breaks, b]
        spans = [(edges[i], edges[i + 1]) for i in range(len(edges) - 1)]
    rows_ = rows(chars, a, spans, assign)
    rows_ += _where_rows(rows_, chars, a, assign, reader.text)
    made, lone = chains(rows_, chars, a, reader, block, intro)
    notes = [
        Note(
            Span(*row.remark),
            f"Read `{' '.join(reader.text[row.remark[0] : row.remark[1]].split())[:60]}` "
            "at the end of the row as a remark, not math.",
        )
        for row in rows_
        if row.remark is not None and reader.text[row.remark[0] : row.remark[1]].strip()
    ]
    lone_spans = [(r.start, r.end) for r in lone]
    # Inline math with a membership but also an "=" is still read for its dimensions.
    if not region.display and not lone_spans and ("\\in" in clean[a:b] or "∈" in clean[a:b]):
        lone_spans = [(a, b)]
    return made, lone_spans, notes
