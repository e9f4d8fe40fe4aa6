"""The template process: the one the query workers are forked from.

Forking the server once it runs threads (the event loop's, uvicorn's) is unsafe, and a worker
started afresh must load the whole store, which the server would have to serialise for it. So
before the server starts any thread it forks one single-threaded template process holding the
store (shared copy-on-write; for an on-disk store, the path each worker opens read-only). The
template forks each worker the server asks for — the first ones at start, a replacement after a
kill — and hands the server its end of the worker's socket (``SCM_RIGHTS``). It follows every
published write, as the workers do, so a replacement starts from the published data. The kernel
reaps the template's children, and kills the template with the server and the workers with the
template (``PR_SET_PDEATHSIG``).
"""

import asyncio
import os
import pickle
import signal
import socket
import struct
from contextlib import suppress

from pyoxigraph import Store

from vnpolicy.server.runtime import framing, worker
from vnpolicy.server.runtime.change import Apply
from vnpolicy.server.runtime.worker import FOLLOWED, StoreSource
from vnpolicy.server.settings import Settings

_FORK = "fork"
_PID = struct.Struct("!Q")


class TemplateLostError(Exception):
    """The template process is gone: no worker can be started."""


def _run(control: socket.socket, settings: Settings, store: Store | StoreSource) -> None:
    """The template's loop: fork a worker, or follow a write, on each request."""
    worker.leave_with(os.getppid())
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # its children are reaped by the kernel
    current = store
    while (message := framing.next_object(control)) is not None:
        if isinstance(message, Apply):
            if isinstance(current, Store):  # an on-disk store is opened afresh by each worker
                current = message.follow(current)
            framing.send_object(control, FOLLOWED)
            continue
        assert message == _FORK, message
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            control.close()
            ours.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            try:
                worker.serve(theirs, settings, current)
            finally:
                os._exit(0)
        theirs.close()
        socket.send_fds(control, [_PID.pack(pid)], [ours.fileno()])
        ours.close()


class Template:
    """The server's handle on the template process (forked when made: make it before the server
    starts any thread)."""

    def __init__(self, settings: Settings, store: Store | StoreSource) -> None:
        control, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            control.close()
            try:
                _run(theirs, settings, store)
            finally:
                os._exit(0)
        theirs.close()
        self.pid, self._control = pid, control
        self._lock: asyncio.Lock | None = None

    async def worker(self) -> tuple[int, socket.socket]:
        """A new worker: its process id and the server's end of its socket."""
        async with self._locked():
            await self._send(_FORK)
            data, fds = await self._receive_fds()
        if len(data) != _PID.size or len(fds) != 1:
            raise TemplateLostError("the template process answered without a worker")
        (pid,) = _PID.unpack(data)
        return pid, socket.socket(fileno=fds[0])

    async def follow(self, change: Apply) -> None:
        """Bring the template up to a published write (replacements then start from it)."""
        async with self._locked():
            await self._send(change)
            loop = asyncio.get_running_loop()
            header = await self._receive_exactly(loop, 9)
            size = struct.unpack("!BQ", header)[1]
            if pickle.loads(await self._receive_exactly(loop, size)) != FOLLOWED:
                raise TemplateLostError("the template process did not follow a write")

    def stop(self) -> None:
        with suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        self._control.close()

    def _locked(self) -> asyncio.Lock:
        if self._lock is None:
            self._lock = asyncio.Lock()
            self._control.setblocking(False)
        return self._lock

    async def _send(self, message: object) -> None:
        body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        frame = struct.pack("!BQ", framing.Kind.OBJECT, len(body)) + body
        try:
            await asyncio.get_running_loop().sock_sendall(self._control, frame)
        except OSError as error:
            raise TemplateLostError(str(error)) from None

    async def _receive_exactly(self, loop: asyncio.AbstractEventLoop, size: int) -> bytes:
        parts, left = [], size
        while left:
            part = await loop.sock_recv(self._control, left)
            if not part:
                raise TemplateLostError("the template process is gone")
            parts.append(part)
            left -= len(part)
        return b"".join(parts)

    async def _receive_fds(self) -> tuple[bytes, list[int]]:
        while True:
            try:
                data, fds, _, _ = socket.recv_fds(self._control, _PID.size, 1)
            except BlockingIOError:
                await framing.readable(self._control.fileno())
                continue
            if not data:
                raise TemplateLostError("the template process is gone")
            return data, fds
