"""The server fetches nothing it was not told to: SPARQL ``SERVICE`` and ``LOAD``, ``FROM`` and
dataset parameters naming a web graph, remote JSON-LD contexts and XML external entities are
refused or inert. A local listener stands in for the web and must see no connection; the same
listener sees one when a server is configured to allow SERVICE, so the check can fail."""

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.utils.servers import AUTH, LiveServer, serving_copy
from tests.utils.waiting import wait_until

#: What the test itself sends the listener, to know it has taken every earlier connection.
MARKER = b"marker"


class Listener:
    """A TCP listener on 127.0.0.1 that records every connection made to it."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.socket.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}/data"
        self.connections: list[bytes] = []
        self._running = True
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while self._running:
            try:
                connection, _ = self.socket.accept()
            except TimeoutError:
                continue
            with connection:
                connection.settimeout(10)  # for the request line, sent at once
                try:
                    self.connections.append(connection.recv(4096))
                except TimeoutError:
                    self.connections.append(b"")

    def close(self) -> None:
        self._running = False
        self._thread.join()
        self.socket.close()

    def everything_received(self) -> list[bytes]:
        """Every connection made before this call, the listener's own marker left out. The
        listener accepts in order: once it has taken a marker connection made now, it has
        taken every earlier one."""
        with socket.create_connection(self.socket.getsockname()) as connection:
            connection.sendall(MARKER)
        wait_until(lambda: MARKER in self.connections, "the listener to take its marker")
        return [received for received in self.connections if received != MARKER]


@pytest.fixture
def listener() -> Iterator[Listener]:
    web = Listener()
    yield web
    web.close()


def _query(server: LiveServer, text: str, **params: str) -> httpx.Response:
    return server.http.get(
        "/sparql",
        params={"query": text, **params},
        headers={"Accept": "application/sparql-results+json, text/turtle;q=0.9"},
    )


def test_nothing_is_fetched_by_default(writable: LiveServer, listener: Listener) -> None:
    web = listener.url
    refused_queries = [
        f"SELECT * WHERE {{ SERVICE <{web}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service silent <{web}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{web}> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE<{web}>{{ ?s ?p ?o }} }} }} }}",
    ]
    for text in refused_queries:
        response = _query(writable, text)
        assert response.status_code == 400, text
        assert "SERVICE" in response.text
    inert_queries = [
        (f"SELECT * FROM <{web}> WHERE {{ ?s ?p ?o }}", {}),
        (f"SELECT * FROM NAMED <{web}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", {}),
        ("SELECT * WHERE { ?s ?p ?o }", {"default-graph-uri": web}),
        ("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", {"named-graph-uri": web}),
        (f"DESCRIBE <{web}>", {}),
    ]
    for text, params in inert_queries:
        response = _query(writable, text, **params)
        assert response.status_code == 200, (text, response.text)
    update = {"Content-Type": "application/sparql-update", **AUTH}
    for text in (
        f"LOAD <{web}>",
        f"LOAD SILENT <{web}> INTO GRAPH <http://example.org/g>",
        f"INSERT {{ GRAPH <http://example.org/g> {{ ?s ?p ?o }} }} "
        f"WHERE {{ SERVICE <{web}> {{ ?s ?p ?o }} }}",
    ):
        response = writable.http.post("/update", content=text, headers=update)
        assert response.status_code == 400, text
    uploads = [
        (
            "application/ld+json",
            f'{{"@context": "{web}", "@id": "http://example.org/a", "name": "x"}}',
        ),
        (
            "application/ld+json",
            f'{{"@context": ["{web}"], "@id": "http://example.org/a", "name": "x"}}',
        ),
        (
            "application/rdf+xml",
            f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY ext SYSTEM "{web}">]>'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns:ex="http://example.org/"><rdf:Description rdf:about="http://example.org/a">'
            "<ex:p>&ext;</ex:p></rdf:Description></rdf:RDF>",
        ),
        (
            "text/turtle",
            f"@prefix ex: <{web}#> . @base <{web}> . <a> ex:p <b> .",
        ),
    ]
    for media_type, body in uploads:
        response = writable.http.put(
            "/store",
            params={"graph": "http://example.org/upload"},
            content=body.encode(),
            headers={"Content-Type": media_type, **AUTH},
        )
        if media_type == "text/turtle":  # a prefix naming a web IRI is only a name
            assert response.status_code == 201, response.text
        else:
            assert response.status_code == 400, (media_type, response.text)
    assert writable.http.get("/resource", params={"uri": web}).status_code == 404
    assert listener.everything_received() == []


def test_the_listener_does_see_a_server_that_allows_service(
    built: Path, tmp_path: Path, listener: Listener
) -> None:
    """The control: with VNPOLICY_ALLOW_SERVICE=1 the same SERVICE query reaches the listener."""
    with serving_copy(built, tmp_path, {"VNPOLICY_ALLOW_SERVICE": "1"}) as live:
        _query(live, f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}")
    received = listener.everything_received()
    assert received, "the server allowed SERVICE does connect to the listener"
    assert all(request.startswith((b"POST /data", b"GET /data")) for request in received)
