"""The pillar tagger: how it reads cues, and how well it does against the editors' gold set.

The floor below is written down and only ever raised. The goal (issue 19) is F1 ≥ 0.9 for every
pillar; human resources is below it (0.85 at the time of writing: "leaders", "staff" and
"experts" would each catch one more provision but also tag one that is not about human
resources, so they are left out — precision first).
"""

import pytest
from rdflib import Graph, Literal, URIRef

from vnpolicy.graph.build.dataset import Dataset
from vnpolicy.graph.build.pillar_cues import CueReader, compile_cue, normalise
from vnpolicy.graph.build.pillar_gold import (
    GOLD_FILE,
    PILLARS,
    PillarScore,
    load_gold,
    score_tagger,
)
from vnpolicy.graph.namespaces import ELI, PROV, RDF, SKOS, VNP, VOCAB
from vnpolicy.graph.paths import SOURCES_DIR

BASE = "https://w3id.org/vnpolicy/"
FLOOR = {
    "institutions": 0.9,
    "human-resources": 0.84,
    "infrastructure": 0.9,
    "data": 0.9,
    "strategic-technology": 0.9,
}
GOLD = load_gold(SOURCES_DIR / GOLD_FILE)
MEASURED = ("eli/vn/tw/nq/2024/57", "eli/vn/cp/nq/2025/03", "eli/vn/bgddt/cv/2024/4324-cntt")


@pytest.fixture(scope="module")
def scores(asserted: Graph) -> dict[str, PillarScore]:
    return {score.pillar: score for score in score_tagger(asserted, GOLD, BASE)}


@pytest.mark.parametrize("pillar", PILLARS)
def test_the_tagger_keeps_its_floor_against_the_gold_set(
    scores: dict[str, PillarScore], pillar: str
) -> None:
    assert scores[pillar].f1 >= FLOOR[pillar]


def test_the_gold_set_reads_every_part_of_57_03_4324_and_the_laws(
    asserted: Graph, dataset: Dataset
) -> None:
    laws = set(asserted.subjects(ELI.type_document, URIRef(f"{VOCAB}document-type/law")))
    documents = {URIRef(BASE + key) for key in MEASURED} | laws
    parts = {
        str(part).removeprefix(BASE)
        for document in documents
        for part in asserted.subjects(VNP.inDocument, document)
    }
    assert parts == set(GOLD)
    assert all(len(entry.reason) > 10 for entry in GOLD.values())


def test_an_organisation_name_is_not_a_cue(asserted: Graph) -> None:
    section = URIRef(BASE + "eli/vn/bgddt/cv/2024/4324-cntt/section/2/section/1")
    wording = next(asserted.objects(next(asserted.subjects(ELI.realizes, section)), RDF.value))
    assert "Minister of Education and Training" in str(wording)
    assert (section, VNP.derivedConcern, URIRef(f"{VOCAB}pillar/human-resources")) not in asserted


def _reader(*cues: tuple[str, Literal]) -> CueReader:
    names = [
        Literal("Ministry of Education and Training", lang="en"),
        Literal("Bộ Giáo dục và Đào tạo", lang="vi"),
    ]
    return CueReader([compile_cue(URIRef(concept), label) for concept, label in cues], names)


@pytest.mark.parametrize(
    ("cue", "wording", "found"),
    [
        (Literal("platform", lang="en"), "National digital Platforms.", True),
        (Literal("smart city", lang="en"), "Smart cities or provinces", True),
        (Literal("strategic technology", lang="en"), "A strategic-technology programme", True),
        (Literal("training", lang="en"), "the Ministry of Education and Training said", False),
        (Literal("training", lang="en"), "organise training for teachers", True),
        (Literal("institution", lang="en"), "perfect the institutions", True),
        (Literal("institution", lang="en"), "general education institutions", False),
        (Literal("law", lang="en"), "as Law 93/2025/QH15 says", False),
        (Literal("law", lang="en"), "amend related laws", True),
        (Literal("AI", lang="en"), "a legal framework for AI.", True),
        (Literal("AI", lang="en"), "it said again", False),
        (Literal("đào tạo", lang="vi"), "đào tạo nhân lực", True),
        (Literal("đào tạo", lang="vi"), "dao tao nhan luc", True),
        (Literal("đào tạo", lang="vi"), "Bộ Giáo dục và Đào tạo ban hành", False),
    ],
)
def test_cues_are_read_normalised_and_names_left_out(
    cue: Literal, wording: str, found: bool
) -> None:
    reader = _reader(("x:pillar", cue))
    assert bool(reader.matches(Literal(wording, lang=cue.language))) is found


def test_normalise_folds_case_hyphens_and_vietnamese_diacritics() -> None:
    assert normalise("Digital-Technology  Industry", "en") == "digital technology industry"
    assert normalise("Hạ tầng số", "vi") == "ha tang so"


def test_target_indicators_are_read_and_every_derived_tag_shows_its_cue(
    asserted: Graph, model: Graph
) -> None:
    broadband = URIRef(BASE + "eli/vn/cp/nq/2025/03/section/4/target/1")
    assert (broadband, VNP.derivedConcern, URIRef(f"{VOCAB}pillar/infrastructure")) in asserted
    for tag in asserted.subjects(VNP.assignment, URIRef(f"{VOCAB}assignment/derived")):
        evidence = asserted.value(tag, PROV.wasDerivedFrom)
        cue = asserted.value(tag, VNP.matchedLabel)
        assert evidence is not None
        assert cue is not None
        pillar = asserted.value(tag, VNP.classifiedAs)
        cues = {str(label) for label in model.objects(pillar, SKOS.hiddenLabel)}
        assert str(cue) in cues


def test_asserted_tags_stay_the_editors_override(asserted: Graph) -> None:
    viewpoint = URIRef(BASE + "eli/vn/tw/nq/2024/57/section/1/viewpoint/3")
    assert len(set(asserted.objects(viewpoint, VNP.assertedConcern))) == 5
