"""``vnpolicy serve`` (on the embedded store, or over an external SPARQL store) and ``vnpolicy
publish`` (the validated dataset into an external store)."""

from pathlib import Path
from typing import TYPE_CHECKING

import click

from vnpolicy.server.cli.support import run
from vnpolicy.server.settings import Settings, load_settings

if TYPE_CHECKING:
    from fastapi import FastAPI

_SOURCES = click.option(
    "--sources",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Folder with documents/*.md and registry.yaml [env VNPOLICY_SOURCES; graph/sources].",
)

# The build and the web stack are imported inside the commands: `vnpolicy serve` must answer
# within seconds of a fresh start and builds in a forked child while it loads the web stack.


@click.command("serve")
@click.option("--host", default=None, help="Interface to bind [env VNPOLICY_HOST; 127.0.0.1].")
@click.option("--port", type=int, default=None, help="Port [env VNPOLICY_PORT; 8000].")
@click.option(
    "--store",
    "store_path",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Keep the store on disk here (reused while the inputs are unchanged); default: memory.",
)
@click.option("--query-timeout", type=float, default=None, help="Seconds per query [env; 10].")
@_SOURCES
@click.option(
    "--sparql-endpoint",
    default=None,
    help="Serve an external SPARQL 1.1 store's data instead [env VNPOLICY_SPARQL_ENDPOINT].",
)
@click.option(
    "--update-endpoint",
    default=None,
    help="The external store's update endpoint, for writes [env VNPOLICY_UPDATE_ENDPOINT].",
)
@click.option(
    "--graph-store",
    default=None,
    help="The external store's Graph Store endpoint, for writes [env VNPOLICY_GRAPH_STORE].",
)
def serve_command(
    host: str | None,
    port: int | None,
    store_path: Path | None,
    query_timeout: float | None,
    sources: Path | None,
    sparql_endpoint: str | None,
    update_endpoint: str | None,
    graph_store: str | None,
) -> None:
    """Serve the dataset over HTTP: pages, exports and the SPARQL 1.1 endpoint at /sparql.

    Builds the dumps first if they are missing or older than the sources. With
    --sparql-endpoint the data is read from an external store instead (load it with 'vnpolicy
    publish'); nothing is built and the server holds no data of its own. Settings come from
    VNPOLICY_* environment variables (see 'vnpolicy settings'); options override them.
    """
    settings = run(
        lambda: load_settings(
            host=host,
            port=port,
            query_timeout=query_timeout,
            sources=sources,
            sparql_endpoint=sparql_endpoint,
            update_endpoint=update_endpoint,
            graph_store=graph_store,
        )
    )
    if settings.external:
        if store_path is not None:
            raise click.UsageError("--store and --sparql-endpoint exclude each other")
        app = _external_app(settings)
    else:
        app = _embedded_app(settings, store_path)
    import uvicorn

    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning")


def _embedded_app(settings: Settings, store_path: Path | None) -> "FastAPI":
    from vnpolicy.server.runtime.loading import Loading

    loading = run(lambda: Loading(settings.out, settings.base, settings.sources, store_path))
    import uvicorn  # noqa: F401  (imported while the corpus builds)

    from vnpolicy.server.http.app import create_app
    from vnpolicy.server.runtime.workers import QueryPool

    store = loading.open_store()
    pool = QueryPool(settings, store, store_path)
    app = create_app(settings, store, pool, loading.digest)  # set up while the corpus builds
    loaded = run(lambda: loading.result(store))
    pool.fork()
    action = "built and loaded" if loaded.rebuilt else "loaded"
    click.echo(
        f"vnpolicy: {action} {len(loaded.store)} quads in {loaded.seconds:.1f} s; "
        f"serving http://{settings.host}:{settings.port}/",
        err=True,
    )
    return app


def _external_app(settings: Settings) -> "FastAPI":
    from vnpolicy.graph.errors import InputError
    from vnpolicy.server.errors import Problem
    from vnpolicy.server.http.app import create_app
    from vnpolicy.server.runtime.remote_pool import RemotePool
    from vnpolicy.server.runtime.remote_store import RemoteStore

    remote = RemoteStore(settings.sparql_endpoint, settings.update_endpoint or None,
                         settings.query_timeout, connections=64)  # fmt: skip

    def check() -> None:
        try:
            remote.check()
        except Problem as error:
            raise InputError(error.detail) from None

    run(check)
    # RemoteStore is a ReadableStore, as the embedded store is (decision 0016).
    app = create_app(settings, remote, RemotePool(settings, remote), digest="external")
    writes = "read-only" if not settings.writes_to_store else "Graph Store writes on"
    click.echo(
        f"vnpolicy: reading {settings.sparql_endpoint} ({writes}); "
        f"serving http://{settings.host}:{settings.port}/",
        err=True,
    )
    return app


@click.command("publish")
@click.argument("graph_store")
@click.option(
    "--sparql-endpoint",
    default=None,
    help="The store's query endpoint: delete graphs the dataset no longer has, count the quads.",
)
@_SOURCES
@click.option("--jobs", default=4, show_default=True, help="Graphs sent at once.")
def publish_command(
    graph_store: str, sparql_endpoint: str | None, sources: Path | None, jobs: int
) -> None:
    """Load the validated dataset into the store whose Graph Store Protocol endpoint is
    GRAPH_STORE (e.g. http://127.0.0.1:7878/store): one PUT per named graph, each replacing
    that graph at once. The dumps in VNPOLICY_OUT are used when they match the sources;
    otherwise the corpus is built and validated first. Credentials go in the URL
    (http://user:password@host/...)."""
    from vnpolicy.graph.paths import NQUADS_DUMP
    from vnpolicy.server.runtime.publish import publish

    settings = run(lambda: load_settings(sources=sources, sparql_endpoint=sparql_endpoint))
    if not graph_store.startswith(("http://", "https://")):
        raise click.BadParameter(f"{graph_store!r} is not an http(s) URL", param_hint="GRAPH_STORE")
    run(lambda: _current_dumps(settings))
    done = run(
        lambda: publish(
            settings.out / NQUADS_DUMP,
            graph_store,
            settings.base,
            settings.sparql_endpoint or None,
            jobs,
        )
    )
    counted = "" if done.store_quads is None else f"; the store now holds {done.store_quads}"
    click.echo(
        f"Published {done.graphs} graphs, {done.quads} quads to {graph_store} in "
        f"{done.seconds:.1f} s; removed {done.removed} graphs no longer in the dataset{counted}"
    )


def _current_dumps(settings: Settings) -> None:
    """Build, validate and write the dumps unless they were built from the current inputs."""
    from vnpolicy.graph.output.dumps import write_dataset
    from vnpolicy.server.runtime.loading import build_validated, current_digest

    digest, current = current_digest(settings.out, settings.base, settings.sources)
    if not current:
        click.echo(f"Building {settings.out} from {settings.sources} first", err=True)
        write_dataset(build_validated(settings.base, settings.sources), settings.out, inputs=digest)
