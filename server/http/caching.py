"""Validators for HTTP caches: every successful ``GET`` gets an ``ETag`` (a digest of its body) and
a ``Cache-Control``, and a request whose ``If-None-Match`` names the current body gets ``304``.

The tag depends only on the bytes sent, so every server process behind a load balancer gives
the same tag for the same answer, and a reverse proxy (or a harvester) can revalidate a page,
an export or a query result with a cheap ``304`` instead of downloading it again. Answers that
carry their own validators (the dumps) pass through untouched.
"""

import hashlib

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send


def entity_tag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def matches(if_none_match: str | None, tag: str) -> bool:
    """RFC 9110 §13.1.2: weak comparison, ``*`` matches anything."""
    if not if_none_match:
        return False
    wanted = {candidate.strip().removeprefix("W/") for candidate in if_none_match.split(",")}
    return "*" in wanted or tag in wanted


class Validators:
    """ASGI middleware adding ``ETag`` and ``Cache-Control`` to ``GET`` and ``HEAD`` answers."""

    def __init__(self, app: ASGIApp, max_age: int = 0) -> None:
        self.app = app
        # max-age 0 with no-cache: a cache may keep the answer but asks again each time (a 304
        # when nothing changed), so a write is never hidden by a stale copy.
        self.cache_control = f"public, max-age={max_age}" if max_age > 0 else "no-cache"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        if_none_match = Headers(scope=scope).get("if-none-match")
        start: Message | None = None
        chunks: list[bytes] = []

        async def buffered(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = Headers(raw=message["headers"])
                if message["status"] != 200 or "etag" in headers:
                    start = None
                    await send(message)
                    return
                start = message
                return
            if start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            await _finish(start, b"".join(chunks), if_none_match, self.cache_control, send)

        await self.app(scope, receive, buffered)


async def _finish(
    start: Message, body: bytes, if_none_match: str | None, cache_control: str, send: Send
) -> None:
    headers = MutableHeaders(raw=list(start["headers"]))
    if body:  # a HEAD answer carries no body to tag
        tag = entity_tag(body)
        headers["ETag"] = tag
        if "cache-control" not in headers:
            headers["Cache-Control"] = cache_control
        if matches(if_none_match, tag):
            kept = [(k, v) for k, v in headers.raw if k not in (b"content-length", b"content-type")]
            await send({"type": "http.response.start", "status": 304, "headers": kept})
            await send({"type": "http.response.body", "body": b""})
            return
    await send({**start, "headers": headers.raw})
    await send({"type": "http.response.body", "body": body})
