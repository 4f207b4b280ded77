"""Reading: a person's document (.tex, .txt, .md, .ipynb) → claims with positions.

Owns finding math regions, parsing expressions into the tree of ``reader.ast``, splitting
rows into chains (``reader.claims``), prose definitions and assumptions, the notes that
state every tolerant reading, and printing trees back to LaTeX. Never imports SymPy.
"""
