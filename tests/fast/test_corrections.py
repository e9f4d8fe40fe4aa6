"""The truth audit's corrections (issue 19): one test per correction, on the corpus as built.

Each test names what was wrong and checks the graph now says what FACTS.md and the seeds say,
with the source and certainty the correction gave it.
"""

import re
from urllib.parse import urlsplit

import pytest
from pyoxigraph import Store
from rdflib import Graph, Literal, URIRef

from vnpolicy.graph.build.dataset import Dataset
from vnpolicy.graph.build.registry import registrable_domain
from vnpolicy.graph.namespaces import DCTERMS, ELI, FOAF, RDF, SKOS, VNP, VOCAB, XSD
from vnpolicy.graph.read.query import catalogue, run_select, store_from_dataset

BASE = "https://w3id.org/vnpolicy/"
R57 = URIRef(BASE + "eli/vn/tw/nq/2024/57")
R03 = URIRef(BASE + "eli/vn/cp/nq/2025/03")
D168 = URIRef(BASE + "eli/vn/cp/nd/2024/168")
D4324 = URIRef(BASE + "eli/vn/bgddt/cv/2024/4324-cntt")
COMMITTEE = URIRef(VOCAB + "body/central-steering-committee")
COUNCIL = URIRef(VOCAB + "body/national-advisory-council")
UNCERTAIN = URIRef(VOCAB + "certainty/uncertain")
SINGLE = URIRef(VOCAB + "certainty/single-source")


@pytest.fixture(scope="module")
def store(dataset: Dataset) -> Store:
    return store_from_dataset(dataset)


def rows(store: Store, prefix: str) -> list[list[str]]:
    (query,) = [q for q in catalogue() if q.name.startswith(prefix)]
    return run_select(store, query.text).rows


def facts(graph: Graph, subject: URIRef, predicate: URIRef) -> list[URIRef]:
    return [
        fact
        for fact in graph.subjects(RDF.subject, subject)
        if (fact, RDF.predicate, predicate) in graph and isinstance(fact, URIRef)
    ]


def the_fact(graph: Graph, subject: URIRef, predicate: URIRef) -> URIRef:
    (fact,) = facts(graph, subject, predicate)
    return fact


def sources(graph: Graph, node: URIRef) -> set[str]:
    return {str(source) for source in graph.objects(node, DCTERMS.source)}


def test_query_09_takes_the_year_from_the_number_or_the_sources(
    store: Store, asserted: Graph
) -> None:
    years = {(issuer, year): int(count) for issuer, year, count in rows(store, "09-")}
    assert ("12th National Assembly", "2008") in years  # 21/2008/QH12
    assert ("12th National Assembly", "unknown") not in years
    assert ("Government", "unknown") not in years  # 127/2018, 64/2007, 281/NQ-CP (2025)
    undated = set(asserted.subjects(RDF.type, VNP.Document)) - set(
        asserted.subjects(ELI.date_document, None)
    )
    for document in undated:
        number = asserted.value(document, VNP.officialNumber)
        if number is not None and re.match(r"\d+/\d{4}/", str(number)):
            continue  # the query reads its year from the number
        year = asserted.value(document, VNP.yearIssued)
        if year is not None:
            assert isinstance(year, Literal)
            assert year.datatype == XSD.gYear
    plan = URIRef(BASE + "id/document/steering-committee-strategic-action-plan-2025")
    assert asserted.value(plan, VNP.yearIssued) == Literal("2025", datatype=XSD.gYear)
    assert asserted.value(URIRef(BASE + "eli/vn/cp/nq/undated/281"), VNP.yearIssued) == Literal(
        "2025", datatype=XSD.gYear
    )


def test_query_14_names_the_head_and_resolution_57_section_4(store: Store) -> None:
    answer = rows(store, "14-")
    assert answer[0] == ["head", "Tô Lâm", "", "several independent sources"]
    deputies = {row[1] for row in answer if row[0] == "deputy head"}
    assert deputies == {
        "Phạm Minh Chính", "Trần Cẩm Tú", "Trần Lưu Quang", "Nguyễn Đức Hải", "Nguyễn Duy Ngọc"
    }  # fmt: skip
    setting_up = [row[1] for row in answer if row[0] == "sets it up or regulates it"]
    assert "Resolution 57-NQ/TW, Implementation" in setting_up


def test_query_10_lists_every_uncertain_target(store: Store, asserted: Graph) -> None:
    uncertain = {
        str(target)
        for target in asserted.subjects(RDF.type, VNP.Target)
        if (target, VNP.certainty, UNCERTAIN) in asserted
    }
    assert len(uncertain) == 4
    listed = {row[3] for row in rows(store, "10-") if row[0] == "target"}
    assert listed == uncertain


def test_decree_168_claims_rest_on_the_sources_facts_cites(asserted: Graph) -> None:
    description = str(asserted.value(D168, DCTERMS.description))
    assert "174,600" not in description
    assert "shortened" not in description
    status = the_fact(asserted, D168, ELI.in_force)
    assert sources(asserted, status) == {"https://www.nationthailand.com/news/asean/40045251"}
    assert "174,600" in str(asserted.value(status, SKOS.editorialNote))
    effective = the_fact(asserted, D168, ELI.first_date_entry_in_force)
    assert (
        "https://www.vietnam.vn/de/cuc-csgt-noi-gi-ve-thong-tin-nghi-dinh-168-xay-dung-sai-thu-tuc"
        in sources(asserted, effective)
    )
    assert "shortened procedure" in str(asserted.value(effective, SKOS.editorialNote))


def test_law_80_2015_and_03_cite_the_sources_facts_gives_for_their_claims(
    asserted: Graph,
) -> None:
    law = URIRef(BASE + "eli/vn/qh13/luat/2015/80")
    hosts = {urlsplit(source).hostname for source in sources(asserted, law)}
    assert {"thuvienphapluat.vn", "luatminhkhue.vn"} <= hosts
    assert "Article 10" in str(asserted.value(law, DCTERMS.description))
    assert "https://dxcenter.org.vn/viet-nam-tren-duong-dua-ky-nguyen-so" in sources(asserted, R03)


def test_goals_and_sub_provisions_carry_a_certainty(asserted: Graph) -> None:
    for goal in asserted.subjects(RDF.type, VNP.Goal):
        assert len(set(asserted.objects(goal, VNP.certainty))) == 1, goal
    infrastructure = URIRef(f"{R57}/section/2/goal/1/goal/21")
    assert (infrastructure, VNP.certainty, UNCERTAIN) in asserted
    news_subtasks = [
        task
        for task in asserted.subjects(VNP.inDocument, R57)
        if (task, RDF.type, VNP.Task) in asserted and str(task).count("/task/") == 2
    ]
    assert len(news_subtasks) == 8
    for task in news_subtasks:
        assert set(asserted.objects(task, VNP.certainty)) == {UNCERTAIN}, task
    government = [
        task
        for task in asserted.subjects(VNP.inDocument, R03)
        if (task, RDF.type, VNP.Task) in asserted and str(task).count("/task/") == 2
    ]
    assert len(government) == 52
    assert all((task, VNP.certainty, SINGLE) in asserted for task in government)


def _independent(graph: Graph, node: URIRef) -> set[str]:
    keys = set()
    for source in graph.objects(node, DCTERMS.source):
        publisher = graph.value(source, DCTERMS.publisher)
        keys.add(
            str(publisher)
            if publisher
            else registrable_domain(urlsplit(str(source)).hostname or "")
        )
    return keys


def test_a_date_from_one_source_says_so(asserted: Graph) -> None:
    checked = 0
    for document in set(asserted.subjects(ELI.date_document, None)):
        assert isinstance(document, URIRef)
        if len(_independent(asserted, document)) > 1:
            continue
        checked += 1
        fact = the_fact(asserted, document, ELI.date_document)
        assert asserted.value(fact, VNP.certainty) == SINGLE, document
    assert checked >= 13
    # Circular 11/2014's date rests on one of its two sources (FACTS §5)
    circular = URIRef(BASE + "eli/vn/bgddt/tt/2014/11")
    assert asserted.value(the_fact(asserted, circular, ELI.date_document), VNP.certainty) == SINGLE


def test_two_pages_of_one_portal_are_one_source(asserted: Graph) -> None:
    assert registrable_domain("thongtin.vietnam.vn") == registrable_domain("www.vietnam.vn")
    assert registrable_domain("en.sggp.org.vn") == "sggp.org.vn"
    assert registrable_domain("dantri.com.vn") != registrable_domain("kienthuc.net.vn")
    r71 = URIRef(BASE + "eli/vn/tw/nq/2025/71")
    thematic = URIRef(f"{r71}/relation-thematically-related/eli-vn-tw-nq-2024-57")
    assert asserted.value(thematic, VNP.certainty) == SINGLE


def test_the_directions_of_4324_carry_no_printed_numbers(asserted: Graph) -> None:
    directions = set(asserted.subjects(RDF.type, VNP.Direction))
    assert len(directions) == 7
    assert all(asserted.value(d, ELI.number) is None for d in directions)


def test_no_scope_is_invented_for_the_cybersecurity_ranking(asserted: Graph) -> None:
    (target,) = [
        t
        for t in asserted.subjects(VNP.indicator, Literal("Cybersecurity ranking", lang="en"))
        if (t, VNP.inDocument, R03) in asserted
    ]
    assert asserted.value(target, VNP.scope) is None
    assert asserted.value(target, SKOS.editorialNote) is not None


def test_uncertain_number_type_status_and_contribution_are_never_stated_as_settled(
    asserted: Graph,
) -> None:
    plan935 = URIRef(BASE + "eli/vn/bgddt/kh/2025/935")
    assert asserted.value(plan935, VNP.officialNumber) is None
    assert asserted.value(the_fact(asserted, plan935, VNP.officialNumber), VNP.certainty) == (
        UNCERTAIN
    )
    plan899 = URIRef(BASE + "eli/vn/bgddt/kh/undated/899")
    plan = URIRef(VOCAB + "document-type/plan")
    assert (plan899, ELI.type_document, plan) not in asserted
    administrative = URIRef(VOCAB + "document-type/administrative-document")
    assert (plan899, ELI.type_document, administrative) in asserted
    assert asserted.value(the_fact(asserted, plan899, ELI.type_document), VNP.certainty) == (
        UNCERTAIN
    )
    assert asserted.value(R03, ELI.in_force) is None
    assert asserted.value(the_fact(asserted, R03, ELI.in_force), VNP.certainty) == UNCERTAIN
    decision = URIRef(BASE + "eli/vn/bvhttdl/qd/2025/142")
    conclusion = URIRef(BASE + "eli/vn/tw/kl/2020/80")
    link = URIRef(f"{decision}/relation-contributes-to/eli-vn-tw-kl-2020-80")
    assert asserted.value(link, VNP.certainty) == UNCERTAIN
    assert "Action Plan" in str(asserted.value(link, SKOS.editorialNote))
    assert not set(asserted.predicates(decision, conclusion))


def test_descriptions_hold_no_unsupported_additions(asserted: Graph) -> None:
    plenum = URIRef(BASE + "eli/vn/tw/nq/1996/02-hntw")
    assert "science and technology" not in str(asserted.value(plenum, DCTERMS.description))
    notice = URIRef(BASE + "eli/vn/vpcp/tb/2025/408")
    assert "commune" not in str(asserted.value(notice, DCTERMS.description))
    law71 = URIRef(BASE + "eli/vn/qh15/luat/2025/71")
    assert asserted.value(law71, VNP.signingCapacity) is None
    assert asserted.value(law71, VNP.signer) is not None


def test_the_missing_facts_are_stated_with_their_sources(asserted: Graph) -> None:
    chair = asserted.value(the_fact(asserted, COUNCIL, VNP.headedBy), RDF.object)
    assert asserted.value(chair, FOAF.name) == Literal("Lê Hoài Trung", lang="vi")
    field = the_fact(asserted, R57, VNP.field)
    assert asserted.value(field, RDF.object) == Literal("Khoa học \u2013 Công nghệ", lang="vi")
    assert sources(asserted, field) == {"https://apag.edu.vn/?p=47864"}
    assert len(facts(asserted, COMMITTEE, VNP.deputyHead)) == 5
    meeting = the_fact(asserted, COMMITTEE, VNP.firstMeeting)
    assert asserted.value(meeting, RDF.object) == Literal("2025-01-20", datatype=XSD.date)
    assert asserted.value(meeting, VNP.certainty) == SINGLE
