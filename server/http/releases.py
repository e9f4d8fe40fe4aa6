"""Releases, their dumps, the event stream and the change feeds (docs/decisions/0025).

Everything here is read from ``out/releases/`` (graph/read/releases.py): a handful of small JSON
records, re-read only when a build adds a release. A release's files never change, so they are
answered with long-lived, immutable cache lifetimes; what lists the releases (the series, the
stream's view, the feeds) changes with each build and is revalidated.
"""

import gzip
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import formatdate
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import APIRouter
from rdflib import Graph
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from vnpolicy.graph.formats import RDF_FORMATS, offers
from vnpolicy.graph.namespaces import VOCAB
from vnpolicy.graph.output.atom import MEDIA_TYPE as ATOM_MEDIA_TYPE
from vnpolicy.graph.output.atom import Feed, atom_feed
from vnpolicy.graph.output.releases import RELEASE_DUMPS
from vnpolicy.graph.read.release_graphs import (
    add_series,
    page_graph,
    release_record,
    stream_graph,
)
from vnpolicy.graph.read.releases import Archive, Change, Release
from vnpolicy.graph.uris import Minter
from vnpolicy.server.errors import NotFound, quoted
from vnpolicy.server.http.dumps import FORMATS as DUMP_FORMATS
from vnpolicy.server.http.dumps import not_modified
from vnpolicy.server.http.feed_links import FEED_KINDS
from vnpolicy.server.http.linked_data import graph_response
from vnpolicy.server.http.methods import READ
from vnpolicy.server.http.negotiation import negotiate
from vnpolicy.server.http.scratch import scratch_folder
from vnpolicy.server.http.urls import UrlSpace

if TYPE_CHECKING:
    from vnpolicy.server.http.publisher import Publisher

#: A release's files and pages never change: caches keep them for a year.
IMMUTABLE = "public, max-age=31536000, immutable"
#: What lists the releases changes with a build: caches ask again after a minute.
CHANGING = "public, max-age=60"
RDF_OFFERS = offers(RDF_FORMATS, aliases=False)
DUMP_NAMES = [name + suffix for name in RELEASE_DUMPS for suffix in ("", ".gz")]


class Releases:
    def __init__(self, out: Path, urls: UrlSpace, kept: int) -> None:
        self.archive = Archive(out)
        self.urls, self.kept = urls, kept
        self._folder: Path | None = None

    @property
    def root(self) -> str:
        return self.urls.public

    @property
    def dataset(self) -> Minter:
        return Minter(self.urls.base)

    def close(self) -> None:
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)

    def path_of(self, document: str) -> str:
        return self.urls.path_for(document) or "/resource/" + document

    def find(self, identifier: str) -> Release:
        found = self.archive.release(identifier)
        if found is None:
            kept = ", ".join(release.id for release in self.archive.releases()) or "none"
            raise NotFound(f"No release {quoted(identifier)} is kept; kept: {kept}")
        return found

    # ----------------------------------------------------------------- the series, a release

    def series_graph(self) -> Graph:
        graph = Graph()
        add_series(graph, self.archive.releases(), self.dataset.dataset, self.root)
        return graph

    def series(self, request: Request) -> Response:
        return self._rdf(request, self.series_graph(), CHANGING)

    def release(self, request: Request, identifier: str) -> Response:
        release = self.find(identifier)
        releases = self.archive.releases()
        position = releases.index(release)
        earlier = releases[position - 1] if position else None
        graph = release_record(release, earlier, self.dataset.dataset, self.root, self.path_of)
        return self._rdf(request, graph, IMMUTABLE)

    def dump(self, request: Request, release: Release, name: str) -> Response:
        plain = name.removesuffix(".gz")
        source = self.archive.file(release, plain)
        path = self._compressed(release, source) if name.endswith(".gz") else source
        etag = f'"{release.id}-{name}"'
        modified = int(release.time.timestamp())
        headers = {
            "ETag": etag,
            "Last-Modified": formatdate(modified, usegmt=True),
            "Cache-Control": IMMUTABLE,
        }
        if not_modified(request, etag, modified):
            return Response(status_code=304, headers=headers)
        media_type = "application/gzip" if name.endswith(".gz") else DUMP_FORMATS[plain].media_type
        return FileResponse(path, media_type=media_type, headers=headers, filename=name)

    def _compressed(self, release: Release, source: Path) -> Path:
        """The gzipped copy of a release's dump, made on first request (bounded: two per
        release kept)."""
        if self._folder is None:
            self._folder = scratch_folder("releases")
        target = self._folder / f"{release.id}-{source.name}.gz"
        if not target.exists():
            partial = target.with_suffix(".part")
            with (
                source.open("rb") as reader,
                partial.open("wb") as raw,
                gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as writer,
            ):
                shutil.copyfileobj(reader, writer, 1 << 20)
            partial.replace(target)
        return target

    # ----------------------------------------------------------------------------- the LDES

    def stream(self, request: Request) -> Response:
        graph = stream_graph(self.archive.releases(), self.root, self.kept)
        return self._rdf(request, graph, CHANGING)

    def page(self, request: Request, identifier: str) -> Response:
        releases = self.archive.releases()
        release = self.find(identifier)
        position = releases.index(release)
        graph = page_graph(releases, position, self.root, self.kept, self.path_of)
        # The oldest page also holds what pruned releases made: it changes when one is pruned.
        return self._rdf(request, graph, CHANGING if position == 0 else IMMUTABLE)

    def _rdf(self, request: Request, graph: Graph, cache: str) -> Response:
        offer = negotiate(
            RDF_OFFERS, request.headers.get("accept"), request.query_params.get("format")
        )
        return graph_response(graph, offer, {"Cache-Control": cache})

    # ---------------------------------------------------------------------------- the feeds

    def feed(self, request: Request, kind: str | None = None, code: str | None = None) -> Response:
        changes: list[Change] = self.archive.changes()
        title = "vnpolicy: documents added, changed or removed"
        path = "/feeds/changes.atom"
        if kind is not None and code is not None:
            if kind not in FEED_KINDS:
                raise NotFound(f"No feeds by {quoted(kind)}; by: {', '.join(FEED_KINDS)}")
            concept = f"{VOCAB}{FEED_KINDS[kind]}/{code}"
            field = "types" if kind == "type" else "issuers"
            changes = [change for change in changes if concept in getattr(change.version, field)]
            title += f" ({kind} {code})"
            path = f"/feeds/{kind}/{code}.atom"
        releases = self.archive.releases()
        updated = releases[-1].time if releases else datetime(1970, 1, 1, tzinfo=UTC)
        feed = Feed(self.urls.absolute(path), title, self.root, updated)
        body = atom_feed(feed, changes, lambda uri: self.urls.absolute(self.path_of(uri)))
        return Response(body, media_type=ATOM_MEDIA_TYPE, headers={"Cache-Control": CHANGING})


def add_routes(routes: APIRouter, publisher: "Publisher") -> None:
    """``/releases``, ``/ldes`` and ``/feeds``."""
    releases = publisher.releases

    def plain(path: str, summary: str, method: Callable[[Request], Response]) -> None:
        async def endpoint(request: Request) -> Response:
            return method(request)

        routes.add_api_route(path, endpoint, methods=READ, summary=summary)

    plain("/releases", "The releases kept, as a DCAT dataset series", releases.series)

    @routes.api_route(
        "/releases/{identifier}", methods=READ, summary="One release: VoID, DCAT, PROV record"
    )
    async def release(request: Request, identifier: str) -> Response:
        return releases.release(request, identifier)

    plain("/ldes", "The Linked Data Event Stream of document versions", releases.stream)
    plain("/ldes/pages", "The event stream's view: one page per release", releases.stream)

    @routes.api_route(
        "/ldes/pages/{identifier}", methods=READ, summary="One page of the event stream"
    )
    async def page(request: Request, identifier: str) -> Response:
        return releases.page(request, identifier)

    plain("/feeds/changes.atom", "Atom feed of the documents releases changed", releases.feed)

    @routes.api_route(
        "/feeds/{kind}/{code}.atom",
        methods=READ,
        summary="Atom feed of changes to documents of one type or issuer",
    )
    async def feed(request: Request, kind: str, code: str) -> Response:
        return releases.feed(request, kind, code)
