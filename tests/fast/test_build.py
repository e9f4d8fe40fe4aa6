"""The corpus build: what the graph holds and the dumps. (How ``vnpolicy build`` refuses bad
sources: ``live/test_build_command.py``.)"""

import json
import os
import subprocess
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, Store, parse
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from tests.utils.programs import require_program
from tests.utils.rdf import named_graphs, same_graphs, triples
from vnpolicy.graph.build.dataset import Dataset
from vnpolicy.graph.namespaces import ELI, RDF, VNP, VOCAB
from vnpolicy.graph.output import rendering
from vnpolicy.graph.output.dumps import document_slug, write_dataset
from vnpolicy.graph.validate.validation import validate

R57 = URIRef("https://w3id.org/vnpolicy/eli/vn/tw/nq/2024/57")
UNCERTAIN = URIRef(f"{VOCAB}certainty/uncertain")


def test_the_corpus_conforms(
    dataset: Dataset, model: Graph, shapes: Graph, asserted: Graph
) -> None:
    report = validate(asserted, model=model, shapes=shapes, check_shapes=False)
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


def test_every_target_is_sourced_with_a_certainty_and_the_facts_hold(asserted: Graph) -> None:
    data = asserted
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


def test_the_2025_date_is_a_source_error_never_the_date(asserted: Graph) -> None:
    data = asserted
    assert set(data.objects(R57, ELI.date_document)) == {
        Literal("2024-12-22", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date"))
    }
    stated = {str(v) for v in data.objects(None, VNP.statedValue)}
    assert {"December 22, 2025", "22/12/2025"} <= stated


def test_dispatch_4324_links_to_circular_09_and_never_implements_57(asserted: Graph) -> None:
    data = asserted
    dispatch = URIRef("https://w3id.org/vnpolicy/eli/vn/bgddt/cv/2024/4324-cntt")
    directions = [
        d for d in data.subjects(VNP.inDocument, dispatch) if (d, RDF.type, VNP.Direction) in data
    ]
    assert len(directions) == 7
    cited = {o for s in data.subjects(VNP.inDocument, dispatch) for o in data.objects(s, ELI.cites)}
    assert URIRef("https://w3id.org/vnpolicy/eli/vn/bgddt/tt/2021/09") in cited
    sources = {dispatch, *data.subjects(VNP.inDocument, dispatch)}
    assert not any((s, ELI.implements, None) in data for s in sources)


def test_uncertain_relations_are_never_direct_triples(asserted: Graph) -> None:
    data = asserted
    law93 = URIRef("https://w3id.org/vnpolicy/eli/vn/qh15/luat/2025/93")
    assert (law93, VNP.replaces, None) not in data
    assert (law93, ELI.amends, URIRef("https://w3id.org/vnpolicy/eli/vn/qh12/luat/2008/21")) in data


def test_government_subtasks_belong_to_03_and_link_to_the_57_tasks(asserted: Graph) -> None:
    data = asserted
    nq03 = URIRef("https://w3id.org/vnpolicy/eli/vn/cp/nq/2025/03")
    for n in range(1, 8):
        group = URIRef(f"{nq03}/section/2/task/{n}")
        assert (group, ELI.implements, URIRef(f"{R57}/section/3/task/{n}")) in data
        assert (group, VNP.inDocument, nq03) in data


def test_alignment_is_materialised_apart(dataset: Dataset, asserted: Graph) -> None:
    assert (R57, RDF.type, ELI.LegalResource) in dataset.entailed
    assert (R57, RDF.type, ELI.LegalResource) not in asserted
    assert not any(
        p == ELI.is_part_of for _, p, _ in dataset.entailed.triples((None, ELI.is_part_of, R57))
    )


def test_dumps_reload_as_the_same_graphs(dataset: Dataset, built: Path) -> None:
    built_graphs = {str(name): graph for name, graph in dataset.named_graphs()}
    for name, rdf_format in (("vnpolicy.trig", RdfFormat.TRIG), ("vnpolicy.nq", RdfFormat.N_QUADS)):
        assert same_graphs(named_graphs(built / name, rdf_format), built_graphs), name
    for uri, graph in dataset.documents.items():
        slug = document_slug(dataset, uri)
        assert isomorphic(Graph().parse(built / "documents" / f"{slug}.ttl"), graph)
        jsonld = triples(built / "documents" / f"{slug}.jsonld", RdfFormat.JSON_LD)
        assert isomorphic(jsonld, graph), slug
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
def test_rapper_reads_the_trig_dump_and_every_document_as_the_built_graphs(
    dataset: Dataset, built: Path
) -> None:
    """Raptor, a second parser, reads the same graphs from the dumps as the build made."""
    rapper = require_program("rapper")
    built_graphs = {str(name): graph for name, graph in dataset.named_graphs()}
    by_slug = {document_slug(dataset, uri): graph for uri, graph in dataset.documents.items()}
    files = [built / "vnpolicy.trig", *sorted((built / "documents").glob("*.ttl"))]
    assert len(files) == 1 + len(dataset.documents)
    for path in files:
        syntax = "trig" if path.suffix == ".trig" else "turtle"
        result = subprocess.run(
            [rapper, "--quiet", "--input", syntax, "--output", "nquads", str(path)],
            capture_output=True, timeout=60, check=False,
        )  # fmt: skip
        assert result.returncode == 0, (path, result.stderr)
        read = named_graphs(result.stdout, RdfFormat.N_QUADS)
        if syntax == "trig":
            assert same_graphs(read, built_graphs)
        else:
            assert read.keys() == {"DEFAULT"}, path
            assert isomorphic(read["DEFAULT"], by_slug[path.stem]), path


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
    (
        "tw/nq/2025/71",
        "thematically-related",
        "tw/nq/2024/57",
        "single-source",
    ),  # one portal (vietnam.vn)
    ("tw/nq/2024/57", "builds-on", "hntw/nq/1996/02", "multiple-sources"),
    ("tw/nq/2024/57", "builds-on", "tw/nq/2012/20", "multiple-sources"),
    ("tw/nq/2024/57", "builds-on", "tw/nq/2019/52", "multiple-sources"),
    ("tw/nq/2024/57", "builds-on", "tw/kl/2024/69", "multiple-sources"),
    ("bgddt/tt/2024/30", "replaces", "bgddt/tt/2014/11", "uncertain"),
    ("cp/nd/2024/168", "partially-repeals", "cp/nd/2019/100", "multiple-sources"),
    ("cp/nd/2024/168", "amends", "cp/nd/2019/100", "multiple-sources"),
    ("bvhttdl/qd/2025/142", "continues", "bvhttdl/qd/2022/3853", "single-source"),
    (
        "bvhttdl/qd/2025/142",
        "contributes-to",
        "tw/kl/2020/80",
        "uncertain",
    ),  # to the Action Plan for 80
]


@pytest.mark.parametrize(("source", "kind", "target", "certainty"), FACTS_RELATIONS)
def test_the_relations_of_facts_section_9_are_in_the_graph(
    source: str, kind: str, target: str, certainty: str, asserted: Graph
) -> None:
    data = asserted
    nodes = [
        node
        for node in data.subjects(VNP.fromResource, URIRef(E + source))
        if (node, VNP.toResource, URIRef(E + target)) in data
        and (node, VNP.relationType, URIRef(f"{VOCAB}relation-type/{kind}")) in data
    ]
    assert len(nodes) == 1
    assert data.value(nodes[0], VNP.certainty) == URIRef(f"{VOCAB}certainty/{certainty}")
    sources = set(data.objects(nodes[0], URIRef("http://purl.org/dc/terms/source")))
    assert sources, "a relation rests on its sources"
    assert all((source, RDF.type, VNP.Source) in data for source in sources)


def test_the_steering_committee_is_established_and_regulated(asserted: Graph) -> None:
    data = asserted
    committee = URIRef(f"{VOCAB}body/central-steering-committee")
    assert (URIRef(E + "tw/qd/2025/229"), VNP.establishes, committee) in data
    assert (URIRef(E + "tw/qd/2025/230"), VNP.regulates, committee) in data


def test_a_build_removes_what_a_killed_build_left(fixture_dataset: Dataset, tmp_path: Path) -> None:
    """A build killed while writing leaves ``.out.staging-PID`` (or ``.out.old-PID``) beside
    the output; the next build removes those of processes that no longer run, and keeps those
    of a build still running."""
    ended = subprocess.Popen(["true"])
    ended.wait()
    still = subprocess.Popen(["sleep", "600"])
    try:
        left = [tmp_path / f".out.staging-{ended.pid}", tmp_path / f".out.old-{ended.pid}"]
        kept = tmp_path / f".out.staging-{still.pid}"
        for folder in [*left, kept]:
            (folder / "documents").mkdir(parents=True)
        write_dataset(fixture_dataset, tmp_path / "out")
        assert [folder.exists() for folder in left] == [False, False]
        assert kept.is_dir()
        assert (tmp_path / "out" / "vnpolicy.nq").is_file()
    finally:
        still.kill()
        still.wait()
