"""Search: ``/search?q=`` as a page and as JSON, suggestions for the search box, the OpenSearch
description, and ``/id?number=`` (a document by its number).

The index is the file the build writes beside the dumps (``out/search.sqlite``), read the same
way over the embedded store and an external one (docs/decisions/0024). Every search runs in a
thread, at most ``SLOTS`` at a time, and is bounded before and while it runs
(``graph/search/engine.py``): the event loop only waits for it, at most the query time limit.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar
from xml.sax.saxutils import escape, quoteattr

import anyio
from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from vnpolicy.graph.paths import SEARCH_INDEX
from vnpolicy.graph.search.engine import (
    MAX_PAGE,
    MAX_PAGE_SIZE,
    IndexMissingError,
    Query,
    SearchError,
    SearchIndex,
    SearchTimedOutError,
    Suggestion,
)
from vnpolicy.graph.search.entries import FACETS
from vnpolicy.server.errors import BadRequest, NotFound, TimedOut, Unavailable, quoted
from vnpolicy.server.http import search_answers
from vnpolicy.server.http.linked_data import page_context
from vnpolicy.server.http.methods import READ
from vnpolicy.server.http.negotiation import answer, content_type, negotiate, see_other
from vnpolicy.server.http.urls import UrlSpace

if TYPE_CHECKING:
    from vnpolicy.server.http.publisher import Publisher

#: Searches run at once; more wait for a slot (at most the time limit).
SLOTS = 2
PAGE_SIZE = 20
OPENSEARCH = "application/opensearchdescription+xml"
SUGGESTIONS = "application/x-suggestions+json"
T = TypeVar("T")


@dataclass(frozen=True)
class _Form:
    media_type: str
    names: tuple[str, ...]


PAGE_FORMS = (_Form("text/html", ("html",)), _Form("application/json", ("json",)))
VARY = ("Accept", "Accept-Language")


class Search:
    def __init__(self, out: Path, urls: UrlSpace, time_limit: float) -> None:
        self.index = SearchIndex(out / SEARCH_INDEX, time_limit)
        self.urls, self.time_limit = urls, time_limit
        self._slots = anyio.CapacityLimiter(SLOTS)

    async def run(self, work: Callable[..., T], *args: object) -> T:
        """``work`` in a thread, with the index's errors as problems."""
        try:
            with anyio.fail_after(self.time_limit * 2):
                return await anyio.to_thread.run_sync(work, *args, limiter=self._slots)
        except SearchError as error:
            raise BadRequest(str(error)) from None
        except (SearchTimedOutError, TimeoutError):
            raise TimedOut(f"The search took more than {self.time_limit:g} s; narrow it") from None
        except IndexMissingError as error:
            raise Unavailable(
                f"Search is not available: {error}. The index is written by 'vnpolicy build' "
                "with the dumps"
            ) from None

    def href(self, uri: str, lang: str) -> str:
        href = self.urls.page(uri)
        if lang != "en" and not href.startswith("http"):
            href += ("&" if "?" in href else "?") + "lang=" + lang
        return href

    async def page(self, request: Request) -> Response:
        form = negotiate(PAGE_FORMS, request.headers.get("accept"), _format(request))
        context = page_context(request, self.urls)
        query = _query(request, context.lang)
        results = await self.run(self.index.search, query)
        if form.media_type == "application/json":
            body = search_answers.results_json(results, self.urls, context.lang)
            return answer(body, "application/json", vary=VARY)
        html = context.render(
            "search.html",
            title=context.t("Search", "Tìm kiếm")
            + (f": {query.text}" if query.text.strip() else ""),
            alternates=[],
            search_query=query.text,
            results=results,
            hits=[(hit, self.href(hit.uri, context.lang)) for hit in results.hits],
            facets=search_answers.facet_groups(results, context),
            chosen=search_answers.chosen_filters(results, context),
            pages=search_answers.page_links(results, context),
            value_name=search_answers.value_namer(results, context.lang),
        )
        return answer(html, "text/html", vary=VARY)

    async def suggest(self, request: Request) -> Response:
        """OpenSearch suggestions: ``[query, [labels], [details], [URLs]]``."""
        text = request.query_params.get("q", "")
        context = page_context(request, self.urls)
        found: list[Suggestion] = await self.run(self.index.suggest, text, context.lang)
        body = search_answers.suggestions_json(
            text, found, lambda uri: self.urls.absolute(self.href(uri, context.lang))
        )
        return answer(body, SUGGESTIONS, vary=("Accept-Language",))

    def opensearch(self, request: Request) -> Response:
        root = self.urls.public
        templates = [
            ("text/html", "search?q={searchTerms}&page={startPage?}"),
            ("application/json", "search?q={searchTerms}&page={startPage?}&format=json"),
            (SUGGESTIONS, "search/suggest?q={searchTerms}"),
        ]
        urls = "".join(
            f"<Url type={quoteattr(kind)} template={quoteattr(root + template)}/>"
            for kind, template in templates
        )
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">'
            "<ShortName>vnpolicy</ShortName>"
            "<Description>Vietnam's science, technology, innovation and digital-transformation "
            "policy: documents, provisions, targets and concepts, in Vietnamese and English"
            "</Description>"
            "<InputEncoding>UTF-8</InputEncoding><OutputEncoding>UTF-8</OutputEncoding>"
            "<Language>vi</Language><Language>en</Language>"
            f"{urls}"
            f'<Url type="{OPENSEARCH}" rel="self" template={quoteattr(root + "opensearch.xml")}/>'
            f'<Query role="example" searchTerms={quoteattr("Nghị quyết 57")}/>'
            f"<Developer>{escape('vnpolicy')}</Developer>"
            "</OpenSearchDescription>\n"
        )
        return Response(body, media_type=content_type(OPENSEARCH))

    async def by_number(self, request: Request) -> Response:
        """303 to the document a number names; 300 listing them when several fit."""
        number = request.query_params.get("number")
        if number is None or not number.strip():
            raise BadRequest("give the document's number: /id?number=57-NQ/TW")
        if len(number) > 200:
            raise BadRequest(f"number={quoted(number)} is longer than a number can be")
        found = await self.run(self.index.lookup, number)
        if not found:
            raise NotFound(f"No document of the dataset has the number {quoted(number)}")
        if len(found) == 1:
            return see_other(self.urls.page(str(found[0].uri)), vary=())
        form = negotiate(PAGE_FORMS, request.headers.get("accept"), _format(request))
        context = page_context(request, self.urls)
        uris = [str(document.uri) for document in found]
        names = await self.run(self.index.labels_of, uris)
        if form.media_type == "application/json":
            body = search_answers.candidates_json(number, uris, names, self.urls, context.lang)
            return answer(body, "application/json", status=300, vary=VARY)
        html = context.render(
            "candidates.html",
            title=context.t("Several documents", "Nhiều văn bản"),
            alternates=[],
            number=number,
            candidates=[
                (names.get(uri, {}).get(context.lang) or uri, self.href(uri, context.lang))
                for uri in uris
            ],
        )
        return answer(html, "text/html", status=300, vary=VARY)


def _format(request: Request) -> str | None:
    return request.query_params.get("format")


def _number(request: Request, name: str, default: int, most: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= most:
        raise BadRequest(f"{name}={quoted(raw)}: give a whole number from 1 to {most}")
    return int(raw)


def _query(request: Request, lang: str) -> Query:
    """The search a request asks for: ``q``, a filter per facet, ``page`` and ``size``."""
    params = request.query_params
    filters = []
    for name in FACETS:
        values = params.getlist(name)
        if len(values) > 1:
            raise BadRequest(f"{name} is given {len(values)} times; give one value")
        if values and values[0]:
            filters.append((name, values[0]))
    return Query(
        params.get("q", ""),
        tuple(filters),
        _number(request, "page", 1, MAX_PAGE),
        _number(request, "size", PAGE_SIZE, MAX_PAGE_SIZE),
        lang,
    )


def add_routes(routes: APIRouter, publisher: "Publisher") -> None:
    search = publisher.search

    @routes.api_route(
        "/search",
        methods=READ,
        summary="Full-text search: an HTML page, or JSON (Accept or format=json)",
        response_model=search_answers.SearchAnswer,
        openapi_extra=search_answers.SEARCH_PARAMETERS,
    )
    async def search_page(request: Request) -> Response:
        return await search.page(request)

    @routes.api_route(
        "/search/suggest",
        methods=READ,
        summary="Search suggestions (OpenSearch suggestions JSON)",
        openapi_extra=search_answers.SUGGEST_PARAMETERS,
    )
    async def suggest(request: Request) -> Response:
        return await search.suggest(request)

    @routes.api_route("/opensearch.xml", methods=READ, summary="OpenSearch description")
    async def opensearch(request: Request) -> Response:
        return search.opensearch(request)

    @routes.api_route(
        "/id",
        methods=READ,
        summary="A document by its number: 303 to it, 300 when several fit",
        openapi_extra=search_answers.ID_PARAMETERS,
    )
    async def by_number(request: Request) -> Response:
        return await search.by_number(request)
