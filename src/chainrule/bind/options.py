"""What the user asked for when checking: the network, sizes, names, the time bound."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CheckOptions:
    """What the user said on the command line or in the API call."""

    model: str | None = None
    loss: str | None = None
    preset: str | None = None
    dims: str | None = None
    defines: tuple[str, ...] = ()
    label_index: str | None = None
    seeds: tuple[int, ...] = (11, 12, 13)
    time_limit: float = 10.0
