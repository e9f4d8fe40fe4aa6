"""``GET /health``: the server answers, and how many query workers it has — what a load
balancer's health check and the tests wait on (never cached, never asks a worker)."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from fastapi import APIRouter
from starlette.responses import Response

from vnpolicy.server.http.methods import READ
from vnpolicy.server.runtime.protocol import PoolHealth

if TYPE_CHECKING:
    from vnpolicy.server.http.publisher import Publisher


@dataclass(frozen=True)
class Health:
    """The body of ``GET /health``: the server answers; "degraded" while fewer query workers
    than configured are up (one stopped past the time limit is being replaced)."""

    status: Literal["ok", "degraded"]
    workers: PoolHealth


def add_routes(routes: APIRouter, publisher: "Publisher") -> None:
    @routes.api_route("/health", methods=READ, summary="Liveness and the query workers' counts")
    async def health(response: Response) -> Health:
        workers = publisher.runtime.health()
        response.headers["Cache-Control"] = "no-store"  # a state, not a document to keep
        return Health("ok" if workers.whole else "degraded", workers)
