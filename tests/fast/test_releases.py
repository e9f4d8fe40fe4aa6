"""Releases, the Atom feeds, the event stream's pages and Memento, over two real builds of the
fixture corpus: the second changes one document's label."""

import gzip
import html.parser
import shutil
from collections.abc import Iterator
from datetime import timedelta
from email.utils import format_datetime
from pathlib import Path

import feedparser  # type: ignore[import-untyped]
import httpx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF

from tests.utils.corpus import FIXTURE_SOURCES
from tests.utils.inprocess import BASE_URL, serving_in_process
from vnpolicy.graph.build.dataset import Dataset, build_dataset
from vnpolicy.graph.build.inputs import inputs_digest
from vnpolicy.graph.output.dumps import write_dataset
from vnpolicy.graph.paths import NQUADS_DUMP, SEARCH_INDEX, TRIG_DUMP
from vnpolicy.graph.read.release_graphs import DCAT, LDES, TREE
from vnpolicy.graph.read.releases import Archive, Release
from vnpolicy.graph.uris import DEFAULT_BASE

CHANGED_FILE = "01-cv-bcdtw.md"
OLD_LABEL = "{en: Dispatch 01-CV/BCĐTW,"
NEW_LABEL = "{en: Dispatch 01-CV/BCĐTW (revised in a test),"


def changed_sources(folder: Path) -> Path:
    """A copy of the fixture sources with one document's English label changed."""
    sources = folder / "sources"
    shutil.copytree(FIXTURE_SOURCES, sources)
    path = sources / "documents" / CHANGED_FILE
    text = path.read_text(encoding="utf-8")
    assert OLD_LABEL in text
    path.write_text(text.replace(OLD_LABEL, NEW_LABEL), encoding="utf-8")
    return sources


def build(sources: Path, out: Path, model: Graph, kept: int = 10) -> Dataset:
    dataset = build_dataset(sources / "documents", sources / "registry.yaml", model=model)
    write_dataset(dataset, out, inputs_digest(DEFAULT_BASE, sources), releases_kept=kept)
    return dataset


@pytest.fixture(scope="module")
def two_releases(
    fixture_dataset: Dataset, model: Graph, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path]:
    """An out folder built from the fixture, then from the changed copy; and that copy."""
    folder = tmp_path_factory.mktemp("releases")
    out = folder / "out"
    write_dataset(fixture_dataset, out, inputs_digest(DEFAULT_BASE, FIXTURE_SOURCES))
    sources = changed_sources(folder)
    build(sources, out, model)
    return out, sources


@pytest.fixture(scope="module")
def releases(two_releases: tuple[Path, Path]) -> list[Release]:
    return Archive(two_releases[0]).releases()


@pytest.fixture(scope="module")
def served(two_releases: tuple[Path, Path]) -> Iterator[httpx.Client]:
    out, sources = two_releases
    with serving_in_process(out, sources) as running:
        yield running.client


def test_a_build_that_changes_the_data_is_a_release_naming_what_changed(
    releases: list[Release], fixture_out: Path
) -> None:
    first, second = releases
    assert first.added == tuple(sorted(first.documents))
    assert not first.changed
    assert len(second.changed) == 1
    assert not second.added
    assert not second.removed
    changed = second.changed[0]
    assert second.documents[changed].labels["en"].endswith("(revised in a test)")
    assert second.previous == first.id
    assert second.time > first.time
    assert first.id.startswith(inputs_digest(DEFAULT_BASE, FIXTURE_SOURCES)[:12])


def test_releases_leave_the_build_outputs_as_they_were(
    two_releases: tuple[Path, Path], fixture_out: Path, releases: list[Release]
) -> None:
    """The first release keeps the first build's dumps byte for byte; the session's fixture
    build (same sources, a release of its own) wrote the same bytes."""
    out = two_releases[0]
    for name in (NQUADS_DUMP, TRIG_DUMP):
        kept = (out / "releases" / releases[0].id / name).read_bytes()
        assert kept == (fixture_out / name).read_bytes()
        assert (out / "releases" / releases[1].id / name).read_bytes() == (out / name).read_bytes()
    listed = sorted(p.relative_to(fixture_out) for p in fixture_out.rglob("*") if p.is_file())
    outputs = [p for p in listed if p.parts[0] != "releases"]
    assert {p.parts[0] for p in outputs} == {
        NQUADS_DUMP, TRIG_DUMP, "manifest.json", "documents", SEARCH_INDEX
    }  # fmt: skip


def test_a_build_with_the_same_data_makes_no_release_and_old_ones_are_pruned(
    fixture_dataset: Dataset, model: Graph, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    write_dataset(fixture_dataset, out, inputs_digest(DEFAULT_BASE, FIXTURE_SOURCES))
    write_dataset(fixture_dataset, out, inputs_digest(DEFAULT_BASE, FIXTURE_SOURCES))
    assert len(Archive(out).releases()) == 1
    first = Archive(out).releases()[0]
    build(changed_sources(tmp_path), out, model, kept=1)
    kept = Archive(out).releases()
    assert [release.previous for release in kept] == [first.id]
    assert not (out / "releases" / first.id).exists()
    versions = {path.stem for path in (out / "releases" / "versions").glob("*.ttl")}
    assert versions == {version.sha256 for version in kept[0].documents.values()}


def test_the_catalogue_lists_the_releases_as_a_dataset_series(
    served: httpx.Client, releases: list[Release]
) -> None:
    graph = Graph().parse(data=served.get("/catalog", headers={"Accept": "text/turtle"}).text)
    series = URIRef(BASE_URL + "/releases")
    assert (series, RDF.type, DCAT.DatasetSeries) in graph
    members = set(graph.subjects(DCAT.inSeries, series))
    expected = {URIRef(f"{BASE_URL}/releases/{release.id}") for release in releases}
    assert expected <= members
    assert graph.value(series, DCAT.last) == URIRef(f"{BASE_URL}/releases/{releases[-1].id}")
    feed = URIRef(BASE_URL + "/feeds/changes.atom")
    assert (series, DCAT.distribution, feed) in graph
    assert str(graph.value(feed, DCAT.mediaType)).endswith("/application/atom+xml")
    assert (URIRef(BASE_URL + "/ldes"), RDF.type, LDES.EventStream) in graph


def test_a_release_record_says_in_prov_which_document_changed(
    served: httpx.Client, releases: list[Release]
) -> None:
    second = releases[1]
    answer = served.get(f"/releases/{second.id}", headers={"Accept": "text/turtle"})
    assert answer.status_code == 200
    assert "immutable" in answer.headers["cache-control"]
    graph = Graph().parse(data=answer.text, format="turtle")
    activity = URIRef(f"{BASE_URL}/releases/{second.id}#build")
    generated = set(graph.objects(activity, PROV.generated))
    assert {graph.value(version, PROV.specializationOf) for version in generated} == {
        URIRef(second.changed[0])
    }
    (version,) = generated
    assert graph.value(version, PROV.wasRevisionOf) in set(
        graph.objects(activity, PROV.invalidated)
    )
    assert served.get("/releases/nope").status_code == 404


@pytest.mark.parametrize("name", [NQUADS_DUMP, TRIG_DUMP + ".gz"])
def test_a_release_dump_is_immutable_and_revalidates(
    served: httpx.Client, releases: list[Release], two_releases: tuple[Path, Path], name: str
) -> None:
    first = releases[0]
    answer = served.get(f"/releases/{first.id}/{name}")
    assert answer.status_code == 200
    assert "immutable" in answer.headers["cache-control"]
    kept = two_releases[0] / "releases" / first.id / name.removesuffix(".gz")
    body = answer.content
    if name.endswith(".gz"):
        body = gzip.decompress(body)
    assert body == kept.read_bytes()
    again = served.get(
        f"/releases/{first.id}/{name}", headers={"If-None-Match": answer.headers["etag"]}
    )
    assert again.status_code == 304


@pytest.mark.parametrize(
    ("path", "selects"),
    [("/feeds/changes.atom", None), ("/feeds/type/party-dispatch.atom", "party-dispatch")],
)
def test_the_atom_feeds_parse_and_carry_the_required_elements(
    served: httpx.Client, releases: list[Release], path: str, selects: str | None
) -> None:
    answer = served.get(path)
    assert answer.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(answer.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.id == BASE_URL + path
    assert feed.feed.title
    assert feed.feed.updated
    assert feed.feed.author
    changed = releases[1].changed[0]
    expected = [
        change.version.document
        for release in reversed(releases)
        for change in release.changes
        if selects is None or any(kind.endswith("/" + selects) for kind in change.version.types)
    ]
    assert [entry.id for entry in feed.entries] == expected
    assert feed.entries[0].id == changed
    assert "revised in a test" in feed.entries[0].title
    for entry in feed.entries:
        assert entry.updated
        assert entry.link.startswith(BASE_URL + "/")


def test_pages_link_the_feed_from_their_head(served: httpx.Client) -> None:
    found: list[dict[str, str | None]] = []

    class Links(html.parser.HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "link":
                found.append(dict(attrs))

    Links().feed(served.get("/").text)
    feeds = [link for link in found if link.get("type") == "application/atom+xml"]
    assert [link["href"] for link in feeds] == ["/feeds/changes.atom"]
    assert served.get(str(feeds[0]["href"])).status_code == 200
    found.clear()
    Links().feed(served.get("/eli/vn/cp/nd/2018/127.html").text)
    hrefs = [str(link["href"]) for link in found if link.get("type") == "application/atom+xml"]
    assert hrefs[0] == "/feeds/changes.atom"
    assert sorted(hrefs[1:]) == ["/feeds/issuer/government.atom", "/feeds/type/decree.atom"]
    for href in hrefs:
        assert feedparser.parse(served.get(str(href)).content).entries


def test_the_event_stream_pages_hold_every_document_then_the_change(
    served: httpx.Client, releases: list[Release]
) -> None:
    stream = Graph().parse(data=served.get("/ldes", headers={"Accept": "text/turtle"}).text)
    root = URIRef(BASE_URL + "/ldes")
    assert (root, RDF.type, LDES.EventStream) in stream
    assert stream.value(root, LDES.timestampPath) == PROV.generatedAtTime
    assert stream.value(root, LDES.versionOfPath) == DCTERMS.isVersionOf
    view = stream.value(root, TREE.view)
    nodes = [stream.value(relation, TREE.node) for relation in stream.objects(view, TREE.relation)]
    assert sorted(map(str, nodes)) == sorted(
        f"{BASE_URL}/ldes/pages/{release.id}" for release in releases
    )
    pages = []
    for release in releases:
        answer = served.get(f"/ldes/pages/{release.id}", headers={"Accept": "text/turtle"})
        page = Graph().parse(data=answer.text, format="turtle")
        members = set(page.objects(root, TREE.member))
        pages.append({page.value(member, DCTERMS.isVersionOf) for member in members})
    assert pages == [
        {URIRef(uri) for uri in releases[0].documents},
        {URIRef(releases[1].changed[0])},
    ]
    assert "immutable" in served.get(f"/ldes/pages/{releases[1].id}").headers["cache-control"]


def _http(moment: object) -> str:
    return format_datetime(moment, usegmt=True)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("accept_datetime", "chosen"),
    [
        (None, 1),  # no datetime: the newest memento
        ("before-first", 0),  # earlier than every memento: the first
        ("at-first", 0),
        ("between", 0),
        ("at-second", 1),
        ("after-second", 1),
    ],
)
def test_the_timegate_negotiates_in_time(
    served: httpx.Client, releases: list[Release], accept_datetime: str | None, chosen: int
) -> None:
    document = releases[1].changed[0]
    path = "/" + document.removeprefix(DEFAULT_BASE)
    first, second = releases[0].time, releases[1].time
    moments = {
        "before-first": first - timedelta(days=400),
        "at-first": first,
        "between": first + (second - first) / 2,
        "at-second": second,
        "after-second": second + timedelta(days=1),
    }
    headers = (
        {} if accept_datetime is None else {"Accept-Datetime": _http(moments[accept_datetime])}
    )
    if accept_datetime == "between" and second - first < timedelta(seconds=2):
        headers = {"Accept-Datetime": _http(first)}  # same second: 'between' is the first
    answer = served.get("/timegate" + path, headers=headers)
    assert answer.status_code == 302
    assert "accept-datetime" in answer.headers["vary"].lower()
    wanted = [releases[0], releases[1]][chosen]
    assert answer.headers["location"] == f"{BASE_URL}/releases/{wanted.id}{path}"
    memento = served.get(answer.headers["location"])
    assert memento.status_code == 200
    assert memento.headers["memento-datetime"] == _http(wanted.time)
    links = memento.headers["link"]
    for relation in ("original", "timegate", "timemap"):
        assert f'rel="{relation}"' in links
    label = "revised in a test" if chosen else "Dispatch 01-CV/BCĐTW"
    graph = Graph().parse(data=memento.text, format="turtle")
    labels = {str(o) for o in graph.objects(URIRef(document), None) if isinstance(o, Literal)}
    assert any(label in text for text in labels)
    assert (chosen == 1) == any("revised in a test" in text for text in labels)


def test_a_bad_accept_datetime_is_a_clear_400(
    served: httpx.Client, releases: list[Release]
) -> None:
    path = "/" + releases[1].changed[0].removeprefix(DEFAULT_BASE)
    answer = served.get("/timegate" + path, headers={"Accept-Datetime": "yesterday"})
    assert answer.status_code == 400
    assert "Accept-Datetime" in answer.text


def test_the_timemap_lists_every_memento(served: httpx.Client, releases: list[Release]) -> None:
    document = releases[1].changed[0]
    path = "/" + document.removeprefix(DEFAULT_BASE)
    answer = served.get("/timemap" + path)
    assert answer.headers["content-type"].startswith("application/link-format")
    mementos = [line for line in answer.text.split(",\n") if "memento" in line.split("rel=")[1]]
    assert [line.split(">")[0].lstrip("<") for line in mementos] == [
        f"{BASE_URL}/releases/{release.id}{path}" for release in releases
    ]
    unchanged = next(uri for uri in releases[0].documents if uri != document)
    one = served.get("/timemap/" + unchanged.removeprefix(DEFAULT_BASE)).text
    assert one.count('datetime="') == 1
    assert served.get("/timemap/eli/vn/none/1").status_code == 404


def test_a_documents_description_links_its_timegate(
    served: httpx.Client, releases: list[Release]
) -> None:
    document = releases[1].changed[0]
    path = "/" + document.removeprefix(DEFAULT_BASE)
    answer = served.get(path + ".ttl")
    assert f'<{BASE_URL}/timegate{path}>; rel="timegate"' in answer.headers["link"]
    assert 'rel="timegate"' not in served.get("/ontology.ttl").headers["link"]
