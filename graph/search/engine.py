"""Reading the search index: ranked results with highlighted snippets, facets, suggestions and
number lookups.

Every search is bounded before it starts (at most ``MAX_QUERY`` characters and ``MAX_TERMS``
words, ``MAX_PAGE_SIZE`` results a page, ``MAX_PAGE`` pages) and while it runs: SQLite's
progress handler stops a statement past ``time_limit`` seconds (``SearchTimedOutError``). Each
search opens its own read-only connection, so searches may run in threads side by side.
"""

import re
import sqlite3
import time
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from vnpolicy.graph.build.mentions import (
    DocumentIndex,
    KnownDocument,
    find_mentions,
    with_type_words,
)
from vnpolicy.graph.numbers import normalise, parse
from vnpolicy.graph.search.entries import FACETS
from vnpolicy.graph.search.folding import fold
from vnpolicy.graph.search.index import SCHEMA_VERSION
from vnpolicy.graph.search.snippets import END, SNIPPET, START, Segment, snippet_of

MAX_QUERY = 200
MAX_TERMS = 12
MAX_PAGE_SIZE = 50
MAX_PAGE = 50
SUGGESTIONS = 8
#: Column weights for BM25: a number counts most, then titles and labels, then wordings.
WEIGHTS = (10.0, 4.0, 1.0)
_WORD = re.compile(r"\w+")


class SearchError(Exception):
    """A search that cannot be made: the message says what to change."""


class SearchTimedOutError(Exception):
    """A search stopped at its time limit."""


class IndexMissingError(Exception):
    """No usable index at the path given."""


@dataclass(frozen=True)
class Hit:
    uri: str
    label: str
    kind: str
    lang: str
    document: str | None
    number: str
    snippet: tuple[Segment, ...]
    facets: tuple[tuple[str, str], ...]
    #: Found by its number (the query names this document), ranked before the rest.
    by_number: bool = False
    #: The language of ``label`` ("" when unknown).
    label_lang: str = ""


@dataclass(frozen=True)
class FacetValue:
    name: str
    value: str
    count: int


@dataclass(frozen=True)
class Query:
    text: str
    filters: tuple[tuple[str, str], ...] = ()
    page: int = 1
    size: int = 20
    #: The language results are named in where they have a name in it (the page's).
    lang: str = "en"


@dataclass(frozen=True)
class Results:
    query: Query
    total: int
    hits: tuple[Hit, ...]
    facets: tuple[FacetValue, ...]
    #: No entry has every word: these results have any of them.
    relaxed: bool = False
    #: The names of every facet value shown (counted or on a hit), by language.
    names: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.query.size))


@dataclass(frozen=True)
class Suggestion:
    uri: str
    label: str
    detail: str


def check(query: Query) -> list[str]:
    """The query's words, folded; ``SearchError`` when the query is past a limit."""
    if len(query.text) > MAX_QUERY:
        raise SearchError(f"q has {len(query.text)} characters; at most {MAX_QUERY} are read")
    if not 1 <= query.size <= MAX_PAGE_SIZE:
        raise SearchError(f"size={query.size}: give 1 to {MAX_PAGE_SIZE} results a page")
    if not 1 <= query.page <= MAX_PAGE:
        raise SearchError(f"page={query.page}: give a page from 1 to {MAX_PAGE}")
    for name, value in query.filters:
        if name not in FACETS:
            raise SearchError(f"{name!r} is not a facet; facets: {', '.join(FACETS)}")
        if name == "year" and not re.fullmatch(r"[0-9]{4}", value):
            raise SearchError(f"year={value!r}: give a year of four digits")
        if name == "language" and value not in ("vi", "en"):
            raise SearchError(f"language={value!r}: give vi or en")
        if len(value) > MAX_QUERY:
            raise SearchError(f"{name} has {len(value)} characters; at most {MAX_QUERY}")
    words = _WORD.findall(fold(query.text))
    if len(words) > MAX_TERMS:
        raise SearchError(f"q has {len(words)} words; at most {MAX_TERMS} are searched")
    return words


def _phrase(words: Sequence[str]) -> str:
    return '"' + " ".join(words) + '"'


class SearchIndex:
    """The index written by ``graph.search.index``, read-only."""

    def __init__(self, path: Path, time_limit: float = 5.0, check_every: int = 1000) -> None:
        """``check_every``: SQLite virtual-machine steps between two looks at the clock."""
        self.path, self.time_limit, self.check_every = path, time_limit, check_every

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        if not self.path.is_file():
            raise IndexMissingError(f"no search index at {self.path}")
        connection = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        deadline = time.monotonic() + self.time_limit
        connection.set_progress_handler(lambda: int(time.monotonic() > deadline), self.check_every)
        try:
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version != SCHEMA_VERSION:
                raise IndexMissingError(f"{self.path} is an index of another version ({version})")
            yield connection
        except sqlite3.OperationalError as error:
            if "interrupted" in str(error):
                raise SearchTimedOutError(
                    f"the search took more than {self.time_limit:g} s"
                ) from None
            raise
        finally:
            connection.close()

    def count(self) -> int:
        """The number of entries."""
        with self._connection() as connection:
            return int(connection.execute("SELECT count(*) FROM entry").fetchone()[0])

    # ---------------------------------------------------------------------------- numbers

    @cached_property
    def numbers(self) -> DocumentIndex:
        """The documents' numbers, as ``identify`` reads them."""
        with self._connection() as connection:
            rows = connection.execute(
                "SELECT uri, number, doc_type, year FROM known_number"
            ).fetchall()
        from rdflib import URIRef

        return DocumentIndex(
            KnownDocument(URIRef(uri), parse(number), doc_type, year)
            for uri, number, doc_type, year in rows
        )

    def lookup(self, text: str) -> list[KnownDocument]:
        """The documents ``text`` may name by number, in every form ``identify`` reads
        (``57-NQ/TW``, ``4324/BGDDT-CNTT``, ``Decree 100``, ``Nghi quyet 57``); a bare sequence
        number (``57``) names every document numbered so."""
        text = unicodedata.normalize("NFC", text.strip())[:MAX_QUERY]
        if text.isdigit():
            return sorted(self.numbers.by_sequence(text), key=lambda d: str(d.uri))
        try:
            return self.numbers.candidates(normalise(text))
        except ValueError:
            pass
        mentions = find_mentions(with_type_words(text))
        if len(mentions) != 1:
            return []
        return sorted(self.numbers.mentioned(mentions[0]), key=lambda d: str(d.uri))

    # ---------------------------------------------------------------------------- search

    def search(self, query: Query) -> Results:
        words = check(query)
        if not words:
            return Results(query, 0, (), ())
        named = [str(document.uri) for document in self.lookup(query.text)]
        with self._connection() as connection:
            results = self._search(connection, query, words, named, " AND ")
            if results.total == 0 and len(words) > 1:
                relaxed = self._search(connection, query, words, named, " OR ")
                return Results(
                    query, relaxed.total, relaxed.hits, relaxed.facets, True, relaxed.names
                )
            return results

    def _match(self, words: Sequence[str], named: Sequence[str], joined: str) -> str:
        """The FTS5 expression: the words, or the number of a document the query names."""
        expression = "(" + joined.join(_phrase([word]) for word in words) + ")"
        for number in self._numbers_of(named):
            expression += f" OR (number : {_phrase(number)})"
        return expression

    def _numbers_of(self, uris: Sequence[str]) -> list[list[str]]:
        found = {str(d.uri): d for d in self.numbers}
        return [
            _WORD.findall(fold(number.text))
            for uri in uris
            if (number := found[uri].number) is not None
        ]

    def _filtered(self, query: Query) -> tuple[str, list[str]]:
        clauses, values = [], []
        for name, value in query.filters:
            clauses.append(" AND e.entry IN (SELECT entry FROM facet WHERE name = ? AND value = ?)")
            values += [name, value]
        return "".join(clauses), values

    def _search(
        self,
        connection: sqlite3.Connection,
        query: Query,
        words: Sequence[str],
        named: Sequence[str],
        joined: str,
    ) -> Results:
        match = self._match(words, named, joined)
        filters, values = self._filtered(query)
        weights = ", ".join(map(str, WEIGHTS))
        scored = (
            "WITH m AS MATERIALIZED "
            f"(SELECT rowid, bm25(text, {weights}) AS score FROM text WHERE text MATCH ?) "
        )
        matched = f"FROM m JOIN hit e ON e.entry = m.rowid WHERE 1{filters}"
        total = connection.execute(
            f"{scored}SELECT count(DISTINCT e.resource) {matched}", [match, *values]
        ).fetchone()[0]
        first = self._resources(connection, named)
        marks = ", ".join("?" for _ in first) or "NULL"
        best = connection.execute(
            f"""{scored}SELECT e.resource, e.entry, min(m.score) AS best,
                    e.resource IN ({marks}) AS named {matched}
                GROUP BY e.resource ORDER BY named DESC, best, e.resource LIMIT ? OFFSET ?""",
            [match, *first, *values, query.size, (query.page - 1) * query.size],
        ).fetchall()
        hits = self._hits(connection, match, [(row[1], bool(row[3])) for row in best], query.lang)
        counts = connection.execute(
            f"""{scored}SELECT f.name, f.value, count(DISTINCT e.resource) {
                matched.replace("WHERE", "JOIN facet f ON f.entry = e.entry WHERE", 1)
            }
                GROUP BY f.name, f.value
                ORDER BY f.name, count(DISTINCT e.resource) DESC, f.value""",
            [match, *values],
        ).fetchall()
        shown = {value for _, value, _ in counts} | {v for hit in hits for _, v in hit.facets}
        names = self._labels(connection, shown)
        facets = tuple(FacetValue(n, v, c) for n, v, c in counts)
        return Results(query, total, hits, facets, names=names)

    def _resources(self, connection: sqlite3.Connection, uris: Sequence[str]) -> list[int]:
        """The resource numbers of these URIs."""
        if not uris:
            return []
        marks = ", ".join("?" for _ in uris)
        return [
            row[0]
            for row in connection.execute(
                "SELECT DISTINCT h.resource FROM hit h JOIN entry e ON e.id = h.entry "
                f"WHERE e.uri IN ({marks})",
                list(uris),
            )
        ]

    def _hits(
        self,
        connection: sqlite3.Connection,
        match: str,
        chosen: list[tuple[int, bool]],
        shown_in: str,
    ) -> tuple[Hit, ...]:
        if not chosen:
            return ()
        ids = [entry for entry, _ in chosen]
        marks = ", ".join("?" for _ in ids)
        highlights = {
            row[0]: row[1:]
            for row in connection.execute(
                f"""SELECT rowid, highlight(text, 1, '{START}', '{END}'),
                           highlight(text, 2, '{START}', '{END}')
                    FROM text WHERE text MATCH ? AND rowid IN ({marks})""",
                [match, *ids],
            )
        }
        rows = {
            row[0]: row[1:]
            for row in connection.execute(
                "SELECT id, uri, label, kind, lang, document, number, title, body, aligned "
                f"FROM entry WHERE id IN ({marks})",
                ids,
            )
        }
        named: dict[str, str] = dict(
            connection.execute(
                "SELECT uri, label FROM name WHERE lang = ? AND uri IN "
                f"(SELECT uri FROM entry WHERE id IN ({marks}))",
                [shown_in, *ids],
            ).fetchall()
        )
        facets: dict[int, list[tuple[str, str]]] = {}
        for entry, name, value in connection.execute(
            f"SELECT entry, name, value FROM facet WHERE entry IN ({marks}) ORDER BY name, value",
            ids,
        ):
            facets.setdefault(entry, []).append((name, value))
        hits = []
        for entry, by_number in chosen:
            uri, label, kind, lang, document, number, title, body, same = rows[entry]
            marked_title, marked_body = highlights.get(entry, ("", ""))
            snippet = snippet_of(body, marked_body, bool(same & 2)) or snippet_of(
                title, marked_title, bool(same & 1)
            )
            if not snippet:
                shown = (body or title).replace("\n", " · ")
                cut = shown[:SNIPPET] + ("…" if len(shown) > SNIPPET else "")
                snippet = (Segment(cut),) if cut else ()
            hits.append(
                Hit(uri, named.get(uri, label), kind, lang, document, number, snippet,
                    tuple(facets.get(entry, [])), by_number,
                    shown_in if uri in named else lang)
            )  # fmt: skip
        return tuple(hits)

    def _labels(
        self, connection: sqlite3.Connection, values: set[str]
    ) -> dict[str, dict[str, str]]:
        names: dict[str, dict[str, str]] = {}
        chosen = sorted(values)
        for start in range(0, len(chosen), 500):
            part = chosen[start : start + 500]
            marks = ", ".join("?" for _ in part)
            for value, lang, text in connection.execute(
                f"SELECT value, lang, text FROM label WHERE value IN ({marks})", part
            ):
                names.setdefault(value, {})[lang] = text
        return names

    def labels_of(self, uris: Sequence[str]) -> dict[str, dict[str, str]]:
        """How results name these resources, by language."""
        marks = ", ".join("?" for _ in uris)
        with self._connection() as connection:
            names: dict[str, dict[str, str]] = {}
            for uri, lang, label in connection.execute(
                f"SELECT uri, lang, label FROM name WHERE uri IN ({marks})", uris
            ):
                names.setdefault(uri, {})[lang] = label
            return names

    def labels(self, values: set[str]) -> dict[str, dict[str, str]]:
        """The names of facet values (``pillar:data``) in each language."""
        with self._connection() as connection:
            return self._labels(connection, values)

    # ---------------------------------------------------------------------------- suggest

    def suggest(self, text: str, lang: str = "en") -> list[Suggestion]:
        """Up to ``SUGGESTIONS`` resources whose number, title or label starts with the words
        typed (the last one as a prefix), documents the query names by number first."""
        words = check(Query(text))
        if not words:
            return []
        named = [str(document.uri) for document in self.lookup(text)]
        typed = " AND ".join([*(_phrase([w]) for w in words[:-1]), _phrase(words[-1:]) + "*"])
        match = "{number title} : (" + typed + ")"
        for number in self._numbers_of(named):
            match += f" OR (number : {_phrase(number)})"
        with self._connection() as connection:
            first = self._resources(connection, named)
            marks = ", ".join("?" for _ in first) or "NULL"
            weights = ", ".join(map(str, WEIGHTS))
            best = connection.execute(
                f"""WITH m AS MATERIALIZED (SELECT rowid, bm25(text, {weights}) AS score
                      FROM text WHERE text MATCH ?)
                    SELECT e.entry, min(m.score) AS best, e.resource IN ({marks}) AS named,
                           max(e.document) AS document
                    FROM m JOIN hit e ON e.entry = m.rowid
                    GROUP BY e.resource ORDER BY named DESC, document DESC, best, e.resource
                    LIMIT ?""",
                [match, *first, SUGGESTIONS],
            ).fetchall()
            entries = [row[0] for row in best]
            marks = ", ".join("?" for _ in entries)
            by_entry = dict(
                connection.execute(
                    f"SELECT id, uri FROM entry WHERE id IN ({marks})", entries
                ).fetchall()
            )
            uris = [by_entry[entry] for entry in entries]
            marks = ", ".join("?" for _ in uris)
            rows = connection.execute(
                f"""SELECT e.uri, e.lang, e.label, e.kind, f.value FROM entry e
                    LEFT JOIN facet f ON f.entry = e.id AND f.name = 'type'
                    WHERE e.uri IN ({marks})""",
                uris,
            ).fetchall()
            kinds = self._labels(connection, {row[4] for row in rows if row[4]})
            shown = dict(
                connection.execute(
                    f"SELECT uri, label FROM name WHERE lang = ? AND uri IN ({marks})",
                    [lang, *uris],
                ).fetchall()
            )
        chosen: dict[str, tuple[str, str]] = {}
        for uri, _, label, _, kind in sorted(rows, key=lambda row: row[1] != lang):
            if uri not in chosen:
                names = kinds.get(kind or "", {})
                chosen[uri] = (shown.get(uri, label), names.get(lang) or names.get("en") or "")
        return [Suggestion(uri, *chosen[uri]) for uri in uris if uri in chosen]
