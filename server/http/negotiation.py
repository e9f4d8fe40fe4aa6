"""Content negotiation, in one place: which of the formats we offer a request accepts best.

``Accept`` is read as RFC 9110 says: media ranges with ``q`` weights, ``*/*`` and ``type/*``
wildcards, parameters (a range with parameters matches only an offer with the same ones; ``q``
ends them). The most specific matching range gives an offer its weight; ties go to the server's
order of preference. A ``format`` parameter (a short name or a media type) overrides the header.
What is offered comes from the format registry (``vnpolicy.graph.formats``). Every negotiated
answer is made by ``answer``, which sets ``Content-Type`` and ``Vary``.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from starlette.responses import RedirectResponse, Response

from vnpolicy.server.errors import NotAcceptable, quoted


class Offered(Protocol):
    """Something the server can answer in: a media type, and short names for ``format=``."""

    @property
    def media_type(self) -> str: ...

    @property
    def names(self) -> tuple[str, ...]: ...


Choice = TypeVar("Choice", bound=Offered)


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

    def __init__(self, offers: Sequence[Offered], asked: str) -> None:
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


def choose(offers: Sequence[Choice], accept: str | None, override: str | None = None) -> Choice:
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
    chosen: Choice | None = None
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


def negotiate(offers: Sequence[Choice], accept: str | None, override: str | None = None) -> Choice:
    """``choose``, with nothing acceptable answered ``406`` naming what is available."""
    try:
        return choose(offers, accept, override)
    except NotAcceptableError as error:
        raise refusal(error) from None


def refusal(error: NotAcceptableError, what: str = "") -> NotAcceptable:
    """The 406 for an ``Accept`` (or ``format=``) that nothing offered matches."""
    available = [offer.media_type for offer in error.offers]
    return NotAcceptable(
        f"Cannot answer{what} in {quoted(error.asked)}; available: {', '.join(available)}",
        available,
    )


def content_type(media_type: str) -> str:
    """The ``Content-Type`` for one of our formats: JSON types have no charset parameter."""
    return media_type if "json" in media_type else f"{media_type}; charset=utf-8"


def answer(
    body: bytes | str,
    media_type: str,
    *,
    vary: Sequence[str] = ("Accept",),
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """A negotiated answer: its body in ``media_type``, with the ``Vary`` of what chose it."""
    return Response(body, status, _varying(headers, vary), media_type=content_type(media_type))


def see_other(
    target: str, *, vary: Sequence[str] = ("Accept",), headers: Mapping[str, str] | None = None
) -> Response:
    """A negotiated ``303 See Other``: the representation chosen for the request."""
    return RedirectResponse(target, 303, _varying(headers, vary))


def _varying(headers: Mapping[str, str] | None, vary: Sequence[str]) -> dict[str, str]:
    return {**(headers or {}), "Vary": ", ".join(vary)} if vary else dict(headers or {})
