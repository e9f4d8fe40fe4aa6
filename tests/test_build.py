"""The corpus build: what the graph holds, how bad sources are refused, and the dumps."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, Store, parse
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from tests.conftest import require_program
from vnpolicy.graph.build.dataset import Dataset
from vnpolicy.graph.namespaces import ELI, RDF, VNP, VOCAB
from vnpolicy.graph.output import rendering
from vnpolicy.graph.output.dumps import document_slug
from vnpolicy.graph.paths import SOURCES_DIR
from vnpolicy.graph.validate.validation import validate

R57 = URIRef("https://w3id.org/vnpolicy/eli/vn/tw/nq/2024/57")
UNCERTAIN = URIRef(f"{VOCAB}certainty/uncertain")


def vnpolicy(
    *args: str, cwd: Path | None = None, seed: str = "0"
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.run(
        ["vnpolicy", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
        env=env,
        check=False,
    )


def test_the_corpus_conforms(dataset: Dataset, model: Graph, shapes: Graph) -> None:
    report = validate(dataset.asserted(), model=model, shapes=shapes, check_shapes=False)
    assert report.violations == ()
    assert dataset.context.warnings == []


def test_resolution_57_has_its_viewpoints_tasks_and_both_translations(dataset: Dataset) -> None:
    graph = dataset.documents[R57]
    viewpoints = set(graph.subjects(RDF.type, VNP.GuidingViewpoint))
    tasks = {t for t in graph.subjects(RDF.type, VNP.Task) if str(t).count("/task/") == 1}
    assert len(viewpoints) == 5
    assert len(tasks) == 7
    for provision in viewpoints | tasks:
        texts = {str(t).rsplit("/", 1)[1] for t in graph.subjects(ELI.realizes, provision)}
        assert texts == {"lawnet", "ip-law-firm"}, provision


def test_every_target_is_sourced_with_a_certainty_and_the_facts_hold(dataset: Dataset) -> None:
    data = dataset.asserted()
    targets = set(data.subjects(RDF.type, VNP.Target))
    assert len(targets) == 34
    by_indicator = {
        (str(indicator), str(data.value(t, VNP.deadlineYear))): t
        for t in targets
        for indicator in data.objects(t, VNP.indicator)
        if isinstance(indicator, Literal) and indicator.language == "en"
    }
    economy = by_indicator[("Scale of the digital economy", "2030")]
    assert data.value(economy, VNP.value) == Literal(
        "30", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal")
    )
    assert data.value(economy, VNP.comparator) == URIRef(f"{VOCAB}comparator/at-least")
    researchers = by_indicator[
        ("Research, technology-development and innovation personnel", "2030")
    ]
    assert data.value(researchers, VNP.unit) == URIRef(f"{VOCAB}unit/per-10000-people")
    uncertain = {t for t in targets if data.value(t, VNP.certainty) == UNCERTAIN}
    assert len(uncertain) == 4


def test_the_2025_date_is_a_source_error_never_the_date(dataset: Dataset) -> None:
    data = dataset.asserted()
    assert set(data.objects(R57, ELI.date_document)) == {
        Literal("2024-12-22", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date"))
    }
    stated = {str(v) for v in data.objects(None, VNP.statedValue)}
    assert {"December 22, 2025", "22/12/2025"} <= stated


def test_dispatch_4324_links_to_circular_09_and_never_implements_57(dataset: Dataset) -> None:
    data = dataset.asserted()
    dispatch = URIRef("https://w3id.org/vnpolicy/eli/vn/bgddt/cv/2024/4324-cntt")
    directions = [
        d for d in data.subjects(VNP.inDocument, dispatch) if (d, RDF.type, VNP.Direction) in data
    ]
    assert len(directions) == 7
    cited = {o for s in data.subjects(VNP.inDocument, dispatch) for o in data.objects(s, ELI.cites)}
    assert URIRef("https://w3id.org/vnpolicy/eli/vn/bgddt/tt/2021/09") in cited
    sources = {dispatch, *data.subjects(VNP.inDocument, dispatch)}
    assert not any((s, ELI.implements, None) in data for s in sources)


def test_uncertain_relations_are_never_direct_triples(dataset: Dataset) -> None:
    data = dataset.asserted()
    law93 = URIRef("https://w3id.org/vnpolicy/eli/vn/qh15/luat/2025/93")
    assert (law93, VNP.replaces, None) not in data
    assert (law93, ELI.amends, URIRef("https://w3id.org/vnpolicy/eli/vn/qh12/luat/2008/21")) in data


def test_government_subtasks_belong_to_03_and_link_to_the_57_tasks(dataset: Dataset) -> None:
    data = dataset.asserted()
    nq03 = URIRef("https://w3id.org/vnpolicy/eli/vn/cp/nq/2025/03")
    for n in range(1, 8):
        group = URIRef(f"{nq03}/section/2/task/{n}")
        assert (group, ELI.implements, URIRef(f"{R57}/section/3/task/{n}")) in data
        assert (group, VNP.inDocument, nq03) in data


def test_alignment_is_materialised_apart(dataset: Dataset) -> None:
    assert (R57, RDF.type, ELI.LegalResource) in dataset.entailed
    assert (R57, RDF.type, ELI.LegalResource) not in dataset.asserted()
    assert not any(
        p == ELI.is_part_of for _, p, _ in dataset.entailed.triples((None, ELI.is_part_of, R57))
    )


def test_dumps_reload_as_the_same_graphs(dataset: Dataset, built: Path) -> None:
    for name, rdf_format in (("vnpolicy.trig", RdfFormat.TRIG), ("vnpolicy.nq", RdfFormat.N_QUADS)):
        by_graph: dict[str, Graph] = {}
        for quad in parse(path=str(built / name), format=rdf_format):
            graph = by_graph.setdefault(str(quad.graph_name.value), Graph())
            graph.parse(data=f"{quad.triple} .", format="nt")
        assert set(by_graph) == {str(graph_name) for graph_name, _ in dataset.named_graphs()}
        for graph_name, graph in dataset.named_graphs():
            assert isomorphic(by_graph[str(graph_name)], graph), (name, graph_name)
    for uri, graph in dataset.documents.items():
        slug = document_slug(dataset, uri)
        assert isomorphic(Graph().parse(built / "documents" / f"{slug}.ttl"), graph)
        # JSON-LD read by Oxigraph's parser (rdflib's emits deprecation warnings).
        from_jsonld = Graph()
        for triple in parse(
            path=str(built / "documents" / f"{slug}.jsonld"), format=RdfFormat.JSON_LD
        ):
            from_jsonld.parse(data=f"{triple} .", format="nt")
        assert isomorphic(from_jsonld, graph), slug
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["quads"] == sum(len(g) for _, g in dataset.named_graphs())


def test_the_store_keeps_every_literal_as_the_dumps_write_it(built: Path) -> None:
    # Oxigraph's store canonicalises some datatypes (positiveInteger -> integer, "30.0" -> "30");
    # the build writes only forms it keeps, so endpoint answers equal the dumps (decision 0011).
    dumped = list(parse(path=str(built / "vnpolicy.nq"), format=RdfFormat.N_QUADS))
    store = Store()
    store.bulk_extend(dumped)
    kept = set(store.quads_for_pattern(None, None, None, None))
    assert [quad for quad in dumped if quad not in kept] == []
    assert len(kept) == len(dumped)


@pytest.mark.external
def test_rapper_reads_the_trig_dump_and_every_document(dataset: Dataset, built: Path) -> None:
    rapper = require_program("rapper")
    files = [built / "vnpolicy.trig", *sorted((built / "documents").glob("*.ttl"))]
    for path in files:
        result = subprocess.run(
            [
                rapper,
                "--quiet",
                "--input",
                "trig" if path.suffix == ".trig" else "turtle",
                "--output",
                "nquads",
                str(path),
            ],
            capture_output=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, (path, result.stderr)
        assert result.stdout.count(b"\n") > 0


def test_rendering_in_worker_processes_gives_the_same_text(
    dataset: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large corpus is rendered in forked processes, in chunks: the text must not change."""
    alone = rendering.render(dataset)
    monkeypatch.setattr(rendering, "PARALLEL_FROM", 1)
    monkeypatch.setattr(rendering, "CHUNK", 7)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert rendering.render(dataset) == alone
    assert alone.trig.count(" {\n") == len(list(dataset.named_graphs()))
    assert len(alone.documents) == len(dataset.documents)


def test_rebuilding_gives_the_same_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    assert vnpolicy("build", "--out", str(first), seed="1").returncode == 0
    assert vnpolicy("build", "--out", str(second), seed="2").returncode == 0
    names = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def _sources_with(tmp_path: Path, name: str, text: str) -> Path:
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES_DIR, sources)
    (sources / "documents" / name).write_text(text, encoding="utf-8")
    return sources


def test_a_non_conforming_source_stops_the_build_with_file_and_line(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("previous build")
    sources = _sources_with(
        tmp_path,
        "bad.md",
        "---\nnumber: 99/NQ-CP\ntype: government-resolution\nissuer: government\n"
        "label: {en: Bad}\nsources: [apag]\n---\n\n## Section 1\ntitle: {en: No sources here}\n\n"
        "1. Target\n   indicator: {en: Reversed}\n   min: 10\n   max: 5\n   unit: percent\n"
        "   comparator: within-range\n   deadline: 2030\n   sources: [apag]\n",
    )
    result = vnpolicy("build", "--sources", str(sources), "--out", str(out))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "vnps:Target-range-ordered" in result.stdout
    assert "bad.md:12" in result.stdout
    assert "vnps:Provision-source" in result.stdout
    assert "bad.md:9" in result.stdout
    assert "Nothing written" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]


HEAD = "---\nnumber: 1/NQ-CP\ntype: government-resolution\nissuer: government\nlabel: {en: X}\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("---\nnumber: 1/NQ-CP\ntype: nope\n---\n", "bad.md:3: unknown document-type 'nope'"),
        (
            "---\nnumber: 03-NQ/CP\ntype: government-resolution\n---\n",
            "write the official form '03/NQ-CP'",
        ),
        (
            HEAD + "sources: [no-such-source]\n---\n",
            "bad.md:6: unknown source 'no-such-source'",
        ),
        (
            HEAD
            + "sources: [apag]\nrelations:\n  - implements: 999/NQ-CP\n    sources: [apag]\n---\n",
            "no source file describes document '999/NQ-CP'",
        ),
        ("---\nnumber: 1/NQ-CP\ntype: [unclosed\n---\n", "bad.md:3: invalid YAML"),
        (
            HEAD + "sources: [apag]\n---\n\nsome prose\n",
            "bad.md:9: expected a heading",
        ),
        (
            HEAD + "sources: [apag]\ncolour: red\n---\n",
            "unknown field(s) colour",
        ),
    ],
)
def test_unusable_sources_are_refused_with_file_and_line(
    tmp_path: Path, text: str, message: str
) -> None:
    sources = _sources_with(tmp_path, "bad.md", text)
    result = vnpolicy("build", "--sources", str(sources), "--out", str(tmp_path / "out"))
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr
    assert not (tmp_path / "out").exists()


def test_an_unresolved_mention_is_a_warning_with_file(tmp_path: Path) -> None:
    sources = _sources_with(
        tmp_path,
        "mentions.md",
        "---\nnumber: 98/NQ-CP\ntype: government-resolution\nissuer: government\ndate: 2025-05-01\n"
        "label: {en: Mentions}\nsources: [apag]\ntexts:\n  en: {language: en, kind: translation, "
        "publisher: lawnet, sources: [seed-000]}\n---\n\n## Article 1\n"
        'text:\n  en: "Implements Decree 168 and Resolution 71 and Circular 77/2020/TT-BGDDT."\n',
    )
    result = vnpolicy("build", "--sources", str(sources), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "mentions.md:12: mention 'Resolution 71'" in result.stderr
    assert "mentions.md:12: mention '77/2020/TT-BGDDT'" in result.stderr
    assert "Decree 168'" not in result.stderr
    nq = (tmp_path / "out" / "vnpolicy.nq").read_text(encoding="utf-8")
    cites = (
        "<https://w3id.org/vnpolicy/eli/vn/cp/nq/2025/98/article/1> "
        "<http://data.europa.eu/eli/ontology#cites> <https://w3id.org/vnpolicy/eli/vn/cp/nd/2024/168>"
    )
    assert cites in nq


E = "https://w3id.org/vnpolicy/eli/vn/"
# Every edge of FACTS.md §9 (plus the ones its sections give), with the certainty the graph holds.
FACTS_RELATIONS = [
    ("cp/nq/2025/03", "implements", "tw/nq/2024/57", "multiple-sources"),
    ("cp/nq/2025/71", "amends", "cp/nq/2025/03", "multiple-sources"),
    ("cp/nq/2025/71", "implements", "tw/nq/2024/57", "multiple-sources"),
    ("qh15/nq/2025/193", "operationalises", "tw/nq/2024/57", "multiple-sources"),
    ("bcdtw/kh/2025/01", "implements", "tw/nq/2024/57", "multiple-sources"),
    ("bcdtw/kh/2025/01", "based-on", "tw/qd/2025/229", "single-source"),
    ("bcdtw/kh/2025/01", "based-on", "tw/qd/2025/230", "single-source"),
    ("bcdtw/cv/2025/01", "implements", "tw/nq/2024/57", "single-source"),
    ("bcdtw/kh/2025/02", "implements", "tw/nq/2024/57", "multiple-sources"),
    ("bcdtw/kh/2025/02", "implements", "tw/kl/undated/130", "multiple-sources"),
    ("qh15/luat/2025/93", "institutionalises", "tw/nq/2024/57", "single-source"),
    ("qh15/luat/2025/93", "amends", "qh12/luat/2008/21", "single-source"),
    ("qh15/luat/2025/93", "amends", "qh14/luat/2017/07", "single-source"),
    ("qh15/luat/2025/93", "replaces", "qh13/luat/2013/29", "uncertain"),
    ("qh15/luat/2025/71", "institutionalises", "tw/nq/2024/57", "single-source"),
    ("bgddt/kh/2025/935", "implements", "cp/nq/2025/03", "single-source"),
    ("bgddt/kh/2025/935", "implements", "bcdtw/kh/2025/01", "single-source"),
    ("cp/nq/undated/281", "implements", "tw/nq/2025/71", "multiple-sources"),
    ("tw/nq/2025/71", "thematically-related", "tw/nq/2024/57", "multiple-sources"),
    ("tw/nq/2024/57", "builds-on", "hntw/nq/1996/02", "multiple-sources"),
    ("tw/nq/2024/57", "builds-on", "tw/nq/2012/20", "multiple-sources"),
    ("tw/nq/2024/57", "builds-on", "tw/nq/2019/52", "multiple-sources"),
    ("tw/nq/2024/57", "builds-on", "tw/kl/2024/69", "multiple-sources"),
    ("bgddt/tt/2024/30", "replaces", "bgddt/tt/2014/11", "uncertain"),
    ("cp/nd/2024/168", "partially-repeals", "cp/nd/2019/100", "multiple-sources"),
    ("cp/nd/2024/168", "amends", "cp/nd/2019/100", "multiple-sources"),
    ("bvhttdl/qd/2025/142", "continues", "bvhttdl/qd/2022/3853", "single-source"),
    ("bvhttdl/qd/2025/142", "contributes-to", "tw/kl/2020/80", "multiple-sources"),
]


@pytest.mark.parametrize(("source", "kind", "target", "certainty"), FACTS_RELATIONS)
def test_the_relations_of_facts_section_9_are_in_the_graph(
    dataset: Dataset, source: str, kind: str, target: str, certainty: str
) -> None:
    data = dataset.asserted()
    nodes = [
        node
        for node in data.subjects(VNP.fromResource, URIRef(E + source))
        if (node, VNP.toResource, URIRef(E + target)) in data
        and (node, VNP.relationType, URIRef(f"{VOCAB}relation-type/{kind}")) in data
    ]
    assert len(nodes) == 1
    assert data.value(nodes[0], VNP.certainty) == URIRef(f"{VOCAB}certainty/{certainty}")
    assert list(data.objects(nodes[0], URIRef("http://purl.org/dc/terms/source")))


def test_the_steering_committee_is_established_and_regulated(dataset: Dataset) -> None:
    data = dataset.asserted()
    committee = URIRef(f"{VOCAB}body/central-steering-committee")
    assert (URIRef(E + "tw/qd/2025/229"), VNP.establishes, committee) in data
    assert (URIRef(E + "tw/qd/2025/230"), VNP.regulates, committee) in data
