"""Einstein's convention written out: which indices a product's repetition sums, and where."""

from __future__ import annotations

from chainrule.bind.einstein import free_indices, with_implicit_sums
from chainrule.reader.ast import Expr, Indexed, Mul, Sum, Sym
from chainrule.reader.parse import parse_math as parse_side
from chainrule.reader.read import read_document


def parse_math(text: str) -> Expr:
    return parse_side(text).expr


def test_a_repeated_index_is_summed_over_the_smallest_product_holding_it() -> None:
    expr = with_implicit_sums(parse_math(r"a_j (b_k c_{kj})"), frozenset({"j"}))
    assert isinstance(expr, Mul)
    inner = expr.factors[1]
    assert isinstance(inner, Sum) and [b.index for b in inner.bounds] == ["k"]
    assert free_indices(expr) == {"j"}


def test_kept_and_already_bound_indices_are_left_alone() -> None:
    kept = parse_math(r"h_j (1 - h_j) x_i")
    assert with_implicit_sums(kept, frozenset({"i", "j"})) is kept
    bound = parse_math(r"\sum_k a_k b_k")
    assert with_implicit_sums(bound, frozenset()) is bound
    once = parse_math(r"a_k + b_k")  # a sum's terms each carry k once: nothing to sum
    assert with_implicit_sums(once, frozenset()) is once


def test_every_index_two_factors_share_is_summed() -> None:
    expr = with_implicit_sums(parse_math(r"u_k W_{kj} h_j"), frozenset())
    assert isinstance(expr, Sum) and sorted(b.index for b in expr.bounds) == ["j", "k"]
    assert free_indices(expr) == set()
    assert free_indices(Indexed(Sym("W"), ("k", "2"))) == {"k"}


def declares_summation(text: str) -> bool:
    return any(a.kind == "summation" for a in read_document(text, kind="md").assumptions)


def test_the_convention_is_recognised_in_words() -> None:
    assert declares_summation("We use the Einstein summation convention throughout.")
    assert declares_summation("Repeated indices are summed.")
    assert declares_summation("Usamos la convención de suma de Einstein.")
    assert not declares_summation("We sum over the batch.")
    assert not declares_summation("$$\\text{Einstein notation} = 1$$")  # only words declare it
