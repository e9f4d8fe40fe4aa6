"""The application ``vnpolicy serve`` serves, set up once for both of its uses: listening on a
socket, and answering one request in process (``--get``).

On the embedded store the corpus is built (when the dumps are stale) in a child process while
this one imports and sets up the web stack; the query workers are forked once the store is
filled. Over an external store nothing is built: the store is checked, then read.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vnpolicy.graph.errors import InputError
from vnpolicy.server.settings import Settings

if TYPE_CHECKING:
    from fastapi import FastAPI

# The build and the web stack are imported inside the functions: `vnpolicy serve` must answer
# within seconds of a fresh start and builds in a forked child while it loads the web stack.


@dataclass(frozen=True)
class Started:
    app: "FastAPI"
    #: What was loaded or read, for the line the server logs when it starts listening.
    summary: str


def start_app(settings: Settings, store_path: Path | None = None) -> Started:
    """The application on the data the settings name: the embedded store (in memory, or on disk
    at ``store_path``) filled from the current dumps, or an external SPARQL store (``store_path``
    is then unused)."""
    if settings.external:
        return _external_app(settings)
    return _embedded_app(settings, store_path)


def _embedded_app(settings: Settings, store_path: Path | None) -> Started:
    from vnpolicy.server.runtime.loading import Loading

    loading = Loading(
        settings.out, settings.base, settings.sources, store_path, settings.releases_kept
    )
    import uvicorn  # noqa: F401  (imported while the corpus builds)

    from vnpolicy.server.http.app import create_app
    from vnpolicy.server.runtime.pool import QueryPool

    store = loading.open_store()
    pool = QueryPool(settings, store, store_path)
    app = create_app(settings, store, pool, loading.digest)  # set up while the corpus builds
    loaded = loading.result(store)
    pool.fork()
    loading.reap_later()
    action = "built and loaded" if loaded.rebuilt else "loaded"
    return Started(app, f"{action} {len(loaded.store)} quads in {loaded.seconds:.1f} s")


def _external_app(settings: Settings) -> Started:
    from vnpolicy.server.errors import Problem
    from vnpolicy.server.http.app import create_app
    from vnpolicy.server.runtime.remote_pool import RemotePool
    from vnpolicy.server.runtime.remote_store import RemoteStore

    remote = RemoteStore(settings.sparql_endpoint, settings.update_endpoint or None,
                         settings.query_timeout, connections=64)  # fmt: skip
    try:
        remote.check()
    except Problem as error:
        raise InputError(error.detail) from None
    # RemoteStore is a ReadableStore, as the embedded store is (decision 0016).
    app = create_app(settings, remote, RemotePool(settings, remote), digest="external")
    writes = "read-only" if not settings.writes_to_store else "Graph Store writes on"
    return Started(app, f"reading {settings.sparql_endpoint} ({writes})")
