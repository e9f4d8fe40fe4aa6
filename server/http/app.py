"""The application vnpolicy serves: every wing's routes over one ``Publisher``, with the error
handlers, the cache validators, CORS when configured, the OpenAPI description and the pages'
static files."""

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.staticfiles import StaticFiles

from vnpolicy.graph.store import ReadableStore
from vnpolicy.server.http import openapi
from vnpolicy.server.http.caching import Validators
from vnpolicy.server.http.pages import STATIC
from vnpolicy.server.http.problems import Problems
from vnpolicy.server.http.publisher import Publisher
from vnpolicy.server.http.security import SecurityHeaders
from vnpolicy.server.runtime.protocol import QueryRuntime
from vnpolicy.server.settings import Settings


def create_app(
    settings: Settings, store: ReadableStore, runtime: QueryRuntime, digest: str = ""
) -> FastAPI:
    """The application; ``runtime`` runs queries and writes, ``store`` answers the server's own
    lookups (the embedded store, or a ``RemoteStore`` reading an external one)."""
    publisher = Publisher(settings, store, runtime, digest)
    app = FastAPI(
        lifespan=publisher.lifespan,
        title="vnpolicy",
        description="Vietnam's science, technology, innovation and digital-transformation policy "
        "as linked data: SPARQL 1.1 endpoint, dereferenceable URIs, dataset descriptions.",
        version="0.1.0",
        # Swagger UI and ReDoc load their assets from a CDN; the pages use none (/openapi.json
        # is the description).
        docs_url=None,
        redoc_url=None,
    )
    openapi.install(app)
    app.add_middleware(Validators, max_age=settings.cache_seconds)
    app.add_middleware(SecurityHeaders)
    Problems(publisher.urls).install(app)
    if settings.cors_origin_list:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origin_list,
            allow_credentials=False,
            allow_methods=["GET", "POST"],
        )
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    publisher.add_routes(app.router)
    app.state.publisher = publisher  # for an application that mounts its routes too
    return app
