"""HTTP/1.1 connections on a real server, spoken byte by byte: a client too slow with its
headers is disconnected, a request framed twice (Content-Length and Transfer-Encoding) is
answered and its connection closed, and HEAD is answered wherever GET is."""

import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.utils.servers import LiveServer, serving_copy
from tests.utils.waiting import PATIENCE


@pytest.fixture(scope="module")
def quick(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server that gives a client one second for a request's headers."""
    folder = tmp_path_factory.mktemp("connections")
    with serving_copy(built, folder, {"VNPOLICY_HEADER_TIMEOUT": "1"}) as live:
        yield live


def _connect(server: LiveServer) -> socket.socket:
    where = urlsplit(server.url)
    return socket.create_connection((where.hostname, where.port), timeout=PATIENCE)


def _read_all(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    return received


def test_a_client_too_slow_with_its_headers_is_disconnected(quick: LiveServer) -> None:
    with _connect(quick) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")  # and never the blank line
        assert _read_all(sock) == b""  # closed by the server, nothing answered


def test_a_silent_client_is_disconnected(quick: LiveServer) -> None:
    with _connect(quick) as sock:
        assert _read_all(sock) == b""


def test_a_prompt_client_keeps_its_connection_for_several_requests(quick: LiveServer) -> None:
    with _connect(quick) as sock:
        request = b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
        sock.sendall(request + request)
        received = b""
        while received.count(b"HTTP/1.1 200") < 2:
            received += sock.recv(65536)
        assert b"connection: close" not in received.lower()


def test_a_request_framed_twice_is_answered_and_its_connection_closed(quick: LiveServer) -> None:
    body = b"query=ASK%7B%7D"
    chunked = f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n"
    with _connect(quick) as sock:
        sock.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            + f"Content-Length: {len(body)}\r\n".encode()
            + b"Transfer-Encoding: chunked\r\n\r\n"
            + chunked
        )
        received = _read_all(sock)  # returns only because the server closes the connection
    head = received.split(b"\r\n\r\n", 1)[0].lower()
    assert head.startswith((b"http/1.1 200", b"http/1.1 400"))
    assert b"connection: close" in head


@pytest.mark.parametrize(
    "target",
    [
        "/", "/query", "/explore", "/health", "/sparql", "/sparql?query=ASK%7B%7D", "/catalog",
        "/.well-known/void", "/sitemap.xml", "/robots.txt", "/dumps/vnpolicy.nq",
        "/export/documents.graphml", "/eli/vn/tw/nq/2024/57.ttl", "/static/style.css",
        "/store?graph=https://w3id.org/vnpolicy/graph/eli/vn/tw/nq/2024/57",
        "/resource?uri=http://www.w3.org/2004/02/skos/core%23Concept",
    ],
)  # fmt: skip
def test_head_is_answered_wherever_get_is(quick: LiveServer, target: str) -> None:
    got = quick.http.get(target)
    head = quick.http.head(target)
    assert got.status_code in (200, 303)  # the VoID URLs send a browser to the home page
    assert head.status_code == got.status_code, target
    assert head.content == b""
    assert head.headers.get("content-type") == got.headers.get("content-type")
    assert head.headers.get("location") == got.headers.get("location")
