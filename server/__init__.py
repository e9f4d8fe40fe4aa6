"""vnpolicy's outward interfaces: ``cli`` (the ``vnpolicy`` command), ``http`` (the routes, one
router per wing) and ``runtime`` (the store runtime: query workers, writes, the journal, the
external store, publishing), with ``settings`` and ``errors`` shared by all three.

Imports run one way: ``cli`` → ``http`` → ``runtime`` → ``vnpolicy.graph``; nothing in
``runtime`` knows about Starlette.
"""
