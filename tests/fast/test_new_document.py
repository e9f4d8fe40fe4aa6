"""``vnpolicy new-document``: a short form becomes a quoted, validated source file, or nothing."""

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef

from tests.utils.paths import TESTS_DIR
from vnpolicy.graph.build.dataset import build_dataset
from vnpolicy.graph.namespaces import RDF, VNP
from vnpolicy.server.cli.main import main

# Hà Nội's Plan 43/KH-UBND as FACTS-implementing.md C.1 gives it.
FORM = """\
number: 43/KH-UBND
type: provincial-plan
issuer: ha-noi-people-committee
date: 2025-02-14
title: {vi: "Kế hoạch thực hiện Nghị quyết số 03/NQ-CP ngày 09/01/2025 của Chính phủ"}
sources:
  - key: nhansu-43
    url: "https://nhansu.vn/van-ban-phap-luat/Ke-hoach-43-KH-UBND-2025-thuc-hien-Nghi-quyet-03-NQ-CP-thuc-hien-Nghi-quyet-57-NQ-TW-Ha-Noi-657718.html"
    kind: legal-database
    quote: >-
      Thực hiện Nghị quyết số 57-NQ/TW … Nghị quyết số 03/NQ-CP ngày 09/01/2025 …,
      UBND Thành phố ban hành Kế hoạch tổ chức thực hiện
relations:
  - implements: 03/NQ-CP
  - implements: 57-NQ/TW
"""
URI = URIRef("https://w3id.org/vnpolicy/eli/vn/ha-noi/ubnd/kh/2025/43")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    shutil.copytree(TESTS_DIR / "data" / "sources", tmp_path / "sources")
    return tmp_path / "sources"


def _run(corpus: Path, form: str, *options: str) -> tuple[int, str]:
    path = corpus.parent / "form.yaml"
    path.write_text(form, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["new-document", str(path), "--sources", str(corpus), *options]
    )
    return result.exit_code, result.output


def test_the_form_becomes_a_quoted_source_file_that_builds(corpus: Path) -> None:
    code, output = _run(corpus, FORM)
    assert code == 0, output
    assert f"43/KH-UBND\t43/KH-UBND\t{URI}\tknown" in output
    assert "57-NQ/TW\t57-NQ/TW\thttps://w3id.org/vnpolicy/eli/vn/tw/nq/2024/57\tknown" in output
    assert "nhansu-43:" in (corpus / "registry.yaml").read_text(encoding="utf-8")
    dataset = build_dataset(corpus / "documents", corpus / "registry.yaml")
    graph = dataset.documents[URI]
    quotes = set(graph.subjects(RDF.type, VNP.Quotation))
    # one quote on the date and one on each of the two relations
    assert len(quotes) == 3
    assert {graph.value(quote, RDF.value) for quote in quotes} == {
        Literal(
            "Thực hiện Nghị quyết số 57-NQ/TW … Nghị quyết số 03/NQ-CP ngày 09/01/2025 …, "
            "UBND Thành phố ban hành Kế hoạch tổ chức thực hiện"
        )
    }


def test_a_dry_run_writes_nothing(corpus: Path) -> None:
    before = sorted(p.name for p in (corpus / "documents").iterdir())
    code, output = _run(corpus, FORM, "--dry-run")
    assert code == 0, output
    assert "evidence: quoted" in output
    assert sorted(p.name for p in (corpus / "documents").iterdir()) == before


@pytest.mark.parametrize(
    ("change", "code", "message"),
    [
        # the number does not fit its type: the shapes reject it, nothing is written
        (("number: 43/KH-UBND", "number: 43-KH/TU"), 1, "Nothing written"),
        # a relation to a document no source file describes
        (("03/NQ-CP\n", "71/NQ-CP\n"), 2, "no source file describes document '71/NQ-CP'"),
        # a source without the words that support the record
        (("    quote:", "    said:"), 2, "each source has a 'key' and the 'quote' it supports"),
    ],
)
def test_a_bad_form_writes_nothing(
    corpus: Path, change: tuple[str, str], code: int, message: str
) -> None:
    registry = (corpus / "registry.yaml").read_text(encoding="utf-8")
    before = sorted(p.name for p in (corpus / "documents").iterdir())
    exit_code, output = _run(corpus, FORM.replace(*change))
    assert (exit_code, message in output) == (code, True), output
    assert sorted(p.name for p in (corpus / "documents").iterdir()) == before
    assert (corpus / "registry.yaml").read_text(encoding="utf-8") == registry
