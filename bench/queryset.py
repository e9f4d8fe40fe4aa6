"""The two query sets the runner sends, and how it counts an answer in any format.

The *catalogue* is the research queries of ``graph/queries`` (small answers, asked for as
SPARQL JSON). The *bench set* is ``bench/queries``: shapes the catalogue lacks (large SELECTs,
CONSTRUCTs, ASKs, property paths, text FILTERs, OPTIONAL joins with big answers). A bench query
may name the media type it is asked for in with a ``# accept: TYPE`` line in its header; by
default it is SPARQL JSON (the RDF formats are for CONSTRUCT).
"""

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph

HERE = Path(__file__).resolve().parent
CATALOGUE = HERE.parent / "graph" / "queries"
BENCH = HERE / "queries"
JSON_RESULTS = "application/sparql-results+json"

_ACCEPT = re.compile(r"^#\s*accept:\s*(\S+)\s*$", re.MULTILINE)
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


@dataclass(frozen=True)
class QueryFile:
    """One query: its name in the tables, its text, the media type it is asked for in."""

    name: str
    text: str
    accept: str
    form: str  #: SELECT, ASK, CONSTRUCT or DESCRIBE

    @property
    def is_ask(self) -> bool:
        return self.form == "ASK"


def read(path: Path, prefix: str = "") -> QueryFile:
    """A query file; ``prefix`` marks the set in its name (``bench/01-…``)."""
    text = path.read_text(encoding="utf-8")
    accept = _ACCEPT.search(text)
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    form = _FORM.search(body)
    if form is None:
        raise ValueError(f"{path}: no SELECT, ASK, CONSTRUCT or DESCRIBE")
    return QueryFile(
        prefix + path.stem, text, accept.group(1) if accept else JSON_RESULTS, form[1].upper()
    )


def catalogue() -> list[QueryFile]:
    return [read(path) for path in sorted(CATALOGUE.glob("*.rq"))]


def bench_set() -> list[QueryFile]:
    return [read(path, "bench/") for path in sorted(BENCH.glob("*.rq"))]


def count(body: bytes, media_type: str) -> int:
    """Rows of a results answer, triples of an RDF answer; an ASK counts 1 (true) or 0."""
    media_type = media_type.split(";")[0].strip()
    if media_type in (JSON_RESULTS, "application/json"):
        answer = json.loads(body)
        if "boolean" in answer:
            return int(answer["boolean"])
        return len(answer["results"]["bindings"])
    if media_type == "text/csv":
        return sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8")))) - 1
    if media_type == "text/tab-separated-values":
        return body.decode("utf-8").rstrip("\n").count("\n")
    rdf_format = pyoxigraph.RdfFormat.from_media_type(media_type)
    if rdf_format is None:
        raise ValueError(f"cannot count an answer in {media_type}")
    return sum(1 for _ in pyoxigraph.parse(body, rdf_format))
