"""Malformed and hostile requests to a real ``vnpolicy serve``: each gets a 4xx with a message
that says what was wrong — never a 500, never a hang — and the server keeps answering. Uploads
that are refused leave the published data byte for byte as it was."""

import socket
from typing import Any

import httpx
import pytest

from tests.utils.corpus import DISPATCH, R57, path
from tests.utils.servers import AUTH, LiveServer
from tests.utils.sparql import select
from tests.utils.waiting import PATIENCE

DIRECT = {"Content-Type": "application/sparql-query"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
R57_PATH = path(R57)
SELECT_ONE = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"

#: (name, method, path, httpx keyword arguments, expected status)
READ_CASES: list[tuple[str, str, str, dict[str, Any], int]] = [
    ("syntax error", "GET", "/sparql", {"params": {"query": "SELECT * WHERE { ?s ?p "}}, 400),
    ("empty query", "GET", "/sparql", {"params": {"query": ""}}, 400),
    ("NUL in query", "GET", "/sparql", {"params": {"query": "ASK {}\x00"}}, 400),
    ("invalid UTF-8 body", "POST", "/sparql",
     {"content": b"SELECT \xff\xfe * WHERE {}", "headers": DIRECT}, 400),
    ("UTF-16 body", "POST", "/sparql",
     {"content": "ASK {}".encode("utf-16"), "headers": DIRECT}, 400),
    ("UTF-16 form", "POST", "/sparql",
     {"content": "query=ASK{}".encode("utf-16"), "headers": FORM}, 400),
    ("declared UTF-16 charset", "POST", "/sparql",
     {"content": b"query=ASK%7B%7D",
      "headers": {"Content-Type": "application/x-www-form-urlencoded; charset=utf-16"}}, 415),
    ("oversized body", "POST", "/sparql",
     {"content": b"ASK {}" + b" " * 1_100_000, "headers": DIRECT}, 413),
    ("oversized body, no length", "POST", "/sparql",
     {"content": iter([b"ASK {}", b" " * 600_000, b" " * 600_000]), "headers": DIRECT}, 413),
    ("thousands of parameters", "GET", "/sparql?query=ASK%7B%7D" + "&x=1" * 3000, {}, 400),
    ("two queries", "GET", "/sparql?query=ASK%7B%7D&query=ASK%7B%7D", {}, 400),
    ("deep nesting", "GET", "/sparql",
     {"params": {"query": "ASK " + "{" * 5000 + "}" * 5000}}, 400),
    ("deep expression", "POST", "/sparql",
     {"content": ("ASK { FILTER(" + "(" * 20000 + "1" + ")" * 20000 + ") }").encode(),
      "headers": DIRECT}, 400),
    ("wrong media type", "POST", "/sparql",
     {"content": b"ASK {}", "headers": {"Content-Type": "text/plain"}}, 415),
    ("no media type", "POST", "/sparql", {"content": b"ASK {}"}, 415),
    ("garbage Accept", "GET", "/sparql",
     {"params": {"query": SELECT_ONE}, "headers": {"Accept": "garbage;;;q=abc, */*;q=x"}}, 406),
    ("thousands of Accept types", "GET", "/sparql",
     {"params": {"query": SELECT_ONE},
      "headers": {"Accept": ",".join(f"text/x{i}" for i in range(3000))}}, 406),
    ("huge format", "GET", "/sparql", {"params": {"query": SELECT_ONE, "format": "x" * 50000}},
     406),
    ("dataset IRI with a space", "GET", "/sparql",
     {"params": {"query": "ASK {}", "default-graph-uri": "not an iri"}}, 400),
    ("named graph IRI with a NUL", "GET", "/sparql",
     {"params": {"query": "ASK {}", "named-graph-uri": "http://x/\x00"}}, 400),
    ("update sent to the query endpoint", "POST", "/sparql",
     {"content": b"update=CLEAR%20ALL", "headers": FORM}, 400),
    ("PUT on the endpoint", "PUT", "/sparql", {}, 405),
    ("path traversal", "GET", "/eli/../../etc/passwd", {}, 404),
    ("encoded traversal in a dump", "GET", "/dumps/..%2F..%2Fpyproject.toml", {}, 404),
    ("dot-dot dump", "GET", "/dumps/%2e%2e/manifest.json", {}, 404),
    ("traversal under static", "GET", "/static/..%2F..%2Fserver%2Fapp.py", {}, 404),
    ("traversal in an export", "GET", "/export/..%2F..%2Fpyproject.toml", {}, 404),
    ("NUL in a suffix", "GET", f"{R57_PATH}.ttl%00", {}, 404),
    ("control characters in a path", "GET", "/eli/%14%12", {}, 404),
    ("huge suffix", "GET", f"{R57_PATH}." + "x" * 5000, {}, 404),
    ("deep path", "GET", "/" + "a/" * 4000, {}, 404),
    ("resource that is no IRI", "GET", "/resource", {"params": {"uri": "not a uri"}}, 400),
    ("resource without uri", "GET", "/resource", {}, 400),
    ("file URI", "GET", "/resource", {"params": {"uri": "file:///etc/passwd"}}, 404),
    ("huge lang", "GET", "/export/documents.gexf", {"params": {"lang": "x" * 10000}}, 400),
    ("negative page", "GET", f"{R57_PATH}.html", {"params": {"page": "-5"}}, 400),
    ("page that is no number", "GET", f"{R57_PATH}.html", {"params": {"page": "x" * 5000}}, 400),
    ("SELECT as a network", "POST", "/export", {"content": SELECT_ONE.encode(), "headers": DIRECT},
     400),
    ("huge network format", "POST", "/export",
     {"params": {"format": "x" * 5000}, "content": b"CONSTRUCT WHERE { ?s ?p ?o } LIMIT 3",
      "headers": DIRECT}, 400),
    ("store path that is no IRI", "GET", "/store/%14%12", {}, 400),
    ("store graph that is no IRI", "GET", "/store", {"params": {"graph": "x" * 3000}}, 400),
    ("write without a token", "PUT", "/store",
     {"params": {"graph": "http://example.org/g"}, "content": b"<a:b> <a:c> <a:d> .",
      "headers": {"Content-Type": "application/n-triples"}}, 403),
]  # fmt: skip


def _check_refusal(response: httpx.Response, status: int) -> None:
    assert response.status_code == status, response.text[:500]
    assert response.text.strip(), "a refusal says why"
    assert len(response.content) < 20_000, "a refusal does not echo the input back"


def _table(cases: list[tuple[str, str, str, dict[str, Any], int]]) -> pytest.MarkDecorator:
    """A table of cases, each named by its first column."""
    return pytest.mark.parametrize(
        ("method", "target", "arguments", "status"),
        [case[1:] for case in cases],
        ids=[case[0] for case in cases],
    )


@_table(READ_CASES)
def test_malformed_requests_get_a_4xx_with_a_message(
    server: LiveServer, method: str, target: str, arguments: dict[str, Any], status: int
) -> None:
    _check_refusal(server.http.request(method, target, **arguments), status)
    assert server.http.get("/sparql", params={"query": "ASK {}"}).status_code == 200


def _raw(server: LiveServer, request: bytes) -> bytes:
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=PATIENCE) as connection:
        connection.sendall(request)
        return connection.recv(4096)


def test_requests_no_client_library_would_send_are_refused(server: LiveServer) -> None:
    huge_line = b"GET /sparql?query=" + b"%20" * 200_000 + b"ASK%7B%7D HTTP/1.1\r\nHost: x\r\n\r\n"
    assert _raw(server, huge_line).startswith(b"HTTP/1.1 4")
    folded = b"GET /sparql HTTP/1.1\r\nHost: x\r\nAccept: text/turtle\r\n\tevil: 1\r\n\r\n"
    assert _raw(server, folded).startswith(b"HTTP/1.1 4")
    assert _raw(server, b"BREW /sparql HTTP/1.1\r\nHost: x\r\n\r\n").startswith(b"HTTP/1.1 4")
    assert server.http.get("/sparql", params={"query": "ASK {}"}).status_code == 200


def test_response_headers_cannot_be_injected(server: LiveServer) -> None:
    for target in (
        f"{R57_PATH}%0d%0aSet-Cookie:%20injected=1",
        f"{R57_PATH}.ttl%0d%0aSet-Cookie:%20injected=1",
        "/export/documents.gexf%0d%0aSet-Cookie:%20injected=1",
    ):
        response = server.http.get(target)
        assert 400 <= response.status_code < 500
        assert "set-cookie" not in response.headers
        assert "\n" not in response.headers.get("location", "")
    response = server.http.get(R57_PATH, params={"x": "1\r\nSet-Cookie: injected=1"})
    assert response.status_code == 303
    assert "set-cookie" not in response.headers
    assert "\r" not in response.headers["location"]
    assert "\n" not in response.headers["location"]


def _laughs(levels: int) -> bytes:
    declarations = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels + 1)
    )
    return _rdf_xml(declarations, f"&lol{levels};")


def _rdf_xml(declarations: str, value: str) -> bytes:
    return (
        f'<?xml version="1.0"?><!DOCTYPE rdf:RDF [{declarations}]>'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:ex="http://example.org/">'
        f'<rdf:Description rdf:about="http://example.org/a"><ex:p>{value}</ex:p>'
        "</rdf:Description></rdf:RDF>"
    ).encode()


GRAPH = {"graph": "http://example.org/upload"}
TURTLE = {"Content-Type": "text/turtle", **AUTH}
XML = {"Content-Type": "application/rdf+xml", **AUTH}
UPDATE = {"Content-Type": "application/sparql-update", **AUTH}
#: (name, method, path, arguments, status): writes that must change nothing.
WRITE_CASES: list[tuple[str, str, str, dict[str, Any], int]] = [
    ("Turtle syntax error", "PUT", "/store",
     {"params": GRAPH, "content": b"<http://a> <http://b> .", "headers": TURTLE}, 400),
    ("invalid UTF-8 Turtle", "PUT", "/store",
     {"params": GRAPH, "content": b'<http://a> <http://b> "\xff" .', "headers": TURTLE}, 400),
    ("non-conforming document", "PUT", "/store",
     {"params": {"graph": "https://w3id.org/vnpolicy/graph/eli/vn/qh/2099/1"},
      "content": b"<https://w3id.org/vnpolicy/eli/vn/qh/2099/1> a "
                 b"<https://w3id.org/vnpolicy/ontology#Document> .", "headers": TURTLE}, 422),
    ("wrong media type", "PUT", "/store",
     {"params": GRAPH, "content": b"<http://a> <http://b> <http://c> .",
      "headers": {"Content-Type": "application/x-unknown", **AUTH}}, 415),
    ("quads where triples are expected", "PUT", "/store",
     {"params": GRAPH, "content": b"<http://a> <http://b> <http://c> <http://g> .",
      "headers": {"Content-Type": "application/n-quads", **AUTH}}, 415),
    ("oversized upload", "PUT", "/store",
     {"params": GRAPH, "content": b"# " + b"x" * 1_100_000 + b"\n", "headers": TURTLE}, 413),
    ("billion laughs", "PUT", "/store", {"params": GRAPH, "content": _laughs(9), "headers": XML},
     400),
    ("quadratic blow-up", "PUT", "/store",
     {"params": GRAPH, "content": _rdf_xml(f'<!ENTITY big "{"x" * 50_000}">', "&big;" * 5000),
      "headers": XML}, 413),
    ("parameter entity", "PUT", "/store",
     {"params": GRAPH, "content": _rdf_xml('<!ENTITY % p "x">', "v"), "headers": XML}, 400),
    ("undeclared entity", "PUT", "/store",
     {"params": GRAPH, "content": _rdf_xml('<!ENTITY a "x">', "&b;"), "headers": XML}, 400),
    ("UTF-16 RDF/XML", "PUT", "/store",
     {"params": GRAPH, "content": _rdf_xml('<!ENTITY a "x">', "&a;").decode().encode("utf-16"),
      "headers": XML}, 400),
    ("multipart without boundary", "POST", "/store",
     {"content": b"x", "headers": {"Content-Type": "multipart/form-data", **AUTH}}, 400),
    ("update syntax error", "POST", "/update", {"content": b"INSERT DATA {", "headers": UPDATE},
     400),
    ("update nesting", "POST", "/update",
     {"content": b"DELETE WHERE " + b"{" * 3000 + b"}" * 3000, "headers": UPDATE}, 400),
    ("update that breaks the shapes", "POST", "/update",
     {"content": b"DELETE WHERE { GRAPH ?g { ?d a vnp:Document ; rdfs:label ?l } }",
      "headers": UPDATE}, 422),
    ("update in UTF-16", "POST", "/update",
     {"content": "CLEAR ALL".encode("utf-16"), "headers": UPDATE}, 400),
    ("GET on /update", "GET", "/update", {}, 405),
]  # fmt: skip


@_table(WRITE_CASES)
def test_refused_writes_change_nothing(
    writable: LiveServer, method: str, target: str, arguments: dict[str, Any], status: int
) -> None:
    before = writable.http.get("/dumps/vnpolicy.nq").content
    _check_refusal(writable.http.request(method, target, **arguments), status)
    assert writable.http.get("/dumps/vnpolicy.nq").content == before


def test_flat_entities_in_rdf_xml_are_still_read(writable: LiveServer) -> None:
    """Namespace abbreviations by entity, as ontology editors write them, are accepted."""
    body = _rdf_xml('<!ENTITY ex "http://example.org/">', "&ex;value")
    graph = "http://example.org/entities"
    response = writable.http.put("/store", params={"graph": graph}, content=body, headers=XML)
    assert response.status_code == 201, response.text
    rows = select(writable.http, f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    assert rows == [{"o": "http://example.org/value"}]
    deleted = writable.http.delete("/store", params={"graph": graph}, headers=AUTH)
    assert deleted.status_code == 204


def test_html_pages_escape_every_literal(writable: LiveServer) -> None:
    hostile = '<script>window.pwned=1</script> & "quoted" <img src=x onerror=alert(1)>'
    dispatch = DISPATCH
    escaped = hostile.replace("\\", "\\\\").replace('"', '\\"')
    changed = writable.http.post(
        "/update",
        content=(
            f"DELETE {{ GRAPH ?g {{ <{dispatch}> rdfs:label ?l }} }} "
            f'INSERT {{ GRAPH ?g {{ <{dispatch}> rdfs:label "{escaped}"@en }} }} '
            f'WHERE {{ GRAPH ?g {{ <{dispatch}> rdfs:label ?l FILTER(lang(?l) = "en") }} }}'
        ).encode(),
        headers=UPDATE,
    )
    assert changed.status_code == 204, changed.text
    page = writable.http.get(f"{path(DISPATCH)}.html").text
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in page
    assert "<script>window.pwned" not in page
    assert "<img src=x" not in page
