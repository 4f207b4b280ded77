"""Tokens of one math expression, from LaTeX or from Unicode typed with no LaTeX at all.

Owns turning text into the terminals ``reader/grammar.lark`` declares, with spans: commands
are classified here (Greek letter, function word, accent, relation…), Unicode spellings
become the same tokens as their LaTeX (``ŷ`` → ``\\hat{y}``, ``W₃`` → ``W_{3}``, ``ᵀ`` →
``^\\top``, ``−`` → ``-``), sizing commands (``\\left``, ``\\big``) vanish, and brackets are
checked for balance and depth before the parser runs, so an unclosed ``{`` is reported at
the ``{`` with a sentence rather than as a parser state. Also defines
:class:`MathSyntaxError`, the one error the expression reader raises.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from lark import Token

from chainrule.errors import ChainruleError
from chainrule.reader.ast import Span
from chainrule.reader.claims import Note
from chainrule.reader.macros import MACROS, MAX_MACRO_DEPTH, arguments, expand, macro
from chainrule.reader.symbols import (
    ACCENTS,
    COMBINING_ACCENTS,
    ELLIPSIS_COMMANDS,
    FONTS,
    FRAC_COMMANDS,
    GREEK,
    GREEK_VARIANTS,
    IGNORED_COMMANDS,
    OPERATOR_NAMES,
    OTHER_NAMES,
    PRODUCT_COMMANDS,
    RELATION_COMMANDS,
    SUBSCRIPTS,
    SUPERSCRIPTS,
    UNICODE_OPERATORS,
    WORD_COMMANDS,
)

MAX_LENGTH = 20_000
MAX_DEPTH = 200


class MathSyntaxError(ChainruleError):
    """Text that cannot be read as an expression.

    Attributes:
        offset: document offset (``base`` + index into the text) of the spot.
        expected: a sentence fragment saying what was expected there.
    """

    def __init__(self, expected: str, offset: int) -> None:
        super().__init__(f"Expected {expected}.")
        self.expected = expected
        self.offset = offset


class _MacroError(MathSyntaxError):
    """An error inside a macro's expansion; ``reason`` is what the innermost body lacked."""

    def __init__(self, expected: str, offset: int, reason: str) -> None:
        super().__init__(expected, offset)
        self.reason = reason


# Token types after which a bar closes a norm rather than opening one.
_ENDS_OPERAND = frozenset(
    {"NAME", "NUMBER", "OPNAME", "RPAR", "RBRACK", "RBRACE", "RSET", "NORMCLOSE", "BARCLOSE"}
    | {"PRIME", "TOP", "ONE", "ELLIPSIS", "PRIMECMD"}
)
_OPENERS = {"LPAR": "RPAR", "LBRACK": "RBRACK", "LBRACE": "RBRACE", "LSET": "RSET"}
_OPENERS |= {"NORMOPEN": "NORMCLOSE", "BAROPEN": "BARCLOSE"}
_CLOSERS = {v: k for k, v in _OPENERS.items()}
_CLOSE_TEXT = {
    "RPAR": "a closing parenthesis `)`",
    "RBRACK": "a closing bracket `]`",
    "RBRACE": "a closing brace `}`",
    "RSET": "a closing brace `\\}`",
    "NORMCLOSE": "a closing norm bar `\\|`",
    "BARCLOSE": "a closing bar `|`",
}
_PUNCT = {
    "+": ("ADDOP", "+"),
    "-": ("ADDOP", "-"),
    "*": ("MULOP", "cdot"),
    "/": ("SLASH", "/"),
    "=": ("REL", "="),
    "<": ("REL", "<"),
    ">": ("REL", ">"),
    ":": ("REL", ":"),
    ",": ("COMMA", ","),
    "'": ("PRIME", "'"),
    "^": ("SUP", "^"),
    "_": ("SUB", "_"),
    "(": ("LPAR", "("),
    ")": ("RPAR", ")"),
    "[": ("LBRACK", "["),
    "]": ("RBRACK", "]"),
    "{": ("LBRACE", "{"),
    "}": ("RBRACE", "}"),
}
_SPACES = frozenset(" \t\n\r\f\v~&\u00a0\u2009\u200a\u2002\u2003\u2006\u202f\u205f\u3000")
_SINGLE_DIGIT_AFTER = frozenset({"SUB", "SUP", "SQRT", "ACCENT"})


@dataclass(frozen=True)
class Lexed:
    """The tokens of an expression and the notes the lexer's tolerances produced."""

    tokens: tuple[Token, ...]
    notes: tuple[Note, ...]


_ARRAY_MODULES = frozenset({"np", "numpy", "jnp", "torch", "F", "tf"})

_SHORT_NAMES = frozenset({"out"})
"""Three-letter words code-style notes use as one name (``out = U relu(V x)``)."""

WORD_LENGTH = 4
"""Runs of this many plain letters or more are one name (``hidden``); shorter runs (``Wx``)
are products, as in LaTeX."""


class _Lexer:
    """One pass over one text; ``tokens`` and ``notes`` fill up as it goes."""

    def __init__(self, text: str, base: int) -> None:
        self.text = text
        self.base = base
        self.tokens: list[Token] = []
        self.notes: list[Note] = []
        self.stack: list[Token] = []
        self.hint = ""  # "open"/"close" after \left/\right: which way the next bar goes
        self.depth = 0  # how many macros deep this text is (a macro's body is lexed anew)
        # Characters of macro expansion left for the whole expression, shared by the lexers
        # of nested macro bodies, so a macro used many times in its own arguments cannot
        # make the work grow exponentially.
        self.budget = [MAX_LENGTH]
        self.single = 0  # how many following digits are one-digit arguments (`x^23`, `\frac12`)

    # -- emitting -------------------------------------------------------------------------
    def emit(self, kind: str, value: str, start: int, end: int) -> None:
        if kind in ("NORMOPEN", "BAROPEN"):
            kind = self._bar_direction(kind)
        if kind in _OPENERS and len(self.stack) >= MAX_DEPTH:
            raise MathSyntaxError(
                f"at most {MAX_DEPTH} nested groups; this expression nests deeper",
                self.base + start,
            )
        token = Token(kind, value, start_pos=start, end_pos=end)
        if kind in _OPENERS:
            self.stack.append(token)
        elif kind in _CLOSERS:
            self._close(token)
        if kind in _SINGLE_DIGIT_AFTER:
            self.single = 1
        elif kind == "FRAC":
            self.single = 2
        elif kind == "LBRACE":
            self.single = 0
        elif self.single:
            self.single -= 1
        self.tokens.append(token)
        self.hint = ""

    def _bar_direction(self, kind: str) -> str:
        close = "NORMCLOSE" if kind == "NORMOPEN" else "BARCLOSE"
        if self.hint == "open":
            return kind
        if self.hint == "close":
            return close
        previous = self.tokens[-1].type if self.tokens else ""
        if self.stack and self.stack[-1].type == kind and previous in _ENDS_OPERAND:
            return close
        return kind

    def _close(self, token: Token) -> None:
        opener = _CLOSERS[token.type]
        if not self.stack:
            raise MathSyntaxError(
                f"no `{token.value}` here: there is no opening `{_opening_text(opener)}` before it",
                self.base + (token.start_pos or 0),
            )
        top = self.stack[-1]
        if top.type != opener:
            raise MathSyntaxError(
                f"{_CLOSE_TEXT[_OPENERS[top.type]]} for the `{top.value}` in "
                f"`{self._excerpt(top.start_pos or 0)}` before this `{token.value}`",
                self.base + (token.start_pos or 0),
            )
        self.stack.pop()

    def _excerpt(self, start: int) -> str:
        piece = self.text[start : start + 12].replace("\n", " ")
        return piece + ("…" if start + 12 < len(self.text) else "")

    def note(self, start: int, end: int, message: str) -> None:
        self.notes.append(Note(Span(self.base + start, self.base + end), message))

    def error(self, expected: str, at: int) -> MathSyntaxError:
        return MathSyntaxError(expected, self.base + at)

    # -- scanning -------------------------------------------------------------------------
    def run(self) -> Lexed:
        text, i = self.text, 0
        while i < len(text):
            ch = text[i]
            if ch in _SPACES:
                i += 1
            elif ch == "\\":
                i = self.command(i)
            elif ch.isascii() and ch.isalpha():
                i = self.letters(i)
            elif _digit(ch) or (ch == "." and _digit(text[i + 1 : i + 2])):
                i = self.number(i)
            elif ch == "." and text[i : i + 3] == "...":
                self.emit("ELLIPSIS", "dots", i, i + 3)
                i += 3
            elif ch == "." and self._numpy_transpose(i):
                self.note(i, i + 2, "read `.T` as the transpose (NumPy's notation)")
                self.emit("SUP", "^", i, i + 2)
                self.emit("TOP", "top", i, i + 2)
                i += 2
            elif ch == "@":
                self.note(i, i + 1, "read `@` as the matrix product (NumPy's notation)")
                self.emit("MULOP", "matmul", i, i + 1)
                i += 1
            elif text[i : i + 2] == "**":
                self.note(i, i + 2, "read `**` as a power (Python's notation)")
                self.emit("SUP", "^", i, i + 2)
                i += 2
            elif ch == "." and text[i + 1 : i + 2] in ("*", "/"):
                # MATLAB's `.*` and `./`: entry by entry
                op = text[i + 1]
                self.note(
                    i,
                    i + 2,
                    f"read `.{op}` as the entry-by-entry {'product' if op == '*' else 'quotient'}",
                )
                self.emit(*(("MULOP", "odot") if op == "*" else _PUNCT["/"]), i, i + 2)
                i += 2
            elif ch in _PUNCT:
                kind, value = _PUNCT[ch]
                if ch == "*":
                    self.note(i, i + 1, "read `*` as the product `\\cdot`")
                self.emit(kind, value, i, i + 1)
                i += 1
            elif ch == "|" and text[i + 1 : i + 2] == "|":
                self.emit("NORMOPEN", "\\|", i, i + 2)  # `||v||`: a norm typed with two bars
                i += 2
            elif ch == "|":
                self.emit("BAROPEN", "|", i, i + 1)
                i += 1
            else:
                i = self.unicode(i)
        if self.stack:
            top = self.stack[-1]
            raise self.error(
                f"{_CLOSE_TEXT[_OPENERS[top.type]]} for the `{top.value}` in "
                f"`{self._excerpt(top.start_pos or 0)}`",
                top.start_pos or 0,
            )
        return Lexed(tuple(self.tokens), tuple(self.notes))

    def _numpy_transpose(self, i: int) -> bool:
        """``A1.T``: a dot, a capital T that ends a word, right after an operand."""
        text = self.text
        after = text[i + 2 : i + 3]
        return (
            text[i + 1 : i + 2] == "T"
            and not (after.isalnum() or after == "_")
            and bool(self.tokens)
            and self.tokens[-1].type in _ENDS_OPERAND
            and self.tokens[-1].end_pos == i
        )

    def number(self, i: int) -> int:
        text, j = self.text, i
        if self.single and _digit(text[i]):
            self.emit("NUMBER", text[i], i, i + 1)
            return i + 1
        while j < len(text) and _digit(text[j]):
            j += 1
        if j + 1 < len(text) and text[j] == "." and _digit(text[j + 1]):
            j += 1
            while j < len(text) and _digit(text[j]):
                j += 1
        self.emit("NUMBER", text[i:j], i, j)
        return j

    def letters(self, i: int) -> int:
        text, j = self.text, i
        while j < len(text) and text[j].isascii() and text[j].isalpha():
            j += 1
        word = text[i:j]
        accented = j < len(text) and text[j] in COMBINING_ACCENTS
        if self.single:  # `W_mn` is `W_{m} n` in LaTeX: a script takes one letter
            accented = i + 1 < len(text) and text[i + 1] in COMBINING_ACCENTS
            if accented:
                return self.accented(text[i], i, i + 1)
            self.emit("NAME", text[i], i, i + 1)
            return i + 1
        if word in _ARRAY_MODULES and text[j : j + 1] == "." and text[j + 1 : j + 2].isalpha():
            # `np.tanh(Z)`, `torch.exp(z)`: the module's name says nothing about the math
            k = j + 1
            while k < len(text) and text[k].isascii() and (text[k].isalnum() or text[k] == "_"):
                k += 1
            name = text[j + 1 : k]
            self.note(
                i, k, f"read `{text[i:k]}` as the function `{OPERATOR_NAMES.get(name, name)}`"
            )
            if name in OPERATOR_NAMES:
                self.emit("OPNAME", f"{OPERATOR_NAMES[name]}|bare", i, k)
            else:
                self.emit("NAME", name, i, k)
            return k
        if word in OPERATOR_NAMES and len(word) > 1 and not accented:
            self.note(i, j, f"read `{word}` as the function `{_func_latex(word)}`")
            self.emit("OPNAME", f"{OPERATOR_NAMES[word]}|bare", i, j)
            return self.glue(j)
        if word[0] == "d" and word[1:] not in OPERATOR_NAMES and self._plain_derivative(word, i, j):
            # `dyhat/dh`, `dL/dout`: d and the name it differentiates (or is by), as in dL/dW
            self.emit("NAME", "d", i, i + 1)
            self.note(i + 1, j, f"read `{word[1:]}` as one name, not a product of its letters")
            self.emit("NAME", word[1:], i + 1, j)
            return self.glue(j)
        if (len(word) >= WORD_LENGTH or word in _SHORT_NAMES) and not accented:
            # `hidden`, `dscores`, `probs`: code-style names, not products of letters
            self.note(i, j, f"read `{word}` as one name, not a product of its letters")
            self.emit("NAME", word, i, j)
            return self.glue(j)
        for k in range(i, j):
            if k == j - 1 and accented:
                return self.accented(text[k], k, j)
            self.emit("NAME", text[k], k, k + 1)
        return self.glue(j)

    def _plain_derivative(self, word: str, i: int, j: int) -> bool:
        """Whether ``word`` (d and a name) is one side of a derivative typed as ``dA/dB``:
        the numerator before ``/d`` (``dyhat/dh``) or the denominator after ``/``."""
        before = self.text[:i].rstrip()
        after_slash = before.endswith("/") and not before.endswith("//")
        before_slash = len(word) > WORD_LENGTH and re.match(r"\s*/\s*d[A-Za-z]", self.text[j:])
        return len(word) >= 3 and (after_slash or bool(before_slash))

    def accented(self, letter: str, start: int, mark: int) -> int:
        end = mark
        while end < len(self.text) and self.text[end] in COMBINING_ACCENTS:
            end += 1
        for m in reversed(self.text[mark:end]):
            self.emit("ACCENT", f"accent:{COMBINING_ACCENTS[m]}", start, end)
        self.emit("NAME", letter, start, end)
        return self.glue(end)

    def glue(self, j: int) -> int:
        """``W3`` → ``W_{3}``: digits written straight after a letter are its subscript."""
        text, k = self.text, j
        if self.single or not (k < len(text) and _digit(text[k])):
            return j
        while k < len(text) and _digit(text[k]):
            k += 1
        name_start = self.tokens[-1].start_pos or 0
        self.note(
            name_start, k, f"read `{text[name_start:k]}` as `{text[name_start:j]}_{{{text[j:k]}}}`"
        )
        self.emit("SUB", "glue", j, k)
        self.emit("LBRACE", "{", j, j)
        self.emit("NUMBER", text[j:k], j, k)
        self.emit("RBRACE", "}", k, k)
        return k

    def command(self, i: int) -> int:
        text = self.text
        j = i + 1
        if j >= len(text):
            raise self.error("a command name after the backslash `\\`", i)
        if not (text[j].isascii() and text[j].isalpha()):
            return self.symbol_command(i)
        while j < len(text) and text[j].isascii() and text[j].isalpha():
            j += 1
        name = text[i + 1 : j]
        if name in IGNORED_COMMANDS:
            if name in ("left", "right") or name.startswith(("big", "Big")):
                self.hint = "open" if name == "left" or name.endswith("l") else "close"
                if name == "right" or name.endswith("r"):
                    self.hint = "close"
                if name in ("big", "Big", "bigg", "Bigg"):
                    self.hint = ""  # `\big\lVert … \big\rVert`: a size, not a side
                k = j
                while k < len(text) and text[k] in " \t\n":
                    k += 1
                if text[k : k + 1] == ".":  # `\left.` / `\right.` — an invisible delimiter
                    return k + 1
            return j
        return self.named_command(name, i, j)

    def named_command(self, name: str, i: int, j: int) -> int:
        if name in GREEK or name in GREEK_VARIANTS or name in OTHER_NAMES:
            value = GREEK_VARIANTS.get(name, OTHER_NAMES.get(name, name))
            self.emit("NAME", value, i, j)
        elif name in OPERATOR_NAMES:
            style = "ln" if name == "ln" else ""
            self.emit("OPNAME", f"{OPERATOR_NAMES[name]}|{style}", i, j)
        elif name in FRAC_COMMANDS:
            self.emit("FRAC", name, i, j)
        elif name == "sqrt":
            self.emit("SQRT", name, i, j)
        elif name == "mathbb" and self._braced_word(j)[0] in ("1", "I"):
            end = self._braced_word(j)[1]
            self.emit("ONE", "1", i, end)
            return end
        elif name in WORD_COMMANDS and self._braced_word(j)[0].isalpha():
            return self.word_command(name, i, j)
        elif name in ACCENTS:
            self.emit("ACCENT", f"accent:{ACCENTS[name]}", i, j)
        elif name in FONTS:
            self.emit("ACCENT", f"font:{FONTS[name]}", i, j)
        elif name == "sum":
            self.emit("SUM", name, i, j)
        elif name == "nabla":
            self.emit("NABLA", name, i, j)
        elif name == "partial":
            self.emit("PARTIAL", name, i, j)
        elif name in ("top", "intercal"):
            self.emit("TOP", name, i, j)
        elif name == "prime":
            self.emit("PRIMECMD", name, i, j)
        elif name in PRODUCT_COMMANDS:
            self.emit("MULOP", PRODUCT_COMMANDS[name], i, j)
        elif name in RELATION_COMMANDS:
            self.emit("REL", RELATION_COMMANDS[name], i, j)
        elif name in ELLIPSIS_COMMANDS:
            self.emit("ELLIPSIS", "dots", i, j)
        elif name in ("lVert", "Vert"):
            self.emit("NORMOPEN", "\\|", i, j)
        elif name == "rVert":
            self.hint = "close"
            self.emit("NORMOPEN", "\\|", i, j)
        elif name in ("lvert", "vert", "mid"):
            self.emit("BAROPEN", "|", i, j)
        elif name == "rvert":
            self.hint = "close"
            self.emit("BAROPEN", "|", i, j)
        elif name == "lbrace":
            self.emit("LSET", "\\{", i, j)
        elif name == "rbrace":
            self.emit("RSET", "\\}", i, j)
        elif macro(name) is not None and self.depth < MAX_MACRO_DEPTH:
            return self.macro(name, i, j)
        else:
            raise self.error(f"a command chainrule knows, not `\\{name}`", i)
        return j

    def macro(self, name: str, i: int, j: int) -> int:
        """A macro's use, ``\\one`` or ``\\pd{L}{W}``: the tokens of its body with the
        arguments put in, each placed at the use (so errors and spans point into the text as
        written). Returns the offset after the use."""
        found = macro(name)
        assert found is not None
        args: list[str] = []
        end = j
        if found.arity:
            read = arguments(self.text, j, found)
            if read is None:
                raise self.error(
                    f"{found.arity} argument{'s' if found.arity > 1 else ''} after `\\{name}`",
                    i,
                )
            args, end = read
        body = expand(found, args)
        use = self.text[i:end]
        if body is not None:
            self.budget[0] -= len(body)
        if body is None or self.budget[0] < 0:
            raise self.error(
                f"fewer macros here: `{use}` expands to more than chainrule reads in one "
                f"expression ({MAX_LENGTH:,} characters in all)",
                i,
            )
        inner = _Lexer(body, self.base + i)
        inner.depth, inner.budget = self.depth + 1, self.budget
        own = name in (MACROS.get() or {})
        whose = "the document's own macro" if own else "the physics package's command"
        try:
            lexed = inner.run()
        except MathSyntaxError as exc:
            reason = exc.reason if isinstance(exc, _MacroError) else exc.expected
            if self.depth:  # a macro in a macro's body: the use in the text reports it
                raise _MacroError(reason, self.base + i, reason) from None
            shown = body if len(body) <= 80 else body[:80] + "…"
            raise _MacroError(
                f"a command chainrule can read: `{use}` is {whose} for `{shown}`, in which "
                f"chainrule expected {reason}",
                self.base + i,
                reason,
            ) from None
        self.note(i, end, f"read `{use}` as `{body}` ({whose})")
        for token in lexed.tokens:
            self.emit(token.type, str(token.value), i, end)
        return end

    def _braced_word(self, j: int) -> tuple[str, int]:
        """The word in ``{…}`` at ``j`` (spaces allowed before) and the offset after ``}``.

        ``("", j)`` when no braced group of letters or digits is there.
        """
        k = j
        while k < len(self.text) and self.text[k] in " \t\n":
            k += 1
        if not self.text.startswith("{", k):
            return "", j
        close = self.text.find("}", k, k + 40)
        word = self.text[k + 1 : close].strip() if close > 0 else ""
        if not (word.isascii() and word.isalnum()):
            return "", j
        return word, close + 1

    def word_command(self, name: str, i: int, j: int) -> int:
        word, end = self._braced_word(j)
        if word in OPERATOR_NAMES:
            self.emit("OPNAME", f"{OPERATOR_NAMES[word]}|{_word_style(name)}", i, end)
        elif name == "operatorname":
            self.emit("OPNAME", f"{word}|operatorname", i, end)
        else:
            self.emit("NAME", word, i, end)
        return end

    def symbol_command(self, i: int) -> int:
        ch = self.text[i + 1]
        if ch == "|":
            self.emit("NORMOPEN", "\\|", i, i + 2)
        elif ch == "{":
            self.emit("LSET", "\\{", i, i + 2)
        elif ch == "}":
            self.emit("RSET", "\\}", i, i + 2)
        elif ch in ",;:! \\\n":
            pass  # spacing (and a stray row break): no meaning in the tree
        else:
            raise self.error(f"a command chainrule knows, not `\\{ch}`", i)
        return i + 2

    def unicode(self, i: int) -> int:
        ch = self.text[i]
        if ch in SUBSCRIPTS or ch in SUPERSCRIPTS:
            return self.script_run(i)
        if ch == "ᵀ":
            self.emit("SUP", "unicode", i, i + 1)
            self.emit("TOP", "top", i, i + 1)
            return i + 1
        if ch == "″":
            self.emit("PRIME", "'", i, i + 1)
            self.emit("PRIME", "'", i, i + 1)
            return i + 1
        if ch == "‖":
            self.emit("NORMOPEN", "‖", i, i + 1)
            return i + 1
        if ch in UNICODE_OPERATORS:
            kind, value = UNICODE_OPERATORS[ch]
            self.emit(kind, value, i, i + 1)
            return i + 1
        greek = _greek_name(ch)
        if greek:
            self.emit("NAME", greek, i, i + 1)
            return i + 1
        decomposed = unicodedata.normalize("NFD", ch)
        if len(decomposed) > 1 and all(m in COMBINING_ACCENTS for m in decomposed[1:]):
            for m in reversed(decomposed[1:]):
                self.emit("ACCENT", f"accent:{COMBINING_ACCENTS[m]}", i, i + 1)
            base = decomposed[0]
            self.emit("NAME", _greek_name(base) or base, i, i + 1)
            return self.glue(i + 1)
        plain = unicodedata.normalize("NFKC", ch)
        num, slash, den = plain.partition("\u2044")
        if slash and num.isdigit() and den.isdigit():  # `½`: the fraction (1/2), as written
            for kind, value in (("LPAR", "("), ("NUMBER", num), ("SLASH", "/"), ("NUMBER", den)):
                self.emit(kind, value, i, i + 1)
            self.emit("RPAR", ")", i, i + 1)
            return i + 1
        if plain != ch and len(plain) == 1 and plain.isascii() and plain.isalnum():
            kind = "NUMBER" if plain.isdigit() else "NAME"
            self.emit(kind, plain, i, i + 1)
            return i + 1
        if len(plain) == 1 and _greek_name(plain):
            self.emit("NAME", _greek_name(plain), i, i + 1)
            return i + 1
        raise self.error(f"a character chainrule can read, not `{ch}`", i)

    def script_run(self, i: int) -> int:
        """``₃``, ``₁₂``, ``⁽ˡ⁾``, ``⁻¹``: a run of sub/superscript characters is one script."""
        table = SUBSCRIPTS if self.text[i] in SUBSCRIPTS else SUPERSCRIPTS
        j = i
        while j < len(self.text) and self.text[j] in table:
            j += 1
        self.emit("SUB" if table is SUBSCRIPTS else "SUP", "unicode", i, j)
        self.emit("LBRACE", "{", i, i)
        k = i
        while k < j:
            plain = table[self.text[k]]
            if plain.isdigit():
                end = k
                while end < j and table[self.text[end]].isdigit():
                    end += 1
                digits = "".join(table[c] for c in self.text[k:end])
                self.emit("NUMBER", digits, k, end)
                k = end
                continue
            kind, value = ("NAME", plain) if plain.isalpha() else _PUNCT[plain]
            self.emit(kind, value, k, k + 1)
            k += 1
        self.emit("RBRACE", "}", j, j)
        return j


def _digit(ch: str) -> bool:
    """An ASCII digit (``str.isdigit`` also accepts ``₃`` and ``²``, which mean scripts)."""
    return len(ch) == 1 and "0" <= ch <= "9"


def _opening_text(kind: str) -> str:
    return {"LPAR": "(", "LBRACK": "[", "LBRACE": "{", "LSET": "\\{"}.get(kind, "|")


def _word_style(command: str) -> str:
    return {"textrm": "text", "textit": "text", "textnormal": "text"}.get(command, command)


def _func_latex(word: str) -> str:
    canonical = OPERATOR_NAMES[word]
    if canonical in ("log", "exp", "tanh", "max", "min", "sin", "cos"):
        return f"\\{canonical}"
    return f"\\operatorname{{{canonical}}}"


def _greek_name(ch: str) -> str:
    """``σ`` → ``sigma``, ``Δ`` → ``Delta``; ``""`` for anything else."""
    special = {"ϵ": "epsilon", "ϕ": "phi", "ϑ": "theta", "ς": "sigma", "µ": "mu"}
    if ch in special:
        return special[ch]
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return ""
    for prefix, capital in (("GREEK SMALL LETTER ", False), ("GREEK CAPITAL LETTER ", True)):
        if name.startswith(prefix):
            word = name[len(prefix) :].lower()
            if word.startswith("final "):
                word = word[len("final ") :]
            word = {"lamda": "lambda"}.get(word, word)
            if " " in word:
                return ""
            return word.capitalize() if capital else word
    return ""


def tokenize(text: str, base: int = 0) -> Lexed:
    """The tokens of ``text`` (spans are indices into ``text``; errors carry ``base``).

    Raises:
        MathSyntaxError: an unknown command or character, or unbalanced or too deep brackets.
    """
    if len(text) > MAX_LENGTH:
        raise MathSyntaxError(
            f"an expression of at most {MAX_LENGTH} characters (this one has {len(text)})", base
        )
    return _Lexer(text, base).run()
