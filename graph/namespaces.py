"""The RDF namespaces vnpolicy uses, defined once.

``VNP`` is the project's ontology; ``VOCAB`` holds its SKOS vocabularies. Both are fixed: they
name the model, which is published once and reused. Instance data is minted under a configurable
base (see :mod:`graph.uris`).
"""

import functools

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

ONTOLOGY_IRI = "https://w3id.org/vnpolicy/ontology"
VNP = Namespace(ONTOLOGY_IRI + "#")
VOCAB = Namespace("https://w3id.org/vnpolicy/vocab/")
VNPS = Namespace("https://w3id.org/vnpolicy/shapes#")
#: Namespaces of the vocabularies, for readable reports.
VOCAB_PREFIXES = {
    scheme: Namespace(f"{VOCAB}{scheme}/")
    for scheme in (
        "assignment",
        "body",
        "certainty",
        "comparator",
        "document-type",
        "domain",
        "error-kind",
        "number-form",
        "pillar",
        "relation-type",
        "scope",
        "source-kind",
        "text-kind",
        "unit",
    )
}
ELI = Namespace("http://data.europa.eu/eli/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")

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
    **VOCAB_PREFIXES,
}

__all__ = [
    "DCTERMS",
    "ELI",
    "FOAF",
    "ONTOLOGY_IRI",
    "ORG",
    "OWL",
    "PREFIXES",
    "PREFIX_IRIS",
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
    "compact",
]

#: The same prefixes as plain IRIs, as Oxigraph's ``prefixes=`` option takes them.
PREFIX_IRIS: dict[str, str] = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}

#: (prefix, namespace) pairs, longest namespace first, so the most specific prefix wins.
_BY_LENGTH = sorted(((p, str(ns)) for p, ns in PREFIXES.items()), key=lambda item: -len(item[1]))


def namespace_of(iri: str, extra: dict[str, str] | None = None) -> tuple[str, str] | None:
    """The (prefix, namespace) of an IRI in a known namespace (longest match wins), or None."""
    if not extra:
        return _known_namespace_of(iri)
    candidates = sorted([*_BY_LENGTH, *extra.items()], key=lambda item: -len(item[1]))
    for prefix, namespace in candidates:
        if iri.startswith(namespace):
            return prefix, namespace
    return None


@functools.lru_cache(maxsize=1 << 16)
def _known_namespace_of(iri: str) -> tuple[str, str] | None:
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace):
            return prefix, namespace
    return None


def compact(iri: str, extra: dict[str, str] | None = None) -> str:
    """``prefix:rest`` for an IRI in a known namespace (longest match wins), else ``<iri>``."""
    found = namespace_of(iri, extra)
    if found is None:
        return f"<{iri}>"
    return f"{found[0]}:{iri[len(found[1]) :]}"
