"""Model specs: the small language that names a network, and its parser.

Owns :class:`ModelSpec` (what the network is: layers, activations, biases, loss, the vector
convention and the mini-batch layout), :func:`parse_spec` and the presets.

The language, by example::

    yhat = softmax(W3 sigmoid(W2 sigmoid(W1 x)))      column vectors, one example
    yhat = softmax(sigmoid(x W1 + b1) W2 + b2)         row vectors (CS224n), W1 is d×d1
    yhat = sigmoid(W2 tanh(W1 X + b1) + b2)            mini-batch, examples as columns
    yhat = softmax(relu(X W1) W2); loss = mse          mini-batch, examples as rows

Juxtaposition is a matrix–vector product, ``+ b1`` adds a bias, layers are numbered from the
input outward (the innermost weight is ``W1``), a bare affine output (``W2 relu(W1 x)``) is an
``identity`` output, and the ``yhat =`` prefix and the ``; loss = …`` suffix are optional (the
loss is otherwise given separately). The parser is hand-written recursive descent with an
explicit nesting bound, so even a 10,000-deep input fails fast with one sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chainrule.errors import SpecError

ACTIVATIONS = ("sigmoid", "tanh", "relu", "identity", "softmax")
LOSSES = ("cross_entropy", "mse", "bce")
CONVENTIONS = ("column", "row")
BATCHES = ("none", "columns", "rows")

MAX_DEPTH = 100
"""Deepest network the parser accepts; it bounds the parser's recursion (two frames a layer)."""

# Spellings people use, mapped to the canonical names. Matched case-insensitively.
_ACTIVATION_ALIASES = {
    **{name: name for name in ACTIVATIONS},
    "sigma": "sigmoid",
    "σ": "sigmoid",
    "logistic": "sigmoid",
    "linear": "identity",
    "id": "identity",
}
_LOSS_ALIASES = {
    **{name: name for name in LOSSES},
    "ce": "cross_entropy",
    "crossentropy": "cross_entropy",
    "xent": "cross_entropy",
    "nll": "cross_entropy",
    "squared_error": "mse",
    "binary_cross_entropy": "bce",
    "logloss": "bce",
}
# Which outputs each loss can take: the log in cross-entropy and BCE needs ŷ in (0, 1).
_LOSS_OUTPUTS = {
    "cross_entropy": ("softmax", "sigmoid"),
    "bce": ("sigmoid", "softmax"),
    "mse": ACTIVATIONS,
}


@dataclass(frozen=True)
class Layer:
    """One layer: ``a_l = activation(W_l a_{l-1} + b_l)``; ``index`` is 1-based from the input."""

    index: int
    activation: str
    bias: bool


@dataclass(frozen=True)
class ModelSpec:
    """A network: its layers (innermost first), loss, vector convention and batch layout.

    ``convention`` is ``"column"`` (``W1 x``, W1 is d1×d) or ``"row"`` (``x W1``, W1 is d×d1).
    ``batch`` is ``"none"``, ``"columns"`` (X is d×m, as in deeplearning.ai) or ``"rows"``
    (X is m×d); in batch modes the loss is averaged over the m examples.

    Example:
        >>> parse_spec("softmax(W2 relu(W1 x + b1))").text()
        'yhat = softmax(W2 relu(W1 x + b1))'
    """

    layers: tuple[Layer, ...]
    loss: str = "cross_entropy"
    convention: str = "column"
    batch: str = "none"
    loss_scale: float = 1.0
    """The loss is this multiple of the named one: 2 for a squared error written without
    MSE's ½ (``L = ‖ŷ − y‖²``), as a document may define it."""

    def __post_init__(self) -> None:
        # Specs built in code (not parsed) get the same guarantees the parser gives.
        if not self.layers:
            raise ValueError("a ModelSpec needs at least one layer")
        for i, layer in enumerate(self.layers, start=1):
            if layer.index != i:
                raise ValueError(f"layers must be numbered 1..L innermost first; got {layer}")
            if layer.activation not in ACTIVATIONS:
                raise ValueError(f"unknown activation {layer.activation!r}")
        if self.loss not in LOSSES:
            raise ValueError(f"unknown loss {self.loss!r}")
        if self.convention not in CONVENTIONS:
            raise ValueError(f"unknown convention {self.convention!r}")
        if self.batch not in BATCHES:
            raise ValueError(f"unknown batch layout {self.batch!r}")
        if (self.batch, self.convention) in (("columns", "row"), ("rows", "column")):
            raise ValueError(f"batch {self.batch!r} does not fit the {self.convention} convention")

    @property
    def depth(self) -> int:
        """The number of layers L."""
        return len(self.layers)

    @property
    def output_activation(self) -> str:
        """The activation that produces ŷ."""
        return self.layers[-1].activation

    def text(self) -> str:
        """The canonical formula, e.g. ``yhat = softmax(W2 sigmoid(W1 x + b1))``.

        ``parse_spec(spec.text(), spec.loss) == spec``; :meth:`full_text` also carries the loss.
        """
        inner = "x" if self.batch == "none" else "X"
        for layer in self.layers:
            w = f"W{layer.index}"
            affine = f"{w} {inner}" if self.convention == "column" else f"{inner} {w}"
            if layer.bias:
                affine += f" + b{layer.index}"
            inner = f"{layer.activation}({affine})"
        return f"yhat = {inner}"

    def full_text(self) -> str:
        """The formula and the loss: ``parse_spec(spec.full_text()) == spec``."""
        return f"{self.text()}; loss = {self.loss}"


PRESETS: dict[str, tuple[str, str]] = {
    "seed": ("yhat = softmax(W3 sigmoid(W2 sigmoid(W1 x)))", "cross_entropy"),
    "cs224n": ("yhat = softmax(sigmoid(x W1 + b1) W2 + b2)", "cross_entropy"),
    "dlai": ("yhat = sigmoid(W2 tanh(W1 X + b1) + b2)", "bce"),
    "logistic": ("yhat = sigmoid(W1 x + b1)", "bce"),
    "regression": ("yhat = identity(W2 relu(W1 x + b1) + b2)", "mse"),
}
"""Named networks: ``seed`` is the bundled example's; ``cs224n`` row vectors; ``dlai`` the
deeplearning.ai planar classifier on a mini-batch with examples as columns."""


def preset(name: str) -> ModelSpec:
    """The spec of a named preset (see :data:`PRESETS`).

    Raises:
        SpecError: the name is not a preset.
    """
    try:
        text, loss = PRESETS[name.strip().lower()]
    except KeyError:
        names = ", ".join(PRESETS)
        raise SpecError(
            f"There is no preset named `{name}`; the presets are {names}.", name, 1, 1
        ) from None
    return parse_spec(text, loss)


def canonical_loss(name: str) -> str | None:
    """The canonical loss for a spelling (``CE`` → ``cross_entropy``), or None."""
    return _LOSS_ALIASES.get(name.strip().lower().replace("-", "_").replace(" ", "_"))


# --------------------------------------------------------------------------- lexer


@dataclass(frozen=True)
class _Token:
    kind: str  # W b act x lhs name ( ) + = ; , : end
    text: str
    start: int
    value: str = ""  # weight/bias number, canonical activation, "x"/"X"


# Order matters: a numbered weight or bias is tried before a word so that `W1x` reads as
# `W1 x` (people drop the space), while `bce` or `bias` stay words.
_TOKEN_RE = re.compile(
    r"(?P<space>\s+)"
    r"|(?P<wb>[Wb](?:_\{(?P<n1>\d+)\}|_?(?P<n2>\d+)))"
    r"|(?P<hat>\\hat\{y\}|\\hat\s*y)"
    r"|\\?(?P<word>[^\W\d]\w*)"  # a LaTeX backslash (`\sigma`, `\tanh`) is dropped
    r"|(?P<punct>[()+=;,:])"
)


def _lex(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN_RE.match(text, pos)
        if m is None:
            raise _error(text, pos, f"The character `{text[pos]}` has no meaning in a spec.")
        if m.group("wb") is not None:
            number = m.group("n1") or m.group("n2")
            tokens.append(_Token(m.group("wb")[0], m.group("wb"), pos, number))
        elif m.group("hat") is not None:
            tokens.append(_Token("lhs", m.group("hat"), pos))
        elif m.group("word") is not None:
            tokens.append(_word_token(m.group("word"), pos))
        elif m.group("punct") is not None:
            tokens.append(_Token(m.group("punct"), m.group("punct"), pos))
        pos = m.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


def _word_token(word: str, pos: int) -> _Token:
    if word in ("x", "X"):
        return _Token("x", word, pos, word)
    if word in ("W", "b"):  # unnumbered: allowed for a one-layer network
        return _Token(word, word, pos, "")
    act = _ACTIVATION_ALIASES.get(word.lower())
    if act is not None:
        return _Token("act", word, pos, act)
    return _Token("name", word, pos)


def _error(text: str, offset: int, message: str) -> SpecError:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return SpecError(message, text, line, column)


# --------------------------------------------------------------------------- parser


@dataclass(frozen=True)
class _Parsed:
    """A layer as written, with the tokens kept for error positions."""

    weight: _Token
    activation: str
    act_token: _Token | None
    bias: _Token | None
    convention: str


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _lex(text)
        self.i = 0
        self.depth = 0
        self.layers: list[_Parsed] = []  # appended innermost first (post-order)
        self.input: _Token | None = None

    @property
    def tok(self) -> _Token:
        return self.tokens[self.i]

    def peek(self, k: int = 1) -> _Token:
        return self.tokens[min(self.i + k, len(self.tokens) - 1)]

    def advance(self) -> _Token:
        tok = self.tokens[self.i]
        self.i = min(self.i + 1, len(self.tokens) - 1)
        return tok

    def fail(self, tok: _Token, message: str) -> SpecError:
        return _error(self.text, tok.start, message)

    def unexpected(self, expected: str) -> SpecError:
        """The one error for 'this token cannot go here', specialised by what the token is."""
        tok = self.tok
        if tok.kind == "name" and self.peek().kind == "(":
            names = ", ".join(ACTIVATIONS)
            return self.fail(tok, f"`{tok.text}` is not an activation; use one of {names}.")
        if tok.kind == "name":
            return self.fail(
                tok, f"`{tok.text}` is not a name chainrule knows; expected {expected}."
            )
        if tok.kind == "end":
            return self.fail(tok, f"The spec ends too early; expected {expected}.")
        if tok.kind == "W":
            return self.fail(
                tok,
                f"Expected {expected}, not the weight `{tok.text}`; "
                f"write a linear layer as `identity({tok.text} x)`.",
            )
        return self.fail(tok, f"Expected {expected}, not `{tok.text}`.")

    def parse(self) -> tuple[str | None, _Token | None]:
        """Parse the whole text; returns the loss written in it (if any) and its token."""
        if self.tok.kind == "end":
            raise _error(
                self.text,
                0,
                "The spec is empty; write a network such as "
                "`yhat = softmax(W3 sigmoid(W2 sigmoid(W1 x)))`.",
            )
        if self.tok.kind in ("lhs", "name") and self.peek().kind == "=":
            self.i += 2  # the output's name (`yhat =`): any single word is accepted
        # The output layer. A bare affine (`W2 relu(W1 x)`, `relu(x W1) W2`) is an identity
        # output, so after an activation call a weight may still follow (row convention).
        if self.tok.kind == "W":
            self.affine("identity", None)
        elif self.tok.kind in ("x", "act"):
            self.operand(after=None)
            if self.tok.kind == "W":
                self.finish_row("identity", None)
            elif not self.layers:
                raise self.fail(
                    self.input or self.tokens[0],
                    "The network has no layer; multiply the input by weights, "
                    "as in `softmax(W1 x)`.",
                )
        else:
            raise self.unexpected("a layer such as `softmax(W1 x)`")
        loss: str | None = None
        loss_tok: _Token | None = None
        if self.tok.kind in (";", ","):
            self.advance()
            if not (self.tok.kind == "name" and self.tok.text.lower() == "loss"):
                raise self.unexpected("`loss = NAME` after the network")
            self.advance()
            if self.tok.kind in ("=", ":"):
                self.advance()
            loss_tok = self.tok
            loss = canonical_loss(loss_tok.text) if loss_tok.kind == "name" else None
            if loss is None:
                raise self.fail(
                    loss_tok, f"Expected a loss after `loss =`: one of {', '.join(LOSSES)}."
                )
            self.advance()
        if self.tok.kind != "end":
            raise self.fail(self.tok, f"Unexpected `{self.tok.text}` after the end of the network.")
        return loss, loss_tok

    def call(self) -> None:
        """``act ( affine )``: one layer with its activation."""
        act = self.advance()
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.fail(
                act,
                f"The spec nests more than {MAX_DEPTH} layers; chainrule handles at most "
                f"{MAX_DEPTH}.",
            )
        opened = self.advance()  # "(" (checked by the caller)
        self.affine(act.value, act)
        if self.tok.kind != ")":
            close = f"`)` to close the `{act.text}(` at column {opened.start + 1}"
            if self.tok.kind == "end" and self.layers[-1].bias is None:
                close += ", or `+ b` for a bias"
            raise self.unexpected(close)
        self.advance()
        self.depth -= 1

    def affine(self, activation: str, act_token: _Token | None) -> None:
        """``W operand [+ b]`` (column) or ``operand W [+ b]`` (row)."""
        if self.tok.kind == "W":
            weight = self.advance()
            self.operand(after=f"`{weight.text}`")
            self.finish(weight, "column", activation, act_token)
        elif self.tok.kind in ("x", "act"):
            self.operand(after=None)
            self.finish_row(activation, act_token)
        else:
            raise self.unexpected("a weight matrix and what it multiplies, as in `W1 x`")

    def finish_row(self, activation: str, act_token: _Token | None) -> None:
        """The ``W [+ b]`` that follows the operand in the row convention."""
        if self.tok.kind != "W":
            raise self.unexpected("a weight matrix such as `W1` (every layer multiplies by one)")
        self.finish(self.advance(), "row", activation, act_token)

    def finish(
        self, weight: _Token, convention: str, activation: str, act_token: _Token | None
    ) -> None:
        """The optional ``+ b``; records the layer (post-order, so innermost first)."""
        bias: _Token | None = None
        if self.tok.kind == "+":
            self.advance()
            if self.tok.kind != "b":
                raise self.unexpected(f"a bias such as `b{weight.value or 1}` after `+`")
            bias = self.advance()
        self.layers.append(_Parsed(weight, activation, act_token, bias, convention))

    def operand(self, after: str | None) -> None:
        """What a weight multiplies: the input, or an activation of the layer below."""
        if self.tok.kind == "x":
            self.input = self.advance()
        elif self.tok.kind == "act" and self.peek().kind == "(":
            self.call()
        elif self.tok.kind == "act":
            raise self.fail(self.tok, f"Expected `(` after `{self.tok.text}`.")
        else:
            where = f" after {after}" if after else ""
            raise self.unexpected(f"the input `x` or an activation such as `sigmoid(…)`{where}")


def parse_spec(text: str, loss: str = "cross_entropy") -> ModelSpec:
    """Read a model spec such as ``yhat = softmax(W3 sigmoid(W2 sigmoid(W1 x)))``.

    Args:
        text: the formula, optionally ending in ``; loss = NAME`` (which wins over ``loss``).
        loss: ``cross_entropy`` (one-hot y), ``mse`` (½‖ŷ−y‖²) or ``bce``.

    Returns:
        The spec; ``spec.text()`` is its canonical spelling.

    Raises:
        SpecError: one sentence with the line and column of the first problem.

    Example:
        >>> parse_spec("yhat = softmax(sigmoid(x W1 + b1) W2)").convention
        'row'
    """
    parser = _Parser(text)
    written_loss, loss_tok = parser.parse()
    if written_loss is None:
        canon = canonical_loss(loss)
        if canon is None:
            raise SpecError(
                f"`{loss}` is not a loss chainrule knows; use one of {', '.join(LOSSES)}.",
                loss,
                1,
                1,
            )
        written_loss = canon
    parsed = parser.layers
    assert parser.input is not None  # the grammar always ends in the input

    # Numbering: innermost first, 1..L. An unnumbered `W x + b` is layer 1 of a 1-layer net.
    for i, layer in enumerate(parsed, start=1):
        number = layer.weight.value
        if not number and len(parsed) > 1:
            raise parser.fail(layer.weight, "Number the weights W1, W2, … from the input outward.")
        if number and int(number) != i:
            where = "innermost" if i == 1 else f"layer-{i}"
            raise parser.fail(
                layer.weight,
                f"Layers are numbered from the input outward, so the {where} weight should "
                f"be W{i}, not {layer.weight.text}.",
            )
        if layer.bias is not None and layer.bias.value and int(layer.bias.value) != i:
            raise parser.fail(
                layer.bias, f"The bias of layer {i} should be b{i}, not {layer.bias.text}."
            )
        if layer.convention != parsed[0].convention:
            first = parsed[0].weight.text
            raise parser.fail(
                layer.weight,
                f"`{layer.weight.text}` multiplies from the "
                f"{'left' if layer.convention == 'column' else 'right'} but `{first}` from the "
                f"{'left' if parsed[0].convention == 'column' else 'right'}; "
                "use one convention (W1 x, or x W1) throughout.",
            )

    convention = parsed[0].convention
    batch = "none"
    if parser.input.value == "X":
        batch = "columns" if convention == "column" else "rows"

    output = parsed[-1]
    allowed = _LOSS_OUTPUTS[written_loss]
    if output.activation not in allowed:
        tok = output.act_token or loss_tok or output.weight
        raise parser.fail(
            tok,
            f"The {written_loss} loss takes logs of ŷ, so the output must be in (0, 1): end "
            f"the network with {' or '.join(allowed)}, or use the mse loss.",
        )

    layers = tuple(
        Layer(i, p.activation, p.bias is not None) for i, p in enumerate(parsed, start=1)
    )
    return ModelSpec(layers, written_loss, convention, batch)
