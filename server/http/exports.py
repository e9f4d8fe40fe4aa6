"""Network exports over HTTP: ``GET /export/{view}.{extension}`` and ``POST /export`` for a
CONSTRUCT query of one's own. Both are made by the query workers, under the endpoint's time,
memory and size limits: the server itself computes no metric. A view's files (every format at
once: its metrics are the costly part) are kept on disk until the data changes, and sent from
there."""

import asyncio
import json
import shutil
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from vnpolicy.graph.formats import Form
from vnpolicy.graph.network.catalog import (
    BY_EXTENSION,
    FORMAT_INFO,
    VIEWS,
    FormatInfo,
    parse_export_name,
)
from vnpolicy.server.errors import BadRequest, NotFound, quoted
from vnpolicy.server.http import openapi, sparql
from vnpolicy.server.http.methods import READ
from vnpolicy.server.http.negotiation import choose_language
from vnpolicy.server.http.replies import client_of, from_worker, streamed
from vnpolicy.server.http.scratch import scratch_folder
from vnpolicy.server.http.urls import UrlSpace
from vnpolicy.server.runtime.jobs import CustomExport, Query, ViewExport
from vnpolicy.server.runtime.protocol import QueryRuntime
from vnpolicy.server.settings import Settings

if TYPE_CHECKING:
    from vnpolicy.server.http.publisher import Publisher

_VARY = ("Accept-Language",)


@dataclass(frozen=True)
class _Made:
    """A view's files, one per format, and the counts the answers carry."""

    folder: Path
    headers: dict[str, str]
    tags: dict[str, str]  #: each file's entity tag, by format


class Exports:
    def __init__(self, settings: Settings, runtime: QueryRuntime, urls: UrlSpace) -> None:
        self.settings, self.runtime, self.urls = settings, runtime, urls
        self._generation = 0
        self._made: dict[tuple[int, str, str, bool], _Made] = {}
        self._making: dict[tuple[int, str, str, bool], asyncio.Future[_Made]] = {}
        self._root: Path | None = None

    def refresh(self) -> None:
        """Forget the exports made so far: called as a write starts to land and once it has."""
        self._generation += 1
        for made in self._made.values():
            shutil.rmtree(made.folder, ignore_errors=True)
        self._made.clear()

    def close(self) -> None:
        if self._root is not None:
            shutil.rmtree(self._root, ignore_errors=True)

    @property
    def root(self) -> Path:
        if self._root is None:
            self._root = scratch_folder("exports")
        return self._root

    async def download(self, request: Request, name: str) -> Response:
        found = parse_export_name(name)
        if found is None:
            views = ", ".join(VIEWS)
            extensions = ", ".join(BY_EXTENSION)
            raise NotFound(
                f"No export {quoted(name)}: ask for VIEW.EXTENSION, views {views}; extensions "
                f"{extensions}",
            )
        view, info = found
        language, compound = self._options(request)
        made = await self._view(request, view, language, compound)
        headers = {
            **made.headers,
            **_attachment(info, f"vnpolicy-{view}"),
            "Vary": _VARY[0],
            "ETag": made.tags[info.name],
        }
        return FileResponse(made.folder / info.name, media_type=_type(info), headers=headers)

    async def _view(self, request: Request, view: str, language: str, compound: bool) -> _Made:
        """The view's files, made by a worker once per write generation (made again when a
        write landed while they were made: no export mixes data from before and after it);
        requests for a view being made wait for it."""
        while True:
            key = (self._generation, view, language, compound)
            if key in self._made:
                return self._made[key]
            making = self._making.get(key)
            if making is None:
                making = asyncio.ensure_future(self._make(request, key))
                self._making[key] = making
                making.add_done_callback(partial(self._made_or_failed, key))
            made = await asyncio.shield(making)
            if key[0] == self._generation:
                self._made[key] = made
                return made
            shutil.rmtree(made.folder, ignore_errors=True)

    def _made_or_failed(self, key: tuple[int, str, str, bool], _: "asyncio.Future[_Made]") -> None:
        self._making.pop(key, None)

    async def _make(self, request: Request, key: tuple[int, str, str, bool]) -> _Made:
        generation, view, language, compound = key
        folder = self.root / f"{generation}-{view}-{language}-{int(compound)}"
        job = ViewExport(view, language, compound, folder)
        reply = await self.runtime.export(job, client_of(request))
        return _Made(folder, reply.headers, json.loads(reply.head))

    async def custom(self, request: Request) -> Response:
        """A CONSTRUCT query (form field ``query`` or an ``application/sparql-query`` body) as a
        network; ``format`` (URL or form) names the network format, ``lang`` the language."""
        asked = await sparql.parse_query_request(request, self.settings)
        if asked is None:
            raise BadRequest("POST a CONSTRUCT query (form field 'query' or the body)")
        name = asked.format or "graphml"
        if name not in FORMAT_INFO:
            raise BadRequest(
                f"Unknown format {quoted(name)}; choose one of {', '.join(FORMAT_INFO)}"
            )
        not_a_graph = BadRequest("A custom network needs a CONSTRUCT or DESCRIBE query")
        graph_only = sparql.choices(
            None, "nt", refused={Form.SELECT: not_a_graph, Form.ASK: not_a_graph}
        )
        language, compound = self._options(request)
        query = Query(asked.request, graph_only, self.urls.absolute("/sparql"))
        job = CustomExport(query, name, language, compound)
        reply = await from_worker(request, self.runtime.export(job, client_of(request)))
        return streamed(
            reply, vary=_VARY, headers=_attachment(FORMAT_INFO[name], "vnpolicy-custom")
        )

    def _options(self, request: Request) -> tuple[str, bool]:
        lang = request.query_params.get("lang")
        if lang is not None and lang not in ("en", "vi"):
            raise BadRequest(f"lang={quoted(lang)}: choose en or vi")
        language = choose_language(request.headers.get("accept-language"), lang)
        return language, request.query_params.get("compound") in ("1", "true", "yes")


def _attachment(info: FormatInfo, stem: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{stem}.{info.extension}"'}


def _type(info: FormatInfo) -> str:
    from vnpolicy.server.http.negotiation import content_type

    return content_type(info.media_type)


def add_routes(routes: APIRouter, publisher: "Publisher") -> None:
    """The network exports: ``/export/{view}.{extension}`` and ``POST /export``."""
    exports = publisher.exports

    @routes.api_route(
        "/export/{name}",
        methods=READ,
        summary="A view as a network file",
        openapi_extra=openapi.EXPORT,
    )
    async def export(request: Request, name: str) -> Response:
        return await exports.download(request, name)

    @routes.post(
        "/export",
        summary="A CONSTRUCT query's graph as a network file",
        openapi_extra=openapi.CUSTOM_EXPORT,
    )
    async def export_custom(request: Request) -> Response:
        return await exports.custom(request)
