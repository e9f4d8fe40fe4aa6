"""The build: source files in, one RDF graph per document out, with the registry, the
vocabularies, mentions and the alignment entailments (docs/decisions/0006)."""
