"""Writes through a real ``vnpolicy serve`` with a write token: SPARQL Update at ``/update`` and
the Graph Store Protocol at ``/store``. Every refused write must leave the published data exactly
as it was (compared as the bytes of the N-Quads dump); every accepted one must reach the endpoint
(every query worker), the linked-data descriptions and the dumps."""

import re
import shutil
import uuid
from pathlib import Path

import httpx
import pytest
from pyoxigraph import RdfFormat, parse
from rdflib import Graph
from rdflib.compare import isomorphic
from SPARQLWrapper import POST, SPARQLWrapper

from tests.utils.corpus import BASE, DISPATCH, DISPATCH_GRAPH, path
from tests.utils.rdf import named_graphs, same_graphs
from tests.utils.servers import AUTH, WRITE_TOKEN, LiveServer, running_server
from tests.utils.sparql import ask
from vnpolicy.graph.uris import Minter

DIRECTION = f"{DISPATCH}/section/2/section/1/direction/1"
WORDING = f"{DIRECTION}/eng/lawnet"


def dump(server: LiveServer) -> bytes:
    response = server.http.get("/dumps/vnpolicy.nq")
    assert response.status_code == 200
    return response.content


def ask_workers(server: LiveServer, query: str, times: int = 1) -> set[bool]:
    """The answers of ``times`` runs (several runs reach several query workers)."""
    return {ask(server.http, query) for _ in range(times)}


def update(server: LiveServer, text: str, headers: dict[str, str] | None = None) -> httpx.Response:
    return server.http.post(
        "/update",
        content=text.encode(),
        headers={
            "Content-Type": "application/sparql-update",
            **(AUTH if headers is None else headers),
        },
    )


def graph_turtle(server: LiveServer, graph: str) -> bytes:
    response = server.http.get("/store", params={"graph": graph}, headers={"Accept": "text/turtle"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/turtle; charset=utf-8"
    return response.content


def same_dataset(first: bytes, second: bytes) -> bool:
    """Whether two N-Quads dumps hold the same graphs, compared as graphs."""
    return same_graphs(
        named_graphs(first, RdfFormat.N_QUADS), named_graphs(second, RdfFormat.N_QUADS)
    )


def test_writes_are_refused_when_no_token_is_configured(server: LiveServer) -> None:
    before = dump(server)
    attempts = [
        server.http.post(
            "/update",
            content=b"CLEAR ALL",
            headers={"Content-Type": "application/sparql-update", **AUTH},
        ),
        server.http.put("/store?default", content=b"", headers={"Content-Type": "text/turtle"}),
        server.http.delete("/store", params={"graph": DISPATCH_GRAPH}, headers=AUTH),
        server.http.post("/store", content=b"", headers={"Content-Type": "text/turtle"}),
    ]
    for response in attempts:
        assert response.status_code == 403, response.text
        assert "VNPOLICY_WRITE_TOKEN" in response.text
    assert dump(server) == before
    # Reading the graph store needs no token.
    assert b"4324" in graph_turtle(server, DISPATCH_GRAPH)


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {WRITE_TOKEN}"}],
    ids=["none", "wrong-token", "wrong-scheme"],
)
def test_a_missing_or_wrong_token_is_401(writable: LiveServer, headers: dict[str, str]) -> None:
    before = dump(writable)
    response = update(writable, "CLEAR ALL", headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    deleted = writable.http.delete("/store", params={"graph": DISPATCH_GRAPH}, headers=headers)
    assert deleted.status_code == 401
    assert dump(writable) == before


def test_non_conforming_writes_are_422_with_the_report_and_change_nothing(
    writable: LiveServer,
) -> None:
    before = dump(writable)
    remove_ordinal = f"DELETE WHERE {{ GRAPH ?g {{ <{DIRECTION}> vnp:ordinal ?n }} }}"
    refused = update(writable, remove_ordinal)
    assert refused.status_code == 422
    assert "Provision-ordinal" in refused.text
    assert DIRECTION.removeprefix(BASE) in refused.text
    as_json = update(writable, remove_ordinal, {**AUTH, "Accept": "application/json"})
    assert as_json.status_code == 422
    violations = as_json.json()["report"]["violations"]
    assert {(v["source_shape"].rsplit("#")[-1], v["focus"]) for v in violations} == {
        ("Provision-ordinal", DIRECTION)
    }
    # The same through the Graph Store Protocol: the graph without that triple.
    original = graph_turtle(writable, DISPATCH_GRAPH).decode()
    text = original.replace("vnp:ordinal 1 ;", "", 1)
    assert text != original
    put = writable.http.put(
        "/store",
        params={"graph": DISPATCH_GRAPH},
        content=text.encode(),
        headers={"Content-Type": "text/turtle", **AUTH},
    )
    assert put.status_code == 422, put.text
    assert dump(writable) == before
    assert ask_workers(writable, f"ASK {{ <{DIRECTION}> vnp:ordinal 1 }}", times=4) == {True}


def test_an_update_reaches_every_worker_the_pages_and_the_dumps(writable: LiveServer) -> None:
    before = dump(writable)
    edit = f"""
        DELETE {{ GRAPH ?g {{ <{WORDING}> rdf:value ?old }} }}
        INSERT {{ GRAPH ?g {{ <{WORDING}> rdf:value "An edited wording."@en }} }}
        WHERE {{ GRAPH ?g {{ <{WORDING}> rdf:value ?old }} }}"""
    assert update(writable, edit).status_code == 204
    try:
        edited = f'ASK {{ <{WORDING}> rdf:value "An edited wording."@en }}'
        assert ask_workers(writable, edited, 6) == {True}
        assert "An edited wording." in writable.http.get(f"{path(WORDING)}.ttl").text
        assert "An edited wording." in writable.http.get(f"{path(DIRECTION)}.html").text
        after = dump(writable)
        assert after != before
        assert b"An edited wording." in after
    finally:
        # Put the original wording back, read from the dump taken before.
        original = next(
            quad.object
            for quad in parse(before, format=RdfFormat.N_QUADS)
            if quad.subject.value == WORDING and quad.predicate.value.endswith("#value")
        )
        restore = f"""
            DELETE {{ GRAPH ?g {{ <{WORDING}> rdf:value ?x }} }}
            INSERT {{ GRAPH ?g {{ <{WORDING}> rdf:value {original} }} }}
            WHERE {{ GRAPH ?g {{ <{WORDING}> rdf:value ?x }} }}"""
        assert update(writable, restore).status_code == 204
    assert same_dataset(dump(writable), before)


def test_a_document_is_deleted_and_added_back_whole(writable: LiveServer) -> None:
    before = dump(writable)
    turtle = graph_turtle(writable, DISPATCH_GRAPH)
    entailed = f"ASK {{ GRAPH <{BASE}graph/entailments> {{ <{DISPATCH}> a eli:LegalResource }} }}"
    assert ask_workers(writable, entailed) == {True}
    store = {"graph": DISPATCH_GRAPH}
    turtle_headers = {"Content-Type": "text/turtle", **AUTH}

    deleted = writable.http.delete("/store", params=store, headers=AUTH)
    assert deleted.status_code == 204
    assert writable.http.get("/store", params=store).status_code == 404
    assert ask_workers(writable, f"ASK {{ <{DISPATCH}> ?p ?o }}", times=4) == {False}
    assert ask_workers(writable, entailed) == {False}
    assert writable.http.get(f"{path(DISPATCH)}.ttl").status_code == 404
    assert writable.http.delete("/store", params=store, headers=AUTH).status_code == 404

    added = writable.http.post("/store", content=turtle, headers=turtle_headers)
    assert added.status_code == 201, added.text
    assert added.headers["location"] == DISPATCH_GRAPH
    twice = writable.http.post("/store", content=turtle, headers=turtle_headers)
    assert twice.status_code == 409
    assert "PUT" in twice.text
    replaced = writable.http.put("/store", params=store, content=turtle, headers=turtle_headers)
    assert replaced.status_code == 204
    assert ask_workers(writable, entailed, times=4) == {True}
    assert same_dataset(dump(writable), before)


def test_an_upload_describing_no_document_gets_a_minted_upload_graph(
    writable: LiveServer,
) -> None:
    before = dump(writable)
    triple = b"<https://example.org/a> <https://example.org/p> <https://example.org/b> .\n"
    added = httpx.post(
        f"{writable.url}/store",
        content=triple,
        headers={"Content-Type": "application/n-triples", **AUTH},
    )
    assert added.status_code == 201, added.text
    location = added.headers["location"]
    upload = re.fullmatch(re.escape(f"{BASE}graph/upload/") + "(.+)", location)
    assert upload is not None, location
    assert location == str(Minter(BASE).upload_graph(uuid.UUID(upload[1])))
    stored = Graph().parse(data=graph_turtle(writable, location), format="turtle")
    assert set(stored) == set(Graph().parse(data=triple, format="nt"))
    deleted = httpx.delete(f"{writable.url}/store", params={"graph": location}, headers=AUTH)
    assert deleted.status_code == 204
    assert same_dataset(dump(writable), before)


def test_a_document_goes_in_its_own_graph(writable: LiveServer) -> None:
    before = dump(writable)
    elsewhere = writable.http.put(
        "/store",
        params={"graph": "http://example.org/elsewhere"},
        content=graph_turtle(writable, DISPATCH_GRAPH),
        headers={"Content-Type": "text/turtle", **AUTH},
    )
    assert elsewhere.status_code == 422
    assert DISPATCH_GRAPH in elsewhere.text
    assert dump(writable) == before


@pytest.mark.parametrize(
    ("method", "target", "content_type", "body", "status", "says"),
    [
        ("PUT", "?default", "text/csv", b"a,b", 415, "text/turtle"),
        ("PUT", "?default", "text/turtle", b"<a> <b> .", 400, "does not parse"),
        ("PUT", "?graph=not-an-iri", "text/turtle", b"", 400, "absolute IRI"),
        ("PUT", "?graph=x&default", "text/turtle", b"", 400, "Name one graph"),
        ("POST", "/update", "application/sparql-update", b"CLEAR XYZ", 400, "Invalid SPARQL"),
        (
            "POST",
            "/update",
            "application/sparql-update",
            b"LOAD <http://127.0.0.1:9/x>",
            400,
            "LOAD",
        ),
        ("POST", "/update", "text/plain", b"CLEAR ALL", 415, "application/sparql-update"),
        ("GET", "/update", "", b"", 405, "POST"),
    ],
)
def test_bad_writes_are_4xx_with_a_message(
    writable: LiveServer,
    method: str,
    target: str,
    content_type: str,
    body: bytes,
    status: int,
    says: str,
) -> None:
    before = dump(writable)
    route = target if target.startswith("/") else f"/store{target}"
    headers = {**AUTH, **({"Content-Type": content_type} if content_type else {})}
    response = writable.http.request(method, route, content=body, headers=headers)
    assert response.status_code == status, response.text
    assert says in response.text
    assert dump(writable) == before


def test_writes_to_an_on_disk_store_survive_a_restart(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(built, out)
    store = tmp_path / "store"
    insert = (
        "INSERT DATA { GRAPH <http://example.org/kept> "
        '{ <http://example.org/a> <http://example.org/p> "kept" } }'
    )
    env = {"VNPOLICY_WRITE_TOKEN": WRITE_TOKEN}
    with running_server(out, tmp_path, env, ("--store", str(store))) as first:
        assert update(first, insert).status_code == 204
        assert ask_workers(first, 'ASK { ?s ?p "kept" }', times=4) == {True}
    with running_server(out, tmp_path, env, ("--store", str(store))) as second:
        assert ask_workers(second, 'ASK { ?s ?p "kept" }', times=4) == {True}
        kept = second.http.get("/store", params={"graph": "http://example.org/kept"})
        assert kept.status_code == 200
        assert isomorphic(
            Graph().parse(data=kept.text, format="turtle"),
            Graph().parse(
                data='<http://example.org/a> <http://example.org/p> "kept" .', format="nt"
            ),
        )


def test_sparqlwrapper_updates_with_the_token(writable: LiveServer) -> None:
    graph = "http://example.org/sparqlwrapper"
    client = SPARQLWrapper(f"{writable.url}/sparql", updateEndpoint=f"{writable.url}/update")
    client.setMethod(POST)
    client.addCustomHttpHeader("Authorization", f"Bearer {WRITE_TOKEN}")
    client.setQuery(
        f'INSERT DATA {{ GRAPH <{graph}> {{ <http://example.org/a> rdfs:label "a" }} }}'
    )
    assert client.query().response.status == 204
    try:
        labelled = f"ASK {{ GRAPH <{graph}> {{ ?s rdfs:label 'a' }} }}"
        assert ask_workers(writable, labelled, times=4) == {True}
    finally:
        client.setQuery(f"DROP GRAPH <{graph}>")
        assert client.query().response.status == 204
    assert ask_workers(writable, f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}") == {False}
