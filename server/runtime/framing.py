"""Messages between the server and its worker processes, over Unix socket pairs.

A message is a kind (one byte), a length (eight bytes) and a body: a pickled object (a job, a
problem, a prepared write), a chunk of an answer's bytes, or the end of an answer. The workers
and the template process read and write them blocking (``send``, ``receive``); the server reads
and writes them on its event loop (``Channel``), so that waiting for a worker ties up no thread.
"""

import asyncio
import pickle
import socket
import struct
from enum import IntEnum
from typing import Any

_HEADER = struct.Struct("!BQ")
#: Largest message a server accepts from a worker: a chunk is at most ``CHUNK`` bytes, and a
#: pickled object (a prepared write) at most a few times the request body limit.
MAX_MESSAGE = 1 << 31
#: Size of the chunks an answer is sent in.
CHUNK = 256 * 1024


class Kind(IntEnum):
    OBJECT = 0  #: a pickled object
    CHUNK = 1  #: bytes of an answer
    END = 2  #: the end of an answer (its body: the pickled media type)


class ChannelClosedError(Exception):
    """The other end went away (a killed or dead worker)."""


def send(sock: socket.socket, kind: Kind, body: bytes) -> None:
    header = _HEADER.pack(kind, len(body))
    if len(body) < 65536:
        sock.sendall(header + body)  # one system call for the small messages
    else:
        sock.sendall(header)
        sock.sendall(body)


def send_object(sock: socket.socket, value: object) -> None:
    send(sock, Kind.OBJECT, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def _exactly(sock: socket.socket, size: int) -> bytes:
    parts, left = [], size
    while left:
        part = sock.recv(min(left, 1 << 20))
        if not part:
            raise ChannelClosedError("the other end closed the connection")
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def receive(sock: socket.socket) -> tuple[Kind, bytes]:
    kind, size = _HEADER.unpack(_exactly(sock, _HEADER.size))
    return Kind(kind), _exactly(sock, size)


def next_object(sock: socket.socket) -> object | None:
    """The next pickled object sent, or None once the other end has closed."""
    try:
        _, body = receive(sock)
    except ChannelClosedError:
        return None
    found: object = pickle.loads(body)
    return found


async def readable(fd: int, patience: float | None = None) -> bool:
    """Wait on the event loop until ``fd`` is readable (a socket has data, a pidfd's process has
    ended); False if ``patience`` seconds pass first."""
    loop = asyncio.get_running_loop()
    ready: asyncio.Future[None] = loop.create_future()

    def wake() -> None:
        if not ready.done():
            ready.set_result(None)

    loop.add_reader(fd, wake)
    try:
        await asyncio.wait_for(ready, patience)
    except TimeoutError:
        return False
    finally:
        loop.remove_reader(fd)
    return True


class Channel:
    """The server's end of a socket pair, read and written on the event loop."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader, self._writer = reader, writer

    @classmethod
    async def open(cls, sock: socket.socket) -> "Channel":
        reader, writer = await asyncio.open_unix_connection(sock=sock, limit=CHUNK * 4)
        return cls(reader, writer)

    async def send_object(self, value: object) -> None:
        body = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        self._writer.write(_HEADER.pack(Kind.OBJECT, len(body)))
        self._writer.write(body)
        try:
            await self._writer.drain()
        except (ConnectionError, OSError) as error:
            raise ChannelClosedError(str(error)) from None

    async def receive(self) -> tuple[Kind, bytes]:
        try:
            kind, size = _HEADER.unpack(await self._reader.readexactly(_HEADER.size))
            if size > MAX_MESSAGE:
                raise ChannelClosedError(f"a message of {size} bytes")
            return Kind(kind), await self._reader.readexactly(size)
        except (asyncio.IncompleteReadError, ConnectionError, OSError) as error:
            raise ChannelClosedError(str(error)) from None

    async def receive_object(self) -> Any:
        kind, body = await self.receive()
        if kind is not Kind.OBJECT:
            raise ChannelClosedError(f"expected an object, got {kind.name}")
        return pickle.loads(body)

    def close(self) -> None:
        self._writer.close()
