"""Content negotiation: the case table every format choice of the server goes through."""

from dataclasses import dataclass

import pytest

from vnpolicy.server.http.negotiation import NotAcceptableError, choose, parse_accept


@dataclass(frozen=True)
class Offer:
    media_type: str
    names: tuple[str, ...] = ()


OFFERS = [
    Offer("text/turtle", ("turtle", "ttl")),
    Offer("application/n-triples", ("nt",)),
    Offer("application/ld+json", ("jsonld",)),
    Offer("application/rdf+xml", ("rdfxml",)),
    Offer("text/html", ("html",)),
]


@pytest.mark.parametrize(
    ("accept", "override", "chosen"),
    [
        (None, None, "text/turtle"),
        ("", None, "text/turtle"),
        ("*/*", None, "text/turtle"),
        ("application/ld+json", None, "application/ld+json"),
        ("application/rdf+xml;q=0.5, application/ld+json;q=0.9", None, "application/ld+json"),
        ("text/*;q=0.3, application/n-triples", None, "application/n-triples"),
        ("text/*", None, "text/turtle"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", None, "text/html"),
        ("application/ld+json;q=0, */*;q=0.1", None, "text/turtle"),
        ("text/turtle;charset=utf-8", None, "text/turtle"),
        (
            'application/ld+json;profile="urn:x:compacted", text/turtle;q=0.5',
            None,
            "text/turtle",
        ),
        ("TEXT/TURTLE", None, "text/turtle"),
        ("nonsense, application/rdf+xml", None, "application/rdf+xml"),
        ("text/turtle", "jsonld", "application/ld+json"),
        ("text/turtle", "application/rdf+xml", "application/rdf+xml"),
        ("text/turtle;q=1, application/n-triples;q=1", None, "text/turtle"),
        ("application/n-triples;q=1, text/turtle;q=1", None, "text/turtle"),
    ],
)
def test_choice(accept: str | None, override: str | None, chosen: str) -> None:
    assert choose(OFFERS, accept, override).media_type == chosen


@pytest.mark.parametrize(
    ("accept", "override"),
    [
        ("image/png", None),
        ("text/turtle;q=0", None),
        ("application/ld+json;profile=x", None),
        (None, "docx"),
        ("*/*", "x" * 10_000),
    ],
)
def test_nothing_acceptable(accept: str | None, override: str | None) -> None:
    with pytest.raises(NotAcceptableError) as raised:
        choose(OFFERS, accept, override)
    assert raised.value.offers == OFFERS


def test_malformed_ranges_are_skipped_and_q_is_clamped() -> None:
    ranges = parse_accept("text, /x, */html, text/plain;q=7, text/csv;q=abc")
    assert [(r.type, r.subtype, r.q) for r in ranges] == [
        ("text", "plain", 1.0),
        ("text", "csv", 0.0),
    ]
