"""Content negotiation, in one place: which of the formats we offer a request accepts best.

``Accept`` is read as RFC 9110 says: media ranges with ``q`` weights, ``*/*`` and ``type/*``
wildcards, parameters (a range with parameters matches only an offer with the same ones; ``q``
ends them). The most specific matching range gives an offer its weight; ties go to the server's
order of preference. A ``format`` parameter (a short name or a media type) overrides the header.
"""

from dataclasses import dataclass

from vnpolicy.server.errors import NotAcceptable, quoted


@dataclass(frozen=True)
class Offer:
    """A format the server can produce: its media type and short names for ``format=``."""

    media_type: str
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Range:
    type: str
    subtype: str
    params: tuple[tuple[str, str], ...]
    q: float

    def specificity(self, offer: str) -> int | None:
        """How specifically this range matches ``offer`` (None: not at all)."""
        main, _, sub = offer.partition("/")
        if self.type == "*" and self.subtype == "*":
            return 0
        if self.type != main:
            return None
        if self.subtype == "*":
            return 1
        if self.subtype != sub:
            return None
        return 2


class NotAcceptableError(Exception):
    """Nothing we offer is acceptable; ``offers`` lists what is."""

    def __init__(self, offers: list[Offer], asked: str) -> None:
        super().__init__(asked)
        self.offers = offers
        self.asked = asked


def parse_accept(header: str) -> list[_Range]:
    """The media ranges of an ``Accept`` header; malformed entries are skipped."""
    ranges = []
    for item in header.split(","):
        parts = [part.strip() for part in item.split(";")]
        media = parts[0].lower()
        if "/" not in media:
            continue
        main, _, sub = media.partition("/")
        if not main or not sub or (main == "*" and sub != "*"):
            continue
        q = 1.0
        params = []
        for parameter in parts[1:]:
            name, _, value = parameter.partition("=")
            name, value = name.strip().lower(), value.strip().strip('"')
            if name == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
                break
            if name and name != "charset":  # we always answer in UTF-8
                params.append((name, value.lower()))
        ranges.append(_Range(main, sub, tuple(params), q))
    return ranges


def choose(offers: list[Offer], accept: str | None, override: str | None = None) -> Offer:
    """The offer to answer with; ``offers[0]`` when the client expresses no preference."""
    if override:
        wanted = override.strip().lower()
        for offer in offers:
            if wanted == offer.media_type or wanted in offer.names:
                return offer
        raise NotAcceptableError(offers, f"format={override}")
    if not accept or not accept.strip():
        return offers[0]
    ranges = parse_accept(accept)
    if not ranges:
        return offers[0]
    best: tuple[float, int] | None = None
    chosen: Offer | None = None
    for position, offer in enumerate(offers):
        # A range with parameters (a profile, a level) asks for a variant we do not offer.
        matches = [
            (specificity, r)
            for r in ranges
            if not r.params and (specificity := r.specificity(offer.media_type)) is not None
        ]
        if not matches:
            continue
        _, matched = max(matches, key=lambda item: item[0])
        if matched.q <= 0:
            continue
        score = (matched.q, -position)
        if best is None or score > best:
            best, chosen = score, offer
    if chosen is None:
        raise NotAcceptableError(offers, accept)
    return chosen


LANGUAGES = ("en", "vi")


def choose_language(accept_language: str | None, override: str | None = None) -> str:
    """The page language: ``override`` (``?lang=``) if we have it, else the best of
    ``Accept-Language`` (``vi-VN`` counts as ``vi``), else English."""
    if override and override.strip().lower() in LANGUAGES:
        return override.strip().lower()
    best, chosen = 0.0, LANGUAGES[0]
    for item in (accept_language or "").split(","):
        tag, _, params = item.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if primary in LANGUAGES and q > best:
            best, chosen = q, primary
    return chosen


def negotiate(offers: list[Offer], accept: str | None, override: str | None = None) -> Offer:
    """``choose``, with nothing acceptable answered ``406`` naming what is available."""
    try:
        return choose(offers, accept, override)
    except NotAcceptableError as error:
        listed = ", ".join(offer.media_type for offer in error.offers)
        raise NotAcceptable(
            f"Cannot answer in {quoted(error.asked)}; available: {listed}",
            [offer.media_type for offer in error.offers],
        ) from None


def content_type(media_type: str) -> str:
    """The ``Content-Type`` for one of our formats: JSON types have no charset parameter."""
    return media_type if "json" in media_type else f"{media_type}; charset=utf-8"
