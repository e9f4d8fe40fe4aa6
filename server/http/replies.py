"""Answers that come from the query workers: waited for as long as the client waits, and passed
on as they arrive.

``from_worker`` runs a job for a request and gives up — the worker is stopped and replaced by
the runtime — as soon as the client goes away; ``streamed`` turns the worker's ``Reply`` into
the response: whole (with its length, validated by the cache middleware) when it is small, else
passed on chunk by chunk without being held here. A worker that fails after the first chunk has
gone out ends the response early: the client sees a body cut short (no final chunk), never a
complete-looking partial answer.
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Sequence
from contextlib import suppress

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from vnpolicy.server.http.negotiation import answer, content_type
from vnpolicy.server.runtime.protocol import Reply


def client_of(request: Request) -> str:
    """Who is asking, for the fairness of the queue: the client's address."""
    return request.client.host if request.client else ""


async def from_worker(request: Request, work: Awaitable[Reply]) -> Reply:
    """``work``'s reply, or a cancelled ``work`` when the client disconnects first."""
    running = asyncio.ensure_future(work)
    gone = asyncio.ensure_future(_disconnected(request))
    try:
        await asyncio.wait({running, gone}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        gone.cancel()
    if not running.done():
        running.cancel()
        with suppress(asyncio.CancelledError):
            await running
        raise asyncio.CancelledError("the client went away")
    return running.result()


async def _disconnected(request: Request) -> None:
    """Returns when the client has gone (its request body, if any, is already read)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass


def streamed(
    reply: Reply, *, vary: Sequence[str] = ("Accept",), headers: dict[str, str] | None = None
) -> Response:
    sent = {**reply.headers, **(headers or {})}
    if reply.rest is None:
        return answer(reply.head, reply.media_type, vary=vary, headers=sent)
    if vary:
        sent["Vary"] = ", ".join(vary)
    return StreamingResponse(
        _chunks(reply.head, reply.rest), headers=sent, media_type=content_type(reply.media_type)
    )


async def _chunks(head: bytes, rest: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    yield head
    async for chunk in rest:
        yield chunk
