"""Validation with the SHACL shapes: pyshacl on rdflib graphs, SHACL-SPARQL on Oxigraph, per
document in parallel, and reports a person can act on (docs/decisions/0007, 0015)."""
