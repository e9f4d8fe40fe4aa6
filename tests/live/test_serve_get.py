"""``vnpolicy serve --get PATH``: the real command loads the data as ``serve`` does and answers one
request in process; its body is parsed back, its exit code says whether the request succeeded."""

import json
import subprocess
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from tests.utils.command import vnpolicy
from tests.utils.paths import DOCUMENT_COUNT
from vnpolicy.graph.namespaces import VNP

R57 = "https://w3id.org/vnpolicy/eli/vn/tw/nq/2024/57"


def serve_get(
    out: Path | None, *args: str, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """``vnpolicy serve --get …`` on the dumps in ``out`` (None: the default, ``out/`` in
    ``cwd``)."""
    return vnpolicy("serve", "--get", *args, env={"VNPOLICY_OUT": str(out)} if out else {}, cwd=cwd)


def test_an_ask_query_answers_true(built: Path) -> None:
    result = serve_get(built, "/sparql?query=ASK{}")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"head": {}, "boolean": True}
    assert result.stderr == ""


def test_a_select_query_runs_on_the_loaded_corpus(built: Path) -> None:
    query = "SELECT (COUNT(?d) AS ?n) WHERE { ?d a vnp:Document }"
    result = serve_get(built, f"/sparql?query={query}", "--accept", "text/csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["n", str(DOCUMENT_COUNT)]


def test_a_resource_follows_its_303_to_turtle_that_parses(built: Path) -> None:
    result = serve_get(built, "/eli/vn/tw/nq/2024/57", "--accept", "text/turtle", "--follow")
    assert result.returncode == 0, result.stderr
    graph = Graph().parse(data=result.stdout, format="turtle")
    assert (URIRef(R57), RDF.type, VNP.Document) in graph
    assert (URIRef(R57), VNP.officialNumber, Literal("57-NQ/TW")) in graph
    direct = serve_get(built, "/eli/vn/tw/nq/2024/57.ttl")
    assert direct.returncode == 0, direct.stderr
    assert isomorphic(graph, Graph().parse(data=direct.stdout, format="turtle"))


def test_a_303_is_printed_not_followed_unless_asked(built: Path) -> None:
    result = serve_get(built, "/eli/vn/tw/nq/2024/57", "--accept", "text/turtle")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == (
        "HTTP/1.1 303 See Other: /eli/vn/tw/nq/2024/57.ttl (--follow follows it)\n"
    )


def _head(block: str) -> tuple[str, dict[str, str]]:
    status, *fields = block.splitlines()
    return status, dict(field.split(": ", 1) for field in fields)


def test_headers_come_before_the_body_redirects_included(built: Path) -> None:
    result = serve_get(
        built, "/eli/vn/tw/nq/2024/57", "-H", "Accept: application/n-triples", "-L", "--headers"
    )
    assert result.returncode == 0, result.stderr
    redirect, final, body = result.stdout.split("\n\n", 2)
    status, headers = _head(redirect)
    assert status == "HTTP/1.1 303 See Other"
    assert headers["location"] == "/eli/vn/tw/nq/2024/57.nt"
    assert headers["vary"] == "Accept"
    status, headers = _head(final)
    assert status == "HTTP/1.1 200 OK"
    assert headers["content-type"].split(";")[0] == "application/n-triples"
    graph = Graph().parse(data=body, format="nt")
    assert (URIRef(R57), VNP.officialNumber, Literal("57-NQ/TW")) in graph


@pytest.mark.parametrize(
    ("path", "accept", "status", "message"),
    [
        ("/nowhere", "text/html", "404 Not Found", "/nowhere names nothing in this dataset"),
        ("/sparql?query=SELEC", "*/*", "400 Bad Request", "Invalid SPARQL: error at 1:6"),
        ("/sparql?query=ASK{}", "text/turtle", "406 Not Acceptable", "application/sparql"),
    ],
)
def test_a_failed_request_exits_1_with_the_status_and_error_on_stderr(
    built: Path, path: str, accept: str, status: str, message: str
) -> None:
    result = serve_get(built, path, "--accept", accept)
    assert result.returncode == 1
    assert result.stdout == ""
    first, rest = result.stderr.split("\n", 1)
    assert first == f"HTTP/1.1 {status}"
    assert message in rest


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("sparql",), "'sparql' is not a path such as /sparql?query=ASK{}"),
        (("/", "-H", "Accept"), "'Accept' is not NAME:VALUE"),
    ],
)
def test_bad_get_options_are_usage_errors(built: Path, args: tuple[str, ...], error: str) -> None:
    result = serve_get(built, *args)
    assert result.returncode == 2
    assert error in result.stderr


def test_request_options_need_get() -> None:
    result = vnpolicy("serve", "--accept", "text/turtle", "--headers")
    assert result.returncode == 2
    assert "--accept, --headers: only with --get" in result.stderr


def test_without_out_the_dumps_are_built_in_out_of_the_current_folder(tmp_path: Path) -> None:
    result = serve_get(None, "/sparql?query=ASK{}", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["boolean"] is True
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["inputs"]
    assert (tmp_path / "out" / "vnpolicy.nq").is_file()
