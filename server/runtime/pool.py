"""The query workers of the embedded store, and the bounded, fair queue in front of them.

Oxigraph cannot cancel a running query and a thread cannot be killed, so every job whose cost
grows with its input — a query, a network export, the working out of a write — runs in one of
``query_workers`` worker processes, forked from the template process (``template``), and a
worker that overruns is killed and replaced (docs/decisions/0009, 0020). What the server does for
a job is bounded:

- a request waits for a worker at most the time limit, in arrival order, and one client holds
  at most all workers but one (``Busy``: 503 with ``Retry-After``);
- a job runs at most the time limit, and a worker at most ``worker_memory`` MiB of its own
  memory (checked four times a second): past either it is killed, replaced, and the request
  answered 503;
- a request whose client has gone, waiting or running, gives its worker back (killed and
  replaced if it was working);
- an answer comes in chunks (``Reply``): the first ``HEAD`` bytes are gathered so that a small
  answer goes out whole, the rest is passed on as it arrives; a worker writes at most
  ``max_result_bytes``;
- the server waits for a worker's socket on the event loop: no thread is tied up.
"""

import asyncio
import logging
import os
import pickle
import signal
from collections.abc import AsyncIterator
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Store

from vnpolicy.server.errors import (
    InsufficientStorage,
    Problem,
    ServerProblem,
    TimedOut,
    WorkerLost,
)
from vnpolicy.server.runtime import framing
from vnpolicy.server.runtime.change import Apply
from vnpolicy.server.runtime.jobs import CustomExport, Done, GraphRead, Job, Query, ViewExport
from vnpolicy.server.runtime.loading import StoreDamagedError, StoreFilled, apply_durably
from vnpolicy.server.runtime.memory import own_mib
from vnpolicy.server.runtime.protocol import PoolHealth, Reply
from vnpolicy.server.runtime.query import Choices, QueryRequest
from vnpolicy.server.runtime.template import Template
from vnpolicy.server.runtime.worker import FOLLOWED, StoreSource
from vnpolicy.server.runtime.writes import Action
from vnpolicy.server.settings import Settings

log = logging.getLogger("vnpolicy.server")
#: An answer up to this size is gathered and sent whole (with its length); a larger one is
#: passed on to the client as it arrives.
HEAD = 1 << 20
_MEMORY_CHECK_SECONDS = 0.25


class Busy(ServerProblem):
    """Every worker stayed busy for the whole time limit."""

    status, title = 503, "Service Unavailable"


@dataclass(eq=False)
class _Worker:
    pid: int
    channel: framing.Channel
    client: str | None = None  #: whose job it runs; None when idle
    #: Why the server killed it (the time limit, its memory), for the answer to its request.
    stopped_for: str | None = None


@dataclass(eq=False)
class _Ticket:
    """A request waiting for a worker."""

    client: str
    granted: "asyncio.Future[_Worker]" = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


class QueryPool:
    """The workers of the embedded store (in memory, or on disk at ``store_path``)."""

    def __init__(self, settings: Settings, store: Store, store_path: Path | None) -> None:
        self.settings, self.store, self.store_path = settings, store, store_path
        self._template: Template | None = None
        self._workers: list[_Worker] = []
        self._idle: list[_Worker] = []
        self._waiting: list[_Ticket] = []
        self._replacing: set[asyncio.Task[None]] = set()
        self._watchdog: asyncio.Task[None] | None = None
        self._writing = False
        self._settled: asyncio.Event | None = None  #: set while every worker is idle
        #: Why the on-disk store takes no more writes (its disk filled during one), if it does not.
        self._refusing: str | None = None

    # -- life ---------------------------------------------------------------------------------

    def fork(self) -> None:
        """Fork the template process, once the store is filled and before the server starts any
        thread: it shares an in-memory store copy-on-write, or gives each worker the path of an
        on-disk one to open read-only."""
        shared: Store | StoreSource = (
            self.store if self.store_path is None else StoreSource(path=self.store_path)
        )
        self._template = Template(self.settings, shared)

    async def start(self) -> None:
        for _ in range(self.settings.query_workers):
            self._add(await self._new_worker())
        self._watchdog = asyncio.get_running_loop().create_task(self._watch_memory())

    async def stop(self) -> None:
        if self._watchdog is not None:
            self._watchdog.cancel()
        for task in list(self._replacing):
            task.cancel()
        for worker in self._workers:
            self._kill(worker)
        self._workers.clear()
        self._idle.clear()
        if self._template is not None:
            self._template.stop()

    def health(self) -> PoolHealth:
        """The workers' counts: cheap (no worker is asked), for ``GET /health``."""
        return PoolHealth(
            configured=self.settings.query_workers,
            ready=len(self._idle),
            busy=len(self._workers) - len(self._idle),
            replacing=len(self._replacing),
            waiting=len(self._waiting),
        )

    # -- jobs ---------------------------------------------------------------------------------

    async def run(
        self, request: QueryRequest, choices: Choices, base_iri: str, client: str = ""
    ) -> Reply:
        return await self._answer(Query(request, choices, base_iri), "query", client)

    async def export(self, job: ViewExport | CustomExport, client: str = "") -> Reply:
        return await self._answer(job, "export", client)

    async def read(self, job: GraphRead, client: str = "") -> Reply:
        return await self._answer(job, "read", client)

    async def prepare(self, action: Action, client: str = "") -> Apply:
        """A write worked out and validated by a worker, under the time limit."""
        found = await self._job(action, "update", client)
        assert isinstance(found, Apply)
        return found

    async def publish(self, change: Apply) -> None:
        """Apply a validated write to the store (durably when on disk), then to every worker
        and the template before the write is answered. An on-disk store whose disk filled
        refuses later writes (507) until the server restarts; readers all see one state."""
        if self.store_path is None:
            change.follow(self.store)
            await self._follow(change)
            return
        if self._refusing is not None:
            raise InsufficientStorage(self._refusing)
        try:
            apply_durably(change, self.store, self.store_path)
        except StoreFilled as full:
            self._refusing = full.detail
            raise
        except StoreDamagedError as error:
            # Half a write is in the store: every reader is brought to it, later writes are
            # refused, and the next start finishes the write from its journal.
            self._refusing = (
                f"A write to the store at {self.store_path} failed half-way ({error}); it takes "
                "no more writes until the server is restarted, which finishes that write"
            )
            await self._follow(Apply(b"", b"", (), (), reopen=self.store_path))
            raise InsufficientStorage(self._refusing) from None
        await self._follow(Apply(b"", b"", (), (), reopen=self.store_path))

    async def _answer(self, job: Job, what: str, client: str) -> Reply:
        found = await self._job(job, what, client)
        assert isinstance(found, Reply)
        return found

    async def _job(self, job: Job, what: str, client: str) -> "Reply | Apply":
        loop = asyncio.get_running_loop()
        limit = self.settings.query_timeout
        worker = await self._acquire(client, loop.time() + limit)
        deadline = loop.time() + limit
        try:
            await worker.channel.send_object(job)
            kind, body = await self._receive(worker, deadline, what)
            if kind is not framing.Kind.OBJECT:
                raise framing.ChannelClosedError(f"a worker began with {kind.name}")
            first = pickle.loads(body)
        except BaseException:
            self._replace_later(worker)
            raise
        if isinstance(first, Done):
            return await self._reply(worker, first, deadline, what)
        self._release(worker)
        if isinstance(first, Problem):
            raise first
        assert isinstance(first, Apply), first
        return first

    async def _reply(self, worker: _Worker, done: Done, deadline: float, what: str) -> Reply:
        """The answer's first ``HEAD`` bytes (all of it if it ends there), then the rest."""
        head = bytearray()
        try:
            while len(head) < HEAD:
                kind, body = await self._receive(worker, deadline, what)
                if kind is framing.Kind.END:
                    self._release(worker)
                    return Reply(done.media_type, done.headers, bytes(head), None)
                head += body
        except BaseException:
            self._replace_later(worker)
            raise
        return Reply(done.media_type, done.headers, bytes(head), self._rest(worker, deadline, what))

    async def _rest(self, worker: _Worker, deadline: float, what: str) -> AsyncIterator[bytes]:
        finished = False
        try:
            while True:
                kind, body = await self._receive(worker, deadline, what)
                if kind is framing.Kind.END:
                    finished = True
                    return
                yield body
        finally:  # also when the client went away before the end
            if finished:
                self._release(worker)
            else:
                self._replace_later(worker)

    async def _receive(
        self, worker: _Worker, deadline: float, what: str
    ) -> tuple[framing.Kind, bytes]:
        loop = asyncio.get_running_loop()
        try:
            return await asyncio.wait_for(worker.channel.receive(), deadline - loop.time())
        except TimeoutError:
            worker.stopped_for = "time"
            log.warning("a %s stopped after %s s", what, self.settings.query_timeout)
            raise TimedOut(
                f"The {what} was stopped after the {self.settings.query_timeout:g} s limit"
                + ("; nothing was changed" if what == "update" else "; narrow it or add LIMIT")
            ) from None
        except framing.ChannelClosedError:
            if worker.stopped_for == "memory":
                detail = (
                    f"The {what} used more than the {self.settings.worker_memory} MiB a worker "
                    "may use (VNPOLICY_WORKER_MEMORY); it was stopped"
                )
            else:
                detail = f"The {what} stopped the process running it"
            log.error("%s", detail)
            raise WorkerLost(detail + ", which has been replaced") from None

    # -- the queue ----------------------------------------------------------------------------

    def _cap(self) -> int:
        """How many workers one client may hold at once: all but one (one when there is one)."""
        return max(1, self.settings.query_workers - 1)

    def _holding(self, client: str) -> int:
        return sum(1 for worker in self._workers if worker.client == client)

    async def _acquire(self, client: str, deadline: float) -> _Worker:
        ticket = _Ticket(client)
        self._waiting.append(ticket)
        self._grant()
        loop = asyncio.get_running_loop()
        try:
            return await asyncio.wait_for(asyncio.shield(ticket.granted), deadline - loop.time())
        except BaseException as error:  # past the deadline, or the client went away
            if ticket in self._waiting:
                self._waiting.remove(ticket)
            if ticket.granted.done() and not ticket.granted.cancelled():
                self._release(ticket.granted.result())  # granted, but too late to be used
            else:
                ticket.granted.cancel()
            if isinstance(error, TimeoutError):
                raise Busy(
                    f"Every query worker stayed busy for {self.settings.query_timeout:g} s; "
                    "try again later",
                    headers={"Retry-After": str(max(1, round(self.settings.query_timeout)))},
                ) from None
            raise

    def _grant(self) -> None:
        """Give idle workers to waiting tickets, oldest first, skipping a client at its cap."""
        if self._writing:
            return
        for ticket in list(self._waiting):
            if not self._idle:
                return
            if ticket.granted.done() or self._holding(ticket.client) >= self._cap():
                continue
            worker = self._idle.pop(0)
            worker.client = ticket.client
            self._waiting.remove(ticket)
            ticket.granted.set_result(worker)

    def _release(self, worker: _Worker) -> None:
        worker.client = None
        if worker in self._workers and worker not in self._idle:
            self._idle.append(worker)
        self._grant()
        self._note_settled()

    def _note_settled(self) -> None:
        if self._settled is None:
            self._settled = asyncio.Event()
        if len(self._idle) == len(self._workers) and not self._replacing:
            self._settled.set()
        else:
            self._settled.clear()

    # -- workers ------------------------------------------------------------------------------

    async def _new_worker(self) -> _Worker:
        assert self._template is not None, "the query pool is not forked"
        pid, sock = await self._template.worker()
        return _Worker(pid, await framing.Channel.open(sock))

    def _add(self, worker: _Worker) -> None:
        self._workers.append(worker)
        self._release(worker)

    def _kill(self, worker: _Worker) -> None:
        with suppress(ProcessLookupError):
            os.kill(worker.pid, signal.SIGKILL)
        worker.channel.close()

    def _replace_later(self, worker: _Worker) -> None:
        """Kill a worker that is past a limit or whose answer nobody reads, and start another."""
        self._kill(worker)
        if worker in self._workers:
            self._workers.remove(worker)
        if worker in self._idle:
            self._idle.remove(worker)
        task = asyncio.get_running_loop().create_task(self._replace(worker.pid))
        self._replacing.add(task)  # kept until done, so the task is not collected early
        task.add_done_callback(self._replaced)
        self._note_settled()

    def _replaced(self, task: "asyncio.Task[None]") -> None:
        self._replacing.discard(task)
        self._note_settled()

    async def _replace(self, killed: int) -> None:
        """A new worker once the killed one has gone (a worker stopped for its memory may take
        a moment to give it back)."""
        await _exited(killed)
        try:
            fresh = await self._new_worker()
        except Exception:
            log.exception("a query worker could not be replaced")
            return
        self._add(fresh)

    async def _follow(self, change: Apply) -> None:
        """Bring the template and every worker up to a published write: no job starts
        meanwhile, and every running one ends first."""
        self._writing = True
        try:
            self._note_settled()
            assert self._settled is not None
            await self._settled.wait()
            assert self._template is not None
            await self._template.follow(change)
            for worker in list(self._workers):
                await worker.channel.send_object(change)
                if await worker.channel.receive_object() != FOLLOWED:
                    raise RuntimeError("a query worker did not follow a write")
        finally:
            self._writing = False
            self._grant()

    async def _watch_memory(self) -> None:
        limit = self.settings.worker_memory
        while True:
            await asyncio.sleep(_MEMORY_CHECK_SECONDS)
            for worker in list(self._workers):
                if worker.client is None:
                    continue
                used = own_mib(worker.pid)
                if used is not None and used > limit:
                    log.warning("a query worker used %.0f MiB (limit %s MiB)", used, limit)
                    worker.stopped_for = "memory"
                    self._kill(worker)


async def _exited(pid: int, patience: float = 30.0) -> None:
    """Returns when process ``pid`` has ended (or after ``patience`` seconds), waiting on the
    event loop: a pidfd becomes readable when its process ends."""
    try:
        handle = os.pidfd_open(pid)
    except (OSError, AttributeError):  # gone already, or no pidfd here
        return
    try:
        if not await framing.readable(handle, patience):
            log.warning("a killed query worker (%s) is still there after %s s", pid, patience)
    finally:
        os.close(handle)
