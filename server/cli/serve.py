"""``vnpolicy serve`` (on the embedded store, or over an external SPARQL store; listening, or
answering one request with ``--get``) and ``vnpolicy publish`` (the validated dataset into an
external store)."""

import sys
from pathlib import Path

import click

from vnpolicy.server.cli.options import FOLDER, out_option, setting_option, sources_option
from vnpolicy.server.cli.support import read_settings, run
from vnpolicy.server.settings import Settings

_OUT = out_option(
    "Folder of the dumps: used when they match the sources, else rebuilt there first; a "
    "relative DIR is in the current folder."
)


def _request_header(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> list[tuple[str, str]]:
    pairs = []
    for value in values:
        name, colon, content = value.partition(":")
        if not colon or not name.strip():
            raise click.BadParameter(f"{value!r} is not NAME:VALUE")
        pairs.append((name.strip(), content.strip()))
    return pairs


def _path(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not value.startswith("/"):
        raise click.BadParameter(f"{value!r} is not a path such as /sparql?query=ASK{{}}")
    return value


@click.command("serve")
@setting_option("host", metavar="HOST")
@setting_option("port", type=int, metavar="PORT")
@_OUT
@click.option(
    "--store",
    "store_path",
    type=FOLDER,
    default=None,
    metavar="DIR",
    help="Keep the store on disk in DIR, reused while the inputs are unchanged and kept "
    "with the writes made through the server; default: in memory.",
)
@setting_option("query_timeout", type=float, metavar="SECONDS")
@sources_option
@setting_option(
    "sparql_endpoint",
    metavar="URL",
    help="Read the data from this external SPARQL 1.1 store's query endpoint instead of "
    "building it (load the store with 'vnpolicy publish').",
)
@setting_option("update_endpoint", metavar="URL")
@setting_option("graph_store", metavar="URL")
@click.option(
    "--get",
    "get_path",
    callback=_path,
    metavar="PATH",
    help="Answer one GET request for PATH in process (no socket), print the body and exit: "
    "0 for 2xx and 3xx, 1 otherwise (the status line and body go to standard error).",
)
@click.option("--accept", metavar="TYPE", help="With --get: the Accept header, e.g. text/turtle.")
@click.option(
    "-H",
    "--header",
    "request_headers",
    multiple=True,
    callback=_request_header,
    metavar="NAME:VALUE",
    help="With --get: a request header; repeatable.",
)
@click.option(
    "--headers",
    "with_headers",
    is_flag=True,
    help="With --get: print the status line and response headers before the body.",
)
@click.option(
    "-L",
    "--follow",
    is_flag=True,
    help="With --get: follow redirects, such as a resource's 303 to its description.",
)
def serve_command(
    host: str | None,
    port: int | None,
    out: Path | None,
    store_path: Path | None,
    query_timeout: float | None,
    sources: Path | None,
    sparql_endpoint: str | None,
    update_endpoint: str | None,
    graph_store: str | None,
    get_path: str | None,
    accept: str | None,
    request_headers: list[tuple[str, str]],
    with_headers: bool,
    follow: bool,
) -> None:
    """Serve the dataset: pages, dumps, exports and SPARQL at /sparql.

    Builds the dumps first if they are missing or do not match the sources (manifest.json
    records their digest), loads them into the embedded store (in memory, or on disk with
    --store) and serves them with uvicorn, bound to 127.0.0.1:8000 by default. With
    --sparql-endpoint the data is read from an external store instead: nothing is built and
    the server holds no data of its own. Settings come from VNPOLICY_* environment variables
    ('vnpolicy settings' lists them); options override them.

    With --get PATH the same application answers one request in process, without a socket,
    and the command exits.

    \b
    Examples:
      vnpolicy serve --port 8080 --store var/store
      vnpolicy serve --get '/sparql?query=ASK{}'
      vnpolicy serve --get /eli/vn/tw/nq/2024/57 --accept text/turtle --follow
      vnpolicy serve --get /eli/vn/tw/nq/2024/57 --headers
    """
    from vnpolicy.server.cli.startup import start_app

    given = {
        "--accept": accept,
        "--header": request_headers,
        "--headers": with_headers,
        "--follow": follow,
    }
    if get_path is None and any(given.values()):
        options = ", ".join(name for name, value in given.items() if value)
        raise click.UsageError(f"{options}: only with --get")
    settings = read_settings(
        host=host,
        port=port,
        out=out,
        query_timeout=query_timeout,
        sources=sources,
        sparql_endpoint=sparql_endpoint,
        update_endpoint=update_endpoint,
        graph_store=graph_store,
    )
    if settings.external and store_path is not None:
        raise click.UsageError("--store and --sparql-endpoint exclude each other")
    started = run(lambda: start_app(settings, store_path))
    if get_path is not None:
        import asyncio

        from vnpolicy.server.cli.get import fetch, show

        headers = [*request_headers, *([("Accept", accept)] if accept else [])]
        origin = settings.public_origin.rstrip("/")
        response = asyncio.run(fetch(started.app, origin, get_path, headers, follow))
        sys.exit(show(response, with_headers))
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    listening = f"http://{host}:{settings.port}/"
    public = "" if settings.public_origin == listening else f" (public URL {settings.public_url})"
    click.echo(f"vnpolicy: {started.summary}; serving {listening}{public}", err=True)
    import uvicorn

    from vnpolicy.server.http.connection import guarded

    uvicorn.run(
        started.app,
        host=settings.host,
        port=settings.port,
        log_level="warning",
        http=guarded(settings.header_timeout),
        # Proxy headers only when a setting trusts them (they set the logged client address;
        # URLs come from the public URL, never from a request's headers).
        proxy_headers=settings.trust_proxy,
        forwarded_allow_ips="*" if settings.trust_proxy else None,
    )


@click.command("publish")
@click.argument("graph_store", metavar="GRAPH_STORE_URL")
@setting_option(
    "sparql_endpoint",
    metavar="URL",
    help="The store's query endpoint: to delete the graphs the dataset no longer has, and to "
    "count the quads.",
)
@_OUT
@sources_option
@click.option("--jobs", default=4, show_default=True, metavar="N", help="Graphs sent at once.")
def publish_command(
    graph_store: str,
    sparql_endpoint: str | None,
    out: Path | None,
    sources: Path | None,
    jobs: int,
) -> None:
    """Load the validated dataset into an external SPARQL store.

    GRAPH_STORE_URL is the store's SPARQL 1.1 Graph Store Protocol endpoint (e.g.
    http://127.0.0.1:7878/store): one PUT per named graph, each replacing that graph in one
    transaction. The dumps in the out folder are used when they match the sources; otherwise
    the corpus is built and validated first. With the store's query endpoint it also deletes
    this dataset's graphs that the sources no longer have, and prints the store's own quad
    count. Credentials go in the URL (http://user:password@host/...).

    \b
    Example:
      vnpolicy publish http://127.0.0.1:7878/store --sparql-endpoint http://127.0.0.1:7878/query
    """
    from vnpolicy.graph.paths import NQUADS_DUMP
    from vnpolicy.server.runtime.publish import publish

    settings = read_settings(out=out, sources=sources, sparql_endpoint=sparql_endpoint)
    if not graph_store.startswith(("http://", "https://")):
        raise click.BadParameter(
            f"{graph_store!r} is not an http(s) URL", param_hint="GRAPH_STORE_URL"
        )
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
        dataset = build_validated(settings.base, settings.sources)
        write_dataset(dataset, settings.out, inputs=digest, releases_kept=settings.releases_kept)
