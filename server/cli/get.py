"""``vnpolicy serve --get PATH``: one request through the application, in process and without a
socket (Datasette's habit), so that the command line can be tested end to end.

The application's lifespan runs around the request as under a server (its startup hands the
query workers to the app, its shutdown stops them); httpx's ASGI transport carries the request.
"""

import asyncio
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

import click
import httpx
from starlette.types import ASGIApp, Message


async def fetch(
    app: ASGIApp, origin: str, path: str, headers: Sequence[tuple[str, str]], follow: bool
) -> httpx.Response:
    """GET ``path`` from ``app`` as if from ``origin``, between its startup and its shutdown."""
    async with _lifespan(app):
        # A failure of ours is answered 500 by the app (and logged); it is not raised here.
        transport = httpx.ASGITransport(app, raise_app_exceptions=False)
        async with httpx.AsyncClient(
            transport=transport, base_url=origin, follow_redirects=follow
        ) as client:
            return await client.get(path, headers=list(headers))


@asynccontextmanager
async def _lifespan(app: ASGIApp) -> AsyncIterator[None]:
    """The ASGI lifespan protocol, from the server's side: startup, then shutdown."""
    to_app: asyncio.Queue[Message] = asyncio.Queue()
    from_app: asyncio.Queue[Message] = asyncio.Queue()
    scope = {"type": "lifespan", "asgi": {"version": "3.0", "spec_version": "2.0"}, "state": {}}

    async def application() -> None:
        await app(scope, to_app.get, from_app.put)

    running = asyncio.create_task(application())

    async def step(phase: str) -> None:
        await to_app.put({"type": f"lifespan.{phase}"})
        answer = asyncio.create_task(from_app.get())
        await asyncio.wait({answer, running}, return_when=asyncio.FIRST_COMPLETED)
        if not answer.done():
            answer.cancel()
            running.result()  # raises what stopped the application
            raise RuntimeError(f"the application stopped before its {phase} was complete")
        message = answer.result()
        if message["type"] != f"lifespan.{phase}.complete":
            raise RuntimeError(f"the application's {phase} failed: {message.get('message', '')}")

    await step("startup")
    try:
        yield
    finally:
        await step("shutdown")
        await running


def show(response: httpx.Response, with_headers: bool) -> int:
    """Print the answer as the exit code says: 0 and the body on standard output for 2xx and
    3xx (a redirect is also named on standard error), 1 and the status line and the body on
    standard error otherwise. ``with_headers`` prints each status line and headers first,
    those of redirects followed included."""
    failed = response.status_code >= 400
    head = "".join(_head(each) for each in (*response.history, response))
    if failed:
        click.echo(head if with_headers else _status_line(response), nl=False, err=True)
        click.echo(response.content.decode("utf-8", errors="replace"), err=True)
        return 1
    if with_headers:
        click.echo(head, nl=False)
    elif response.is_redirect:
        location = response.headers.get("location", "")
        click.echo(f"{_status_line(response).strip()}: {location} (--follow follows it)", err=True)
    sys.stdout.buffer.write(response.content)
    if sys.stdout.isatty() and not response.content.endswith(b"\n"):
        sys.stdout.buffer.write(
            b"\n"
        )  # a terminal's prompt on a line of its own; a pipe gets the bytes
    sys.stdout.buffer.flush()
    return 0


def _status_line(response: httpx.Response) -> str:
    return f"HTTP/1.1 {response.status_code} {response.reason_phrase}\n"


def _head(response: httpx.Response) -> str:
    fields = "".join(f"{name}: {value}\n" for name, value in response.headers.multi_items())
    return f"{_status_line(response)}{fields}\n"
