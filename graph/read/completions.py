"""What the query editor completes: the project's prefixes, and the classes and properties the
dataset uses (its VoID class and property partitions), each with its count and its label."""

from dataclasses import dataclass

from pyoxigraph import Literal, QuerySolutions

from vnpolicy.graph.namespaces import PREFIX_IRIS, compact
from vnpolicy.graph.read.overview import Overview
from vnpolicy.graph.store import ReadableStore

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


@dataclass(frozen=True)
class Term:
    name: str  #: as written in a query: ``vnp:Document``
    iri: str
    kind: str  #: "class" or "property"
    count: int  #: instances of a class, triples of a property
    labels: dict[str, str]  #: by language (en, vi), where the model gives one


@dataclass(frozen=True)
class Completions:
    """The body of ``GET /api/terms``."""

    prefixes: dict[str, str]
    terms: list[Term]


def completions(store: ReadableStore, facts: Overview) -> Completions:
    """The prefixes, and every class and property of the dataset that one of them names."""
    used = [(iri, "class", n) for iri, n in facts.classes]
    used += [(iri, "property", n) for iri, n in facts.properties]
    named = [(compact(iri), iri, kind, n) for iri, kind, n in used]
    named = [entry for entry in named if not entry[0].startswith("<")]
    labels: dict[str, dict[str, str]] = {}
    if named:
        values = " ".join(f"<{iri}>" for _, iri, _, _ in named)
        found = store.query(
            f"SELECT ?t ?label WHERE {{ VALUES ?t {{ {values} }} "
            f'?t <{RDFS_LABEL}> ?label FILTER(LANG(?label) IN ("en", "vi")) }}',
            use_default_graph_as_union=True,
        )
        assert isinstance(found, QuerySolutions)
        for row in found:
            label = row["label"]
            if isinstance(label, Literal) and label.language:
                labels.setdefault(row["t"].value, {}).setdefault(label.language, label.value)
    terms = [Term(name, iri, kind, count, labels.get(iri, {})) for name, iri, kind, count in named]
    return Completions(dict(PREFIX_IRIS), sorted(terms, key=lambda term: (term.kind, term.name)))
