"""One SPARQL query, run on a store and written in the format chosen for it.

The HTTP side negotiates before anything runs: for each query form (solutions, boolean, graph)
it sends the media type to answer in, or the refusal to give (``Choices``). Here the query's form
is read from its text first, so a query whose form has no acceptable format is refused without
running; then the query runs, at most ``max_rows`` + 1 results are pulled before the deadline,
and the answer is written — as a media type and bytes, never an HTTP response. The query workers
(``workers``) and the external-store pool (``remote_pool``) both run queries through here.
"""

import io
from dataclasses import dataclass, field
from itertools import islice

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    parse_query_results,
    serialize,
)

from vnpolicy.graph.formats import BY_MEDIA_TYPE, Form, Format
from vnpolicy.graph.namespaces import PREFIX_IRIS
from vnpolicy.graph.store import ReadableStore
from vnpolicy.server.errors import BadRequest, Problem, TooLarge
from vnpolicy.server.runtime.query_text import check_operation, keywords, top_level_limit
from vnpolicy.server.settings import Settings

_FORMS = {"SELECT": Form.SELECT, "ASK": Form.ASK, "CONSTRUCT": Form.GRAPH, "DESCRIBE": Form.GRAPH}


@dataclass(frozen=True)
class QueryRequest:
    """A query and its dataset (SPARQL 1.1 Protocol): without graphs, the default graph is the
    union of every named graph."""

    query: str
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Choices:
    """The media type each query form is answered in, or the problem to answer instead."""

    media_types: dict[Form, str]
    refusals: dict[Form, Problem]

    def format_for(self, form: Form) -> tuple[str, Format]:
        if form in self.refusals:
            raise self.refusals[form]
        media_type = self.media_types[form]
        return media_type, BY_MEDIA_TYPE[media_type]


@dataclass(frozen=True)
class Answer:
    """A query's answer as it crosses a process boundary: its media type and its bytes."""

    media_type: str
    body: bytes


def query_form(text: str) -> Form | None:
    """The form of a query, from its first top-level query keyword (None if it has none: the
    parser then says what is wrong)."""
    for keyword in keywords(text):
        if keyword.depth == 0 and keyword.word in _FORMS:
            return _FORMS[keyword.word]
    return None


def is_stale_view(error: OSError) -> bool:
    """Whether a read failed because the writer's compaction removed a file that a read-only
    view of an on-disk store still referred to; the view must be opened again."""
    return "No such file or directory" in str(error)


class Capped(io.BytesIO):
    """Where the engine writes an answer: bytes kept up to ``limit``, past which the write is
    stopped with a 413 (an answer is never cut silently)."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def write(self, data: "bytes | bytearray | memoryview") -> int:  # type: ignore[override]
        if self.tell() + len(data) > self.limit:
            raise TooLarge(
                f"The answer is larger than the {self.limit:,} bytes allowed "
                "(VNPOLICY_MAX_RESULT_BYTES); add LIMIT or narrow it (answers are never cut)"
            )
        return super().write(data)

    def count(self, marker: bytes) -> int:
        return self.getbuffer().tobytes().count(marker)


def execute(
    store: ReadableStore,
    request: QueryRequest,
    choices: Choices,
    settings: Settings,
    base_iri: str,
) -> Answer:
    """Check, run and write one query (the project's prefixes predeclared, as in ``vnpolicy
    query``): the engine writes the answer, which must stay within ``max_rows`` rows (or
    triples) and ``max_result_bytes`` bytes."""
    check_operation(request.query, "query", settings.allow_service)
    form = query_form(request.query)
    if form is not None:
        choices.format_for(form)  # refused here, before the query runs
    dataset = bool(request.default_graphs or request.named_graphs)
    default: list[NamedNode | BlankNode | DefaultGraph] = [
        NamedNode(uri) for uri in request.default_graphs
    ]
    named: list[NamedNode | BlankNode] = [NamedNode(uri) for uri in request.named_graphs]
    sink = Capped(settings.max_result_bytes)
    try:
        answer = store.query(
            request.query,
            base_iri=base_iri,
            prefixes=PREFIX_IRIS,
            use_default_graph_as_union=not dataset,
            default_graph=default if dataset else None,
            named_graphs=named if dataset else None,
        )
        if isinstance(answer, QueryBoolean):
            media_type, chosen = choices.format_for(Form.ASK)
            answer.serialize(sink, _results_format(chosen))
        elif isinstance(answer, QuerySolutions):
            media_type, chosen = choices.format_for(Form.SELECT)
            limit = top_level_limit(request.query)
            _write_solutions(answer, chosen, sink, settings, limit)
        else:  # QueryTriples, or the triples an external store sent
            media_type, chosen = choices.format_for(Form.GRAPH)
            triples = list(islice(answer, settings.max_rows + 1))
            _within_rows(len(triples), settings)
            serialize(triples, sink, chosen.engine)
    except SyntaxError as error:
        raise BadRequest(f"Invalid SPARQL: {error}") from None
    except OSError as error:
        if is_stale_view(error):
            raise
        raise BadRequest(f"The query failed: {error}") from None
    return Answer(media_type, sink.getvalue())


def _write_solutions(
    solutions: QuerySolutions,
    chosen: Format,
    sink: Capped,
    settings: Settings,
    limit: int | None,
) -> None:
    """SELECT results in ``chosen``, with at most ``max_rows`` rows. The engine cannot count
    the rows it writes, so they are counted in what it wrote: lines of TSV, ``<result>`` of XML
    (a ``<`` in a value is escaped). JSON and CSV are written from TSV read back by the engine,
    the same bytes as written at once (a query whose own top-level LIMIT keeps it within the
    cap is written at once)."""
    written_as = _results_format(chosen)
    if limit is not None and limit <= settings.max_rows:
        solutions.serialize(sink, written_as)
    elif written_as == QueryResultsFormat.TSV:
        solutions.serialize(sink, written_as)
        _within_rows(sink.count(b"\n") - 1, settings)
    elif written_as == QueryResultsFormat.XML:
        solutions.serialize(sink, written_as)
        _within_rows(sink.count(b"<result>"), settings)
    else:
        tsv = Capped(settings.max_result_bytes)
        solutions.serialize(tsv, QueryResultsFormat.TSV)
        _within_rows(tsv.count(b"\n") - 1, settings)
        tsv.seek(0)
        read_back = parse_query_results(tsv, QueryResultsFormat.TSV)
        assert isinstance(read_back, QuerySolutions)
        read_back.serialize(sink, written_as)


def _within_rows(rows: int, settings: Settings) -> None:
    if rows > settings.max_rows:
        raise TooLarge(
            f"The query has more than {settings.max_rows} results; add LIMIT or narrow it"
            " (results are never cut silently)",
        )


def _results_format(chosen: Format) -> QueryResultsFormat:
    assert chosen.results is not None, f"{chosen.label} is not a results format"
    return chosen.results
