"""Every URI and graph name vnpolicy mints, built in one place.

Documents get ELI-style URIs derived from their official number (docs/decisions/0003):
``{base}eli/vn/{issuer}/{type}/{year}/{number}``; their parts, texts and relations hang below.
Named graphs sit in their own space, ``{base}graph/`` (docs/decisions/0006): one per document,
the model, the entailments and anonymous uploads. The base is a setting, checked once where it
is read (``check_base``, applied by ``vnpolicy.server.settings``); published data never uses a
localhost base. Callers pass the base they have: ``Minter(base).model_graph``.
"""

import re
from dataclasses import dataclass
from uuid import UUID

from rdflib import URIRef

from vnpolicy.graph.numbers import NumberForm, OfficialNumber, ascii_fold

DEFAULT_BASE = "https://w3id.org/vnpolicy/"
_LOCAL_HOSTS = re.compile(r"^https?://(localhost|127\.|\[::1\]|0\.0\.0\.0)", re.IGNORECASE)
UNDATED = "undated"
#: The URI segment of official dispatches (công văn), whose symbols carry no type code.
DISPATCH_SEGMENT = "cv"
#: Where graph names sit under the base, and the fixed ones among them.
_GRAPHS = "graph/"
_MODEL_GRAPH = _GRAPHS + "model"
_ENTAILMENTS_GRAPH = _GRAPHS + "entailments"
_UPLOAD_GRAPHS = _GRAPHS + "upload/"
#: Names that never leave the process: the graph of the model in the scratch store of
#: ``vnpolicy stats`` (whose files have no base), and the key under which a write's triples in
#: the default graph are validated.
SCRATCH_MODEL_GRAPH = URIRef("urn:vnpolicy:model")
DEFAULT_GRAPH_KEY = URIRef("urn:x-vnpolicy:default-graph")


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
    """Mints URIs and graph names under one canonical base (checked by ``check_base`` where it
    is read)."""

    base: str = DEFAULT_BASE

    def resource(self, path: str) -> URIRef:
        """The URI at ``path`` under the base: ``eli/vn/tw/nq/2024/57`` → ``{base}eli/…/57``."""
        return URIRef(self.base + path)

    def document(
        self,
        issuer: str,
        type_segment: str,
        year: int | None,
        number: str,
        place: str | None = None,
    ) -> URIRef:
        year_part = str(year) if year is not None else UNDATED
        place_part = f"{slug(place)}/" if place else ""
        return self.resource(
            f"eli/vn/{place_part}{slug(issuer)}/{slug(type_segment)}/{year_part}/{slug(number)}"
        )

    def document_for(
        self,
        number: OfficialNumber,
        type_segment: str,
        year_signed: int | None,
        place: str | None = None,
    ) -> URIRef:
        """The URI of a document from its parsed number, its type's URI segment and its year.

        The issuer is the symbol's issuing body (``TW``, ``CP``, ``QH15``); a State dispatch has
        no type code, so its drafting unit joins the number (``4324-cntt``) to keep it unique.
        A provincial body's document (``TU``, ``UBND``) has its province's URI segment before
        the issuer, since every province numbers its own (docs/decisions/0021):
        ``eli/vn/ha-noi/ubnd/kh/2025/43``.
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
        return self.document(issuer, type_segment, year, tail, place)

    def unnumbered_document(self, key: str) -> URIRef:
        """A document whose official number the corpus does not give (never guessed)."""
        return self.resource(f"id/document/{slug(key)}")

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
        return self.resource(f"id/{slug(kind)}/{slug(key)}")

    def source(self, key: str) -> URIRef:
        return self.resource(f"id/source/{slug(key)}")

    # ------------------------------------------------------------- the dataset's description

    @property
    def dataset(self) -> URIRef:
        """The dataset itself, as its VoID and DCAT description names it."""
        return self.resource("id/dataset")

    @property
    def catalog(self) -> URIRef:
        return self.resource("id/catalog")

    @property
    def data_service(self) -> URIRef:
        """The SPARQL service of the dataset, as its DCAT description names it."""
        return URIRef(f"{self.dataset}/sparql")

    # ------------------------------------------------------------------------- graph names

    @property
    def graphs(self) -> str:
        """The namespace every graph name of the dataset sits in: ``{base}graph/``."""
        return self.base + _GRAPHS

    def home_graph(self, document: str) -> URIRef:
        """The named graph a document's data belongs in: ``{base}graph/{document path}``.

        Graph names sit in their own ``graph/`` space so that a document URI names the document
        and never the set of triples that describes it (docs/decisions/0006).
        """
        return self.resource(_GRAPHS + str(document).removeprefix(self.base))

    @property
    def model_graph(self) -> URIRef:
        """The graph of the ontology and the vocabularies."""
        return self.resource(_MODEL_GRAPH)

    @property
    def entailments_graph(self) -> URIRef:
        """The graph of what the alignment axioms entail (docs/decisions/0004)."""
        return self.resource(_ENTAILMENTS_GRAPH)

    def upload_graph(self, key: UUID) -> URIRef:
        """A graph uploaded without a name that describes no document."""
        return self.resource(f"{_UPLOAD_GRAPHS}{key}")


def is_entailments_graph(name: str) -> bool:
    """Whether ``name`` is the entailments graph of a vnpolicy dataset, under any base."""
    return name.endswith(_ENTAILMENTS_GRAPH)
