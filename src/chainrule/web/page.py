"""The web page's HTML: the check page, the derive page, and the shared frame.

Plain server-rendered HTML: forms that post back to the server, so the page works without
JavaScript, and math that is already MathML when it arrives. Every piece of user text that is
shown again is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from chainrule.web.style import PAGE_CSS, REPORT_CSS

LOSSES = (
    ("cross_entropy", "cross-entropy"),
    ("mse", "mean squared error"),
    ("bce", "binary cross-entropy"),
)
PRESETS = ("seed", "cs224n", "dlai", "logistic", "regression")


def frame(title: str, body: str, *, wide: bool = True) -> str:
    """A whole HTML document around ``body``."""
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{escape(title)}</title><style>{PAGE_CSS}{REPORT_CSS}</style></head><body>"
        "<header><h1>chainrule</h1>"
        "<p>Check a hand-written backpropagation derivation line by line: numbers are the "
        "judge.</p><nav aria-label='pages'><a href='/'>Check</a><a href='/derive'>Derive</a>"
        "<a href='/docs'>API</a></nav></header>"
        f"<main class='{'two' if wide else 'one'}'>{body}</main>"
        "<footer>Everything runs on this computer: the page loads nothing from the network, "
        "and your text is never run as code.</footer></body></html>"
    )


def _options(choices: Sequence[tuple[str, str]], chosen: str | None, blank: str) -> str:
    out = [f"<option value=''>{escape(blank)}</option>"]
    for value, words in choices:
        sel = " selected" if value == chosen else ""
        out.append(f"<option value='{escape(value)}'{sel}>{escape(words)}</option>")
    return "".join(out)


def summary_line(report: Mapping[str, Any]) -> str:
    """``2 correct, 4 incorrect; the first error is on line 22.`` from the JSON contract."""
    s = report["summary"]
    words = [f"{s[k]} {k}" for k in ("correct", "incorrect", "unparsed", "unverifiable") if s[k]]
    line = ", ".join(words) or "no steps"
    first = report.get("first_error_line")
    return line + (f"; the first error is on line {first}." if first is not None else ".")


def check_page(
    text: str,
    model: str = "",
    loss: str = "",
    *,
    report_html: str = "",
    report_json: Mapping[str, Any] | None = None,
    error: str = "",
) -> str:
    """The check page: the form (filled with what was sent) and the report or the error."""
    open_ = " open" if model or loss else ""
    form = (
        "<form method='post' action='/' class='panel' aria-labelledby='input-title'>"
        "<h2 id='input-title'>Your derivation</h2>"
        "<label for='text'>Question and answer <span class='hint'>(LaTeX, Markdown or "
        "plain text)</span></label>"
        f"<textarea id='text' name='text' spellcheck='false' required>{escape(text)}</textarea>"
        f"<details{open_}><summary>Network <span class='hint'>(optional: by default it is "
        "read from the question)</span></summary><div class='row'><div>"
        "<label for='model'>Model</label>"
        f"<input id='model' name='model' value='{escape(model)}' autocomplete='off' "
        "placeholder='yhat = softmax(W2 sigmoid(W1 x))'></div><div>"
        "<label for='loss'>Loss</label>"
        f"<select id='loss' name='loss'>{_options(LOSSES, loss, 'from the document')}</select>"
        "</div></div></details>"
        "<button type='submit'>Check</button></form>"
    )
    if error:
        result = f"<p class='error' role='alert'>{escape(error)}</p>"
    else:
        badge = (
            f"<p class='badge' id='summary'>{escape(summary_line(report_json))}</p>"
            if report_json is not None
            else ""
        )
        result = badge + report_html
    section = (
        "<section class='panel' id='report' aria-labelledby='report-title'>"
        f"<h2 id='report-title'>Report</h2>{result}</section>"
    )
    return frame("chainrule — check a backpropagation derivation", form + section)


def derive_page(
    preset: str = "", model: str = "", loss: str = "", *, body_html: str = "", error: str = ""
) -> str:
    """The derive page: pick a network, see its whole backward pass, every formula verified."""
    presets = [(p, p) for p in PRESETS]
    form = (
        "<form method='get' action='/derive' class='panel' aria-labelledby='net-title'>"
        "<h2 id='net-title'>Network</h2>"
        "<label for='preset'>Preset</label>"
        f"<select id='preset' name='preset'>{_options(presets, preset, 'none')}</select>"
        "<label for='model'>or a model <span class='hint'>(wins over the preset)</span></label>"
        f"<input id='model' name='model' value='{escape(model)}' autocomplete='off' "
        "placeholder='yhat = softmax(W2 relu(W1 x + b1))'>"
        "<label for='loss'>Loss <span class='hint'>(with a model)</span></label>"
        f"<select id='loss' name='loss'>{_options(LOSSES, loss, 'cross-entropy')}</select>"
        "<button type='submit'>Derive</button></form>"
    )
    inner = f"<p class='error' role='alert'>{escape(error)}</p>" if error else body_html
    section = (
        "<section class='panel' id='derivation' aria-labelledby='d-title'>"
        f"<h2 id='d-title'>Derivation</h2>{inner}</section>"
    )
    return frame("chainrule — derive backpropagation", form + section)
