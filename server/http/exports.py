"""Network exports over HTTP: ``GET /export/{view}.{extension}`` and ``POST /export`` for a
CONSTRUCT query of one's own (run by the query workers, with the endpoint's time and size
limits). networkx is imported on the first export, not at start."""

import asyncio
from typing import TYPE_CHECKING

from fastapi import APIRouter
from pyoxigraph import RdfFormat, parse
from starlette.requests import Request
from starlette.responses import Response

from vnpolicy.graph.formats import Form
from vnpolicy.graph.network.catalog import (
    BY_EXTENSION,
    FORMAT_INFO,
    VIEWS,
    FormatInfo,
    parse_export_name,
)
from vnpolicy.graph.store import ReadableStore
from vnpolicy.server.errors import BadRequest, NotFound, quoted
from vnpolicy.server.http import openapi, sparql
from vnpolicy.server.http.methods import READ
from vnpolicy.server.http.negotiation import answer, choose_language
from vnpolicy.server.http.urls import UrlSpace
from vnpolicy.server.runtime.protocol import QueryRuntime
from vnpolicy.server.settings import Settings

if TYPE_CHECKING:
    from vnpolicy.graph.network.adapter import NetworkGraph
    from vnpolicy.graph.network.export import Export
    from vnpolicy.server.http.publisher import Publisher

_CACHE_SIZE = 64


class Exports:
    def __init__(
        self, settings: Settings, store: ReadableStore, pool: QueryRuntime, urls: UrlSpace
    ) -> None:
        self.settings, self.store, self.pool, self.urls = settings, store, pool, urls
        self._cache: dict[tuple[str, str, str, bool], Export] = {}
        self._graphs: dict[tuple[str, str], NetworkGraph] = {}
        self._generation = 0

    def refresh(self) -> None:
        """Forget the exports made so far: called as a write starts to land and once it has."""
        self._generation += 1
        self._cache.clear()
        self._graphs.clear()

    def _make(
        self, view: str, format_name: str, language: str, compound: bool, generation: int
    ) -> "Export":
        """One export; the view's graph with its metrics (the costly part) is made once per
        view and language and shared by every format."""
        from vnpolicy.graph.network.export import view_graph, write_graph

        graph = self._graphs.get((view, language))
        if graph is None:
            graph = view_graph(self.store, view, language, self.settings.base)
            if generation == self._generation:  # not kept if a write landed meanwhile
                self._graphs[(view, language)] = graph
        return write_graph(graph, format_name, compound)

    async def download(self, request: Request, name: str) -> Response:
        found = parse_export_name(name)
        if found is None:
            views = ", ".join(VIEWS)
            extensions = ", ".join(BY_EXTENSION)
            raise NotFound(
                f"No export {quoted(name)}: ask for VIEW.EXTENSION, views {views}; extensions "
                f"{extensions}",
            )
        view, info = found
        language, compound = self._options(request)
        key = (view, info.name, language, compound)
        made = self._cache.get(key)
        while made is None:
            # Made in a thread from the store the event loop writes to: made again if a write
            # landed meanwhile, so no export mixes data from before and after it.
            generation = self._generation
            loop = asyncio.get_running_loop()
            made = await loop.run_in_executor(
                None, self._make, view, info.name, language, compound, generation
            )
            if generation != self._generation:
                made = None
            else:
                if len(self._cache) >= _CACHE_SIZE:
                    self._cache.clear()
                self._cache[key] = made
        return _response(made, info, f"vnpolicy-{view}")

    async def custom(self, request: Request) -> Response:
        """A CONSTRUCT query (form field ``query`` or an ``application/sparql-query`` body) as a
        network; ``format`` (URL or form) names the network format, ``lang`` the language."""
        asked = await sparql.parse_query_request(request, self.settings)
        if asked is None:
            raise BadRequest("POST a CONSTRUCT query (form field 'query' or the body)")
        name = asked.format or "graphml"
        if name not in FORMAT_INFO:
            raise BadRequest(
                f"Unknown format {quoted(name)}; choose one of {', '.join(FORMAT_INFO)}"
            )
        endpoint = self.urls.absolute("/sparql")
        not_a_graph = BadRequest("A custom network needs a CONSTRUCT or DESCRIBE query")
        graph_only = sparql.choices(
            None, "nt", refused={Form.SELECT: not_a_graph, Form.ASK: not_a_graph}
        )
        answer = await self.pool.run(asked.request, graph_only, endpoint)
        from vnpolicy.graph.network.export import export_network
        from vnpolicy.graph.network.triples import triples_view

        language, compound = self._options(request)
        triples = list(parse(answer.body, format=RdfFormat.N_TRIPLES))

        def make() -> "Export":
            network = triples_view("custom", triples, self.store)
            return export_network(network, name, language, compound)

        made = await asyncio.get_running_loop().run_in_executor(None, make)
        return _response(made, FORMAT_INFO[name], "vnpolicy-custom")

    def _options(self, request: Request) -> tuple[str, bool]:
        lang = request.query_params.get("lang")
        if lang is not None and lang not in ("en", "vi"):
            raise BadRequest(f"lang={quoted(lang)}: choose en or vi")
        language = choose_language(request.headers.get("accept-language"), lang)
        return language, request.query_params.get("compound") in ("1", "true", "yes")


def _response(made: "Export", info: FormatInfo, stem: str) -> Response:
    headers = {
        "Content-Disposition": f'attachment; filename="{stem}.{info.extension}"',
        "X-Network-Nodes": str(made.nodes),
        "X-Network-Edges": str(made.edges),
    }
    return answer(made.body, info.media_type, vary=("Accept-Language",), headers=headers)


def add_routes(routes: APIRouter, publisher: "Publisher") -> None:
    """The network exports: ``/export/{view}.{extension}`` and ``POST /export``."""
    exports = publisher.exports

    @routes.api_route(
        "/export/{name}",
        methods=READ,
        summary="A view as a network file",
        openapi_extra=openapi.EXPORT,
    )
    async def export(request: Request, name: str) -> Response:
        return await exports.download(request, name)

    @routes.post(
        "/export",
        summary="A CONSTRUCT query's graph as a network file",
        openapi_extra=openapi.CUSTOM_EXPORT,
    )
    async def export_custom(request: Request) -> Response:
        return await exports.custom(request)
