"""Tables of notation the expression reader knows: commands, Greek letters, function names.

Owned by the expression half of the reader; read by ``reader.lexer`` (to classify commands
and Unicode characters), ``reader.assemble`` (which names are functions) and
``reader.printer`` (how to spell a canonical name back). Data only, no logic.
"""

from __future__ import annotations

GREEK: frozenset[str] = frozenset(
    {
        "alpha",
        "beta",
        "gamma",
        "delta",
        "epsilon",
        "zeta",
        "eta",
        "theta",
        "iota",
        "kappa",
        "lambda",
        "mu",
        "nu",
        "xi",
        "omicron",
        "pi",
        "rho",
        "sigma",
        "tau",
        "upsilon",
        "phi",
        "chi",
        "psi",
        "omega",
        "Gamma",
        "Delta",
        "Theta",
        "Lambda",
        "Xi",
        "Pi",
        "Sigma",
        "Upsilon",
        "Phi",
        "Psi",
        "Omega",
    }
)
"""Greek letter names that are canonical symbol names (``\\sigma`` → ``sigma``)."""

GREEK_VARIANTS: dict[str, str] = {
    "varepsilon": "epsilon",
    "varphi": "phi",
    "vartheta": "theta",
    "varrho": "rho",
    "varsigma": "sigma",
    "varpi": "pi",
}
"""Variant glyphs read as the same letter: they name the same quantity in this field."""

OTHER_NAMES: dict[str, str] = {"ell": "ell", "infty": "infty", "imath": "i", "jmath": "j"}

FUNCTION_LETTERS: frozenset[str] = frozenset({"sigma", "phi", "f", "g"})
"""Single letters conventionally used as functions: ``\\sigma(z)`` is a call, ``h(1-h)`` is not."""

OPERATOR_NAMES: dict[str, str] = {
    "log": "log",
    "ln": "log",
    "exp": "exp",
    "softmax": "softmax",
    "sigmoid": "sigmoid",
    "tanh": "tanh",
    "relu": "relu",
    "ReLU": "relu",
    "ReLu": "relu",
    "Relu": "relu",
    "diag": "diag",
    "max": "max",
    "maximum": "max",  # NumPy's np.maximum(z, 0)
    "min": "min",
    "sqrt": "sqrt",
    "sin": "sin",
    "cos": "cos",
    "step": "step",
    "heaviside": "step",
}
"""Function words (with or without a backslash, or in ``\\text{…}``) → canonical name."""

OPERATOR_COMMANDS: frozenset[str] = frozenset(
    {"log", "ln", "exp", "tanh", "max", "min", "sin", "cos"}
)
"""Function words LaTeX defines as commands: they print as ``\\log``; others as operatorname."""

FRAC_COMMANDS: frozenset[str] = frozenset({"frac", "dfrac", "tfrac", "cfrac"})

ACCENTS: dict[str, str] = {
    "hat": "hat",
    "widehat": "hat",
    "bar": "bar",
    "overline": "bar",
    "tilde": "tilde",
    "widetilde": "tilde",
    "check": "check",
    "dot": "dot",
}
"""Accents that change what a letter names: ``\\hat{y}`` is not ``y``."""

FONTS: dict[str, str] = {
    "mathbf": "mathbf",
    "boldsymbol": "boldsymbol",
    "bm": "boldsymbol",
    "vec": "vec",
    "mathcal": "mathcal",
    "mathbb": "mathbb",
    "mathit": "mathit",
    "mathrm": "mathrm",
    "mathsf": "mathsf",
    "pmb": "boldsymbol",
}
"""Font and arrow commands: presentational only (``\\mathbf{W}`` names ``W``)."""

WORD_COMMANDS: frozenset[str] = frozenset(
    {"text", "textrm", "textit", "mathrm", "operatorname", "mathit", "textnormal"}
)
"""Commands whose braced argument is read as one word (``\\text{log}``, ``\\mathrm{diag}``)."""

IGNORED_COMMANDS: frozenset[str] = frozenset(
    {
        "left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr",
        "biggl", "biggr", "Biggl", "Biggr", "middle", "limits", "nolimits", "displaystyle",
        "textstyle", "scriptstyle", "quad", "qquad", ",", ";", ":", "!", " ", "enspace",
        "thinspace", "medspace", "thickspace", "nonumber", "notag",
    }
)  # fmt: skip
"""Sizing, spacing and style commands that carry no meaning for the tree."""

PRODUCT_COMMANDS: dict[str, str] = {
    "cdot": "cdot",
    "times": "times",
    "odot": "odot",
    "circ": "circ",
    "ast": "cdot",
    "oslash": "oslash",
}

RELATION_COMMANDS: dict[str, str] = {
    "neq": "\\neq",
    "ne": "\\neq",
    "leq": "\\leq",
    "le": "\\leq",
    "geq": "\\geq",
    "ge": "\\geq",
    "in": "\\in",
    "notin": "\\notin",
    "to": "\\to",
    "rightarrow": "\\to",
    "leftarrow": "\\leftarrow",
    "gets": "\\leftarrow",
    "mapsto": "\\mapsto",
    "approx": "\\approx",
    "equiv": "\\equiv",
    "propto": "\\propto",
    "coloneqq": ":=",
    "Rightarrow": "\\Rightarrow",
    "implies": "\\Rightarrow",
}

ELLIPSIS_COMMANDS: frozenset[str] = frozenset({"dots", "ldots", "cdots", "dotsc", "dotsb"})

# Unicode characters typed outside LaTeX (chat, notes apps) and their token meaning.
UNICODE_OPERATORS: dict[str, tuple[str, str]] = {
    "−": ("ADDOP", "-"),
    "–": ("ADDOP", "-"),
    "＋": ("ADDOP", "+"),
    "·": ("MULOP", "cdot"),
    "⋅": ("MULOP", "cdot"),
    "∙": ("MULOP", "cdot"),
    "×": ("MULOP", "times"),
    "⊙": ("MULOP", "odot"),
    "⊘": ("MULOP", "oslash"),
    "∘": ("MULOP", "circ"),
    "∗": ("MULOP", "cdot"),
    "∂": ("PARTIAL", "partial"),
    "𝜕": ("PARTIAL", "partial"),
    "∇": ("NABLA", "nabla"),
    "∑": ("SUM", "sum"),
    "Σ": ("SUM", "sum"),
    "√": ("SQRT", "sqrt"),
    "…": ("ELLIPSIS", "dots"),
    "⋯": ("ELLIPSIS", "dots"),
    "⊤": ("TOP", "top"),
    "′": ("PRIME", "'"),
    "𝟙": ("ONE", "1"),
    "≠": ("REL", "\\neq"),
    "≤": ("REL", "\\leq"),
    "≥": ("REL", "\\geq"),
    "∈": ("REL", "\\in"),
    "→": ("REL", "\\to"),
    "←": ("REL", "\\leftarrow"),
    "≈": ("REL", "\\approx"),
    "ℝ": ("NAME", "R"),
    "∞": ("NAME", "infty"),
    "ℓ": ("NAME", "ell"),
}

SUBSCRIPTS: dict[str, str] = dict(
    zip("₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓₕₖₗₘₙₚₛₜᵢⱼᵣᵤᵥ", "0123456789+-=()aeoxhklmnpstijruv", strict=True)
)
"""Unicode subscript characters and the plain character each stands for."""

SUPERSCRIPTS: dict[str, str] = dict(
    zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁱⁿˡᵏᵐʲ", "0123456789+-=()inlkmj", strict=True)
)
"""Unicode superscript characters (``ᵀ`` is a transpose, handled on its own)."""

COMBINING_ACCENTS: dict[str, str] = {
    "\u0302": "hat",
    "\u0304": "bar",
    "\u0305": "bar",
    "\u0303": "tilde",
    "\u20d7": "vec",
    "\u0307": "dot",
}
"""Combining marks after a letter (``ŷ`` is ``y`` + U+0302) and the accent each means."""


MATH_WORDS: frozenset[str] = frozenset(
    {
        "exp",
        "log",
        "ln",
        "softmax",
        "sigmoid",
        "tanh",
        "relu",
        "diag",
        "max",
        "min",
        "sum",
        "sin",
        "cos",
        "argmax",
        "argmin",
        "sgn",
        "sign",
        "det",
        "tr",
        "trace",
        "const",
        "dots",
        "ldots",
        "cdots",
        "step",
        "sech",
    }
)
"""Words that belong to a formula, not to prose around it: a bare line or a ``\\text{…}``
holding only these is math (``relu(z1)``, ``\\mathrm{step}(r)``)."""
