"""Helpers the tests share: the fixture corpus (``corpus``), the app in process (``inprocess``),
real servers (``servers``), waiting for conditions (``waiting``), processes (``processes``),
reading RDF answers back (``rdf``), the W3C manifests (``w3c``), system programs
(``programs``)."""
