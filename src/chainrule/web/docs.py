"""``/docs``: the API's documentation as one plain page, built from the OpenAPI schema.

FastAPI's own ``/docs`` loads Swagger UI from a CDN, which an offline machine cannot reach,
so the app turns that off and serves this page instead: every endpoint with its fields,
types, defaults and answers, and a ``curl`` example. The machine-readable schema stays at
``/openapi.json``.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from chainrule.web.page import frame


def _resolve(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
        resolved: dict[str, Any] = spec["components"]["schemas"][ref.rsplit("/", 1)[1]]
        return resolved
    return schema


def type_name(schema: dict[str, Any]) -> str:
    """``string``, ``string or null``, ``array of string``, ``one of 'mse', 'bce'`` …"""
    if "enum" in schema:
        return "one of " + ", ".join(json.dumps(v) for v in schema["enum"])
    if "const" in schema:
        return json.dumps(schema["const"])
    if "anyOf" in schema:
        return " or ".join(type_name(s) for s in schema["anyOf"])
    kind = schema.get("type", "any")
    if kind == "array":
        return f"array of {type_name(schema.get('items', {}))}"
    return str(kind)


def _fields(schema: dict[str, Any]) -> str:
    required = set(schema.get("required", ()))
    rows = []
    for name, prop in schema.get("properties", {}).items():
        default = "required" if name in required else json.dumps(prop.get("default"))
        rows.append(
            f"<tr><td><code>{escape(name)}</code></td><td>{escape(type_name(prop))}</td>"
            f"<td><code>{escape(default)}</code></td>"
            f"<td>{escape(prop.get('description', ''))}</td></tr>"
        )
    return (
        "<table><thead><tr><th>field</th><th>type</th><th>default</th><th>meaning</th></tr>"
        f"</thead><tbody>{''.join(rows)}</tbody></table>"
    )


def docs_page(spec: dict[str, Any], base: str = "http://127.0.0.1:8000") -> str:
    """The HTML documentation of every JSON endpoint in ``spec`` (an OpenAPI dict)."""
    parts = [
        "<section class='panel'>",
        f"<h2>{escape(spec['info']['title'])} API {escape(spec['info']['version'])}</h2>",
        f"<p>{escape(spec['info'].get('description', ''))}</p>",
        "<p>The OpenAPI schema is at <a href='/openapi.json'><code>/openapi.json</code></a>. "
        'Errors answer with a status code and <code>{"detail": "a sentence"}</code>.</p>',
    ]
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            parts.append(
                f"<h3 id='{escape(op.get('operationId', path))}'><code>{method.upper()} "
                f"{escape(path)}</code> — {escape(op.get('summary', ''))}</h3>"
                f"<p>{escape(op.get('description', ''))}</p>"
            )
            body = op.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                schema = _resolve(body["schema"], spec)
                parts.append(_fields(schema))
                example = (schema.get("examples") or [{}])[0]
                payload = json.dumps(example, ensure_ascii=False)
                quoted = f"'{payload}'" if "'" not in payload else json.dumps(payload)
                parts.append(
                    f"<pre><code>curl -s {escape(base)}{escape(path)} -H 'content-type: "
                    f"application/json' -d {escape(quoted)}</code></pre>"
                )
            answers = "".join(
                f"<li><code>{escape(code)}</code>: {escape(r.get('description', ''))}</li>"
                for code, r in op.get("responses", {}).items()
            )
            parts.append(f"<ul>{answers}</ul>")
    parts.append("</section>")
    return frame("chainrule — API", "".join(parts), wide=False)
