"""Document and provision pages read as documents: the header, the outline in document order,
wordings side by side with their sources, plain notes where a language is missing, targets as
sentences, relations grouped by kind, a provision's place — and the small things around them
(outside terms, the icon, the Vietnamese interface, downloads without JavaScript)."""

from collections.abc import Iterator
from xml.etree.ElementTree import Element

import html5rdf
import httpx
import pytest
from pyoxigraph import Store

from tests.utils.corpus import BASE, R57, VIEWPOINT, path
from tests.utils.sparql import count
from vnpolicy.graph.build.dataset import Dataset
from vnpolicy.graph.read.document_parts import outline
from vnpolicy.graph.read.query import store_from_dataset

TARGETS_2030 = R57 + "/section/2/goal/1"
TARGET_9 = TARGETS_2030 + "/target/9"
TASK_GROUP = R57 + "/section/3/task/2"
RELATION = "?r a vnp:DocumentRelation ; vnp:relationType ?type"


def page(client: httpx.Client, uri: str, language: str = "en") -> Element:
    response = client.get(path(uri) + ".html", params={"lang": language})
    assert response.status_code == 200
    root: Element = html5rdf.parse(response.text, namespaceHTMLElements=False)
    return root


def classed(root: Element, name: str) -> Iterator[Element]:
    """Every element whose class list holds ``name``."""
    for element in root.iter():
        if name in (element.get("class") or "").split():
            yield element


def one(root: Element, name: str) -> Element:
    found = list(classed(root, name))
    assert len(found) == 1, f"{len(found)} elements of class {name}"
    return found[0]


def text(element: Element) -> str:
    return " ".join("".join(element.itertext()).split())


def part_section(root: Element, uri: str) -> Element:
    anchor = "part-" + uri.removeprefix(R57).strip("/").replace("/", "-")
    found = [e for e in root.iter("section") if e.get("id") == anchor]
    assert len(found) == 1, f"no section #{anchor}"
    return found[0]


@pytest.fixture(scope="module")
def store(fixture_dataset: Dataset) -> Store:
    return store_from_dataset(fixture_dataset)


def test_the_outline_lists_every_part_in_document_order_numbers_sorted_as_numbers(
    client: httpx.Client, store: Store
) -> None:
    root = page(client, R57)
    links = [a.get("href", "") for a in one(root, "outline").iter("a")]
    anchors = {section.get("id") for section in classed(root, "part")}
    assert [link.removeprefix("#") for link in links] == [
        "part-" + p.uri.removeprefix(R57).strip("/").replace("/", "-")
        for p in outline(store, R57).in_order()
    ]
    assert {link.removeprefix("#") for link in links} == anchors
    parts = count(client, f"SELECT DISTINCT ?p {{ ?p vnp:inDocument <{R57}> }}")
    assert len(links) == parts
    targets = [link for link in links if link.startswith("#part-section-2-goal-1-target-")]
    numbers = [int(link.rsplit("-", 1)[1]) for link in targets]
    assert numbers == sorted(numbers)
    assert numbers.index(3) < numbers.index(10), "target/3 comes before target/10"


def test_the_header_names_the_signer_dates_status_and_both_titles(client: httpx.Client) -> None:
    header = one(page(client, R57), "document-header")
    rows = {}
    for div in header.iter("div"):
        label, value = div.find("dt"), div.find("dd")
        if label is not None and value is not None:
            rows[text(label)] = text(value)
    assert rows["Number"] == "57-NQ/TW"
    assert rows["Signed by"] == "Tô Lâm, General Secretary, on behalf of the Politburo"
    assert rows["Signed on"] == "2024-12-22"
    assert rows["Issued by"] == "Politburo"
    assert rows["Status"].startswith("in force")
    titles = {span.get("lang"): text(span) for span in header.iter("span") if span.get("lang")}
    assert titles["vi"].startswith("Về đột phá phát triển khoa học")
    assert titles["en"].startswith("Resolution No. 57-NQ/TW on breakthroughs")


def test_both_english_translations_stand_side_by_side_each_labelled_with_its_source(
    client: httpx.Client,
) -> None:
    viewpoint = part_section(page(client, R57), R57 + "/section/1/viewpoint/1")
    pair = one(viewpoint, "side-by-side")
    translations = list(classed(pair, "translation"))
    assert len(translations) == 2
    labels = {text(next(classed(t, "text-label"))) for t in translations}
    assert any("LawNet" in label for label in labels)
    assert any("law firm" in label for label in labels)
    assert all(label.startswith("English") for label in labels)
    quotes = [q for t in translations for q in t.iter("blockquote")]
    assert {q.get("lang") for q in quotes} == {"en"}
    assert len({text(q) for q in quotes}) == 2, "two different wordings"
    sources = [text(next(t.iter("figcaption"))) for t in translations]
    assert all(source.startswith("source:") for source in sources)


@pytest.mark.parametrize(
    ("language", "note"),
    [
        ("en", "The graph holds no Vietnamese wording of this part."),
        ("vi", "Đồ thị chưa có nội dung phần này bằng tiếng Việt."),
    ],
)
def test_a_missing_language_is_said_plainly_never_shown_as_another(
    client: httpx.Client, language: str, note: str
) -> None:
    viewpoint = part_section(page(client, R57, language), R57 + "/section/1/viewpoint/1")
    assert [text(e) for e in classed(viewpoint, "missing")] == [note]
    assert {q.get("lang") for q in viewpoint.iter("blockquote")} == {"en"}


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "By 2030: Scale of the digital economy ≥ 30 % of GDP"),
        ("vi", "Đến năm 2030: Quy mô kinh tế số ≥ 30 % GDP"),
    ],
)
def test_a_target_reads_as_a_sentence_with_its_certainty(
    client: httpx.Client, language: str, sentence: str
) -> None:
    shown = one(page(client, TARGET_9, language), "target-sentence")
    certainty = one(shown, "certainty")
    assert text(shown).removesuffix(text(certainty)).strip() == sentence
    assert "several independent sources" in text(certainty) or "nhiều nguồn" in text(certainty)


def test_targets_in_the_outline_read_as_sentences_too(client: httpx.Client) -> None:
    root = page(client, R57)
    rank = one(part_section(root, TARGETS_2030 + "/target/4"), "target-sentence")
    assert text(rank).startswith(
        "By 2030: Digital competitiveness ranking and e-Government development index (EGDI) "
        "ranking: among the top 50 in the world"
    )
    band = one(part_section(root, TARGETS_2030 + "/target/17"), "target-sentence")
    assert "between 16 and 18 % a year" in text(band)


def test_an_english_only_indicator_on_the_vietnamese_page_is_marked_and_noted(
    client: httpx.Client,
) -> None:
    root = page(client, TARGETS_2030 + "/target/12", "vi")
    sentence = one(root, "target-sentence")
    assert [s.get("lang") for s in sentence.iter("span") if s.get("lang")] == ["en", "en"]
    notes = [text(n) for n in classed(root, "note")]
    assert "Không nguồn nào cho chỉ số bằng tiếng Việt; chỉ số bằng tiếng Anh được hiển thị." in (
        notes
    )


def test_relations_are_grouped_by_kind_and_direction_with_dates(client: httpx.Client) -> None:
    root = page(client, R57)
    groups = {
        (g.get("data-kind"), "incoming" in (g.get("class") or "")): g
        for g in classed(root, "relation-group")
    }
    implementing = count(
        client,
        f"SELECT DISTINCT ?r {{ {RELATION} ; vnp:toResource <{R57}> "
        f"FILTER(?type = <{BASE}vocab/relation-type/implements>) }}",
    )
    implemented_by = groups["implements", True]
    assert text(next(implemented_by.iter("h3"))) == f"Implemented by ({implementing})"
    assert len(list(implemented_by.iter("li"))) == implementing
    builds_on = groups["builds-on", False]
    assert text(next(builds_on.iter("h3"))) == "Builds on (4)"
    dates = [text(d).strip("()") for d in classed(builds_on, "date")]
    assert dates == sorted(dates)
    assert len(dates) == 4
    every = count(
        client,
        f"SELECT DISTINCT ?r {{ {RELATION} {{ ?r vnp:fromResource <{R57}> }} "
        f"UNION {{ ?r vnp:toResource <{R57}> }} }}",
    )
    assert sum(len(list(g.iter("li"))) for g in groups.values()) == every
    for group in groups.values():
        assert "eli/vn/" not in text(group), "the other end is named, not shown as a path"


def test_a_provision_shows_where_it_sits_its_neighbours_and_what_implements_it(
    client: httpx.Client,
) -> None:
    root = page(client, TASK_GROUP)
    crumbs = [text(li) for li in one(root, "breadcrumb").iter("li")]
    assert crumbs == ["Resolution 57-NQ/TW", "Section 3 — Tasks and solutions"]
    neighbours = one(root, "neighbours")
    assert {a.get("rel"): a.get("href") for a in neighbours.iter("a")} == {
        "prev": path(R57) + "/section/3/task/1",
        "next": path(R57) + "/section/3/task/3",
    }
    implemented = [g for g in classed(root, "relation-group") if g.get("data-kind") == "implements"]
    assert len(implemented) == 1
    assert "Government Resolution 03/NQ-CP" in text(implemented[0])
    assert "eli/vn/" not in text(implemented[0])


def test_a_vietnamese_only_title_is_marked_on_the_english_page_never_translated(
    client: httpx.Client,
) -> None:
    english = page(client, TASK_GROUP)
    heading = next(english.iter("h1"))
    assert heading.get("lang") == "vi"
    assert "No source gives an English title; the Vietnamese title is shown." in [
        text(n) for n in classed(english, "note")
    ]
    vietnamese = page(client, TASK_GROUP, "vi")
    assert next(vietnamese.iter("h1")).get("lang") is None
    assert text(next(vietnamese.iter("h1"))) == text(heading)


@pytest.mark.parametrize("uri", [R57, VIEWPOINT, TARGET_9])
def test_outside_terms_are_named_and_never_linked_to_a_missing_page(
    client: httpx.Client, uri: str
) -> None:
    root = page(client, uri)
    hrefs = {a.get("href", "") for a in root.iter("a")}
    for href in sorted(h for h in hrefs if h.startswith("/resource?")):
        assert client.get(href).status_code == 200, href
    title = [a for a in root.iter("a") if a.get("title") == "http://purl.org/dc/terms/title"]
    if uri == R57:
        assert title
        assert title[0].get("href") == "http://purl.org/dc/terms/title"
        assert text(title[0]) == "title"
    kinds = [a for a in root.iter("a") if a.get("href", "").startswith("http://www.w3.org/1999")]
    assert all("outside" in (a.get("class") or "") for a in kinds)


def test_the_site_icon_is_served(client: httpx.Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00", "an ICO header"
    assert b"\x89PNG\r\n\x1a\n" in response.content


def test_the_vietnamese_home_and_query_pages_show_no_english_interface_text(
    client: httpx.Client,
) -> None:
    home = client.get("/", params={"lang": "vi"}).text
    for english in ("documents and the relations between them", "CSV node table", " bytes)"):
        assert english not in home
    assert "các văn bản và quan hệ giữa chúng" in home
    answer = client.get("/query", params={"lang": "vi"})
    query = html5rdf.parse(answer.text, namespaceHTMLElements=False)
    titles = [text(b) for b in classed(query, "example")]
    assert titles[0].startswith("Năm quan điểm chỉ đạo của Nghị quyết 57-NQ/TW")


def test_the_home_page_says_which_count_is_which(client: httpx.Client) -> None:
    root = html5rdf.parse(client.get("/").text, namespaceHTMLElements=False)
    figures = {
        e.get("id"): int(text(e).replace(",", "")) for e in root.iter("strong") if e.get("id")
    }
    union = count(client, "SELECT * WHERE { ?s ?p ?o }")
    distinct = count(client, "SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }")
    assert figures["count-quads"] == union
    assert figures["count-triples"] == distinct
    assert "COUNT(*)" in text(one(root, "count-note"))


def test_the_query_page_downloads_work_without_javascript(client: httpx.Client) -> None:
    root = html5rdf.parse(client.get("/query").text, namespaceHTMLElements=False)
    links = {a.get("data-format"): a.get("href", "") for a in classed(root, "download")}
    assert set(links) >= {"csv", "tsv"}
    for name, media_type in (("csv", "text/csv"), ("tsv", "text/tab-separated-values")):
        response = client.get(links[name])
        assert response.status_code == 200, links[name]
        assert response.headers["content-type"].startswith(media_type)


def test_the_document_text_says_once_that_some_names_are_in_the_other_language(
    client: httpx.Client,
) -> None:
    root = page(client, R57)
    body = one(root, "document-body")
    notes = [text(n) for n in classed(body, "note") if "missing" not in (n.get("class") or "")]
    assert notes == [
        "Where no source gives a title, indicator or summary in English, the Vietnamese one is "
        "shown, marked as Vietnamese; nothing is translated here."
    ]
    group = part_section(root, TASK_GROUP)
    assert next(group.iter("h3")).find("span").get("lang") == "vi"  # type: ignore[union-attr]


def test_a_provision_read_alone_sits_where_it_sits_in_the_whole_document(store: Store) -> None:
    """A provision's page reads only the parts around it; its place is the same as in the whole
    document's outline: ancestors, neighbours, children, depth and wordings."""
    whole = outline(store, R57)
    assert len(whole.parts) > 50
    for uri, part in whole.parts.items():
        near = outline(store, R57, around=uri)
        assert len(near.parts) < len(whole.parts)
        assert [p.uri for p in near.ancestors(uri)] == [p.uri for p in whole.ancestors(uri)]
        assert [p and p.uri for p in near.neighbours(uri)] == [
            p and p.uri for p in whole.neighbours(uri)
        ]
        assert [c.uri for c in near.parts[uri].children] == [c.uri for c in part.children]
        assert near.parts[uri].depth == part.depth
        assert near.parts[uri].texts == part.texts
        assert near.parts[uri].implemented_by == part.implemented_by
