"""A real server behind its public URL: every absolute URL it writes starts there, whatever
``Host`` a request names (``VNPOLICY_PUBLIC_URL``)."""

from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import DCAT, VOID

from tests.utils.corpus import BASE
from tests.utils.rdf import response_graph
from tests.utils.servers import serving_copy

PUBLIC = "https://policy.example.org/"
SD = "http://www.w3.org/ns/sparql-service-description#"
TURTLE = {"Accept": "text/turtle", "Host": "evil.example"}


def test_the_public_url_names_every_absolute_url(built: Path, tmp_path: Path) -> None:
    with serving_copy(built, tmp_path, {"VNPOLICY_PUBLIC_URL": PUBLIC}) as live:
        client = live.http
        endpoint = URIRef(PUBLIC + "sparql")
        description = response_graph(client.get("/sparql", headers=TURTLE))
        assert (endpoint, URIRef(SD + "endpoint"), endpoint) in description
        void = response_graph(client.get("/.well-known/void", headers=TURTLE))
        downloads = {str(url) for url in void.objects(None, DCAT.downloadURL)}
        kinds = ("nq", "nq.gz", "trig", "trig.gz")
        assert {PUBLIC + f"dumps/vnpolicy.{kind}" for kind in kinds} <= downloads
        assert PUBLIC + "export/documents.graphml" in downloads
        assert all(url.startswith(PUBLIC) for url in downloads)
        assert void.value(URIRef(BASE + "id/dataset"), VOID.sparqlEndpoint) == endpoint
        robots = client.get("/robots.txt", headers={"Host": "evil.example"}).text
        assert f"Sitemap: {PUBLIC}sitemap.xml" in robots
        sitemap = client.get("/sitemap.xml", headers={"Host": "evil.example"}).text
        assert f"<loc>{PUBLIC}</loc>" in sitemap
        assert "evil.example" not in sitemap
        # A query's relative IRIs resolve against the public endpoint.
        answer = client.get(
            "/sparql",
            params={"query": "SELECT (<x> AS ?x) WHERE {}"},
            headers={"Accept": "text/csv", "Host": "evil.example"},
        )
        assert answer.text.split() == ["x", PUBLIC + "x"]
        assert f"public URL {PUBLIC}" in live.output()


def test_a_public_url_that_is_not_an_origin_stops_the_start(tmp_path: Path) -> None:
    from tests.utils.command import vnpolicy

    done = vnpolicy(
        "serve", "--get", "/health", env={"VNPOLICY_PUBLIC_URL": "https://policy.example.org/sub"}
    )
    assert done.returncode == 2
    assert "VNPOLICY_PUBLIC_URL='https://policy.example.org/sub' must be an http(s) origin" in (
        done.stderr
    )
