"""The pages and files around the data: home page, query page, VoID and DCAT, sitemap, robots.

What they show is computed from the store once and again after each write (``refresh``).
"""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from fastapi import APIRouter
from pyoxigraph import QuerySolutions
from rdflib import Graph
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from vnpolicy.graph.formats import HTML, RDF_FORMATS, Form, answer_formats
from vnpolicy.graph.namespaces import VOCAB
from vnpolicy.graph.network.catalog import FORMAT_INFO, VIEW_TITLES, VIEWS, export_path
from vnpolicy.graph.read.overview import Overview, overview
from vnpolicy.graph.read.query import catalogue
from vnpolicy.graph.read.void import dataset_description, root_resource
from vnpolicy.graph.store import ReadableStore
from vnpolicy.server.errors import NotFound
from vnpolicy.server.http.browse import SORT_TITLES, Browse
from vnpolicy.server.http.dumps import DumpFiles
from vnpolicy.server.http.favicon import favicon_ico
from vnpolicy.server.http.linked_data import graph_response, negotiate_resource, page_context
from vnpolicy.server.http.methods import READ
from vnpolicy.server.http.negotiation import answer, see_other
from vnpolicy.server.http.pages import Namer, PageContext
from vnpolicy.server.http.releases import Releases
from vnpolicy.server.http.urls import UrlSpace, sparql_url
from vnpolicy.server.runtime.query import query_form

if TYPE_CHECKING:
    from vnpolicy.server.http.publisher import Publisher

SITEMAP_LIMIT = 50_000
DEFAULT_QUERY = """SELECT ?document ?number WHERE {
  ?document a vnp:Document ; vnp:officialNumber ?number .
} ORDER BY ?number"""
#: The query page's downloads: (form, format= name, label) of every format /sparql answers in.
_DOWNLOADS = [
    (form.value, written_as.names[0], written_as.label)
    for form in (Form.SELECT, Form.GRAPH)
    for written_as in answer_formats(form)
]
_SCHEMES = ("pillar", "domain", "document-type", "body", "relation-type", "certainty")
#: The home page's network section in Vietnamese (graph/network/catalog.py has the English).
VIEW_TITLES_VI = {
    "documents": "các văn bản và quan hệ giữa chúng",
    "policy-map": "Nghị quyết 57-NQ/TW, các phần nội dung, trụ cột và những phần thực hiện nó",
    "full": "mọi tài nguyên và mọi liên kết giữa các tài nguyên",
    "tracker": "theo dõi thực hiện: văn bản nào thực hiện từng nhiệm vụ, mục tiêu và chỉ tiêu",
}
FORMAT_TITLES_VI = {
    "d3": "JSON nút và liên kết cho D3",
    "nodes-csv": "bảng nút CSV",
    "edges-csv": "bảng cạnh CSV",
}


class Site:
    def __init__(
        self,
        store: ReadableStore,
        urls: UrlSpace,
        dumps: DumpFiles,
        browse: Browse,
        releases: Releases | None = None,
    ) -> None:
        self.store, self.urls, self.dumps, self.browse = store, urls, dumps, browse
        self.releases = releases
        self._overview: Overview | None = None
        self._description: Graph | None = None
        self._pages: list[str] | None = None  #: the sitemap's pages, made once per write
        self._catalogue = catalogue()

    def refresh(self) -> None:
        """Forget what was computed from the store (after a write)."""
        self._overview = None
        self._description = None
        self._pages = None

    @property
    def overview(self) -> Overview:
        if self._overview is None:
            self._overview = overview(self.store)
        return self._overview

    @property
    def root(self) -> str:
        """The server's public URL (never the request's ``Host``)."""
        return self.urls.public

    def context(self, request: Request) -> PageContext:
        return page_context(request, self.urls)

    def home(self, request: Request) -> Response:
        context = self.context(request)
        facts = self.overview
        class_counts = dict(facts.classes)
        scheme_uris = [f"{VOCAB}{scheme}" for scheme in _SCHEMES]
        name = Namer(self.store, context, scheme_uris)
        vnp = "https://w3id.org/vnpolicy/ontology#"
        highlights = [
            (context.t(english, vietnamese), class_counts.get(vnp + local, 0))
            for local, english, vietnamese in (
                ("GuidingViewpoint", "guiding viewpoints", "quan điểm chỉ đạo"),
                ("Target", "targets", "chỉ tiêu"),
                ("Task", "tasks", "nhiệm vụ"),
                ("DocumentRelation", "relations with sources", "quan hệ có nguồn"),
            )
        ]
        sort = request.query_params.get("sort", "date")
        documents, document_count = self.browse.home_rows(context, sort)
        sorts = [
            {"title": context.t(*titles), "href": context.with_params(sort=key),
             "current": key == sort}
            for key, titles in SORT_TITLES.items()
        ]  # fmt: skip
        body = context.render(
            "home.html",
            title=context.t(
                "Vietnam's innovation policy as linked data",
                "Chính sách đổi mới sáng tạo của Việt Nam dưới dạng dữ liệu liên kết",
            ),
            alternates=[],
            overview=facts,
            highlights=highlights,
            documents=documents,
            document_count=document_count,
            sorts=sorts,
            schemes=[name(uri) for uri in scheme_uris],
            dumps=self.dumps.describe(self.root),
            root_resource=self.urls.page(root_resource(self.urls.base)),
            networks=[
                {
                    "view": view,
                    "title": VIEW_TITLES_VI[view] if context.lang == "vi" else VIEW_TITLES[view],
                    "files": [
                        (
                            FORMAT_TITLES_VI.get(info.name, info.title)
                            if context.lang == "vi"
                            else info.title,
                            export_path(view, info.name) + f"?lang={context.lang}",
                        )
                        for info in FORMAT_INFO.values()
                    ],
                }
                for view in VIEWS
            ],
        )
        return answer(body, HTML.media_type, vary=("Accept-Language",))

    def query_page(self, request: Request) -> Response:
        context = self.context(request)
        query = request.query_params.get("query") or DEFAULT_QUERY
        body = context.render(
            "query.html",
            title=context.t("Query", "Truy vấn"),
            alternates=[],
            query=query,
            # Links that work without JavaScript: the editor's first query in each format
            # (query.js keeps them in step with the editor).
            downloads=[
                (form, name, label, sparql_url(query, name)) for form, name, label in _DOWNLOADS
            ],
            # The links of the other form's formats stay hidden until the editor's query is one
            # (a SELECT's Turtle link would answer 406).
            shown_form="graph" if query_form(query) is Form.GRAPH else "select",
            catalogue=self._catalogue,
            bases=self.urls.bases,
        )
        return answer(body, HTML.media_type, vary=("Accept-Language",))

    def explorer(self, request: Request) -> Response:
        context = self.context(request)
        body = context.render(
            "explore.html",
            title=context.t("Graph explorer", "Trình khám phá đồ thị"),
            alternates=[],
            bases=self.urls.bases,
        )
        return answer(body, HTML.media_type, vary=("Accept-Language",))

    def description_graph(self) -> Graph:
        if self._description is None:
            modified = datetime.fromtimestamp(self.dumps.changed_at, UTC).isoformat(
                timespec="seconds"
            )
            root = self.root
            self._description = dataset_description(
                self.overview, self.urls.base, root, self.dumps.describe(root), modified
            )
        if self.releases is not None:
            # The releases change with a build, not with a write: added on every request
            # (a handful of small records, read again only when a build adds a release).
            return self._description + self.releases.series_graph()
        return self._description

    def void(self, request: Request) -> Response:
        """The VoID and DCAT description; a browser is sent to the home page, which shows it."""
        offer = negotiate_resource(request)
        if offer.media_type == "text/html":
            return see_other("/")
        headers = {"Link": _alternates(request.url.path)}
        return graph_response(self.description_graph(), offer, headers)

    def _resources(self) -> list[str]:
        """Every URI of our space the dataset describes, plus its named graphs."""
        subjects = self.store.query(
            "SELECT DISTINCT ?s WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?s)) }"
        )
        assert isinstance(subjects, QuerySolutions)
        found = {row["s"].value.split("#", 1)[0] for row in subjects}
        found.update(g.value for g in self.store.named_graphs())
        return sorted(uri for uri in found if self.urls.path_for(uri))

    def sitemap(self, request: Request) -> Response:
        root = self.root.rstrip("/")
        if self._pages is None:
            resources = [self.urls.path_for(uri) or "" for uri in self._resources()]
            self._pages = ["/", "/query", "/ontology", *self.browse.pages()]
            self._pages += [f"/query/{query.name}" for query in self._catalogue]
            self._pages += [page for page in resources if page != "/ontology"]
        pages = self._pages
        raw_part = request.query_params.get("part")
        if len(pages) > SITEMAP_LIMIT and raw_part is None:
            parts = -(-len(pages) // SITEMAP_LIMIT)
            entries = "".join(
                f"<sitemap><loc>{escape(root)}/sitemap.xml?part={n}</loc></sitemap>"
                for n in range(1, parts + 1)
            )
            xml = f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>'
        else:
            part = int(raw_part) if raw_part and raw_part.isdigit() else 1
            chosen = pages[(part - 1) * SITEMAP_LIMIT : part * SITEMAP_LIMIT]
            if not chosen:
                raise NotFound(f"The sitemap has no part {raw_part}")
            entries = "".join(f"<url><loc>{escape(root + page)}</loc></url>" for page in chosen)
            xml = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
        return Response(
            '<?xml version="1.0" encoding="UTF-8"?>\n' + xml + "\n",
            media_type="application/xml",
        )

    def robots(self, request: Request) -> Response:
        lines = [
            "User-agent: *",
            "Disallow: /sparql",
            "Disallow: /update",
            "Disallow: /store",
            "Disallow: /api/",
            "Allow: /",
            f"Sitemap: {self.root}sitemap.xml",
        ]
        return PlainTextResponse("\n".join(lines) + "\n")

    def favicon(self, request: Request) -> Response:
        return Response(
            favicon_ico(),
            media_type="image/x-icon",
            headers={"Cache-Control": "public, max-age=86400"},
        )


def _alternates(path: str) -> str:
    return ", ".join(
        f'<{path}?format={written_as.suffix}>; rel="alternate"; type="{written_as.media_type}"'
        for written_as in RDF_FORMATS
    )


def add_routes(routes: APIRouter, publisher: "Publisher") -> None:
    """The pages and files around the data, each answered by one method of ``Site``."""
    site = publisher.site
    answered_by: list[tuple[str, str, Callable[[Request], Response], bool]] = [
        ("/", "Home page", site.home, False),
        ("/query", "The query page (SPARQL editor)", site.query_page, True),
        ("/explore", "The graph explorer page", site.explorer, True),
        ("/.well-known/void", "VoID and DCAT description", site.void, True),
        ("/catalog", "DCAT 3 catalogue (same description)", site.void, True),
        ("/sitemap.xml", "Sitemap of every resource page", site.sitemap, True),
        ("/robots.txt", "Crawlers' rules", site.robots, False),
        ("/favicon.ico", "The site's icon", site.favicon, False),
    ]
    for path, summary, method, described in answered_by:
        routes.add_api_route(
            path,
            _endpoint(publisher, method),
            methods=READ,
            summary=summary,
            include_in_schema=described,
        )


def _endpoint(
    publisher: "Publisher", method: Callable[[Request], Response]
) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        return await publisher.blocking(method, request)

    return endpoint
