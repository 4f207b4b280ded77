"""Evaluation: an author's expression → numbers, on one random instance of the model.

Owns the meaning of every construct as arithmetic on :class:`~chainrule.evaluate.tensor.Tensor`
values with named index axes: sums reduce axes, juxtaposition is a matrix or scalar product by
shape, derivatives are taken by complex step through the model graph (never by a rule). Index
ranges are checked as they are used, so ``ŷ_n`` with n a column of W₃ is an error the user sees.
"""
