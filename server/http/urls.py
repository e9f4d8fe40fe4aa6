"""URLs, in one place: how the server's own URL space maps onto the canonical URIs of the data.

The data names things under a canonical base (``https://w3id.org/vnpolicy/`` by default) and the
model under the fixed ``https://w3id.org/vnpolicy/``; the server answers for both at its root, so
``/eli/vn/tw/nq/2024/57`` is ``https://w3id.org/vnpolicy/eli/vn/tw/nq/2024/57`` wherever the
server runs. A URI outside these spaces (an ELI term, a news page cited as a source) is shown at
``/resource?uri=…``. Each description has one URL per format: the resource path plus a suffix.
"""

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from vnpolicy.graph.uris import Minter

MODEL_BASE = "https://w3id.org/vnpolicy/"
#: Paths the application routes itself; no minted URI starts with these.
RESERVED = (
    "sparql", "update", "store", "query", "resource", "static", "dumps", "catalog",
    ".well-known", "sitemap.xml", "robots.txt", "favicon.ico", "export", "explore", "docs",
    "openapi.json", "browse", "api", "search", "opensearch.xml", "tracker", "releases", "ldes",
    "feeds", "timegate", "timemap",
)  # fmt: skip


@dataclass(frozen=True)
class UrlSpace:
    base: str  # the canonical base of instance data
    #: Where this server is reached (``VNPOLICY_PUBLIC_URL``): every absolute URL it writes
    #: starts here, whatever ``Host`` a request names.
    public: str = "http://127.0.0.1:8000/"

    def absolute(self, path: str) -> str:
        """The public URL of one of the server's own paths (``/sparql``)."""
        return self.public + path.lstrip("/")

    @property
    def bases(self) -> tuple[str, ...]:
        return (self.base,) if self.base == MODEL_BASE else (self.base, MODEL_BASE)

    def uris_for(self, path: str) -> list[str]:
        """The URIs a local path (``/eli/…``, no suffix) may stand for, likeliest first."""
        relative = path.lstrip("/")
        return [str(Minter(base).resource(relative)) for base in self.bases]

    def path_for(self, uri: str) -> str | None:
        """The local path of a URI in our space (a fragment is kept), else None."""
        for base in self.bases:
            if uri.startswith(base) and len(uri) > len(base):
                rest = uri[len(base) :]
                # "//host/…" would be a link to another site (a protocol-relative URL).
                if rest.startswith("/") or "\\" in rest:
                    return None
                if rest.split("/", 1)[0].split("#", 1)[0] not in RESERVED:
                    return "/" + rest
        return None

    def page(self, uri: str) -> str:
        """Where a reader follows ``uri``: its own path, or the page for outside URIs."""
        return self.path_for(uri) or "/resource?" + urlencode({"uri": uri})

    def representation(self, uri: str, suffix: str, query: str = "") -> str:
        """The URL of one format of the description of ``uri``."""
        path = self.path_for(uri)
        if path is None:
            params = {"uri": uri, "format": suffix}
            url = "/resource?" + urlencode(params)
            return url + ("&" + query if query else "")
        document = path.partition("#")[0]
        return f"{quote(document)}.{suffix}" + (f"?{query}" if query else "")


def query_page(query: str) -> str:
    """The query page with ``query`` in its editor."""
    return "/query?" + urlencode({"query": query})


def sparql_url(query: str, format_name: str | None = None) -> str:
    params = {"query": query}
    if format_name:
        params["format"] = format_name
    return "/sparql?" + urlencode(params)
