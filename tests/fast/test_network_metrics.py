"""Node metrics past the size where exact betweenness is affordable: estimated from seeded
samples, so the same graph gives the same numbers, and the estimate keeps the hub on top."""

import networkx as nx

from vnpolicy.graph.network.adapter import EXACT_BETWEENNESS_NODES, add_metrics


def _two_stars_joined(leaves: int) -> "nx.MultiDiGraph[str]":
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for hub in ("a", "b"):
        for leaf in range(leaves):
            graph.add_edge(f"{hub}{leaf}", hub)
            graph.add_edge(hub, f"{hub}{leaf}")
    graph.add_edge("a", "b")
    graph.add_edge("b", "a")
    return graph


def test_sampled_betweenness_is_deterministic_and_finds_the_hubs() -> None:
    first, second = _two_stars_joined(1100), _two_stars_joined(1100)
    assert len(first) > EXACT_BETWEENNESS_NODES
    add_metrics(first)
    add_metrics(second)
    values = {node: data["betweenness"] for node, data in first.nodes(data=True)}
    assert values == {node: data["betweenness"] for node, data in second.nodes(data=True)}
    top = sorted(values, key=values.__getitem__, reverse=True)[:2]
    assert set(top) == {"a", "b"}
    assert values["a"] > 0.4  # exact: about half of all shortest paths pass through each hub
    assert all(values[f"a{leaf}"] == 0 for leaf in range(1100))


def test_small_graphs_keep_exact_betweenness() -> None:
    graph = _two_stars_joined(10)
    add_metrics(graph)
    simple: nx.DiGraph[str] = nx.DiGraph(graph)
    exact = nx.betweenness_centrality(simple, normalized=True)
    for node, data in graph.nodes(data=True):
        assert data["betweenness"] == round(exact[node], 8)
