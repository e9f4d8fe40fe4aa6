"""Writing the search index: an SQLite database with an FTS5 table, beside the dumps.

``entry`` holds each entry as written (what results show), ``text`` the same fields folded
(``folding.fold``: what is matched, with FTS5's ``unicode61`` tokenizer and BM25), ``facet`` its
facet values, ``label`` the names of facet values in each language, and ``known_number`` every
document's official number (numbers are looked up as ``identify`` reads them). The file is
written in one transaction, in a stable order, so the same dataset gives the same bytes.
"""

import sqlite3
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from vnpolicy.graph.build.dataset import Dataset
from vnpolicy.graph.collection import fewer_collections
from vnpolicy.graph.search.entries import Entry, KnownNumber, entries, known_numbers, model_labels
from vnpolicy.graph.search.folding import aligned, fold

#: Bumped when the schema changes; the engine refuses an index of another version.
SCHEMA_VERSION = 4
SCHEMA = """
CREATE TABLE entry(
    id INTEGER PRIMARY KEY, uri TEXT NOT NULL, lang TEXT NOT NULL, kind TEXT NOT NULL,
    document TEXT, label TEXT NOT NULL, number TEXT NOT NULL, title TEXT NOT NULL,
    body TEXT NOT NULL,
    -- 1: the title, 2: the body folds character for character (folding.aligned)
    aligned INTEGER NOT NULL);
CREATE INDEX entry_by_uri ON entry(uri, lang);
CREATE VIRTUAL TABLE text USING fts5(
    number, title, body, tokenize = 'unicode61 remove_diacritics 0', detail = full);
-- narrow rows for grouping matches by resource (numbered in URI order) without reading texts
CREATE TABLE hit(entry INTEGER PRIMARY KEY, resource INTEGER NOT NULL,
    document INTEGER NOT NULL);
-- each resource's name in each language that has one
CREATE TABLE name(uri TEXT NOT NULL, lang TEXT NOT NULL, label TEXT NOT NULL,
    PRIMARY KEY (uri, lang));
CREATE TABLE facet(entry INTEGER NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL);
CREATE INDEX facet_by_value ON facet(name, value, entry);
CREATE INDEX facet_by_entry ON facet(entry, name, value);
CREATE TABLE label(value TEXT NOT NULL, lang TEXT NOT NULL, text TEXT NOT NULL,
    PRIMARY KEY (value, lang));
CREATE TABLE known_number(uri TEXT NOT NULL, number TEXT NOT NULL, doc_type TEXT NOT NULL,
    year INTEGER);
"""


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def write_index(
    path: Path,
    found: Iterable[Entry],
    labels: dict[str, dict[str, str]],
    numbers: Iterable[KnownNumber],
) -> int:
    """Write the index at ``path`` (replacing it); return the number of entries."""
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    try:
        connection.executescript(SCHEMA)
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        count = resource = 0
        last = None
        with connection:
            for count, entry in enumerate(found, start=1):
                if entry.uri != last:
                    resource, last = resource + 1, entry.uri
                    connection.executemany(
                        "INSERT INTO name VALUES (?, ?, ?)",
                        [(entry.uri, lang, label) for lang, label in entry.names],
                    )
                connection.execute(
                    "INSERT INTO hit VALUES (?, ?, ?)",
                    (count, resource, int(entry.kind == "document")),
                )
                title, body = nfc(entry.title), nfc(entry.body)
                connection.execute(
                    "INSERT INTO entry VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (count, entry.uri, entry.lang, entry.kind, entry.document, entry.label,
                     entry.number, title, body, aligned(title) | aligned(body) << 1),
                )  # fmt: skip
                connection.execute(
                    "INSERT INTO text(rowid, number, title, body) VALUES (?, ?, ?, ?)",
                    (count, fold(entry.number), fold(title), fold(body)),
                )
                connection.executemany(
                    "INSERT INTO facet VALUES (?, ?, ?)",
                    [(count, name, value) for name, value in entry.facets],
                )
            connection.executemany(
                "INSERT INTO label VALUES (?, ?, ?)",
                [
                    (value, lang, text)
                    for value, names in sorted(labels.items())
                    for lang, text in sorted(names.items())
                ],
            )
            connection.executemany(
                "INSERT INTO known_number VALUES (?, ?, ?, ?)",
                [(n.uri, n.number, n.doc_type, n.year) for n in numbers],
            )
            connection.execute("INSERT INTO text(text) VALUES ('optimize')")
        connection.execute("VACUUM")
        return count
    finally:
        connection.close()


@fewer_collections()
def index_dataset(dataset: Dataset, path: Path) -> int:
    """Index every entry of ``dataset`` at ``path``; return the number of entries."""
    found = entries(dataset)
    return write_index(path, found, model_labels(dataset.model), known_numbers(dataset))
