"""Every entry of FACTS-implementing.md is in the graph with the certainty its sources give.

The checked list below pairs each entry (by its section in graph/sources/FACTS-implementing.md,
the repo copy) with the source file that records it, the certainty of its date and the relations
it states; a test reads the summary table of the repo copy so that an entry cannot be left out.
"""

import re
from dataclasses import dataclass

import pytest
from rdflib import Graph, URIRef

from vnpolicy.graph.build.dataset import Dataset
from vnpolicy.graph.namespaces import ELI, RDF, VNP, VOCAB
from vnpolicy.graph.paths import SOURCES_DIR

MULTI, SINGLE, UNCERTAIN = "multiple-sources", "single-source", "uncertain"


@dataclass(frozen=True)
class Entry:
    section: str
    file: str
    #: The certainty of its date of issue, or None when no source states the date.
    date: str | None
    #: (relation type, the target's source file, certainty).
    relations: tuple[tuple[str, str, str], ...]


ENTRIES = [
    Entry("A.1", "88-2025-nd-cp", MULTI, (("implements", "193-2025-qh15", MULTI),)),
    Entry("A.2", "265-2025-nd-cp", SINGLE, (("implements", "93-2025-qh15", MULTI),)),
    Entry("A.3", "262-2025-nd-cp", None, (("implements", "93-2025-qh15", SINGLE),)),
    Entry("A.4", "264-2025-nd-cp", None, (("implements", "93-2025-qh15", SINGLE),)),
    Entry("A.4", "268-2025-nd-cp", None, (("implements", "93-2025-qh15", SINGLE),)),
    Entry("A.5", "923-qd-ttg", MULTI, (("implements", "57-nq-tw", SINGLE),)),
    Entry("A.6", "1131-qd-ttg", MULTI, ()),
    Entry(
        "A.7",
        "21-2026-qd-ttg",
        None,
        (("replaces", "1131-qd-ttg", SINGLE), ("thematically-related", "57-nq-tw", UNCERTAIN)),
    ),
    Entry("A.8", "1946-qd-ttg", MULTI, (("implements", "71-2025-qh15", MULTI),)),
    Entry("B.1", "286-kh-btttt", None, (("implements", "03-nq-cp", UNCERTAIN),)),
    Entry(
        "C.1",
        "43-kh-ubnd-ha-noi",
        SINGLE,
        (("implements", "03-nq-cp", SINGLE), ("implements", "57-nq-tw", SINGLE)),
    ),
    Entry(
        "C.2",
        "139-kh-ubnd-ha-noi",
        SINGLE,
        (
            ("implements", "71-nq-cp", SINGLE),
            ("implements", "57-nq-tw", SINGLE),
            ("implements", "8602-qd-tu-ha-noi", SINGLE),
        ),
    ),
    Entry("C.3", "8602-qd-tu-ha-noi", SINGLE, (("implements", "57-nq-tw", SINGLE),)),
    Entry("C.4", "20-kh-bcd-ha-noi-2026", None, (("implements", "57-nq-tw", SINGLE),)),
    Entry(
        "D.1",
        "344-kh-ubnd-bac-ninh",
        MULTI,
        (
            ("implements", "57-nq-tw", MULTI),
            ("implements", "03-nq-cp", SINGLE),
            ("implements", "71-nq-cp", SINGLE),
            ("implements", "188-kh-tu-bac-ninh", SINGLE),
        ),
    ),
    Entry(
        "D.2",
        "283-kh-ubnd-dong-thap",
        SINGLE,
        (
            ("implements", "71-nq-cp", SINGLE),
            ("implements", "10-ctr-tu-dong-thap", SINGLE),
            ("implements", "01-kh-bcd-dong-thap", SINGLE),
        ),
    ),
    Entry("D.3", "10-ctr-tu-dong-thap", SINGLE, (("implements", "57-nq-tw", SINGLE),)),
    Entry("D.4", "01-kh-bcd-dong-thap", SINGLE, (("implements", "57-nq-tw", SINGLE),)),
    # the vjs.vietnam.vn copy re-posts VietnamPlus: one source
    Entry("D.5", "46-ctr-tu-quang-ninh", SINGLE, (("implements", "57-nq-tw", SINGLE),)),
    Entry("D.6", "538-kh-tu-quang-ninh", SINGLE, (("implements", "57-nq-tw", SINGLE),)),
    Entry(
        "D.7", "534-kh-tu-quang-ninh", SINGLE, (("thematically-related", "57-nq-tw", UNCERTAIN),)
    ),
    Entry("D.8", "43-ctr-tu-da-nang", None, (("implements", "57-nq-tw", UNCERTAIN),)),
    Entry("D.9", "309-kh-tu-da-nang", SINGLE, (("implements", "57-nq-tw", SINGLE),)),
    Entry(
        "D.10",
        "21-kh-tu-da-nang",
        None,
        (("implements", "57-nq-tw", SINGLE), ("replaces", "309-kh-tu-da-nang", UNCERTAIN)),
    ),
    Entry("D.11", "484-kh-ubnd-kon-tum", SINGLE, (("implements", "57-nq-tw", UNCERTAIN),)),
    Entry("D.12", "10-kh-tu-tay-ninh", SINGLE, (("implements", "57-nq-tw", UNCERTAIN),)),
    Entry("D.13", "24-nq-hdnd-tay-ninh", SINGLE, (("based-on", "93-2025-qh15", SINGLE),)),
    Entry("D.14", "40-ctr-tu-ha-tinh", None, (("implements", "57-nq-tw", SINGLE),)),
    Entry("D.15", "130-kh-ubnd-thanh-hoa", SINGLE, (("implements", "923-qd-ttg", SINGLE),)),
    # §I: checked afterwards, and further leads
    Entry("I", "188-kh-tu-bac-ninh", SINGLE, (("implements", "57-nq-tw", SINGLE),)),
    Entry(
        "I",
        "17-kh-ubnd-bac-ninh",
        SINGLE,
        (
            ("implements", "71-nq-cp", SINGLE),
            ("implements", "07-kh-tu-bac-ninh", SINGLE),
            ("implements", "57-nq-tw", SINGLE),
        ),
    ),
    Entry("I", "07-kh-tu-bac-ninh", SINGLE, (("implements", "57-nq-tw", SINGLE),)),
    Entry(
        "I",
        "109-kh-ubnd-bac-ninh",
        SINGLE,
        (("based-on", "1131-qd-ttg", SINGLE), ("based-on", "11-cv-bcd-bac-ninh", SINGLE)),
    ),
    Entry("I", "11-cv-bcd-bac-ninh", SINGLE, (("implements", "57-nq-tw", SINGLE),)),
]
_FACTS = SOURCES_DIR / "FACTS-implementing.md"


def _uri(dataset: Dataset, file: str) -> URIRef:
    found = [uri for uri, head in dataset.context.heads.items() if head.source.path.stem == file]
    assert len(found) == 1, f"no source file {file}.md"
    return found[0]


def _certainty(name: str) -> URIRef:
    return URIRef(f"{VOCAB}certainty/{name}")


def test_every_row_of_the_summary_table_is_checked() -> None:
    text = _FACTS.read_text(encoding="utf-8")
    table = text.split("## E. Summary table", 1)[1].split("\n---\n", 1)[0]
    rows = set(re.findall(r"^\| ([A-D]\.[0-9]+) \|", table, re.MULTILINE))
    assert len(rows) == 28  # the table's own count: "28 table rows"
    assert rows == {entry.section for entry in ENTRIES} - {"I"}
    for lead in ("17/KH-UBND", "07-KH/TU", "188-KH/TU", "109/KH-UBND", "11-CV/BCĐ"):
        assert lead in text.split("## I.", 1)[1]


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda entry: entry.file)
def test_the_entry_is_in_the_graph_with_its_certainty(
    entry: Entry, dataset: Dataset, asserted: Graph
) -> None:
    document = _uri(dataset, entry.file)
    quoted = URIRef(f"{VOCAB}evidence-rule/quoted")
    assert (document, VNP.evidenceRule, quoted) in asserted
    dates = [
        fact
        for fact in asserted.subjects(RDF.subject, document)
        if (fact, RDF.predicate, ELI.date_document) in asserted
    ]
    if entry.date is None:
        assert dates == []
        assert asserted.value(document, ELI.date_document) is None
    else:
        assert [asserted.value(fact, VNP.certainty) for fact in dates] == [_certainty(entry.date)]
    stated = {
        (
            str(asserted.value(node, VNP.relationType)).rsplit("/", 1)[1],
            asserted.value(node, VNP.toResource),
            asserted.value(node, VNP.certainty),
        )
        for node in asserted.subjects(VNP.fromResource, document)
        if asserted.value(node, VNP.supportingQuote) is not None
    }
    expected = {
        (kind, _uri(dataset, target), _certainty(certainty))
        for kind, target, certainty in entry.relations
    }
    assert stated == expected
    for _, target, certainty in entry.relations:
        direct = any(asserted.triples((document, None, _uri(dataset, target))))
        assert direct is (certainty != UNCERTAIN)


def test_a_malformed_number_is_recorded_as_written_and_flagged(
    dataset: Dataset, asserted: Graph
) -> None:
    document = _uri(dataset, "8602-qd-tu-ha-noi")
    assert asserted.value(document, VNP.officialNumber) is None
    errors = set(asserted.subjects(VNP.errorAbout, document))
    assert {str(asserted.value(error, VNP.statedValue)) for error in errors} == {"8602/QĐ-QĐ/TU"}
