"""What search answers hold: the JSON bodies (typed, so that the OpenAPI description shows
them) and what the search page is given (facet groups, chosen filters, page links)."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from vnpolicy.graph.search.engine import MAX_PAGE, MAX_PAGE_SIZE, MAX_QUERY, Results, Suggestion
from vnpolicy.graph.search.entries import FACETS
from vnpolicy.server.http.pages import PageContext
from vnpolicy.server.http.urls import UrlSpace

#: Facet names as a page shows them.
FACET_NAMES = {
    "type": ("Type", "Loại"),
    "issuer": ("Issuer", "Cơ quan ban hành"),
    "year": ("Year", "Năm"),
    "pillar": ("Pillar", "Trụ cột"),
    "certainty": ("Certainty", "Mức độ chắc chắn"),
    "language": ("Language", "Ngôn ngữ"),
}
LANGUAGE_NAMES = {"vi": ("Vietnamese", "Tiếng Việt"), "en": ("English", "Tiếng Anh")}
KIND_NAMES = {
    "document": ("Document", "Văn bản"),
    "provision": ("Provision", "Điều khoản"),
    "agent": ("Person or organisation", "Cá nhân hoặc tổ chức"),
    "term": ("Concept or term", "Khái niệm hoặc thuật ngữ"),
}


class SnippetPart(BaseModel):
    text: str
    match: bool


class FacetCount(BaseModel):
    name: str
    value: str
    label: str
    count: int


class SearchResult(BaseModel):
    uri: str
    url: str  #: its page on this server
    label: str
    kind: str
    language: str
    number: str
    snippet: list[SnippetPart]
    facets: dict[str, list[str]]
    #: The query names this document by its number.
    by_number: bool


class SearchAnswer(BaseModel):
    query: str
    filters: dict[str, str]
    total: int
    page: int
    size: int
    pages: int
    #: No result has every word; these have any of them.
    relaxed: bool
    results: list[SearchResult]
    facets: list[FacetCount]


class Candidate(BaseModel):
    uri: str
    url: str
    label: str


class Candidates(BaseModel):
    number: str
    candidates: list[Candidate]


#: Types from outside vocabularies, which the model does not name.
OUTSIDE_TYPES = {
    "skos:Concept": ("Concept", "Khái niệm"),
    "skos:ConceptScheme": ("Vocabulary", "Bộ từ vựng"),
    "owl:Class": ("Class", "Lớp"),
    "owl:ObjectProperty": ("Property", "Thuộc tính"),
    "owl:DatatypeProperty": ("Property", "Thuộc tính"),
    "owl:AnnotationProperty": ("Property", "Thuộc tính"),
    "owl:Ontology": ("Ontology", "Bản thể học"),
}


def _label(names: dict[str, dict[str, str]], value: str, lang: str, name: str = "") -> str:
    """How a page names a facet value: the model's name, in the page's language if it has
    one."""
    fixed = LANGUAGE_NAMES.get(value) if name == "language" else OUTSIDE_TYPES.get(value)
    if fixed:
        return fixed[1] if lang == "vi" else fixed[0]
    found = names.get(value, {})
    return found.get(lang) or found.get("en") or value


def value_namer(results: Results, lang: str) -> Callable[[str], str]:
    """Names the facet values of ``results`` in ``lang`` (for the hits' lines)."""
    return lambda value: _label(results.names, value, lang)


def results_json(results: Results, urls: UrlSpace, lang: str) -> str:
    hits = []
    for hit in results.hits:
        facets: dict[str, list[str]] = {}
        for name, value in hit.facets:
            facets.setdefault(name, []).append(value)
        hits.append(
            SearchResult(
                uri=hit.uri,
                url=urls.absolute(urls.page(hit.uri)),
                label=hit.label,
                kind=hit.kind,
                language=hit.lang,
                number=hit.number,
                snippet=[SnippetPart(text=s.text, match=s.match) for s in hit.snippet],
                facets=facets,
                by_number=hit.by_number,
            )
        )
    body = SearchAnswer(
        query=results.query.text,
        filters=dict(results.query.filters),
        total=results.total,
        page=results.query.page,
        size=results.query.size,
        pages=results.pages,
        relaxed=results.relaxed,
        results=hits,
        facets=[
            FacetCount(
                name=f.name,
                value=f.value,
                label=_label(results.names, f.value, lang, f.name),
                count=f.count,
            )
            for f in results.facets
        ],
    )
    return body.model_dump_json()


def suggestions_json(text: str, found: list[Suggestion], url: Callable[[str], str]) -> str:
    """The OpenSearch suggestions form: ``[query, [labels], [details], [URLs]]``."""
    return json.dumps(
        [text, [s.label for s in found], [s.detail for s in found], [url(s.uri) for s in found]],
        ensure_ascii=False,
    )


def candidates_json(
    number: str, uris: list[str], names: dict[str, dict[str, str]], urls: UrlSpace, lang: str
) -> str:
    return Candidates(
        number=number,
        candidates=[
            Candidate(
                uri=uri,
                url=urls.absolute(urls.page(uri)),
                label=names.get(uri, {}).get(lang) or names.get(uri, {}).get("en") or uri,
            )
            for uri in uris
        ],
    ).model_dump_json()


@dataclass(frozen=True)
class FacetLink:
    label: str
    count: int
    href: str
    chosen: bool


@dataclass(frozen=True)
class FacetGroup:
    name: str
    title: str
    values: list[FacetLink]


def facet_groups(results: Results, context: PageContext) -> list[FacetGroup]:
    """Each facet with its values and counts, each a link that narrows the search to it (or,
    when chosen, widens it again)."""
    chosen = dict(results.query.filters)
    groups = []
    for name in FACETS:
        values = [f for f in results.facets if f.name == name]
        if not values:
            continue
        if name == "year":
            values.sort(key=lambda f: f.value, reverse=True)
        links = [
            FacetLink(
                _label(results.names, f.value, context.lang, name),
                f.count,
                context.with_params(
                    **{name: "" if chosen.get(name) == f.value else f.value}, page=""
                ),
                chosen.get(name) == f.value,
            )
            for f in values
        ]
        groups.append(FacetGroup(name, context.t(*FACET_NAMES[name]), links))
    return groups


def chosen_filters(results: Results, context: PageContext) -> list[tuple[str, str, str]]:
    """The filters in force: facet name, value name, and the link that removes it."""
    return [
        (
            context.t(*FACET_NAMES[name]),
            _label(results.names, value, context.lang, name),
            context.with_params(**{name: ""}, page=""),
        )
        for name, value in results.query.filters
    ]


def page_links(results: Results, context: PageContext) -> list[tuple[str, str | None, bool]]:
    """Previous, numbered and next page links: (text, href or None, current)."""
    page, last = results.query.page, min(results.pages, MAX_PAGE)
    if last <= 1:
        return []
    links: list[tuple[str, str | None, bool]] = []
    links.append((context.t("Previous", "Trước"), context.with_params(page=page - 1)
                  if page > 1 else None, False))  # fmt: skip
    for number in range(max(1, page - 4), min(last, page + 4) + 1):
        links.append((str(number), context.with_params(page=number), number == page))
    links.append((context.t("Next", "Sau"), context.with_params(page=page + 1)
                  if page < last else None, False))  # fmt: skip
    return links


def _parameter(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "description": description}  # fmt: skip


SEARCH_PARAMETERS: dict[str, Any] = {
    "parameters": [
        _parameter("q", {"type": "string", "maxLength": MAX_QUERY}, "What to search for"),
        _parameter("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}, "Page"),
        _parameter(
            "size", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE}, "Results a page"
        ),
        _parameter("format", {"type": "string", "enum": ["html", "json"]}, "Overrides Accept"),
        _parameter("lang", {"type": "string", "enum": ["en", "vi"]}, "Language of the page"),
        *(
            _parameter(name, {"type": "string", "maxLength": MAX_QUERY}, f"Only this {name}")
            for name in FACETS
        ),
    ],
    "responses": {"200": {"content": {"text/html": {"schema": {"type": "string"}}}}},
}
SUGGEST_PARAMETERS: dict[str, Any] = {
    "parameters": [
        _parameter("q", {"type": "string", "maxLength": MAX_QUERY}, "The words typed so far"),
        _parameter("lang", {"type": "string", "enum": ["en", "vi"]}, "Language of the labels"),
    ]
}
ID_PARAMETERS: dict[str, Any] = {
    "parameters": [
        {"name": "number", "in": "query", "required": True, "schema": {"type": "string"},
         "description": "A document's number as written (57-NQ/TW, 4324/BGDDT-CNTT, Decree 100)"},
        _parameter("format", {"type": "string", "enum": ["html", "json"]}, "Overrides Accept"),
    ],
    "responses": {"300": {"description": "Several documents fit: the candidates"}},
}  # fmt: skip
