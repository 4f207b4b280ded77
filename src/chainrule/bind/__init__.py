"""Binding: every symbol of a derivation tied to a model quantity, a constant or an index.

Owns the model the document is about (from options or from its problem statement), the
author's definitions (matched to model nodes by value), the conventions used for what the
text leaves undefined (each reported as an assumption), index meanings (the label index)
and dimension symbols. Evaluation reads a :class:`~chainrule.bind.binding.Binding`.
"""
