"""The research query catalogue as an API and as pages: ``/api/queries`` lists the queries with
their parameters, ``/api/queries/{name}?param=…`` runs one, ``/query/{name}`` is its page with a
form.

A query runs as ``/sparql`` runs a query — negotiated before it runs, in a query worker under
the endpoint's time, row and byte limits — after its parameters are bound by
``graph/read/parameters.py`` (checked values written as SPARQL terms, never pasted text). A
parameter the query does not take, a repeated one, or a value it cannot take is a 400 naming it.
The allowed values of the vocabulary parameters are read from the store once per write.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from vnpolicy.graph.formats import HTML
from vnpolicy.graph.read.completions import Completions, completions
from vnpolicy.graph.read.overview import Overview
from vnpolicy.graph.read.parameters import (
    MAX_STRING,
    AllowedValue,
    Parameter,
    ParameterError,
    allowed_values,
    bind,
)
from vnpolicy.graph.read.query import CatalogueQuery, catalogue
from vnpolicy.graph.store import ReadableStore
from vnpolicy.server.errors import BadRequest, NotFound, quoted
from vnpolicy.server.http.linked_data import page_context
from vnpolicy.server.http.methods import READ
from vnpolicy.server.http.negotiation import answer
from vnpolicy.server.http.replies import client_of, from_worker, streamed
from vnpolicy.server.http.sparql import choices
from vnpolicy.server.http.urls import UrlSpace, query_page
from vnpolicy.server.runtime.query import QueryRequest

if TYPE_CHECKING:
    from vnpolicy.server.http.publisher import Publisher

#: Query-string names every catalogue query takes besides its own parameters.
RESERVED = ("format", "lang")
#: The formats the query pages offer in their form (any SPARQL results format is answered).
PAGE_FORMATS = (("json", "JSON"), ("csv", "CSV"), ("tsv", "TSV"), ("xml", "XML"))


@dataclass(frozen=True)
class AllowedOut:
    key: str
    iri: str
    labels: dict[str, str]


@dataclass(frozen=True)
class ParameterOut:
    name: str
    type: str  #: year, integer, string, concept or instance
    default: str
    labels: dict[str, str]
    vocabulary: str | None
    allowed: list[AllowedOut] | None


@dataclass(frozen=True)
class QueryOut:
    name: str
    title: str
    title_vi: str
    description: str
    api: str  #: where to run it (``?param=…&format=…``)
    page: str  #: its page, with a form
    parameters: list[ParameterOut]
    query: str


@dataclass(frozen=True)
class CatalogueOut:
    """The body of ``GET /api/queries``."""

    queries: list[QueryOut]


class Catalogue:
    def __init__(self, store: ReadableStore, base: str) -> None:
        self.store, self.base = store, base
        self.queries = {query.name: query for query in catalogue()}
        #: The allowed values of each query's vocabulary parameters, by query name (bounded by
        #: the catalogue), read once per write.
        self._allowed: dict[str, dict[str, list[AllowedValue]]] = {}
        self._terms: Completions | None = None

    def refresh(self) -> None:
        self._allowed = {}
        self._terms = None

    def terms(self, facts: Callable[[], Overview]) -> Completions:
        """What the query editor completes, made once per write from the VoID partitions."""
        if self._terms is None:
            self._terms = completions(self.store, facts())
        return self._terms

    def get(self, name: str) -> CatalogueQuery:
        if name not in self.queries:
            raise NotFound(
                f"The catalogue has no query {quoted(name)}; GET /api/queries lists them"
            )
        return self.queries[name]

    def allowed(self, query: CatalogueQuery) -> dict[str, list[AllowedValue]]:
        if query.name not in self._allowed:
            self._allowed[query.name] = {
                parameter.name: allowed_values(self.store, parameter, self.base)
                for parameter in query.parameters
                if parameter.is_iri
            }
        return self._allowed[query.name]

    def bound(self, query: CatalogueQuery, request: Request) -> tuple[str, str | None]:
        """The query's text with the request's parameters bound, and its ``format=``."""
        given = parse_qsl(request.url.query, keep_blank_values=True)
        values: dict[str, str] = {}
        for name, value in given:
            if name in values:
                raise BadRequest(f"Parameter {quoted(name)} is given twice; give it once",
                                 extensions={"parameter": name})  # fmt: skip
            values[name] = value
        override = values.pop("format", None)
        values.pop("lang", None)
        try:
            return bind(query.text, query.parameters, values, self.allowed(query)), override
        except ParameterError as error:
            names = ", ".join(p.name for p in query.parameters) or "none"
            raise BadRequest(
                f"Parameter {quoted(error.name)} of {query.name}: {str(error).split(': ', 1)[1]}"
                f" (its parameters: {names}; also format)",
                extensions={"parameter": error.name},
            ) from None

    def described(self, query: CatalogueQuery, urls: UrlSpace) -> QueryOut:
        allowed = self.allowed(query)
        return QueryOut(
            query.name,
            query.title,
            query.title_in("vi"),
            query.description,
            urls.absolute(f"/api/queries/{query.name}"),
            urls.absolute(f"/query/{query.name}"),
            [
                _parameter_out(parameter, allowed.get(parameter.name))
                for parameter in query.parameters
            ],
            query.text,
        )


def _parameter_out(parameter: Parameter, allowed: list[AllowedValue] | None) -> ParameterOut:
    return ParameterOut(
        parameter.name,
        parameter.kind,
        parameter.default,
        {"en": parameter.label_en, "vi": parameter.label_vi},
        parameter.vocabulary,
        None
        if allowed is None
        else [AllowedOut(v.key, v.iri, {"en": v.label_en, "vi": v.label_vi}) for v in allowed],
    )


def _schema(parameter: Parameter) -> dict[str, Any]:
    """A parameter's OpenAPI schema."""
    if parameter.kind == "year":
        return {"type": "integer", "minimum": 1000, "maximum": 9999,
                "default": int(parameter.default)}  # fmt: skip
    if parameter.kind == "integer":
        return {"type": "integer", "default": int(parameter.default)}
    if parameter.kind == "string":
        return {"type": "string", "maxLength": MAX_STRING, "default": parameter.default}
    return {"type": "string", "default": parameter.default}


def openapi_parameters(query: CatalogueQuery) -> dict[str, Any]:
    """The OpenAPI parameters of one catalogue query's route."""
    described = []
    for parameter in query.parameters:
        what = parameter.label_en
        if parameter.is_iri:
            of = "a concept of the scheme" if parameter.kind == "concept" else "an instance of"
            what += (
                f": {of} <{parameter.vocabulary}>, by its IRI or its key (GET /api/queries lists"
                " the allowed values)"
            )
        described.append({"name": parameter.name, "in": "query", "required": False,
                          "schema": _schema(parameter), "description": what})  # fmt: skip
    overriding = "Results format overriding Accept: json, csv, tsv, xml"
    described.append({"name": "format", "in": "query", "required": False,
                      "schema": {"type": "string"}, "description": overriding})  # fmt: skip
    return {"parameters": described}


def add_routes(routes: APIRouter, publisher: "Publisher") -> None:
    """``/api/queries``, one route per catalogue query (so that the OpenAPI description gives
    each its parameters), ``/api/queries/{name}`` for any other name (404), and the pages."""
    book, urls = publisher.catalogue, publisher.urls

    @routes.api_route("/api/queries", methods=READ, summary="The research query catalogue")
    async def list_queries() -> CatalogueOut:
        def described() -> CatalogueOut:
            return CatalogueOut([book.described(query, urls) for query in book.queries.values()])

        return await publisher.blocking(described)

    for query in book.queries.values():
        routes.add_api_route(
            f"/api/queries/{query.name}",
            _runner(publisher, query),
            methods=READ,
            summary=query.title,
            description=query.description,
            openapi_extra=openapi_parameters(query),
        )

    @routes.api_route(
        "/api/terms",
        methods=READ,
        summary="The prefixes, classes and properties the editor completes",
    )
    async def terms() -> Completions:
        return await publisher.blocking(book.terms, lambda: publisher.site.overview)

    @routes.api_route("/api/queries/{name}", methods=READ, include_in_schema=False)
    async def unknown_query(name: str) -> Response:
        raise NotFound(f"The catalogue has no query {quoted(name)}; GET /api/queries lists them")

    @routes.api_route("/query/{name}", methods=READ, summary="A research query's page, with a form")
    async def query_page_route(request: Request, name: str) -> Response:
        return await publisher.blocking(_page, publisher, request, book.get(name))


def _runner(
    publisher: "Publisher", query: CatalogueQuery
) -> Callable[[Request], Awaitable[Response]]:
    book = publisher.catalogue
    endpoint = publisher.urls.absolute(f"/api/queries/{query.name}")

    async def run_query(request: Request) -> Response:
        text, override = await publisher.blocking(book.bound, query, request)
        chosen = choices(request.headers.get("accept"), override)
        work = publisher.runtime.run(QueryRequest(text), chosen, endpoint, client_of(request))
        return streamed(await from_worker(request, work))

    return run_query


def _page(publisher: "Publisher", request: Request, query: CatalogueQuery) -> Response:
    context = page_context(request, publisher.urls)
    allowed = publisher.catalogue.allowed(query)
    fields = [
        {
            "parameter": parameter,
            "label": parameter.label(context.lang),
            "options": [
                (value.key, value.label(context.lang), value.iri == parameter.default)
                for value in allowed.get(parameter.name, [])
            ],
        }
        for parameter in query.parameters
    ]
    body = context.render(
        "catalogue_query.html",
        title=query.title_in(context.lang),
        alternates=[],
        query=query,
        fields=fields,
        formats=PAGE_FORMATS,
        editor=query_page(query.text),
        bases=publisher.urls.bases,
    )
    return answer(body, HTML.media_type, vary=("Accept-Language",))
