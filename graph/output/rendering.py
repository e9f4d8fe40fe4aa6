"""Rendering the built dataset as text: the TriG and N-Quads wholes and each document's Turtle
and JSON-LD, in forked processes when the corpus is large.

Graphs are rendered in chunks of ``CHUNK`` in their ``Dataset.named_graphs`` order; each chunk
converts its triples to pyoxigraph once (the term bridge, graph/bridge.py) and writes every form
from them.
A large corpus is split over one process per CPU, which read the graphs from this process's
memory (fork) and send back text; the output is the same either way.
"""

import multiprocessing
import os
from dataclasses import dataclass

from pyoxigraph import Quad
from rdflib import Graph, URIRef

from vnpolicy.graph.bridge import Terms, oxigraph_term
from vnpolicy.graph.build.dataset import Dataset
from vnpolicy.graph.collection import fewer_collections
from vnpolicy.graph.namespaces import PREFIX_IRIS
from vnpolicy.graph.output.jsonld_compact import jsonld
from vnpolicy.graph.output.serialise import nquads_text, ordered_triples, trig_body, turtle

#: Graphs per chunk; below ``PARALLEL_FROM`` graphs everything is done in this process (forking
#: costs more than it saves).
CHUNK = 100
PARALLEL_FROM = 400


@dataclass(frozen=True)
class Rendering:
    #: The whole dataset as TriG: every project prefix declared once, a block per graph.
    trig: str
    #: The whole dataset as N-Quads, lines sorted.
    nquads: str
    #: Document graph name → (Turtle, JSON-LD).
    documents: dict[str, tuple[str, str]]


@dataclass(frozen=True)
class _Chunk:
    trig: str
    nquads: str
    documents: list[tuple[str, str, str]]


#: (graph name, graph, is a document graph), read by forked workers.
_graphs: list[tuple[URIRef, Graph, bool]] = []


def _render_chunk(start: int) -> _Chunk:
    terms = Terms()
    quads: list[Quad] = []
    documents = []
    for name, graph, is_document in _graphs[start : start + CHUNK]:
        triples = ordered_triples(terms, graph)
        graph_name = oxigraph_term(name)
        quads += [Quad(t.subject, t.predicate, t.object, graph_name) for t in triples]
        if is_document:
            documents.append((str(name), turtle(triples), jsonld(triples)))
    return _Chunk(trig_body(quads), nquads_text(quads), documents)


@fewer_collections()
def render(dataset: Dataset) -> Rendering:
    """Every text the dumps hold, deterministic (same dataset, same text)."""
    global _graphs
    documents = {dataset.minter.home_graph(uri) for uri in dataset.documents}
    _graphs = [(name, graph, name in documents) for name, graph in dataset.named_graphs()]
    starts = range(0, len(_graphs), CHUNK)
    processes = min(os.cpu_count() or 1, len(starts))
    try:
        if len(_graphs) < PARALLEL_FROM or processes == 1:
            chunks = [_render_chunk(start) for start in starts]
        else:
            with multiprocessing.get_context("fork").Pool(processes) as pool:
                chunks = pool.map(_render_chunk, starts)
    finally:
        _graphs = []
    header = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(PREFIX_IRIS.items()))
    lines = sorted(line for chunk in chunks for line in chunk.nquads.splitlines())
    return Rendering(
        trig=header + "".join(chunk.trig for chunk in chunks),
        nquads="\n".join(lines) + "\n",
        documents={name: (ttl, jld) for chunk in chunks for name, ttl, jld in chunk.documents},
    )
