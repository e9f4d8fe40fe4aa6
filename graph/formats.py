"""Every format vnpolicy reads or writes, in one registry: the RDF syntaxes, the SPARQL results
formats and the HTML pages.

An entry says its media type, the other media types it answers to, the short names ``format=``
takes, the suffix of a description's URL (``…/57.ttl``), the engine's own format (pyoxigraph
writes and parses them all), a label for people, its W3C format IRI, whether it keeps graph
names, and whether a graph may be uploaded in it. Every table the server needs — what ``/sparql``
offers for each query form, what a resource or the graph store answers in, what an upload may
be, what the service description lists — is derived here, so adding a format is one entry.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import PurePath

from pyoxigraph import QueryResultsFormat, RdfFormat


class Kind(Enum):
    RDF = "rdf"
    RESULTS = "results"
    PAGE = "page"


class Form(Enum):
    """What a SPARQL query answers with: solutions, a boolean, or a graph."""

    SELECT = "select"
    ASK = "ask"
    GRAPH = "graph"  # CONSTRUCT and DESCRIBE


@dataclass(frozen=True)
class Format:
    label: str
    media_type: str
    kind: Kind
    names: tuple[str, ...] = ()
    #: Other media types that name this format; an answer asked for by one is labelled with it.
    aliases: tuple[str, ...] = ()
    suffix: str | None = None
    rdf: RdfFormat | None = None
    results: QueryResultsFormat | None = None
    #: The query forms a results format answers (SPARQL CSV and TSV have no boolean).
    forms: frozenset[Form] = frozenset()
    #: Its IRI in http://www.w3.org/ns/formats/, for the service description.
    w3c: str | None = None
    keeps_graphs: bool = False
    uploadable: bool = False
    #: Whether reading it may fetch from elsewhere (a remote JSON-LD context, an XML entity):
    #: such files are not read from the command line.
    may_fetch: bool = False
    #: rdflib's parser name, for files read into rdflib graphs.
    rdflib: str | None = None

    @property
    def engine(self) -> RdfFormat:
        """The pyoxigraph format of an RDF syntax."""
        assert self.rdf is not None, f"{self.label} is not an RDF syntax"
        return self.rdf


_SOLUTIONS = frozenset({Form.SELECT})
_BOTH = frozenset({Form.SELECT, Form.ASK})
_RDF = Kind.RDF

#: In the server's order of preference within each kind.
FORMATS: tuple[Format, ...] = (
    Format("HTML", "text/html", Kind.PAGE, names=("html",), suffix="html"),
    Format("Turtle", "text/turtle", _RDF, names=("turtle", "ttl"), suffix="ttl",
           aliases=("application/x-turtle",), rdf=RdfFormat.TURTLE, w3c="Turtle",
           uploadable=True, rdflib="turtle"),
    Format("N-Triples", "application/n-triples", _RDF, names=("ntriples", "nt"), suffix="nt",
           aliases=("text/plain",), rdf=RdfFormat.N_TRIPLES, w3c="N-Triples", uploadable=True,
           rdflib="nt"),
    Format("JSON-LD", "application/ld+json", _RDF, names=("jsonld", "json-ld", "json"),
           suffix="jsonld", rdf=RdfFormat.JSON_LD, w3c="JSON-LD", uploadable=True,
           may_fetch=True, rdflib="json-ld"),
    Format("RDF/XML", "application/rdf+xml", _RDF, names=("rdfxml", "rdf+xml", "xml", "rdf"),
           suffix="rdf", rdf=RdfFormat.RDF_XML, w3c="RDF_XML", uploadable=True,
           may_fetch=True, rdflib="xml"),
    Format("N3", "text/n3", _RDF, names=("n3",), suffix="n3", aliases=("text/rdf+n3",),
           rdf=RdfFormat.N3, w3c="N3", rdflib="n3"),
    Format("N-Quads", "application/n-quads", _RDF, names=("nquads", "nq"), suffix="nq",
           rdf=RdfFormat.N_QUADS, w3c="N-Quads", keeps_graphs=True, rdflib="nquads"),
    Format("TriG", "application/trig", _RDF, names=("trig",), suffix="trig",
           rdf=RdfFormat.TRIG, w3c="TriG", keeps_graphs=True, rdflib="trig"),
    Format("SPARQL JSON", "application/sparql-results+json", Kind.RESULTS, names=("json", "srj"),
           aliases=("application/json",), results=QueryResultsFormat.JSON, forms=_BOTH,
           w3c="SPARQL_Results_JSON"),
    Format("SPARQL XML", "application/sparql-results+xml", Kind.RESULTS, names=("xml", "srx"),
           aliases=("application/xml",), results=QueryResultsFormat.XML, forms=_BOTH,
           w3c="SPARQL_Results_XML"),
    Format("CSV", "text/csv", Kind.RESULTS, names=("csv",), results=QueryResultsFormat.CSV,
           forms=_SOLUTIONS, w3c="SPARQL_Results_CSV"),
    Format("TSV", "text/tab-separated-values", Kind.RESULTS, names=("tsv",),
           results=QueryResultsFormat.TSV, forms=_SOLUTIONS, w3c="SPARQL_Results_TSV"),
)  # fmt: skip

HTML = FORMATS[0]
RDF_FORMATS = tuple(f for f in FORMATS if f.kind is Kind.RDF)
#: The syntaxes that write triples only (a description of the service or the dataset).
TRIPLE_FORMATS = tuple(f for f in RDF_FORMATS if not f.keeps_graphs)
#: What a graph may be uploaded in (one graph: no quad formats).
UPLOAD_FORMATS = tuple(f for f in RDF_FORMATS if f.uploadable)
#: A resource's description: its page, then every RDF syntax; each has a URL suffix.
DESCRIPTION_FORMATS = (HTML, *RDF_FORMATS)
BY_SUFFIX = {f.suffix: f for f in DESCRIPTION_FORMATS if f.suffix}
BY_MEDIA_TYPE = {media_type: f for f in FORMATS for media_type in (f.media_type, *f.aliases)}


@dataclass(frozen=True)
class Offer:
    """A media type the server can answer in, and the format that writes it. An alias (such as
    ``application/json`` for SPARQL JSON) is offered after every primary type."""

    media_type: str
    format: Format

    @property
    def names(self) -> tuple[str, ...]:
        return self.format.names if self.media_type == self.format.media_type else ()


def offers(formats: Iterable[Format], aliases: bool = True) -> list[Offer]:
    """The offers of ``formats``: their own media types in order, then (with ``aliases``) the
    other media types they answer to."""
    chosen = list(formats)
    own = [Offer(f.media_type, f) for f in chosen]
    return own + [Offer(alias, f) for f in chosen for alias in f.aliases if aliases]


def answer_formats(form: Form) -> tuple[Format, ...]:
    """What ``/sparql`` answers a query of ``form`` in: results formats, or every RDF syntax."""
    if form is Form.GRAPH:
        return RDF_FORMATS
    return tuple(f for f in FORMATS if form in f.forms)


def file_format(path: PurePath) -> Format | None:
    """The RDF syntax of a file, by its suffix (``.ttl``, ``.nq``, …)."""
    found = BY_SUFFIX.get(path.suffix.lower().removeprefix("."))
    return found if found is not None and found.kind is Kind.RDF else None


def dump_format(path: PurePath) -> Format | None:
    """The syntax of a dataset dump (one that keeps graph names: ``.nq``, ``.trig``)."""
    found = file_format(path)
    return found if found is not None and found.keeps_graphs else None
