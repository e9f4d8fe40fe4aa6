"""The SPARQL 1.1 Protocol at ``/sparql`` and ``/update``: reading the requests (W3C SPARQL 1.1
Protocol §2.1, §2.2) and negotiating the answer's format before the query runs.

A query arrives by GET (``?query=``), by POST of a form, or by POST of the query itself
(``application/sparql-query``); ``default-graph-uri`` and ``named-graph-uri`` set the dataset.
Without them the default graph is the union of every named graph (documents, model, entailments),
so that vocabulary labels resolve without ``GRAPH``; each graph stays reachable by ``GRAPH``.
The query itself is checked and run by the store runtime (``server/runtime/query.py``).
"""

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from vnpolicy.graph.formats import TRIPLE_FORMATS, Form, answer_formats, offers
from vnpolicy.server.errors import (
    BadRequest,
    MethodNotAllowed,
    NotAcceptable,
    Problem,
    TooLarge,
    UnsupportedMediaType,
    iri,
    quoted,
)
from vnpolicy.server.http import openapi
from vnpolicy.server.http.methods import READ, REFUSED
from vnpolicy.server.http.negotiation import (
    NotAcceptableError,
    answer,
    choose,
    negotiate,
    refusal,
)
from vnpolicy.server.http.replies import client_of, from_worker, streamed
from vnpolicy.server.runtime.query import Choices, QueryRequest
from vnpolicy.server.runtime.writes import Update
from vnpolicy.server.settings import Settings

if TYPE_CHECKING:
    from vnpolicy.server.http.publisher import Publisher

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
#: Most parameters one request may carry (URL and form together); the protocol needs a handful,
#: plus one per default-graph-uri/named-graph-uri.
MAX_PARAMETERS = 1000
_FORM_NAMES = {Form.SELECT: " SELECT results", Form.ASK: " an ASK result", Form.GRAPH: " a graph"}


@dataclass(frozen=True)
class ProtocolQuery:
    """A query request as the protocol gives it: the query and its dataset, and ``format=``."""

    request: QueryRequest
    format: str | None


def choices(
    accept: str | None, override: str | None, refused: dict[Form, Problem] | None = None
) -> Choices:
    """The format to answer each query form in, chosen before the query runs; ``refused`` forms
    are answered with their problem. A request that no form could answer is refused here."""
    media_types: dict[Form, str] = {}
    refusals: dict[Form, Problem] = dict(refused or {})
    for form in Form:
        if form in refusals:
            continue
        try:
            media_types[form] = choose(offers(answer_formats(form)), accept, override).media_type
        except NotAcceptableError as error:
            refusals[form] = refusal(error, _FORM_NAMES[form])
    if not media_types:
        asked = (override and f"format={override}") or accept or ""
        available = list(
            dict.fromkeys(o.media_type for form in Form for o in offers(answer_formats(form)))
        )
        raise NotAcceptable(
            f"Cannot answer any query in {quoted(asked)}; available: {', '.join(available)}",
            available,
        )
    return Choices(media_types, refusals)


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


async def parse_query_request(request: Request, settings: Settings) -> ProtocolQuery | None:
    """The query and dataset of a protocol request; None for a GET without a query."""
    url_params = parse_qsl(request.url.query, keep_blank_values=True)
    if request.method in ("GET", "HEAD"):
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
        raise MethodNotAllowed("Use GET or POST", ("GET", "HEAD", "POST"))
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
    formats = [value for name, value in params if name == "format"]
    dataset = QueryRequest(
        queries[0], _iris(params, "default-graph-uri"), _iris(params, "named-graph-uri")
    )
    return ProtocolQuery(dataset, formats[0] if formats else None)


def _iris(params: list[tuple[str, str]], name: str) -> list[str]:
    values = [value for key, value in params if key == name]
    for value in values:
        iri(value, name)
    return values


async def parse_update_request(request: Request, settings: Settings, base_iri: str) -> Update:
    """The update of a protocol request (SPARQL 1.1 Protocol §2.2), a form or a direct POST,
    with its ``using-graph-uri``/``using-named-graph-uri`` dataset (the worker that runs it
    checks its text and writes the dataset into it)."""
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
    using = tuple(value for name, value in params if name == "using-graph-uri")
    using_named = tuple(value for name, value in params if name == "using-named-graph-uri")
    return Update(updates[0], base_iri, using, using_named, settings.allow_service)


def add_routes(routes: APIRouter, publisher: "Publisher") -> None:
    """``/sparql``: the query operation; a GET without a query answers the service description."""
    settings = publisher.settings
    summary = "SPARQL 1.1 query endpoint (GET without a query: the service description)"

    @routes.api_route("/sparql", methods=READ, summary=summary, openapi_extra=openapi.QUERY_GET)
    @routes.post("/sparql", summary=summary, openapi_extra=openapi.QUERY_POST)
    @routes.api_route("/sparql", methods=REFUSED, include_in_schema=False)  # answered 405
    async def sparql_endpoint(request: Request) -> Response:
        asked = await parse_query_request(request, settings)
        endpoint = publisher.urls.absolute("/sparql")
        if asked is None:
            accept, override = request.headers.get("accept"), request.query_params.get("format")
            offer = negotiate(offers(TRIPLE_FORMATS), accept, override)
            body = await publisher.description.written(offer.format)
            return answer(body, offer.media_type)
        chosen = choices(request.headers.get("accept"), asked.format)
        work = publisher.runtime.run(asked.request, chosen, endpoint, client_of(request))
        return streamed(await from_worker(request, work))
