"""The author's subscript style, applied to the LaTeX chainrule prints for them.

The printer writes one canonical form (``W_{3,mn}``); a student who wrote ``W_{3_{mn}}``
should see fixes and next steps as ``W_{2_{pq}}``. The style is read off the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CANONICAL = re.compile(r"(?<![A-Za-z\\])([A-Za-z]|\\hat\{[A-Za-z]\})_\{(\d+),([A-Za-z]+)\}")


@dataclass(frozen=True)
class AuthorStyle:
    """How the author writes an entry of a layer's quantity: ``nested``, ``comma`` or ``paren``."""

    entries: str = "comma"

    @classmethod
    def of(cls, text: str) -> AuthorStyle:
        counts = {
            "nested": len(re.findall(r"_\{?\d+\}?_\{[A-Za-z]+\}|_\{\d+_\{[A-Za-z]+\}\}", text)),
            "comma": len(re.findall(r"_\{\d+,[A-Za-z]+\}", text)),
            "paren": len(re.findall(r"\^\{\(\d+\)\}_\{?[A-Za-z]+\}?", text)),
        }
        best = max(counts, key=lambda k: counts[k])
        return cls(best if counts[best] else "comma")

    def __call__(self, latex: str) -> str:
        if self.entries == "nested":
            return _CANONICAL.sub(r"\1_{\2_{\3}}", latex)
        if self.entries == "paren":
            return _CANONICAL.sub(r"\1^{(\2)}_{\3}", latex)
        return latex
