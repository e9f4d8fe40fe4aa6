"""The model itself: it parses in two independent parsers, the shapes are valid SHACL, the
ontology and vocabularies obey their own rules, and every vnp: term in use is defined."""

import subprocess
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SKOS

from tests.utils.programs import require_program
from vnpolicy.graph.namespaces import VNP, VOCAB
from vnpolicy.graph.paths import model_files, shape_files
from vnpolicy.graph.validate.validation import validate

TURTLE_FILES = model_files() + shape_files()


@pytest.mark.parametrize("path", TURTLE_FILES, ids=lambda p: p.name)
def test_rapper_parses_the_same_triples_as_rdflib(path: Path) -> None:
    rapper = require_program("rapper")
    result = subprocess.run(
        [
            rapper,
            "--quiet",
            "--input",
            "turtle",
            "--output",
            "ntriples",
            str(path),
            "file:///base/",
        ],
        capture_output=True,
        check=True,
        timeout=60,
    )
    theirs = Graph().parse(data=result.stdout, format="nt")
    ours = Graph().parse(path, format="turtle", publicID="file:///base/")
    assert len(theirs) == len(ours)
    assert isomorphic(theirs, ours)


def test_shapes_are_valid_shacl_and_the_model_conforms(model: Graph, shapes: Graph) -> None:
    report = validate(Graph(), model=model, shapes=shapes, check_shapes=True)
    assert report.violations == ()
    assert report.conforms


def _used_vnp_terms(graph: Graph) -> set[URIRef]:
    used = set()
    for triple in graph:
        for term in triple:
            if isinstance(term, URIRef) and str(term).startswith(str(VNP)):
                used.add(term)
    return used


def test_every_vnp_term_used_by_shapes_and_data_is_defined(
    model: Graph, shapes: Graph, asserted: Graph
) -> None:
    defined = set(model.subjects(RDF.type, None))
    used = _used_vnp_terms(shapes) | _used_vnp_terms(asserted)
    assert sorted(str(term) for term in used - defined) == []


def test_every_vocabulary_concept_used_by_the_data_exists(model: Graph, asserted: Graph) -> None:
    concepts = set(model.subjects(RDF.type, SKOS.Concept))
    data = asserted
    used = {o for o in data.objects() if isinstance(o, URIRef) and str(o).startswith(str(VOCAB))}
    assert sorted(str(term) for term in used - concepts) == []


def test_pillar_scheme_has_the_five_pillars_of_viewpoint_3(model: Graph) -> None:
    scheme = URIRef(f"{VOCAB}pillar")
    labels = {
        str(label)
        for concept in model.objects(scheme, SKOS.hasTopConcept)
        for label in model.objects(concept, SKOS.prefLabel)
        if getattr(label, "language", None) == "en"
    }
    assert labels == {
        "institutions",
        "human resources",
        "infrastructure",
        "data",
        "strategic technology",
    }
