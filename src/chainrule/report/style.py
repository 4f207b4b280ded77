"""The author's layer-label style, applied to the LaTeX chainrule prints for them.

The printer writes one canonical form (``W_{3}``, ``W_{3,mn}``); a student who wrote
``W_{3_{mn}}`` should see fixes and next steps as ``W_{2_{pq}}``, one who wrote ``W^{(3)}`` or
deeplearning.ai's ``W^{[3]}`` should see ``W^{(2)}`` or ``W^{[2]}``. The style is read off the
document: whichever way of writing a layer label it uses most.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A symbol as the printer writes it: a letter, \hat{y}, \delta, \text{dZ}.
_SYMBOL = r"(?<![A-Za-z\\])([A-Za-z]|\\hat\{[A-Za-z]\}|\\delta|\\text\{d[A-Za-z]\})"
_ENTRY = re.compile(_SYMBOL + r"_\{(\d+),([A-Za-z]+)\}")
_LAYER = re.compile(_SYMBOL + r"_\{(\d+)\}(?:\^\{([^{}]*)\})?")

_STYLES = {
    # style: (how the document shows it, entry replacement, layer replacement)
    "nested": (r"_\{?\d+\}?_\{[A-Za-z]+\}|_\{\d+_\{[A-Za-z]+\}\}", r"\1_{\2_{\3}}", None),
    "comma": (r"_\{\d+,[A-Za-z]+\}", None, None),
    "paren": (r"\^\{\(\d+\)", r"\1^{(\2)}_{\3}", "({})"),
    "bracket": (r"\^\{\[\d+\]", r"\1^{[\2]}_{\3}", "[{}]"),
}


@dataclass(frozen=True)
class AuthorStyle:
    """How the author writes layer labels: ``nested``, ``comma``, ``paren`` or ``bracket``."""

    entries: str = "comma"

    @classmethod
    def of(cls, text: str) -> AuthorStyle:
        counts = {name: len(re.findall(pattern, text)) for name, (pattern, _, _) in _STYLES.items()}
        best = max(counts, key=lambda k: counts[k])
        return cls(best if counts[best] else "comma")

    def __call__(self, latex: str) -> str:
        _, entry, layer = _STYLES[self.entries]
        if entry is not None:
            latex = _ENTRY.sub(entry, latex)
        if layer is not None:
            # W_{2}^{\top} → W^{[2]\top}: the layer label and a superscript share one script
            latex = _LAYER.sub(
                lambda m: f"{m.group(1)}^{{{layer.format(m.group(2))}{m.group(3) or ''}}}", latex
            )
        return latex
