"""A resource's relations grouped by kind and direction, the way a reader asks: what does it
implement, what implements it, what is it based on, what cites it …

Each relation type of ``vocab/relation-type`` reads one way from its source ("implements") and
the other way from its target ("implemented by"); the vocabulary names the first, this table the
second, in both interface languages. Groups come in this table's order.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from vnpolicy.graph.read.document_parts import Whereabouts
from vnpolicy.graph.read.resource_facts import RelationRow

_TYPE = "https://w3id.org/vnpolicy/vocab/relation-type/"
#: relation type → (from the target, English; Vietnamese), in the order groups are shown.
INVERSE: dict[str, tuple[str, str]] = {
    "implements": ("implemented by", "được thực hiện bởi"),
    "based-on": ("basis of", "là căn cứ của"),
    "institutionalises": ("institutionalised by", "được thể chế hóa bởi"),
    "operationalises": ("operationalised by", "được cụ thể hóa bởi"),
    "contributes-to": ("contributed to by", "được góp phần thực hiện bởi"),
    "amends": ("amended by", "được sửa đổi, bổ sung bởi"),
    "repeals": ("repealed by", "bị bãi bỏ bởi"),
    "partially-repeals": ("partially repealed by", "bị bãi bỏ một phần bởi"),
    "replaces": ("replaced by", "được thay thế bởi"),
    "cites": ("cited by", "được dẫn chiếu bởi"),
    "continues": ("continued by", "được tiếp nối bởi"),
    "builds-on": ("built on by", "được kế thừa bởi"),
    "thematically-related": ("thematically related to", "liên quan về chủ đề"),
    "establishes": ("established by", "được thành lập bởi"),
    "regulates": ("regulated by", "được quy định bởi"),
}
_ORDER = {kind: index for index, kind in enumerate(INVERSE)}


@dataclass
class RelationGroup:
    kind: str  # the relation type's local name
    outgoing: bool
    label: str
    rows: list[dict[str, Any]]


def _local(relation_type: str) -> str:
    return relation_type.removeprefix(_TYPE)


def provision_name(
    name: Callable[[str], Any], uri: str, place: Whereabouts, has_name: Callable[[str], bool]
) -> Any:
    """How a page names the other end of a relation: by its name, or, for a provision without
    a title of its own, by its kind and number ("Task 6") rather than its URI's path."""
    shown = name(uri)
    if place.document and place.kind and not has_name(uri):
        kind = name(place.kind).text
        text = " ".join(filter(None, (kind[:1].upper() + kind[1:], place.number)))
        return replace(shown, text=text)
    return shown


def grouped(
    relations: Iterable[RelationRow],
    language: str,
    name: Callable[[str], Any],
    places: Mapping[str, Whereabouts],
    has_name: Callable[[str], bool],
) -> list[RelationGroup]:
    """The relations in groups: outgoing then incoming within a kind, kinds in table order;
    each row names the other end, its date, the certainty, the sources and the note."""
    groups: dict[tuple[str, bool], RelationGroup] = {}
    for relation in relations:
        kind = _local(relation.relation_type)
        key = (kind, relation.outgoing)
        if key not in groups:
            if relation.outgoing or kind not in INVERSE:
                label = name(relation.relation_type).text
            else:
                english, vietnamese = INVERSE[kind]
                label = vietnamese if language == "vi" else english
            groups[key] = RelationGroup(kind, relation.outgoing, label, [])
        place = places.get(relation.other, Whereabouts(None, None))
        other = provision_name(name, relation.other, place, has_name)
        groups[key].rows.append(
            {
                "statement": name(relation.statement),
                "other": other,
                "in_document": name(place.document) if place.document else None,
                "date": place.date,
                "outgoing": relation.outgoing,
                "certainty": name(relation.certainty) if relation.certainty else None,
                "sources": [name(s) for s in relation.sources],
                "note": {
                    "text": relation.note,
                    "language": relation.note_language
                    if relation.note_language and relation.note_language != language
                    else None,
                }
                if relation.note
                else None,
            }
        )
    for group in groups.values():
        group.rows.sort(key=lambda row: (row["date"] or "9999", row["other"].text))
    return sorted(
        groups.values(),
        key=lambda g: (_ORDER.get(g.kind, len(_ORDER)), not g.outgoing, g.kind),
    )
