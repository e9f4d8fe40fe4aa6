"""Every URI vnpolicy mints, built in one place.

Documents get ELI-style URIs derived from their official number (docs/decisions/0003):
``{base}eli/vn/{issuer}/{type}/{year}/{number}``; their parts, texts and relations hang below.
The base is a setting, checked once where it is read (``check_base``, applied by
``vnpolicy.server.settings``); published data never uses a localhost base.
"""

import re
from dataclasses import dataclass

from rdflib import URIRef

from vnpolicy.graph.numbers import NumberForm, OfficialNumber, ascii_fold

DEFAULT_BASE = "https://w3id.org/vnpolicy/"
_LOCAL_HOSTS = re.compile(r"^https?://(localhost|127\.|\[::1\]|0\.0\.0\.0)", re.IGNORECASE)
UNDATED = "undated"
#: The path (under the base) of the named graph holding the alignment entailments.
ENTAILMENTS_PATH = "graph/entailments"
#: The URI segment of official dispatches (công văn), whose symbols carry no type code.
DISPATCH_SEGMENT = "cv"


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: ``Bộ GD&ĐT`` → ``bo-gd-dt``."""
    words = re.split(r"[^a-z0-9]+", ascii_fold(text).lower())
    joined = "-".join(word for word in words if word)
    if not joined:
        raise ValueError(f"{text!r} has no letters or digits to make a URI segment from")
    return joined


def check_base(base: str) -> str:
    """Accept an http(s) base ending in ``/``; refuse a localhost base for published data."""
    if not re.match(r"^https?://[^/\s]+/(\S*/)?$", base):
        raise ValueError(f"base URI {base!r} must be an http(s) URL ending with '/'")
    if _LOCAL_HOSTS.match(base):
        raise ValueError(f"base URI {base!r} is local; published data needs a public base")
    return base


@dataclass(frozen=True)
class Minter:
    """Mints URIs under one canonical base (checked by ``check_base`` where it is read)."""

    base: str = DEFAULT_BASE

    def document(self, issuer: str, type_segment: str, year: int | None, number: str) -> URIRef:
        year_part = str(year) if year is not None else UNDATED
        path = f"eli/vn/{slug(issuer)}/{slug(type_segment)}/{year_part}/{slug(number)}"
        return URIRef(self.base + path)

    def document_for(
        self, number: OfficialNumber, type_segment: str, year_signed: int | None
    ) -> URIRef:
        """The URI of a document from its parsed number, its type's URI segment and its year.

        The issuer is the symbol's issuing body (``TW``, ``CP``, ``QH15``); a State dispatch has
        no type code, so its drafting unit joins the number (``4324-cntt``) to keep it unique.
        """
        year = number.year if number.year is not None else year_signed
        parts = number.parts
        if number.form is NumberForm.PARTY:
            issuer, tail = parts[1], number.sequence
        elif number.form is NumberForm.NORMATIVE:
            issuer, tail = (parts[0] if len(parts) == 1 else "-".join(parts[1:])), number.sequence
        elif type_segment == DISPATCH_SEGMENT:
            issuer, tail = parts[0], "-".join((number.sequence, *parts[1:]))
        else:
            issuer, tail = "-".join(parts[1:]), number.sequence
        return self.document(issuer, type_segment, year, tail)

    def unnumbered_document(self, key: str) -> URIRef:
        """A document whose official number the corpus does not give (never guessed)."""
        return URIRef(f"{self.base}id/document/{slug(key)}")

    @staticmethod
    def part(parent: URIRef, kind: str, ordinal: int | str) -> URIRef:
        """A section, provision or target: ``…/57/viewpoint/3``."""
        return URIRef(f"{parent}/{slug(kind)}/{slug(str(ordinal))}")

    @staticmethod
    def text(resource: URIRef, language: str, publisher: str | None = None) -> URIRef:
        """A language version (expression) of a document or provision: ``…/57/eng/lawnet``."""
        tail = f"/{slug(publisher)}" if publisher else ""
        return URIRef(f"{resource}/{slug(language)}{tail}")

    @staticmethod
    def statement(subject: URIRef, kind: str, key: str) -> URIRef:
        """A reified statement about ``subject``: a relation, a fact, a tag or a source error."""
        return URIRef(f"{subject}/{slug(kind)}/{slug(key)}")

    def agent(self, kind: str, key: str) -> URIRef:
        return URIRef(f"{self.base}id/{slug(kind)}/{slug(key)}")

    def source(self, key: str) -> URIRef:
        return URIRef(f"{self.base}id/source/{slug(key)}")

    def graph(self, name: URIRef | str) -> URIRef:
        """A named graph of the dataset: ``{base}graph/{path}`` for a document, or a fixed name.

        Graph names sit in their own ``graph/`` space so that a document URI names the document
        and never the set of triples that describes it (docs/decisions/0006).
        """
        path = str(name).removeprefix(self.base)
        return URIRef(f"{self.base}graph/{path}")
