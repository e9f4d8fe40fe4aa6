"""Search (issue 18): the folding both sides apply, the index the build writes beside the dumps,
ranking and number lookups, and the HTTP answers — the search page and its JSON, suggestions,
the OpenSearch description and ``/id?number=`` — in process on the fixture corpus."""

import json
import unicodedata
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import anyio
import httpx
import pytest

from tests.utils.corpus import DISPATCH, R57, VIEWPOINT, path
from tests.utils.inprocess import BASE_URL
from vnpolicy.graph.paths import MANIFEST_FILE, SEARCH_INDEX
from vnpolicy.graph.search.engine import (
    MAX_PAGE_SIZE,
    Query,
    SearchError,
    SearchIndex,
    SearchTimedOutError,
)
from vnpolicy.graph.search.folding import fold, folded
from vnpolicy.server.errors import Unavailable
from vnpolicy.server.http.search import Search
from vnpolicy.server.http.search_answers import SearchAnswer
from vnpolicy.server.http.urls import UrlSpace

PILLAR_DATA = "https://w3id.org/vnpolicy/vocab/pillar/data"
JSON = {"Accept": "application/json"}


class _Page(HTMLParser):
    """The elements of a page (tag and attributes, in order) and the text of some of them."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.titles: list[str] = []
        self.marks: list[str] = []
        self._into: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.elements.append((tag, found))
        if tag == "a" and found.get("class") == "search-hit-title":
            self.titles.append("")
            self._into = self.titles
        elif tag == "mark":
            self.marks.append("")
            self._into = self.marks

    def handle_endtag(self, tag: str) -> None:
        if tag in ("a", "mark"):
            self._into = None

    def handle_data(self, data: str) -> None:
        if self._into is not None:
            self._into[-1] += data

    def all(self, tag: str, **wanted: str) -> list[dict[str, str | None]]:
        return [
            attrs
            for name, attrs in self.elements
            if name == tag and all(attrs.get(k.rstrip("_")) == v for k, v in wanted.items())
        ]


@pytest.fixture(scope="module")
def index(fixture_out: Path) -> SearchIndex:
    return SearchIndex(fixture_out / SEARCH_INDEX)


def _uris(index: SearchIndex, text: str, **filters: str) -> list[str]:
    results = index.search(Query(text, tuple(filters.items()), size=MAX_PAGE_SIZE))
    return [hit.uri for hit in results.hits]


# ------------------------------------------------------------------------------ folding


@pytest.mark.parametrize(
    ("written", "folded_as"),
    [
        ("Dữ liệu", "du lieu"),
        ("DỮ LIỆU", "du lieu"),
        (unicodedata.normalize("NFD", "dữ liệu"), "du lieu"),
        ("Nghị quyết 57-NQ/TW", "nghi quyet 57-nq/tw"),
        ("4324/BGDĐT-CNTT", "4324/bgddt-cntt"),
        ("đổi mới sáng tạo", "doi moi sang tao"),
    ],
)
def test_folding_ignores_case_diacritics_and_decomposition(written: str, folded_as: str) -> None:
    assert fold(written) == folded_as


def test_a_folded_span_maps_back_onto_the_original_wording() -> None:
    text = unicodedata.normalize("NFD", "Về Dữ liệu lớn")
    source = folded(text)
    start = source.text.index("du lieu")
    begin, end = source.original_span(start, start + len("du lieu"))
    assert source.original[begin:end] == "Dữ liệu"


# ------------------------------------------------------------------------------ the index


def test_the_build_writes_the_index_with_the_dumps_and_lists_it(fixture_out: Path) -> None:
    manifest = json.loads((fixture_out / MANIFEST_FILE).read_text(encoding="utf-8"))
    assert manifest["search"]["file"] == SEARCH_INDEX
    assert (fixture_out / SEARCH_INDEX).is_file()
    assert manifest["search"]["entries"] == SearchIndex(fixture_out / SEARCH_INDEX).count()


def test_typed_without_diacritics_finds_the_words_with_them(index: SearchIndex) -> None:
    results = index.search(Query("du lieu", size=MAX_PAGE_SIZE))
    assert PILLAR_DATA in [hit.uri for hit in results.hits]
    marked = {fold(s.text) for hit in results.hits for s in hit.snippet if s.match}
    assert "du lieu" in marked
    assert marked <= {"du lieu", "du", "lieu", "du lieu · du lieu"}
    assert any("dữ liệu" in s.text.lower() for hit in results.hits for s in hit.snippet)


@pytest.mark.parametrize(
    "variant", ["dữ liệu", "DỮ LIỆU", unicodedata.normalize("NFD", "dữ liệu"), "Du Lieu"]
)
def test_case_diacritics_and_nfd_find_the_same(index: SearchIndex, variant: str) -> None:
    assert _uris(index, variant) == _uris(index, "du lieu")


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("Nghi quyet 57", R57),
        ("Nghị quyết 57", R57),
        (unicodedata.normalize("NFD", "Nghị quyết số 57"), R57),
        ("Resolution 57", R57),
        ("57-NQ/TW", R57),
        ("57/NQ-TW", R57),
        ("4324/BGDDT-CNTT", DISPATCH),
        ("4324/bgdđt-cntt", DISPATCH),
        ("so 4324/BGDDT-CNTT", DISPATCH),
    ],
)
def test_a_document_named_by_its_number_ranks_first(
    index: SearchIndex, text: str, first: str
) -> None:
    results = index.search(Query(text))
    assert results.hits[0].uri == first
    assert results.hits[0].by_number


def test_words_rank_by_bm25_and_title_words_count_more(index: SearchIndex) -> None:
    hits = index.search(Query("guiding viewpoints")).hits
    assert hits[0].uri == R57 + "/section/1"  # the section titled "Guiding viewpoints"
    assert VIEWPOINT not in [hit.uri for hit in hits[:1]]


def test_results_name_and_facet_what_they_find(index: SearchIndex) -> None:
    results = index.search(Query("digital transformation", size=MAX_PAGE_SIZE))
    names = {f.name for f in results.facets}
    assert {"type", "issuer", "year", "pillar", "language"} <= names
    for facet in results.facets:
        narrowed = index.search(
            Query("digital transformation", ((facet.name, facet.value),), size=MAX_PAGE_SIZE)
        )
        assert narrowed.total == facet.count, facet
        assert all((facet.name, facet.value) in hit.facets for hit in narrowed.hits), facet


def test_only_vietnamese_or_only_english(index: SearchIndex) -> None:
    vietnamese = index.search(Query("57", (("language", "vi"),), size=MAX_PAGE_SIZE))
    english = index.search(Query("57", (("language", "en"),), size=MAX_PAGE_SIZE))
    assert {hit.lang for hit in vietnamese.hits} == {"vi"}
    assert {hit.lang for hit in english.hits} == {"en"}


def test_pages_do_not_overlap_and_cover_the_total(index: SearchIndex) -> None:
    first = index.search(Query("resolution", size=3))
    assert first.total > 6
    seen = []
    for page in range(1, first.pages + 1):
        seen += [hit.uri for hit in index.search(Query("resolution", page=page, size=3)).hits]
    assert len(seen) == len(set(seen)) == first.total


def test_no_result_with_every_word_falls_back_to_any(index: SearchIndex) -> None:
    results = index.search(Query("viewpoints zzzznotaword"))
    assert results.relaxed
    assert results.total > 0


@pytest.mark.parametrize(
    "query",
    [
        Query("x" * 201),
        Query(" ".join(["word"] * 13)),
        Query("a", page=0),
        Query("a", page=51),
        Query("a", size=0),
        Query("a", size=51),
        Query("a", (("year", "20x4"),)),
        Query("a", (("language", "fr"),)),
        Query("a", (("colour", "red"),)),
    ],
)
def test_searches_past_a_limit_are_refused(index: SearchIndex, query: Query) -> None:
    with pytest.raises(SearchError):
        index.search(query)


def test_a_search_stops_at_its_time_limit(fixture_out: Path) -> None:
    late = SearchIndex(fixture_out / SEARCH_INDEX, time_limit=-1.0, check_every=1)
    with pytest.raises(SearchTimedOutError):
        late.search(Query("resolution"))


@pytest.mark.parametrize(
    ("number", "found"),
    [
        ("57-NQ/TW", [R57]),
        ("Nghi quyet 57", [R57]),
        ("4324/BGDDT-CNTT", [DISPATCH]),
        ("69", ["https://w3id.org/vnpolicy/eli/vn/cp/nd/2017/69",
                "https://w3id.org/vnpolicy/eli/vn/tw/kl/2024/69"]),
        ("99999-NQ/TW", []),
        ("no number here", []),
    ],
)  # fmt: skip
def test_numbers_are_looked_up_as_identify_reads_them(
    index: SearchIndex, number: str, found: list[str]
) -> None:
    assert sorted(str(d.uri) for d in index.lookup(number)) == found


def test_no_index_is_a_503_saying_how_to_make_one(tmp_path: Path) -> None:
    search = Search(tmp_path, UrlSpace(R57.rsplit("eli/", 1)[0]), 5.0)

    async def run() -> None:
        await search.run(search.index.search, Query("57"))

    with pytest.raises(Unavailable, match="vnpolicy build"):
        anyio.run(run)


# ------------------------------------------------------------------------------ HTTP


def test_the_json_answer_has_its_shape_and_absolute_urls(client: httpx.Client) -> None:
    response = client.get("/search", params={"q": "Nghi quyet 57", "format": "json"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["vary"] == "Accept, Accept-Language"
    answer = SearchAnswer.model_validate(response.json())
    assert answer.results[0].uri == R57
    assert answer.results[0].url == BASE_URL + path(R57)
    assert answer.total >= len(answer.results)
    assert client.get("/search", params={"q": "57"}, headers=JSON).json()["total"] > 0


def test_the_page_shows_ranked_results_with_marked_snippets(client: httpx.Client) -> None:
    response = client.get("/search", params={"q": "du lieu"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = _Page(response.text)
    assert page.titles
    assert {fold(mark) for mark in page.marks} >= {"du lieu"}
    hrefs = [a["href"] for a in page.all("a", class_="search-hit-title")]
    assert path(PILLAR_DATA) in hrefs


def test_the_page_in_vietnamese_links_in_vietnamese(client: httpx.Client) -> None:
    response = client.get("/search", params={"q": "Nghi quyet 57", "lang": "vi"})
    page = _Page(response.text)
    assert page.all("html")[0]["lang"] == "vi"
    assert page.titles[0] == "Nghị quyết 57-NQ/TW"
    assert page.all("a", class_="search-hit-title")[0]["href"] == path(R57) + "?lang=vi"


def test_a_query_is_shown_as_text_never_as_markup(client: httpx.Client) -> None:
    hostile = '<script>alert(1)</script><img src=x onerror="alert(2)"> 57'
    response = client.get("/search", params={"q": hostile})
    assert response.status_code == 200
    page = _Page(response.text)
    assert [attrs.get("src") for attrs in page.all("script")] == ["/static/search.js"]
    assert page.all("img") == []
    assert page.all("input", id="search-page-q")[0]["value"] == hostile


def test_facet_links_narrow_and_widen_the_search(client: httpx.Client) -> None:
    page = _Page(client.get("/search", params={"q": "resolution"}).text)
    links = [a["href"] for a in page.all("a") if "type=" in (a.get("href") or "")]
    assert links
    narrowed = client.get(str(links[0]), headers=JSON).json()
    assert narrowed["filters"]
    assert narrowed["total"] > 0
    chosen = _Page(client.get(str(links[0])).text)
    assert chosen.all("a", **{"aria-current": "true"})


@pytest.mark.parametrize(
    "params",
    [
        {"q": "a", "page": "0"},
        {"q": "a", "page": "x"},
        {"q": "a", "size": "51"},
        {"q": "a", "year": "1"},
        {"q": "a" * 201},
        {"q": "a", "type": ["x", "y"]},
    ],
)
def test_bad_search_parameters_are_400_saying_which(
    client: httpx.Client, params: dict[str, object]
) -> None:
    response = client.get("/search", params=params)  # type: ignore[arg-type]
    assert response.status_code == 400
    assert response.headers["content-type"] == "text/plain; charset=utf-8"


def test_search_in_a_format_not_offered_is_406(client: httpx.Client) -> None:
    assert client.get("/search?q=57", headers={"Accept": "text/turtle"}).status_code == 406


def test_suggestions_follow_the_opensearch_form(client: httpx.Client) -> None:
    response = client.get("/search/suggest", params={"q": "Nghi quyet 5"})
    assert response.headers["content-type"] == "application/x-suggestions+json"
    text, labels, details, urls = response.json()
    assert text == "Nghi quyet 5"
    assert len(labels) == len(details) == len(urls) > 0
    assert "Resolution 57-NQ/TW" in labels
    assert all(url.startswith(BASE_URL + "/") for url in urls)
    vietnamese = client.get("/search/suggest", params={"q": "57-NQ", "lang": "vi"}).json()
    assert vietnamese[1][0] == "Nghị quyết 57-NQ/TW"
    assert vietnamese[3][0] == BASE_URL + path(R57) + "?lang=vi"


def test_the_opensearch_description_parses_and_uses_the_public_url(client: httpx.Client) -> None:
    response = client.get("/opensearch.xml", headers={"Host": "elsewhere.example"})
    assert response.headers["content-type"].startswith("application/opensearchdescription+xml")
    root = ET.fromstring(response.content)
    space = "{http://a9.com/-/spec/opensearch/1.1/}"
    assert root.tag == space + "OpenSearchDescription"
    templates = {url.get("type"): url.get("template") for url in root.iter(space + "Url")}
    assert templates["text/html"] == BASE_URL + "/search?q={searchTerms}&page={startPage?}"
    assert set(templates) == {
        "text/html",
        "application/json",
        "application/x-suggestions+json",
        "application/opensearchdescription+xml",
    }
    assert all(str(t).startswith(BASE_URL + "/") for t in templates.values())


@pytest.mark.parametrize("page", ["/", path(R57) + ".html", "/search?q=57", "/query", "/nowhere"])
def test_every_page_has_the_search_box_and_the_opensearch_link(
    client: httpx.Client, page: str
) -> None:
    html = _Page(client.get(page, headers={"Accept": "text/html"}).text)
    form = html.all("form", role="search", action="/search")
    assert form
    assert form[0]["method"] == "get"
    assert html.all("input", id="site-search", name="q")
    assert html.all("link", rel="search", type="application/opensearchdescription+xml")


@pytest.mark.parametrize(
    ("number", "location"),
    [("57-NQ/TW", path(R57)), ("4324/BGDDT-CNTT", path(DISPATCH)), ("Nghi quyet 57", path(R57))],
)
def test_id_sees_other_to_the_document_a_number_names(
    client: httpx.Client, number: str, location: str
) -> None:
    response = client.get("/id", params={"number": number})
    assert (response.status_code, response.headers["location"]) == (303, location)
    assert client.get(location, follow_redirects=True).status_code == 200


def test_id_lists_the_candidates_when_several_fit(client: httpx.Client) -> None:
    response = client.get("/id", params={"number": "69"}, headers=JSON)
    assert response.status_code == 300
    listed = [c["uri"] for c in response.json()["candidates"]]
    assert sorted(listed) == [
        "https://w3id.org/vnpolicy/eli/vn/cp/nd/2017/69",
        "https://w3id.org/vnpolicy/eli/vn/tw/kl/2024/69",
    ]
    page = _Page(client.get("/id", params={"number": "69"}).text)
    assert len(page.all("a", href=path(listed[0]))) == 1


@pytest.mark.parametrize(
    ("params", "status"), [({"number": "99999-NQ/TW"}, 404), ({}, 400), ({"number": " "}, 400)]
)
def test_id_without_a_known_number_is_refused(
    client: httpx.Client, params: dict[str, str], status: int
) -> None:
    assert client.get("/id", params=params).status_code == status


def test_results_are_named_in_the_page_language_where_they_have_a_name(
    index: SearchIndex,
) -> None:
    english_only = index.search(Query("breakthrough", lang="vi", size=MAX_PAGE_SIZE))
    viewpoint = next(hit for hit in english_only.hits if hit.uri == R57 + "/section/1/viewpoint/1")
    assert viewpoint.lang == "en"  # it matched in its English wording
    assert (viewpoint.label, viewpoint.label_lang) == (
        "Quan điểm chỉ đạo 1 — Nghị quyết 57-NQ/TW",
        "vi",
    )


@pytest.mark.parametrize("text", ['"*()', "NEAR(a b)", "a OR b AND NOT c", "\x00\x02\x03", "   "])
def test_query_syntax_is_read_as_words_never_as_fts5_syntax(
    client: httpx.Client, text: str
) -> None:
    response = client.get("/search", params={"q": text, "format": "json"})
    assert response.status_code == 200
    SearchAnswer.model_validate(response.json())


def test_suggestions_are_bounded_like_searches(client: httpx.Client) -> None:
    assert client.get("/search/suggest", params={"q": "a" * 201}).status_code == 400
    assert client.get("/search/suggest", params={"q": ""}).json() == ["", [], [], []]
