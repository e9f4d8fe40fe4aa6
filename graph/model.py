"""The model as graphs: the ontology with its vocabularies, and the SHACL shapes."""

from rdflib import Graph

from vnpolicy.graph.paths import model_files, shape_files
from vnpolicy.graph.rdf_files import read_files


def load_model() -> Graph:
    """The ontology and every SKOS vocabulary, as one graph."""
    return read_files(model_files())


def load_shapes() -> Graph:
    return read_files(shape_files())
