"""The write endpoints: SPARQL 1.1 Update (``/update``) and the SPARQL 1.1 Graph Store HTTP
Protocol (``/store?graph=IRI``, ``/store?default``, and ``/store/{path}`` for graphs named by
their own URL), reads open to all, writes behind the token.

A document's data is published with ``PUT /store?graph={base}graph/{document path}`` (replace),
``POST`` (merge) or ``DELETE``; ``POST /store`` with no graph adds a new graph, named for the
document it describes, or a fresh ``{base}graph/upload/{uuid}`` when it describes none.
"""

from collections.abc import Awaitable, Callable
from email.parser import BytesParser
from email.policy import HTTP
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from fastapi import APIRouter
from pyoxigraph import DefaultGraph
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from vnpolicy.graph.formats import RDF_FORMATS, UPLOAD_FORMATS, offers
from vnpolicy.graph.store import ReadableStore
from vnpolicy.server.errors import (
    BadRequest,
    MethodNotAllowed,
    NotFound,
    UnsupportedMediaType,
    iri,
)
from vnpolicy.server.http import openapi, sparql
from vnpolicy.server.http.methods import READ, REFUSED
from vnpolicy.server.http.negotiation import negotiate
from vnpolicy.server.http.replies import client_of, from_worker, streamed
from vnpolicy.server.http.urls import UrlSpace
from vnpolicy.server.runtime.change import Apply, GraphName
from vnpolicy.server.runtime.jobs import GraphRead
from vnpolicy.server.runtime.protocol import QueryRuntime
from vnpolicy.server.runtime.uploads import Upload
from vnpolicy.server.runtime.writes import (
    Action,
    AddGraph,
    Delete,
    Merge,
    Replace,
    check_token,
)
from vnpolicy.server.settings import Settings

if TYPE_CHECKING:
    from vnpolicy.server.http.publisher import Publisher

#: Media types a graph may be uploaded in (the registry's uploadable formats, with their aliases),
#: all parsed by Oxigraph, which fetches nothing.
UPLOADS = {offer.media_type: offer.format for offer in offers(UPLOAD_FORMATS)}
MULTIPART = "multipart/form-data"
#: What a graph is read in: every RDF syntax, by its own media type.
_READ_OFFERS = offers(RDF_FORMATS, aliases=False)


class GraphStore:
    """Answers ``/update`` and ``/store``; ``publish`` carries out every write."""

    def __init__(
        self,
        settings: Settings,
        store: ReadableStore,
        urls: UrlSpace,
        runtime: QueryRuntime,
        publish: Callable[[Action], Awaitable[Apply]],
    ) -> None:
        self.settings, self.store, self.urls = settings, store, urls
        self.runtime, self.publish = runtime, publish

    async def update(self, request: Request) -> Response:
        if request.method != "POST":
            raise MethodNotAllowed(
                "SPARQL Update needs POST (a form or application/sparql-update)", ("POST",)
            )
        check_token(self.settings, request.headers.get("authorization"))
        update = await sparql.parse_update_request(
            request, self.settings, self.urls.absolute("/update")
        )
        await self.publish(update)
        return Response(status_code=204)

    async def handle(self, request: Request, direct: bool = False) -> Response:
        """A Graph Store Protocol request: indirect (``/store?graph=IRI``, ``/store?default``)
        or, with ``direct``, naming the graph by its own URL (``/store/some/path``)."""
        params = parse_qsl(request.url.query, keep_blank_values=True)
        if direct:
            if params:
                raise BadRequest("A graph named by its URL (/store/…) takes no parameters")
            graph: GraphName = iri(self.urls.absolute(request.url.path), "the graph's URL")
        elif request.method == "POST" and not params:
            graph = DefaultGraph()  # not used: the store itself names the new graph
        else:
            graph = target_graph(params)
        if request.method in ("GET", "HEAD"):
            return await self._read(request, graph)
        check_token(self.settings, request.headers.get("authorization"))
        if request.method == "POST" and not params and not direct:
            return await self._add_new_graph(request)
        existed = self._exists(graph)
        if request.method == "DELETE":
            if not existed:
                raise NotFound(f"No graph {_name(graph)} in this dataset")
            await self.publish(Delete(graph))
            return Response(status_code=204)
        upload = await self._uploaded(request)
        await self.publish(
            Replace(graph, upload) if request.method == "PUT" else Merge(graph, upload)
        )
        return Response(status_code=204 if existed else 201)

    async def _read(self, request: Request, graph: GraphName) -> Response:
        """A graph in an RDF syntax, written by a query worker (a graph can be large)."""
        if self.settings.external:  # each lookup is an HTTP request: not in the event loop
            exists = await run_in_threadpool(self._exists, graph)
        else:
            exists = self._exists(graph)
        if not exists:
            raise NotFound(f"No graph {_name(graph)} in this dataset")
        offer = negotiate(
            _READ_OFFERS, request.headers.get("accept"), request.query_params.get("format")
        )
        name = None if isinstance(graph, DefaultGraph) else graph.value
        work = self.runtime.read(GraphRead(name, offer.media_type), client_of(request))
        return streamed(await from_worker(request, work))

    async def _add_new_graph(self, request: Request) -> Response:
        upload = await self._uploaded(request)
        change = await self.publish(AddGraph(self.settings.base, upload))
        (graph,) = change.created[:1] or ("",)
        return Response(status_code=201, headers={"Location": graph} if graph else {})

    async def _uploaded(self, request: Request) -> Upload:
        """The parts of the request body (one RDF document, or the parts of a multipart form),
        each in a format a graph may be uploaded in; the worker parses them."""
        kind = sparql.media_type(request)
        body = await sparql.read_body(request, self.settings)
        if kind == MULTIPART:
            parts = _multipart(request.headers.get("content-type", ""), body)
        else:
            parts = [(kind, body)]
        for number, (part_kind, _) in enumerate(parts, 1):
            if part_kind not in UPLOADS:
                listed = ", ".join([*UPLOADS, MULTIPART])
                where = f"part {number}: " if kind == MULTIPART else ""
                raise UnsupportedMediaType(
                    f"{where}upload RDF as one of {listed}, not {part_kind or 'no type'}"
                )
        return Upload(
            tuple(parts), kind == MULTIPART, self.settings.max_body, self.settings.max_rows
        )

    def _exists(self, graph: GraphName) -> bool:
        return isinstance(graph, DefaultGraph) or self.store.contains_named_graph(graph)


def target_graph(params: list[tuple[str, str]]) -> GraphName:
    """The graph a Graph Store Protocol request names: ``?graph=IRI`` or ``?default``."""
    graphs = [value for name, value in params if name == "graph"]
    default = any(name == "default" for name, _ in params)
    if len(graphs) + default != 1:
        raise BadRequest("Name one graph: '?graph=IRI' or '?default'")
    if default:
        return DefaultGraph()
    return iri(graphs[0], "graph")


def _name(graph: GraphName) -> str:
    return "(the default graph)" if isinstance(graph, DefaultGraph) else graph.value


def _multipart(content_type_header: str, body: bytes) -> list[tuple[str, bytes]]:
    """The (media type, bytes) of each part of a multipart/form-data body."""
    if "boundary=" not in content_type_header:
        raise BadRequest("A multipart/form-data body needs a boundary in its Content-Type")
    head = f"Content-Type: {content_type_header}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise BadRequest("The multipart/form-data body has no parts")
    parts = []
    for part in message.iter_parts():
        payload = part.get_payload(decode=True)
        parts.append((part.get_content_type(), payload if isinstance(payload, bytes) else b""))
    return parts


def add_routes(routes: APIRouter, publisher: "Publisher") -> None:
    """``/update`` and the Graph Store Protocol at ``/store`` and ``/store/{path}``."""
    graph_store = publisher.graph_store

    @routes.post(
        "/update",
        summary="SPARQL 1.1 Update (needs the bearer token)",
        openapi_extra=openapi.UPDATE_POST,
    )
    @routes.api_route("/update", methods=[*READ, *REFUSED], include_in_schema=False)  # 405
    async def update_endpoint(request: Request) -> Response:
        return await graph_store.update(request)

    summary = "SPARQL 1.1 Graph Store Protocol (?graph=IRI or ?default; writes need the token)"

    @routes.api_route("/store", methods=READ, summary=summary, openapi_extra=openapi.STORE_READ)
    @routes.delete("/store", summary=summary, openapi_extra=openapi.STORE_READ)
    @routes.api_route(
        "/store", methods=["PUT", "POST"], summary=summary, openapi_extra=openapi.STORE_WRITE
    )
    async def graph_store_indirect(request: Request) -> Response:
        return await graph_store.handle(request)

    summary = "Graph Store Protocol, direct: the graph named by this URL"

    @routes.api_route("/store/{path:path}", methods=[*READ, "DELETE"], summary=summary)
    @routes.api_route(
        "/store/{path:path}",
        methods=["PUT", "POST"],
        summary=summary,
        openapi_extra=openapi.DIRECT_WRITE,
    )
    async def graph_store_direct(request: Request, path: str) -> Response:
        return await graph_store.handle(request, direct=True)
