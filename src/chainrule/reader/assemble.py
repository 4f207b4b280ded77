"""What the written pieces mean: calls or products, layers or indices, derivatives or quotients.

Owned by the expression reader. ``reader.parse`` hands over each term as a flat run of
:class:`~chainrule.reader.raw.RawFactor` and written operators; this module applies the
conventions of the field, in this order:

1. factors, right to left: a function name followed by ``( … )`` is a call (``\\sigma(z)``,
   ``\\log(\\hat y)``); ``\\log x`` takes the factor after it; ``e^{x}`` is ``\\exp``;
   ``1\\{y=j\\}`` an indicator; subscripts give layers and indices (``W_{3_{mn}}``);
2. ``\\partial X`` pairs with what follows it, up to a ``/`` or a written operator;
3. ``/`` binds the two factors beside it (``\\partial L/\\partial W``, ``-y_i/\\hat y_i``);
4. ``\\sum_{…}`` and ``\\frac{\\partial}{\\partial W}`` take the rest of the term, ``\\nabla_W`` the
   one factor after it;
5. juxtaposition binds tighter than ``\\cdot``/``\\times``, which bind tighter than ``\\odot``.

Every reading that is not the literal one adds a note (``read `W_3_{mn}` as `W_{3,mn}```).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from lark import Token

from chainrule.reader.ast import (
    Add,
    Bound,
    Call,
    Deriv,
    Div,
    Expr,
    Hadamard,
    Indexed,
    Indicator,
    Mul,
    Neg,
    Num,
    Pow,
    Relation,
    Span,
    Sum,
    Sym,
    Transpose,
    Vector,
)
from chainrule.reader.claims import Note
from chainrule.reader.lexer import MathSyntaxError
from chainrule.reader.macros import DOCUMENT_FUNCTIONS, LAYER_SUPERSCRIPTS
from chainrule.reader.raw import (
    DerivOpAtom,
    GroupAtom,
    Head,
    Item,
    MarkAtom,
    Marker,
    NameAtom,
    OpenSum,
    Partial,
    PartialAlone,
    Post,
    RawFactor,
    Script,
    ValueAtom,
)
from chainrule.reader.symbols import FUNCTION_LETTERS

Unit = Expr | Head
_HADAMARD_OPS = ("odot", "circ")
GRADIENT_NAMES = ("W", "Z", "A", "b", "z", "a", "X", "x", "H", "h")
GLUE_NOTE = "in deeplearning.ai's notation"
_LAYERED_NAMES = frozenset({"W", "w", "b", "z", "a", "h", "u", "A", "Z", "H", "delta", "Delta"})
"""Names a general layer label in a subscript belongs to (``W_\\ell``, ``a_{\\ell-1}``)."""
_LAYER_THEN_PRIME = re.compile(r"[(\[]\s*([0-9]+|\\ell|[A-Za-z])\s*[)\]]\s*((?:'|\\prime)+)")
_ACTIVATION_WORDS = frozenset({"tanh", "sech", "sigmoid", "relu", "softmax", "cosh", "sinh"})
_INEQUALITIES = frozenset({">", "<", "\\geq", "\\leq", "\\gt", "\\lt", "≥", "≤"})
_LAYER_THEN_T = re.compile(
    r"[(\[]\s*([0-9]+|(?:\\ell|[A-Za-z])(?:\s*[+-]\s*[0-9]+)?)\s*[)\]]\s*"
    r"(T|\\top|\\intercal|\\math(?:sf|rm)\s*\{?\s*T\s*\}?|[0-9])"
)


@dataclass
class _Entry:
    """One unit of a term with the written operator before it (``None`` for juxtaposition)."""

    unit: Unit
    op: str | None
    span: Span
    bare_d: bool = False


@dataclass
class Context:
    """The text being read and the notes gathered while reading it."""

    text: str
    base: int
    notes: list[Note] = field(default_factory=list)

    def source(self, span: Span) -> str:
        return " ".join(self.text[span.start - self.base : span.end - self.base].split())

    def note(self, span: Span, message: str) -> None:
        self.notes.append(Note(span, message))

    def error(self, expected: str, span: Span) -> MathSyntaxError:
        return MathSyntaxError(expected, span.start)


def _join(a: Span, b: Span) -> Span:
    return Span(min(a.start, b.start), max(a.end, b.end))


def _latex(expr: Expr) -> str:
    from chainrule.reader.printer import to_latex  # the printer imports nothing of ours

    return to_latex(expr)


class Assembler:
    """Turns raw factors into tree nodes for one call of ``parse_math``."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    # == terms ============================================================================
    def term(self, parts: list[RawFactor | Token]) -> Expr:
        """A term: factors and the operators written between them → one node."""
        raws: list[RawFactor] = []
        ops: list[str | None] = []
        pending: str | None = None
        for part in parts:
            if isinstance(part, Token):
                pending = "/" if part.type == "SLASH" else str(part.value)
                continue
            for k, raw in enumerate(self._split_brackets(part)):
                raws.append(raw)
                ops.append(pending if k == 0 else None)
            pending = None
        entries = self._resolve(raws, ops)
        entries = self._partials(entries)
        entries = self._slashes(entries)
        if (
            len(entries) == 1
            and isinstance(entries[0].unit, Head)
            and entries[0].unit.kind == "sum"
        ):
            head = entries[0].unit  # `\sum_l -x`: the sign starts the next term
            return OpenSum(head.bounds, head.text, span=head.span)
        entries = self._heads(entries)
        if len(entries) == 1 and isinstance(entries[0].unit, PartialAlone):
            return entries[0].unit
        return self._products(entries)

    def _split_brackets(self, raw: RawFactor) -> list[RawFactor]:
        """``a [b + c]`` is a product: a bracket postfix that is no index list starts a factor."""
        out: list[RawFactor] = []
        atom, posts = raw.atom, list(raw.posts)
        for k, post in enumerate(posts):
            if post.kind != "bracket" or post.script is None:
                continue
            indexable = isinstance(atom, NameAtom | ValueAtom | GroupAtom)
            if indexable and _index_list(post.script.items) is not None:
                continue
            head = RawFactor(atom, tuple(posts[:k]), Span(raw.span.start, post.span.start))
            rest = RawFactor(
                GroupAtom("bracket", post.script.items, post.span),
                tuple(posts[k + 1 :]),
                Span(post.span.start, raw.span.end),
            )
            return [head, *self._split_brackets(rest)]
        out.append(raw)
        return out

    # -- step 1: factors, right to left ----------------------------------------------------
    def _resolve(self, raws: list[RawFactor], ops: list[str | None]) -> list[_Entry]:
        out: list[_Entry] = []  # built reversed: out[-1] is the entry right of factor k
        for k in range(len(raws) - 1, -1, -1):
            raw = raws[k]
            nxt = raws[k + 1] if k + 1 < len(raws) and ops[k + 1] is None else None
            consumed, unit = self._factor(raw, nxt, out[-1] if nxt is not None and out else None)
            span = raw.span
            if consumed:
                span = _join(span, out.pop().span)
                self._note_bare_operator(raw, nxt, span, out)
            atom = raw.atom
            bare_d = isinstance(atom, NameAtom) and atom.kind == "name" and atom.name == "d"
            out.append(_Entry(unit, ops[k], span, bare_d and not raw.posts))
        out.reverse()
        return out

    def _note_bare_operator(
        self, raw: RawFactor, nxt: RawFactor | None, span: Span, out: list[_Entry]
    ) -> None:
        """``\\log x y``: say that ``\\log`` took ``x`` only (the reading is not certain)."""
        atom = raw.atom
        if not isinstance(atom, NameAtom) or atom.kind != "op" or nxt is None:
            return
        if isinstance(nxt.atom, GroupAtom) and nxt.atom.kind == "paren":
            return
        if out and out[-1].op is None:
            whole = _join(span, out[-1].span)
            self.ctx.note(
                whole,
                f"read `{self.ctx.source(whole)}` with `{self.ctx.source(atom.span)}` applied "
                f"to `{self.ctx.source(Span(raw.span.end, span.end))}` only",
            )

    def _factor(
        self, raw: RawFactor, nxt: RawFactor | None, nxt_entry: _Entry | None
    ) -> tuple[bool, Unit]:
        """One factor; ``True`` when it took the next factor (a call's arguments)."""
        atom = raw.atom
        if isinstance(atom, NameAtom):
            return self._name(raw, atom, nxt, nxt_entry)
        if isinstance(atom, MarkAtom):
            return self._mark(raw, atom, nxt, nxt_entry)
        if isinstance(atom, DerivOpAtom):
            if raw.posts:
                raise self.ctx.error("nothing after `\\frac{\\partial}{\\partial …}`", raw.span)
            return False, Head("deriv", wrt=atom.wrt, style=atom.style, span=atom.span)
        if isinstance(atom, GroupAtom):
            return False, self.posts(self.group_value(atom), raw.posts, raw.span, group=True)
        one = isinstance(atom.value, Num) and atom.value.text == "1"
        if one and not raw.posts and nxt is not None and _relation_group(nxt) is not None:
            return self._indicator(raw, nxt)
        return False, self.posts(atom.value, raw.posts, raw.span)

    def _name(
        self, raw: RawFactor, atom: NameAtom, nxt: RawFactor | None, nxt_entry: _Entry | None
    ) -> tuple[bool, Unit]:
        function_like = (
            atom.kind == "op"
            or atom.name in FUNCTION_LETTERS
            or atom.name in DOCUMENT_FUNCTIONS.get()
        )
        head = self._function_head(raw, atom) if function_like else None
        powered = self._powered_function(raw, atom, nxt) if function_like else None
        if powered is not None:
            return True, powered
        paren = nxt is not None and isinstance(nxt.atom, GroupAtom) and nxt.atom.kind == "paren"
        if head is not None and paren and nxt is not None and isinstance(nxt.atom, GroupAtom):
            call = self._call(atom, head, nxt.atom, _join(raw.span, nxt.atom.span))
            return True, self.posts(call, nxt.posts, _join(raw.span, nxt.span))
        if atom.kind == "op":
            if nxt_entry is None or isinstance(nxt_entry.unit, Head):
                # `\tanh' = 1 - \tanh^2`: the function itself, no argument written
                bare = self._bare_function(raw, atom, head)
                if bare is not None:
                    return False, bare
            power = _numeric_power(raw)
            unit = nxt_entry.unit if nxt_entry is not None else None
            argument = unit if unit is not None and not isinstance(unit, Head) else None
            if head is None and power is not None and argument is not None and nxt_entry:
                # `\tanh^{2} z`: (tanh z)², the argument written without parentheses
                span = _join(raw.span, nxt_entry.span)
                call = Call(atom.name, (argument,), 0, "", _call_style(atom), span=span)
                return True, Pow(call, power, span=span)
            if head is None or nxt_entry is None or isinstance(nxt_entry.unit, Head):
                raise self.ctx.error(
                    f"an argument after `{self.ctx.source(raw.span)}`, as in "
                    f"`{self.ctx.source(raw.span)}(x)`",
                    Span(raw.span.end, raw.span.end),
                )
            arg = nxt_entry.unit
            prime, layer = head
            span = _join(raw.span, nxt_entry.span)
            return True, Call(atom.name, (arg,), prime, layer, _call_style(atom), span=span)
        if head is not None and head[0] > 0:
            return False, Call(atom.name, (), head[0], head[1], span=raw.span)
        if (
            paren
            and nxt is not None
            and isinstance(nxt.atom, GroupAtom)
            and len(nxt.atom.items) > 1
            and not raw.posts
        ):
            call = self._call(atom, (0, ""), nxt.atom, _join(raw.span, nxt.atom.span))
            self.ctx.note(
                call.span or raw.span,
                f"read `{self.ctx.source(call.span or raw.span)}` as the function "
                f"`{atom.name}` applied to {len(call.args)} arguments",
            )
            return True, self.posts(call, nxt.posts, _join(raw.span, nxt.span))
        if atom.name == "e" and atom.kind == "name" and raw.posts and raw.posts[0].kind == "sup":
            exp = self._exp(raw, raw.posts[0])
            if exp is not None:
                return False, self.posts(exp, raw.posts[1:], raw.span)
        sym = Sym(atom.name, style=atom.style, span=atom.span)
        return False, self.posts(sym, raw.posts, raw.span)

    def _bare_function(
        self, raw: RawFactor, atom: NameAtom, head: tuple[int, str] | None
    ) -> Expr | None:
        """``\\tanh'`` or ``\\tanh^2`` with nothing after it: the function (or its power) as a
        function of an unwritten argument, as identities such as tanh′ = 1 − tanh² write it
        (for activations only: `\\log` alone still asks for its argument)."""
        if atom.name not in _ACTIVATION_WORDS:
            return None
        if head is not None:
            return Call(atom.name, (), head[0], head[1], _call_style(atom), span=raw.span)
        power = _numeric_power(raw)
        if power is None:
            return None
        call = Call(atom.name, (), 0, "", _call_style(atom), span=atom.span)
        return Pow(call, power, span=raw.span)

    def _powered_function(
        self, raw: RawFactor, atom: NameAtom, nxt: RawFactor | None
    ) -> Expr | None:
        """``\\tanh^2(v)`` is (tanh v)², as trigonometry writes it (noted)."""
        power = _numeric_power(raw)
        if power is None:
            return None
        if nxt is None or not isinstance(nxt.atom, GroupAtom) or nxt.atom.kind != "paren":
            return None
        span = _join(raw.span, nxt.atom.span)
        call = self._call(atom, (0, ""), nxt.atom, span)
        powered = Pow(call, power, span=span)
        self.ctx.note(
            span,
            f"read `{self.ctx.source(span)}` as ({atom.name} …)^{power.text}, "
            "a power of the function's value",
        )
        return self.posts(powered, nxt.posts, _join(raw.span, nxt.span))

    def _function_head(self, raw: RawFactor, atom: NameAtom) -> tuple[int, str] | None:
        """``(primes, layer)`` when every postfix is one a function name may carry."""
        prime, layer = 0, ""
        for post in raw.posts:
            if post.kind == "prime":
                prime += 1
                continue
            items = post.script.items if post.script else ()
            script = self.ctx.source(post.script.span) if post.script else ""
            layered = _LAYER_THEN_PRIME.fullmatch(script.strip("{} "))
            if post.kind == "sup" and layered and not layer:
                # `g^{[1]\prime}(Z^{[1]})`: layer 1's g, differentiated
                layer = layered.group(1).replace("\\ell", "ell")
                prime += max(layered.group(2).count("'"), layered.group(2).count("prime"))
            elif post.kind == "sup" and items and _prime_count(items[0].value):
                prime += _prime_count(items[0].value)
            elif post.kind == "sup" and len(items) == 1 and _paren_layer(items[0]) and not layer:
                layer = _paren_layer(items[0])
            elif post.kind == "sub" and not layer and len(items) == 1:
                word = _layer_word(items[0].value)
                if not word:
                    return None
                layer = word
            else:
                return None
        return prime, layer

    def _call(self, atom: NameAtom, head: tuple[int, str], group: GroupAtom, span: Span) -> Call:
        args: list[Expr] = []
        for item in group.items:
            if isinstance(item.value, Relation | Marker):
                raise self.ctx.error(
                    f"arguments of `{self.ctx.source(atom.span)}(…)`, not a relation or `\\dots`",
                    group.span,
                )
            args.append(item.value)
        style = _call_style(atom) if atom.kind == "op" else ""
        return Call(atom.name, tuple(args), head[0], head[1], style, span=span)

    def _exp(self, raw: RawFactor, sup: Post) -> Expr | None:
        items = sup.script.items if sup.script else ()
        if len(items) != 1 or isinstance(items[0].value, Marker | Relation):
            return None
        if _paren_layer(items[0]) or _is_transpose(items[0].value):  # `e^{(l)}`, `e^T`
            return None
        span = _join(raw.span, sup.span)
        call = Call("exp", (items[0].value,), style="e", span=span)
        self.ctx.note(
            span,
            f"read `{self.ctx.source(span)}` as the exponential function "
            f"`{_latex(replace(call, style=''))}`",
        )
        return call

    def _mark(
        self, raw: RawFactor, atom: MarkAtom, nxt: RawFactor | None, nxt_entry: _Entry | None
    ) -> tuple[bool, Unit]:
        if atom.kind == "sum":
            return False, self._sum_head(raw)
        if atom.kind == "nabla":
            subs = [p for p in raw.posts if p.kind == "sub"]
            if len(subs) != 1 or len(raw.posts) != 1 or subs[0].script is None:
                raise self.ctx.error(
                    "a subscript naming the variable after `\\nabla`, as in `\\nabla_{W} L`",
                    raw.span,
                )
            wrt = self._single(subs[0].script, "the variable under `\\nabla`")
            return False, Head("deriv", wrt=wrt, style="nabla", span=raw.span)
        if atom.kind == "partial":
            if raw.posts:
                raise self.ctx.error(
                    "`\\partial` with no script (second derivatives are not read)", raw.span
                )
            return False, PartialAlone(span=raw.span)
        if atom.kind == "one":
            return self._indicator(raw, nxt)
        if raw.posts:
            raise self.ctx.error(f"nothing attached to `{self.ctx.source(atom.span)}`", raw.span)
        return False, Marker(atom.kind, span=atom.span)

    def _indicator(self, raw: RawFactor, nxt: RawFactor | None) -> tuple[bool, Unit]:
        posts = raw.posts
        if posts and posts[0].kind == "sub" and posts[0].script is not None:
            cond = posts[0].script.items[0].value
            if len(posts[0].script.items) == 1 and isinstance(cond, Relation):
                ind = Indicator(cond, span=_join(raw.span, posts[0].span))
                return False, self.posts(ind, posts[1:], raw.span)
        if not posts and nxt is not None:
            rel = _relation_group(nxt)
            if rel is not None:
                ind = Indicator(rel, span=_join(raw.span, nxt.atom.span))
                return True, self.posts(ind, nxt.posts, _join(raw.span, nxt.span))
        return False, self.posts(Num("1", span=raw.span), posts, raw.span)

    def _sum_head(self, raw: RawFactor) -> Head:
        lower: Script | None = None
        upper: Expr | None = None
        for post in raw.posts:
            if post.kind == "sub" and lower is None and post.script is not None:
                lower = post.script
            elif post.kind == "sup" and upper is None and post.script is not None:
                upper = self._single(post.script, "the upper limit of the sum")
            else:
                raise self.ctx.error("at most one `_{…}` and one `^{…}` on `\\sum`", post.span)
        if lower is None:
            raise self.ctx.error(
                "an index under `\\sum`, as in `\\sum_{l=1}^{k}` or `\\sum_l`", raw.span
            )
        bounds: list[Bound] = []
        for item in lower.items:
            value = item.value
            if isinstance(value, Relation) and value.op == "=" and _index_name(value.left):
                bounds.append(Bound(_index_name(value.left), value.right, span=value.span))
                continue
            names = _index_list((item,))
            if names is None or any(n.isdigit() for n in names):
                raise self.ctx.error(
                    "a summation index such as `l` or `l=1` under `\\sum`", lower.span
                )
            bounds.extend(Bound(n, span=item.value.span) for n in names)
        if upper is not None:
            if len(bounds) != 1:
                raise self.ctx.error(
                    "one summation index when the sum has an upper limit", raw.span
                )
            bounds[0] = replace(bounds[0], upper=upper)
        return Head("sum", bounds=tuple(bounds), span=raw.span, text=self.ctx.source(raw.span))

    # -- step 2: ∂X ------------------------------------------------------------------------
    def _partials(self, entries: list[_Entry]) -> list[_Entry]:
        k = len(entries) - 1
        while k >= 0:
            entry = entries[k]
            if isinstance(entry.unit, PartialAlone):
                end = k + 1
                while end < len(entries) and entries[end].op is None:
                    if isinstance(entries[end].unit, PartialAlone | Partial):
                        break
                    end += 1
                    if entry.op == "/":  # `\partial L/\partial W a`: the denominator is `W`
                        break
                if end > k + 1:
                    run = entries[k + 1 : end]
                    of = self._products(self._heads(run))
                    span = _join(entry.span, run[-1].span)
                    entries[k:end] = [_Entry(Partial(of, span=span), entry.op, span)]
            k -= 1
        return entries

    # -- step 3: `/` -----------------------------------------------------------------------
    def _slashes(self, entries: list[_Entry]) -> list[_Entry]:
        k = 1
        while k < len(entries):
            if entries[k].op != "/":
                k += 1
                continue
            left, right = entries[k - 1], entries[k]
            if (
                isinstance(right.unit, Head)
                and right.unit.kind == "sum"
                and not isinstance(left.unit, Head)
                and all(e.op != "/" for e in entries[k + 1 :])
            ):
                # `e^{z_k} / \sum_c e^{z_c}`: the sum (which takes the rest of the term) is
                # the whole denominator, as softmax is written.
                (whole,) = self._heads([_Entry(right.unit, None, right.span), *entries[k + 1 :]])
                span = _join(left.span, whole.span)
                value = self.quotient(_expr(left.unit), _expr(whole.unit), "slash", span)
                entries[k - 1 :] = [_Entry(value, left.op, span)]
                continue
            if isinstance(left.unit, Head) or isinstance(right.unit, Head):
                raise self.ctx.error("an expression on each side of `/`", right.span)
            span = _join(left.span, right.span)
            d_form = (
                k >= 2
                and left.op is None
                and entries[k - 2].bare_d
                and right.bare_d
                and k + 1 < len(entries)
                and entries[k + 1].op is None
            )
            if d_form:
                wrt = entries[k + 1]
                span = _join(entries[k - 2].span, wrt.span)
                deriv = Deriv(_expr(left.unit), _expr(wrt.unit), "d", span=span)
                entries[k - 2 : k + 2] = [_Entry(deriv, entries[k - 2].op, span)]
                k -= 1
                continue
            glued = _glued_wrt(right.unit)
            if k >= 2 and left.op is None and entries[k - 2].bare_d and glued is not None:
                # `dL/dyhat`: the denominator's d and a word were read as one name
                span = _join(entries[k - 2].span, right.span)
                deriv = Deriv(_expr(left.unit), glued, "d", span=span)
                self.ctx.note(right.span, f"read `{self.ctx.source(right.span)}` as d·{glued.name}")
                entries[k - 2 : k + 1] = [_Entry(deriv, entries[k - 2].op, span)]
                k -= 1
                continue
            value = self.quotient(_expr(left.unit), _expr(right.unit), "slash", span)
            if isinstance(value, Div) and k + 1 < len(entries) and entries[k + 1].op is None:
                after = _join(span, entries[k + 1].span)
                self.ctx.note(
                    after,
                    f"read `{self.ctx.source(after)}` as `({self.ctx.source(span)}) "
                    f"{self.ctx.source(entries[k + 1].span)}`: `/` takes one factor on each side",
                )
            entries[k - 1 : k + 1] = [_Entry(value, left.op, span)]
        return entries

    def quotient(self, num: Expr, den: Expr, style: str, span: Span) -> Expr:
        """``num / den``, read as a derivative when ∂ is written (or only half-written)."""
        if isinstance(den, Partial):
            if isinstance(num, Partial):
                return Deriv(num.of, den.of, "partial", span=span)
            if isinstance(num, PartialAlone):
                raise self.ctx.error(
                    "what `\\partial/\\partial …` differentiates, as in "
                    "`\\frac{\\partial}{\\partial W} L`",
                    span,
                )
            self.ctx.note(
                span,
                f"read `{_abbrev(self.ctx.source(span))}` as a derivative: "
                "the numerator's ∂ is missing",
            )
            return Deriv(num, den.of, "partial", span=span)
        if isinstance(num, Partial | PartialAlone):
            raise self.ctx.error(
                "`\\partial` before the variable in the denominator, as in "
                "`\\frac{\\partial L}{\\partial W}`",
                span,
            )
        return Div(num, den, style, span=span)

    # -- step 4: prefix operators -----------------------------------------------------------
    def _heads(self, entries: list[_Entry]) -> list[_Entry]:
        k = len(entries) - 1
        while k >= 0:
            entry = entries[k]
            if isinstance(entry.unit, Head):
                body_entries = entries[k + 1 :]
                head = entry.unit
                if not body_entries:
                    what = head.text or self.ctx.source(head.span)
                    raise self.ctx.error(f"an expression after `{what}`", head.span)
                if body_entries[0].op is not None:
                    raise self.ctx.error(
                        f"an expression after `{self.ctx.source(head.span)}`, "
                        f"not `{body_entries[0].op}`",
                        body_entries[0].span,
                    )
                node: Expr
                if head.kind != "sum" and head.style == "nabla":
                    # `\nabla_{z} L\, a^\top` is (∇_z L) aᵀ: ∇ takes the one factor after it
                    first = body_entries[0]
                    assert head.wrt is not None
                    span = _join(entry.span, first.span)
                    node = Deriv(self._products([first]), head.wrt, "nabla", span=span)
                    entries[k : k + 2] = [_Entry(node, entry.op, span)]
                    k -= 1
                    continue
                body = self._products(body_entries)
                span = _join(entry.span, body_entries[-1].span)
                if head.kind == "sum":
                    node = Sum(head.bounds, body, span=span)
                else:
                    assert head.wrt is not None
                    node = Deriv(body, head.wrt, head.style, span=span)
                entries[k:] = [_Entry(node, entry.op, span)]
            k -= 1
        return entries

    # -- step 5: products ------------------------------------------------------------------
    def _products(self, entries: list[_Entry]) -> Expr:
        parts: list[list[_Entry]] = [[]]
        hadamard_op = "odot"
        for entry in entries:
            if entry.op in _HADAMARD_OPS and parts[-1]:
                hadamard_op = hadamard_op if len(parts) > 1 else str(entry.op)
                parts.append([])
            parts[-1].append(entry)
        factors = [self._explicit(part) for part in parts]
        if len(factors) == 1:
            return factors[0]
        return Hadamard(tuple(factors), hadamard_op, span=_span_of(entries))

    def _explicit(self, entries: list[_Entry]) -> Expr:
        chunks: list[tuple[str | None, list[_Entry]]] = []
        for n, entry in enumerate(entries):
            op = entry.op if n > 0 and entry.op not in _HADAMARD_OPS else None
            if op is not None or not chunks:
                chunks.append((op, [entry]))
            else:
                chunks[-1][1].append(entry)
        result = self._juxtaposed(chunks[0][1])
        run: list[Expr] = [result]
        run_op = ""
        for op, chunk in chunks[1:]:
            value = self._juxtaposed(chunk)
            assert op is not None
            if op == "oslash":  # elementwise division: a quotient entry by entry
                left = run[0]
                if len(run) > 1:
                    left = Mul(tuple(run), _written(run_op), span=_span_of(entries))
                result = Div(left, value, "slash", span=_span_of(entries))
                run, run_op = [result], ""
                continue
            if run_op and op != run_op:
                result = Mul(tuple(run), _written(run_op), span=_span_of(entries))
                run = [result]
            run_op = op
            run.append(value)
        if len(run) > 1:
            result = Mul(tuple(run), _written(run_op), span=_span_of(entries))
        return result

    def _juxtaposed(self, entries: list[_Entry]) -> Expr:
        values = [self._check_factor(e) for e in entries]
        values = self._glued_d(entries, values)
        if len(values) == 1:
            return values[0]
        return Mul(tuple(values), "", span=_span_of(entries))

    def _glued_d(self, entries: list[_Entry], values: list[Expr]) -> list[Expr]:
        """``dZ^{[2]}``, ``dW1``: deeplearning.ai's names for gradients, read as one name."""
        out: list[Expr] = []
        k = 0
        while k < len(values):
            v = values[k]
            nxt = values[k + 1] if k + 1 < len(values) else None
            glued = (
                isinstance(v, Sym)
                and v.name == "d"
                and not v.layer
                and not v.accent
                and nxt is not None
                and entries[k].span.end == entries[k + 1].span.start
            )
            base = nxt.operand if isinstance(nxt, Transpose) else nxt
            if glued and isinstance(base, Sym) and base.name in GRADIENT_NAMES:
                named = replace(base, name="d" + base.name)
                joined = Transpose(named, nxt.style) if isinstance(nxt, Transpose) else named
                span = _join(entries[k].span, entries[k + 1].span)
                self.ctx.note(
                    span,
                    f"read `{self.ctx.source(span)}` as the name d{base.name} (the gradient "
                    f"with respect to {base.name}, {GLUE_NOTE})",
                )
                out.append(replace(joined, span=span))
                k += 2
                continue
            out.append(v)
            k += 1
        return out

    def _check_factor(self, entry: _Entry) -> Expr:
        unit = entry.unit
        if isinstance(unit, Head):  # pragma: no cover - heads are folded before products
            raise self.ctx.error("an expression after the operator", entry.span)
        if isinstance(unit, PartialAlone):
            raise self.ctx.error(
                "what `\\partial` differentiates, as in `\\frac{\\partial L}{\\partial W}`",
                entry.span,
            )
        return unit

    # == postfixes ========================================================================
    def posts(self, expr: Expr, posts: tuple[Post, ...], span: Span, group: bool = False) -> Expr:
        """Apply ``_``, ``^``, ``'`` and ``[…]`` in order to ``expr``."""
        previous = ""
        for n, post in enumerate(posts):
            span_so_far = Span(span.start, post.span.end)
            if post.kind == "sub":
                expr = self._sub(expr, post, span_so_far, group, previous == "sub")
            elif post.kind == "sup":
                expr = self._sup(expr, post, span_so_far, posts[n + 1 :])
            elif post.kind == "prime":
                expr = self._prime(expr, span_so_far)
            else:
                expr = self._bracket_index(expr, post, span_so_far)
            previous, group = post.kind, False
        return expr

    def _sub(self, expr: Expr, post: Post, span: Span, group: bool, double: bool) -> Expr:
        assert post.script is not None
        items = post.script.items
        if isinstance(expr, Sym) and not expr.layer and not group and len(items) == 1:
            label = _layer_text(items[0].value)
            general = label == "ell" or bool(re.fullmatch(r"(?:ell|l)[+-]\d", label))
            if general and expr.name in _LAYERED_NAMES:
                return replace(expr, layer=label, span=span)  # `z_ℓ`, `a_{ℓ-1}`: layers
        names = _index_list(items)
        if names is None:
            raise self.ctx.error(
                "a subscript of index letters or a layer number, not "
                f"`{self.ctx.source(post.script.span)}`",
                post.script.span,
            )
        if isinstance(expr, Sym) and not expr.layer and not group and names[0].isdigit():
            expr = replace(expr, layer=names[0], span=span)
            names = names[1:]
            if not names:
                return expr
        if double:
            if isinstance(expr, Indexed):
                names = [*expr.indices, *names]
                expr = expr.base
            result = Indexed(expr, tuple(names), span=span)
            self.ctx.note(span, f"read `{self.ctx.source(span)}` as `{_latex(result)}`")
            return result
        return Indexed(expr, tuple(names), span=span)

    def _sup(self, expr: Expr, post: Post, span: Span, later: tuple[Post, ...]) -> Expr:
        assert post.script is not None
        value = self._single(post.script, "one superscript")
        item = post.script.items[0]
        if _is_transpose(value):
            return Transpose(expr, _transpose_style(value), span=span)
        primes = _prime_count(value)
        if primes:
            for _ in range(primes):
                expr = self._prime(expr, span)
            return expr
        layer = _paren_layer(item)
        if not layer:
            layered = self._layer_then_transpose(post)
            if layered is not None and isinstance(expr, Sym) and not expr.layer:
                label, after = layered
                named = replace(expr, layer=label, span=span)
                if after.isdigit():  # `A^{[1]2}`: (A⁽¹⁾)², noted since it could be read otherwise
                    self.ctx.note(
                        span,
                        f"read `{self.ctx.source(span)}` as layer {label}'s {expr.name} to the "
                        f"power {after}",
                    )
                    return Pow(named, Num(after), span=span)
                # `A^{[1]T}`, `W^{(2)T}`: layer 1, transposed
                return Transpose(named, "T", span=span)
        if isinstance(expr, Sym) and not expr.layer and layer:
            return replace(expr, layer=layer, span=span)
        base = expr.base if isinstance(expr, Indexed) else None
        if isinstance(expr, Indexed) and isinstance(base, Sym) and layer and not base.layer:
            # `\delta_i^{(l)}`: the layer label belongs to the symbol, not the entry
            return Indexed(replace(base, layer=layer), expr.indices, span=span)
        if isinstance(expr, Sym) and not expr.layer:
            digits = isinstance(value, Num) and value.text.isdigit()
            indexed_next = bool(later) and later[0].kind == "sub"
            if digits and indexed_next and expr.name[:1].isupper() and isinstance(value, Num):
                self.ctx.note(
                    span,
                    f"read `{self.ctx.source(span)}` as the layer label "
                    f"`{expr.name}^{{({value.text})}}`, not a power",
                )
                return replace(expr, layer=value.text, span=span)
        grouped = self.ctx.source(Span(span.start, post.span.start)).rstrip().endswith(")")
        nielsen = None if grouped else self._nielsen_layer(expr, post)  # `(a)^l` is a power
        if nielsen is not None:
            return nielsen
        return Pow(expr, value, span=span)

    def _nielsen_layer(self, expr: Expr, post: Post) -> Expr | None:
        """``a^l``, ``w^{l+1}``, ``\\delta^L_j``: Nielsen's layer superscripts on a layer's
        quantities, read as layer labels (a power by l, or L, of an activation is not a
        thing people write)."""
        assert post.script is not None
        text = self.ctx.source(post.script.span).strip("{} ").replace("\\ell", "ell")
        m = _NIELSEN_LAYER.fullmatch(text)
        if m is None and text.isdigit() and LAYER_SUPERSCRIPTS.get():
            m = re.fullmatch(r"\d", text)  # `a^3` in a document that writes `a^l`: layer 3
        base = expr.base if isinstance(expr, Indexed) else expr
        if m is None or not isinstance(base, Sym) or base.layer or base.name not in _LAYERED:
            return None
        label = text.replace(" ", "")
        self.ctx.note(post.span, f"read `^{text}` as the layer label {label}, not a power")
        named = replace(base, layer=label)
        return Indexed(named, expr.indices, span=expr.span) if isinstance(expr, Indexed) else named

    def _layer_then_transpose(self, post: Post) -> tuple[str, str] | None:
        """A superscript ``(l)T``/``[l]T`` or ``[l]2``: the layer label and what follows it."""
        assert post.script is not None
        text = self.ctx.source(post.script.span).strip("{} ")
        m = _LAYER_THEN_T.fullmatch(text)
        return (m.group(1).replace(" ", "").replace("\\ell", "ell"), m.group(2)) if m else None

    def _prime(self, expr: Expr, span: Span) -> Expr:
        if isinstance(expr, Call) and not expr.args:
            return replace(expr, prime=expr.prime + 1, span=span)
        self.ctx.note(
            span, f"read `{self.ctx.source(span)}` as the transpose `{_latex(Transpose(expr))}`"
        )
        return Transpose(expr, "prime", span=span)

    def _bracket_index(self, expr: Expr, post: Post, span: Span) -> Expr:
        assert post.script is not None
        names = _index_list(post.script.items) or []
        result = Indexed(expr, tuple(names), span=span)
        self.ctx.note(span, f"read `{self.ctx.source(span)}` as the entry `{_latex(result)}`")
        return result

    def _single(self, script: Script, what: str) -> Expr:
        if len(script.items) != 1:
            raise self.ctx.error(f"{what}, not a list", script.span)
        return script.items[0].value

    # == groups ===========================================================================
    def group_value(self, group: GroupAtom) -> Expr:
        """A group's meaning: its one item, or a vector of its items."""
        items = group.items
        dots = [it for it in items if isinstance(it.value, Marker) and it.value.kind == "ellipsis"]
        if len(items) == 1 and group.kind == "bracket" and isinstance(items[0].value, Relation):
            # Iverson's bracket: [z > 0] is 1 where the condition holds, else 0. After a
            # written 1 (`\mathbb{1}[…]`) it is the indicator's own bracket: nothing to note.
            before = self.ctx.text[: group.span.start - self.ctx.base].rstrip()
            if not before.endswith(("1", "1}", "𝟙")):
                self.ctx.note(
                    group.span,
                    f"read `{self.ctx.source(group.span)}` as an Iverson bracket "
                    "(1 where the condition holds, 0 elsewhere)",
                )
            return Indicator(items[0].value, span=group.span)
        value = items[0].value if len(items) == 1 else None
        if group.kind == "paren" and isinstance(value, Relation) and value.op in _INEQUALITIES:
            # `(z1 > 0)` in code-style notes: NumPy's boolean mask, 1 where it holds
            self.ctx.note(
                group.span,
                f"read `{self.ctx.source(group.span)}` as a 0/1 mask (1 where the condition "
                "holds, as NumPy's boolean arrays multiply)",
            )
            return Indicator(value, span=group.span)
        if len(items) == 1 and not dots:
            return items[0].value
        values = tuple(it.value for it in items if it not in dots)
        if any(isinstance(v, Relation) for v in values) or not values:
            raise self.ctx.error("a list of expressions in the brackets", group.span)
        return Vector(values, bool(dots), span=group.span)


# == helpers =============================================================================
def _expr(unit: Unit) -> Expr:
    if isinstance(unit, Head):  # pragma: no cover - guarded by callers
        raise TypeError("a prefix operator is not a value")
    return unit


def _span_of(entries: list[_Entry]) -> Span:
    return _join(entries[0].span, entries[-1].span)


def _abbrev(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _call_style(atom: NameAtom) -> str:
    return atom.style


def _glued_wrt(unit: object) -> Sym | None:
    """``dyhat`` read as one word: the ``yhat`` it differentiates with respect to."""
    if isinstance(unit, Sym) and len(unit.name) > 2 and unit.name[0] == "d" and not unit.accent:
        return replace(unit, name=unit.name[1:])
    return None


_NIELSEN_LAYER = re.compile(r"(?:l|L|ell|k)(?:\s*[+-]\s*1)?")
_LAYERED = frozenset({"a", "z", "w", "W", "b", "h", "delta", "A", "Z", "H", "Delta"})
"""Names that stand for a layer's quantities, whose superscript l is a layer label."""


def _written(op: str) -> str:
    """A product's operator in the tree: NumPy's `@` is the matrix product that
    juxtaposition writes (``""``)."""
    return "" if op == "matmul" else op


def _numeric_power(raw: RawFactor) -> Num | None:
    """The number n of a single superscript ``^{n}`` on a factor, if that is all it carries."""
    posts = raw.posts
    if len(posts) != 1 or posts[0].kind != "sup" or posts[0].script is None:
        return None
    items = posts[0].script.items
    return items[0].value if len(items) == 1 and isinstance(items[0].value, Num) else None


def _index_name(expr: Expr) -> str:
    """``l`` for a bare symbol usable as an index (``c′`` for ``c'``), else ``""``."""
    if isinstance(expr, Sym) and not expr.accent and not expr.layer:
        return expr.name
    if isinstance(expr, Transpose) and expr.style == "prime":
        # `S_{ic'}`, `\sum_{c'=1}^{k}`: a primed letter is another index, not a transpose.
        inner = _index_name(expr.operand)
        return inner + "′" if inner and len(inner) == 1 else ""
    return ""


def _index_list(items: tuple[Item, ...]) -> list[str] | None:
    """``{3_{mn}}``, ``{3,mn}``, ``{mn}``, ``{i,j}`` → ``["3", "m", "n"]``; ``None`` if not."""
    names: list[str] = []
    for item in items:
        value = item.value
        if isinstance(value, Indexed) and isinstance(value.base, Num):
            if not value.base.text.isdigit():
                return None
            names.append(value.base.text)
            names.extend(value.indices)
            continue
        factors = value.factors if isinstance(value, Mul) and not value.op else (value,)
        for factor in factors:
            if isinstance(factor, Num) and factor.text.isdigit():
                names.append(factor.text)
            elif _index_name(factor):
                names.append(_index_name(factor))
            else:
                return None
    return names or None


def _layer_word(expr: Expr) -> str:
    """A function's layer label from its subscript: ``f_3``, ``g_l``."""
    if isinstance(expr, Num) and expr.text.isdigit():
        return expr.text
    return _index_name(expr)


def _layer_text(expr: Expr) -> str:
    """``3``, ``l``, ``l+1``, ``l-1`` as a layer label; ``""`` when ``expr`` is not one."""
    if isinstance(expr, Num) and expr.text.isdigit():
        return expr.text
    if _index_name(expr):
        return _index_name(expr)
    if isinstance(expr, Add) and len(expr.terms) == 2:
        first, second = expr.terms
        sign = "+"
        if isinstance(second, Neg):
            sign, second = "-", second.operand
        a, b = _layer_text(first), _layer_text(second)
        if a and b and "+" not in a + b and "-" not in a + b:
            return f"{a}{sign}{b}"
    return ""


def _paren_layer(item: Item) -> str:
    """``^{(3)}``, ``^{(l)}``, ``^{(l-1)}`` → the layer label; ``""`` otherwise."""
    raw = item.single
    if raw is None or raw.posts or not isinstance(raw.atom, GroupAtom):
        return ""
    if raw.atom.kind not in ("paren", "bracket") or len(raw.atom.items) != 1:
        return ""  # ^{(3)} and deeplearning.ai's ^{[3]} name layer 3
    return _layer_text(raw.atom.items[0].value)


def _is_transpose(value: Expr) -> bool:
    if isinstance(value, Marker) and value.kind == "top":
        return True
    return isinstance(value, Sym) and value.name == "T" and not value.accent and not value.layer


def _transpose_style(value: Expr) -> str:
    return "T" if isinstance(value, Sym) else "top"


def _prime_count(value: Expr) -> int:
    if isinstance(value, Marker) and value.kind == "prime":
        return 1
    if isinstance(value, Mul) and not value.op and all(_prime_count(f) for f in value.factors):
        return len(value.factors)
    return 0


def _relation_group(raw: RawFactor) -> Relation | None:
    atom = raw.atom
    if not isinstance(atom, GroupAtom) or atom.kind not in ("set", "bracket", "paren"):
        return None
    if len(atom.items) == 1 and isinstance(atom.items[0].value, Relation):
        return atom.items[0].value
    return None
