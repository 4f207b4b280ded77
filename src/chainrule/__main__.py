"""``python -m chainrule``."""

from chainrule.cli import entry

entry()
