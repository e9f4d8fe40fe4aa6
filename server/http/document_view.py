"""What a document page and a provision page show a reader: the document's header, its outline
with each part's wording in every text the graph has, targets as sentences, and a provision's
place (breadcrumb, neighbours). Everything is read by ``graph/read/document_parts.py``; here it
is named (``Namer``) and put in the page's language.

Languages are never swapped silently: a title, wording or indicator the graph has only in
another language is shown with its ``lang`` and a plain note, and a missing wording is said to
be missing.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pyoxigraph import Literal, NamedNode

from vnpolicy.graph.read.describe import Description
from vnpolicy.graph.read.document_parts import (
    Expression,
    Outline,
    Part,
    Whereabouts,
    document_of,
    expressions,
    outline,
    whereabouts,
)
from vnpolicy.graph.read.resource_facts import ResourceFacts
from vnpolicy.graph.store import ReadableStore
from vnpolicy.server.http.document_header import header
from vnpolicy.server.http.page_languages import (
    language_name,
    localised,
    missing_note,
    shown_instead_note,
)
from vnpolicy.server.http.pages import Namer, PageContext, Shown
from vnpolicy.server.http.relation_groups import grouped, provision_name
from vnpolicy.server.http.target_sentence import target_sentence

_VNP = "https://w3id.org/vnpolicy/ontology#"
_ELI = "http://data.europa.eu/eli/ontology#"
_DCT = "http://purl.org/dc/terms/"
_SKOS = "http://www.w3.org/2004/02/skos/core#"

Name = Callable[[Any], Shown]


def uris_to_name(outline: Outline | None, expressions: Iterable[Expression]) -> set[str]:
    """Every IRI a reading view names, so that the page looks all names up at once."""
    found: set[str] = set()
    for expression in expressions:
        found.update(filter(None, (expression.uri, expression.kind, expression.publisher)))
        found.update(expression.sources)
    if outline is None:
        return found
    for part in outline.parts.values():
        found.add(part.uri)
        for values in part.statements.values():
            found.update(v.value for v in values if isinstance(v, NamedNode))
        for text in part.texts:
            found.update(text.sources)
        for implementation in part.implemented_by:
            found.update(
                filter(
                    None,
                    (
                        implementation.relation_type,
                        implementation.other,
                        implementation.certainty,
                        implementation.other_document,
                    ),
                )
            )
    return found


def kind_of(types: Iterable[str], name: Name) -> str:
    """The most specific kind of a provision, by its class's name ("guiding viewpoint")."""
    kinds = sorted(t for t in types if t.startswith(_VNP) and not t.endswith("#Provision"))
    chosen = kinds[0] if kinds else next((t for t in types if t.startswith(_VNP)), None)
    return name(chosen).text if chosen else ""


def heading(part: Part, name: Name) -> str:
    """ "Guiding viewpoint 3", "Section I", "Quantitative target 10"."""
    number = part.number or (str(part.ordinal) if part.ordinal is not None else "")
    kind = kind_of(part.types, name)
    return " ".join(filter(None, (kind[:1].upper() + kind[1:], number)))


def anchor(part: Part, document: str) -> str:
    return "part-" + part.uri.removeprefix(document).strip("/").replace("/", "-")


class Reading:
    """Names a document's parts and texts for one page."""

    def __init__(
        self,
        outline: Outline,
        expressions: list[Expression],
        name: Namer,
        context: PageContext,
        implementers: Mapping[str, Whereabouts],
    ) -> None:
        self.outline, self.name, self.context = outline, name, context
        self.implementers = implementers
        self.expressions = {e.uri: e for e in expressions}
        self.languages = sorted({e.language for e in expressions if e.language})

    def deadline(self, part: Part) -> str | None:
        for candidate in (part, *reversed(self.outline.ancestors(part.uri))):
            found = candidate.first(_VNP + "deadlineYear")
            if isinstance(found, Literal):
                return found.value
        return None

    def text_label(self, expression: str | None) -> dict[str, Any]:
        """Which text a wording comes from: its publisher, its kind, its sources."""
        known = self.expressions.get(expression or "")
        if known is None:
            return {"publisher": None, "kind": None, "sources": []}
        return {
            "publisher": self.name(known.publisher) if known.publisher else None,
            "kind": self.name(known.kind) if known.kind else None,
            "sources": [self.name(s) for s in known.sources],
        }

    def part(self, part: Part) -> dict[str, Any]:
        """One part as the outline and its own page show it."""
        lang, name = self.context.lang, self.name
        title = localised(part.literals(_DCT + "title"), lang)
        notes = []  # the title's own note is the page heading's (linked_data)
        wordings: dict[str, list[dict[str, Any]]] = {"en": [], "vi": []}
        for text in part.texts:
            wordings.setdefault(text.language, []).append(
                {
                    "value": text.value,
                    "language": text.language,
                    "sources": [name(s) for s in text.sources],
                    **self.text_label(text.expression),
                }
            )
        missing = []
        if part.texts:
            for tag in ("vi", "en"):
                if not wordings.get(tag):
                    missing.append(
                        missing_note(
                            tag,
                            self.context.t("wording of this part", "nội dung phần này"),
                            self.context,
                        )
                    )
        summary = localised(part.literals(_DCT + "description"), lang)
        indicator = localised(part.literals(_VNP + "indicator"), lang)
        for shown, what in (
            (indicator, self.context.t("indicator", "chỉ số")),
            (summary if not part.texts else None, self.context.t("summary", "tóm tắt")),
        ):
            if shown is not None and shown.language:
                notes.append(shown_instead_note(shown.language, what, self.context))
        scope = part.first(_VNP + "scope")
        sentence = target_sentence(
            part, lang, self.deadline(part), name(scope.value).text if scope else None
        )
        asserted = {v.value for v in part.values(_VNP + "assertedConcern")}
        derived = {v.value for v in part.values(_VNP + "derivedConcern")} - asserted
        pillars = [{"concept": name(uri), "asserted": True} for uri in sorted(asserted)] + [
            {"concept": name(uri), "asserted": False} for uri in sorted(derived)
        ]
        return {
            "uri": part.uri,
            "href": name(part.uri).href,
            "anchor": anchor(part, self.outline.document),
            "depth": part.depth,
            "heading": heading(part, name),
            "title": title,
            "label": title or indicator,  # what the outline shows beside the heading
            "notes": notes,
            "summary": summary,
            "editorial": localised(part.literals(_SKOS + "editorialNote"), lang),
            "english": wordings.get("en", []),
            "vietnamese": wordings.get("vi", []),
            "missing": missing,
            "pieces": sentence.pieces if sentence else [],
            "target": {
                "pieces": sentence.pieces,
                "certainty": name(sentence.certainty) if sentence.certainty else None,
            }
            if sentence
            else None,
            "pillars": pillars,
            "implemented_by": [
                {
                    "type": name(i.relation_type),
                    "other": provision_name(
                        name,
                        i.other,
                        self.implementers.get(i.other, Whereabouts(None, None)),
                        lambda uri: uri in self.name.names,
                    ),
                    "in_document": name(i.other_document) if i.other_document else None,
                    "certainty": name(i.certainty) if i.certainty else None,
                }
                for i in part.implemented_by
            ],
            "children": len(part.children),
            "sources": [name(v.value) for v in part.values(_DCT + "source")],
        }

    def items(self) -> list[dict[str, Any]]:
        """Every part for the outline. A part's own page notes each name it shows in the other
        language; the outline says it once, above the text (``other_language``)."""
        items = [self.part(part) for part in self.outline.in_order()]
        for item in items:
            item["notes"] = []
        return items

    def other_language_note(self, items: list[dict[str, Any]]) -> str | None:
        """One note for the whole text when some names are shown in the other language."""
        if not any(
            (item["title"] and item["title"].language)
            or (item["summary"] and item["summary"].language)
            or any(p.language and p.language != self.context.lang for p in item["pieces"])
            for item in items
        ):
            return None
        return self.context.t(
            "Where no source gives a title, indicator or summary in English, the Vietnamese one "
            "is shown, marked as Vietnamese; nothing is translated here.",
            "Khi không nguồn nào cho tiêu đề, chỉ số hoặc tóm tắt bằng tiếng Việt, bản tiếng Anh "
            "được hiển thị và đánh dấu là tiếng Anh; không có nội dung nào được dịch ở đây.",
        )

    def place(self, uri: str) -> dict[str, Any]:
        """Where a provision sits: its ancestors, its neighbours and its own children."""
        part = self.outline.parts.get(uri)
        previous, following = self.outline.neighbours(uri)

        def link(found: Part | None) -> dict[str, Any] | None:
            if found is None:
                return None
            title = localised(found.literals(_DCT + "title"), self.context.lang)
            return {
                "href": self.name(found.uri).href,
                "heading": heading(found, self.name),
                "title": title,
            }

        return {
            "document": self.name(self.outline.document),
            "ancestors": [link(p) for p in self.outline.ancestors(uri)],
            "previous": link(previous),
            "next": link(following),
            "children": [link(child) for child in part.children] if part else [],
            "part": self.part(part) if part else None,
        }


@dataclass(frozen=True)
class DocumentReading:
    """What the graph holds to read a document, or the document a provision is in."""

    outline: Outline
    expressions: list[Expression]
    is_document: bool


def read(store: ReadableStore, description: Description) -> DocumentReading | None:
    """The outline and texts of the described document, or of the provision's document."""
    if any(t == _VNP + "Document" for t in description.types):
        document: str | None = description.uri
    else:
        document = document_of(store, description.uri)
    if document is None:
        return None
    is_document = document == description.uri
    around = None if is_document else description.uri
    return DocumentReading(
        outline(store, document, around), expressions(store, document), is_document
    )


def reading_values(
    store: ReadableStore,
    reading: DocumentReading | None,
    description: Description,
    facts: ResourceFacts,
    name: Namer,
    context: PageContext,
) -> dict[str, Any]:
    """The template values of the reading part of a page (empty for other resources)."""
    places = whereabouts(store, {r.other for r in facts.relations})
    name.more(uri for place in places.values() for uri in (place.document, place.kind) if uri)
    values: dict[str, Any] = {
        "relation_groups": grouped(
            facts.relations, context.lang, name, places, lambda uri: uri in name.names
        ),
        "document_header": None,
        "outline": None,
        "place": None,
        "texts": [],
    }
    if reading is None:
        return values
    implementers = whereabouts(
        store, {i.other for part in reading.outline.parts.values() for i in part.implemented_by}
    )
    name.more(uri for place in implementers.values() for uri in (place.kind,) if uri)
    view = Reading(reading.outline, reading.expressions, name, context, implementers)
    values["texts"] = [
        {
            "language": e.language,
            "label": language_name(e.language, context),
            "uri": e.uri,
            "href": name(e.uri).href,
            **view.text_label(e.uri),
        }
        for e in reading.expressions
    ]
    if reading.is_document:
        values["document_header"] = header(description, facts, name, context)
        items = view.items()
        values["outline"] = (
            {
                "items": items,
                "truncated": reading.outline.truncated,
                "note": view.other_language_note(items),
            }
            if items
            else None
        )
    else:
        values["place"] = view.place(description.uri)
    return values
