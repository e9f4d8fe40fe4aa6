"""With an external store, queries and writes go to it from threads, under the same limits.

There are no query workers to kill: the store runs the query, and a query past the time limit is
abandoned by closing its connection (the store's own timeout should stop it there; see the
README's deployment section). A Graph Store write is worked out and validated against the
store as it is (``write_check`` reads it through ``RemoteStore``) and then sent as one
SPARQL Update — one transaction — or, with only a Graph Store endpoint, as one ``PUT`` or
``DELETE`` per changed graph. A SPARQL Update through vnpolicy is refused: it is validated on a
copy of the whole store, which an external store is too large to be.
"""

import asyncio

from pyoxigraph import NamedNode, RdfFormat, Store, parse

from vnpolicy.graph.namespaces import PREFIX_IRIS
from vnpolicy.server.errors import BadRequest, MethodNotAllowed
from vnpolicy.server.runtime.change import Apply
from vnpolicy.server.runtime.jobs import CustomExport, GraphRead, ViewExport, export, read_graph
from vnpolicy.server.runtime.protocol import PoolHealth, Reply
from vnpolicy.server.runtime.query import Choices, QueryRequest, execute
from vnpolicy.server.runtime.remote_store import GraphStoreClient, RemoteStore
from vnpolicy.server.runtime.writes import Action, Update, prepare
from vnpolicy.server.settings import Settings

#: What a write endpoint still allows when the external store cannot be written through us.
_READS = ("GET", "HEAD")


class RemotePool:
    """Stands in for ``QueryPool`` when the data lives in an external store."""

    store_path = None

    def __init__(self, settings: Settings, store: RemoteStore) -> None:
        self.settings, self.store = settings, store
        self._exporting = asyncio.Lock()

    def fork(self) -> None:
        """Nothing to start: the store runs the queries."""

    async def start(self) -> None:
        pass

    def health(self) -> PoolHealth:
        """No query workers: the external store runs the queries."""
        return PoolHealth(configured=0, ready=0, busy=0, replacing=0)

    async def stop(self) -> None:
        await asyncio.to_thread(self.store.close)

    async def run(
        self, request: QueryRequest, choices: Choices, base_iri: str, client: str = ""
    ) -> Reply:
        def answer() -> Reply:
            check_syntax(request.query, base_iri)
            found = execute(self.store, request, choices, self.settings, base_iri)
            return Reply(found.media_type, {}, found.body, None)

        return await asyncio.to_thread(answer)

    async def export(self, job: ViewExport | CustomExport, client: str = "") -> Reply:
        """An export made here, in a thread (one at a time): the store runs its query, and
        there are no workers to hold a client of it."""
        async with self._exporting:
            done, body = await asyncio.to_thread(export, self.store, self.settings, job)
        return Reply(done.media_type, done.headers, body, None)

    async def read(self, job: GraphRead, client: str = "") -> Reply:
        """A graph read here, in a thread: the store holds it."""
        done, body = await asyncio.to_thread(read_graph, self.store, self.settings, job)
        return Reply(done.media_type, done.headers, body, None)

    async def prepare(self, action: Action, client: str = "") -> Apply:
        if not self.settings.writes_to_store:
            raise MethodNotAllowed(
                "This server reads an external store and was given no endpoint to write to it "
                "(vnpolicy serve --update-endpoint or --graph-store)",
                _READS,
            )
        if isinstance(action, Update):
            raise MethodNotAllowed(
                "SPARQL Update is not taken when the data lives in an external store (it is "
                "validated on a copy of the whole store); replace a document's graph with the "
                "Graph Store Protocol (PUT /store?graph=…) or 'vnpolicy publish'",
                (),
            )
        return await asyncio.to_thread(prepare, self.store, self.settings.base, action)

    async def publish(self, change: Apply) -> None:
        """Send a validated write to the store."""
        if self.settings.update_endpoint:
            await asyncio.to_thread(self.store.update, change.as_update())
        else:
            await asyncio.to_thread(put_graphs, self.store, self.settings.graph_store, change)


#: An empty embedded store, used only to parse: a query the store would refuse gets the same
#: 400 and message as on the embedded store, with line numbers of the query as sent.
_PARSER = Store()


def check_syntax(query: str, base_iri: str) -> None:
    try:
        _PARSER.query(query, base_iri=base_iri, prefixes=PREFIX_IRIS)
    except SyntaxError as error:
        raise BadRequest(f"Invalid SPARQL: {error}") from None


def put_graphs(store: RemoteStore, graph_store: str, change: Apply) -> None:
    """A write as one Graph Store ``PUT`` (the graph's new content) or ``DELETE`` per graph."""
    removed = set(parse(change.removed, format=RdfFormat.N_QUADS))
    added = set(parse(change.added, format=RdfFormat.N_QUADS))
    dropped = {NamedNode(graph) for graph in change.dropped}
    changed = {quad.graph_name for quad in removed | added} | {
        NamedNode(graph) for graph in change.created
    }
    with GraphStoreClient(graph_store, store.timeout) as client:
        for graph in sorted(changed - dropped, key=str):
            assert isinstance(graph, NamedNode)
            now = set(store.quads_for_pattern(None, None, None, graph)) - removed
            now |= {quad for quad in added if quad.graph_name == graph}
            client.put(graph, (quad.triple for quad in sorted(now, key=str)))
        for graph in sorted(dropped, key=str):
            client.delete(graph)
