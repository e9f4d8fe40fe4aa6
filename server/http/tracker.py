"""``/tracker``: the implementation tracker of Resolution 57-NQ/TW, as a page, JSON or CSV.

The tracker is the catalogue's tracker query (``graph/queries/18-tracker.rq``), run by a query
worker under the endpoint's limits like any other query. JSON (SPARQL results JSON, also served
for ``application/json``) and CSV are the worker's answer, streamed as it writes them; the page
is made from the same answer read as JSON, grouped by ``graph/read/tracker.py``.
"""

import json
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from vnpolicy.graph.formats import BY_MEDIA_TYPE, HTML, Form, offers
from vnpolicy.graph.namespaces import VOCAB
from vnpolicy.graph.read.tracker import PILLARS, Tracker, tracker_from_rows, tracker_query
from vnpolicy.graph.uris import DEFAULT_BASE
from vnpolicy.server.errors import Problem
from vnpolicy.server.http import openapi
from vnpolicy.server.http.linked_data import page_context
from vnpolicy.server.http.methods import READ
from vnpolicy.server.http.negotiation import answer, negotiate
from vnpolicy.server.http.pages import Alternate, Namer
from vnpolicy.server.http.replies import client_of, from_worker, streamed
from vnpolicy.server.runtime.protocol import Reply
from vnpolicy.server.runtime.query import Choices, QueryRequest

if TYPE_CHECKING:
    from vnpolicy.server.http.publisher import Publisher

PATH = "/tracker"
RESULTS_JSON = BY_MEDIA_TYPE["application/sparql-results+json"]
CSV = BY_MEDIA_TYPE["text/csv"]
#: What /tracker answers in, in the server's order of preference.
OFFERS = offers((HTML, RESULTS_JSON, CSV))
_RELATION_TYPES = ("implements", "based-on", "institutionalises", "operationalises",
                   "contributes-to")  # fmt: skip
_CERTAINTIES = ("multiple-sources", "single-source", "uncertain")


async def _whole(reply: Reply) -> bytes:
    """The worker's whole answer (bounded by the endpoint's byte limit)."""
    if reply.rest is None:
        return reply.head
    chunks = [reply.head]
    async for chunk in reply.rest:
        chunks.append(chunk)
    return b"".join(chunks)


def rows_of(results: bytes) -> list[dict[str, str]]:
    """SPARQL results JSON as rows: every variable's value, "" where it is unbound."""
    data = json.loads(results)
    variables = data["head"]["vars"]
    return [
        {name: binding.get(name, {}).get("value", "") for name in variables}
        for binding in data["results"]["bindings"]
    ]


def _named(tracker: Tracker) -> list[str]:
    """The URIs the page names: concepts, and the documents that implement or lie between."""
    documents = {
        uri
        for document in tracker.documents
        for item in (document.whole, *document.items)
        for link in item.links
        for uri in (link.implementer, link.via_document)
        if uri
    }
    return [
        *sorted(documents),
        *(document.whole.uri for document in tracker.documents),
        *(f"{VOCAB}pillar/{pillar}" for pillar in PILLARS),
        *(f"{VOCAB}relation-type/{kind}" for kind in _RELATION_TYPES),
        *(f"{VOCAB}certainty/{level}" for level in _CERTAINTIES),
    ]


def add_routes(routes: APIRouter, publisher: "Publisher") -> None:
    """``/tracker`` in three formats, negotiated by ``Accept`` or ``?format=html|json|csv``."""
    # The query names the tracked documents under the default base; a server with another
    # base names them under its own (the vocabularies keep theirs).
    query = tracker_query().replace(f"{DEFAULT_BASE}eli/", f"{publisher.urls.base}eli/")
    summary = "The implementation tracker of Resolution 57-NQ/TW (HTML, JSON or CSV)"

    async def run(request: Request, media_type: str) -> Reply:
        choices = Choices({Form.SELECT: media_type}, {})
        endpoint = publisher.urls.absolute("/sparql")
        work = publisher.runtime.run(QueryRequest(query), choices, endpoint, client_of(request))
        return await from_worker(request, work)

    def page(request: Request, tracker: Tracker) -> Response:
        context = page_context(request, publisher.urls)
        name = Namer(publisher.store, context, _named(tracker))
        alternates = [
            Alternate(offer.media_type, f"{PATH}?format={offer.names[0]}", offer.format.label)
            for offer in OFFERS[1:]
            if offer.names
        ]
        body = context.render(
            "tracker.html",
            title=context.t("Implementation tracker", "Theo dõi triển khai"),
            alternates=alternates,
            tracker=tracker,
            pillars=PILLARS,
            concept=lambda scheme, key: name(f"{VOCAB}{scheme}/{key}"),
            name=name,
            host=lambda uri: (urlsplit(uri).hostname or uri).removeprefix("www."),
        )
        links = ", ".join(f'<{a.href}>; rel="alternate"; type="{a.media_type}"' for a in alternates)
        return answer(
            body, HTML.media_type, vary=("Accept", "Accept-Language"), headers={"Link": links}
        )

    @routes.api_route(PATH, methods=READ, summary=summary, openapi_extra=openapi.TRACKER)
    async def tracker(request: Request) -> Response:
        offer = negotiate(OFFERS, request.headers.get("accept"), request.query_params.get("format"))
        if offer.format is not HTML:
            reply = await run(request, offer.media_type)
            return streamed(reply, headers={"Content-Disposition": _disposition(offer.format)})
        reply = await run(request, RESULTS_JSON.media_type)
        try:
            rows = rows_of(await _whole(reply))
        except (ValueError, KeyError) as error:  # our own query's answer: a failure of ours
            raise Problem(f"The tracker query gave an unreadable answer: {error}") from error
        tracker = tracker_from_rows(rows, publisher.urls.base)
        return await publisher.blocking(page, request, tracker)


def _disposition(written_as: object) -> str:
    suffix = "csv" if written_as is CSV else "json"
    return f'inline; filename="tracker.{suffix}"'
