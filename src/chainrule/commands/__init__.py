"""Sub-commands of the ``chainrule`` CLI: each module has ``add_arguments`` and ``run``.

Modules here stay light to import (argument declarations only); the work is imported
inside ``run``.
"""
