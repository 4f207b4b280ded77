"""End to end in a real headless Chromium: `chainrule serve`, paste the seed, click Check.

Needs Debian's chromium (/usr/bin/chromium) and Playwright for Python; both come from
tests/web/install_browser.sh. Without them the test is skipped, saying so. A screenshot of
the checked page is saved to test-artifacts/.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """``chainrule serve --port 0`` as a user starts it; yields its base URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "chainrule", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("chainrule serve: http://127.0.0.1:"), line
        yield line.split()[2].rstrip("/")
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        if proc.stdout is not None:
            proc.stdout.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing; run tests/web/install_browser.sh")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright is not installed; run tests/web/install_browser.sh")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


def test_paste_the_seed_click_check_and_see_six_verdicts(server: str, browser: object) -> None:
    from chainrule.checker import seed_text

    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page.goto(server + "/")
    assert page.locator("#report li.step").count() == 6  # checked on first load
    page.fill("#text", "")
    page.fill("#text", seed_text())
    with page.expect_navigation():
        page.click("button[type=submit]")
    marks = page.locator("#report li.step .mark")
    assert marks.all_inner_texts() == ["✗", "✓", "✓", "✗", "✗", "✗"]
    assert page.locator("#summary").inner_text() == (
        "2 correct, 4 incorrect; the first error is on line 22."
    )
    # Chromium lays the MathML out natively: math boxes with real size, not raw text.
    first = page.locator("#report li.step .math math").first
    assert first.evaluate("m => getComputedStyle(m).display") in ("inline math", "math")
    box = first.bounding_box()
    assert box is not None and box["width"] > 40 and box["height"] > 20  # a fraction's height
    assert page.locator("#report math").count() > 10
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "web-check.png"), full_page=True)
    page.close()


def test_readable_on_a_phone(server: str, browser: object) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    page.goto(server + "/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "web-check-phone.png"))
    page.close()
