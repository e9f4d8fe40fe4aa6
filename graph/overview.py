"""The dataset at a glance, from the store: sizes, class and property partitions, and the list of
documents — what the home page shows and the VoID description states."""

from dataclasses import dataclass

from pyoxigraph import QuerySolutions, Store

from graph.namespaces import PREFIXES

_PREFIXES = {name: str(namespace) for name, namespace in PREFIXES.items()}


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


def _select(store: Store, query: str) -> list[list[str | None]]:
    answer = store.query(query, prefixes=_PREFIXES, use_default_graph_as_union=True)
    assert isinstance(answer, QuerySolutions)
    names = [variable.value for variable in answer.variables]
    return [
        [None if solution[n] is None else solution[n].value for n in names] for solution in answer
    ]


def _count(store: Store, query: str) -> int:
    return int(_select(store, query)[0][0] or 0)


def overview(store: Store) -> Overview:
    graphs = [
        (graph.value, sum(1 for _ in store.quads_for_pattern(None, None, None, graph)))
        for graph in sorted(store.named_graphs(), key=lambda node: node.value)
    ]
    classes = [
        (row[0] or "", int(row[1] or 0))
        for row in _select(
            store,
            "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } "
            "GROUP BY ?class ORDER BY DESC(?n) ?class",
        )
    ]
    properties = [
        (row[0] or "", int(row[1] or 0))
        for row in _select(
            store,
            "SELECT ?p (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } } "
            "GROUP BY ?p ORDER BY DESC(?n) ?p",
        )
    ]
    documents = [
        DocumentRow(row[0] or "", *row[1:])
        for row in _select(
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
        )
    ]
    return Overview(
        triples=sum(count for _, count in properties),
        quads=len(store),
        subjects=_count(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"),
        graphs=graphs,
        classes=classes,
        properties=properties,
        documents=documents,
    )
