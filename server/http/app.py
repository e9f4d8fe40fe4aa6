"""The HTTP application: routes, error handling and the store they answer from."""

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from pyoxigraph import Store
from rdflib import Graph
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.staticfiles import StaticFiles

from vnpolicy.graph.read.void import described_uris
from vnpolicy.server.errors import ClientError, client_error_response, server_error_response
from vnpolicy.server.http import openapi, sparql
from vnpolicy.server.http.caching import Validators
from vnpolicy.server.http.description import service_description
from vnpolicy.server.http.dumps import DumpFiles
from vnpolicy.server.http.exports import Exports
from vnpolicy.server.http.graph_store import GraphStore
from vnpolicy.server.http.linked_data import LinkedData, graph_response
from vnpolicy.server.http.negotiation import negotiate
from vnpolicy.server.http.pages import STATIC
from vnpolicy.server.http.site import Site
from vnpolicy.server.http.urls import UrlSpace
from vnpolicy.server.runtime.workers import PoolHealth, QueryPool
from vnpolicy.server.runtime.writes import Action
from vnpolicy.server.settings import Settings

if TYPE_CHECKING:
    from vnpolicy.server.runtime.remote_pool import RemotePool

T = TypeVar("T")
_READ = ["GET", "HEAD"]
_REFUSED = ["PUT", "DELETE", "PATCH"]


@dataclass(frozen=True)
class Health:
    """The body of ``GET /health``: the server answers; "degraded" while fewer query workers
    than configured are up (one stopped past the time limit is being replaced)."""

    status: Literal["ok", "degraded"]
    workers: PoolHealth


def create_app(
    settings: Settings, store: Store, pool: "QueryPool | RemotePool", digest: str = ""
) -> FastAPI:
    """The application; ``pool`` runs the queries, ``store`` answers the server's own lookups
    (the embedded store, or a ``RemoteStore`` reading an external one)."""
    urls = UrlSpace(settings.base)
    dumps = DumpFiles(Path(settings.out), store, digest, on_request=settings.external)
    linked = LinkedData(store, urls)
    site = Site(store, urls, dumps)
    described = set(described_uris(settings.base))

    async def blocking(work: Callable[..., T], *args: Any) -> T:
        """Run a lookup: in the event loop on the embedded store (a write then lands between
        two requests), in a thread on an external one (each lookup is an HTTP request)."""
        if settings.external:
            return await run_in_threadpool(work, *args)
        return work(*args)

    async def refresh_periodically() -> None:
        while True:
            await asyncio.sleep(settings.store_refresh)
            forget()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await pool.start()
        refresher = asyncio.create_task(refresh_periodically()) if settings.external else None
        yield
        if refresher is not None:
            refresher.cancel()
        await pool.stop()
        dumps.close()

    app = FastAPI(
        lifespan=lifespan,
        title="vnpolicy",
        description="Vietnam's science, technology, innovation and digital-transformation policy "
        "as linked data: SPARQL 1.1 endpoint, dereferenceable URIs, dataset descriptions.",
        version="0.1.0",
    )
    openapi.install(app)
    app.add_middleware(Validators, max_age=settings.cache_seconds)
    app.add_exception_handler(ClientError, client_error_response)
    app.add_exception_handler(Exception, server_error_response)
    if settings.cors_origin_list:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origin_list,
            allow_credentials=False,
            allow_methods=["GET", "POST"],
        )
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    description: dict[str, Graph] = {}

    summary = "SPARQL 1.1 query endpoint (GET without a query: the service description)"

    @app.get("/sparql", summary=summary, openapi_extra=openapi.QUERY_GET)
    @app.post("/sparql", summary=summary, openapi_extra=openapi.QUERY_POST)
    @app.api_route("/sparql", methods=_REFUSED, include_in_schema=False)  # answered 405
    async def sparql_endpoint(request: Request) -> Response:
        query = await sparql.parse_query_request(request, settings)
        endpoint = str(request.url.replace(query=""))
        if query is None:
            if endpoint not in description:
                description[endpoint] = await blocking(
                    lambda: service_description(
                        endpoint, store, allow_service=settings.allow_service
                    )
                )
            offer = negotiate(
                sparql.RDF_OFFERS[:4],
                request.headers.get("accept"),
                request.query_params.get("format"),
            )
            return graph_response(description[endpoint], offer, {"Vary": "Accept"})
        answer = await pool.run(query, request.headers.get("accept"), query.format, endpoint)
        return Response(
            answer.body,
            status_code=answer.status,
            media_type=answer.media_type,
            headers=answer.headers,
        )

    write_lock = asyncio.Lock()

    async def publish(action: Action) -> None:
        """One write at a time: worked out and validated by a query worker (under the time
        limit), applied here in the event loop (no reader sees half of it), then followed by
        every worker and every cache before the write is answered."""
        async with write_lock:
            change = await pool.prepare(action)
            if not change:
                return
            exports.refresh()  # an export being made now is made again
            await pool.publish(change)
            forget()

    def forget() -> None:
        """Forget what was computed from the store: after a write, and with an external store
        every ``store_refresh`` seconds (other servers may write to it)."""
        dumps.changed()
        site.refresh()
        exports.refresh()
        description.clear()

    graph_store = GraphStore(settings, store, publish)
    exports = Exports(settings, store, pool)

    @app.post(
        "/update",
        summary="SPARQL 1.1 Update (needs the bearer token)",
        openapi_extra=openapi.UPDATE_POST,
    )
    @app.api_route("/update", methods=["GET", *_REFUSED], include_in_schema=False)  # 405
    async def update_endpoint(request: Request) -> Response:
        return await graph_store.update(request)

    summary = "SPARQL 1.1 Graph Store Protocol (?graph=IRI or ?default; writes need the token)"

    @app.api_route("/store", methods=_READ, summary=summary, openapi_extra=openapi.STORE_READ)
    @app.delete("/store", summary=summary, openapi_extra=openapi.STORE_READ)
    @app.api_route(
        "/store", methods=["PUT", "POST"], summary=summary, openapi_extra=openapi.STORE_WRITE
    )
    async def graph_store_indirect(request: Request) -> Response:
        return await graph_store.handle(request)

    summary = "Graph Store Protocol, direct: the graph named by this URL"

    @app.api_route("/store/{path:path}", methods=[*_READ, "DELETE"], summary=summary)
    @app.api_route(
        "/store/{path:path}",
        methods=["PUT", "POST"],
        summary=summary,
        openapi_extra=openapi.DIRECT_WRITE,
    )
    async def graph_store_direct(request: Request, path: str) -> Response:
        return await graph_store.handle(request, direct=True)

    @app.api_route("/health", methods=_READ, summary="Liveness and the query workers' counts")
    async def health(response: Response) -> Health:
        workers = pool.health()
        response.headers["Cache-Control"] = "no-store"  # a state, not a document to keep
        return Health("ok" if workers.whole else "degraded", workers)

    @app.api_route("/explore", methods=_READ, summary="The graph explorer page")
    async def explore(request: Request) -> Response:
        return await blocking(site.explorer, request)

    @app.api_route(
        "/export/{name}",
        methods=_READ,
        summary="A view as a network file",
        openapi_extra=openapi.EXPORT,
    )
    async def export(request: Request, name: str) -> Response:
        return await exports.download(request, name)

    @app.post(
        "/export",
        summary="A CONSTRUCT query's graph as a network file",
        openapi_extra=openapi.CUSTOM_EXPORT,
    )
    async def export_custom(request: Request) -> Response:
        return await exports.custom(request)

    @app.api_route("/", methods=_READ, summary="Home page", include_in_schema=False)
    async def home(request: Request) -> Response:
        return await blocking(site.home, request)

    @app.api_route("/query", methods=_READ, summary="The query page (SPARQL editor)")
    async def query_page(request: Request) -> Response:
        return await blocking(site.query_page, request)

    @app.api_route("/.well-known/void", methods=_READ, summary="VoID and DCAT description")
    @app.api_route("/catalog", methods=_READ, summary="DCAT 3 catalogue (same description)")
    async def void(request: Request) -> Response:
        return await blocking(site.void, request)

    @app.api_route("/sitemap.xml", methods=_READ, summary="Sitemap of every resource page")
    async def sitemap(request: Request) -> Response:
        return await blocking(site.sitemap, request)

    @app.api_route("/robots.txt", methods=_READ, include_in_schema=False)
    async def robots(request: Request) -> Response:
        return await blocking(site.robots, request)

    @app.api_route("/dumps/{name}", methods=_READ, summary="The whole dataset as a download")
    async def dump(request: Request, name: str) -> Response:
        return await blocking(dumps.response, request, name)

    @app.api_route("/resource", methods=_READ, summary="Any URI the dataset mentions, described")
    async def any_resource(request: Request, uri: str) -> Response:
        return await blocking(linked.direct, request, uri)

    @app.api_route(
        "/{path:path}",
        methods=_READ,
        summary="A resource of the dataset (303 to a description; .html, .ttl, … for one)",
        openapi_extra=openapi.PAGE,
    )
    async def resource(request: Request, path: str) -> Response:
        found, suffix = await blocking(linked.resolve, "/" + path)
        if found is None:
            for candidate in urls.uris_for("/" + path):
                if candidate in described:
                    return RedirectResponse("/.well-known/void", status_code=303)
        return await blocking(linked.answer, request, found, suffix)

    return app
