"""Dereferenceable URIs: every resource of the dataset answers at its own path.

The 303 pattern (docs/decisions/0010): ``/eli/vn/tw/nq/2024/57`` names a resolution, not a web
page, so it answers ``303 See Other`` to the description in the negotiated format —
``…/57.html``, ``.ttl``, ``.jsonld``, ``.nt``, ``.rdf``, ``.trig`` or ``.nq`` — which answer
``200``. Unknown URIs answer ``404`` in the negotiated format.
"""

from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter
from pyoxigraph import Literal, NamedNode, QuerySolutions, serialize
from rdflib import Graph
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from vnpolicy.graph.bridge import Terms
from vnpolicy.graph.formats import BY_SUFFIX, DESCRIPTION_FORMATS, HTML, Offer, offers
from vnpolicy.graph.output.serialise import written
from vnpolicy.graph.read.describe import Description, describe, exists, extent
from vnpolicy.graph.read.resource_facts import resource_facts
from vnpolicy.graph.read.tracker import tracker_anchor
from vnpolicy.graph.read.void import described_uris
from vnpolicy.graph.store import ReadableStore
from vnpolicy.server.errors import BadRequest, TooLarge, iri, quoted
from vnpolicy.server.http import openapi
from vnpolicy.server.http.document_view import read, reading_values, uris_to_name
from vnpolicy.server.http.feed_links import document_feeds
from vnpolicy.server.http.methods import READ
from vnpolicy.server.http.negotiation import answer, choose_language, negotiate, see_other
from vnpolicy.server.http.page_languages import shown_instead_note
from vnpolicy.server.http.pages import (
    Namer,
    PageContext,
    alternates,
    legislation_json_ld,
    referenced,
)
from vnpolicy.server.http.urls import UrlSpace, query_page
from vnpolicy.server.http.vocabulary_page import term_sections

if TYPE_CHECKING:
    from vnpolicy.server.http.publisher import Publisher

RESOURCE_OFFERS = offers(DESCRIPTION_FORMATS, aliases=False)
PAGE_SIZE = 100
#: What "open in the query page" starts with.
STATEMENTS_QUERY = """SELECT ?property ?value ?graph WHERE {
  GRAPH ?graph { $uri ?property ?value }
}"""
_NUMBER = "http://data.europa.eu/eli/ontology#number"
_IN_DOCUMENT = "https://w3id.org/vnpolicy/ontology#inDocument"
_ORDINAL = "https://w3id.org/vnpolicy/ontology#ordinal"


def negotiate_resource(request: Request, override: str | None = None) -> Offer:
    return negotiate(
        RESOURCE_OFFERS,
        request.headers.get("accept"),
        override or request.query_params.get("format"),
    )


def graph_response(graph: Graph, offer: Offer, headers: dict[str, str] | None = None) -> Response:
    """An rdflib graph (a small description) in one of our RDF formats."""
    body = written(Terms().quads(graph), offer.format)
    return answer(body, offer.media_type, headers=headers)


@dataclass(frozen=True)
class GraphSummary:
    size: int
    subject_count: int
    subjects: list[str]  # the first page


class LinkedData:
    def __init__(self, store: ReadableStore, urls: UrlSpace, max_rows: int) -> None:
        """``max_rows``: the most statements an RDF description may hold (a larger one, a
        named graph of millions, is read from the Graph Store or the dumps)."""
        self.store, self.urls, self.max_rows = store, urls, max_rows
        #: The Memento TimeGate of a URI, when releases hold versions of it (set by the
        #: publisher; none by default).
        self.timegate: Callable[[str], str | None] = lambda uri: None

    def resolve(self, path: str) -> tuple[str | None, str | None]:
        """The URI a local path names and the suffix asked for, if any."""
        stem, dot, suffix = path.rpartition(".")
        if dot and "/" not in suffix and suffix in BY_SUFFIX:
            path = stem
        else:
            suffix = ""
        for uri in self.urls.uris_for(path):
            if exists(self.store, uri):
                return uri, suffix or None
        return None, suffix or None

    def answer(self, request: Request, uri: str | None, suffix: str | None) -> Response:
        if uri is None:
            return self.not_found(request, suffix)
        if suffix is None:
            return self.see_other(request, uri)
        return self.representation(request, uri, suffix)

    def _query(self, request: Request, *drop: str) -> str:
        kept = [(k, v) for k, v in parse_qsl(request.url.query) if k not in (*drop, "uri")]
        return urlencode(kept)

    def _links(self, uri: str, query: str) -> str:
        return ", ".join(
            f'<{alt.href}>; rel="alternate"; type="{alt.media_type}"'
            for alt in alternates(self.urls, uri, query)
        )

    def see_other(self, request: Request, uri: str) -> Response:
        offer = negotiate_resource(request)
        query = self._query(request, "format")
        target = self.urls.representation(uri, _suffix(offer), query)
        return see_other(target, headers={"Link": self._links(uri, query)})

    def direct(self, request: Request, uri: str) -> Response:
        """``/resource?uri=``: any URI the dataset mentions, in the negotiated format (no 303:
        this URL is a page about the URI, not the URI itself)."""
        offer = negotiate_resource(request)
        suffix = _suffix(offer)
        iri(uri, "uri")
        if not exists(self.store, uri):
            return self.not_found(request, suffix)
        return self.representation(request, uri, suffix, vary=("Accept", "Accept-Language"))

    def representation(
        self, request: Request, uri: str, suffix: str, vary: tuple[str, ...] | None = None
    ) -> Response:
        """One format of a description; a page varies by language, a suffixed URL's RDF by
        nothing (``/resource?uri=`` varies by both, as it is negotiated)."""
        page = _page(request)
        description = describe(self.store, uri, page, PAGE_SIZE)
        if description is None:
            return self.not_found(request, suffix)
        query = self._query(request, "format", "page")
        headers = {"Link": self._links(uri, query)}
        timegate = self.timegate(uri)
        if timegate is not None:
            headers["Link"] += f', <{timegate}>; rel="timegate"'
        if description.page < description.pages:
            next_page = self.urls.representation(
                uri, suffix, "&".join(filter(None, (query, f"page={page + 1}")))
            )
            headers["Link"] += f', <{next_page}>; rel="next"'
        written_as = BY_SUFFIX[suffix]
        if written_as is HTML:
            html = self.page(request, description)
            return answer(html, HTML.media_type, vary=vary or ("Accept-Language",), headers=headers)
        quads = list(islice(extent(self.store, description), self.max_rows + 1))
        if len(quads) > self.max_rows:
            raise TooLarge(
                f"{uri} is described by more than {self.max_rows:,} statements; read the graph "
                "from the Graph Store (/store?graph=…) or the dumps (/dumps/)"
            )
        body = written(quads, written_as)
        return answer(body, written_as.media_type, vary=vary or (), headers=headers)

    def not_found(self, request: Request, suffix: str | None) -> Response:
        """A 404 in the negotiated format: a page, or an empty RDF document (with the message
        as a comment where the syntax has comments)."""
        offer = negotiate_resource(request, suffix)
        message = f"Not found: {request.url.path} names nothing in this dataset"
        if offer.format is HTML:
            context = page_context(request, self.urls)
            shown = context.t(
                message, f"Không tìm thấy: {request.url.path} không chỉ tới gì trong bộ dữ liệu này"
            )
            body = context.render(
                "error.html",
                title=context.t("404 Not Found", "404 Không tìm thấy"),
                message=shown,
                alternates=[],
            )
            return answer(body, HTML.media_type, status=404)
        empty = serialize([], format=offer.format.engine) or f"# {message}\n".encode()
        return answer(empty, offer.media_type, status=404)

    def page(self, request: Request, description: Description) -> str:
        context = page_context(request, self.urls)
        facts = resource_facts(self.store, description.uri)
        named_graph = self._named_graph(description.uri)
        reading = read(self.store, description)
        names = referenced(description, facts) | set(named_graph.subjects if named_graph else [])
        if reading is not None:
            names |= uris_to_name(reading.outline, reading.expressions)
        name = Namer(self.store, context, names)
        uri = description.uri
        title = name(uri).text if name.names.get(uri) else _composed_title(description, name)
        title_language = name(uri).name_language if name.names.get(uri) else None
        by_predicate: dict[str, list[object]] = {}
        for link in description.outgoing:
            by_predicate.setdefault(link.predicate, []).append(name(link.node))
        labels = [
            {"language": link.node.language or "", "text": link.node.value}
            for link in description.outgoing
            if isinstance(link.node, Literal) and link.predicate.endswith(("#label", "#prefLabel"))
        ]
        query = STATEMENTS_QUERY.replace("$uri", f"<{uri}>")
        return context.render(
            "resource.html",
            title=title,
            uri=uri,
            types=[name(t) for t in description.types],
            labels=labels,
            alternates=alternates(self.urls, uri, self._query(request, "format", "page")),
            feeds=document_feeds(
                [(link.predicate, str(link.node.value)) for link in description.outgoing]
            ),
            structured=legislation_json_ld(description, name),
            query_link=query_page(query),
            tracker_link=tracker_anchor(uri, self.urls.base),
            properties=[
                {"predicate": name(p), "values": values} for p, values in by_predicate.items()
            ],
            wordings=[
                {
                    "language": w.language,
                    "value": w.value,
                    "expression": name(w.expression) if w.expression else None,
                    "sources": [name(s) for s in w.sources],
                }
                for w in facts.wordings
            ],
            pillars=[
                {
                    "concept": name(p.concept),
                    "asserted": p.asserted,
                    "how": context.t("asserted", "khẳng định")
                    if p.asserted
                    else context.t("derived", "suy ra"),
                    "sources": [name(s) for s in p.sources],
                    "matched": p.matched,
                }
                for p in facts.pillars
            ],
            facts=[
                {
                    "statement": name(f.statement),
                    "kind": f.kind,
                    "predicate": name(f.predicate) if f.predicate else None,
                    "value": f.value,
                    "certainty": name(f.certainty) if f.certainty else None,
                    "sources": [name(s) for s in f.sources],
                    "note": f.note,
                    "note_language": f.note_language,
                }
                for f in facts.facts
            ],
            named_graph={
                "size": named_graph.size,
                "subject_count": named_graph.subject_count,
                "subjects": [name(s) for s in named_graph.subjects],
            }
            if named_graph
            else None,
            incoming_total=description.incoming_total,
            incoming_counts=[(name(p), count) for p, count in description.incoming_counts],
            incoming=[
                {"subject": name(link.node), "predicate": name(link.predicate)}
                for link in description.incoming
            ],
            page=description.page,
            pages=description.pages,
            previous_url=context.with_params(page=description.page - 1)
            if description.page > 1
            else None,
            next_url=context.with_params(page=description.page + 1)
            if description.page < description.pages
            else None,
            graphs=[name(g) for g in description.graphs if g],
            term_sections=term_sections(self.store, uri, description.types, context),
            title_language=title_language,
            title_note=shown_instead_note(title_language, context.t("title", "tiêu đề"), context)
            if title_language
            else None,
            **reading_values(self.store, reading, description, facts, name, context),
        )

    def _named_graph(self, uri: str) -> "GraphSummary | None":
        """A named graph's size, its number of subjects and the first page of them, counted by
        the store (the entailments graph of a large corpus holds millions of statements)."""
        node = NamedNode(uri)
        if not self.store.contains_named_graph(node):
            return None
        counted = self.store.query(
            "SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?named) AS ?subjects) "
            f"WHERE {{ GRAPH {node} {{ ?s ?p ?o }} BIND(IF(isIRI(?s), ?s, ?none) AS ?named) }}"
        )
        assert isinstance(counted, QuerySolutions)
        (row,) = list(counted)
        first = self.store.query(
            f"SELECT DISTINCT ?s WHERE {{ GRAPH {node} {{ ?s ?p ?o }} FILTER(isIRI(?s)) }} "
            f"ORDER BY ?s LIMIT {PAGE_SIZE}"
        )
        assert isinstance(first, QuerySolutions)
        subjects = [solution["s"].value for solution in first]
        return GraphSummary(int(row["n"].value), int(row["subjects"].value), subjects)


def _suffix(offer: Offer) -> str:
    suffix = offer.format.suffix
    assert suffix is not None, f"{offer.format.label} has no URL suffix"
    return suffix


def _page(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    if not raw.isdigit() or int(raw) < 1:
        raise BadRequest(f"page={quoted(raw)}: give a page number from 1")
    return int(raw)


def _composed_title(description: Description, name: Namer) -> str:
    """A title for a nameless provision: its kind, its number and its document."""
    kinds = [t for t in description.types if t.startswith("https://w3id.org/vnpolicy/ontology#")]
    number = next(
        (link.node.value for link in description.outgoing if link.predicate == _NUMBER),
        next((link.node.value for link in description.outgoing if link.predicate == _ORDINAL), ""),
    )
    document = next(
        (link.node.value for link in description.outgoing if link.predicate == _IN_DOCUMENT), None
    )
    if not kinds:
        return name(description.uri).text
    specific = sorted(k for k in kinds if not k.endswith("#Provision")) or kinds
    parts = [" ".join(filter(None, (name(specific[0]).text.capitalize(), number)))]
    if document:
        parts.append(name(document).text)
    return " — ".join(parts)


def page_context(request: Request, urls: UrlSpace) -> PageContext:
    language = choose_language(
        request.headers.get("accept-language"), request.query_params.get("lang")
    )
    return PageContext(language, urls, request.url.path, dict(request.query_params))


def add_routes(routes: APIRouter, publisher: "Publisher") -> None:
    """Every URI of the data at its own path, and ``/resource?uri=`` for any other it mentions.
    Mount it last: its catch-all path answers whatever no other route takes."""
    linked, urls, blocking = publisher.linked, publisher.urls, publisher.blocking
    described = set(described_uris(publisher.settings.base))

    @routes.api_route("/resource", methods=READ, summary="Any URI the dataset mentions, described")
    async def any_resource(request: Request, uri: str) -> Response:
        return await blocking(linked.direct, request, uri)

    @routes.api_route(
        "/{path:path}",
        methods=READ,
        summary="A resource of the dataset (303 to a description; .html, .ttl, … for one)",
        openapi_extra=openapi.PAGE,
    )
    async def resource(request: Request, path: str) -> Response:
        found, suffix = await blocking(linked.resolve, "/" + path)
        if found is None and any(uri in described for uri in urls.uris_for("/" + path)):
            return RedirectResponse("/.well-known/void", status_code=303)
        if found is None:  # an ELI browse path (/eli/vn/cp/nd/2024) lists the documents below
            stem = path.removesuffix(f".{suffix}") if suffix else path
            listing = await blocking(publisher.browse.eli, request, "/" + stem, suffix)
            if listing is not None:
                return listing
        return await blocking(linked.answer, request, found, suffix)
