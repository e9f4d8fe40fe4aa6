"""The networkx adapter: a view becomes a ``networkx.MultiDiGraph`` with the attributes every
export carries, and the graph metrics computed once per export. The only module that builds
networkx graphs (the GraphML writer uses networkx's).

Node attributes: ``uri``, ``label`` (the chosen language, else the other, else the URI's last
segment), ``type`` and ``type_label`` (its name in the chosen language), ``number``, ``date``,
``pillars`` (``;``-separated) and ``pillar_labels`` (their names, in the same order),
``in_degree``, ``out_degree``, ``pagerank``, ``betweenness``, ``community``, and the drawing
(``graph.network.drawing``): ``x``, ``y``, ``size``, ``color``. Edge attributes: ``uri`` (the
statement, where there is one), ``predicate``, ``predicate_label``, ``kind``, ``certainty`` and
``certainty_label``, ``assertion`` (asserted or derived), ``sources``. Every value is a string,
an int or a float, so that GraphML and GEXF can type it.
"""

from typing import TYPE_CHECKING, TypeAlias

import networkx as nx

from vnpolicy.graph.network.drawing import add_drawing
from vnpolicy.graph.network.model import Network

if TYPE_CHECKING:
    NetworkGraph: TypeAlias = nx.MultiDiGraph[str]
else:
    NetworkGraph = nx.MultiDiGraph

#: PageRank's damping factor and stopping rule (the usual ones).
DAMPING = 0.85
TOLERANCE = 1.0e-10
#: Louvain community detection is randomised; a fixed seed makes exports reproducible.
SEED = 57
EXACT_BETWEENNESS_NODES = 2_000
BETWEENNESS_SAMPLES = 256


def pick_label(labels: dict[str, str], language: str, uri: str) -> str:
    other = "vi" if language == "en" else "en"
    return labels.get(language) or labels.get(other) or uri.rstrip("/#").rsplit("/", 1)[-1]


def value_name(network: Network, values: str, language: str) -> str:
    """The names of ``;``-separated type or pillar values in ``language``, ``;``-separated."""
    other = "vi" if language == "en" else "en"
    names = []
    for value in filter(None, values.split(";")):
        known = network.value_names.get(value, {})
        names.append(known.get(language) or known.get(other) or value)
    return ";".join(names)


def to_networkx(network: Network, language: str = "en") -> NetworkGraph:
    graph: NetworkGraph = nx.MultiDiGraph(view=network.view, language=language)
    for uri, node in sorted(network.nodes.items()):
        pillars = ";".join(sorted(set(node.pillars)))
        graph.add_node(
            uri,
            uri=uri,
            label=pick_label(node.labels, language, uri),
            type=node.type,
            type_label=value_name(network, node.type, language),
            number=node.number,
            date=node.date,
            pillars=pillars,
            pillar_labels=value_name(network, pillars, language),
            **dict(sorted(node.literals.items())),
        )
    for edge in network.edges:
        labels = dict(edge.predicate_labels)
        graph.add_edge(
            edge.source,
            edge.target,
            key=edge.id,
            uri=edge.statement,
            predicate=edge.predicate,
            predicate_label=pick_label(labels, language, edge.predicate),
            kind=edge.kind,
            certainty=edge.certainty,
            certainty_label=value_name(network, edge.certainty, language),
            assertion=edge.assertion,
            sources=" ".join(edge.sources),
        )
    add_metrics(graph)
    add_drawing(graph)
    return graph


def pagerank(graph: NetworkGraph) -> dict[str, float]:
    """PageRank by power iteration over the multigraph (parallel edges weigh more); a node with
    no out-links spreads its rank evenly. Written here because networkx's needs SciPy."""
    nodes = list(graph)
    if not nodes:
        return {}
    count = len(nodes)
    rank = dict.fromkeys(nodes, 1.0 / count)
    out_degree = dict(graph.out_degree())
    for _ in range(200):
        dangling = DAMPING * sum(rank[n] for n in nodes if out_degree[n] == 0) / count
        fresh = dict.fromkeys(nodes, (1.0 - DAMPING) / count + dangling)
        for source, target in graph.edges():
            fresh[target] += DAMPING * rank[source] / out_degree[source]
        change = sum(abs(fresh[n] - rank[n]) for n in nodes)
        rank = fresh
        if change < count * TOLERANCE:
            break
    return rank


def add_metrics(graph: NetworkGraph) -> None:
    """In/out degree, PageRank, betweenness and Louvain community, as node attributes."""
    ranks = pagerank(graph)
    simple: nx.DiGraph[str] = nx.DiGraph(graph)
    # Exact betweenness costs nodes times edges (minutes at 8,000 documents); past
    # EXACT_BETWEENNESS_NODES it is estimated from BETWEENNESS_SAMPLES seeded source nodes
    # (Brandes and Pich 2007), the same numbers on every run.
    samples = None if len(simple) <= EXACT_BETWEENNESS_NODES else BETWEENNESS_SAMPLES
    betweenness = nx.betweenness_centrality(simple, k=samples, normalized=True, seed=SEED)
    communities = nx.community.louvain_communities(simple.to_undirected(), seed=SEED)
    community_of = {
        node: index
        for index, members in enumerate(sorted(communities, key=lambda c: (-len(c), min(c))))
        for node in members
    }
    for node, data in graph.nodes(data=True):
        data["in_degree"] = graph.in_degree(node)
        data["out_degree"] = graph.out_degree(node)
        data["pagerank"] = round(ranks.get(node, 0.0), 8)
        data["betweenness"] = round(betweenness.get(node, 0.0), 8)
        data["community"] = community_of.get(node, -1)
