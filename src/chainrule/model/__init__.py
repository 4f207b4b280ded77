"""(stage docstring to be written)."""
