"""The HTTP/1.1 connections the server accepts: uvicorn's h11 protocol with two guards.

- A client must send a request's headers within ``header_timeout`` seconds of connecting, or of
  starting them on a kept-alive connection: a client that trickles them ("slowloris") cannot
  hold connections open for ever.
- A request with both ``Content-Length`` and ``Transfer-Encoding`` is answered and its
  connection closed (RFC 9112 §6.3): two framings of one body are how requests are smuggled.
"""

import asyncio

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol


def guarded(header_timeout: float) -> type[H11Protocol]:
    """The protocol class for uvicorn (``http=``), with its header time limit."""

    class Guarded(_Guarded):
        seconds = header_timeout

    return Guarded


class _Guarded(H11Protocol):
    seconds = 10.0
    _timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        if self.conn.their_state is h11.IDLE:
            self._arm()  # a request's headers begin: they must end in time
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:
            self._disarm()
        cycle = self.cycle
        if cycle is not None and not cycle.response_started and _two_framings(self.headers):
            cycle.keep_alive = False
            # Seen by uvicorn as the client's own "Connection: close": the answer says so too.
            self.headers.append((b"connection", b"close"))  # the scope's own list

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        if self._timer is None:
            self._timer = self.loop.call_later(self.seconds, self._too_slow)

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _too_slow(self) -> None:
        self._timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()


def _two_framings(headers: list[tuple[bytes, bytes]] | None) -> bool:
    names = {name for name, _ in headers or ()}
    return b"content-length" in names and b"transfer-encoding" in names
