"""`chainrule derive`: the full backpropagation derivation for a network, every formula checked.

``chainrule derive [--preset seed | --model SPEC --loss LOSS] [--wrt W2,...]
[--format text|latex|markdown|json|numpy]``. Exit status 0 when every formula verified, 1
when one did not (a bug in chainrule: please report it), 2 for a bad spec or option.
"""

from __future__ import annotations

import argparse

from chainrule.commands.options import add_network_arguments

FORMATS = ("text", "latex", "markdown", "json", "numpy")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare this command's options."""
    add_network_arguments(parser)
    parser.add_argument(
        "--wrt",
        metavar="NAMES",
        default=None,
        help="comma-separated quantities to differentiate by, e.g. W2,b1,x "
        "(default: every parameter, activation and x)",
    )
    parser.add_argument(
        "--dims",
        metavar="SIZES",
        default=None,
        help="sizes to check at, e.g. d=7,d1=5,k=3 (default: small, distinct)",
    )
    parser.add_argument(
        "--format", choices=FORMATS, default="text", help="output format (default: text)"
    )
    parser.add_argument(
        "--no-verify",
        action="store_true",
        help="skip checking the formulas against the numeric ground truth",
    )


def run(args: argparse.Namespace) -> int:
    """Print the derivation; 0 if every formula verified."""
    import json
    import sys

    from chainrule.derive import derive
    from chainrule.errors import ChainruleError
    from chainrule.model.graph import parse_dims
    from chainrule.model.spec import parse_spec, preset

    if args.model is not None:
        spec = parse_spec(args.model, args.loss or "cross_entropy")
    else:
        if args.loss is not None:
            raise ChainruleError("--loss goes with --model; a preset has its own loss.")
        spec = preset(args.preset or "seed")
    dims = parse_dims(args.dims, spec) if args.dims else None
    wrt = [w for w in args.wrt.split(",") if w.strip()] if args.wrt else None
    if args.wrt is not None and not wrt:
        raise ChainruleError("--wrt needs at least one name, such as --wrt W2,b1.")
    result = derive(spec, wrt=wrt, verify=not args.no_verify, dims=dims)
    if args.format == "text":
        from rich.console import Console

        Console(highlight=False).print(result)
    elif args.format == "latex":
        sys.stdout.write(result.to_latex())
    elif args.format == "markdown":
        sys.stdout.write(result.to_markdown())
    elif args.format == "json":
        sys.stdout.write(json.dumps(result.to_json(), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(result.to_numpy())
    return 1 if result.verified is False else 0
