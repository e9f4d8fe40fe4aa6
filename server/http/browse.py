"""Browsing the documents: ``/browse`` narrows them by type, issuer, year, pillar and status
(HTML, JSON or CSV), and the ELI browse URIs list them by issuer, type and year —
``/eli/vn/cp/nd/2024`` is the Government's decrees of 2024 — as pages and as RDF a harvester
can follow (``hydra:Collection`` with ``hydra:member``).

The list is read from the store once and again after each write (``refresh``); each request
filters, orders and pages it.
"""

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from fastapi import APIRouter
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS
from starlette.requests import Request
from starlette.responses import Response

from vnpolicy.graph.formats import HTML
from vnpolicy.graph.read.browse import (
    ELI_LEVELS,
    FACETS,
    SORTS,
    UNKNOWN,
    EliLevel,
    Entry,
    Selection,
    eli_level,
    eli_paths,
    entries,
    narrow,
)
from vnpolicy.graph.store import ReadableStore
from vnpolicy.server.errors import BadRequest, NotFound, quoted
from vnpolicy.server.http.linked_data import graph_response, negotiate_resource, page_context
from vnpolicy.server.http.methods import READ
from vnpolicy.server.http.negotiation import answer, negotiate
from vnpolicy.server.http.pages import Namer, PageContext
from vnpolicy.server.http.urls import UrlSpace

if TYPE_CHECKING:
    from vnpolicy.server.http.publisher import Publisher

#: The parameter that keeps the documents in force on a day (``YYYY-MM-DD``).
IN_FORCE_ON = "in_force_on"

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
PAGE_SIZE = 50
#: How many documents the home page's table shows before "browse all".
HOME_ROWS = 50
_ELI = "http://data.europa.eu/eli/ontology#InForce-"
#: Names for the ELI in-force values and for a facet value the data does not give.
_NAMES = {
    _ELI + "inForce": ("in force", "còn hiệu lực"),
    _ELI + "notInForce": ("not in force", "hết hiệu lực"),
    _ELI + "partiallyInForce": ("partially in force", "còn hiệu lực một phần"),
    UNKNOWN: ("not stated", "chưa rõ"),
}
FACET_TITLES = {
    "type": ("Type", "Loại văn bản"),
    "issuer": ("Issuer", "Cơ quan ban hành"),
    "year": ("Year", "Năm"),
    "pillar": ("Pillar", "Trụ cột"),
    "status": ("Status", "Hiệu lực"),
}
SORT_TITLES = {
    "date": ("newest first", "mới nhất trước"),
    "number": ("by number", "theo số"),
    "title": ("by title", "theo tên"),
}
LEVEL_TITLES = {
    0: ("Issuers", "Cơ quan ban hành"),
    1: ("Types of document", "Loại văn bản"),
    2: ("Years", "Năm"),
}


@dataclass(frozen=True)
class _Offer:
    """A format of the list: what ``negotiate`` chooses between."""

    media_type: str
    names: tuple[str, ...]


LIST_OFFERS = (
    _Offer("text/html", ("html",)),
    _Offer("application/json", ("json",)),
    _Offer("text/csv", ("csv",)),
)


def key(value: str) -> str:
    """The short form of a facet value in a URL: a concept's last segment (``decree``)."""
    return value.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


class Browse:
    def __init__(self, store: ReadableStore, urls: UrlSpace) -> None:
        self.store, self.urls = store, urls
        self._catalogue: list[Entry] | None = None
        self._keys: dict[str, dict[str, str]] | None = None

    def refresh(self) -> None:
        """Forget the list (after a write)."""
        self._catalogue = None
        self._keys = None

    @property
    def catalogue(self) -> list[Entry]:
        if self._catalogue is None:
            self._catalogue = entries(self.store)
        return self._catalogue

    @property
    def keys(self) -> dict[str, dict[str, str]]:
        """For each facet, the short key of each value → the value (a key two values share is
        left out: those values are named by their full URI)."""
        if self._keys is None:
            found: dict[str, dict[str, set[str]]] = {facet: {} for facet in FACETS}
            for entry in self.catalogue:
                for facet in FACETS:
                    for value in entry.values(facet):
                        found[facet].setdefault(key(value), set()).add(value)
            self._keys = {
                facet: {
                    short: next(iter(values))
                    for short, values in by_key.items()
                    if len(values) == 1
                }
                for facet, by_key in found.items()
            }
        return self._keys

    def pages(self) -> list[str]:
        """The browse pages a crawler should know: ``/browse`` and every ELI browse path."""
        return ["/browse", *("/" + path for path in eli_paths(self.catalogue, self.urls.base))]

    def short(self, facet: str, value: str) -> str:
        short = key(value)
        return short if self.keys[facet].get(short) == value else value

    # -- /browse ------------------------------------------------------------------------------

    def selection(self, request: Request) -> Selection:
        params = request.query_params
        unknown = sorted(set(params) - {*FACETS, "sort", "page", "lang", "format", IN_FORCE_ON})
        if unknown:
            raise BadRequest(
                f"/browse takes no parameter {quoted(unknown[0])}; it takes "
                f"{', '.join(FACETS)}, {IN_FORCE_ON}, sort, page, lang and format"
            )
        filters = []
        for facet in FACETS:
            for raw in params.getlist(facet):
                value = self.keys[facet].get(raw, raw)
                filters.append((facet, value))
        sort = params.get("sort", SORTS[0])
        if sort not in SORTS:
            raise BadRequest(f"sort={quoted(sort)}: sort by one of {', '.join(SORTS)}")
        return narrow(self.catalogue, filters, sort, _day(params.get(IN_FORCE_ON)))

    def page(self, request: Request) -> Response:
        offer = negotiate(
            LIST_OFFERS, request.headers.get("accept"), request.query_params.get("format")
        )
        selection = self.selection(request)
        number, pages = _page_number(request, len(selection.matching))
        shown = selection.matching[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
        context = page_context(request, self.urls)
        name = self._namer(context, selection)
        vary = ("Accept", "Accept-Language")
        if offer.media_type == "text/csv":
            return answer(self._csv(selection.matching, name), "text/csv", vary=vary)
        if offer.media_type == "application/json":
            body = json.dumps(
                self._json(selection, shown, number, pages, context, name), ensure_ascii=False
            )
            return answer(body, "application/json", vary=vary)
        title = context.t("Browse the documents", "Duyệt văn bản")
        html = context.render(
            "browse.html",
            title=title,
            alternates=[],
            total=len(selection.matching),
            rows=[self._row(entry, context, name) for entry in shown],
            facets=self._facets(selection, context, name),
            active=[
                {
                    "facet": context.t(*FACET_TITLES[facet]),
                    "value": self._label(facet, value, context, name),
                    "remove": _without(context, facet, self.short(facet, value)),
                }
                for facet, value in selection.filters
            ]
            + _in_force_chip(context, _day(request.query_params.get(IN_FORCE_ON))),
            in_force_on=_day(request.query_params.get(IN_FORCE_ON)),
            kept_params=[
                (name, value)
                for name, value in request.query_params.multi_items()
                if name not in ("page", IN_FORCE_ON)
            ],
            sorts=[
                {
                    "title": context.t(*SORT_TITLES[sort]),
                    "href": context.with_params(sort=sort, page=""),
                    "current": sort == selection.sort,
                }
                for sort in SORTS
            ],
            page=number,
            pages=pages,
            previous_url=context.with_params(page=number - 1) if number > 1 else None,
            next_url=context.with_params(page=number + 1) if number < pages else None,
            formats=[
                ("JSON", context.with_params(format="json", page="")),
                ("CSV", context.with_params(format="csv", page="")),
            ],
        )
        return answer(html, HTML.media_type, vary=vary)

    def home_rows(self, context: PageContext, sort: str) -> tuple[list[dict[str, Any]], int]:
        """The home page's table: the first documents in ``sort`` order, and how many in all."""
        if sort not in SORTS:
            raise BadRequest(f"sort={quoted(sort)}: sort by one of {', '.join(SORTS)}")
        selection = narrow(self.catalogue, (), sort)
        name = self._namer(context, selection)
        rows = [self._row(entry, context, name) for entry in selection.matching[:HOME_ROWS]]
        return rows, len(selection.matching)

    def _namer(self, context: PageContext, selection: Selection) -> Namer:
        uris = {
            value
            for facet in ("type", "issuer", "pillar", "status")
            for value, _ in selection.counts[facet]
            if value != UNKNOWN
        }
        return Namer(self.store, context, uris)

    def _label(self, facet: str, value: str, context: PageContext, name: Namer) -> str:
        if value in _NAMES:
            return context.t(*_NAMES[value])
        if facet == "year" or ":" not in value:  # a year, or a value nothing has
            return value
        text = name(value).text
        return text[:1].upper() + text[1:]

    def _facets(
        self, selection: Selection, context: PageContext, name: Namer
    ) -> list[dict[str, Any]]:
        chosen = set(selection.filters)
        return [
            {
                "title": context.t(*FACET_TITLES[facet]),
                "values": [
                    {
                        "label": self._label(facet, value, context, name),
                        "count": count,
                        "chosen": (facet, value) in chosen,
                        "href": _with(context, facet, self.short(facet, value)),
                    }
                    for value, count in selection.counts[facet]
                ],
            }
            for facet in FACETS
        ]

    def _row(self, entry: Entry, context: PageContext, name: Namer) -> dict[str, Any]:
        return {
            "href": name(entry.uri).href,
            "number": entry.number,
            "title": entry.title(context.lang),
            "title_lang": entry.title_language(context.lang),
            "type": name(entry.type) if entry.type else None,
            "issuers": [name(issuer) for issuer in entry.issuers],
            "date": entry.date or (str(entry.year) if entry.year else None),
            "pillars": [name(pillar) for pillar in entry.pillars],
            "status": context.t(*_NAMES[entry.status]) if entry.status in _NAMES else None,
        }

    def _json(
        self,
        selection: Selection,
        shown: tuple[Entry, ...],
        number: int,
        pages: int,
        context: PageContext,
        name: Namer,
    ) -> dict[str, Any]:
        return {
            "total": len(selection.matching),
            "page": number,
            "pages": pages,
            "filters": dict(selection.filters),
            "sort": selection.sort,
            "documents": [
                {
                    "uri": entry.uri,
                    "page": self.urls.absolute(self.urls.page(entry.uri)),
                    "number": entry.number,
                    "titles": dict(entry.titles),
                    "type": entry.type,
                    "issuers": list(entry.issuers),
                    "date": entry.date,
                    "year": entry.year,
                    "pillars": list(entry.pillars),
                    "status": entry.status,
                }
                for entry in shown
            ],
            "facets": {
                facet: [
                    {
                        "value": value,
                        "key": self.short(facet, value),
                        "count": count,
                        "label": self._label(facet, value, context, name),
                    }
                    for value, count in selection.counts[facet]
                ]
                for facet in FACETS
            },
        }

    def _csv(self, matching: tuple[Entry, ...], name: Namer) -> str:
        """Every matching document (not one page): a table for a spreadsheet."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(
            [
                "uri",
                "number",
                "title_vi",
                "title_en",
                "type",
                "issuers",
                "date",
                "year",
                "pillars",
                "status",
            ]
        )
        for entry in matching:
            titles = dict(entry.titles)
            writer.writerow(
                [
                    entry.uri,
                    entry.number or "",
                    titles.get("vi", ""),
                    titles.get("en", ""),
                    entry.type or "",
                    " ".join(entry.issuers),
                    entry.date or "",
                    entry.year or "",
                    " ".join(entry.pillars),
                    entry.status or "",
                ]
            )
        return out.getvalue()

    # -- /eli/vn/… ----------------------------------------------------------------------------

    def eli(self, request: Request, path: str, suffix: str | None) -> Response | None:
        """The ELI browse node at ``path`` (``/eli/vn/cp/nd/2024``), or None if it is not one."""
        parts = path.strip("/").split("/")
        if parts[:2] != ["eli", "vn"]:
            return None
        level = eli_level(self.catalogue, self.urls.base, parts[2:])
        if level is None:
            return None
        offer = negotiate_resource(request, suffix)
        if offer.format is HTML:
            return self._eli_page(request, level)
        vary = ("Accept",) if suffix is None else ()
        response = graph_response(self._eli_graph(level), offer)
        if vary:
            response.headers["Vary"] = "Accept"
        return response

    def _uri(self, level: EliLevel, *more: str) -> str:
        return self.urls.base + "/".join((level.path, *more))

    def _eli_graph(self, level: EliLevel) -> Graph:
        graph = Graph()
        graph.bind("hydra", HYDRA)
        graph.bind("dct", DCTERMS)
        node = URIRef(self._uri(level))
        graph.add((node, RDF.type, HYDRA.Collection))
        graph.add((node, HYDRA.totalItems, Literal(level.total)))
        graph.add((node, DCTERMS.title, Literal(f"Documents under {level.path}", lang="en")))
        if level.segments:
            parent = self.urls.base + "/".join(("eli", "vn", *level.segments[:-1]))
            graph.add((node, DCTERMS.isPartOf, URIRef(parent)))
        for entry in level.documents:
            graph.add((node, HYDRA.member, URIRef(entry.uri)))
        for segment, under in level.children:
            child = URIRef(self._uri(level, segment))
            graph.add((node, HYDRA.member, child))
            graph.add((child, RDF.type, HYDRA.Collection))
            graph.add((child, HYDRA.totalItems, Literal(len(under))))
        return graph

    def _eli_page(self, request: Request, level: EliLevel) -> Response:
        context = page_context(request, self.urls)
        uris: set[str] = set()
        for _, under in level.children:
            for entry in under:
                uris.update((entry.type or "", *entry.issuers))
        for entry in level.documents:
            uris.update((entry.uri, entry.type or "", *entry.issuers))
        name = Namer(self.store, context, uris - {""})
        crumbs = [("eli/vn", "/eli/vn")] + [
            (segment, "/" + "/".join(("eli", "vn", *level.segments[: i + 1])))
            for i, segment in enumerate(level.segments)
        ]
        depth = len(level.segments)
        children = [
            {
                "segment": segment,
                "href": f"/{level.path}/{segment}",
                "count": len(under),
                "names": _names_under(under, depth, name),
            }
            for segment, under in level.children
        ]
        html = context.render(
            "eli_browse.html",
            title=f"{level.path} — " + context.t("browse", "duyệt"),
            alternates=[],
            crumbs=crumbs,
            level_title=context.t(*LEVEL_TITLES[depth]) if depth < len(ELI_LEVELS) else None,
            children=children,
            rows=[self._row(entry, context, name) for entry in level.documents],
            total=level.total,
            formats=[("Turtle", f"/{level.path}.ttl"), ("JSON-LD", f"/{level.path}.jsonld")],
        )
        return answer(html, HTML.media_type, vary=("Accept", "Accept-Language"))


def _names_under(under: tuple[Entry, ...], depth: int, name: Namer) -> list[str]:
    """What a segment stands for, from the documents under it: the issuing bodies of an
    issuer segment (``tw``: the Politburo, the Central Committee…), the types of a type one."""
    if depth == 0:
        found = {issuer for entry in under for issuer in entry.issuers}
    elif depth == 1:
        found = {entry.type for entry in under if entry.type}
    else:
        return []
    return sorted({name(uri).text for uri in found})


def _page_number(request: Request, total: int) -> tuple[int, int]:
    raw = request.query_params.get("page", "1")
    if not raw.isdigit() or int(raw) < 1:
        raise BadRequest(f"page={quoted(raw)}: give a page number from 1")
    pages = max(1, -(-total // PAGE_SIZE))
    if int(raw) > pages:
        raise NotFound(f"page={raw}: this list has {pages} page{'s' if pages > 1 else ''}")
    return int(raw), pages


def _day(raw: str | None) -> str | None:
    """``in_force_on=YYYY-MM-DD``, checked (None when absent or empty)."""
    if not raw:
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            raise ValueError(raw)
        return date.fromisoformat(raw).isoformat()
    except ValueError:
        raise BadRequest(
            f"{IN_FORCE_ON}={quoted(raw)}: give a day as YYYY-MM-DD, such as 2025-06-01"
        ) from None


def _in_force_chip(context: PageContext, day: str | None) -> list[dict[str, str]]:
    """The in-force filter among the active ones, with the link that removes it."""
    if day is None:
        return []
    title = context.t("In force on", "Còn hiệu lực vào ngày")
    return [{"facet": title, "value": day, "remove": _without(context, IN_FORCE_ON, day)}]


def _with(context: PageContext, facet: str, value: str) -> str:
    """This list narrowed further by ``facet`` = ``value`` (back to page 1)."""
    params = [(k, v) for k, v in context.params.items() if k not in ("page", facet)]
    params.append((facet, value))
    return _url(context.path, params)


def _without(context: PageContext, facet: str, value: str) -> str:
    params = [
        (k, v) for k, v in context.params.items() if k != "page" and not (k == facet and v == value)
    ]
    return _url(context.path, params)


def _url(path: str, params: list[tuple[str, str]]) -> str:
    return path + ("?" + urlencode(params) if params else "")


def add_routes(routes: APIRouter, publisher: "Publisher") -> None:
    browse = publisher.browse

    @routes.api_route(
        "/browse",
        methods=READ,
        summary="The documents by type, issuer, year, pillar and status (HTML, JSON, CSV)",
    )
    async def browse_page(request: Request) -> Response:
        return await publisher.blocking(browse.page, request)
