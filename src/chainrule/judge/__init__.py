"""Judging: a verdict for every right-hand side, the first error, and the repairs.

Owns comparing each right-hand side with the true value of its chain's left-hand side over
all free indices and several random instances (``judge.verdicts``), telling a line that
introduces an error from one that carries it, and the bounded search for the smallest edit
that makes a wrong line right (``judge.repair``), plus the expected expression and the next
layers in the author's notation (``judge.expected``).
"""
