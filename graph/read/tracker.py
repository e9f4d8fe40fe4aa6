"""The implementation tracker, read from the rows of the catalogue's tracker query.

``graph/queries/18-tracker.rq`` gives one row per tracked item (a document followed by others,
or one of its tasks, goals, targets and directions) and implementing link, or one row with no
link for an item nobody is known to implement. This module groups those rows by document and
item, in the documents' own order (task 2 before task 10), and counts the pillar coverage.
It reads rows only: the query runs wherever the caller runs queries (a query worker).
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from vnpolicy.graph.paths import QUERIES_DIR

TRACKER_QUERY_FILE = QUERIES_DIR / "18-tracker.rq"
PILLARS = ("institutions", "human-resources", "infrastructure", "data", "strategic-technology")
#: The documents in the order the tracker shows them: the resolution, then what carries it out.
ORDER = ("eli/vn/tw/nq/2024/57", "eli/vn/cp/nq/2025/03", "eli/vn/bgddt/tt/2021/09",
         "eli/vn/bgddt/cv/2024/4324-cntt")  # fmt: skip


def tracker_anchor(uri: str, base: str) -> str | None:
    """Where ``/tracker`` shows a tracked document (``/tracker#tracked-1``), or None."""
    for position, key in enumerate(ORDER, start=1):
        if uri == base + key:
            return f"/tracker#tracked-{position}"
    return None


def tracker_query() -> str:
    return TRACKER_QUERY_FILE.read_text(encoding="utf-8")


def steps(uri: str, document: str) -> list[tuple[str, int]]:
    """A part's place under its document: ``[("task", 2), ("task", 1)]`` (sections left out)."""
    pairs = re.findall(r"/([a-z]+)/(\d+)", uri.removeprefix(document))
    return [(kind, int(ordinal)) for kind, ordinal in pairs if kind != "section"]


@dataclass(frozen=True)
class Link:
    """A document that carries an item out, by a link the sources state or through another."""

    implementer: str
    implementer_label: str
    implementer_date: str
    relation: str  #: a relation-type id: implements, institutionalises, …
    target: str  #: what the (last) link points at: the item, one of its parts, or ``via``
    certainty: str  #: a certainty id of the (last) link
    stated: bool  #: False: a chain of two stated links, derived here
    via: str  #: for a derived link, the provision or document it runs through
    via_document: str  #: the document ``via`` is (or is part of)
    via_certainty: str
    statement: str  #: the relation statement's URI
    sources: tuple[str, ...]

    @property
    def via_place(self) -> tuple[str, str]:
        """Where a derived link runs through in its document: (kind, number), or ("", "")."""
        found = steps(self.via, self.via_document) if self.via != self.via_document else []
        if not found:
            return ("", "")
        return (found[-1][0], ".".join(str(ordinal) for _, ordinal in found))


@dataclass
class Item:
    """A tracked task, goal, target or direction, or a document as a whole."""

    uri: str
    document: str
    kind: str  #: document, task, goal, target, direction
    text: str
    text_vi: str
    deadline: str
    certainty: str
    asserted: tuple[str, ...]
    derived: tuple[str, ...]
    links: list[Link] = field(default_factory=list)

    @property
    def steps(self) -> list[tuple[str, int]]:
        return steps(self.uri, self.document)

    @property
    def number(self) -> str:
        """Its ordinals joined: task 2, sub-task 1 → ``2.1``."""
        return ".".join(str(ordinal) for _, ordinal in self.steps)

    @property
    def kind_of_last(self) -> str:
        return self.steps[-1][0] if self.steps else self.kind

    @property
    def stated_links(self) -> list[Link]:
        return [link for link in self.links if link.stated]

    @property
    def derived_links(self) -> list[Link]:
        return [link for link in self.links if not link.stated]

    @property
    def implementers(self) -> list[str]:
        return list(dict.fromkeys(link.implementer for link in self.links))


@dataclass
class TrackedDocument:
    whole: Item
    items: list[Item]

    @property
    def gaps(self) -> int:
        return sum(1 for item in self.items if not item.links)


@dataclass(frozen=True)
class Tracker:
    documents: list[TrackedDocument]

    def coverage(self) -> dict[str, dict[str, int]]:
        """Per pillar: items tagged asserted, derived (not asserted), and those implemented."""
        counts = {pillar: {"asserted": 0, "derived": 0, "implemented": 0} for pillar in PILLARS}
        for document in self.documents:
            for item in document.items:
                for pillar in PILLARS:
                    if pillar in item.asserted:
                        counts[pillar]["asserted"] += 1
                    elif pillar in item.derived:
                        counts[pillar]["derived"] += 1
                    else:
                        continue
                    counts[pillar]["implemented"] += bool(item.links)
        return counts


def _item_key(item: Item) -> tuple[int, ...]:
    """The document's own order: every ordinal on the way down, sections included."""
    return tuple(int(ordinal) for ordinal in re.findall(r"/(\d+)", item.uri[len(item.document) :]))


def tracker_from_rows(rows: Iterable[Mapping[str, str]], base: str) -> Tracker:
    """The tracker from the query's rows (each a mapping of variable to value, "" if unbound)."""
    items: dict[str, Item] = {}
    for row in rows:
        uri = row["item"]
        item = items.get(uri)
        if item is None:
            item = items[uri] = Item(
                uri=uri,
                document=row["tracked"],
                kind=row["kind"],
                text=row.get("text", ""),
                text_vi=row.get("text_vi", ""),
                deadline=row.get("deadline", ""),
                certainty=row.get("certainty", ""),
                asserted=tuple(sorted(filter(None, row.get("asserted", "").split(" ")))),
                derived=tuple(sorted(filter(None, row.get("derived", "").split(" ")))),
            )
        if row.get("implementer"):
            item.links.append(
                Link(
                    implementer=row["implementer"],
                    implementer_label=row.get("implementer_label", ""),
                    implementer_date=row.get("implementer_date", ""),
                    relation=row.get("relation", ""),
                    target=row.get("target", ""),
                    certainty=row.get("link_certainty", ""),
                    stated=row.get("assertion") == "stated",
                    via=row.get("via", ""),
                    via_document=row.get("via_document", ""),
                    via_certainty=row.get("via_certainty", ""),
                    statement=row.get("link", ""),
                    sources=tuple(sorted(filter(None, row.get("sources", "").split(" ")))),
                )
            )
    for item in items.values():
        item.links.sort(key=lambda link: (not link.stated, link.implementer_date or "9999"))
    documents = []
    for key in ORDER:
        whole = items.get(base + key)
        if whole is None:
            continue
        parts = sorted(
            (item for item in items.values() if item.document == whole.uri and item is not whole),
            key=_item_key,
        )
        documents.append(TrackedDocument(whole, parts))
    return Tracker(documents)
