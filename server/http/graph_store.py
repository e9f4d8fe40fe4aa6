"""The write endpoints: SPARQL 1.1 Update (``/update``) and the SPARQL 1.1 Graph Store HTTP
Protocol (``/store?graph=IRI``, ``/store?default``, and ``/store/{path}`` for graphs named by
their own URL), reads open to all, writes behind the token.

A document's data is published with ``PUT /store?graph={base}graph/{document path}`` (replace),
``POST`` (merge) or ``DELETE``; ``POST /store`` with no graph adds a new graph, named for the
document it describes, or a fresh ``{base}graph/upload/{uuid}`` when it describes none.
"""

import uuid
from collections.abc import Awaitable, Callable
from email.parser import BytesParser
from email.policy import HTTP
from urllib.parse import parse_qsl

from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, Store, parse
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from vnpolicy.graph.bridge import oxigraph_term
from vnpolicy.graph.uris import Minter
from vnpolicy.server.errors import ClientError, iri
from vnpolicy.server.http import sparql
from vnpolicy.server.http.linked_data import rdf_body
from vnpolicy.server.http.negotiation import content_type, negotiate
from vnpolicy.server.runtime.change import GraphName
from vnpolicy.server.runtime.writes import (
    DOCUMENT,
    TYPE,
    Action,
    Delete,
    Merge,
    Replace,
    Update,
    check_token,
)
from vnpolicy.server.runtime.xml_entities import check_entities
from vnpolicy.server.settings import Settings

#: Media types a graph may be uploaded in: the triple formats of the endpoint, all parsed by
#: Oxigraph, which fetches nothing.
UPLOAD_FORMATS = {
    media_type: rdf_format
    for media_type, rdf_format in sparql.RDF_FORMATS.items()
    if rdf_format not in (RdfFormat.N_QUADS, RdfFormat.TRIG)
} | {"application/x-turtle": RdfFormat.TURTLE}
MULTIPART = "multipart/form-data"


class GraphStore:
    """Answers ``/update`` and ``/store``; ``publish`` carries out every write."""

    def __init__(
        self, settings: Settings, store: Store, publish: Callable[[Action], Awaitable[None]]
    ) -> None:
        self.settings, self.store, self.publish = settings, store, publish

    async def update(self, request: Request) -> Response:
        if request.method != "POST":
            raise ClientError(
                405, "SPARQL Update needs POST (a form or application/sparql-update)", _POST
            )
        check_token(self.settings, request.headers.get("authorization"))
        text = await sparql.parse_update_request(request, self.settings)
        await self.publish(Update(text, str(request.url.replace(query=""))))
        return Response(status_code=204)

    async def handle(self, request: Request, direct: bool = False) -> Response:
        """A Graph Store Protocol request: indirect (``/store?graph=IRI``, ``/store?default``)
        or, with ``direct``, naming the graph by its own URL (``/store/some/path``)."""
        params = parse_qsl(request.url.query, keep_blank_values=True)
        if direct:
            if params:
                raise ClientError(400, "A graph named by its URL (/store/…) takes no parameters")
            graph: GraphName = iri(str(request.url), "the graph's URL")
        elif request.method == "POST" and not params:
            graph = DefaultGraph()  # not used: the store itself names the new graph
        else:
            graph = target_graph(params)
        if request.method in ("GET", "HEAD"):
            if self.settings.external:  # each lookup is an HTTP request: not in the event loop
                return await run_in_threadpool(self._read, request, graph)
            return self._read(request, graph)
        check_token(self.settings, request.headers.get("authorization"))
        if request.method == "POST" and not params and not direct:
            return await self._add_new_graph(request)
        existed = self._exists(graph)
        if request.method == "DELETE":
            if not existed:
                raise ClientError(404, f"No graph {_name(graph)} in this dataset")
            await self.publish(Delete(graph))
            return Response(status_code=204)
        quads = await self._uploaded(request, graph)
        await self.publish(
            Replace(graph, quads) if request.method == "PUT" else Merge(graph, quads)
        )
        return Response(status_code=204 if existed else 201)

    def _read(self, request: Request, graph: GraphName) -> Response:
        if not self._exists(graph):
            raise ClientError(404, f"No graph {_name(graph)} in this dataset")
        offer = negotiate(
            sparql.RDF_OFFERS[:6], request.headers.get("accept"), request.query_params.get("format")
        )
        quads = list(self.store.quads_for_pattern(None, None, None, graph))
        return Response(
            rdf_body(quads, offer.media_type),
            media_type=content_type(offer.media_type),
            headers={"Vary": "Accept"},
        )

    async def _add_new_graph(self, request: Request) -> Response:
        quads = await self._uploaded(request, DefaultGraph())
        documents = {q.subject for q in quads if q.predicate == TYPE and q.object == DOCUMENT}
        minter = Minter(self.settings.base)
        if len(documents) == 1 and isinstance(document := documents.pop(), NamedNode):
            graph = oxigraph_term(minter.home_graph(document.value))
            if self._exists(graph):
                raise ClientError(
                    409,
                    f"{document.value} is already published; PUT ?graph={graph.value} replaces it",
                )
        else:
            graph = oxigraph_term(minter.upload_graph(uuid.uuid4()))
        placed = [Quad(q.subject, q.predicate, q.object, graph) for q in quads]
        await self.publish(Replace(graph, placed))
        return Response(status_code=201, headers={"Location": graph.value})

    async def _uploaded(self, request: Request, graph: GraphName) -> list[Quad]:
        """The triples of the request body (one RDF document, or the parts of a multipart
        form), placed in ``graph``."""
        kind = sparql.media_type(request)
        body = await sparql.read_body(request, self.settings)
        if kind == MULTIPART:
            parts = _multipart(request.headers.get("content-type", ""), body)
        else:
            parts = [(kind, body)]
        quads = []
        for number, (part_kind, data) in enumerate(parts, 1):
            if part_kind not in UPLOAD_FORMATS:
                listed = ", ".join([*UPLOAD_FORMATS, MULTIPART])
                where = f"part {number}: " if kind == MULTIPART else ""
                raise ClientError(
                    415, f"{where}upload RDF as one of {listed}, not {part_kind or 'no type'}"
                )
            if UPLOAD_FORMATS[part_kind] == RdfFormat.RDF_XML:
                check_entities(data, self.settings.max_body)
            try:
                triples = list(parse(data, format=UPLOAD_FORMATS[part_kind]))
            except SyntaxError as error:
                where = f" (part {number})" if kind == MULTIPART else ""
                raise ClientError(400, f"The uploaded RDF{where} does not parse: {error}") from None
            quads += [Quad(t.subject, t.predicate, t.object, graph) for t in triples]
        return quads

    def _exists(self, graph: GraphName) -> bool:
        return isinstance(graph, DefaultGraph) or self.store.contains_named_graph(graph)


_POST = {"Allow": "POST"}


def target_graph(params: list[tuple[str, str]]) -> GraphName:
    """The graph a Graph Store Protocol request names: ``?graph=IRI`` or ``?default``."""
    graphs = [value for name, value in params if name == "graph"]
    default = any(name == "default" for name, _ in params)
    if len(graphs) + default != 1:
        raise ClientError(400, "Name one graph: '?graph=IRI' or '?default'")
    if default:
        return DefaultGraph()
    return iri(graphs[0], "graph")


def _name(graph: GraphName) -> str:
    return "(the default graph)" if isinstance(graph, DefaultGraph) else graph.value


def _multipart(content_type_header: str, body: bytes) -> list[tuple[str, bytes]]:
    """The (media type, bytes) of each part of a multipart/form-data body."""
    if "boundary=" not in content_type_header:
        raise ClientError(400, "A multipart/form-data body needs a boundary in its Content-Type")
    head = f"Content-Type: {content_type_header}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise ClientError(400, "The multipart/form-data body has no parts")
    parts = []
    for part in message.iter_parts():
        payload = part.get_payload(decode=True)
        parts.append((part.get_content_type(), payload if isinstance(payload, bytes) else b""))
    return parts
