"""The ASGI app behind ``chainrule serve``: the page, the JSON API, and offline API docs.

Routes: ``GET /`` (the seed, pre-filled and already checked), ``POST /`` (the page's form),
``GET /derive`` (a network's whole derivation), ``POST /api/check`` and ``POST /api/derive``
(the JSON contracts of ``chainrule check --format json`` and ``chainrule derive --format
json``), ``GET /docs`` and ``GET /openapi.json``.

Limits: request bodies over 256 KB get 413 (:mod:`.limits`); every check or derivation runs
in its own worker process under a time bound (:mod:`.worker`), so a slow one never holds up
the others; user text is read as text and never evaluated.
"""

from __future__ import annotations

from typing import Any, Literal
from urllib.parse import parse_qs

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from chainrule import __version__
from chainrule.web.docs import docs_page
from chainrule.web.jobs import CheckInput, DeriveInput, Result, check_job, derive_job
from chainrule.web.limits import MAX_BODY, BodyLimit
from chainrule.web.page import check_page, derive_page
from chainrule.web.worker import GRACE, Outcome, Workers

Loss = Literal["cross_entropy", "mse", "bce"]

DESCRIPTION = (
    "Check a hand-written backpropagation derivation line by line, or derive one, with "
    "numbers as the judge. Request bodies are limited to 256 KB; each request runs in its own "
    "worker under a time limit."
)


class CheckRequest(BaseModel):
    """The body of ``POST /api/check``: the options of ``chainrule check``."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "text": "Let $h = \\sigma(W_1 x)$.\n"
                    "$$\\frac{\\partial L}{\\partial W_2} = (\\hat{y} - y) h^T$$\n",
                    "model": "yhat = softmax(W2 sigmoid(W1 x))",
                    "loss": "cross_entropy",
                }
            ]
        },
    )
    text: str | None = Field(
        None,
        description="The derivation (LaTeX, Markdown, plain text or notebook JSON); "
        "leave it out to check the bundled seed example.",
    )
    model: str | None = Field(
        None,
        description="The network, e.g. 'yhat = softmax(W2 sigmoid(W1 x))'; "
        "default: read from the document.",
    )
    loss: Loss | None = Field(None, description="The loss; default: read from the document.")
    preset: Literal["seed"] | None = Field(None, description="A named network instead of a model.")
    dims: str | None = Field(None, description="Sizes to check at, e.g. 'd=7,d1=5,d2=4,k=3'.")
    defines: list[str] = Field([], description="Names the text leaves undefined, 'NAME = EXPR'.")
    label_index: str | None = Field(None, description="The index letter of the true class.")
    kind: Literal["tex", "txt", "md", "ipynb"] | None = Field(
        None, description="What the text is; default: sniffed from the text."
    )


class DeriveRequest(BaseModel):
    """The body of ``POST /api/derive``: the options of ``chainrule derive``."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"preset": "seed", "wrt": ["W3"]}]}
    )
    preset: str | None = Field(
        None, description="seed, cs224n, dlai, logistic or regression (default: seed)."
    )
    model: str | None = Field(
        None, description="A network such as 'yhat = softmax(W2 relu(W1 x + b1))'."
    )
    loss: Loss | None = Field(None, description="With `model`; default cross_entropy.")
    wrt: list[str] | None = Field(
        None, description="Quantities to differentiate by, e.g. ['W2', 'b1', 'x']; default: all."
    )
    dims: str | None = Field(None, description="Sizes to check at, e.g. 'd=7,d1=5,k=3'.")
    verify: bool = Field(True, description="Check every formula against the numeric truth.")


ERRORS: dict[int | str, dict[str, Any]] = {
    413: {"description": "The body is over 256 KB."},
    422: {"description": "The request or the document cannot be used; `detail` says why."},
    500: {"description": "A bug in chainrule; `detail` names it."},
    504: {"description": "The work ran past the server's time limit and was stopped."},
}


def validation_sentence(errors: list[dict[str, Any]]) -> str:
    """One sentence (or a few) saying what is wrong with a request body."""
    out = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ()) if p != "body"]
        field = ".".join(loc)
        kind = err.get("type", "")
        if kind == "json_invalid":
            reason = (err.get("ctx") or {}).get("error", "it cannot be parsed")
            out.append(
                f"The request body is not valid JSON ({reason}); send an object such "
                'as {"text": "..."}.'
            )
        elif not field or kind in ("model_attributes_type", "dict_type"):
            out.append('The request body must be a JSON object, such as {"text": "..."}.')
        elif kind == "missing":
            out.append(f"The field `{field}` is required.")
        elif kind == "extra_forbidden":
            out.append(f"There is no field `{field}`; see /docs for the fields.")
        else:
            out.append(f"The field `{field}` is wrong: {err.get('msg', 'invalid value')}.")
    return " ".join(dict.fromkeys(out)) or "The request body cannot be used."


def _json(outcome: Outcome, limit: float) -> Response:
    if outcome.status == "ok":
        result: Result = outcome.value
        return JSONResponse(result.json)
    status, detail = _failure(outcome, limit)
    return JSONResponse({"detail": detail}, status_code=status)


def _failure(outcome: Outcome, limit: float) -> tuple[int, str]:
    if outcome.status == "user":
        return 422, outcome.message
    if outcome.status == "timeout":
        return 504, (
            f"The work took longer than the server's limit of {limit:g} s and was "
            "stopped; check a shorter part of the derivation."
        )
    return 500, (
        f"chainrule failed on this input ({outcome.message}); this is a bug, "
        "please report it with the text you sent."
    )


def create_app(*, time_limit: float = 10.0, workers: int | None = None) -> FastAPI:
    """The web app. ``time_limit``: seconds per check (a worker is killed a little later);
    ``workers``: checks run at once (default: the number of CPUs)."""
    app = FastAPI(
        title="chainrule",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
    )
    app.add_middleware(BodyLimit, limit=MAX_BODY)
    pool = Workers(workers)
    hard = time_limit + GRACE
    seed_cache: dict[str, Result] = {}

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = list(exc.errors())
        return JSONResponse(
            {"detail": validation_sentence(errors), "errors": jsonable_encoder(errors)},
            status_code=422,
        )

    @app.post("/api/check", summary="Check a derivation", responses=ERRORS)
    async def api_check(body: CheckRequest) -> Response:
        """Verdicts for every line: exactly the JSON of `chainrule check --format json`."""
        request = CheckInput(
            body.text,
            body.model,
            body.loss,
            body.preset,
            body.dims,
            tuple(body.defines),
            body.label_index,
            body.kind,
        )
        return _json(
            await pool.run(check_job, request, time_limit, False, timeout=hard), time_limit
        )

    @app.post("/api/derive", summary="Derive backpropagation for a network", responses=ERRORS)
    async def api_derive(body: DeriveRequest) -> Response:
        """Every formula, verified: exactly the JSON of `chainrule derive --format json`."""
        request = DeriveInput(
            body.preset,
            body.model,
            body.loss,
            tuple(body.wrt) if body.wrt is not None else None,
            body.dims,
            body.verify,
        )
        return _json(await pool.run(derive_job, request, False, timeout=hard), time_limit)

    async def seed() -> Result | str:
        if "seed" not in seed_cache:
            outcome = await pool.run(check_job, CheckInput(), time_limit, True, timeout=hard)
            if outcome.status != "ok":
                return _failure(outcome, time_limit)[1]
            seed_cache["seed"] = outcome.value
        return seed_cache["seed"]

    @app.get("/", include_in_schema=False)
    async def home() -> HTMLResponse:
        from chainrule.checker import seed_text

        found = await seed()
        if isinstance(found, str):
            return HTMLResponse(check_page(seed_text(), error=found), status_code=500)
        return HTMLResponse(check_page(seed_text(), report_html=found.html, report_json=found.json))

    @app.post("/", include_in_schema=False)
    async def submit(request: Request) -> HTMLResponse:
        try:
            form = parse_qs(
                (await request.body()).decode("utf-8", errors="replace"),
                keep_blank_values=True,
                max_num_fields=10,
            )
        except ValueError:
            form = {}
        text = form.get("text", [""])[0].replace("\r\n", "\n")
        model = form.get("model", [""])[0].strip()
        loss = form.get("loss", [""])[0].strip()
        if loss not in ("", "cross_entropy", "mse", "bce"):
            loss = ""
        job = CheckInput(text, model or None, loss or None)
        outcome = await pool.run(check_job, job, time_limit, True, timeout=hard)
        if outcome.status != "ok":
            status, detail = _failure(outcome, time_limit)
            return HTMLResponse(check_page(text, model, loss, error=detail), status_code=status)
        result: Result = outcome.value
        return HTMLResponse(
            check_page(text, model, loss, report_html=result.html, report_json=result.json)
        )

    @app.get("/derive", include_in_schema=False)
    async def derive_view(preset: str = "", model: str = "", loss: str = "") -> HTMLResponse:
        loss = loss if loss in ("cross_entropy", "mse", "bce") else ""
        if model.strip():
            job = DeriveInput(model=model.strip(), loss=loss or None)
        else:
            job = DeriveInput(preset=preset or "seed")
        outcome = await pool.run(derive_job, job, True, timeout=hard)
        if outcome.status != "ok":
            status, detail = _failure(outcome, time_limit)
            return HTMLResponse(derive_page(preset, model, loss, error=detail), status_code=status)
        shown = "" if model.strip() else (preset or "seed")
        return HTMLResponse(derive_page(shown, model, loss, body_html=outcome.value.html))

    @app.get("/docs", include_in_schema=False)
    async def docs(request: Request) -> HTMLResponse:
        base = f"{request.url.scheme}://{request.url.netloc}"
        return HTMLResponse(docs_page(app.openapi(), base))

    return app
