"""RDF read back as graphs, to be compared as graphs (``rdflib.compare.isomorphic``, set
equality): every format is parsed by Oxigraph (rdflib's JSON-LD parser warns, and one parser for
all formats keeps the comparison about the data) into rdflib graphs."""

from collections import defaultdict
from pathlib import Path

import httpx
from pyoxigraph import NamedNode, Quad, RdfFormat, parse, serialize
from rdflib import Graph
from rdflib.compare import isomorphic


def _rdflib(quads: list[Quad]) -> Graph:
    text = serialize([quad.triple for quad in quads], format=RdfFormat.N_TRIPLES) or b""
    return Graph().parse(data=text, format="nt")


def _quads(data: bytes | Path, rdf_format: RdfFormat) -> list[Quad]:
    if isinstance(data, Path):
        return list(parse(path=str(data), format=rdf_format))
    return list(parse(data, format=rdf_format))


def triples(data: bytes | Path, rdf_format: RdfFormat) -> Graph:
    """Every triple of ``data`` (a body or a file), whatever graph it is in."""
    return _rdflib(_quads(data, rdf_format))


def named_graphs(data: bytes | Path, rdf_format: RdfFormat) -> dict[str, Graph]:
    """The graphs of quads in ``data``, by name (``DEFAULT`` for the default graph)."""
    by_name: dict[str, list[Quad]] = defaultdict(list)
    for quad in _quads(data, rdf_format):
        name = quad.graph_name
        by_name[name.value if isinstance(name, NamedNode) else "DEFAULT"].append(quad)
    return {name: _rdflib(quads) for name, quads in by_name.items()}


def response_format(response: httpx.Response) -> RdfFormat:
    """The RDF format a response's ``Content-Type`` names."""
    media_type = response.headers["content-type"].split(";")[0].strip()
    rdf_format = RdfFormat.from_media_type(media_type)
    assert rdf_format is not None, f"{media_type} is no RDF format"
    return rdf_format


def response_graph(response: httpx.Response) -> Graph:
    """A successful response's body, read in the format its ``Content-Type`` names."""
    assert response.status_code == 200, response.text[:500]
    return triples(response.content, response_format(response))


def same_graphs(first: dict[str, Graph], second: dict[str, Graph]) -> bool:
    """Whether two datasets hold the same named graphs, each compared as a graph."""
    return first.keys() == second.keys() and all(
        isomorphic(graph, second[name]) for name, graph in first.items()
    )
