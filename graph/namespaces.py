"""The RDF namespaces vnpolicy uses, defined once.

``VNP`` is the project's ontology; ``VOCAB`` holds its SKOS vocabularies. Both are fixed: they
name the model, which is published once and reused. Instance data is minted under a configurable
base (see :mod:`graph.uris`).
"""

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SDO, SH, SKOS, XSD

ONTOLOGY_IRI = "https://w3id.org/vnpolicy/ontology"
VNP = Namespace(ONTOLOGY_IRI + "#")
VOCAB = Namespace("https://w3id.org/vnpolicy/vocab/")
VNPS = Namespace("https://w3id.org/vnpolicy/shapes#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = SDO

#: Prefixes bound on every graph we serialise, so dumps and query results read the same way.
PREFIXES: dict[str, Namespace] = {
    "vnp": VNP,
    "vocab": VOCAB,
    "vnps": VNPS,
    "eli": ELI,
    "org": ORG,
    "schema": SCHEMA,
    "dct": Namespace(str(DCTERMS)),
    "foaf": Namespace(str(FOAF)),
    "owl": Namespace(str(OWL)),
    "prov": Namespace(str(PROV)),
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "sh": Namespace(str(SH)),
    "skos": Namespace(str(SKOS)),
    "xsd": Namespace(str(XSD)),
}

__all__ = [
    "DCTERMS",
    "ELI",
    "FOAF",
    "ONTOLOGY_IRI",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SH",
    "SKOS",
    "VNP",
    "VNPS",
    "VOCAB",
    "XSD",
]
