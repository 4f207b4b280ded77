"""``chainrule check [FILE …]``: verdicts for every line of one derivation, or of many.

With several files (a TA grading a stack of submissions) each gets its own report, then a
summary table; a file that cannot be read is reported and the others are still checked.

Exit status: 0 every claim verified correct, 1 some claim incorrect, 2 bad usage or
unreadable input, 3 nothing incorrect but some lines not verified (the worst over all files).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from chainrule.commands.options import add_network_arguments

if TYPE_CHECKING:
    from chainrule.report.report import Report

# Worst first: which exit status wins when several files are checked.
_SEVERITY = (2, 1, 3, 0)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare this command's options."""
    parser.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help=".tex, .txt, .md or .ipynb files (default: the bundled seed example)",
    )
    group = parser.add_argument_group("the network (default: read from the document)")
    add_network_arguments(group, "(default: read from the document)")  # type: ignore[arg-type]
    group.add_argument("--dims", metavar="D", help="sizes for checking, e.g. 'd=7,d1=5,d2=4,k=3'")
    parser.add_argument(
        "--define",
        action="append",
        default=[],
        metavar="'NAME = EXPR'",
        help="define a name the text leaves undefined (repeatable)",
    )
    parser.add_argument("--label-index", metavar="J", help="the index letter of the true class")
    parser.add_argument(
        "--format", choices=("text", "json", "markdown", "html"), default="text", dest="fmt"
    )
    parser.add_argument("--time-limit", type=float, default=10.0, metavar="SECONDS")


def _check_one(path: str | None, args: argparse.Namespace) -> Report:
    from pathlib import Path

    from chainrule.checker import check
    from chainrule.errors import ChainruleError

    if path is not None and not Path(path).is_file():
        raise ChainruleError(
            f"there is no file {path!r}; give the path of the .tex, .txt, .md or .ipynb "
            "file that holds the derivation (or no file, to check the bundled example)."
        )
    return check(
        path,
        model=args.model,
        loss=args.loss,
        preset=args.preset,
        dims=args.dims,
        defines=args.define,
        label_index=args.label_index,
        time_limit=args.time_limit,
    )


def _show(report: Report, fmt: str) -> None:
    if fmt == "markdown":
        sys.stdout.write(report.to_markdown() + "\n")
    elif fmt == "html":
        sys.stdout.write(report.to_html() + "\n")
    else:
        from rich.console import Console

        Console().print(report)


def run(args: argparse.Namespace) -> int:
    if len(args.files) <= 1:
        report = _check_one(args.files[0] if args.files else None, args)
        if args.fmt == "json":
            sys.stdout.write(report.to_json_text() + "\n")
        else:
            _show(report, args.fmt)
        return report.exit_code
    return _run_many(args)


def _run_many(args: argparse.Namespace) -> int:
    """Check each file; a file that fails to read is a row of the summary, not the end."""
    from chainrule.errors import ChainruleError

    rows: list[tuple[str, int, str]] = []
    results: list[dict[str, object]] = []
    for path in args.files:
        try:
            report = _check_one(path, args)
        except ChainruleError as exc:
            print(f"chainrule check: {path}: {exc}", file=sys.stderr)
            rows.append((path, 2, str(exc).splitlines()[0]))
            results.append({"file": path, "error": str(exc)})
            continue
        s = report.summary
        first = report.first_error_line
        rows.append(
            (
                path,
                report.exit_code,
                f"{s['correct']} correct, {s['incorrect']} incorrect, "
                f"{s['unparsed'] + s['unverifiable']} not verified"
                + (f"; first error on line {first}" if first is not None else ""),
            )
        )
        if args.fmt == "json":
            results.append({"file": path, "report": report.to_json()})
        else:
            _show(report, args.fmt)
    if args.fmt == "json":
        sys.stdout.write(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    else:
        _summary(rows, args.fmt)
    codes = {code for _, code, _ in rows}
    return next(code for code in _SEVERITY if code in codes)


def _summary(rows: list[tuple[str, int, str]], fmt: str) -> None:
    marks = {0: "✓", 1: "✗", 2: "!", 3: "…"}
    if fmt == "markdown":
        lines = ["| file | | result |", "|---|---|---|"]
        lines += [f"| {path} | {marks[code]} | {what} |" for path, code, what in rows]
        sys.stdout.write("\n".join(lines) + "\n")
        return
    if fmt == "html":
        cells = "".join(
            f"<tr><td>{path}</td><td>{marks[code]}</td><td>{what}</td></tr>"
            for path, code, what in rows
        )
        sys.stdout.write(f"<table class='summary'>{cells}</table>\n")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(rows)} derivations")
    table.add_column("file")
    table.add_column("")
    table.add_column("result")
    for path, code, what in rows:
        table.add_row(path, marks[code], what)
    Console().print(table)
