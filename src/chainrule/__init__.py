"""chainrule: check hand-written backpropagation derivations, derive them, run the network.

The data's path has one folder per stage: ``reader`` (document → claims), ``bind`` (symbols →
model quantities), ``evaluate`` (expressions → numbers), ``judge`` (verdicts and repairs),
``report`` (text, JSON, Markdown, HTML). ``model`` holds the network graph and the exact
ground truth; ``rules`` the one table of derivative rules; ``derive`` and ``nn`` build on it.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
