"""Official numbers (FACTS.md §8) and the URIs minted from them."""

import re

import pytest
from rdflib import Graph, URIRef

from vnpolicy.graph.build.dataset import Dataset
from vnpolicy.graph.namespaces import ELI, RDF, VNP, VOCAB
from vnpolicy.graph.numbers import NumberForm, ascii_fold, is_local, parse
from vnpolicy.graph.uris import Minter, check_base, slug

# (number, document type, form, year) — every example number FACTS.md gives for its type.
EXAMPLES = [
    ("57-NQ/TW", "party-resolution", NumberForm.PARTY, None),
    ("02-NQ/HNTW", "party-resolution", NumberForm.PARTY, None),
    ("229-QĐ/TW", "party-decision", NumberForm.PARTY, None),
    ("230-QĐ/TW", "party-regulation", NumberForm.PARTY, None),
    ("69-KL/TW", "party-conclusion", NumberForm.PARTY, None),
    ("32-CT/TW", "party-directive", NumberForm.PARTY, None),
    ("01-KH/BCĐTW", "party-plan", NumberForm.PARTY, None),
    ("01-CV/BCĐTW", "party-dispatch", NumberForm.PARTY, None),
    ("04-TB/BCĐTW", "party-notice", NumberForm.PARTY, None),
    ("01-QC/BCĐTW", "party-rules", NumberForm.PARTY, None),
    ("01-CTr/BCĐTW", "party-programme", NumberForm.PARTY, None),
    ("36-HD/VPTW", "party-guideline", NumberForm.PARTY, None),
    ("93/2025/QH15", "law", NumberForm.NORMATIVE, 2025),
    ("193/2025/QH15", "national-assembly-resolution", NumberForm.NORMATIVE, 2025),
    ("55/2024/UBTVQH15", "standing-committee-resolution", NumberForm.NORMATIVE, 2024),
    ("168/2024/NĐ-CP", "decree", NumberForm.NORMATIVE, 2024),
    ("09/2021/TT-BGDĐT", "circular", NumberForm.NORMATIVE, 2021),
    ("15/2020/QĐ-TTg", "normative-decision", NumberForm.NORMATIVE, 2020),
    ("03/NQ-CP", "government-resolution", NumberForm.ADMINISTRATIVE, None),
    ("142/QĐ-BVHTTDL", "decision", NumberForm.ADMINISTRATIVE, None),
    ("2330/QĐ-TTg", "decision", NumberForm.ADMINISTRATIVE, None),
    ("935/KH-BGDĐT", "plan", NumberForm.ADMINISTRATIVE, None),
    ("408/TB-VPCP", "notice", NumberForm.ADMINISTRATIVE, None),
    ("274/CT-BVHTTDL", "directive", NumberForm.ADMINISTRATIVE, None),
    ("04/TTr-BKHCN-BTTTT", "submission", NumberForm.ADMINISTRATIVE, None),
    ("4324/BGDĐT-CNTT", "official-dispatch", NumberForm.ADMINISTRATIVE, None),
    # provincial forms (FACTS-implementing.md)
    ("538-KH/TU", "provincial-party-plan", NumberForm.PARTY, None),
    ("10-CTr/TU", "provincial-party-programme", NumberForm.PARTY, None),
    ("01-KH/BCĐ", "steering-committee-plan", NumberForm.PARTY, None),
    ("43/KH-UBND", "provincial-plan", NumberForm.ADMINISTRATIVE, None),
    ("24/NQ-HĐND", "people-council-resolution", NumberForm.ADMINISTRATIVE, None),
]
# Mistaken forms FACTS.md §8.5 lists, each with the type its correct form has.
MISTAKES = [
    ("03-NQ/CP", "government-resolution"),
    ("30/TT-BGDĐT", "circular"),
    ("57/NQ-TW", "party-resolution"),
    ("229-QĐ/TW ", "party-decision"),
    ("01-KH/BCĐTW", "steering-committee-plan"),
    ("8602/QĐ-QĐ/TU", "party-decision"),
]


def _pattern(model: Graph, doc_type: str) -> str:
    value = model.value(URIRef(f"{VOCAB}document-type/{doc_type}"), VNP.numberPattern)
    assert value is not None, f"document type {doc_type} has no number pattern"
    return str(value)


@pytest.mark.parametrize(("number", "doc_type", "form", "year"), EXAMPLES)
def test_example_numbers_parse_and_match_their_type(
    model: Graph, number: str, doc_type: str, form: NumberForm, year: int | None
) -> None:
    parsed = parse(number)
    assert (parsed.form, parsed.year) == (form, year)
    assert re.search(_pattern(model, doc_type), number)


@pytest.mark.parametrize(("number", "doc_type"), MISTAKES)
def test_mistaken_forms_do_not_match_the_type(model: Graph, number: str, doc_type: str) -> None:
    assert re.search(_pattern(model, doc_type), number) is None


def test_every_document_type_with_a_pattern_is_exemplified(model: Graph) -> None:
    typed = {str(s).rsplit("/", 1)[1] for s in model.subjects(VNP.numberPattern, None)}
    assert typed - {doc_type for _, doc_type, _, _ in EXAMPLES} == {"joint-circular"}


@pytest.mark.parametrize("text", ["57/NQ", "NQ-CP/03", "", "Số 57-NQ/TW", "57 - NQ/TW"])
def test_parse_rejects_what_is_not_a_number(text: str) -> None:
    with pytest.raises(ValueError, match="not an official number"):
        parse(text)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("4324/BGDĐT-CNTT", "4324/BGDDT-CNTT"),
        ("229-QĐ/TW", "229-QD/TW"),
        ("Nguyễn Hữu Độ", "Nguyen Huu Do"),
    ],
)
def test_ascii_fold(text: str, folded: str) -> None:
    assert ascii_fold(text) == folded


def test_document_uris_follow_the_eli_template() -> None:
    minter = Minter()
    assert minter.document("TW", "nq", 2024, "57") == URIRef(
        "https://w3id.org/vnpolicy/eli/vn/tw/nq/2024/57"
    )
    assert minter.document("BGDĐT", "cv", 2024, "4324-CNTT").endswith(
        "/eli/vn/bgddt/cv/2024/4324-cntt"
    )
    assert minter.document("BGDĐT", "qd", None, "1358").endswith("/eli/vn/bgddt/qd/undated/1358")
    part = Minter.part(
        Minter.part(minter.document("TW", "nq", 2024, "57"), "section", 1), "viewpoint", 3
    )
    assert part.endswith("/57/section/1/viewpoint/3")
    assert Minter.text(part, "eng", "LawNet").endswith("/viewpoint/3/eng/lawnet")


def test_a_provincial_document_uri_names_its_province() -> None:
    minter = Minter()
    assert minter.document_for(parse("43/KH-UBND"), "kh", 2025, "ha-noi") == URIRef(
        "https://w3id.org/vnpolicy/eli/vn/ha-noi/ubnd/kh/2025/43"
    )
    assert minter.document_for(parse("10-CTr/TU"), "ctr", 2025, "dong-thap-2025").endswith(
        "/eli/vn/dong-thap-2025/tu/ctr/2025/10"
    )


@pytest.mark.parametrize(
    "base",
    ["http://localhost:8000/", "http://127.0.0.1/", "https://w3id.org/vnpolicy", "ftp://x.org/"],
)
def test_base_must_be_public_http_and_end_with_slash(base: str) -> None:
    with pytest.raises(ValueError, match="base URI"):
        check_base(base)


def test_slug_refuses_empty_segments() -> None:
    assert slug("Bộ GD&ĐT") == "bo-gd-dt"
    with pytest.raises(ValueError, match="no letters or digits"):
        slug("--")


def test_corpus_document_uris_are_the_minted_ones(
    model: Graph, dataset: Dataset, asserted: Graph
) -> None:
    data = asserted
    minter = Minter()
    documents = set(data.subjects(VNP.officialNumber, None))
    # a document whose number no source gives (or gives malformed) is named by its file's key;
    # one whose number is uncertain (Plan 935) states it only as a qualified fact
    for unnumbered in set(dataset.documents) - documents:
        qualified = any(
            (fact, RDF.predicate, VNP.officialNumber) in data
            for fact in data.subjects(RDF.subject, unnumbered)
        )
        assert qualified or unnumbered.startswith(minter.resource("id/document/")), unnumbered
    assert len(documents) > len(dataset.documents) / 2
    for document in documents:
        number = parse(str(data.value(document, VNP.officialNumber)))
        # a document whose type is uncertain keeps the URI minted from the type it is written with
        written = [
            data.value(fact, RDF.object)
            for fact in data.subjects(RDF.subject, document)
            if (fact, RDF.predicate, ELI.type_document) in data
        ]
        doc_type = written[0] if written else data.value(document, ELI.type_document)
        segment = str(model.value(doc_type, VNP.uriSegment))
        signed = data.value(document, ELI.date_document)
        year = int(str(signed)[:4]) if signed is not None else None
        place = None
        if is_local(number):  # a provincial number: the issuer's province is in the URI
            province = model.value(data.value(document, ELI.passed_by), VNP.jurisdiction)
            place = str(model.value(province, VNP.uriSegment))
        assert document == minter.document_for(number, segment, year, place)
