"""The ``chainrule`` command line: one sub-command per job, each in ``chainrule.commands``.

``main(argv) -> int`` never lets a user's mistake become a traceback: a
:class:`~chainrule.errors.ChainruleError` is printed as a sentence and exits with status 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from chainrule.errors import ChainruleError

# Sub-command name -> module in chainrule.commands with add_arguments(parser) and run(args).
COMMANDS = {
    "check": "Check a derivation line by line (default: the bundled seed example).",
    "derive": "Print the full backpropagation derivation for a network.",
    "train": "Train the reference network on a bundled or CSV dataset.",
    "serve": "Serve the local web page for checking derivations.",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="chainrule",
        description="Check, derive and run backpropagation, with numeric proof.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, help_text in COMMANDS.items():
        module = importlib.import_module(f"chainrule.commands.{name}")
        p = sub.add_parser(name, help=help_text, description=help_text)
        module.add_arguments(p)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help()
        return 2
    module = importlib.import_module(f"chainrule.commands.{args.command}")
    try:
        return int(module.run(args))
    except ChainruleError as exc:
        print(f"chainrule {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("chainrule: interrupted.", file=sys.stderr)
        return 130


def entry() -> None:
    sys.exit(main())
