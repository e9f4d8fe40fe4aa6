"""The research query catalogue as an API (issue 22): ``/api/queries`` lists the queries and
their parameters, ``/api/queries/{name}`` runs one with its parameters bound — in JSON, CSV and
every SPARQL results format, under the endpoint's limits — and a bad or unknown parameter is a
400 naming it. Also the binding itself: values become SPARQL terms, never query text."""

import csv
import io
import json
import re
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from pyoxigraph import Literal, QuerySolutions, Store

from tests.utils.corpus import FIXTURE_SOURCES, R57
from tests.utils.inprocess import InProcessApp, serving_in_process
from vnpolicy.graph.read.parameters import Parameter, ParameterError, bind, literal_term
from vnpolicy.graph.read.query import CatalogueQuery, catalogue

QUERIES = catalogue()
PARAMETERISED = [query for query in QUERIES if query.parameters]
GYEAR = "http://www.w3.org/2001/XMLSchema#gYear"


def _listing(app: InProcessApp) -> dict[str, dict[str, Any]]:
    response = app.client.get("/api/queries")
    assert response.status_code == 200
    return {entry["name"]: entry for entry in response.json()["queries"]}


def _other_value(app: InProcessApp, query: CatalogueQuery, parameter: Parameter) -> str:
    """A value of ``parameter`` other than its default, as a client would give it."""
    if parameter.kind == "year":
        return "2045"
    if parameter.kind == "date":
        return "2025-01-01"  # 19-in-force-on's day: before 03/NQ-CP entered into force
    described = next(
        p for p in _listing(app)[query.name]["parameters"] if p["name"] == parameter.name
    )
    keys = [value["key"] for value in described["allowed"] if value["iri"] != parameter.default]
    if parameter.name == "implemented":  # a document the fixture corpus has implementers of
        return "eli/vn/cp/nq/2025/03"
    return str(keys[0])


def _rows(body: dict[str, Any]) -> list[dict[str, str]]:
    bindings = body["results"]["bindings"]
    return [{name: term["value"] for name, term in row.items()} for row in bindings]


def test_the_catalogue_declares_the_three_parameterised_queries() -> None:
    declared = {(q.name, p.name, p.kind) for q in PARAMETERISED for p in q.parameters}
    assert declared == {
        ("03-data-pillar-provisions", "pillar", "concept"),
        ("04-targets-2030", "year", "year"),
        ("06-implementing-57", "implemented", "instance"),
        ("19-in-force-on", "on", "date"),  # the day, YYYY-MM-DD (issue 21)
    }


def test_the_list_gives_every_query_with_its_parameters_and_allowed_values(
    app: InProcessApp,
) -> None:
    listed = _listing(app)
    assert list(listed) == [query.name for query in QUERIES]
    year = listed["04-targets-2030"]["parameters"][0]
    assert (year["name"], year["type"], year["default"]) == ("year", "year", "2030")
    assert year["labels"] == {"en": "The deadline year", "vi": "Năm đến hạn"}
    pillar = listed["03-data-pillar-provisions"]["parameters"][0]
    keys = {value["key"]: value["iri"] for value in pillar["allowed"]}
    assert keys["data"] == "https://w3id.org/vnpolicy/vocab/pillar/data"
    assert len(keys) == 5, keys
    implemented = listed["06-implementing-57"]["parameters"][0]
    documents = {value["key"]: value["iri"] for value in implemented["allowed"]}
    assert documents["eli/vn/tw/nq/2024/57"] == R57
    assert listed["01-viewpoints-side-by-side"]["parameters"] == []
    assert listed["04-targets-2030"]["api"] == "http://testserver/api/queries/04-targets-2030"


@pytest.mark.parametrize("query", PARAMETERISED, ids=lambda q: q.name)
def test_each_parameter_is_bound_in_json_and_csv(app: InProcessApp, query: CatalogueQuery) -> None:
    for parameter in query.parameters:
        value = _other_value(app, query, parameter)
        api = f"/api/queries/{query.name}"
        as_json = app.client.get(api, params={parameter.name: value})
        assert as_json.status_code == 200, as_json.text
        assert as_json.headers["content-type"] == "application/sparql-results+json"
        assert as_json.headers["vary"] == "Accept"
        # the same query, bound by hand, through /sparql
        listed = _listing(app)[query.name]["parameters"]
        iri = next(
            (v["iri"] for p in listed if p["name"] == parameter.name
             for v in p["allowed"] or [] if v["key"] == value),
            None,
        )  # fmt: skip
        old = f'"{parameter.default}"^^<{GYEAR}>' if iri is None else f"<{parameter.default}>"
        new = f'"{value}"^^<{GYEAR}>' if iri is None else f"<{iri}>"
        if parameter.kind == "date":
            old = f'"{parameter.default}"^^<http://www.w3.org/2001/XMLSchema#date>'
            new = f'"{value}"^^<http://www.w3.org/2001/XMLSchema#date>'
        by_hand = query.text.replace(f"VALUES ?{parameter.name} {{ {old} }}",
                                     f"VALUES ?{parameter.name} {{ {new} }}")  # fmt: skip
        assert by_hand != query.text
        direct = app.client.post("/sparql", data={"query": by_hand})
        assert _rows(as_json.json()) == _rows(direct.json())
        default = app.client.get(api).json()
        assert _rows(as_json.json()) != _rows(default), "the value changed nothing"
        as_csv = app.client.get(api, params={parameter.name: value, "format": "csv"})
        assert as_csv.headers["content-type"] == "text/csv; charset=utf-8"
        table = list(csv.reader(io.StringIO(as_csv.text)))
        assert table[0] == as_json.json()["head"]["vars"]
        assert len(table) - 1 == len(as_json.json()["results"]["bindings"])
        by_accept = app.client.get(api, params={parameter.name: value},
                                   headers={"Accept": "text/csv"})  # fmt: skip
        assert by_accept.text == as_csv.text


@pytest.mark.parametrize(
    ("format_name", "media_type"),
    [("tsv", "text/tab-separated-values"), ("xml", "application/sparql-results+xml")],
)
def test_every_results_format_is_answered(
    app: InProcessApp, format_name: str, media_type: str
) -> None:
    answer = app.client.get("/api/queries/04-targets-2030",
                            params={"year": "2045", "format": format_name})  # fmt: skip
    assert answer.status_code == 200
    assert answer.headers["content-type"].split(";")[0] == media_type
    rows = len(
        app.client.get("/api/queries/04-targets-2030?year=2045").json()["results"]["bindings"]
    )
    if format_name == "xml":
        results = ElementTree.fromstring(answer.content)
        assert len(results.findall(".//{http://www.w3.org/2005/sparql-results#}result")) == rows
    else:
        assert len(answer.text.splitlines()) - 1 == rows


@pytest.mark.parametrize("query", PARAMETERISED, ids=lambda q: q.name)
def test_a_bad_value_is_a_400_naming_its_parameter(
    app: InProcessApp, query: CatalogueQuery
) -> None:
    for parameter in query.parameters:
        for bad in ("20x5", "", "x> } ?s ?p ?o . { <y", '2030" } . ?s ?p ?o {'):
            answer = app.client.get(f"/api/queries/{query.name}", params={parameter.name: bad})
            assert answer.status_code == 400, (parameter.name, bad)
            assert answer.text.startswith(f"400 Parameter '{parameter.name}' of {query.name}:")
        problem = app.client.get(f"/api/queries/{query.name}", params={parameter.name: "20x5"},
                                 headers={"Accept": "application/problem+json"})  # fmt: skip
        assert problem.json()["parameter"] == parameter.name


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_an_unknown_or_repeated_parameter_is_a_400_naming_it(
    app: InProcessApp, query: CatalogueQuery
) -> None:
    unknown = app.client.get(f"/api/queries/{query.name}?pilar=data")
    assert unknown.status_code == 400
    assert "'pilar'" in unknown.text
    assert "no such parameter" in unknown.text
    twice = app.client.get(f"/api/queries/{query.name}?format=csv&format=json")
    assert twice.status_code == 400
    assert "'format' is given twice" in twice.text


def test_an_unknown_query_is_a_404(app: InProcessApp) -> None:
    answer = app.client.get("/api/queries/99-nothing")
    assert answer.status_code == 404
    assert "99-nothing" in answer.text


def test_the_openapi_description_gives_each_query_its_typed_parameters(
    app: InProcessApp,
) -> None:
    paths = app.client.get("/openapi.json").json()["paths"]
    targets = {p["name"]: p for p in paths["/api/queries/04-targets-2030"]["get"]["parameters"]}
    assert targets["year"]["schema"] == {"type": "integer", "minimum": 1000, "maximum": 9999,
                                         "default": 2030}  # fmt: skip
    assert set(targets) == {"year", "format"}
    pillar = paths["/api/queries/03-data-pillar-provisions"]["get"]["parameters"][0]
    assert pillar["schema"]["type"] == "string"
    assert "vocab/pillar" in pillar["description"]
    for query in QUERIES:
        assert paths[f"/api/queries/{query.name}"]["get"]["summary"] == query.title
    assert "/api/queries/{name}" not in paths


def test_the_limits_hold_through_the_catalogue(fixture_out: object) -> None:
    """A catalogue query past the row cap is refused as /sparql refuses it: never cut."""
    with serving_in_process(fixture_out, FIXTURE_SOURCES, max_rows=2) as small:  # type: ignore[arg-type]
        answer = small.client.get("/api/queries/04-targets-2030?format=csv")
        assert answer.status_code == 413
        assert "more than 2 results" in answer.text


def test_the_query_page_has_a_form_in_both_languages(app: InProcessApp) -> None:
    english = app.client.get("/query/03-data-pillar-provisions")
    assert english.status_code == 200
    assert 'action="/api/queries/03-data-pillar-provisions"' in english.text
    assert '<option value="data" selected>' in english.text
    assert "The pillar" in english.text
    vietnamese = app.client.get("/query/03-data-pillar-provisions?lang=vi")
    assert "Trụ cột" in vietnamese.text
    assert "Mở trong trình soạn truy vấn" in vietnamese.text
    assert app.client.get("/query/nothing").status_code == 404


@pytest.mark.parametrize(
    "text", ['say "hi"', "back\\slash", "two\nlines\r\n\ttab", "} } ?s ?p ?o {", "'single'", "ư"]
)
def test_a_string_value_is_one_literal_whatever_it_holds(text: str) -> None:
    parameter = Parameter("name", "string", "x", "A name", "Một tên")
    query = 'SELECT ?name WHERE { VALUES ?name { "x" } }'
    bound = bind(query, (parameter,), {"name": text}, {})
    answer = Store().query(bound)
    assert isinstance(answer, QuerySolutions)
    assert [row["name"] for row in answer] == [Literal(text)]


def test_values_are_checked_before_they_are_written() -> None:
    year = Parameter("year", "year", "2030", "Year", "Năm")
    assert literal_term(year, "2045") == f'"2045"^^<{GYEAR}>'
    for bad in ("2045.0", "+2045", "\uff12\uff10\uff14\uff15", "2045 ", "99999"):
        with pytest.raises(ParameterError):
            literal_term(year, bad)
    number = Parameter("n", "integer", "1", "N", "N")
    assert literal_term(number, "-12") == "-12"
    with pytest.raises(ParameterError):
        literal_term(number, "1e3")
    too_long = Parameter("s", "string", "", "S", "S")
    with pytest.raises(ParameterError):
        literal_term(too_long, "x" * 201)


def test_the_catalogue_answers_through_the_api_as_by_hand(app: InProcessApp) -> None:
    """Every query, parameterised or not, answers through the API what /sparql answers."""
    for query in QUERIES:
        api = app.client.get(f"/api/queries/{query.name}")
        direct = app.client.post("/sparql", data={"query": query.text})
        assert api.status_code == 200, query.name
        assert json.loads(api.content) == json.loads(direct.content), query.name


def test_the_readme_examples_of_the_api_answer(app: InProcessApp) -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    examples = re.findall(r"^\s*curl '(http://127\.0\.0\.1:8000/api/queries/[^']+)'", readme, re.M)
    assert len(examples) == 3
    for example in examples:
        answer = app.client.get(example.removeprefix("http://127.0.0.1:8000"))
        assert answer.status_code == 200, (example, answer.text)
        assert answer.content.strip(), example


def test_the_editor_completes_the_projects_prefixes_classes_and_properties(
    app: InProcessApp,
) -> None:
    body = app.client.get("/api/terms").json()
    assert body["prefixes"]["vnp"] == "https://w3id.org/vnpolicy/ontology#"
    terms = {term["name"]: term for term in body["terms"]}
    number = terms["vnp:officialNumber"]
    assert number["kind"] == "property"
    assert number["labels"]["en"] == "official number"
    documents = app.client.post(
        "/sparql", data={"query": "SELECT (COUNT(DISTINCT ?d) AS ?n) { ?d a vnp:Document }"}
    ).json()["results"]["bindings"][0]["n"]["value"]
    assert terms["vnp:Document"] == {
        **terms["vnp:Document"], "kind": "class", "count": int(documents),
    }  # fmt: skip
    assert all(not term["name"].startswith("<") for term in body["terms"])


def test_the_in_force_query_takes_its_day_as_a_parameter(app: InProcessApp) -> None:
    """57-NQ/TW (in force from 22 December 2024) is listed on that day, not the day before."""
    r57 = "https://w3id.org/vnpolicy/eli/vn/tw/nq/2024/57"
    listed = {}
    for day in ("2024-12-21", "2024-12-22"):
        response = app.client.get(
            "/api/queries/19-in-force-on",
            params={"on": day},
            headers={"Accept": "application/json"},
        )
        assert response.status_code == 200, response.text
        listed[day] = {row["document"] for row in _rows(response.json())}
    assert r57 in listed["2024-12-22"]
    assert r57 not in listed["2024-12-21"]
