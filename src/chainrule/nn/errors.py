"""Errors the reference network and its training raise: each a sentence that says what to do.

All derive from :class:`~chainrule.errors.ChainruleError`, so ``chainrule train`` prints them
and exits with status 2 instead of showing a traceback.
"""

from __future__ import annotations

from chainrule.errors import ChainruleError


class ShapeError(ChainruleError):
    """Inputs or targets whose shape does not fit the network."""


class DataError(ChainruleError):
    """A dataset that cannot be used: missing file or column, non-numbers, NaN, no rows."""


class DivergedError(ChainruleError):
    """Training whose loss became infinite or NaN (a learning rate too large, usually)."""

    def __init__(self, message: str, epoch: int) -> None:
        super().__init__(message)
        self.epoch = epoch
