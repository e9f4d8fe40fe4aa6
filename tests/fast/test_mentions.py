"""Reading official numbers leniently and finding mentions of documents in text (FACTS.md §8),
with property-based round trips (hypothesis) and the phrasings of the seed texts."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import URIRef

from vnpolicy.graph.build.mentions import DocumentIndex, KnownDocument, find_mentions
from vnpolicy.graph.numbers import (
    ISSUER_CODES,
    PARTY_ISSUERS,
    TYPE_CODES,
    NumberForm,
    ascii_fold,
    normalise,
    parse,
)

# Codes whose diacritic-free form is another code (ĐA/DA, HĐ/HD) cannot be restored unaided.
_UNAMBIGUOUS = sorted(
    code
    for code in TYPE_CODES
    if sum(ascii_fold(other).upper() == ascii_fold(code).upper() for other in TYPE_CODES) == 1
)
_STATE_ISSUERS = sorted(ISSUER_CODES - PARTY_ISSUERS)
sequences = st.integers(min_value=1, max_value=9999).map(lambda n: f"{n:02d}")
years = st.integers(min_value=1990, max_value=2035)
party = st.builds(
    lambda seq, code, issuer: f"{seq}-{code}/{issuer}",
    sequences,
    st.sampled_from(_UNAMBIGUOUS),
    st.sampled_from(sorted(PARTY_ISSUERS - {"TU", "ĐU"})),
)
normative = st.builds(
    lambda seq, year, code, issuer: f"{seq}/{year}/{code}-{issuer}",
    sequences,
    years,
    st.sampled_from(["NĐ", "TT", "QĐ", "NQ"]),
    st.sampled_from(_STATE_ISSUERS),
)
administrative = st.builds(
    lambda seq, code, issuer: f"{seq}/{code}-{issuer}",
    sequences,
    st.sampled_from(sorted(set(_UNAMBIGUOUS) - {"NĐ", "TT", "TTLT"})),
    st.sampled_from(_STATE_ISSUERS),
)
numbers = st.one_of(party, normative, administrative)


@given(numbers)
def test_official_numbers_round_trip(text: str) -> None:
    assert parse(text).text == text
    read = normalise(text)
    assert read.number.text == text
    assert read.corrections == ()


@given(numbers)
def test_diacritic_free_and_lower_case_forms_read_as_the_official_one(text: str) -> None:
    assert normalise(ascii_fold(text)).number.text == text
    assert normalise(text.lower()).number.text == text
    assert normalise(f"Số {text}").number.text == text


@given(numbers)
def test_a_number_in_running_text_is_found(text: str) -> None:
    found = find_mentions(f"Pursuant to {ascii_fold(text)} of the ministry, and more.")
    assert [m.number.number.text for m in found if m.number] == [text]


@given(st.text(alphabet=st.characters(exclude_categories=["Nd"]), max_size=60))
def test_text_without_digits_is_no_number_and_mentions_nothing(text: str) -> None:
    with pytest.raises(ValueError, match="not an official number"):
        normalise(text)
    assert find_mentions(text) == []


@pytest.mark.parametrize(
    ("text", "official", "form", "corrected"),
    [
        ("03-NQ/CP", "03/NQ-CP", NumberForm.ADMINISTRATIVE, True),
        ("57/NQ-TW", "57-NQ/TW", NumberForm.PARTY, True),
        ("57-NQ/TU", "57-NQ/TU", NumberForm.PARTY, False),
        ("229-QĐ/BCĐ", "229-QĐ/BCĐ", NumberForm.PARTY, False),
        ("10-CTr/TU", "10-CTr/TU", NumberForm.PARTY, False),
        ("43/KH-UBND", "43/KH-UBND", NumberForm.ADMINISTRATIVE, False),
        ("24/NQ-HDND", "24/NQ-HĐND", NumberForm.ADMINISTRATIVE, False),
        ("01-KH/BCD", "01-KH/BCĐ", NumberForm.PARTY, False),
        ("30/TT-BGDĐT", "30/TT-BGDĐT", NumberForm.NORMATIVE, True),
        ("4324/BGDDT-CNTT", "4324/BGDĐT-CNTT", NumberForm.ADMINISTRATIVE, False),
        ("168/2024/ND-CP", "168/2024/NĐ-CP", NumberForm.NORMATIVE, False),
        ("02-KH/BCDTW", "02-KH/BCĐTW", NumberForm.PARTY, False),
        ("2330/QD-TTg", "2330/QĐ-TTg", NumberForm.ADMINISTRATIVE, False),
    ],
)
def test_common_mistakes_and_folded_forms(
    text: str, official: str, form: NumberForm, corrected: bool
) -> None:
    read = normalise(text)
    assert (read.number.text, read.number.form, bool(read.corrections)) == (
        official,
        form,
        corrected,
    )


INDEX = DocumentIndex(
    [
        KnownDocument(URIRef("urn:57"), parse("57-NQ/TW"), "party-resolution", 2024),
        KnownDocument(URIRef("urn:71tw"), parse("71-NQ/TW"), "party-resolution", 2025),
        KnownDocument(URIRef("urn:71cp"), parse("71/NQ-CP"), "government-resolution", 2025),
        KnownDocument(URIRef("urn:100"), parse("100/2019/NĐ-CP"), "decree", 2019),
        KnownDocument(URIRef("urn:30"), parse("30/2024/TT-BGDĐT"), "circular", 2024),
        KnownDocument(URIRef("urn:4324"), parse("4324/BGDĐT-CNTT"), "official-dispatch", 2024),
    ]
)


@pytest.mark.parametrize(
    ("text", "resolved"),
    [
        ("the Politburo issued Resolution 57-NQ/TW of 2024 on breakthroughs", ["urn:57"]),
        ("According to Subsection 1 of Official Dispatch 4324/BGDDT-CNTT of 2024", ["urn:4324"]),
        ("does Decree 168 completely replace Decree 100?", [None, "urn:100"]),
        ("Thông tư 30/TT-BGDĐT quy định", ["urn:30"]),
        ("Circular 30 on admissions", ["urn:30"]),
        ("Nghị quyết số 57-NQ/TW ngày 22 tháng 12 năm 2024", ["urn:57"]),
        ("Resolution 71 on education", [None]),
        ("Resolution 71 of 2025", [None]),
        ("Decree 100 of 2020", [None]),
        ("Resolution No. 57", ["urn:57"]),
    ],
)
def test_mentions_resolve_through_the_known_documents(
    text: str, resolved: list[str | None]
) -> None:
    found = [INDEX.resolve(mention) for mention in find_mentions(text)]
    assert [str(doc.uri) if doc else None for doc in found] == resolved


LOCAL_INDEX = DocumentIndex(
    [
        KnownDocument(URIRef("urn:57"), parse("57-NQ/TW"), "party-resolution", 2024),
        KnownDocument(
            URIRef("urn:dt10"),
            parse("10-CTr/TU"),
            "provincial-party-programme",
            2025,
            "dong-thap-2025",
        ),
        KnownDocument(
            URIRef("urn:qn10"), parse("10-CTr/TU"), "provincial-party-programme", 2025, "quang-ninh"
        ),
        KnownDocument(URIRef("urn:hn43"), parse("43/KH-UBND"), "provincial-plan", 2025, "ha-noi"),
    ]
)


@pytest.mark.parametrize(
    ("text", "province", "resolved"),
    [
        # one province has the number: it names that document from anywhere
        ("43/KH-UBND", None, "urn:hn43"),
        # several have it: only the citing document's province tells which
        ("10-CTr/TU", None, None),
        ("10-CTr/TU", "dong-thap-2025", "urn:dt10"),
        ("10-CTr/TU", "quang-ninh", "urn:qn10"),
        ("10-CTr/TU", "ha-noi", None),
        # no province has 57-NQ/TU: read as the common mistake for the central 57-NQ/TW
        ("57-NQ/TU", None, "urn:57"),
    ],
)
def test_provincial_numbers_resolve_with_their_province(
    text: str, province: str | None, resolved: str | None
) -> None:
    found = LOCAL_INDEX.by_number(normalise(text), province)
    assert (str(found.uri) if found else None) == resolved
