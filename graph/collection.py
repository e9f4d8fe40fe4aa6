"""Fewer garbage collections while a build allocates millions of long-lived objects.

CPython's cyclic collector runs a young collection every 700 net allocations and, every 100 of
those, a full one that walks every tracked object. A build creates tens of millions of rdflib
and pyoxigraph objects that all live until it ends, so the full collections walk an ever larger
heap to free almost nothing: at 1.44M quads they took a fifth of `vnpolicy build` (150 s → 121 s
without them; docs/decisions/0017). The build's steps run under a higher threshold and the old
one is restored after; reference counting still frees everything acyclic at once.
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager

#: Young collections every 100,000 net allocations instead of 700.
BUILD_THRESHOLD = (100_000, 50, 100)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run a block, or a function decorated with ``@fewer_collections()``, under
    ``BUILD_THRESHOLD`` (never lowering a higher one); the threshold before is restored."""
    saved = gc.get_threshold()
    if saved[0] < BUILD_THRESHOLD[0]:
        gc.set_threshold(*BUILD_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*saved)
