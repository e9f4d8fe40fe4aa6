"""Dump downloads: the whole dataset as N-Quads and TriG, plain or gzipped, with validators.

Until the first write the dumps are the build's own files in ``out/``; after a write they are
re-dumped from the store (the published data changed). Compressed copies are made on first
request and kept in a temporary folder. Each answer carries an ``ETag`` (the inputs digest, the
write generation and the file) and ``Last-Modified``; conditional requests get ``304``.
"""

import gzip
import hashlib
import shutil
import time
from dataclasses import dataclass, replace
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from vnpolicy.graph.formats import BY_SUFFIX
from vnpolicy.graph.paths import NQUADS_DUMP, TRIG_DUMP
from vnpolicy.graph.read.void import Dump
from vnpolicy.graph.store import ReadableStore
from vnpolicy.server.errors import NotFound, quoted
from vnpolicy.server.http.methods import READ
from vnpolicy.server.http.scratch import scratch_folder

if TYPE_CHECKING:
    from vnpolicy.server.http.publisher import Publisher

#: Each dump file and its format (by the file's suffix, from the registry).
FORMATS = {name: BY_SUFFIX[name.rpartition(".")[2]] for name in (NQUADS_DUMP, TRIG_DUMP)}
NAMES = [name + suffix for name in FORMATS for suffix in ("", ".gz")]


@dataclass
class DumpFiles:
    out: Path
    store: ReadableStore
    digest: str
    generation: int = 0
    changed_at: float = 0.0
    #: Made from the store when downloaded, never the build's files (an external store holds
    #: the data); sizes and checksums are not worked out in advance, which would mean dumping
    #: the whole store for every catalogue request.
    on_request: bool = False

    def __post_init__(self) -> None:
        built = self.out / NQUADS_DUMP
        self.changed_at = built.stat().st_mtime if built.exists() else time.time()
        self._folder: Path | None = None
        self._described: tuple[int, list[Dump]] | None = None  # per write generation

    def changed(self) -> None:
        """The published data changed (a write): later downloads are dumped afresh."""
        self.generation += 1
        self.changed_at = time.time()

    def close(self) -> None:
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)

    @property
    def folder(self) -> Path:
        if self._folder is None:
            self._folder = scratch_folder("dumps")
        return self._folder

    def path(self, name: str) -> Path:
        """The file for download ``name``, made on first request."""
        if name not in NAMES:
            raise NotFound(f"No dump named {quoted(name)}; available: {', '.join(NAMES)}")
        plain = name.removesuffix(".gz")
        source = self.out / plain
        if self.generation or self.on_request or not source.is_file():
            source = self.folder / f"{self.generation}-{plain}"
            if not source.exists():
                self.store.dump(output=str(source), format=FORMATS[plain].engine)
        if not name.endswith(".gz"):
            return source
        target = self.folder / f"{self.generation}-{name}"
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

    def etag(self, name: str) -> str:
        return f'"{self.digest[:16]}-{self.generation}-{name}"'

    def describe(self, root: str) -> list[Dump]:
        """Every download with its size and checksum (worked out once per write generation)."""
        if self._described is not None and self._described[0] == self.generation:
            return [replace(dump, url=f"{root}dumps/{dump.name}") for dump in self._described[1]]
        found = []
        for name in NAMES:
            media_type = FORMATS[name.removesuffix(".gz")].media_type
            if self.on_request:
                url = f"{root}dumps/{name}"
                found.append(Dump(name, url, media_type, name.endswith(".gz"), None, None))
                continue
            path = self.path(name)
            digest = hashlib.sha256()
            with path.open("rb") as reader:
                for chunk in iter(lambda: reader.read(1 << 20), b""):
                    digest.update(chunk)
            found.append(
                Dump(
                    name,
                    f"{root}dumps/{name}",
                    media_type,
                    name.endswith(".gz"),
                    path.stat().st_size,
                    digest.hexdigest(),
                )
            )
        self._described = (self.generation, found)
        return found

    def response(self, request: Request, name: str) -> Response:
        path = self.path(name)
        etag = self.etag(name)
        modified = int(self.changed_at)
        headers = {
            "ETag": etag,
            "Last-Modified": formatdate(modified, usegmt=True),
            "Cache-Control": "no-cache",
        }
        if not_modified(request, etag, modified):
            return Response(status_code=304, headers=headers)
        plain = name.removesuffix(".gz")
        media_type = "application/gzip" if name.endswith(".gz") else FORMATS[plain].media_type
        return FileResponse(path, media_type=media_type, headers=headers, filename=name)


def not_modified(request: Request, etag: str, modified: int) -> bool:
    match = request.headers.get("if-none-match")
    if match is not None:
        return match.strip() == "*" or etag in [tag.strip() for tag in match.split(",")]
    since = request.headers.get("if-modified-since")
    if since:
        try:
            return modified <= parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError):
            return False
    return False


def add_routes(routes: APIRouter, publisher: "Publisher") -> None:
    """``/dumps/{name}``: the whole dataset."""

    @routes.api_route("/dumps/{name}", methods=READ, summary="The whole dataset as a download")
    async def dump(request: Request, name: str) -> Response:
        return await publisher.blocking(publisher.dumps.response, request, name)
