"""`chainrule check` (not built yet)."""

from __future__ import annotations

import argparse

from chainrule.errors import ChainruleError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare this command's options."""


def run(args: argparse.Namespace) -> int:
    raise ChainruleError("`chainrule check` is not available yet in this version.")
