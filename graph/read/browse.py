"""The documents of the dataset as a list to browse: one entry per document with the facets a
reader narrows it by (type, issuer, year, pillar, status), read from the store in two queries.

A document's year is the year of its date of signature, or else the year its official number
carries (``21/2008/QH12``); its pillars are those it or any of its parts concerns, asserted or
derived (what each provision's page shows). What the store does not say stays unknown: a
document with no status shows none, never "in force".
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from vnpolicy.graph.store import ReadableStore, select

#: The facets, in the order pages show them.
FACETS = ("type", "issuer", "year", "pillar", "status")
#: How a list can be ordered: newest first, by number, by title.
SORTS = ("date", "number", "title")
#: The value of a facet for a document that has none (an undated one, one with no status).
UNKNOWN = "unknown"

_DOCUMENTS = """
SELECT ?d (SAMPLE(?number) AS ?n) (SAMPLE(?title_en) AS ?te) (SAMPLE(?title_vi) AS ?tv)
       (SAMPLE(?type) AS ?t)
       (SAMPLE(?date) AS ?when) (SAMPLE(?status) AS ?s)
       (GROUP_CONCAT(DISTINCT STR(?issuer); SEPARATOR=" ") AS ?issuers)
WHERE {
  ?d a vnp:Document .
  OPTIONAL { ?d vnp:officialNumber ?number }
  OPTIONAL { ?d dct:title ?title_en FILTER(LANGMATCHES(LANG(?title_en), "en")) }
  OPTIONAL { ?d dct:title ?title_vi FILTER(LANGMATCHES(LANG(?title_vi), "vi")) }
  OPTIONAL { ?d eli:type_document ?type }
  OPTIONAL { ?d eli:date_document ?date }
  OPTIONAL { ?d eli:in_force ?status }
  OPTIONAL { ?d eli:passed_by ?issuer }
}
GROUP BY ?d
"""

#: When each document entered into force, and when it ended: its own end date, or the entry
#: into force of a document that repeals or replaces it as a whole (a partial repeal ends
#: nothing). Only what the data states; a document without the date has none. A repeal or
#: replacement the sources give as uncertain makes the status from its date unknown (``doubt``).
_IN_FORCE = """
SELECT ?d (MIN(STR(?start)) AS ?from) (MIN(STR(?end)) AS ?until) (MIN(STR(?maybe)) AS ?doubt)
WHERE {
  ?d a vnp:Document .
  OPTIONAL { ?d eli:first_date_entry_in_force ?start }
  OPTIONAL {
    { ?d eli:date_no_longer_in_force ?end }
    UNION
    { ?relation vnp:toResource ?d ; vnp:fromResource ?by ; vnp:relationType ?kind .
      VALUES ?kind { relation-type:repeals
                     relation-type:replaces }
      ?by eli:first_date_entry_in_force ?end
      FILTER NOT EXISTS { ?relation vnp:certainty certainty:uncertain } }
  }
  OPTIONAL {
    ?doubtful vnp:toResource ?d ; vnp:fromResource ?other ; vnp:relationType ?what ;
      vnp:certainty certainty:uncertain .
    VALUES ?what { relation-type:repeals
                   relation-type:replaces }
    ?other eli:first_date_entry_in_force ?maybe
  }
}
GROUP BY ?d
"""
NOT_IN_FORCE = "http://data.europa.eu/eli/ontology#InForce-notInForce"

_PILLARS = """
SELECT DISTINCT ?d ?pillar WHERE {
  ?pillar skos:inScheme <https://w3id.org/vnpolicy/vocab/pillar> .
  { ?d vnp:concerns ?pillar } UNION { ?part vnp:concerns ?pillar ; vnp:inDocument ?d }
  ?d a vnp:Document .
}
"""


@dataclass(frozen=True)
class Entry:
    """One document as the browse pages list it; URIs for what has a page of its own."""

    uri: str
    number: str | None
    #: (language, dct:title): not the label, which only repeats type and number
    titles: tuple[tuple[str, str], ...]
    type: str | None
    issuers: tuple[str, ...]
    date: str | None
    year: int | None
    pillars: tuple[str, ...]
    status: str | None
    #: The date it entered into force and the date it ended, when the data states them.
    in_force_from: str | None = None
    in_force_until: str | None = None
    #: From this date a repeal or replacement the sources give as uncertain may have ended it.
    in_force_doubtful_from: str | None = None

    def in_force_on(self, day: str) -> bool:
        """Whether the data shows it in force on ``day`` (``YYYY-MM-DD``): in force from that day
        or before, not ended by then (nor perhaps, by an uncertain repeal), and not "not in
        force" with no date it ended."""
        if self.in_force_from is None or self.in_force_from > day:
            return False
        if self.in_force_doubtful_from is not None and self.in_force_doubtful_from <= day:
            return False  # unknown: perhaps repealed by then
        if self.in_force_until is not None:
            return self.in_force_until > day
        return self.status != NOT_IN_FORCE

    def title(self, language: str) -> str | None:
        """The title in ``language``, else in the other one (the page marks which)."""
        for wanted in (language, *(other for other, _ in self.titles if other != language)):
            for found, text in self.titles:
                if found == wanted:
                    return text
        return None

    def title_language(self, language: str) -> str | None:
        shown = self.title(language)
        return next((found for found, text in self.titles if text == shown), None)

    def values(self, facet: str) -> tuple[str, ...]:
        """What this document is under ``facet`` (``UNKNOWN`` where the data says nothing)."""
        found: tuple[str, ...]
        if facet == "type":
            found = (self.type,) if self.type else ()
        elif facet == "issuer":
            found = self.issuers
        elif facet == "year":
            found = (str(self.year),) if self.year is not None else ()
        elif facet == "pillar":
            found = self.pillars
        elif facet == "status":
            found = (self.status,) if self.status else ()
        else:
            raise KeyError(facet)
        return found or (UNKNOWN,)


def entries(store: ReadableStore) -> list[Entry]:
    """Every document of the store, ordered by URI (a stable order to sort from)."""
    pillars: dict[str, list[str]] = {}
    dates = {row["d"]: row for row in select(store, _IN_FORCE, union=True)}
    for row in select(store, _PILLARS, union=True):
        pillars.setdefault(row["d"], []).append(row["pillar"])
    found = []
    for row in select(store, _DOCUMENTS, union=True):
        titles = [
            (language, text)
            for language, text in (
                ("vi", row.get("tv")),
                ("en", row.get("te")),
            )
            if text
        ]
        date = row.get("when")
        found.append(
            Entry(
                uri=row["d"],
                number=row.get("n"),
                titles=tuple(titles),
                type=row.get("t"),
                issuers=tuple(sorted(filter(None, (row.get("issuers") or "").split(" ")))),
                date=date,
                year=_year(date, row["d"]),
                pillars=tuple(sorted(pillars.get(row["d"], []))),
                status=row.get("s"),
                in_force_from=dates.get(row["d"], {}).get("from") or None,
                in_force_until=dates.get(row["d"], {}).get("until") or None,
                in_force_doubtful_from=dates.get(row["d"], {}).get("doubt") or None,
            )
        )
    return sorted(found, key=lambda entry: entry.uri)


def _year(date: str | None, uri: str) -> int | None:
    """The year signed, else the year of an ELI URI (``…/eli/vn/qh12/luat/2008/21``), which
    comes from the official number."""
    if date and date[:4].isdigit():
        return int(date[:4])
    parts = uri.split("/eli/vn/", 1)[-1].split("/")
    if "/eli/vn/" in uri and len(parts) == 4 and parts[2].isdigit():
        return int(parts[2])
    return None


@dataclass(frozen=True)
class Selection:
    """The documents that match every filter (facet → value), in one order."""

    matching: tuple[Entry, ...]
    filters: tuple[tuple[str, str], ...]
    sort: str

    @cached_property
    def counts(self) -> dict[str, list[tuple[str, int]]]:
        """For each facet, its values among the matching documents with how many have each:
        most first, years newest first, ``unknown`` last."""
        counted: dict[str, list[tuple[str, int]]] = {}
        for facet in FACETS:
            tally = Counter(value for entry in self.matching for value in entry.values(facet))
            if facet == "year":
                counted[facet] = sorted(tally.items(), key=lambda item: _year_order(item[0]))
            else:
                counted[facet] = sorted(
                    tally.items(), key=lambda item: (item[0] == UNKNOWN, -item[1], item[0])
                )
        return counted


def _year_order(value: str) -> tuple[int, int]:
    """Newest first; ``unknown`` and ``undated`` last."""
    return (0, -int(value)) if value.isdigit() else (1, 0)


def narrow(
    catalogue: Sequence[Entry],
    filters: Iterable[tuple[str, str]],
    sort: str,
    in_force_on: str | None = None,
) -> Selection:
    """The documents under every filter (and in force on ``in_force_on``, a ``YYYY-MM-DD``
    day, when given), ordered by ``sort`` (newest first for ``date``, undated last; ties by
    number)."""
    chosen = tuple(sorted(set(filters)))
    matching = [
        entry
        for entry in catalogue
        if all(value in entry.values(facet) for facet, value in chosen)
        and (in_force_on is None or entry.in_force_on(in_force_on))
    ]
    if sort == "number":
        matching.sort(key=lambda entry: _number_key(entry.number))
    elif sort == "title":
        matching.sort(key=lambda entry: ((entry.title("vi") or "~").casefold(), entry.uri))
    else:
        matching.sort(key=lambda entry: _number_key(entry.number))
        matching.sort(key=_date_key, reverse=True)
    return Selection(tuple(matching), chosen, sort)


def _date_key(entry: Entry) -> str:
    return entry.date or (str(entry.year) if entry.year is not None else "")


def _number_key(number: str | None) -> tuple[int, int, str]:
    """Numbers in numeric order (``9/…`` before ``57-…``), numberless last."""
    if not number:
        return (1, 0, "")
    digits = ""
    for character in number:
        if not character.isdigit():
            break
        digits += character
    return (0, int(digits) if digits else 0, number)


#: The levels of the ELI browse tree under ``{base}eli/vn/``: issuer, type, year, document.
ELI_LEVELS = ("issuer", "type", "year")


@dataclass(frozen=True)
class EliLevel:
    """One node of the ELI browse tree: ``eli/vn``, ``eli/vn/cp``, ``eli/vn/cp/nd`` or
    ``eli/vn/cp/nd/2024``; below it either the next segments (with the documents under each)
    or, at the year, the documents themselves."""

    segments: tuple[str, ...]
    children: tuple[tuple[str, tuple[Entry, ...]], ...]  # (segment, documents under it)
    documents: tuple[Entry, ...]  # at the year level

    @property
    def path(self) -> str:
        return "/".join(("eli", "vn", *self.segments))

    @property
    def total(self) -> int:
        return len(self.documents) or sum(len(under) for _, under in self.children)


def eli_level(catalogue: Sequence[Entry], base: str, segments: Sequence[str]) -> EliLevel | None:
    """The browse node at ``eli/vn/{segments}``, or None when no document's URI lies under it
    (or ``segments`` is deeper than a year)."""
    if len(segments) > len(ELI_LEVELS):
        return None
    prefix = base + "/".join(("eli", "vn", *segments)) + "/"
    under = [
        (entry.uri[len(prefix) :].split("/"), entry)
        for entry in catalogue
        if entry.uri.startswith(prefix)
    ]
    # Only documents' own URIs: issuer/type/year/number, nothing below them.
    depth = len(ELI_LEVELS) + 1 - len(segments)
    under = [(rest, entry) for rest, entry in under if len(rest) == depth]
    if not under:
        return None
    if len(segments) == len(ELI_LEVELS):
        ordered = sorted((entry for _, entry in under), key=lambda e: _number_key(e.number))
        return EliLevel(tuple(segments), (), tuple(ordered))
    grouped: dict[str, list[Entry]] = {}
    for rest, entry in under:
        grouped.setdefault(rest[0], []).append(entry)
    if len(segments) == ELI_LEVELS.index("year"):
        order = sorted(grouped, key=_year_order)
    else:
        order = sorted(grouped)
    return EliLevel(tuple(segments), tuple((key, tuple(grouped[key])) for key in order), ())


def eli_paths(catalogue: Sequence[Entry], base: str) -> list[str]:
    """Every node of the ELI browse tree (``eli/vn``, ``eli/vn/cp``, … ``eli/vn/cp/nd/2018``)."""
    found: set[str] = set()
    prefix = base + "eli/vn/"
    for entry in catalogue:
        parts = entry.uri[len(prefix) :].split("/") if entry.uri.startswith(prefix) else []
        if len(parts) == len(ELI_LEVELS) + 1:
            found.update("/".join(("eli", "vn", *parts[:depth])) for depth in range(len(parts)))
    return sorted(found)
