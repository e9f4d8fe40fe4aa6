"""What the HTTP side needs of the store runtime, as one typed protocol: the embedded store's
``QueryPool`` (query workers, ``workers``) and the external store's ``RemotePool``
(``remote_pool``) both satisfy it, so the routes never ask which one they have."""

from dataclasses import dataclass
from typing import Protocol

from vnpolicy.server.runtime.change import Apply
from vnpolicy.server.runtime.query import Answer, Choices, QueryRequest
from vnpolicy.server.runtime.writes import Action


@dataclass(frozen=True)
class PoolHealth:
    """How many query workers the runtime has, as ``GET /health`` reports them."""

    configured: int  #: the workers the pool runs when whole (``query_workers``)
    ready: int  #: idle, waiting for a query or a write
    busy: int  #: running a query, preparing or following a write
    replacing: int  #: stopped (past the time limit, or dead) and being replaced

    @property
    def whole(self) -> bool:
        """Every configured worker is up (ready or busy) and none is being replaced."""
        return self.replacing == 0 and self.ready + self.busy == self.configured


class QueryRuntime(Protocol):
    async def start(self) -> None:
        """Take requests (the application's start)."""

    async def stop(self) -> None:
        """Stop taking requests and let go of workers and connections."""

    def health(self) -> PoolHealth:
        """The workers' counts, without asking any worker."""

    async def run(self, request: QueryRequest, choices: Choices, base_iri: str) -> Answer:
        """Run one query under the limits; its answer in the format chosen for its form."""

    async def prepare(self, action: Action) -> Apply:
        """Work out and validate a write (refused with a ``Problem``), changing nothing yet."""

    async def publish(self, change: Apply) -> None:
        """Apply a prepared write to the store and everything that answers from it."""
