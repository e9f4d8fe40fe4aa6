"""Running SPARQL on the built dataset in the embedded store, and the research query catalogue.

The default graph is the union of every named graph (documents, model, entailments), so a query
finds a document's triples and its vocabulary labels without ``GRAPH`` clauses; each named graph
stays queryable with ``GRAPH``. The project's prefixes are predeclared.
"""

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QuerySolutions,
    RdfFormat,
    Store,
)

from vnpolicy.graph.errors import InputError
from vnpolicy.graph.formats import dump_format
from vnpolicy.graph.namespaces import PREFIX_IRIS
from vnpolicy.graph.paths import QUERIES_DIR
from vnpolicy.graph.read.parameters import Parameter, check_binding, parse_declaration
from vnpolicy.graph.store import ReadableStore

if TYPE_CHECKING:  # the build is imported only by callers that build
    from vnpolicy.graph.build.dataset import Dataset


def store_from_dataset(dataset: "Dataset") -> Store:
    """A store loaded as the server loads the dumps: from the sorted N-Quads (so that
    order-sensitive aggregates such as GROUP_CONCAT answer the same)."""
    from vnpolicy.graph.output.rendering import render

    store = Store()
    store.bulk_load(render(dataset).nquads.encode("utf-8"), format=RdfFormat.N_QUADS)
    return store


def store_from_dump(path: Path) -> Store:
    """A store loaded from a TriG or N-Quads dump written by ``vnpolicy build``."""
    found = dump_format(path)
    if found is None:
        raise InputError(f"{path}: a dataset dump is .nq or .trig")
    store = Store()
    try:
        store.bulk_load(path=str(path), format=found.engine)
    except (OSError, SyntaxError) as error:
        raise InputError(f"{path}: {error}") from error
    return store


@dataclass(frozen=True)
class Table:
    """SELECT results: variable names and rows of display strings ('' for unbound)."""

    variables: list[str]
    rows: list[list[str]]


def _display(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, NamedNode | Literal | BlankNode):
        return str(term.value)
    return str(term)


def run_select(store: ReadableStore, query: str) -> Table:
    """Run a SELECT (or ASK, as one row) query; a syntax error is an ``InputError``."""
    try:
        result = store.query(query, use_default_graph_as_union=True, prefixes=PREFIX_IRIS)
    except SyntaxError as error:
        raise InputError(f"invalid SPARQL: {error}") from error
    if isinstance(result, QueryBoolean):
        return Table(["result"], [["true" if bool(result) else "false"]])
    if not isinstance(result, QuerySolutions):
        raise InputError(
            "vnpolicy query runs SELECT and ASK queries (use the server for CONSTRUCT)"
        )
    variables = [variable.value for variable in result.variables]
    rows = [[_display(solution[name]) for name in variables] for solution in result]
    return Table(variables, rows)


def format_table(table: Table, output: str) -> str:
    if output == "json":
        return (
            json.dumps(
                [dict(zip(table.variables, row, strict=True)) for row in table.rows],
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
    if output == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(table.variables)
        writer.writerows(table.rows)
        return buffer.getvalue()
    widths = [
        min(60, max([len(name)] + [len(row[i]) for row in table.rows]))
        for i, name in enumerate(table.variables)
    ]

    def line(cells: list[str]) -> str:
        return "  ".join(
            (cell if len(cell) <= width else cell[: width - 1] + "…").ljust(width)
            for cell, width in zip(cells, widths, strict=True)
        ).rstrip()

    lines = [line(table.variables), line(["-" * width for width in widths])]
    lines += [line(row) for row in table.rows]
    lines.append(f"({len(table.rows)} row{'s' if len(table.rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class CatalogueQuery:
    name: str
    title: str
    description: str
    text: str
    path: Path
    parameters: tuple[Parameter, ...] = ()
    title_vi: str = ""  #: the title in Vietnamese (``# title-vi:``), else the English one
    description_vi: str = ""  #: ``# description-vi:``

    def title_in(self, lang: str) -> str:
        return self.title_vi if lang == "vi" and self.title_vi else self.title

    def description_in(self, lang: str) -> str:
        return self.description_vi if lang == "vi" and self.description_vi else self.description


def catalogue(directory: Path = QUERIES_DIR) -> list[CatalogueQuery]:
    """The research queries: each ``.rq`` file opens with ``# title:`` and ``# description:``
    (in Vietnamese too with ``# title-vi:`` and ``# description-vi:``), and may declare
    parameters (``# parameter ?name: …``, see ``graph/read/parameters.py``)."""
    return [_catalogue_query(path) for path in sorted(directory.glob("*.rq"))]


def _catalogue_query(path: Path) -> CatalogueQuery:
    text = path.read_text(encoding="utf-8")
    header: dict[str, list[str]] = {}
    declarations: list[tuple[str, list[str]]] = []
    current: list[str] | None = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        if match := re.match(r"^#\s*(title|title-vi|description|description-vi):\s*(.*)$", line):
            current = header[match[1]] = [match[2]]
        elif re.match(r"^#\s*parameter\b", line):
            current = []
            declarations.append((line, current))
        elif current is not None:
            current.append(line.lstrip("#").strip())
    if "title" not in header or "description" not in header:
        raise InputError(f"{path}: a catalogue query opens with '# title:' and '# description:'")
    parameters = tuple(parse_declaration(line, labels, str(path)) for line, labels in declarations)
    if len({parameter.name for parameter in parameters}) != len(parameters):
        raise InputError(f"{path}: a parameter is declared twice")
    for parameter in parameters:
        check_binding(parameter, text, str(path))
    return CatalogueQuery(
        path.stem,
        " ".join(header["title"]).strip(),
        " ".join(header["description"]).strip(),
        text,
        path,
        parameters,
        " ".join(header.get("title-vi", [])).strip(),
        " ".join(header.get("description-vi", [])).strip(),
    )
