"""vnpolicy's graph layer: the model, the sources, validation and the store.

Nothing in this package knows about HTTP; ``server`` builds on it, never the reverse.
"""
