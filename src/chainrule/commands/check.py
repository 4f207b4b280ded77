"""``chainrule check [FILE]``: verdicts for every line of a derivation.

Exit status: 0 every claim verified correct, 1 some claim incorrect, 2 bad usage or
unreadable input, 3 nothing incorrect but some lines not verified.
"""

from __future__ import annotations

import argparse
import sys

from chainrule.commands.options import add_network_arguments


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare this command's options."""
    parser.add_argument(
        "file", nargs="?", help="a .tex, .txt, .md or .ipynb file (default: the bundled seed)"
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


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from chainrule.checker import check
    from chainrule.errors import ChainruleError

    if args.file is not None and not Path(args.file).is_file():
        raise ChainruleError(
            f"there is no file {args.file!r}; give the path of the .tex, .txt, .md or .ipynb "
            "file that holds the derivation (or no file, to check the bundled example)."
        )

    report = check(
        args.file,
        model=args.model,
        loss=args.loss,
        preset=args.preset,
        dims=args.dims,
        defines=args.define,
        label_index=args.label_index,
        time_limit=args.time_limit,
    )
    if args.fmt == "json":
        sys.stdout.write(report.to_json_text() + "\n")
    elif args.fmt == "markdown":
        sys.stdout.write(report.to_markdown() + "\n")
    elif args.fmt == "html":
        sys.stdout.write(report.to_html() + "\n")
    else:
        from rich.console import Console

        Console().print(report)
    return report.exit_code
