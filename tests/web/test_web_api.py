"""The JSON API as a client meets it: same answers as the CLI, sizes, errors as sentences."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from chainrule.cli import main
from chainrule.web.app import validation_sentence
from chainrule.web.limits import MAX_BODY

if TYPE_CHECKING:  # imported for real (with a warning silenced) in conftest.py
    from starlette.testclient import TestClient

EXAMPLES = resources.files("chainrule") / "examples"
KIND = {".tex": "tex", ".txt": "txt", ".md": "md", ".ipynb": "ipynb"}


def cli_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    capsys.readouterr()
    main(list(argv))
    out: dict[str, Any] = json.loads(capsys.readouterr().out)
    return out


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.iterdir()))
def test_check_answers_exactly_what_the_cli_prints(
    client: TestClient, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    path = Path(str(EXAMPLES / name))
    expected = cli_json(capsys, "check", str(path), "--format", "json")
    got = client.post("/api/check", json={"text": path.read_text(), "kind": KIND[path.suffix]})
    assert got.status_code == 200
    assert got.json() == expected
    # Without `kind` the text is sniffed; the verdicts must not change.
    sniffed = client.post("/api/check", json={"text": path.read_text()}).json()
    assert [s["verdict"] for s in sniffed["steps"]] == [s["verdict"] for s in expected["steps"]]


def test_no_text_checks_the_bundled_seed(
    client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    got = client.post("/api/check", json={}).json()
    assert got == cli_json(capsys, "check", "--format", "json")
    assert [s["verdict"] for s in got["steps"]] == [
        "incorrect",
        "correct",
        "correct",
        "incorrect",
        "incorrect",
        "incorrect",
    ]
    assert got["first_error_line"] == 22


def test_derive_answers_exactly_what_the_cli_prints(
    client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = cli_json(capsys, "derive", "--preset", "seed", "--wrt", "W3,W1", "--format", "json")
    got = client.post("/api/derive", json={"preset": "seed", "wrt": ["W3", "W1"]})
    assert got.status_code == 200
    assert got.json() == expected
    assert got.json()["verified"] is True


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        # (request body, status, words the sentence must contain)
        ({"text": "Nothing to check here.\n"}, 422, "found no network"),
        ({"text": "   "}, 422, "The derivation is empty"),
        ({"model": "yhat = softmax(W2 sigmoid(W1 x"}, 422, "line 1"),
    ],
)
def test_user_errors_are_422_with_a_sentence(
    client: TestClient, body: dict[str, str], status: int, words: str
) -> None:
    r = client.post("/api/check", json=body)
    assert r.status_code == status
    assert words in r.json()["detail"]


def test_derive_errors_are_422_with_a_sentence(client: TestClient) -> None:
    r = client.post("/api/derive", json={"preset": "nope"})
    assert r.status_code == 422
    assert "no preset named `nope`" in r.json()["detail"]
    r = client.post("/api/derive", json={"preset": "seed", "loss": "mse"})
    assert r.json()["detail"] == "`loss` goes with `model`; a preset has its own loss."


def test_one_line_text_is_never_opened_as_a_file(client: TestClient, tmp_path: Path) -> None:
    secret = tmp_path / "answer.tex"
    secret.write_text(Path(str(EXAMPLES / "seed-correct-index-form.tex")).read_text())
    r = client.post("/api/check", json={"text": str(secret)})
    assert r.status_code == 422  # read as the one-line text it is: no derivation in it
    assert r.json()["detail"].startswith("found no")


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        # (body as sent, words the 422 sentence must contain)
        (b"{bad", "not valid JSON"),
        (b"[1, 2]", "must be a JSON object"),
        (b'{"text": 3}', "The field `text` is wrong: Input should be a valid string."),
        (b'{"loss": "hinge"}', "The field `loss` is wrong"),
        (b'{"txt": "x"}', "There is no field `txt`"),
        (b'{"defines": "a = b"}', "The field `defines` is wrong"),
    ],
)
def test_bad_json_is_422_with_a_sentence(client: TestClient, raw: bytes, words: str) -> None:
    r = client.post("/api/check", content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert words in r.json()["detail"]
    assert r.json()["detail"].endswith(".")


def test_bodies_over_256_kb_get_413(client: TestClient) -> None:
    big = json.dumps({"text": "x" * MAX_BODY})
    r = client.post("/api/check", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert r.json()["detail"].startswith("The request body is larger than 256 KB;")
    # A chunked upload has no Content-Length to trust: the bytes are counted as they come.
    chunks = (b"x" * 65536 for _ in range(5))
    r = client.post("/api/check", content=chunks, headers={"content-type": "application/json"})
    assert r.status_code == 413
    # Just under the limit is read (and then judged on its merits).
    ok = json.dumps({"text": "y" * (MAX_BODY - 100)})
    assert (
        client.post(
            "/api/check", content=ok, headers={"content-type": "application/json"}
        ).status_code
        == 422
    )


def test_docs_work_offline_and_openapi_is_served(client: TestClient) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "POST /api/check" in docs.text and "POST /api/derive" in docs.text
    assert "<script" not in docs.text and "cdn" not in docs.text.lower()
    spec = client.get("/openapi.json").json()
    assert set(spec["paths"]) == {"/api/check", "/api/derive"}


@pytest.mark.parametrize(
    ("errors", "sentence"),
    [
        (
            [{"type": "missing", "loc": ("body", "text"), "msg": "Field required"}],
            "The field `text` is required.",
        ),
        (
            [{"type": "model_attributes_type", "loc": ("body",), "msg": "x"}],
            'The request body must be a JSON object, such as {"text": "..."}.',
        ),
        ([], "The request body cannot be used."),
    ],
)
def test_validation_sentences(errors: list[dict[str, object]], sentence: str) -> None:
    assert validation_sentence(errors) == sentence
