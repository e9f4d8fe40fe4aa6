"""The loop of a query worker process: one job at a time, answered over its socket.

A worker holds the store — the template's in-memory store, shared copy-on-write, or its own
read-only view of an on-disk store — and answers each job (``jobs.run``): an answer as chunks of
bytes followed by ``Done``, a prepared write or a refusal as one pickled object. It follows each
published write before the next job. It leaves when its socket closes or its parent dies (the
kernel kills it then: ``leave_with``).
"""

import ctypes
import ctypes.util
import logging
import os
import select
import signal
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import RdfFormat, Store

from vnpolicy.server.errors import InternalError, Problem
from vnpolicy.server.runtime import framing
from vnpolicy.server.runtime.change import Apply, open_read_only
from vnpolicy.server.runtime.jobs import Done, run
from vnpolicy.server.runtime.query import is_stale_view
from vnpolicy.server.settings import Settings

log = logging.getLogger("vnpolicy.server")
_PARENT_CHECK_SECONDS = 1.0
_PR_SET_PDEATHSIG = 1
#: What a worker answers a followed write with.
FOLLOWED = "followed"


@dataclass(frozen=True)
class StoreSource:
    """How a process gets its store: N-Quads bytes to load, or an on-disk store to open."""

    nquads: bytes | None = None
    path: Path | None = None

    def open(self) -> Store:
        if self.path is not None:
            return open_read_only(self.path)
        store = Store()
        store.bulk_load(self.nquads or b"", format=RdfFormat.N_QUADS)
        return store


def leave_with(parent: int) -> None:
    """Have the kernel kill this process when its parent dies, even by SIGKILL (Linux's
    PR_SET_PDEATHSIG): a worker busy on a write could otherwise block for ever sending a result
    nobody reads. Elsewhere the idle loop's check of the parent process is the only guard."""
    if sys.platform == "linux":
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the request to the kernel
        os._exit(0)


def serve(sock: socket.socket, settings: Settings, store: Store | StoreSource) -> None:
    """A worker's loop, until its socket closes or its parent goes."""
    parent = os.getppid()
    leave_with(parent)
    source = store if isinstance(store, StoreSource) else None
    current = store.open() if isinstance(store, StoreSource) else store
    while True:
        # An idle worker checks now and then that its parent is still there (a parent killed
        # outright may leave the socket open in another process).
        ready, _, _ = select.select([sock], [], [], _PARENT_CHECK_SECONDS)
        if not ready:
            if os.getppid() != parent:
                return
            continue
        job = framing.next_object(sock)
        if job is None:
            return
        if isinstance(job, Apply):
            current = job.follow(current)
            framing.send_object(sock, FOLLOWED)
            continue
        try:
            answer = _answer(current, settings, job)
        except OSError as error:
            if source is None or not is_stale_view(error):
                raise
            current = source.open()  # a fresh read-only view, then once more
            answer = _answer(current, settings, job)
        _reply(sock, answer)


def _answer(store: Store, settings: Settings, job: object) -> "tuple[Done, bytes] | object":
    try:
        return run(store, settings, job)  # type: ignore[arg-type]
    except Problem as problem:
        return problem
    except Exception as error:  # our fault: logged, answered 500, and the worker stays up
        if isinstance(error, OSError) and is_stale_view(error):
            raise  # the caller opens a fresh view and asks again
        log.exception("a query worker failed on %.200r", job)
        return InternalError("The server failed on this request; it has been logged")


def _reply(sock: socket.socket, answer: object) -> None:
    """An answer as ``Done`` (its media type), its bytes in chunks and an end; anything else (a
    prepared write, a problem) as one object."""
    if isinstance(answer, tuple):
        done, body = answer
        framing.send_object(sock, done)
        view = memoryview(body)
        for start in range(0, len(view), framing.CHUNK):
            framing.send(sock, framing.Kind.CHUNK, view[start : start + framing.CHUNK].tobytes())
        framing.send(sock, framing.Kind.END, b"")
    else:
        framing.send_object(sock, answer)
