"""Loading a document: path or text → one clean string, its kind, and where its lines start.

Owns the whole-document checks (empty, over 1 MB, binary, a notebook that is not valid JSON),
which raise :class:`~chainrule.errors.ParseError` because nothing in such a file can be read.
Everything after this module works on offsets into :attr:`Source.text`.

Notebooks are laid out so that line numbers in the text *are* line numbers in the ``.ipynb``
file: each markdown cell's lines are placed on the file lines where the JSON holds them, and
every other line is blank. ``Document.position`` then gives the file line directly and the
cell and line within the cell from :attr:`Source.cells`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from chainrule.errors import ChainruleError, ParseError

MAX_BYTES = 1_000_000
KINDS = ("tex", "txt", "md", "ipynb")
_EXTENSIONS = {
    ".tex": "tex",
    ".latex": "tex",
    ".ltx": "tex",
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".ipynb": "ipynb",
}
# Characters str.splitlines() breaks on besides "\n": replaced by a space so that line
# numbers from our line table and from caret excerpts always agree.
_ODD_BREAKS = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
_SOURCE_KEY = re.compile(r'"source"\s*:\s*')


@dataclass(frozen=True)
class Source:
    """A loaded document, ready to scan.

    Attributes:
        text: The document text (``\\r\\n`` made ``\\n``; notebooks laid out by file line).
        path: The file it came from, if any.
        kind: ``tex``, ``txt``, ``md`` or ``ipynb``.
        segments: ``[start, end)`` ranges scanned independently (one per notebook cell), so
            an unclosed ``$$`` in one cell cannot swallow the next.
        line_starts: Offset at which each line starts.
        cells: Notebook cells as ``(start offset, cell number, first file line)``.
        notes: ``(offset, message)`` remarks about loading itself.
    """

    text: str
    path: str | None
    kind: str
    segments: tuple[tuple[int, int], ...]
    line_starts: tuple[int, ...]
    cells: tuple[tuple[int, int, int], ...] = ()
    notes: tuple[tuple[int, str], ...] = ()


def line_starts(text: str) -> tuple[int, ...]:
    """Offsets at which each line of ``text`` starts (``\\n`` separated)."""
    starts = [0]
    find = text.find
    i = find("\n")
    while i >= 0:
        starts.append(i + 1)
        i = find("\n", i + 1)
    return tuple(starts)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _looks_like_text(source: str) -> bool:
    if "\n" in source or "\\" in source or "$" in source:
        return True
    try:
        return not Path(source).is_file()
    except (OSError, ValueError):  # a name too long or with a NUL is no file
        return True


def _read_file(path: Path) -> str:
    shown = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ChainruleError(f"Cannot open {shown}: {exc.strerror or exc}.") from None
    if size > MAX_BYTES:
        raise ParseError(
            f"{shown} is {size:,} bytes; chainrule reads documents up to {MAX_BYTES:,} bytes. "
            "Check the derivation in smaller pieces.",
            "",
            1,
            1,
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ChainruleError(f"Cannot read {shown}: {exc.strerror or exc}.") from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
        bad = data.find(b"\x00")
    except UnicodeDecodeError as exc:
        bad = exc.start
    if bad >= 0:
        head = data[:bad].decode("utf-8", errors="replace")
        line, column = _line_col(head, len(head))
        raise ParseError(
            f"{shown} is not a UTF-8 text file (byte {bad} is 0x{data[bad]:02x}); "
            "give chainrule the .tex, .txt, .md or .ipynb file that holds the derivation.",
            head,
            line,
            column,
        )
    return text


def _check_text(text: str, name: str) -> str:
    """Whole-document checks shared by files and strings; returns the normalised text."""
    if len(text) > MAX_BYTES or len(text.encode("utf-8", errors="replace")) > MAX_BYTES:
        raise ParseError(
            f"{name} is over {MAX_BYTES:,} bytes; chainrule reads documents up to that size. "
            "Check the derivation in smaller pieces.",
            "",
            1,
            1,
        )
    controls = _CONTROL.findall(text, 0, 100_000)
    if "\x00" in text or len(controls) > max(8, len(text[:100_000]) // 20):
        first = _CONTROL.search(text)
        at = first.start() if first else 0
        line, column = _line_col(text, at)
        raise ParseError(
            f"{name} looks like binary data, not text (control character "
            f"U+{ord(text[at]):04X} here); give chainrule the text of the derivation.",
            _CONTROL.sub(" ", text[: text.find("\n", at) if "\n" in text[at:] else len(text)]),
            line,
            column,
        )
    text = _ODD_BREAKS.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise ParseError(
            f"{name} is empty; give chainrule a document with the derivation to check.",
            text,
            1,
            1,
        )
    return text


def sniff(text: str) -> str:
    """Guess a document's kind from its text."""
    head = text.lstrip()[:2000]
    if head.startswith("{") and '"cells"' in text[:200_000]:
        return "ipynb"
    if "\\documentclass" in head or "\\begin{document}" in text[:200_000]:
        return "tex"
    if re.search(r"^(```|~~~|#{1,6} |\$\$)", text[:200_000], re.MULTILINE):
        return "md"
    return "txt"


def load(
    source: str | os.PathLike[str], *, kind: str | None = None, path: str | None = None
) -> Source:
    """Read ``source`` (a path, or the document text itself) into a :class:`Source`.

    Raises:
        ParseError: The document is empty, over 1 MB, binary, or a notebook that is not JSON.
        ChainruleError: ``kind`` is not one chainrule reads, or the file cannot be opened.
    """
    if kind is not None and kind not in KINDS:
        raise ChainruleError(
            f"Unknown document kind {kind!r}; use one of {', '.join(KINDS)} or leave it out."
        )
    notes: list[tuple[int, str]] = []
    if isinstance(source, str) and _looks_like_text(source):
        raw = source
        name = path or "The document"
        suffix = Path(path).suffix.lower() if path else ""
        stripped = source.strip()
        if re.fullmatch(r"[\w./~-]+\.(tex|txt|md|markdown|ipynb)", stripped):
            notes.append(
                (0, f"No file named {stripped!r} exists, so the string itself was read as text.")
            )
    else:
        file = Path(source)
        raw = _read_file(file)
        path = path or str(file)
        name = str(file)
        suffix = file.suffix.lower()
    text = _check_text(raw, name)
    kind = kind or _EXTENSIONS.get(suffix) or sniff(text)
    if kind == "ipynb":
        return _notebook(text, path, name, notes)
    return Source(text, path, kind, ((0, len(text)),), line_starts(text), (), tuple(notes))


def _notebook(raw: str, path: str | None, name: str, notes: list[tuple[int, str]]) -> Source:
    import json  # only notebooks need it

    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ParseError(
            f"{name} is not a valid notebook: its JSON is broken ({exc.msg}). "
            "Open and save it in Jupyter, or paste the markdown as a .md file.",
            raw,
            exc.lineno,
            exc.colno,
        ) from None
    except RecursionError:
        raise ParseError(
            f"{name} is not a notebook chainrule can read: its JSON is nested too deeply.",
            raw,
            1,
            1,
        ) from None
    cells = data.get("cells") if isinstance(data, dict) else None
    if cells is None and isinstance(data, dict) and isinstance(data.get("worksheets"), list):
        sheets = data["worksheets"]  # nbformat 3 kept cells in worksheets
        cells = sheets[0].get("cells") if sheets and isinstance(sheets[0], dict) else None
    if not isinstance(cells, list):
        raise ParseError(
            f"{name} is JSON but not a Jupyter notebook (no list of cells); "
            "give chainrule the .ipynb file or the derivation's text.",
            raw,
            1,
            1,
        )
    raw_starts = line_starts(raw)
    key_lines = [
        raw.count("\n", 0, m.end()) + 1 for m in _SOURCE_KEY.finditer(raw)
    ]  # file line where each cell's "source" value begins
    exact = len(key_lines) == len(cells)
    lines: list[str] = [""] * len(raw_starts)
    placed: list[tuple[int, int]] = []  # (first line index, cell number)
    next_free = 0
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "markdown":
            continue
        src = cell.get("source", "")
        if isinstance(src, list):
            body = "".join(s for s in src if isinstance(s, str))
            one_per_line = True
        else:
            body = src if isinstance(src, str) else ""
            one_per_line = False
        body = _ODD_BREAKS.sub(" ", body.replace("\r\n", "\n").replace("\r", "\n"))
        cell_lines = body.split("\n")
        # A list source opens with "[" then one string per line; a string source sits on
        # the key's own line. Fall back to the next free line when the layout is unusual.
        first = key_lines[number - 1] if exact else next_free + 1
        if exact and one_per_line and _list_opens_line(raw, raw_starts, first):
            first += 1
        index = max(first - 1, next_free)
        if index + len(cell_lines) > len(lines):
            lines.extend([""] * (index + len(cell_lines) - len(lines)))
        lines[index : index + len(cell_lines)] = cell_lines
        placed.append((index, number))
        next_free = index + len(cell_lines) + 1
    text = "\n".join(lines)
    starts = line_starts(text)
    segments = []
    cell_table = []
    for k, (index, number) in enumerate(placed):
        start = starts[index]
        end = starts[placed[k + 1][0]] - 1 if k + 1 < len(placed) else len(text)
        segments.append((start, max(start, end)))
        cell_table.append((start, number, index + 1))
    if not placed:
        notes.append((0, f"{name} has no markdown cells, so there is nothing to read."))
    return Source(text, path, "ipynb", tuple(segments), starts, tuple(cell_table), tuple(notes))


def _list_opens_line(raw: str, starts: tuple[int, ...], line: int) -> bool:
    """Whether the JSON value on ``line`` is ``[`` with its first item on the next line."""
    begin = starts[line - 1]
    end = raw.find("\n", begin)
    rest = raw[begin : end if end >= 0 else len(raw)]
    return rest.rstrip().endswith("[")
