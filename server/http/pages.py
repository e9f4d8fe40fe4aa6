"""HTML pages: the templates and what they are given.

Every value reaches a template as plain text and is escaped there (Jinja autoescape); the only
markup passed through is the JSON-LD block, serialised here with ``<`` escaped.
"""

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from pyoxigraph import BlankNode, Literal, NamedNode

from vnpolicy.graph.formats import BY_SUFFIX
from vnpolicy.graph.namespaces import compact
from vnpolicy.graph.read.describe import Description, described, labels, pick_tagged
from vnpolicy.graph.read.resource_facts import ResourceFacts
from vnpolicy.graph.store import ReadableStore
from vnpolicy.server.http.outside_terms import outside_name
from vnpolicy.server.http.urls import UrlSpace

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
_ENVIRONMENT = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class Shown:
    """A node as a page shows it: text, and a link for IRIs."""

    text: str
    uri: str | None = None
    href: str | None = None
    language: str | None = None
    datatype: str | None = None
    #: The language of a name shown in another language than the page's (``lang`` on the link).
    name_language: str | None = None
    #: An outside term's compact name (``dct:title``), shown beside its name.
    term: str | None = None
    outside: bool = False  # the link leaves the site (an outside vocabulary's own IRI)


@dataclass(frozen=True)
class Alternate:
    media_type: str
    href: str
    name: str


@dataclass(frozen=True)
class PageContext:
    """What every page needs: the language, the URL space and the request's own URL."""

    lang: str
    urls: UrlSpace
    path: str
    params: dict[str, str]

    def t(self, english: str, vietnamese: str) -> str:
        return vietnamese if self.lang == "vi" else english

    def with_params(self, **changes: str | int | None) -> str:
        params = {**self.params, **{k: str(v) for k, v in changes.items() if v is not None}}
        params = {k: v for k, v in params.items() if v != ""}
        return self.path + ("?" + urlencode(params) if params else "")

    def switch_url(self, language: str) -> str:
        return self.with_params(lang=language)

    def render(self, template: str, **values: Any) -> str:
        return _ENVIRONMENT.get_template(template).render(
            lang=self.lang, t=self.t, switch_url=self.switch_url, **values
        )


class Namer:
    """Shows nodes with their names in the page language, looked up once per page."""

    def __init__(self, store: ReadableStore, context: PageContext, uris: Iterable[str]) -> None:
        self.context, self.store = context, store
        wanted = set(uris)
        self.names = labels(store, wanted)
        outside = [uri for uri in wanted if context.urls.path_for(uri) is None]
        self.described = described(store, outside)
        self._shown: dict[str, Shown] = {}  # a page names the same IRI many times

    def more(self, uris: Iterable[str]) -> None:
        """Look up the names of ``uris`` not asked for yet (one query)."""
        wanted = {uri for uri in uris if uri not in self.names and uri not in self._shown}
        if wanted:
            self.names.update(labels(self.store, wanted))
            outside = [uri for uri in wanted if self.context.urls.path_for(uri) is None]
            self.described |= described(self.store, outside)

    def __call__(self, node: NamedNode | BlankNode | Literal | str | None) -> Shown:
        if node is None:
            return Shown("")
        if isinstance(node, str):
            node = NamedNode(node)
        if isinstance(node, Literal):
            datatype = node.datatype.value
            shown_type = (
                None if node.language or datatype.endswith("#string") else compact(datatype)
            )
            return Shown(node.value, language=node.language, datatype=shown_type)
        if isinstance(node, BlankNode):
            return Shown(f"_:{node.value}")
        uri = node.value
        if uri not in self._shown:
            self._shown[uri] = self._named(uri)
        return self._shown[uri]

    def _named(self, uri: str) -> Shown:
        picked = pick_tagged(self.names.get(uri), self.context.lang)
        if picked is not None:
            name, tag = picked
            other = tag if tag and tag != self.context.lang else None
            return Shown(name, uri=uri, href=self._href(uri), name_language=other)
        if self.context.urls.path_for(uri) is not None:
            return Shown(self._fallback(uri), uri=uri, href=self._href(uri))
        # An outside term (dct:title, eli:LegalResource, …): named from our table beside its
        # compact name; linked to its page here when the data uses it as a subject or object,
        # else to its own IRI, which documents it — never to /resource?uri=, a 404 for it.
        compact_name = compact(uri).strip("<>")
        term = compact_name if compact_name != uri else None
        name = outside_name(uri, self.context.lang) or term or self._fallback(uri)
        shown_term = term if term != name else None
        if uri in self.described:
            return Shown(name, uri=uri, href=self._href(uri), term=shown_term)
        href = uri if uri.startswith(("http://", "https://")) else None
        return Shown(name, uri=uri, href=href, term=shown_term, outside=True)

    def _fallback(self, uri: str) -> str:
        """A nameless URI of our space shows its path (``eli/vn/…/57/eng/lawnet``)."""
        path = self.context.urls.path_for(uri)
        if path:
            return path.lstrip("/")
        shown = compact(uri).strip("<>")
        if shown == uri and uri.startswith(("http://", "https://")):
            place = urlsplit(uri)
            rest = place.path.rstrip("/")
            return place.netloc + (rest[:40] + "…" if len(rest) > 40 else rest)
        return shown

    def _href(self, uri: str) -> str:
        href = self.context.urls.page(uri)
        if self.context.lang != "en" and not href.startswith("http"):
            href += ("&" if "?" in href else "?") + "lang=" + self.context.lang
        return href


def alternates(urls: UrlSpace, uri: str, query: str = "") -> list[Alternate]:
    return [
        Alternate(f.media_type, urls.representation(uri, suffix, query), f.label)
        for suffix, f in BY_SUFFIX.items()
    ]


def referenced(description: Description, facts: ResourceFacts) -> set[str]:
    """Every IRI a resource page names, so that all names are looked up at once."""
    found = {description.uri}
    for link in (*description.outgoing, *description.incoming):
        found.add(link.predicate)
        if isinstance(link.node, NamedNode):
            found.add(link.node.value)
        found.update(link.graphs)
    found.update(p for p, _ in description.incoming_counts)
    for wording in facts.wordings:
        found.update(filter(None, (wording.expression, *wording.sources)))
    for pillar in facts.pillars:
        found.update((pillar.concept, *pillar.sources))
    for relation in facts.relations:
        found.update(filter(None, (relation.relation_type, relation.other, relation.certainty)))
        found.update(relation.sources)
    for fact in facts.facts:
        found.update(filter(None, (fact.predicate, fact.certainty, *fact.sources)))
    return found


def legislation_json_ld(description: Description, name: Callable[[str], Shown]) -> str | None:
    """schema.org ``Legislation`` for search engines, for documents only."""
    values: dict[str, list[Any]] = {}
    for link in description.outgoing:
        values.setdefault(link.predicate, []).append(link.node)
    if not any(t.endswith("ontology#Document") for t in description.types):
        return None

    def first(predicate: str) -> Any:
        found = values.get(predicate)
        return found[0] if found else None

    number = first("https://w3id.org/vnpolicy/ontology#officialNumber")
    date = first("http://data.europa.eu/eli/ontology#date_document")
    kind = first("http://data.europa.eu/eli/ontology#type_document")
    passed_by = values.get("http://data.europa.eu/eli/ontology#passed_by", [])
    titles = values.get("http://purl.org/dc/terms/title", []) or values.get(
        "http://www.w3.org/2000/01/rdf-schema#label", []
    )
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Legislation",
        "@id": description.uri,
        "name": [{"@value": t.value, "@language": t.language} for t in titles],
        "legislationJurisdiction": "VN",
    }
    if number is not None:
        data["legislationIdentifier"] = number.value
    if date is not None:
        data["legislationDate"] = date.value
    if kind is not None:
        data["legislationType"] = name(kind.value).text
    if passed_by:
        data["legislationPassedBy"] = [
            {"@type": "Organization", "@id": body.value, "name": name(body.value).text}
            for body in passed_by
        ]
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
