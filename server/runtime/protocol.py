"""What the HTTP side needs of the store runtime, as one typed protocol: the embedded store's
``QueryPool`` (query workers, ``workers``) and the external store's ``RemotePool``
(``remote_pool``) both satisfy it, so the routes never ask which one they have."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Protocol

from vnpolicy.server.runtime.change import Apply
from vnpolicy.server.runtime.jobs import CustomExport, GraphRead, ViewExport
from vnpolicy.server.runtime.query import Choices, QueryRequest
from vnpolicy.server.runtime.writes import Action


@dataclass(frozen=True)
class PoolHealth:
    """How many query workers the runtime has, as ``GET /health`` reports them."""

    configured: int  #: the workers the pool runs when whole (``query_workers``)
    ready: int  #: idle, waiting for a query or a write
    busy: int  #: running a query, preparing or following a write
    replacing: int  #: stopped (past the time limit, or dead) and being replaced
    waiting: int = 0  #: requests queued for a worker

    @property
    def whole(self) -> bool:
        """Every configured worker is up (ready or busy) and none is being replaced."""
        return self.replacing == 0 and self.ready + self.busy == self.configured


@dataclass(frozen=True)
class Reply:
    """An answer as the server passes it on: its media type and headers, its first bytes, and
    the rest as it arrives (None: ``head`` is all of it)."""

    media_type: str
    headers: dict[str, str]
    head: bytes
    rest: AsyncIterator[bytes] | None


class QueryRuntime(Protocol):
    async def start(self) -> None:
        """Take requests (the application's start)."""

    async def stop(self) -> None:
        """Stop taking requests and let go of workers and connections."""

    def health(self) -> PoolHealth:
        """The workers' counts, without asking any worker."""

    async def run(
        self, request: QueryRequest, choices: Choices, base_iri: str, client: str = ""
    ) -> Reply:
        """Run one query under the limits; its answer in the format chosen for its form.
        ``client`` (its address) keeps one client from holding every worker."""

    async def export(self, job: ViewExport | CustomExport, client: str = "") -> Reply:
        """Make a network export under the limits."""

    async def read(self, job: GraphRead, client: str = "") -> Reply:
        """Write one graph (Graph Store Protocol) under the limits."""

    async def prepare(self, action: Action, client: str = "") -> Apply:
        """Work out and validate a write (refused with a ``Problem``), changing nothing yet."""

    async def publish(self, change: Apply) -> None:
        """Apply a prepared write to the store and everything that answers from it."""
