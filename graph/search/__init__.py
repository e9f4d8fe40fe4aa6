"""Full-text search over the built dataset: the index is written with the dumps (``index``) from
the entries the dataset holds (``entries``), and read by ``engine``; ``folding`` is the one
normalisation both sides apply (docs/decisions/0024)."""
