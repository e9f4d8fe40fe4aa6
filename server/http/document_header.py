"""A document's header on its page: number, type, issuer, signer and role, dates signed and in
force, status — each with the certainty and note of the qualified fact that states it — and its
titles in both languages."""

from typing import Any

from pyoxigraph import Literal, NamedNode

from vnpolicy.graph.read.describe import Description
from vnpolicy.graph.read.resource_facts import ResourceFacts
from vnpolicy.server.http.page_languages import Localised, language_name, localised, missing_note
from vnpolicy.server.http.pages import Namer, PageContext, Shown

_VNP = "https://w3id.org/vnpolicy/ontology#"
_ELI = "http://data.europa.eu/eli/ontology#"
_DCT = "http://purl.org/dc/terms/"

_HEADER_ROWS = (
    (_VNP + "officialNumber", "Number", "Số, ký hiệu"),
    (_ELI + "type_document", "Type", "Loại văn bản"),
    (_ELI + "passed_by", "Issued by", "Cơ quan ban hành"),
    (_VNP + "signer", "Signed by", "Người ký"),
    (_ELI + "date_document", "Signed on", "Ngày ký"),
    (_ELI + "first_date_entry_in_force", "In force from", "Có hiệu lực từ"),
    (_ELI + "in_force", "Status", "Tình trạng"),
)


def header(
    description: Description, facts: ResourceFacts, name: Namer, context: PageContext
) -> dict[str, Any]:
    """A document's header: number, type, issuer, signer and role, dates, status (each with the
    certainty and note of the qualified fact that states it, if any) and both titles."""
    values: dict[str, list[NamedNode | Literal]] = {}
    for link in description.outgoing:
        if isinstance(link.node, NamedNode | Literal):
            values.setdefault(link.predicate, []).append(link.node)
    qualified = {f.predicate: f for f in facts.facts if f.kind == "qualified fact" and f.predicate}
    rows = []
    for predicate, english, vietnamese in _HEADER_ROWS:
        found = values.get(predicate, [])
        if not found:
            continue
        fact = qualified.get(predicate)
        extra = None
        if predicate == _VNP + "signer":
            capacity = localised(
                {
                    v.language or "": v.value
                    for v in values.get(_VNP + "signingCapacity", [])
                    if isinstance(v, Literal)
                },
                context.lang,
            )
            extra = capacity
        rows.append(
            {
                "label": context.t(english, vietnamese),
                "values": [name(v) if isinstance(v, NamedNode) else Shown(v.value) for v in found],
                "extra": extra,
                "certainty": name(fact.certainty) if fact and fact.certainty else None,
                "note": Localised(
                    fact.note,
                    fact.note_language
                    if fact.note_language and fact.note_language != context.lang
                    else None,
                )
                if fact and fact.note
                else None,
            }
        )
    titles = {
        v.language or "": v.value for v in values.get(_DCT + "title", []) if isinstance(v, Literal)
    }
    return {
        "rows": rows,
        "titles": [
            {
                "language": tag,
                "label": language_name(tag, context),
                "text": titles.get(tag),
                "missing": None
                if tag in titles
                else missing_note(tag, context.t("title", "tiêu đề"), context),
            }
            for tag in ("vi", "en")
        ],
        "summary": localised(
            {
                v.language or "": v.value
                for v in values.get(_DCT + "description", [])
                if isinstance(v, Literal)
            },
            context.lang,
        ),
    }
