"""Error shapes, in process: a refused request gets its 4xx status and the one error body — plain
text, ``"<status> <message>"``, the message saying what was wrong — from every route; a 405 names
the methods that are allowed."""

from typing import Any

import html5rdf
import httpx
import pytest

from tests.utils.corpus import R57, path

DIRECT = {"Content-Type": "application/sparql-query"}

#: (method, path, httpx arguments, status, what the message must say)
CASES: list[tuple[str, str, dict[str, Any], int, str]] = [
    ("PUT", "/sparql", {}, 405, "Use GET or POST"),
    ("GET", "/sparql", {"params": {"query": "SELECT * WHERE { ?s ?p }"}}, 400,
     "Invalid SPARQL: error at 1:"),
    ("GET", "/sparql", {"params": [("query", "ASK {}"), ("query", "ASK {}")]}, 400,
     "One query per request"),
    ("POST", "/sparql", {"content": b"ASK {}", "headers": {"Content-Type": "text/plain"}}, 415,
     "application/sparql-query"),
    ("POST", "/sparql", {"content": b"query=ASK%20%7B%7D"}, 415,
     "not a body without Content-Type"),
    ("POST", "/sparql", {"content": "ASK {}".encode("utf-16"), "headers": DIRECT}, 400,
     "not valid UTF-8"),
    ("POST", "/sparql", {"content": b"ASK {}",
                         "headers": {"Content-Type": "application/sparql-query; charset=utf-16"}},
     415, "charset utf-16"),
    ("POST", "/sparql", {"data": {"update": "CLEAR ALL"}}, 400, "/update"),
    ("GET", "/sparql", {"params": {"update": "CLEAR ALL"}}, 400, "/update"),
    ("GET", "/sparql",
     {"params": {"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}}, 400,
     "SERVICE"),
    ("GET", "/sparql", {"params": {"query": "ASK {}"}, "headers": {"Accept": "image/png"}}, 406,
     "available: application/sparql-results+json"),
    ("POST", "/sparql", {"content": b"x" * 2_000_000, "headers": DIRECT}, 413, "exceeds"),
    ("GET", "/update", {}, 405, "needs POST"),
    ("POST", "/update", {"content": b"CLEAR ALL",
                         "headers": {"Content-Type": "application/sparql-update"}}, 403,
     "VNPOLICY_WRITE_TOKEN"),
    ("GET", "/store", {}, 400, "Name one graph"),
    ("GET", "/store", {"params": {"graph": "not an iri"}}, 400, "is not an absolute IRI"),
    ("GET", "/store", {"params": {"graph": "http://example.org/none"}}, 404,
     "No graph http://example.org/none"),
    ("GET", "/export/documents.png", {}, 404, "ask for VIEW.EXTENSION"),
    ("GET", "/export/documents.graphml", {"params": {"lang": "fr"}}, 400, "choose en or vi"),
    ("POST", "/export", {"data": {"query": "CONSTRUCT {"}}, 400, "Invalid SPARQL"),
    ("POST", "/export", {"content": b"SELECT * { ?s ?p ?o } LIMIT 1", "headers": DIRECT}, 400,
     "CONSTRUCT"),
    ("POST", "/export", {"content": b"ASK {}", "headers": {"Content-Type": "text/plain"}}, 415,
     "application/sparql-query"),
    ("GET", "/dumps/secret.txt", {}, 404, "available: vnpolicy.nq"),
    ("GET", "/resource", {"params": {"uri": "not an iri"}}, 400, "is not an absolute IRI"),
    ("GET", f"{path(R57)}.html", {"params": {"page": "-5"}}, 400, "give a page number from 1"),
    ("GET", path(R57), {"headers": {"Accept": "image/png"}}, 406, "available: text/html"),
]  # fmt: skip
#: Refusals the router, the static files and FastAPI's parameter validation make themselves,
#: answered by the same handler (server/http/problems.py).
FRAMEWORK_CASES: list[tuple[str, str, dict[str, Any], int, str]] = [
    ("POST", path(R57), {}, 405, "POST is not allowed"),
    ("GET", "/static/nothing.css", {}, 404, "nothing.css"),
    ("GET", "/resource", {}, 400, "query parameter 'uri': Field required"),
]


#: The methods a 405 names, by path.
ALLOWED = {"/sparql": {"GET", "HEAD", "POST"}, "/update": {"POST"}, path(R57): {"GET", "HEAD"}}


@pytest.mark.parametrize(
    ("method", "target", "arguments", "status", "message"),
    [*CASES, *FRAMEWORK_CASES],
)
def test_a_refusal_is_its_status_and_a_message_in_the_one_error_body(
    client: httpx.Client,
    method: str,
    target: str,
    arguments: dict[str, Any],
    status: int,
    message: str,
) -> None:
    response = client.request(method, target, **arguments)
    assert response.status_code == status, response.text[:300]
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text.startswith(f"{status} "), response.text[:300]
    assert response.text.endswith("\n")
    assert message in response.text
    if status == 405:
        allowed = {part.strip() for part in response.headers["allow"].split(",")}
        assert allowed == ALLOWED[target]


@pytest.mark.parametrize(
    "accept", ["application/json", "application/problem+json", "application/json, text/html;q=0.5"]
)
def test_a_client_asking_for_json_gets_problem_details(client: httpx.Client, accept: str) -> None:
    response = client.get("/dumps/nothing.nq", headers={"Accept": accept})
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["vary"] == "Accept"
    problem = response.json()
    assert problem.keys() == {"type", "title", "status", "detail"}
    assert problem["type"] == "about:blank"
    assert (problem["title"], problem["status"]) == ("Not Found", 404)
    assert problem["detail"].startswith("No dump named 'nothing.nq'; available: vnpolicy.nq")


def test_a_refused_query_in_problem_details(client: httpx.Client) -> None:
    accept = "application/sparql-results+json, application/json;q=0.5"
    response = client.get(
        "/sparql", params={"query": "SELECT * WHERE { ?s ?p }"}, headers={"Accept": accept}
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Invalid SPARQL: error at 1:")


def test_a_406_in_problem_details_lists_what_is_available(client: httpx.Client) -> None:
    response = client.get(path(R57), headers={"Accept": "image/png, application/json;q=0.1"})
    assert response.status_code == 406
    problem = response.json()
    assert problem["status"] == 406
    assert "text/html" in problem["available"]
    assert "text/turtle" in problem["available"]


def test_a_browser_gets_an_error_page_in_its_language(client: httpx.Client) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get(
        "/sparql",
        params={"query": "SELECT * WHERE { ?s ?p }"},
        headers={"Accept": browser, "Accept-Language": "vi"},
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = html5rdf.parse(response.text, namespaceHTMLElements=False)
    assert page.get("lang") == "vi"
    assert page.findtext(".//h1") == "400 Bad Request"
    assert "Invalid SPARQL" in (page.findtext(".//p[@class='error']") or "")
    assert page.findall(".//a[@href='/']")  # a way home


def test_a_client_asking_only_for_results_formats_gets_text(client: httpx.Client) -> None:
    """A SPARQL client that accepts only results formats is not sent problem details it did
    not ask for."""
    response = client.get(
        "/sparql",
        params={"query": "SELECT * WHERE { ?s ?p }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text.startswith("400 Invalid SPARQL")
