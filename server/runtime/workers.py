"""Queries run in worker processes, so that a query past its time limit is really stopped.

Oxigraph cannot cancel a running query, and a thread cannot be killed: a cartesian product with
an aggregate would keep a core busy long after its client was told "too slow". Each query is
therefore sent to one of ``query_workers`` spawned processes holding their own copy of the store
(or, for an on-disk store, a read-only view of it); a worker that overruns is killed and replaced,
and the client gets a 503 saying so (docs/decisions/0009). Writes are worked out by the workers
too, under the same limit (docs/decisions/0014).
"""

import asyncio
import ctypes
import ctypes.util
import logging
import multiprocessing
import os
import signal
import sys
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from pyoxigraph import RdfFormat, Store

from vnpolicy.server.errors import InternalError, Problem, TimedOut, WorkerLost
from vnpolicy.server.runtime.change import Apply, open_read_only
from vnpolicy.server.runtime.loading import apply_durably
from vnpolicy.server.runtime.protocol import PoolHealth
from vnpolicy.server.runtime.query import Answer, Choices, QueryRequest, execute, is_stale_view
from vnpolicy.server.runtime.writes import Action, Delete, Merge, Replace, Update, prepare
from vnpolicy.server.settings import Settings

log = logging.getLogger("vnpolicy.server")
#: The first workers are forked before the server starts any thread: they share the loaded store
#: copy-on-write and start at once. Replacements (after a kill) are spawned, as forking a process
#: that runs threads is unsafe; they load the store themselves.
_FORK = multiprocessing.get_context("fork")
_SPAWN = multiprocessing.get_context("spawn")
_PARENT_CHECK_SECONDS = 1.0
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Ask:
    """A query for a worker to run and write in the format chosen for its form."""

    request: QueryRequest
    choices: Choices
    base_iri: str


@dataclass(frozen=True)
class StoreSource:
    """How a worker gets its store: N-Quads bytes to load, or an on-disk store to open."""

    nquads: bytes | None = None
    path: Path | None = None

    def open(self) -> Store:
        if self.path is not None:
            return open_read_only(self.path)
        store = Store()
        store.bulk_load(self.nquads or b"", format=RdfFormat.N_QUADS)
        return store


def _answer(store: Store, settings: Settings, message: object) -> "Answer | Apply | Problem":
    """What a worker answers a message with: a query's ``Answer``, an ``Apply`` (a prepared
    write), or the problem that stopped it (pickled whole)."""
    try:
        if isinstance(message, Update | Replace | Merge | Delete):
            return prepare(store, settings.base, message)
        assert isinstance(message, Ask)
        return execute(store, message.request, message.choices, settings, message.base_iri)
    except Problem as error:
        return error
    except Exception as error:  # our fault: logged, answered 500, and the worker stays up
        if isinstance(error, OSError) and is_stale_view(error):
            raise  # the caller opens a fresh view and asks again
        log.exception("a query worker failed on %.200r", message)
        return InternalError("the server failed on this request; it has been logged")


def _leave_with(server: int) -> None:
    """Have the kernel kill this worker when its server dies, even by SIGKILL (Linux's
    PR_SET_PDEATHSIG): a worker busy on a write could otherwise block for ever sending a result
    nobody reads. Elsewhere the idle loop's check of the parent process is the only guard. (The
    signal follows the thread that started the worker: a replacement is started from the event
    loop's executor, whose threads live as long as the server.)"""
    if sys.platform == "linux":
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if os.getppid() != server:  # the server died before the request to the kernel
        os._exit(0)


def _serve(connection: Connection, settings: Settings, store: Store | StoreSource) -> None:
    """A worker's loop: answer each query (``Ask``) with an ``Answer``, prepare each write
    (``Action``) into an ``Apply``, and follow each published ``Apply``."""
    server = os.getppid()
    _leave_with(server)
    source = store if isinstance(store, StoreSource) else None
    store = store.open() if isinstance(store, StoreSource) else store
    connection.send("ready")
    while True:
        try:
            # A server killed outright (SIGKILL, the OOM killer) never closes the pipe: a worker
            # forked later holds a copy of its end. So an idle worker checks that its server is
            # still there, and leaves with it.
            while not connection.poll(_PARENT_CHECK_SECONDS):
                if os.getppid() != server:
                    return
            message = connection.recv()
        except EOFError:
            return
        if isinstance(message, Apply):
            store = message.follow(store)
            connection.send("applied")
            continue
        try:
            answer = _answer(store, settings, message)
        except OSError as error:
            if source is None or not is_stale_view(error):
                raise
            store = source.open()  # a fresh read-only view, then once more
            answer = _answer(store, settings, message)
        connection.send(answer)


class _Worker:
    def __init__(self, settings: Settings, store: Store | StoreSource, forked: bool = True) -> None:
        """A forked worker (sharing a loaded ``store``, or opening an on-disk one read-only), or
        a spawned one (a replacement, once the server runs threads) that opens its source."""
        context = _FORK if forked else _SPAWN
        self.connection, child_end = context.Pipe()
        self.process: BaseProcess = context.Process(
            target=_serve,
            args=(child_end, settings, store),
            name="query-worker",
            daemon=True,
        )
        self.process.start()
        child_end.close()
        if not self.connection.poll(120) or self.connection.recv() != "ready":
            self.stop()
            raise RuntimeError("a query worker failed to start")

    def stop(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.connection.close()


class QueryPool:
    """A fixed number of query workers; a request waits for a free one."""

    def __init__(self, settings: Settings, store: Store, store_path: Path | None) -> None:
        self.settings, self.store, self.store_path = settings, store, store_path
        self._idle: asyncio.Queue[_Worker] | None = None
        self._workers: list[_Worker] = []
        self._replacing: set[asyncio.Task[None]] = set()

    def fork(self) -> None:
        """Start the workers once the store is filled, before the server starts threads. An
        in-memory store is shared copy-on-write; an on-disk one is opened read-only by each."""
        shared: Store | StoreSource = (
            self.store if self.store_path is None else StoreSource(path=self.store_path)
        )
        self._workers = [_Worker(self.settings, shared) for _ in range(self.settings.query_workers)]

    def _source(self) -> StoreSource:
        """What a replacement worker opens; the store is only dumped when one is needed."""
        if self.store_path is not None:
            return StoreSource(path=self.store_path)
        return StoreSource(nquads=self.store.dump(format=RdfFormat.N_QUADS))

    async def start(self) -> None:
        self._idle = asyncio.Queue()
        for worker in self._workers:
            self._idle.put_nowait(worker)

    async def stop(self) -> None:
        for worker in self._workers:
            worker.stop()
        self._workers.clear()

    def health(self) -> PoolHealth:
        """The workers' counts: cheap (no worker is asked), for ``GET /health``."""
        ready = self._idle.qsize() if self._idle is not None else 0
        return PoolHealth(
            configured=self.settings.query_workers,
            ready=ready,
            busy=len(self._workers) - ready,
            replacing=len(self._replacing),
        )

    async def publish(self, change: Apply) -> None:
        """Apply a validated write to the store (durably when on disk), then to every worker."""
        if self.store_path is None:
            change.follow(self.store)
        else:
            apply_durably(change, self.store, self.store_path)
        await self.apply(change)

    async def apply(self, change: Apply) -> None:
        """Bring every worker up to a published write before the write is answered."""
        assert self._idle is not None, "the query pool is not started"
        if self.store_path is not None:
            change = Apply(b"", b"", (), (), reopen=self.store_path)
        loop = asyncio.get_running_loop()
        taken = [await self._idle.get() for _ in range(len(self._workers))]
        try:
            for worker in taken:
                worker.connection.send(change)
                if not await loop.run_in_executor(None, worker.connection.poll, 120):
                    raise RuntimeError("a query worker did not follow a write")
                worker.connection.recv()
        finally:
            for worker in taken:
                self._idle.put_nowait(worker)

    def _replace_later(self, worker: _Worker) -> None:
        task = asyncio.get_running_loop().create_task(self._replace(worker))
        self._replacing.add(task)  # kept until done, so the task is not collected early
        task.add_done_callback(self._replacing.discard)

    async def _replace(self, worker: _Worker) -> None:
        worker.stop()
        self._workers.remove(worker)
        loop = asyncio.get_running_loop()
        fresh = await loop.run_in_executor(None, _Worker, self.settings, self._source(), False)
        self._workers.append(fresh)
        assert self._idle is not None
        self._idle.put_nowait(fresh)

    async def run(self, request: QueryRequest, choices: Choices, base_iri: str) -> Answer:
        answer = await self._ask(Ask(request, choices, base_iri), "query", request.query)
        assert isinstance(answer, Answer)
        return answer

    async def prepare(self, action: Action) -> Apply:
        """A write worked out and validated by a worker, under the query time limit."""
        answer = await self._ask(action, "update", repr(action)[:200])
        assert isinstance(answer, Apply)
        return answer

    async def _ask(self, message: object, what: str, text: str) -> Answer | Apply:
        assert self._idle is not None, "the query pool is not started"
        worker = await self._idle.get()
        loop = asyncio.get_running_loop()
        try:
            worker.connection.send(message)
            finished = await loop.run_in_executor(
                None, worker.connection.poll, self.settings.query_timeout
            )
        except (OSError, EOFError):
            finished = False
        if not finished:
            log.warning("%s stopped after %s s: %.200s", what, self.settings.query_timeout, text)
            self._replace_later(worker)
            raise TimedOut(
                f"The {what} was stopped after the {self.settings.query_timeout:g} s limit"
                + ("; narrow it or add LIMIT" if what == "query" else "; nothing was changed"),
            )
        try:
            answer = worker.connection.recv()
        except (OSError, EOFError):
            # The process died (e.g. out of memory) while working on this request.
            log.error("a query worker died on this %s: %.200s", what, text)
            self._replace_later(worker)
            raise WorkerLost(
                f"The {what} stopped the process running it, which has been replaced"
            ) from None
        self._idle.put_nowait(worker)
        if isinstance(answer, Problem):
            raise answer
        return answer  # type: ignore[no-any-return]
