"""How well chainrule's expression reader does against SymPy's LaTeX parsers, on our corpus.

Run: ``python bench/parse_compare.py`` (needs sympy, antlr4-python3-runtime==4.11 for
SymPy's ANTLR backend, and latex2sympy2_extended; a missing peer is reported as such).

For each parser and every readable row of ``tests/reader/data/expressions.py`` it records
whether the reading is *correct* and the median time per expression (warm, best of runs).

How "correct" is judged:
* chainrule: the tree printed by ``to_latex`` equals the row's hand-checked expectation.
* the SymPy-based peers, which return SymPy expressions rather than our tree: the row's
  expected tree is reduced to the features this field needs, and each must survive in the
  peer's result (a hand-made mapping of which constructs a SymPy expression can keep):
    - parsed at all (no exception);
    - a derivative (``Deriv``) → the result holds a ``Derivative``;
    - a sum (``Sum``) → a ``Sum``;
    - a transpose (``^T``, ``^\\top``) → a ``Transpose`` node, not a power with exponent T;
    - an accent (``\\hat{y}``) → a symbol whose name still carries ``hat``;
    - indices and layer labels (``W_{3_{mn}}``, ``a_{2_p}``) → every label and index letter
      appears in the name of one symbol (or an ``Indexed``), so ``W_{3_{mn}}`` is not ``W``;
    - a call of σ, g, f, log, exp, softmax → an applied function, not a product;
    - Hadamard products, norms, indicators, written-out vectors → a node of that meaning
      (``HadamardProduct``, ``Abs``/``Norm``, ``KroneckerDelta``/``Piecewise``, a tuple).
  A reading that keeps all of them counts as correct; numbers, signs and products are not
  checked, so this is a generous upper bound for the peers.
"""

from __future__ import annotations

import importlib.util
import signal
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

from chainrule.reader.ast import (
    Call,
    Deriv,
    Expr,
    Hadamard,
    Indexed,
    Indicator,
    Norm,
    Sum,
    Sym,
    Transpose,
    Vector,
    walk,
)
from chainrule.reader.parse import parse_math
from chainrule.reader.printer import to_latex

ROOT = Path(__file__).resolve().parent.parent
RUNS = 3
TIMEOUT_S = 2


def load_corpus() -> list[tuple[str, str, str, str | None, int]]:
    spec = importlib.util.spec_from_file_location(
        "expressions", ROOT / "tests" / "reader" / "data" / "expressions.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rows: list[tuple[str, str, str, str | None, int]] = module.CORPUS
    return rows


# -- features a reading must keep ----------------------------------------------------------
def features(tree: Expr) -> set[str]:
    """What of ``tree`` a correct reading must preserve (see the module docstring)."""
    out: set[str] = set()
    for node in walk(tree):
        match node:
            case Deriv():
                out.add("derivative")
            case Sum():
                out.add("sum")
            case Transpose():
                out.add("transpose")
            case Hadamard():
                out.add("hadamard")
            case Norm():
                out.add("norm")
            case Indicator():
                out.add("indicator")
            case Vector():
                out.add("vector")
            case Call(func=f) if f in ("sigma", "g", "f", "log", "exp", "softmax", "phi"):
                out.add(f"call:{f}")
            case Sym(accent=a, layer=layer) if a or layer:
                if a:
                    out.add("accent")
                if layer:
                    out.add(f"label:{node.name}:{layer}")
            case Indexed(base=Sym(name=name, layer=layer), indices=idx):
                out.add(f"label:{name}:{layer}{''.join(idx)}")
    return out


def sympy_keeps(result: Any, wanted: set[str]) -> bool:
    """Whether a SymPy expression keeps every feature in ``wanted``."""
    import sympy

    text = sympy.srepr(result)
    names = [str(s) for s in getattr(result, "free_symbols", set())]
    for feature in wanted:
        kind, _, rest = feature.partition(":")
        if kind == "derivative" and "Derivative" not in text:
            return False
        if kind == "sum" and "Sum(" not in text:
            return False
        if kind == "transpose" and "Transpose" not in text:
            return False
        if kind == "hadamard" and "HadamardProduct" not in text:
            return False
        if kind == "norm" and not ("Abs(" in text or "Norm" in text):
            return False
        if kind == "indicator" and not ("KroneckerDelta" in text or "Piecewise" in text):
            return False
        if kind == "vector" and not ("Tuple" in text or "Matrix" in text):
            return False
        if kind == "accent" and not any("hat" in n or "bar" in n for n in names):
            return False
        if kind == "call":
            fname = {"sigma": "sigma", "phi": "phi"}.get(rest, rest)
            if f"Function('{fname}')" not in text and f"{fname}(" not in text:
                return False
        if kind == "label":
            base, _, letters = rest.partition(":")
            kept = any(n.startswith(base) and all(c in n for c in letters) for n in names)
            if not kept and "Indexed" not in text:
                return False
    return True


# -- parsers ---------------------------------------------------------------------------------
def _alarm(_signum: int, _frame: FrameType | None) -> None:
    raise TimeoutError


def peers() -> dict[str, Callable[[str], Any] | str]:
    """Each peer's parse function, or the reason it is unavailable."""
    found: dict[str, Callable[[str], Any] | str] = {}
    try:
        from sympy.parsing.latex import parse_latex

        try:
            parse_latex("x", backend="antlr")
            found["sympy parse_latex (antlr)"] = lambda s: parse_latex(s, backend="antlr")
        except ImportError as exc:
            found["sympy parse_latex (antlr)"] = f"unavailable: {exc}"
        found["sympy parse_latex (lark)"] = lambda s: parse_latex(s, backend="lark")
    except ImportError as exc:  # pragma: no cover - sympy is a test dependency
        found["sympy parse_latex"] = f"unavailable: {exc}"
    try:
        from latex2sympy2_extended import latex2sympy

        found["latex2sympy2_extended"] = latex2sympy
    except ImportError as exc:
        found["latex2sympy2_extended"] = f"unavailable: {exc}"
    return found


def timed(parse: Callable[[Any], Any], source: Any) -> tuple[Any, float]:
    """``(result or the exception, best seconds)`` over ``RUNS`` warm runs."""
    best, result = float("inf"), None
    for _ in range(RUNS):
        signal.alarm(TIMEOUT_S)
        start = time.perf_counter()
        try:
            result = parse(source)
        except Exception as exc:  # a peer's failure is a data point
            result = exc
        finally:
            signal.alarm(0)
        best = min(best, time.perf_counter() - start)
    return result, best


def main() -> None:
    signal.signal(signal.SIGALRM, _alarm)
    rows = [row for row in load_corpus() if row[3] is not None]
    expected = {source: parse_math(source).expr for _, _, source, _, _ in rows}
    table: list[tuple[str, ...]] = []

    ours_ok = ours_ok_latex = 0
    ours_times: list[float] = []
    for style, _, source, want, _ in rows:
        result, seconds = timed(parse_math, source)
        good = to_latex(result.expr) == want
        ours_ok += good
        ours_ok_latex += good and style != "unicode"
        ours_times.append(seconds)
    latex_rows = [r for r in rows if r[0] != "unicode"]
    table.append(_row("chainrule", ours_ok, len(rows), ours_ok_latex, len(latex_rows), ours_times))
    if ours_ok != len(rows):
        print(f"note: chainrule differs from the corpus on {len(rows) - ours_ok} rows")
    table.append(_earley_row(rows))

    for name, parse in peers().items():
        if isinstance(parse, str):
            table.append((name, parse, "", "", ""))
            continue
        ok = ok_latex = 0
        times: list[float] = []
        for style, _, source, _, _ in rows:
            result, seconds = timed(parse, source)
            times.append(seconds)
            good = not isinstance(result, BaseException) and sympy_keeps(
                result, features(expected[source])
            )
            ok += good
            ok_latex += good and style != "unicode"
        table.append(_row(name, ok, len(rows), ok_latex, len(latex_rows), times))

    header = ("parser", "correct (all)", "correct (LaTeX rows)", "median / expr", "p90 / expr")
    widths = [max(len(str(r[i])) for r in [header, *table]) for i in range(5)]
    for line in [header, tuple("-" * w for w in widths), *table]:
        print("  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)))
    print(
        f"\n{len(rows)} readable corpus rows ({len(latex_rows)} in LaTeX, "
        f"{len(rows) - len(latex_rows)} Unicode); errors rows excluded. Correctness for the "
        "SymPy peers is the feature check described in this file's docstring."
    )


def _earley_row(rows: list[tuple[str, str, str, str | None, int]]) -> tuple[str, ...]:
    """Our grammar under Lark's Earley parser instead of LALR: syntax only, timing only."""
    from lark import Lark

    from chainrule.reader.lexer import tokenize
    from chainrule.reader.parse import _Feed

    grammar = (ROOT / "src" / "chainrule" / "reader" / "grammar.lark").read_text()
    earley = Lark(grammar, parser="earley", lexer=_Feed, maybe_placeholders=True)
    times = [timed(earley.parse, tokenize(source).tokens)[1] for _, _, source, _, _ in rows]
    name, _, _, median, p90 = _row("same grammar, Lark Earley", 0, 1, 0, 1, times)
    return (name, "(syntax only)", "(syntax only)", median, p90)


def _row(
    name: str, ok: int, total: int, ok_latex: int, total_latex: int, times: list[float]
) -> tuple[str, str, str, str, str]:
    times = sorted(times)
    p90 = times[int(0.9 * (len(times) - 1))]
    return (
        name,
        f"{ok}/{total} ({100 * ok / total:.0f}%)",
        f"{ok_latex}/{total_latex} ({100 * ok_latex / total_latex:.0f}%)",
        f"{statistics.median(times) * 1e3:.3f} ms",
        f"{p90 * 1e3:.3f} ms",
    )


if __name__ == "__main__":
    main()
