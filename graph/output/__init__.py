"""Writing the dataset: the dumps (TriG, N-Quads, per-document Turtle and JSON-LD) and the
serialisers behind them (docs/decisions/0017)."""
