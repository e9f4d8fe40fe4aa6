"""The dataset at a glance, from the store: sizes, class and property partitions, and the list of
documents — what the home page shows and the VoID description states."""

from dataclasses import dataclass

from vnpolicy.graph.store import ReadableStore, select


@dataclass(frozen=True)
class DocumentRow:
    uri: str
    number: str | None
    label_en: str | None
    label_vi: str | None
    type_uri: str | None
    date: str | None


@dataclass(frozen=True)
class Overview:
    triples: int  # distinct triples over all graphs (the union default graph)
    quads: int
    subjects: int
    graphs: list[tuple[str, int]]  # named graph, statements
    classes: list[tuple[str, int]]  # class, distinct instances
    properties: list[tuple[str, int]]  # property, distinct triples
    documents: list[DocumentRow]


_SUBJECTS = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"


def _counts(store: ReadableStore, query: str) -> list[tuple[str, int]]:
    """(term, count) rows of a query selecting ``?term`` and ``?n``."""
    return [(row["term"], int(row["n"])) for row in select(store, query, union=True)]


def overview(store: ReadableStore) -> Overview:
    graphs = [
        (graph.value, sum(1 for _ in store.quads_for_pattern(None, None, None, graph)))
        for graph in sorted(store.named_graphs(), key=lambda node: node.value)
    ]
    classes = _counts(
        store,
        "SELECT ?term (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?term } "
        "GROUP BY ?term ORDER BY DESC(?n) ?term",
    )
    properties = _counts(
        store,
        "SELECT ?term (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?term ?o { ?s ?term ?o } } "
        "GROUP BY ?term ORDER BY DESC(?n) ?term",
    )
    documents = [
        DocumentRow(
            row["d"], row.get("n"), row.get("e"), row.get("v"), row.get("t"), row.get("when")
        )
        for row in select(
            store,
            """SELECT ?d (SAMPLE(?number) AS ?n) (SAMPLE(?en) AS ?e) (SAMPLE(?vi) AS ?v)
                      (SAMPLE(?type) AS ?t) (SAMPLE(?date) AS ?when)
               WHERE { ?d a vnp:Document .
                 OPTIONAL { ?d vnp:officialNumber ?number }
                 OPTIONAL { ?d rdfs:label ?en FILTER(LANG(?en) = "en") }
                 OPTIONAL { ?d rdfs:label ?vi FILTER(LANG(?vi) = "vi") }
                 OPTIONAL { ?d eli:type_document ?type }
                 OPTIONAL { ?d eli:date_document ?date } }
               GROUP BY ?d ORDER BY ?when ?n""",
            union=True,
        )
    ]
    return Overview(
        triples=sum(count for _, count in properties),
        quads=len(store),
        subjects=int(select(store, _SUBJECTS, union=True)[0]["n"]),
        graphs=graphs,
        classes=classes,
        properties=properties,
        documents=documents,
    )
