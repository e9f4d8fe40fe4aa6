"""Every setting of the server, in one typed table read from the environment.

Each setting is a ``VNPOLICY_*`` environment variable (or a command-line option of
``vnpolicy serve`` that overrides it). The defaults are the safe ones: bound to localhost,
read-only, bounded queries, no outbound fetches, no CORS. ``describe()`` renders the table for
``vnpolicy settings`` and the README.
"""

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

from vnpolicy.graph.errors import InputError
from vnpolicy.graph.paths import DEFAULT_OUT_DIR, SOURCES_DIR
from vnpolicy.graph.uris import DEFAULT_BASE, check_base


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    base: str = DEFAULT_BASE
    out: Path = DEFAULT_OUT_DIR
    sources: Path = SOURCES_DIR
    query_timeout: float = 10.0
    query_workers: int = 2
    max_rows: int = 100_000
    max_body: int = 1_000_000
    allow_service: bool = False
    cors_origins: str = ""
    write_token: str = ""
    sparql_endpoint: str = ""
    update_endpoint: str = ""
    graph_store: str = ""
    store_refresh: float = 60.0
    cache_seconds: int = 0

    @property
    def cors_origin_list(self) -> list[str]:
        return [origin.strip() for origin in self.cors_origins.split(",") if origin.strip()]

    @property
    def external(self) -> bool:
        """Whether the data lives in an external SPARQL store rather than the embedded one."""
        return bool(self.sparql_endpoint)

    @property
    def writes_to_store(self) -> bool:
        return bool(self.update_endpoint or self.graph_store)


#: What each setting means; ``describe()`` and the README show it.
HELP = {
    "host": "Interface to bind. Anything but localhost makes the server public.",
    "port": "TCP port.",
    "base": "Canonical base URI of the data; the server maps its own URLs onto it.",
    "out": "Folder of the built dumps to serve (rebuilt from the sources when stale).",
    "sources": "Folder of the document sources (documents/*.md, registry.yaml) the dumps are "
    "built from; another folder serves another corpus, e.g. a benchmark corpus.",
    "query_timeout": "Seconds a query may run before it is stopped and answered with an error.",
    "query_workers": "Processes running queries; one past its time limit is killed and replaced.",
    "max_rows": "Most result rows (or triples) one query may return; more is an error, not a cut.",
    "max_body": "Largest request body accepted, in bytes.",
    "allow_service": "Allow SPARQL SERVICE, i.e. outbound requests to other endpoints.",
    "cors_origins": "Comma-separated origins allowed by CORS, never with credentials; empty: off.",
    "write_token": "Bearer token that enables /update and /store writes (a secret: set it in the "
    "environment only); empty: read-only.",
    "sparql_endpoint": "Query endpoint of an external SPARQL 1.1 store holding the data (published "
    "with 'vnpolicy publish'); empty: the embedded store, built from the sources.",
    "update_endpoint": "With an external store: its SPARQL Update endpoint, for validated Graph "
    "Store writes made through this server.",
    "graph_store": "With an external store: its Graph Store Protocol endpoint, for writes when "
    "there is no update endpoint.",
    "cache_seconds": "Cache-Control max-age of GET answers (pages, exports, query results); 0: "
    "caches keep them but revalidate each time (ETag, 304).",
    "store_refresh": "With an external store: seconds after which counts, exports and dumps "
    "computed from it are computed again (other servers may have written to it).",
}


def _convert(name: str, kind: object, raw: str) -> object:
    try:
        if kind is bool:
            if raw.lower() in ("1", "true", "yes", "on"):
                return True
            if raw.lower() in ("0", "false", "no", "off", ""):
                return False
            raise ValueError(raw)
        if kind is int:
            return int(raw)
        if kind is float:
            return float(raw)
        if kind is Path:
            return Path(raw)
    except ValueError:
        raise InputError(f"VNPOLICY_{name.upper()}={raw!r} is not a valid {kind}") from None
    return raw


def load_settings(environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
    """Settings from ``VNPOLICY_*`` variables, then ``overrides`` (None means: not given)."""
    environ = os.environ if environ is None else environ
    values: dict[str, object] = {}
    for spec in fields(Settings):
        variable = f"VNPOLICY_{spec.name.upper()}"
        if variable in environ:
            values[spec.name] = _convert(spec.name, spec.type, environ[variable])
        if overrides.get(spec.name) is not None:
            values[spec.name] = overrides[spec.name]
    settings = Settings(**values)  # type: ignore[arg-type]
    try:
        check_base(settings.base)
    except ValueError as error:
        raise InputError(str(error)) from error
    if (
        min(settings.query_timeout, settings.max_rows, settings.max_body, settings.query_workers)
        <= 0
        or settings.cache_seconds < 0
        or settings.store_refresh <= 0
    ):
        raise InputError(
            "query_timeout, query_workers, max_rows, max_body and store_refresh must be "
            "positive, cache_seconds not negative"
        )
    for name in ("sparql_endpoint", "update_endpoint", "graph_store"):
        url = getattr(settings, name)
        if url and not url.startswith(("http://", "https://")):
            raise InputError(f"VNPOLICY_{name.upper()}={url!r} is not an http(s) URL")
    if (settings.update_endpoint or settings.graph_store) and not settings.sparql_endpoint:
        raise InputError("an update endpoint or graph store needs the store's SPARQL endpoint too")
    return settings


def describe() -> list[tuple[str, str, str]]:
    """(variable, default, meaning) for every setting."""
    return [
        (f"VNPOLICY_{spec.name.upper()}", str(spec.default), HELP[spec.name])
        for spec in fields(Settings)
    ]
