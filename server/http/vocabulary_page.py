"""The part of a vocabulary's page that lists its terms: the ontology's classes and properties,
a concept scheme's concepts, each with an anchor (``/ontology.html#Document``), its names and
definition in the page language, and its place in the hierarchy."""

from typing import Any
from urllib.parse import urlencode

from vnpolicy.graph.read.terms import KINDS, defined_terms
from vnpolicy.graph.store import ReadableStore
from vnpolicy.server.http.pages import Namer, PageContext

_VOCABULARY_TYPES = {
    "http://www.w3.org/2002/07/owl#Ontology",
    "http://www.w3.org/2004/02/skos/core#ConceptScheme",
}


def term_sections(
    store: ReadableStore, uri: str, types: list[str], context: PageContext
) -> list[dict[str, Any]]:
    """The terms ``uri`` defines, grouped by kind; empty unless it is an ontology or a scheme."""
    if not _VOCABULARY_TYPES.intersection(types):
        return []
    terms = defined_terms(store, uri)
    mentioned = {t.uri for t in terms}
    for term in terms:
        mentioned.update(term.supers + term.domains + term.ranges)
    name = Namer(store, context, mentioned)
    sections = []
    for kind, heading_en, heading_vi in KINDS:
        of_kind = [term for term in terms if term.kind == kind]
        if not of_kind:
            continue
        sections.append(
            {
                "kind": kind,
                "heading": context.t(heading_en, heading_vi),
                "terms": [
                    {
                        "anchor": term.anchor,
                        "uri": term.uri,
                        "name": name(term.uri),
                        "other_name": term.labels.get("vi" if context.lang == "en" else "en"),
                        "definition": term.definitions.get(context.lang)
                        or next(iter(term.definitions.values()), None),
                        "supers": [name(u) for u in term.supers],
                        "domains": [name(u) for u in term.domains],
                        "ranges": [name(u) for u in term.ranges],
                        # A hash term's own URL is this page; its statements are at /resource.
                        "statements": "/resource?"
                        + urlencode(
                            {"uri": term.uri}
                            | ({"lang": context.lang} if context.lang != "en" else {})
                        ),
                    }
                    for term in of_kind
                ],
            }
        )
    return sections
