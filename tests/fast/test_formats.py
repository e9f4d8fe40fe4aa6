"""The format registry: one entry per format, and every table the server uses derived from it."""

import pickle

import pytest
from pyoxigraph import Literal, NamedNode, Quad, Triple, parse, serialize

from vnpolicy.graph.formats import (
    BY_MEDIA_TYPE,
    BY_SUFFIX,
    DESCRIPTION_FORMATS,
    FORMATS,
    RDF_FORMATS,
    TRIPLE_FORMATS,
    UPLOAD_FORMATS,
    Form,
    Format,
    Kind,
    answer_formats,
    dump_format,
    file_format,
    offers,
)
from vnpolicy.server.errors import (
    BadRequest,
    MethodNotAllowed,
    NotAcceptable,
    NotConforming,
    Problem,
    TimedOut,
    Unauthorized,
    WorkerLost,
)
from vnpolicy.server.http.problems import PROBLEM_JSON, problem_details, problem_form

DECIMAL = NamedNode("http://www.w3.org/2001/XMLSchema#decimal")

S, P, G = NamedNode("http://e/s"), NamedNode("http://e/p"), NamedNode("http://e/g")
TRIPLES = [
    Triple(S, P, Literal("dữ liệu", language="vi")),
    Triple(S, P, Literal("30", datatype=DECIMAL)),
]


def test_every_entry_is_unique_in_what_it_is_asked_by() -> None:
    media_types = [m for f in FORMATS for m in (f.media_type, *f.aliases)]
    assert len(media_types) == len(set(media_types))
    suffixes = [f.suffix for f in FORMATS if f.suffix]
    assert len(suffixes) == len(set(suffixes))
    for kind in Kind:
        names = [n for f in FORMATS if f.kind is kind for n in f.names]
        assert len(names) == len(set(names)), kind


@pytest.mark.parametrize("written_as", RDF_FORMATS, ids=lambda f: f.label)
def test_every_rdf_syntax_round_trips_through_the_engine(written_as: Format) -> None:
    """What the engine writes in a syntax, it reads back the same (graph names kept by the
    syntaxes that keep them)."""
    if written_as.keeps_graphs:
        quads = {Quad(t.subject, t.predicate, t.object, G) for t in TRIPLES}
        written = serialize(sorted(quads, key=str), format=written_as.engine) or b""
        assert set(parse(written, format=written_as.engine)) == quads
    else:
        written = serialize(TRIPLES, format=written_as.engine) or b""
        read = {
            q.triple if isinstance(q, Quad) else q for q in parse(written, format=written_as.engine)
        }
        assert read == set(TRIPLES)


def test_derived_tables() -> None:
    assert [f.label for f in answer_formats(Form.SELECT)] == [
        "SPARQL JSON",
        "SPARQL XML",
        "CSV",
        "TSV",
    ]
    assert [f.label for f in answer_formats(Form.ASK)] == ["SPARQL JSON", "SPARQL XML"]
    assert answer_formats(Form.GRAPH) == RDF_FORMATS
    assert {f.label for f in TRIPLE_FORMATS} == {"Turtle", "N-Triples", "JSON-LD", "RDF/XML", "N3"}
    assert {f.label for f in UPLOAD_FORMATS} == {"Turtle", "N-Triples", "JSON-LD", "RDF/XML"}
    assert set(BY_SUFFIX) == {"html", "ttl", "nt", "jsonld", "rdf", "n3", "nq", "trig"}
    assert DESCRIPTION_FORMATS[0].media_type == "text/html"
    # Aliases come after every primary media type, labelled with the alias.
    offered = [o.media_type for o in offers(answer_formats(Form.SELECT))]
    assert offered[-2:] == ["application/json", "application/xml"]
    assert BY_MEDIA_TYPE["application/json"].label == "SPARQL JSON"
    assert offers(answer_formats(Form.SELECT))[-2].names == ()


def test_sparqlwrapper_asks_for_n3_and_rdf_xml_by_names_we_know() -> None:
    """SPARQLWrapper sends ``format=n3`` and ``format=rdf+xml`` for its N3 and RDFXML return
    formats (and 406 was the answer before they were entries of the registry)."""
    names = {n: o.format.label for o in offers(answer_formats(Form.GRAPH)) for n in o.names}
    assert names["n3"] == "N3"
    assert names["rdf+xml"] == "RDF/XML"


def test_file_suffixes() -> None:
    from pathlib import PurePath

    assert file_format(PurePath("x.TTL")) is BY_SUFFIX["ttl"]
    assert file_format(PurePath("x.html")) is None
    assert dump_format(PurePath("out/vnpolicy.trig")) is BY_SUFFIX["trig"]
    assert dump_format(PurePath("out/doc.ttl")) is None


@pytest.mark.parametrize(
    "problem",
    [
        BadRequest("bad"),
        Unauthorized("who"),
        MethodNotAllowed("no", ("GET", "POST")),
        NotAcceptable("no", ["text/turtle"]),
        NotConforming("shapes", {"conforms": False}),
        TimedOut("slow"),
        WorkerLost("gone"),
    ],
    ids=lambda p: type(p).__name__,
)
def test_problems_cross_a_process_boundary_whole(problem: Problem) -> None:
    again = pickle.loads(pickle.dumps(problem))
    assert type(again) is type(problem)
    assert (again.status, again.detail, again.headers, again.extensions) == (
        problem.status,
        problem.detail,
        problem.headers,
        problem.extensions,
    )


def test_a_server_problem_is_never_a_client_error() -> None:
    from vnpolicy.server.errors import ClientProblem, ServerProblem

    assert TimedOut("x").status == 503
    assert isinstance(TimedOut("x"), ServerProblem)
    assert not isinstance(WorkerLost("x"), ClientProblem)
    assert MethodNotAllowed("x", ("GET", "HEAD")).headers == {"Allow": "GET, HEAD"}
    assert "Bearer" in Unauthorized("x").headers["WWW-Authenticate"]


@pytest.mark.parametrize(
    ("accept", "form"),
    [
        (None, "text/plain"),
        ("*/*", "text/plain"),
        ("application/json", PROBLEM_JSON),
        ("application/sparql-results+json", "text/plain"),
        ("application/problem+json", PROBLEM_JSON),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
        ("text/turtle", "text/plain"),
        ("application/json, text/html;q=0.5", PROBLEM_JSON),
    ],
)
def test_an_error_is_answered_in_the_form_the_client_prefers(accept: str | None, form: str) -> None:
    assert problem_form(accept) == form


def test_problem_details_carry_rfc_9457_members_and_extensions() -> None:
    details = problem_details(NotConforming("does not conform", {"violations": 1}))
    assert details == {
        "type": "about:blank",
        "title": "Unprocessable Content",
        "status": 422,
        "detail": "does not conform",
        "report": {"violations": 1},
    }
