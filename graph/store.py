"""The embedded SPARQL store: pyoxigraph, filled from rdflib graphs.

rdflib parses, serialises and holds the model; queries run on Oxigraph (docs/decisions/0001).
"""

from pyoxigraph import QuerySolutions, Store
from rdflib import Graph

from vnpolicy.graph.bridge import Terms
from vnpolicy.graph.namespaces import PREFIX_IRIS


def store_from_graph(graph: Graph) -> Store:
    """An in-memory store holding the triples of ``graph`` in its default graph."""
    store = Store()
    store.bulk_extend(Terms().quads(graph))
    return store


def select(store: Store, query: str, *, union: bool = False) -> list[dict[str, str]]:
    """Run a SELECT query; each row maps variable names to the plain value of its term (unbound
    variables are left out). The project's prefixes are predeclared; with ``union`` the default
    graph is the union of all graphs."""
    solutions = store.query(query, prefixes=PREFIX_IRIS, use_default_graph_as_union=union)
    if not isinstance(solutions, QuerySolutions):
        raise TypeError("select() runs SELECT queries only")
    names = [variable.value for variable in solutions.variables]
    rows = []
    for solution in solutions:
        row = {}
        for name in names:
            term = solution[name]
            if term is not None:
                row[name] = term.value
        rows.append(row)
    return rows
