"""chainrule: check hand-written backpropagation derivations, derive them, run the network.

The data's path has one folder per stage: ``reader`` (document → claims), ``bind`` (symbols →
model quantities), ``evaluate`` (expressions → numbers), ``judge`` (verdicts and repairs),
``report`` (text, JSON, Markdown, HTML). The derivation API is
``chainrule.derive.derive``. ``model`` holds the network graph and the exact
ground truth; ``rules`` the one table of derivative rules; ``derive`` and ``nn`` build on it.

Example:
    >>> import chainrule
    >>> chainrule.check().first_error_line
    22
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["Report", "__version__", "check", "parse_spec", "preset"]

if TYPE_CHECKING:
    from chainrule.checker import check
    from chainrule.model.spec import parse_spec, preset
    from chainrule.report.report import Report

_LAZY = {
    "check": ("chainrule.checker", "check"),
    "parse_spec": ("chainrule.model.spec", "parse_spec"),
    "preset": ("chainrule.model.spec", "preset"),
    "Report": ("chainrule.report.report", "Report"),
}


def __getattr__(name: str) -> Any:
    """Import the public API on first use, so ``import chainrule`` stays fast."""
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'chainrule' has no attribute {name!r}")
