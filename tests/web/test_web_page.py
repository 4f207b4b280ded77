"""The page without a browser: the seed shown and checked at once, the form, the escaping."""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING

import anyio
import pytest

from chainrule.checker import seed_text
from chainrule.cli import build_parser, main
from chainrule.derive import derive
from chainrule.model.spec import preset
from chainrule.web.render import derivation_html
from chainrule.web.worker import Workers, run_outcome

if TYPE_CHECKING:
    from starlette.testclient import TestClient


def marks(html: str) -> list[str]:
    return re.findall(r"<li class='step (\w+)'", html)


def test_first_load_shows_the_seed_already_checked(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "Check a hand-written backpropagation derivation" in page.text
    assert "\\hat{y} = f(x) = g(W_3\\sigma(W_2\\sigma(W_1x)))" in page.text  # pre-filled
    assert marks(page.text) == [
        "incorrect",
        "correct",
        "correct",
        "incorrect",
        "incorrect",
        "incorrect",
    ]
    assert "2 correct, 4 incorrect; the first error is on line 22." in page.text
    assert page.text.count("<math") > 10  # MathML made on the server
    assert re.search(r"(src|href)=['\"]?(https?:)?//", page.text) is None  # nothing remote


def test_the_form_checks_what_was_pasted(client: TestClient) -> None:
    text = seed_text().replace("\n", "\r\n")  # what a browser sends from a textarea
    page = client.post("/", data={"text": text, "model": "", "loss": ""})
    assert page.status_code == 200
    assert len(marks(page.text)) == 6


def test_the_form_shows_user_errors_and_escapes_the_text(client: TestClient) -> None:
    page = client.post("/", data={"text": "<b>no math</b>", "model": "", "loss": "mse"})
    assert page.status_code == 422
    assert "role='alert'" in page.text
    assert "&lt;b&gt;no math&lt;/b&gt;" in page.text and "<b>no math" not in page.text
    assert "<option value='mse' selected>" in page.text


def test_derive_page_renders_every_formula_verified(client: TestClient) -> None:
    page = client.get("/derive", params={"model": "yhat = sigmoid(W1 x + b1)", "loss": "bce"})
    assert page.status_code == 200
    assert "class='formula correct'" in page.text and "formula incorrect" not in page.text
    bad = client.get("/derive", params={"preset": "nope"})
    assert bad.status_code == 422 and "no preset named" in bad.text


def test_derivation_html_has_one_mark_per_formula() -> None:
    d = derive(preset("seed"), wrt=["W3"])
    html = derivation_html(d)
    assert html.count("<li class='formula correct'>") == len(d.formulas)
    assert html.count("<math") >= len(d.formulas)


def test_serve_binds_loopback_by_default_and_refuses_a_busy_port() -> None:
    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port) == ("127.0.0.1", 8000)
    from chainrule.commands.serve import bind

    sock = bind("127.0.0.1", 0)
    try:
        port = sock.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 2
    finally:
        sock.close()
    assert main(["serve", "--port", "70000"]) == 2


def test_a_stuck_job_is_killed_and_others_are_not_held_up() -> None:
    pool = Workers(2)
    try:

        async def both() -> tuple[str, float]:
            async with anyio.create_task_group() as tg:
                slow: list[str] = []

                async def stuck() -> None:
                    slow.append((await pool.run(time.sleep, 30, timeout=1.0)).status)

                tg.start_soon(stuck)
                started = time.monotonic()
                quick = await pool.run(len, "abc", timeout=5.0)
                took = time.monotonic() - started
            assert quick.value == 3
            return slow[0], took

        status, took = anyio.run(both)
        assert status == "timeout"
        assert took < 1.0 + 3.0  # the quick job did not wait for the stuck one
        assert pool.run_blocking(len, ("ab",), 5.0).value == 2  # the pool still has 2 workers
    finally:
        pool.close()


@pytest.mark.parametrize(
    ("job", "args", "status"),
    [
        # (job, its arguments, how it ends)
        (len, ("abc",), "ok"),
        (int, ("x",), "bug"),
    ],
)
def test_outcomes(job: object, args: tuple[object, ...], status: str) -> None:
    assert run_outcome(job, args).status == status  # type: ignore[arg-type]
