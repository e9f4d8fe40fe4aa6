"""What the routes of every wing share: the settings, the store and its runtime, and what is
computed from the store — forgotten after each write, and with an external store every
``store_refresh`` seconds.

Each wing (SPARQL, graph store, exports, site, dumps, resources) adds its routes to a router
given to it; ``Publisher.router()`` gathers them in one ``APIRouter`` that any FastAPI
application can include at its root, with ``Publisher.lifespan`` to start and stop the query
runtime. ``app.create_app`` is the application vnpolicy itself serves, with the same routes.
"""

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

from fastapi import APIRouter, FastAPI
from starlette.concurrency import run_in_threadpool

from vnpolicy.graph.store import ReadableStore
from vnpolicy.server.http import (
    browse,
    catalogue,
    dumps,
    exports,
    graph_store,
    health,
    linked_data,
    memento,
    releases,
    search,
    site,
    sparql,
    tracker,
)
from vnpolicy.server.http.description import ServiceDescriptions, service_description
from vnpolicy.server.http.urls import UrlSpace
from vnpolicy.server.runtime.change import Apply
from vnpolicy.server.runtime.protocol import QueryRuntime
from vnpolicy.server.runtime.writes import Action
from vnpolicy.server.settings import Settings

T = TypeVar("T")


class Publisher:
    def __init__(
        self, settings: Settings, store: ReadableStore, runtime: QueryRuntime, digest: str = ""
    ) -> None:
        """``runtime`` runs queries and writes; ``store`` answers the server's own lookups (the
        embedded store, or a ``RemoteStore`` reading an external one)."""
        self.settings, self.store, self.runtime = settings, store, runtime
        self.urls = UrlSpace(settings.base, settings.public_origin)
        self.dumps = dumps.DumpFiles(
            Path(settings.out), store, digest, on_request=settings.external
        )
        self.linked = linked_data.LinkedData(store, self.urls, settings.max_rows)
        self.browse = browse.Browse(store, self.urls)
        self.releases = releases.Releases(Path(settings.out), self.urls, settings.releases_kept)
        self.memento = memento.Memento(self.releases)
        self.linked.timegate = self.memento.timegate_url
        self.site = site.Site(store, self.urls, self.dumps, self.browse, self.releases)
        self.catalogue = catalogue.Catalogue(store, settings.base)
        self.exports = exports.Exports(settings, runtime, self.urls)
        self.search = search.Search(Path(settings.out), self.urls, settings.query_timeout)
        self.graph_store = graph_store.GraphStore(settings, store, self.urls, runtime, self.publish)
        #: The service description of /sparql, made once per generation of the data.
        self.description = ServiceDescriptions(
            lambda: service_description(
                self.urls.absolute("/sparql"),
                store,
                allow_service=settings.allow_service,
                void=self.urls.absolute("/.well-known/void"),
            )
        )
        self._write_lock = asyncio.Lock()

    def add_routes(self, routes: APIRouter) -> None:
        """Every wing's routes, in order: the resources' catch-all comes last."""
        wings = (
            sparql, graph_store, health, exports, site, browse, search, tracker, catalogue, dumps,
            releases, memento,
            linked_data,
        )  # fmt: skip
        for wing in wings:
            wing.add_routes(routes, self)

    def router(self) -> APIRouter:
        """Every route in one router, to include in another application at its root."""
        routes = APIRouter()
        self.add_routes(routes)
        return routes

    async def blocking(self, work: Callable[..., T], *args: Any) -> T:
        """Run a lookup: in the event loop on the embedded store (a write then lands between
        two requests), in a thread on an external one (each lookup is an HTTP request)."""
        if self.settings.external:
            return await run_in_threadpool(work, *args)
        return work(*args)

    async def publish(self, action: Action) -> Apply:
        """One write at a time: worked out and validated by the runtime (under the time limit),
        applied between two requests (no reader sees half of it), then followed by every worker
        and every cache before the write is answered."""
        async with self._write_lock:
            change = await self.runtime.prepare(action)
            if not change:
                return change
            self.exports.refresh()  # an export being made now is made again
            await self.runtime.publish(change)
            self.forget()
            return change

    def forget(self) -> None:
        """Forget what was computed from the store: after a write, and with an external store
        every ``store_refresh`` seconds (other servers may write to it)."""
        self.dumps.changed()
        self.site.refresh()
        self.browse.refresh()
        self.catalogue.refresh()
        self.exports.refresh()
        self.description.forget()

    async def _refresh_periodically(self) -> None:
        while True:
            await asyncio.sleep(self.settings.store_refresh)
            self.forget()

    @asynccontextmanager
    async def lifespan(self, app: FastAPI) -> AsyncIterator[None]:
        await self.runtime.start()
        refresher = (
            asyncio.create_task(self._refresh_periodically()) if self.settings.external else None
        )
        try:
            yield
        finally:
            if refresher is not None:
                refresher.cancel()
            await self.runtime.stop()
            self.dumps.close()
            self.releases.close()
            self.exports.close()
