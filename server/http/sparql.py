"""The SPARQL 1.1 Protocol query operation at ``/sparql`` (W3C SPARQL 1.1 Protocol §2.1).

A query arrives by GET (``?query=``), by POST of a form, or by POST of the query itself
(``application/sparql-query``); ``default-graph-uri`` and ``named-graph-uri`` set the dataset.
Without them the default graph is the union of every named graph (documents, model, entailments),
so that vocabulary labels resolve without ``GRAPH``; each graph stays reachable by ``GRAPH``.
"""

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl

from pyoxigraph import (
    NamedNode,
    QueryBoolean,
    QuerySolutions,
    RdfFormat,
    Store,
    serialize,
)
from starlette.requests import Request
from starlette.responses import Response

from vnpolicy.graph.namespaces import PREFIX_IRIS
from vnpolicy.server.errors import (
    BadRequest,
    MethodNotAllowed,
    TimedOut,
    TooLarge,
    UnsupportedMediaType,
    iri,
)
from vnpolicy.server.http.negotiation import Offer, content_type, negotiate
from vnpolicy.server.runtime import results
from vnpolicy.server.runtime.query_text import check_operation, with_protocol_dataset
from vnpolicy.server.settings import Settings

SELECT_OFFERS = [
    Offer("application/sparql-results+json", ("json", "srj")),
    Offer("application/sparql-results+xml", ("xml", "srx")),
    Offer("text/csv", ("csv",)),
    Offer("text/tab-separated-values", ("tsv",)),
    Offer("application/json", ()),
    Offer("application/xml", ()),
]
ASK_OFFERS = [SELECT_OFFERS[0], SELECT_OFFERS[1], SELECT_OFFERS[4], SELECT_OFFERS[5]]
RDF_OFFERS = [
    Offer("text/turtle", ("turtle", "ttl")),
    Offer("application/n-triples", ("ntriples", "nt")),
    Offer("application/ld+json", ("jsonld", "json-ld", "json")),
    Offer("application/rdf+xml", ("rdfxml", "xml", "rdf")),
    Offer("application/n-quads", ("nquads", "nq")),
    Offer("application/trig", ("trig",)),
    Offer("text/plain", ()),
]
RDF_FORMATS = {
    "text/turtle": RdfFormat.TURTLE,
    "application/n-triples": RdfFormat.N_TRIPLES,
    "text/plain": RdfFormat.N_TRIPLES,
    "application/ld+json": RdfFormat.JSON_LD,
    "application/rdf+xml": RdfFormat.RDF_XML,
    "application/n-quads": RdfFormat.N_QUADS,
    "application/trig": RdfFormat.TRIG,
}
FORM = "application/x-www-form-urlencoded"
#: Most parameters one request may carry (URL and form together); the protocol needs a handful,
#: plus one per default-graph-uri/named-graph-uri.
MAX_PARAMETERS = 1000
DIRECT = "application/sparql-query"


@dataclass(frozen=True)
class QueryRequest:
    query: str
    default_graphs: list[str]
    named_graphs: list[str]
    format: str | None


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def read_body(request: Request, settings: Settings) -> bytes:
    """The request body, refused with 413 past ``max_body`` bytes (counted as it arrives)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > settings.max_body:
        raise TooLarge(f"Request body of {declared} bytes exceeds {settings.max_body}")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > settings.max_body:
            raise TooLarge(f"Request body exceeds {settings.max_body} bytes")
    return bytes(body)


def _utf8(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadRequest(f"{what} is not valid UTF-8 (byte {error.start})") from None


def _charset_is_utf8(request: Request) -> None:
    match = re.search(r"charset\s*=\s*\"?([\w-]+)", request.headers.get("content-type", ""), re.I)
    if match and match[1].lower() not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"Request charset {match[1]} is not supported; send UTF-8")


def _few_enough(params: list[tuple[str, str]]) -> None:
    if len(params) > MAX_PARAMETERS:
        raise BadRequest(f"{len(params)} parameters; at most {MAX_PARAMETERS} are accepted")


async def parse_query_request(request: Request, settings: Settings) -> QueryRequest | None:
    """The query and dataset of a protocol request; None for a GET without a query."""
    url_params = parse_qsl(request.url.query, keep_blank_values=True)
    if request.method == "GET":
        params = url_params
    elif request.method == "POST":
        kind = media_type(request)
        body = await read_body(request, settings)
        if kind == FORM:
            _charset_is_utf8(request)
            params = parse_qsl(_utf8(body, "The form body"), keep_blank_values=True)
            if any(name == "update" for name, _ in params):
                raise BadRequest("This is the query endpoint; send updates to /update")
        elif kind == DIRECT:
            _charset_is_utf8(request)
            params = [("query", _utf8(body, "The query")), *url_params]
        else:
            raise UnsupportedMediaType(
                f"POST a query as {FORM} or {DIRECT}, not {kind or 'a body without Content-Type'}",
            )
        if kind == FORM and any(name == "query" for name, _ in url_params):
            raise BadRequest("Give the query once: in the form body, not also in the URL")
    else:
        raise MethodNotAllowed("Use GET or POST", {"Allow": "GET, POST"})
    _few_enough(params)
    queries = [value for name, value in params if name == "query"]
    if len(queries) > 1:
        raise BadRequest(f"One query per request; got {len(queries)} 'query' parameters")
    if not queries:
        if any(name == "update" for name, _ in params):
            raise BadRequest("This is the query endpoint; send updates to /update by POST")
        if request.method == "POST":
            raise BadRequest("Missing the 'query' parameter")
        return None
    check_operation(queries[0], "query", settings.allow_service)
    formats = [value for name, value in params if name == "format"]
    return QueryRequest(
        query=queries[0],
        default_graphs=_iris(params, "default-graph-uri"),
        named_graphs=_iris(params, "named-graph-uri"),
        format=formats[0] if formats else None,
    )


def _iris(params: list[tuple[str, str]], name: str) -> list[str]:
    values = [value for key, value in params if key == name]
    for value in values:
        iri(value, name)
    return values


UPDATE = "application/sparql-update"


async def parse_update_request(request: Request, settings: Settings) -> str:
    """The update of a protocol request (SPARQL 1.1 Protocol §2.2), a form or a direct POST, with
    the ``using-graph-uri``/``using-named-graph-uri`` dataset written into it as ``USING``."""
    kind = media_type(request)
    body = await read_body(request, settings)
    _charset_is_utf8(request)
    url_params = parse_qsl(request.url.query, keep_blank_values=True)
    if kind == FORM:
        params = parse_qsl(_utf8(body, "The form body"), keep_blank_values=True) + url_params
        if any(name == "query" for name, _ in params):
            raise BadRequest("This is the update endpoint; send queries to /sparql")
    elif kind == UPDATE:
        params = [("update", _utf8(body, "The update")), *url_params]
    else:
        raise UnsupportedMediaType(f"POST an update as {FORM} or {UPDATE}, not {kind or 'no type'}")
    _few_enough(params)
    updates = [value for name, value in params if name == "update"]
    if len(updates) != 1:
        raise BadRequest(f"Send exactly one 'update' parameter; got {len(updates)}")
    check_operation(updates[0], "update", settings.allow_service)
    using = [value for name, value in params if name == "using-graph-uri"]
    using_named = [value for name, value in params if name == "using-named-graph-uri"]
    return with_protocol_dataset(updates[0], using, using_named)


@dataclass(frozen=True)
class Outcome:
    kind: str  # "select", "ask" or "graph"
    variables: list[str]
    rows: Sequence[results.Row]
    boolean: bool
    triples: list[object]


def is_stale_view(error: OSError) -> bool:
    """Whether a read failed because the writer's compaction removed a file that a read-only
    view of an on-disk store still referred to; the view must be opened again."""
    return "No such file or directory" in str(error)


def execute(store: Store, request: QueryRequest, settings: Settings, base_iri: str) -> Outcome:
    """Run the query, pulling at most ``max_rows`` + 1 results and stopping at the deadline."""
    # The project's prefixes are predeclared, as in ``vnpolicy query``.
    options: dict[str, object] = {"base_iri": base_iri, "prefixes": PREFIX_IRIS}
    if request.default_graphs or request.named_graphs:
        options["default_graph"] = [NamedNode(uri) for uri in request.default_graphs]
        options["named_graphs"] = [NamedNode(uri) for uri in request.named_graphs]
    else:
        options["use_default_graph_as_union"] = True
    deadline = time.monotonic() + settings.query_timeout
    try:
        answer = store.query(request.query, **options)  # type: ignore[arg-type]
        if isinstance(answer, QueryBoolean):
            return Outcome("ask", [], [], bool(answer), [])
        collected: list[object] = []
        iterator = iter(answer)
        for item in iterator:
            collected.append(item)
            if len(collected) > settings.max_rows:
                raise TooLarge(
                    f"The query has more than {settings.max_rows} results; add LIMIT or narrow it"
                    " (results are never cut silently)",
                )
            if time.monotonic() > deadline:
                raise TimedOut(f"The query ran past the {settings.query_timeout:g} s limit")
    except SyntaxError as error:
        raise BadRequest(f"Invalid SPARQL: {error}") from None
    except OSError as error:
        if is_stale_view(error):
            raise
        raise BadRequest(f"The query failed: {error}") from None
    if isinstance(answer, QuerySolutions):
        variables = [variable.value for variable in answer.variables]
        rows = [[solution[name] for name in variables] for solution in collected]  # type: ignore[index]
        return Outcome("select", variables, rows, False, [])
    # QueryTriples from the embedded store, an iterator of triples from an external one.
    return Outcome("graph", [], [], False, collected)


def render(outcome: Outcome, accept: str | None, override: str | None) -> Response:
    offers = {"select": SELECT_OFFERS, "ask": ASK_OFFERS, "graph": RDF_OFFERS}[outcome.kind]
    offer = negotiate(offers, accept, override)
    kind = offer.media_type
    if outcome.kind == "graph":
        body = serialize(outcome.triples, format=RDF_FORMATS[kind]) or b""  # type: ignore[arg-type]
    elif outcome.kind == "ask":
        body = (
            results.boolean_xml(outcome.boolean)
            if "xml" in kind
            else results.boolean_json(outcome.boolean)
        )
    elif "json" in kind:
        body = results.select_json(outcome.variables, outcome.rows)
    elif "xml" in kind:
        body = results.select_xml(outcome.variables, outcome.rows)
    elif kind == "text/csv":
        body = results.select_csv(outcome.variables, outcome.rows)
    else:
        body = results.select_tsv(outcome.variables, outcome.rows)
    return Response(body, media_type=content_type(kind), headers={"Vary": "Accept"})
