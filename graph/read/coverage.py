"""The coverage table: documents found per ministry and per province, or the searches tried.

    uv run python -m vnpolicy.graph.read.coverage README.md

rewrites the table between the README's coverage markers from the built corpus (who issued each
document, the province of each provincial body, which documents carry out Resolution 57-NQ/TW
through a chain of settled ``eli:implements`` links) and from
``graph/sources/coverage-searches.yaml`` (the searches tried where none were found).
``tests/fast/test_coverage.py`` fails when the README differs from what this writes.
"""

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef

from vnpolicy.graph.build.source_format import Origin, load_yaml
from vnpolicy.graph.namespaces import ELI, SKOS, VNP, VOCAB
from vnpolicy.graph.paths import SOURCES_DIR

COMMAND = "uv run python -m vnpolicy.graph.read.coverage README.md"
SEARCHES_FILE = SOURCES_DIR / "coverage-searches.yaml"
_BODY = f"{VOCAB}body/"
_PROVINCE = f"{VOCAB}province/"
_GOVERNMENT = URIRef(f"{_BODY}government")
_RESOLUTION_57 = URIRef("https://w3id.org/vnpolicy/eli/vn/tw/nq/2024/57")
BEGIN = f"<!-- coverage: begin (written from the graph by `{COMMAND}`; edit the sources) -->"
END = "<!-- coverage: end -->"


@dataclass(frozen=True)
class Row:
    """One ministry or province: its name, the documents found, and the searches tried."""

    name: str
    documents: int
    carrying_out_57: int
    searches: tuple[str, ...]
    searched_in: str | None


def _label(model: Graph, concept: URIRef) -> str:
    labels = {label.language: str(label) for label in model.objects(concept, SKOS.prefLabel)}  # type: ignore[attr-defined]
    return labels.get("en") or labels.get("vi") or str(concept)


def _carrying_out(data: Graph) -> set[URIRef]:
    """Documents with a chain of settled ``eli:implements`` links to Resolution 57-NQ/TW."""
    found: set[URIRef] = set()
    frontier = {_RESOLUTION_57}
    while frontier:
        step = {
            document
            for target in frontier
            for document in data.subjects(ELI.implements, target)
            if isinstance(document, URIRef) and document not in found
        }
        found |= step
        frontier = step
    return found


def _searched(entries: Any, key: str) -> tuple[tuple[str, ...], str | None]:
    entry = (entries or {}).get(key) or {}
    return tuple(str(s) for s in entry.get("searches") or ()), entry.get("searched-in")


def coverage(
    data: Graph, model: Graph, searches_file: Path = SEARCHES_FILE
) -> tuple[list[Row], list[Row]]:
    """The rows by ministry (and Government) and by province, in the vocabularies' order."""
    searches = load_yaml(searches_file.read_text(encoding="utf-8"), Origin(searches_file, 1))
    implementing = _carrying_out(data)
    issued: dict[URIRef, set[URIRef]] = {}
    for document, issuer in data.subject_objects(ELI.passed_by):
        if isinstance(document, URIRef) and isinstance(issuer, URIRef):
            issued.setdefault(issuer, set()).add(document)

    def row(name: str, documents: set[URIRef], key: str, entries: Any) -> Row:
        tried, where = _searched(entries, key)
        return Row(name, len(documents), len(documents & implementing), tried, where)

    ministries = []
    central = sorted(
        (s for s in model.subjects(SKOS.broader, _GOVERNMENT) if isinstance(s, URIRef)),
        key=lambda body: _label(model, body),
    )
    for body in [_GOVERNMENT, *central]:
        # a ministry's documents include those of its departments
        members = {body}
        if body != _GOVERNMENT:
            members |= {s for s in model.subjects(SKOS.broader, body) if isinstance(s, URIRef)}
        documents = {d for member in members for d in issued.get(member, set())}
        key = str(body).removeprefix(_BODY)
        ministries.append(row(_label(model, body), documents, key, searches.get("ministries")))
    known = {str(body).removeprefix(_BODY) for body in central}
    for key, entry in sorted((searches.get("ministries") or {}).items()):
        if key not in known:
            name = (entry.get("name") or {}).get("en", key)
            ministries.append(
                row(f"{name} (not in the vocabulary)", set(), key, searches["ministries"])
            )
    provinces = []
    scheme = URIRef(f"{VOCAB}province")
    for province in sorted(
        (p for p in model.subjects(SKOS.inScheme, scheme) if isinstance(p, URIRef)),
        key=lambda p: _label(model, p),
    ):
        bodies = {b for b in model.subjects(VNP.jurisdiction, province) if isinstance(b, URIRef)}
        documents = {d for body in bodies for d in issued.get(body, set())}
        key = str(province).removeprefix(_PROVINCE)
        provinces.append(row(_label(model, province), documents, key, searches.get("provinces")))
    return ministries, provinces


def _table(title: str, rows: list[Row]) -> str:
    lines = [
        f"| {title} | Documents | Carrying out 57-NQ/TW | Searches tried where none were found |",
        "|---|---:|---:|---|",
    ]
    for row in rows:
        if row.documents:
            tried = "—"
        elif row.searches:
            quoted = "; ".join(f"“{search}”" for search in row.searches)
            tried = f"none found: {quoted} ({row.searched_in})"
        else:
            tried = "none found; not searched yet"
        lines.append(f"| {row.name} | {row.documents} | {row.carrying_out_57} | {tried} |")
    return "\n".join(lines) + "\n"


def coverage_markdown(data: Graph, model: Graph, searches_file: Path = SEARCHES_FILE) -> str:
    ministries, provinces = coverage(data, model, searches_file)
    found = sum(1 for row in provinces if row.documents)
    return (
        f"Ministries and central bodies ({sum(r.documents for r in ministries)} documents):\n\n"
        f"{_table('Ministry or central body', ministries)}\n"
        f"Provinces and centrally run cities ({found} of {len(provinces)} with documents; a "
        "province merged on 1 July 2025 is listed before and after):\n\n"
        f"{_table('Province', provinces)}"
    )


def rewrite(text: str, table: str) -> str:
    head, found, rest = text.partition(BEGIN + "\n")
    _, found_end, tail = rest.partition(END)
    if not (found and found_end):
        raise ValueError(f"the README has no pair of markers {BEGIN!r} … {END!r}")
    return f"{head}{BEGIN}\n{table}{END}{tail}"


def main(arguments: list[str]) -> int:
    from vnpolicy.graph.build.dataset import build_dataset

    if len(arguments) != 1:
        print(f"usage: {COMMAND}", file=sys.stderr)
        return 2
    dataset = build_dataset()
    path = Path(arguments[0])
    text = path.read_text(encoding="utf-8")
    new = rewrite(text, coverage_markdown(dataset.asserted(), dataset.model))
    path.write_text(new, encoding="utf-8")
    print(f"{path}: coverage table {'rewritten' if new != text else 'already up to date'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
