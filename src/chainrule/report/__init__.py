"""Reporting: a check's results as terminal text (Rich), JSON, Markdown and HTML.

Owns the :class:`~chainrule.report.report.Report` (frozen; the JSON contract documented in
the README) and one renderer per output. Reports render themselves: ``to_json()``,
``to_markdown()``, ``to_html()``, ``__rich__`` and Jupyter's ``_repr_html_``.
"""
