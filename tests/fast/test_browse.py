"""Browsing: ``/browse`` by facet (HTML, JSON, CSV) and the ELI browse paths, checked against
what SPARQL says of the same fixture corpus."""

import csv
import io
import re
from html.parser import HTMLParser
from typing import Any

import httpx
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from tests.utils.corpus import BASE
from tests.utils.inprocess import BASE_URL
from tests.utils.rdf import response_graph
from tests.utils.sparql import count, select

HYDRA = "http://www.w3.org/ns/hydra/core#"
DECREES_2018 = BASE + "eli/vn/cp/nd/2018"
DECREE_127 = BASE + "eli/vn/cp/nd/2018/127"
DOCUMENTS = "SELECT DISTINCT ?d WHERE { ?d a vnp:Document }"


def listing(client: httpx.Client, query: str = "") -> dict[str, Any]:
    response = client.get("/browse" + query, headers={"accept": "application/json"})
    assert response.status_code == 200, response.text
    assert response.headers["vary"] == "Accept, Accept-Language"
    answered: dict[str, Any] = response.json()
    return answered


def test_the_list_holds_every_document_once(client: httpx.Client) -> None:
    everything = listing(client)
    documents = {row["d"] for row in select(client, DOCUMENTS)}
    assert everything["total"] == len(documents) == 14
    assert {d["uri"] for d in everything["documents"]} == documents


def test_each_facet_value_narrows_to_what_sparql_finds(client: httpx.Client) -> None:
    facets = listing(client)["facets"]
    by_type = {entry["key"]: entry for entry in facets["type"]}
    decrees = listing(client, "?type=" + by_type["decree"]["key"])
    assert (
        decrees["total"]
        == by_type["decree"]["count"]
        == count(client, "SELECT DISTINCT ?d WHERE { ?d eli:type_document document-type:decree }")
    )
    without = set(select_documents(client))
    for pillar in facets["pillar"]:
        narrowed = listing(client, "?pillar=" + pillar["key"])
        if pillar["key"] == "unknown":  # the documents no other pillar value lists
            continue
        without -= {d["uri"] for d in narrowed["documents"]}
        narrowed = listing(client, "?pillar=" + pillar["key"])
        concerned = {
            row["d"]
            for row in select(
                client,
                f"""SELECT DISTINCT ?d WHERE {{ ?d a vnp:Document .
                    {{ ?d vnp:concerns <{pillar["value"]}> }} UNION
                    {{ ?part vnp:inDocument ?d ; vnp:concerns <{pillar["value"]}> }} }}""",
            )
        }
        assert {d["uri"] for d in narrowed["documents"]} == concerned, pillar["key"]
        assert narrowed["total"] == pillar["count"]
    unknown = listing(client, "?pillar=unknown")
    assert {d["uri"] for d in unknown["documents"]} == without
    assert without, "the fixture has documents with no pillar"


def select_documents(client: httpx.Client) -> list[str]:
    return [row["d"] for row in select(client, DOCUMENTS)]


def test_filters_combine_and_are_shown_as_chosen(client: httpx.Client) -> None:
    both = listing(client, "?type=decree&year=2018")
    assert [d["uri"] for d in both["documents"]] == [DECREE_127]
    assert both["filters"] == {"type": BASE + "vocab/document-type/decree", "year": "2018"}
    page = client.get("/browse?type=decree&year=2018")
    assert "<strong>2018</strong>" in page.text
    assert 'href="/browse?type=decree"' in page.text  # removing the year keeps the type


def test_a_year_comes_from_the_date_or_else_the_number(client: httpx.Client) -> None:
    for document in listing(client)["documents"]:
        if document["date"]:
            assert document["year"] == int(document["date"][:4])
        match = re.search(r"/eli/vn/[^/]+/[^/]+/(\d{4})/", document["uri"])
        if match:
            assert document["year"] == int(match.group(1)), document["uri"]
        if not document["date"] and not match:
            assert document["year"] is None


def test_orders_newest_first_by_number_and_by_title(client: httpx.Client) -> None:
    dated = [d["date"] or str(d["year"] or "") for d in listing(client)["documents"]]
    assert dated == sorted(dated, reverse=True)
    numbers = [d["number"] for d in listing(client, "?sort=number")["documents"] if d["number"]]
    leading = [int(re.match(r"\d+", number).group()) for number in numbers]  # type: ignore[union-attr]
    assert leading == sorted(leading)
    assert leading[0] < 10 < leading[-1]  # numeric order: 1, 2, 3 … before 127, not as text
    titles = [
        d["titles"].get("vi", "~").casefold() for d in listing(client, "?sort=title")["documents"]
    ]
    assert titles == sorted(titles)


def test_csv_lists_every_matching_document(client: httpx.Client) -> None:
    response = client.get("/browse?format=csv&type=decree")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert {row["uri"] for row in rows} == {
        d["uri"] for d in listing(client, "?type=decree")["documents"]
    }
    assert all(row["type"] == BASE + "vocab/document-type/decree" for row in rows)


@pytest.mark.parametrize(
    ("query", "status", "says"),
    [
        ("?page=0", 400, "page number from 1"),
        ("?page=x", 400, "page number from 1"),
        ("?page=9", 404, "this list has 1 page"),
        ("?sort=size", 400, "sort by one of date, number, title"),
        ("?colour=red", 400, "no parameter 'colour'"),
        ("?in_force_on=2025-13-01", 400, "in_force_on='2025-13-01': give a day as YYYY-MM-DD"),
        ("?in_force_on=1.6.2025", 400, "give a day as YYYY-MM-DD"),
        ("?format=xml", 406, "available: text/html, application/json, text/csv"),
    ],
)
def test_bad_parameters_are_refused_saying_why(
    client: httpx.Client, query: str, status: int, says: str
) -> None:
    response = client.get("/browse" + query)
    assert response.status_code == status
    assert says in response.text


def test_an_unknown_value_lists_nothing_rather_than_everything(client: httpx.Client) -> None:
    assert listing(client, "?type=no-such-type")["total"] == 0
    assert "No document matches." in client.get("/browse?type=no-such-type").text


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href and href.startswith("/"):
            self.hrefs.append(href)


@pytest.mark.parametrize("language", ["en", "vi"])
def test_every_link_of_the_browse_pages_answers(client: httpx.Client, language: str) -> None:
    seen: set[str] = set()
    for start in (f"/browse?lang={language}", f"/eli/vn?lang={language}", f"/?lang={language}"):
        links = Links()
        links.feed(client.get(start).text)
        for href in links.hrefs:
            if href in seen or href.startswith(("/dumps", "/export")):
                continue
            seen.add(href)
            answered = client.get(href, follow_redirects=True)
            assert answered.status_code == 200, href
    assert any(href.startswith("/browse?") for href in seen)


def test_facets_are_named_in_the_page_language(client: httpx.Client) -> None:
    english = client.get("/browse").text
    vietnamese = client.get("/browse?lang=vi").text
    assert "<h2>Pillar</h2>" in english
    assert "<h2>Trụ cột</h2>" in vietnamese
    assert "vocab/document-type" not in re.sub(r'(href|title)="[^"]*"', "", english)
    assert "not stated" in english
    assert "chưa rõ" in vietnamese


def test_eli_paths_list_issuers_types_years_and_documents(client: httpx.Client) -> None:
    page = client.get("/eli/vn")
    assert page.status_code == 200
    assert 'href="/eli/vn/cp"' in page.text
    years = client.get("/eli/vn/cp/nd").text
    assert all(f'href="/eli/vn/cp/nd/{year}"' in years for year in (2007, 2017, 2018))
    listed = client.get("/eli/vn/cp/nd/2018")
    assert 'href="/eli/vn/cp/nd/2018/127' in listed.text
    assert listed.headers["vary"] == "Accept, Accept-Language"


def test_eli_paths_are_rdf_a_harvester_can_follow(client: httpx.Client) -> None:
    year = response_graph(client.get("/eli/vn/cp/nd/2018", headers={"accept": "text/turtle"}))
    node = URIRef(DECREES_2018)
    assert (node, RDF.type, URIRef(HYDRA + "Collection")) in year
    assert set(year.objects(node, URIRef(HYDRA + "member"))) == {URIRef(DECREE_127)}
    assert year.value(node, URIRef(HYDRA + "totalItems")) == Literal(1, datatype=XSD.integer)
    issuer = response_graph(client.get("/eli/vn/cp.ttl"))
    members = set(issuer.objects(URIRef(BASE + "eli/vn/cp"), URIRef(HYDRA + "member")))
    assert URIRef(BASE + "eli/vn/cp/nd") in members
    decrees = count(
        client, "SELECT DISTINCT ?d WHERE { ?d eli:type_document document-type:decree }"
    )
    total = issuer.value(URIRef(BASE + "eli/vn/cp/nd"), URIRef(HYDRA + "totalItems"))
    assert isinstance(total, Literal)
    assert int(total) <= decrees


def test_a_document_keeps_its_303_and_unknown_paths_their_404(client: httpx.Client) -> None:
    assert client.get("/eli/vn/cp/nd/2018/127").status_code == 303
    assert client.get("/eli/vn/zz").status_code == 404
    assert client.get("/eli/vn/cp/nd/1999").status_code == 404


def test_the_home_page_table_sorts_and_links_to_browse(client: httpx.Client) -> None:
    by_number = client.get("/?sort=number").text
    numbers = re.findall(r'<td><a href="/eli/[^"]+">(\d+)[^<]*</a></td>', by_number)
    assert [int(n) for n in numbers] == sorted(int(n) for n in numbers)
    assert 'href="/browse"' in by_number
    assert client.get("/?sort=size").status_code == 400


def test_the_sitemap_lists_the_browse_pages(client: httpx.Client) -> None:
    sitemap = client.get("/sitemap.xml").text
    for page in ("/browse", "/eli/vn", "/eli/vn/cp", "/eli/vn/cp/nd", "/eli/vn/cp/nd/2018"):
        assert f"{BASE_URL}{page}</loc>" in sitemap, page
    assert sitemap.count("<loc>") == len(set(re.findall(r"<loc>([^<]+)</loc>", sitemap)))


R57 = BASE + "eli/vn/tw/nq/2024/57"
R03 = BASE + "eli/vn/cp/nq/2025/03"


@pytest.mark.parametrize(
    ("day", "in_force", "not_in_force"),
    [
        ("2024-12-21", [], [R57, R03]),  # the day before 57-NQ/TW entered into force
        ("2024-12-22", [R57], [R03]),  # its first day
        ("2025-01-08", [R57], [R03]),
        ("2025-01-09", [R57, R03], []),  # 03/NQ-CP's first day
    ],
)
def test_in_force_on_keeps_the_documents_in_force_that_day(
    client: httpx.Client, day: str, in_force: list[str], not_in_force: list[str]
) -> None:
    listed = {document["uri"] for document in listing(client, f"?in_force_on={day}")["documents"]}
    assert set(in_force) <= listed
    assert not set(not_in_force) & listed
    # Every one listed states when it entered into force, on or before the day.
    dates = select(
        client,
        "SELECT ?d ?start WHERE { ?d a vnp:Document ; eli:first_date_entry_in_force ?start }",
    )
    started = {row["d"]: row["start"] for row in dates}
    assert all(started[uri] <= day for uri in listed)
    page = client.get(
        f"/browse?in_force_on={day}&type=party-resolution", headers={"accept": "text/html"}
    ).text
    assert day in page
    # The day's form keeps the other filters and shows the day chosen.
    assert 'name="type" value="party-resolution"' in page
    assert f'name="in_force_on" value="{day}"' in page
