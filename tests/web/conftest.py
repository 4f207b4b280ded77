"""One app (and one pool of warm workers) shared by the web tests."""

from __future__ import annotations

import warnings
from collections.abc import Iterator

import pytest

from chainrule.web.app import create_app

with warnings.catch_warnings():
    # Starlette 1.x warns that its test client will move from httpx to httpx2; httpx is what
    # the `test` extra installs, and it works.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient


@pytest.fixture(scope="session")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(time_limit=20.0, workers=2)) as c:
        yield c
