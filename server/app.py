"""The HTTP application: routes, error handling and the store they answer from."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from pyoxigraph import Store
from rdflib import Graph
from starlette.requests import Request
from starlette.responses import Response

from server import sparql
from server.description import service_description
from server.errors import ClientError, client_error_response, server_error_response
from server.negotiation import NotAcceptableError, choose
from server.settings import Settings
from server.workers import QueryPool


def create_app(settings: Settings, store: Store, pool: QueryPool) -> FastAPI:
    """The application; ``pool`` runs the queries, ``store`` answers the server's own lookups."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await pool.start()
        yield
        await pool.stop()

    app = FastAPI(
        lifespan=lifespan,
        title="vnpolicy",
        description="Vietnam's science, technology, innovation and digital-transformation policy "
        "as linked data: SPARQL 1.1 endpoint.",
        version="0.1.0",
    )
    app.add_exception_handler(ClientError, client_error_response)
    app.add_exception_handler(Exception, server_error_response)
    if settings.cors_origin_list:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origin_list,
            allow_credentials=False,
            allow_methods=["GET", "POST"],
        )
    description: dict[str, Graph] = {}

    @app.api_route(
        "/sparql",
        methods=["GET", "POST", "PUT", "DELETE", "PATCH"],
        summary="SPARQL 1.1 query endpoint (GET without a query: the service description)",
    )
    async def sparql_endpoint(request: Request) -> Response:
        query = await sparql.parse_query_request(request, settings)
        endpoint = str(request.url.replace(query=""))
        if query is None:
            if "graph" not in description:
                description["graph"] = service_description(
                    endpoint, store, allow_service=settings.allow_service
                )
            return _rdf_response(description["graph"], request)
        answer = await pool.run(query, request.headers.get("accept"), query.format, endpoint)
        return Response(
            answer.body,
            status_code=answer.status,
            media_type=answer.media_type,
            headers=answer.headers,
        )

    return app


def _rdf_response(graph: Graph, request: Request) -> Response:
    try:
        offer = choose(
            sparql.RDF_OFFERS[:4], request.headers.get("accept"), request.query_params.get("format")
        )
    except NotAcceptableError as error:
        listed = ", ".join(o.media_type for o in error.offers)
        raise ClientError(406, f"Cannot answer in {error.asked}; available: {listed}") from None
    names = {
        "text/turtle": "turtle",
        "application/n-triples": "nt",
        "application/ld+json": "json-ld",
        "application/rdf+xml": "xml",
    }
    body = graph.serialize(format=names[offer.media_type], encoding="utf-8")
    return Response(body, media_type=offer.media_type, headers={"Vary": "Accept"})
