"""Memento (RFC 7089) across releases for the documents' descriptions.

- ``/releases/{id}/eli/…``: a memento, the document's Turtle as the release ``id`` first held
  it (``Memento-Datetime``: that release's time); ``/releases/{id}/vnpolicy.nq`` and the other
  dumps of the release are answered here too;
- ``/timegate/eli/…``: the TimeGate, ``Accept-Datetime`` → ``302`` to the memento of that time;
- ``/timemap/eli/…``: the TimeMap in ``application/link-format``.

The original resource is the document's description on this server (``/eli/…``).
"""

from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import TYPE_CHECKING

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response

from vnpolicy.graph.formats import BY_SUFFIX, offers
from vnpolicy.graph.read.release_graphs import version_uri
from vnpolicy.graph.read.releases import DocumentVersion, Release
from vnpolicy.server.errors import BadRequest, NotFound, quoted
from vnpolicy.server.http.methods import READ
from vnpolicy.server.http.negotiation import negotiate
from vnpolicy.server.http.releases import DUMP_NAMES, IMMUTABLE, Releases

if TYPE_CHECKING:
    from vnpolicy.server.http.publisher import Publisher

LINK_FORMAT = "application/link-format"
TURTLE_OFFERS = offers([BY_SUFFIX["ttl"]], aliases=False)


def http_date(moment: datetime) -> str:
    return format_datetime(moment, usegmt=True)


class Memento:
    def __init__(self, releases: Releases) -> None:
        self.releases = releases
        self.urls = releases.urls
        self._held_by: tuple[list[Release], set[str]] | None = None

    def _held(self) -> set[str]:
        releases = self.releases.archive.releases()
        if self._held_by is None or self._held_by[0] is not releases:
            self._held_by = (releases, {uri for release in releases for uri in release.documents})
        return self._held_by[1]

    def timegate_url(self, uri: str) -> str | None:
        """The TimeGate of ``uri``'s description, when a release kept holds it."""
        if uri not in self._held():
            return None
        return self.urls.absolute("/timegate" + self.releases.path_of(uri))

    def _document(self, path: str) -> str:
        """The URI of the document a path names, if some release kept holds it."""
        candidates = self.urls.uris_for("/" + path.strip("/"))
        held = self._held()
        for uri in candidates:
            if uri in held:
                return uri
        raise NotFound(f"No release kept holds a document at /{quoted(path.strip('/'))}")

    def _versions(self, document: str) -> list[tuple[str, DocumentVersion]]:
        """(memento URL, version) of every version the releases kept hold, oldest first."""
        return [
            (self._memento_url(version), version)
            for _, version in self.releases.archive.versions(document)
        ]

    def _memento_url(self, version: DocumentVersion) -> str:
        return str(
            version_uri(
                self.urls.public, version.since_release, version.document, self.releases.path_of
            )
        )

    def _links(self, document: str) -> list[str]:
        path = self.releases.path_of(document)
        return [
            f'<{self.urls.absolute(path)}>; rel="original"',
            f'<{self.urls.absolute("/timegate" + path)}>; rel="timegate"',
            f'<{self.urls.absolute("/timemap" + path)}>; rel="timemap"; type="{LINK_FORMAT}"',
        ]

    # ----------------------------------------------------------------------------- answers

    def release_file(self, request: Request, identifier: str, rest: str) -> Response:
        """A release's dump, or the memento of a document's description."""
        if rest in DUMP_NAMES:
            return self.releases.dump(request, self.releases.find(identifier), rest)
        document = self._document(rest)
        version = self._version_made_by(identifier, document)
        negotiate(TURTLE_OFFERS, request.headers.get("accept"), request.query_params.get("format"))
        headers = {
            "Memento-Datetime": http_date(version.since),
            "Link": ", ".join(self._links(document)),
            "Cache-Control": IMMUTABLE,
            "Vary": "Accept",
        }
        path = self.releases.archive.version_file(version)
        return FileResponse(path, media_type="text/turtle; charset=utf-8", headers=headers)

    def _version_made_by(self, identifier: str, document: str) -> DocumentVersion:
        """The version of ``document`` that release ``identifier`` made, or held if kept."""
        for release in self.releases.archive.releases():
            version = release.documents.get(document)
            if version is not None and identifier in (release.id, version.since_release):
                return version
        raise NotFound(
            f"No version of {quoted(document)} made by release {quoted(identifier)} is kept"
        )

    def timegate(self, request: Request, path: str) -> Response:
        document = self._document(path)
        versions = self._versions(document)
        raw = request.headers.get("accept-datetime")
        chosen = versions[-1]
        if raw is not None:
            try:
                wanted = parsedate_to_datetime(raw)
            except (TypeError, ValueError):
                wanted = None
            if wanted is None or wanted.tzinfo is None:
                raise BadRequest(
                    f"Accept-Datetime {quoted(raw)} is not an HTTP date "
                    "(such as 'Thu, 01 Jan 2026 00:00:00 GMT')"
                )
            earlier = [pair for pair in versions if pair[1].since <= wanted]
            chosen = earlier[-1] if earlier else versions[0]
        links = self._links(document)
        links.append(f'<{chosen[0]}>; rel="memento"; datetime="{http_date(chosen[1].since)}"')
        return RedirectResponse(
            chosen[0],
            302,
            {"Vary": "accept-datetime", "Link": ", ".join(links), "Cache-Control": "no-cache"},
        )

    def timemap(self, request: Request, path: str) -> Response:
        document = self._document(path)
        versions = self._versions(document)
        original = self.releases.path_of(document)
        self_url = self.urls.absolute("/timemap" + original)
        lines = [
            f'<{self.urls.absolute(original)}>; rel="original"',
            f'<{self_url}>; rel="self"; type="{LINK_FORMAT}"; '
            f'from="{http_date(versions[0][1].since)}"; until="{http_date(versions[-1][1].since)}"',
            f'<{self.urls.absolute("/timegate" + original)}>; rel="timegate"',
        ]
        for position, (url, version) in enumerate(versions):
            relation = ["memento"]
            if position == 0:
                relation.insert(0, "first")
            if position == len(versions) - 1:
                relation.insert(0, "last")
            lines.append(
                f'<{url}>; rel="{" ".join(relation)}"; datetime="{http_date(version.since)}"'
            )
        return Response(",\n".join(lines) + "\n", media_type=LINK_FORMAT)


def add_routes(routes: APIRouter, publisher: "Publisher") -> None:
    """A release's files and mementos, TimeGates and TimeMaps."""
    memento = publisher.memento

    @routes.api_route(
        "/releases/{identifier}/{rest:path}",
        methods=READ,
        summary="A release's dump, or a document's description as the release held it",
    )
    async def release_file(request: Request, identifier: str, rest: str) -> Response:
        # A dump's gzipped copy is made on its first request: in a thread, not the event loop.
        return await run_in_threadpool(memento.release_file, request, identifier, rest)

    @routes.api_route("/timegate/{path:path}", methods=READ, summary="Memento TimeGate")
    async def timegate(request: Request, path: str) -> Response:
        return memento.timegate(request, path)

    @routes.api_route("/timemap/{path:path}", methods=READ, summary="Memento TimeMap")
    async def timemap(request: Request, path: str) -> Response:
        return memento.timemap(request, path)
