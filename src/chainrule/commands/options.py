"""Options several commands share: which network (``--preset`` | ``--model`` + ``--loss``)."""

from __future__ import annotations

import argparse


def add_network_arguments(
    parser: argparse.ArgumentParser, default_note: str = "(default: seed)"
) -> None:
    """``--preset NAME`` or ``--model SPEC``, and ``--loss``."""
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "--preset",
        metavar="NAME",
        help=f"a named network: seed, cs224n, dlai, logistic, regression {default_note}",
    )
    which.add_argument(
        "--model", metavar="SPEC", help="a network such as 'yhat = softmax(W2 relu(W1 x + b1))'"
    )
    parser.add_argument(
        "--loss",
        metavar="LOSS",
        default=None,
        help="cross_entropy, mse or bce (with --model; default cross_entropy)",
    )
