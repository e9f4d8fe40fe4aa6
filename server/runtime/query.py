"""One SPARQL query, run on a store and written in the format chosen for it.

The HTTP side negotiates before anything runs: for each query form (solutions, boolean, graph)
it sends the media type to answer in, or the refusal to give (``Choices``). Here the query's form
is read from its text first, so a query whose form has no acceptable format is refused without
running; then the query runs, at most ``max_rows`` + 1 results are pulled before the deadline,
and the answer is written — as a media type and bytes, never an HTTP response. The query workers
(``workers``) and the external-store pool (``remote_pool``) both run queries through here.
"""

import time
from dataclasses import dataclass, field

from pyoxigraph import BlankNode, DefaultGraph, NamedNode, QueryBoolean, QuerySolutions, serialize

from vnpolicy.graph.formats import BY_MEDIA_TYPE, Form, Format
from vnpolicy.graph.namespaces import PREFIX_IRIS
from vnpolicy.graph.store import ReadableStore
from vnpolicy.server.errors import BadRequest, Problem, TimedOut, TooLarge
from vnpolicy.server.runtime import results
from vnpolicy.server.runtime.query_text import check_operation, keywords
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


def execute(
    store: ReadableStore,
    request: QueryRequest,
    choices: Choices,
    settings: Settings,
    base_iri: str,
) -> Answer:
    """Check, run and write one query (the project's prefixes predeclared, as in ``vnpolicy
    query``)."""
    check_operation(request.query, "query", settings.allow_service)
    form = query_form(request.query)
    if form is not None:
        choices.format_for(form)  # refused here, before the query runs
    dataset = bool(request.default_graphs or request.named_graphs)
    default: list[NamedNode | BlankNode | DefaultGraph] = [
        NamedNode(uri) for uri in request.default_graphs
    ]
    named: list[NamedNode | BlankNode] = [NamedNode(uri) for uri in request.named_graphs]
    deadline = time.monotonic() + settings.query_timeout
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
            return Answer(media_type, results.boolean(bool(answer), chosen))
        collected: list[object] = []
        for item in answer:
            collected.append(item)
            if len(collected) > settings.max_rows:
                raise TooLarge(
                    f"The query has more than {settings.max_rows} results; add LIMIT or narrow it"
                    " (results are never cut silently)",
                )
            if time.monotonic() > deadline:
                raise TimedOut(f"The query ran past the {settings.query_timeout:g} s limit")
    except SyntaxError as error:
        raise BadRequest(f"Invalid SPARQL: {error}") from None
    except OSError as error:
        if is_stale_view(error):
            raise
        raise BadRequest(f"The query failed: {error}") from None
    if isinstance(answer, QuerySolutions):
        media_type, chosen = choices.format_for(Form.SELECT)
        variables = [variable.value for variable in answer.variables]
        rows = [[solution[name] for name in variables] for solution in collected]  # type: ignore[index]
        return Answer(media_type, results.solutions(variables, rows, chosen))
    # QueryTriples from the embedded store, an iterator of triples from an external one.
    media_type, chosen = choices.format_for(Form.GRAPH)
    return Answer(media_type, serialize(collected, format=chosen.engine) or b"")  # type: ignore[arg-type]
