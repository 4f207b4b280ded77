"""Request-size limit for the web app: an ASGI middleware that answers 413 with a sentence.

Owns ``MAX_BODY`` (256 KB) and :class:`BodyLimit`. The limit is checked on the
``Content-Length`` header before anything is read; a chunked upload, which has no such
header, is read here (counting, at most the limit) and then handed on.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

MAX_BODY = 256 * 1024
"""The largest request body the server reads, in bytes."""

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def too_large_message(limit: int = MAX_BODY) -> str:
    return (
        f"The request body is larger than {limit // 1024} KB; "
        "send a shorter derivation (check it in parts, or use `chainrule check FILE`)."
    )


class BodyLimit:
    """Reject request bodies over ``limit`` bytes with 413 and a JSON ``detail`` sentence."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._reject(send)
            return
        if declared is not None:
            # The server's HTTP parser holds the client to its Content-Length.
            await self.app(scope, receive, send)
            return
        # No length given (a chunked upload): read the body here, counting, then replay it.
        # It cannot be refused from inside the app, which reports any read error as 400.
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.limit:
                await self._reject(send)
                return
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _reject(self, send: Send) -> None:
        body = json.dumps({"detail": too_large_message(self.limit)}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
