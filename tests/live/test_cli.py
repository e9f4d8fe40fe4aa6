"""The vnpolicy command line, run as a user runs it: the installed entry point in a subprocess."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, Store
from rdflib import URIRef

from tests.utils.paths import ROOT, TESTS_DIR
from vnpolicy.graph.build.dataset import Dataset
from vnpolicy.graph.namespaces import VNP, VOCAB
from vnpolicy.graph.network.export import export_network
from vnpolicy.graph.network.views import view
from vnpolicy.graph.rdf_files import read_files
from vnpolicy.graph.store import select

FIXTURES = TESTS_DIR / "shapes" / "fixtures"


def vnpolicy(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", "from vnpolicy.server.cli.main import main; main()", *args]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=120, cwd=ROOT, check=False
    )


def test_validate_passes_on_the_project_graph() -> None:
    result = vnpolicy("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "Conforms: no violations.\n"


def test_validate_reports_violations_grouped_with_focus_path_and_value() -> None:
    result = vnpolicy(
        "validate", str(FIXTURES / "context.ttl"), str(FIXTURES / "target-range-and-rank.ttl")
    )
    assert result.returncode == 1
    out = result.stdout
    assert out.startswith("Does not conform: 3 violation(s) of 3 rule(s).")
    assert "[1] vnps:Target-range-ordered: A target's minimum (vnp:minValue) is not above" in out
    assert "    focus: <https://example.org/reversed>" in out
    assert "      path: vnp:minValue" in out
    assert "      value: 10" in out
    assert "[1] vnps:Target-rank-has-scope:" in out


def test_validate_json_lists_every_violation() -> None:
    result = vnpolicy(
        "validate",
        "--json",
        str(FIXTURES / "context.ttl"),
        str(FIXTURES / "document-missing-everything.ttl"),
    )
    assert result.returncode == 1
    payload = json.loads(result.stdout)
    assert payload["conforms"] is False
    rules = {
        (v["source_constraint"] or v["source_shape"]).rsplit("#", 1)[1]
        for v in payload["violations"]
    }
    assert rules == {
        "Document-number-or-note",
        "Document-type",
        "Document-type-in-scheme",
        "Document-issuer",
        "Document-label",
        "Document-source",
    }


def test_validate_names_file_and_line_of_a_syntax_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix ex: <https://example.org/> .\n\nex:a ex:b .\n", encoding="utf-8")
    result = vnpolicy("validate", str(broken))
    assert result.returncode == 2
    assert result.stdout == ""
    assert str(broken) in result.stderr
    assert "at line 3" in result.stderr


@pytest.mark.parametrize("name", ["data.rdf", "data.jsonld", "data.txt"])
def test_validate_refuses_formats_that_could_fetch_or_are_unknown(
    tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    path.write_text("", encoding="utf-8")
    result = vnpolicy("validate", str(path))
    assert result.returncode == 2
    assert "unsupported file type" in result.stderr
    assert ".nq, .nt, .trig, .ttl" in result.stderr


def test_validate_reads_trig_and_nquads(tmp_path: Path) -> None:
    from vnpolicy.graph.rdf_files import read_files

    triples = read_files([FIXTURES / "context.ttl"]).serialize(format="nt").strip().splitlines()
    quads = "".join(f"{line[:-1].rstrip()} <https://example.org/graph> .\n" for line in triples)
    trig = "<https://example.org/graph> {\n" + "\n".join(triples) + "\n}\n"
    for name, text in (("context.nq", quads), ("context.trig", trig)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        result = vnpolicy("validate", str(path))
        assert result.returncode == 0, result.stdout + result.stderr
        stats = json.loads(vnpolicy("stats", "--json", str(path)).stdout)
        assert stats["triples"] == len(triples)


def test_validate_finds_violations_inside_quads(tmp_path: Path) -> None:
    text = (FIXTURES / "target-range-and-rank.ttl").read_text(encoding="utf-8")
    context = (FIXTURES / "context.ttl").read_text(encoding="utf-8")
    path = tmp_path / "bad.trig"
    path.write_text(_as_trig(context) + _as_trig(text), encoding="utf-8")
    result = vnpolicy("validate", str(path))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "vnps:Target-range-ordered" in result.stdout


def _as_trig(turtle: str) -> str:
    """Wrap a Turtle file (prefixes first) in a named graph block."""
    lines = turtle.splitlines()
    prefixes = [line for line in lines if line.startswith("@prefix")]
    body = [line for line in lines if not line.startswith("@prefix")]
    name = f"<https://example.org/graph/{abs(hash(turtle))}>"
    return "\n".join(prefixes) + f"\n{name} {{\n" + "\n".join(body) + "\n}\n"


def test_the_built_dump_validates_without_its_entailments(built: Path) -> None:
    result = vnpolicy("validate", str(built / "vnpolicy.trig"))
    assert result.returncode == 0, result.stdout + result.stderr
    stats = json.loads(vnpolicy("stats", "--json", str(built / "vnpolicy.nq")).stdout)
    assert stats["triples"] == len(read_files([built / "vnpolicy.nq"]))


def test_stats_counts_the_project_graph(dataset: Dataset) -> None:
    result = vnpolicy("stats", "--json")
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    tables = {
        table["title"]: {" / ".join(cells): count for cells, count in table["rows"]}
        for table in stats["tables"]
    }
    assert tables["Documents by type"]["law"] == 10
    data = dataset.asserted()
    uncertain_replaces = [
        node
        for node in data.subjects(VNP.relationType, URIRef(f"{VOCAB}relation-type/replaces"))
        if data.value(node, VNP.certainty) == URIRef(f"{VOCAB}certainty/uncertain")
    ]
    assert tables["Relations by type and certainty"]["replaces / uncertain"] == len(
        uncertain_replaces
    )
    assert tables["Document texts by language and kind"]["en / unofficial translation"] == 3
    assert stats["triples"] == len(dataset.asserted())


def test_stats_text_output_has_its_tables() -> None:
    result = vnpolicy("stats")
    assert result.returncode == 0
    assert "Targets by deadline year and certainty" in result.stdout
    assert "2030  several independent sources" in result.stdout


@pytest.mark.parametrize(
    ("text", "number", "uri", "known"),
    [
        ("Resolution 57-NQ/TW of 2024", "57-NQ/TW", "eli/vn/tw/nq/2024/57", True),
        (
            "Official Dispatch 4324/BGDDT-CNTT of 2024",
            "4324/BGDĐT-CNTT",
            "eli/vn/bgddt/cv/2024/4324-cntt",
            True,
        ),
        ("Decree 168", "168/2024/NĐ-CP", "eli/vn/cp/nd/2024/168", True),
        ("03-NQ/CP", "03/NQ-CP", "eli/vn/cp/nq/2025/03", True),
        ("Law 12/2023/QH15", "12/2023/QH15", "eli/vn/qh15/luat/2023/12", False),
        ("12/2023/QH15", "12/2023/QH15", None, False),
        ("Resolution 99-NQ/TW of 2026", "99-NQ/TW", "eli/vn/tw/nq/2026/99", False),
        ("Resolution 99-NQ/TW", "99-NQ/TW", None, False),
        ("Resolution 71", None, None, False),
    ],
)
def test_identify_gives_the_official_number_and_the_uri(
    text: str, number: str | None, uri: str | None, known: bool
) -> None:
    result = vnpolicy("identify", "--json", text)
    assert result.returncode == 0, result.stderr
    [answer] = json.loads(result.stdout)
    expected_uri = f"https://w3id.org/vnpolicy/{uri}" if uri else None
    assert (answer["number"], answer["uri"], answer["known"]) == (number, expected_uri, known)


def test_identify_refuses_what_names_no_document() -> None:
    result = vnpolicy("identify", "hello")
    assert result.returncode == 2
    assert "names no document" in result.stderr


def test_export_writes_the_library_export(built: Path, tmp_path: Path) -> None:
    store = Store()
    store.bulk_load(path=str(built / "vnpolicy.nq"), format=RdfFormat.N_QUADS)
    output = tmp_path / "documents.gexf"
    result = vnpolicy("export", "--view", "documents", "--format", "gexf", "--lang", "vi",
                      "--data", str(built / "vnpolicy.nq"), "-o", str(output))  # fmt: skip
    assert result.returncode == 0, result.stderr
    made = export_network(view(store, "documents"), "gexf", "vi")
    assert f"{made.nodes} nodes, {made.edges} edges" in result.stderr
    assert output.read_bytes() == made.body
    query = tmp_path / "implements.rq"
    query.write_text("CONSTRUCT { ?a eli:implements ?b } WHERE { ?a eli:implements ?b }")
    custom = vnpolicy("export", "--query", str(query), "--format", "d3",
                      "--data", str(built / "vnpolicy.nq"))  # fmt: skip
    assert custom.returncode == 0, custom.stderr
    links = json.loads(custom.stdout)["links"]
    implements = select(store, "SELECT DISTINCT ?a ?b { ?a eli:implements ?b }", union=True)
    assert sorted((link["source"], link["target"]) for link in links) == sorted(
        (row["a"], row["b"]) for row in implements
    )
    assert {link["predicate"] for link in links} == {
        "http://data.europa.eu/eli/ontology#implements"
    }
    bad = vnpolicy("export", "--view", "nope", "--data", str(built / "vnpolicy.nq"))
    assert bad.returncode == 2
    assert "unknown view 'nope'" in bad.stderr
