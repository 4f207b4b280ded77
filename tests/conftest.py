"""Test-suite settings: Hypothesis runs the same examples every time.

Property tests here are about chainrule's behaviour, not a search for new inputs on each CI
run: a derandomized profile without an example database keeps every run identical, so a
green CI means the same thing each time. Set HYPOTHESIS_PROFILE=explore to search afresh.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("repeatable", derandomize=True, database=None, deadline=None)
settings.register_profile("explore", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))
