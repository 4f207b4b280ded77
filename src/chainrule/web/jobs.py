"""The work the web app hands to a worker process: one check or one derivation.

Each job takes a frozen request record (picklable, so it can cross to the worker) and returns
plain data: the JSON contract of the matching CLI command and, when asked, the HTML the page
shows. User text only ever reaches the reader as *text*: it is never evaluated, and never
taken for a file name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chainrule.errors import ChainruleError


@dataclass(frozen=True)
class CheckInput:
    """What ``POST /api/check`` and the page's form ask for (see ``chainrule check``)."""

    text: str | None = None
    model: str | None = None
    loss: str | None = None
    preset: str | None = None
    dims: str | None = None
    defines: tuple[str, ...] = ()
    label_index: str | None = None
    kind: str | None = None


@dataclass(frozen=True)
class DeriveInput:
    """What ``POST /api/derive`` asks for (see ``chainrule derive``)."""

    preset: str | None = None
    model: str | None = None
    loss: str | None = None
    wrt: tuple[str, ...] | None = None
    dims: str | None = None
    verify: bool = True


@dataclass(frozen=True)
class Result:
    """A job's result: the CLI's JSON contract, and the page's HTML when it was asked for."""

    json: dict[str, Any]
    html: str = ""
    exit_code: int = 0


def as_text(text: str) -> str:
    """``text`` such that the reader can only take it as a document, never as a path.

    ``check`` reads a string without a newline as a file name when such a file exists; a
    server must never open files its users name, so a one-line text gets its newline.
    """
    return text if "\n" in text else text + "\n"


def check_job(request: CheckInput, time_limit: float, html: bool) -> Result:
    """Check ``request.text`` (None: the bundled seed) as ``chainrule check`` would."""
    from chainrule.checker import check

    if request.text is not None and not request.text.strip():
        raise ChainruleError(
            "The derivation is empty; paste the LaTeX, Markdown or plain text of your answer."
        )
    report = check(
        None if request.text is None else as_text(request.text),
        model=request.model or None,
        loss=request.loss or None,
        preset=request.preset or None,
        dims=request.dims or None,
        defines=request.defines,
        label_index=request.label_index or None,
        kind=request.kind or None,
        time_limit=time_limit,
    )
    return Result(report.to_json(), report.to_html() if html else "", report.exit_code)


def derive_job(request: DeriveInput, html: bool) -> Result:
    """The derivation ``chainrule derive`` prints for the same options."""
    from chainrule.derive import derive
    from chainrule.model.graph import parse_dims
    from chainrule.model.spec import parse_spec, preset

    if request.model and request.preset:
        raise ChainruleError("Give either a preset or a model, not both.")
    if request.model:
        spec = parse_spec(request.model, request.loss or "cross_entropy")
    else:
        if request.loss:
            raise ChainruleError("`loss` goes with `model`; a preset has its own loss.")
        spec = preset(request.preset or "seed")
    dims = parse_dims(request.dims, spec) if request.dims else None
    wrt = [w.strip() for w in request.wrt if w.strip()] if request.wrt is not None else None
    if request.wrt is not None and not wrt:
        raise ChainruleError('`wrt` needs at least one name, such as ["W2", "b1"].')
    result = derive(spec, wrt=wrt, verify=request.verify, dims=dims)
    page = ""
    if html:
        from chainrule.web.render import derivation_html

        page = derivation_html(result)
    return Result(result.to_json(), page, 1 if result.verified is False else 0)


def warm() -> None:
    """Check the seed once, so a fresh worker has built its parsers before real requests."""
    check_job(CheckInput(), 10.0, True)
