"""The application of ``vnpolicy serve``, wired as the server wires it (store, query pool with
its worker processes, app), driven in this process: requests go through ``httpx.ASGITransport``
on the event loop the app's lifespan runs in, behind a plain ``httpx.Client`` — so a test reads
like a test against a live server, without a socket."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from anyio.from_thread import BlockingPortal, start_blocking_portal
from fastapi import FastAPI

from vnpolicy.server.http.app import create_app
from vnpolicy.server.runtime.loading import Loading
from vnpolicy.server.runtime.pool import QueryPool
from vnpolicy.server.settings import Settings, load_settings

#: Where the in-process client sends its requests, and the app's public URL (from which it
#: writes its absolute URLs, such as the SPARQL endpoint's).
BASE_URL = "http://testserver"


class _PortalTransport(httpx.BaseTransport):
    """A synchronous transport: each request goes to the app through ``httpx.ASGITransport``,
    run on the portal's event loop."""

    def __init__(self, app: FastAPI, portal: BlockingPortal) -> None:
        self._asgi = httpx.ASGITransport(app=app)
        self._portal = portal

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()  # the body as one stream that reads both ways (an iterator reads once)
        return self._portal.call(self._send, request)

    async def _send(self, request: httpx.Request) -> httpx.Response:
        answer = await self._asgi.handle_async_request(request)
        body = b"".join([part async for part in answer.aiter_raw()])
        return httpx.Response(answer.status_code, headers=answer.headers, content=body)


@dataclass(frozen=True)
class InProcessApp:
    app: FastAPI
    client: httpx.Client
    settings: Settings
    #: The event loop the app's lifespan runs in, to run other ASGI apps over the same runtime.
    portal: BlockingPortal


@contextmanager
def serving_in_process(out: Path, sources: Path, **settings: object) -> Iterator[InProcessApp]:
    """The app answering from the dumps in ``out``, built from ``sources`` (``write_dataset``),
    with ``settings`` over the defaults (the environment is not read)."""
    # The public URL is where the client sends: the app writes its absolute URLs from it.
    wanted = {"public_url": BASE_URL + "/", **settings}
    chosen = load_settings({}, out=out, sources=sources, **wanted)
    loading = Loading(chosen.out, chosen.base, chosen.sources)
    assert loading.current, f"{out} holds no dumps built from {sources}"
    store = loading.open_store()
    pool = QueryPool(chosen, store, None)
    app = create_app(chosen, store, pool, loading.digest)
    loading.result(store)
    pool.fork()  # before the portal's thread starts, as the server forks before it runs threads
    with (
        start_blocking_portal() as portal,
        portal.wrap_async_context_manager(app.router.lifespan_context(app)),
        httpx.Client(transport=_PortalTransport(app, portal), base_url=BASE_URL) as client,
    ):
        yield InProcessApp(app, client, chosen, portal)
