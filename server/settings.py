"""Every setting of vnpolicy, in one typed table read from the environment.

Each setting is a ``VNPOLICY_*`` environment variable (or a command-line option that overrides
it); its type, default and meaning are one field of ``Settings``. The defaults are the safe ones:
bound to localhost, read-only, bounded queries, no outbound fetches, no CORS. ``load_settings``
is the only reader of the environment: it refuses a ``VNPOLICY_*`` variable that is not a
setting (naming the closest one) and checks the values, the base URI among them, once.
``describe()`` renders the table for ``vnpolicy settings`` and the README.
"""

import difflib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

from vnpolicy.graph.errors import InputError
from vnpolicy.graph.paths import DEFAULT_OUT_DIR, DEFAULT_RELEASES_KEPT, ROOT, SOURCES_DIR
from vnpolicy.graph.uris import DEFAULT_BASE, check_base

PREFIX = "VNPOLICY_"


@dataclass(frozen=True)
class Settings:
    """The settings table: each field is a setting, ``VNPOLICY_`` + its name in capitals, with
    its type, its default and (``metadata["help"]``) its meaning."""

    host: str = field(
        default="127.0.0.1",
        metadata={"help": "Interface to bind. Anything but localhost makes the server public."},
    )
    port: int = field(default=8000, metadata={"help": "TCP port."})
    public_url: str = field(
        default="",
        metadata={
            "help": "The server's public URL (http(s)://host[:port]/), written in every absolute "
            "URL it serves (service description, VoID and DCAT, sitemap, robots.txt); empty: "
            "http://HOST:PORT/. The Host header of a request is never used."
        },
    )
    trust_proxy: bool = field(
        default=False,
        metadata={
            "help": "Trust X-Forwarded-For and X-Forwarded-Proto from a reverse proxy (for the "
            "logged client address); absolute URLs still come from the public URL."
        },
    )
    base: str = field(
        default=DEFAULT_BASE,
        metadata={"help": "Canonical base URI of the data; the server maps its own URLs onto it."},
    )
    out: Path = field(
        default=DEFAULT_OUT_DIR,
        metadata={
            "help": "Folder of the built dumps (a relative one is in the current folder); "
            "rebuilt from the sources when stale."
        },
    )
    sources: Path = field(
        default=SOURCES_DIR,
        metadata={
            "help": "Folder of the document sources (documents/*.md, registry.yaml) the dumps "
            "are built from; another folder serves another corpus, e.g. a benchmark corpus."
        },
    )
    query_timeout: float = field(
        default=10.0,
        metadata={
            "help": "Seconds a query may run before it is stopped and answered with an error."
        },
    )
    header_timeout: float = field(
        default=10.0,
        metadata={
            "help": "Seconds a client has to send a request's headers, once it has connected or "
            "begun them; a slower one is disconnected."
        },
    )
    query_workers: int = field(
        default=2,
        metadata={
            "help": "Processes running queries; one past its time limit is killed and replaced."
        },
    )
    max_rows: int = field(
        default=100_000,
        metadata={
            "help": "Most result rows (or triples) one query may return; more is an error, "
            "not a cut."
        },
    )
    max_body: int = field(
        default=1_000_000,
        metadata={"help": "Largest request body accepted, in bytes."},
    )
    max_result_bytes: int = field(
        default=100_000_000,
        metadata={
            "help": "Largest answer one query may give, in bytes; more is an error (413), not a "
            "cut."
        },
    )
    worker_memory: int = field(
        default=2048,
        metadata={
            "help": "MiB of its own memory a query worker may use (beyond the store it shares); "
            "one past it is stopped and replaced, and its request answered 503."
        },
    )
    allow_service: bool = field(
        default=False,
        metadata={"help": "Allow SPARQL SERVICE, i.e. outbound requests to other endpoints."},
    )
    cors_origins: str = field(
        default="",
        metadata={
            "help": "Comma-separated origins allowed by CORS, never with credentials; empty: off."
        },
    )
    write_token: str = field(
        default="",
        metadata={
            "help": "Bearer token that enables /update and /store writes (a secret: set it in "
            "the environment only); empty: read-only."
        },
    )
    sparql_endpoint: str = field(
        default="",
        metadata={
            "help": "Query endpoint of an external SPARQL 1.1 store holding the data "
            "(published with 'vnpolicy publish'); empty: the embedded store, built from the "
            "sources."
        },
    )
    update_endpoint: str = field(
        default="",
        metadata={
            "help": "With an external store: its SPARQL Update endpoint, for validated Graph "
            "Store writes made through this server."
        },
    )
    graph_store: str = field(
        default="",
        metadata={
            "help": "With an external store: its Graph Store Protocol endpoint, for writes when "
            "there is no update endpoint."
        },
    )
    store_refresh: float = field(
        default=60.0,
        metadata={
            "help": "With an external store: seconds after which counts, exports and dumps "
            "computed from it are computed again (other servers may have written to it)."
        },
    )
    cache_seconds: int = field(
        default=0,
        metadata={
            "help": "Cache-Control max-age of GET answers (pages, exports, query results); 0: "
            "caches keep them but revalidate each time (ETag, 304)."
        },
    )
    releases_kept: int = field(
        default=DEFAULT_RELEASES_KEPT,
        metadata={
            "help": "How many releases a build keeps in out/releases/ (served at /releases/, in "
            "the feeds, the event stream and the TimeMaps); older ones are removed."
        },
    )

    @property
    def cors_origin_list(self) -> list[str]:
        return [origin.strip() for origin in self.cors_origins.split(",") if origin.strip()]

    @property
    def public_origin(self) -> str:
        """The public URL, ending in ``/``: the setting, else this server's own address."""
        if self.public_url:
            return self.public_url
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    @property
    def external(self) -> bool:
        """Whether the data lives in an external SPARQL store rather than the embedded one."""
        return bool(self.sparql_endpoint)

    @property
    def writes_to_store(self) -> bool:
        return bool(self.update_endpoint or self.graph_store)


@dataclass(frozen=True)
class Described:
    """One row of the settings table."""

    name: str
    variable: str
    default: str
    meaning: str


def _shown(value: object) -> str:
    """A default as people read it: a packaged folder relative to the package."""
    if isinstance(value, Path) and value.is_absolute() and value.is_relative_to(ROOT):
        return value.relative_to(ROOT).as_posix()
    return str(value)


#: The settings table: every setting, its variable, its default as shown, and its meaning.
TABLE = {
    spec.name: Described(
        spec.name, PREFIX + spec.name.upper(), _shown(spec.default), spec.metadata["help"]
    )
    for spec in fields(Settings)
}


def describe() -> list[tuple[str, str, str]]:
    """(variable, default, meaning) for every setting."""
    return [(row.variable, row.default, row.meaning) for row in TABLE.values()]


def _convert(variable: str, kind: object, raw: str) -> object:
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
        raise InputError(f"{variable}={raw!r} is not a valid {kind}") from None
    return raw


def _not_settings(environ: Mapping[str, str]) -> list[str]:
    """A line for each ``VNPOLICY_*`` variable that is not a setting, naming the closest one."""
    known = {row.variable for row in TABLE.values()}
    suffixes = [variable.removeprefix(PREFIX) for variable in sorted(known)]
    lines = []
    for name in sorted(environ):
        if not name.upper().startswith(PREFIX) or name in known:
            continue
        close = difflib.get_close_matches(name.upper().removeprefix(PREFIX), suffixes, n=1)
        hint = f"did you mean {PREFIX}{close[0]}?" if close else "'vnpolicy settings' lists them."
        lines.append(f"{name} is not a setting; {hint}")
    return lines


def check_environment(environ: Mapping[str, str] | None = None) -> None:
    """Refuse ``VNPOLICY_*`` variables that are not settings (a typo would go unnoticed)."""
    unknown = _not_settings(os.environ if environ is None else environ)
    if unknown:
        raise InputError("\n".join(unknown))


def load_settings(environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
    """Settings from ``VNPOLICY_*`` variables, then ``overrides`` (None means: not given)."""
    environ = os.environ if environ is None else environ
    check_environment(environ)
    values: dict[str, object] = {}
    for spec in fields(Settings):
        variable = TABLE[spec.name].variable
        if variable in environ:
            values[spec.name] = _convert(variable, spec.type, environ[variable])
        if overrides.get(spec.name) is not None:
            values[spec.name] = overrides[spec.name]
    settings = Settings(**values)  # type: ignore[arg-type]
    try:
        check_base(settings.base)  # the one check of the base: every command reads it here
    except ValueError as error:
        raise InputError(str(error)) from error
    if (
        min(
            settings.query_timeout,
            settings.header_timeout,
            settings.max_rows,
            settings.max_body,
            settings.max_result_bytes,
            settings.worker_memory,
            settings.query_workers,
            settings.releases_kept,
        )
        <= 0
        or settings.cache_seconds < 0
        or settings.store_refresh <= 0
    ):
        raise InputError(
            "query_timeout, header_timeout, query_workers, max_rows, max_body, max_result_bytes, "
            "worker_memory, releases_kept and store_refresh must be positive, cache_seconds not "
            "negative"
        )
    if settings.public_url and not re.fullmatch(r"https?://[^/\s?#]+/", settings.public_url):
        raise InputError(
            f"{TABLE['public_url'].variable}={settings.public_url!r} must be an http(s) origin "
            "ending with '/', such as https://policy.example.org/"
        )
    for name in ("sparql_endpoint", "update_endpoint", "graph_store"):
        url = getattr(settings, name)
        if url and not url.startswith(("http://", "https://")):
            raise InputError(f"{TABLE[name].variable}={url!r} is not an http(s) URL")
    if (settings.update_endpoint or settings.graph_store) and not settings.sparql_endpoint:
        raise InputError("an update endpoint or graph store needs the store's SPARQL endpoint too")
    return settings
