"""Validators for HTTP caches: every successful ``GET`` gets a ``Cache-Control`` and an
``ETag``, and a request whose ``If-None-Match`` names the current one gets ``304``.

An answer up to ``BUFFERED`` bytes is tagged by a digest of its bytes, so every server process
behind a load balancer gives the same tag for the same answer, and a reverse proxy (or a
harvester) can revalidate a page, an export or a query result with a cheap ``304`` instead of
downloading it again. An answer that carries its own validator (the dumps, the exports, made
from their digest when they are written) is checked against it and passed on as it is; a larger
one (a query's answer streamed from a worker) is passed on untagged: nothing is held here that
the limits do not bound.
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


#: Largest answer held here to be tagged by its bytes; a larger one (or one streamed from a
#: worker) is passed on untagged unless it carries its own validator.
BUFFERED = 1 << 21


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
        skipped = False  # a 304 was sent in place of this answer: its body is dropped

        async def validated(message: Message) -> None:
            nonlocal start, skipped
            if message["type"] == "http.response.start":
                headers = MutableHeaders(raw=list(message["headers"]))
                if message["status"] != 200:
                    await send(message)
                    return
                if "cache-control" not in headers:
                    headers["Cache-Control"] = self.cache_control
                own = headers.get("etag")
                if own is not None and matches(if_none_match, own):
                    skipped = True
                    await _not_modified(headers, send)
                    return
                length = headers.get("content-length")
                if own is not None or length is None or int(length) > BUFFERED:
                    # Its own validator, or too large (or streamed) to hold here: passed on.
                    await send({**message, "headers": headers.raw})
                    return
                start = {**message, "headers": headers.raw}
                return
            if skipped:
                return
            if start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            await _finish(start, b"".join(chunks), if_none_match, send)

        await self.app(scope, receive, validated)


async def _not_modified(headers: MutableHeaders, send: Send) -> None:
    kept = [(k, v) for k, v in headers.raw if k not in (b"content-length", b"content-type")]
    await send({"type": "http.response.start", "status": 304, "headers": kept})
    await send({"type": "http.response.body", "body": b""})


async def _finish(start: Message, body: bytes, if_none_match: str | None, send: Send) -> None:
    headers = MutableHeaders(raw=list(start["headers"]))
    if body:  # a HEAD answer carries no body to tag
        tag = entity_tag(body)
        headers["ETag"] = tag
        if matches(if_none_match, tag):
            await _not_modified(headers, send)
            return
    await send({**start, "headers": headers.raw})
    await send({"type": "http.response.body", "body": body})
