"""vnpolicy's graph layer: sources in, a validated dataset out, and what reads it.

The core modules here are shared by every room: ``namespaces``, ``uris`` (the one minter of URIs
and graph names), ``formats`` (the registry of RDF and results formats), ``bridge`` (rdflib and
pyoxigraph terms), ``numbers``, ``paths``, ``model``, ``store`` and ``errors``. The rooms:
``build`` (sources to graphs), ``validate`` (SHACL), ``output`` (dumps and serialisers),
``read`` (descriptions, overview, VoID, statistics, the query catalogue) and ``network``.

Nothing in this package knows about HTTP; ``vnpolicy.server`` builds on it, never the reverse.
"""
