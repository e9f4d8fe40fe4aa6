"""What the HTTP side needs of the store runtime, as one typed protocol: the embedded store's
``QueryPool`` (query workers, ``workers``) and the external store's ``RemotePool``
(``remote_pool``) both satisfy it, so the routes never ask which one they have."""

from typing import Protocol

from vnpolicy.server.runtime.change import Apply
from vnpolicy.server.runtime.query import Answer, Choices, QueryRequest
from vnpolicy.server.runtime.writes import Action


class QueryRuntime(Protocol):
    async def start(self) -> None:
        """Take requests (the application's start)."""

    async def stop(self) -> None:
        """Stop taking requests and let go of workers and connections."""

    async def run(self, request: QueryRequest, choices: Choices, base_iri: str) -> Answer:
        """Run one query under the limits; its answer in the format chosen for its form."""

    async def prepare(self, action: Action) -> Apply:
        """Work out and validate a write (refused with a ``Problem``), changing nothing yet."""

    async def publish(self, change: Apply) -> None:
        """Apply a prepared write to the store and everything that answers from it."""
