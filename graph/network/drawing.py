"""How a network is drawn: positions from networkx's ForceAtlas2, a size by degree and a colour
by type, written as node attributes (``x``, ``y``, ``size``, ``color``) so that every export
carries the same picture: Gephi, Cytoscape and yEd open a drawn graph, and the explorer page draws
the positions it is given instead of computing them in the browser.

The layout is deterministic (a fixed seed, nodes in sorted order, rounded coordinates), so the same
graph gives the same bytes in every export, and bounded: ForceAtlas2 in networkx compares every
pair of nodes at each step, so the steps shrink as the graph grows (``PAIR_STEPS``) and only the
``LAYOUT_NODES`` best-connected nodes go through it; any others are placed beside a laid-out
neighbour, or on a ring around the drawing when they have none.
"""

import math
import random
from typing import TYPE_CHECKING, Any

import networkx as nx

if TYPE_CHECKING:
    from vnpolicy.graph.network.adapter import NetworkGraph

SEED = 57
#: Steps of ForceAtlas2 for a small graph, and the fewest for a large one.
MOST_STEPS, FEWEST_STEPS = 300, 20
#: Pairs of nodes times steps one layout may compute: about half a second on an idle core, a few
#: seconds on a loaded one (40 to 250 ns a pair and step measured), well inside a query's time.
PAIR_STEPS = 12_000_000
#: The most nodes ForceAtlas2 sees (its time and memory grow with their square: 1,000 nodes at
#: the fewest steps take as long as the budget, and about 100 MB).
LAYOUT_NODES = 1_000
#: Coordinates span -EXTENT..EXTENT on the longer axis, rounded to two decimals.
EXTENT = 1000.0
#: Colours for the node types, most frequent type first (Okabe and Ito's colour-blind-safe set,
#: then Tableau's); types past the list share OTHER_COLOUR.
TYPE_COLOURS = (
    "#0072b2", "#e69f00", "#009e73", "#d55e00", "#cc79a7", "#56b4e9", "#b8a000",
    "#8c564b", "#7f3c8d", "#11a579", "#3969ac", "#e73f74",
)  # fmt: skip
OTHER_COLOUR = "#8a8a8a"


def add_drawing(graph: "NetworkGraph") -> None:
    """Set ``x``, ``y``, ``size`` and ``color`` on every node of ``graph``."""
    positions = layout(graph)
    colours = type_colours(graph)
    for node, data in graph.nodes(data=True):
        data["x"], data["y"] = positions[node]
        data["size"] = node_size(data)
        data["color"] = colours[str(data.get("type", ""))]


def node_size(data: dict[str, Any]) -> float:
    degree = int(data.get("in_degree", 0)) + int(data.get("out_degree", 0))
    return round(4.0 + 3.0 * math.sqrt(degree), 2)


def type_colours(graph: "NetworkGraph") -> dict[str, str]:
    """One colour per node type, the most frequent types first (ties by name)."""
    counts: dict[str, int] = {}
    for _, data in graph.nodes(data=True):
        kind = str(data.get("type", ""))
        counts[kind] = counts.get(kind, 0) + 1
    ranked = sorted(counts, key=lambda kind: (-counts[kind], kind))
    return {
        kind: TYPE_COLOURS[rank] if rank < len(TYPE_COLOURS) else OTHER_COLOUR
        for rank, kind in enumerate(ranked)
    }


def steps_for(nodes: int) -> int:
    if nodes <= 1:
        return 0
    return max(FEWEST_STEPS, min(MOST_STEPS, PAIR_STEPS // (nodes * nodes)))


def layout(graph: "NetworkGraph") -> dict[str, tuple[float, float]]:
    """Positions for every node: ForceAtlas2 on the undirected simple graph of the (at most
    ``LAYOUT_NODES``) best-connected nodes, the rest placed around them; scaled to ``EXTENT``."""
    simple: nx.Graph[str] = nx.Graph()
    simple.add_nodes_from(sorted(graph))
    simple.add_edges_from((a, b) for a, b in graph.edges() if a != b)
    ranked = sorted(simple, key=lambda node: (-simple.degree(node), node))
    core = simple.subgraph(sorted(ranked[:LAYOUT_NODES]))
    positions: dict[str, tuple[float, float]] = {}
    if len(core) == 1:
        positions = {next(iter(core)): (0.0, 0.0)}
    elif len(core) > 1:
        # Strong gravity keeps small components and lone nodes near the rest (with the usual
        # gravity they drift off and a drawing fitted to every node shows the rest tiny).
        found = nx.forceatlas2_layout(
            core, max_iter=steps_for(len(core)), seed=SEED, strong_gravity=True
        )
        positions = {node: (float(at[0]), float(at[1])) for node, at in found.items()}
    positions = _scaled(positions)
    _place_rest(simple, ranked[LAYOUT_NODES:], positions)
    return {node: (round(x, 2), round(y, 2)) for node, (x, y) in positions.items()}


def _scaled(positions: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    if not positions:
        return {}
    xs = [x for x, _ in positions.values()]
    ys = [y for _, y in positions.values()]
    middle_x, middle_y = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    half = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 or 1.0
    factor = EXTENT / half
    return {
        node: ((x - middle_x) * factor, (y - middle_y) * factor)
        for node, (x, y) in positions.items()
    }


def _place_rest(
    simple: "nx.Graph[str]", rest: list[str], positions: dict[str, tuple[float, float]]
) -> None:
    """Nodes left out of ForceAtlas2 (the least connected): beside a placed neighbour when they
    have one, else evenly on a ring just outside the drawing; seeded, so always the same."""
    if not rest:
        return
    jitter = random.Random(SEED)
    lonely = []
    for node in rest:
        placed = sorted(n for n in simple[node] if n in positions)
        if placed:
            x, y = positions[placed[0]]
            angle = jitter.uniform(0, 2 * math.pi)
            distance = jitter.uniform(0.02, 0.06) * EXTENT
            positions[node] = (x + distance * math.cos(angle), y + distance * math.sin(angle))
        else:
            lonely.append(node)
    for index, node in enumerate(lonely):
        angle = 2 * math.pi * index / len(lonely)
        positions[node] = (1.1 * EXTENT * math.cos(angle), 1.1 * EXTENT * math.sin(angle))
