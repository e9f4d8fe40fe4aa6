"""A SPARQL 1.1 store elsewhere (Oxigraph server, Virtuoso, Fuseki, GraphDB, Neptune), read through
the SPARQL 1.1 Protocol and written through SPARQL 1.1 Update.

``RemoteStore`` offers the part of ``pyoxigraph.Store``'s interface that the server's read path
uses (``query``, ``quads_for_pattern``, ``named_graphs``, ``contains_named_graph``, ``dump``), with
results parsed into pyoxigraph terms, so that pages, exports, the catalogue and ``/sparql`` run
unchanged on either store (docs/decisions/0016). The store must show the union of its named
graphs as the default graph, as vnpolicy keeps every triple in a named graph; ``check`` says so
at start if it does not. Results are read as a stream: a caller that stops early (the row cap)
does not download the rest.
"""

import io
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO

import httpx
from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Triple,
    parse,
    parse_query_results,
    serialize,
)

from vnpolicy.graph.formats import BY_MEDIA_TYPE
from vnpolicy.server.errors import BadRequest, MethodNotAllowed, StoreUnavailable, TimedOut

Term = NamedNode | BlankNode | Literal
_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"
#: What a store's answer may be parsed from: every results format that keeps terms whole (SPARQL
#: CSV does not) and every RDF syntax of the registry, by each of their media types.
_SOLUTIONS = {
    media_type: found.results
    for media_type, found in BY_MEDIA_TYPE.items()
    if found.results is not None and found.results != QueryResultsFormat.CSV
}
_GRAPHS = {media_type: found.rdf for media_type, found in BY_MEDIA_TYPE.items() if found.rdf}


class StoreUnavailableError(StoreUnavailable):
    """The external store did not answer, or answered with an error of its own (502)."""

    def __init__(self, url: str, what: str) -> None:
        super().__init__(f"The SPARQL store at {url} {what}")


class _Stream(io.RawIOBase):
    """An HTTP response body as a file, read as the parser asks for it."""

    def __init__(self, response: httpx.Response) -> None:
        self._response = response
        self._chunks = response.iter_bytes()
        self._left = b""

    def close(self) -> None:
        """Give the connection back (also when the reader is dropped half-read: the row cap)."""
        self._response.close()
        super().close()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: "memoryview | bytearray") -> int:  # type: ignore[override]
        while not self._left:
            try:
                self._left = next(self._chunks)
            except StopIteration:
                return 0
        size = min(len(buffer), len(self._left))
        buffer[:size] = self._left[:size]
        self._left = self._left[size:]
        return size


def prologue(base_iri: str | None, prefixes: dict[str, str] | None) -> str:
    """``BASE`` and ``PREFIX`` declarations put before a query; its own declarations follow and
    win, as the embedded store's predeclared prefixes do."""
    lines = [f"BASE <{base_iri}>"] if base_iri else []
    lines += [f"PREFIX {name}: <{iri}>" for name, iri in (prefixes or {}).items()]
    return "\n".join(lines) + "\n" if lines else ""


class RemoteStore:
    """A store behind a SPARQL 1.1 query endpoint (and, for writes, an update endpoint)."""

    def __init__(
        self,
        endpoint: str,
        update_endpoint: str | None = None,
        timeout: float = 10.0,
        connections: int = 16,
    ) -> None:
        self.endpoint, self.update_endpoint, self.timeout = endpoint, update_endpoint, timeout
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            limits=httpx.Limits(max_connections=connections),
            trust_env=False,  # the store is named explicitly; no proxy from the environment
            follow_redirects=False,
        )

    def close(self) -> None:
        self._client.close()

    def query(
        self,
        query: str,
        *,
        base_iri: str | None = None,
        prefixes: dict[str, str] | None = None,
        use_default_graph_as_union: bool = True,
        default_graph: list[NamedNode | BlankNode | DefaultGraph] | None = None,
        named_graphs: list[NamedNode | BlankNode] | None = None,
    ) -> QuerySolutions | QueryBoolean | Iterator[Triple]:
        """Solutions, a boolean, or the triples of a CONSTRUCT/DESCRIBE, as pyoxigraph gives
        them. The union default graph is the store's own setting (``check``); the protocol
        names a dataset's graphs by IRI only."""
        del use_default_graph_as_union
        params: list[tuple[str, str | int | float | bool | None]] = [
            ("default-graph-uri", graph.value)
            for graph in default_graph or []
            if isinstance(graph, NamedNode)
        ]
        params += [
            ("named-graph-uri", graph.value)
            for graph in named_graphs or []
            if isinstance(graph, NamedNode)
        ]
        request = self._client.build_request(
            "POST",
            self.endpoint,
            params=params,
            content=(prologue(base_iri, prefixes) + query).encode("utf-8"),
            headers={"Content-Type": "application/sparql-query", "Accept": _ACCEPT},
        )
        response = self._send(request, self.endpoint)
        kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
        body = io.BufferedReader(_Stream(response), 1 << 16)
        if kind in _SOLUTIONS:
            return _closing_solutions(response, body, _SOLUTIONS[kind])
        if kind in _GRAPHS:
            return _closing_triples(response, body, _GRAPHS[kind])
        response.close()
        raise StoreUnavailableError(self.endpoint, f"answered with an unexpected type {kind!r}")

    def update(self, update: str) -> None:
        """Run a SPARQL Update: one request, one transaction in the store."""
        if self.update_endpoint is None:
            raise MethodNotAllowed(
                "Writes need the store's update endpoint (vnpolicy serve --update-endpoint)", ()
            )
        request = self._client.build_request(
            "POST",
            self.update_endpoint,
            content=update.encode("utf-8"),
            headers={"Content-Type": "application/sparql-update"},
        )
        self._send(request, self.update_endpoint).close()

    def _send(self, request: httpx.Request, url: str) -> httpx.Response:
        try:
            response = self._client.send(request, stream=True)
        except httpx.TimeoutException:
            raise TimedOut(
                f"The SPARQL store did not answer within the {self.timeout:g} s limit"
            ) from None
        except httpx.HTTPError as error:
            raise StoreUnavailableError(url, f"could not be reached: {error}") from None
        if response.status_code >= 400:
            response.read()
            response.close()
            if response.status_code == 400:
                raise BadRequest(f"The SPARQL store refused the request: {said(response)}")
            raise StoreUnavailableError(url, f"answered {response.status_code}: {said(response)}")
        return response

    def quads_for_pattern(
        self,
        subject: NamedNode | BlankNode | Triple | None,
        predicate: NamedNode | None,
        object: Term | Triple | None,
        graph_name: NamedNode | BlankNode | DefaultGraph | None = None,
    ) -> Iterator[Quad]:
        """The quads matching a pattern; the store's own default graph holds none of vnpolicy's
        data and is not read. A blank node cannot be named across requests, and a quoted triple
        not in SPARQL 1.1: they match nothing."""
        if isinstance(graph_name, DefaultGraph) or any(
            isinstance(term, BlankNode | Triple)
            for term in (subject, predicate, object, graph_name)
        ):
            return iter(())
        terms = {"s": subject, "p": predicate, "o": object, "g": graph_name}
        pattern = {
            name: str(term) if term is not None else f"?{name}" for name, term in terms.items()
        }
        free = [name for name, term in terms.items() if term is None]
        where = f"{{ GRAPH {pattern['g']} {{ {pattern['s']} {pattern['p']} {pattern['o']} }} }}"
        if not free:
            found = bool(self.query(f"ASK {where}"))
            return iter([Quad(subject, predicate, object, graph_name)] if found else [])  # type: ignore[arg-type]
        solutions = self.query(f"SELECT {' '.join('?' + name for name in free)} WHERE {where}")
        assert isinstance(solutions, QuerySolutions)
        return (
            Quad(
                subject or row["s"],
                predicate or row["p"],
                object or row["o"],
                graph_name or row["g"],
            )
            for row in solutions
        )

    def named_graphs(self) -> Iterator[NamedNode]:
        solutions = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert isinstance(solutions, QuerySolutions)
        return (row["g"] for row in solutions)

    def contains_named_graph(self, graph: NamedNode | DefaultGraph, /) -> bool:
        """Whether the store has this graph; its own default graph is not vnpolicy's."""
        if isinstance(graph, DefaultGraph):
            return False
        return bool(self.query(f"ASK {{ GRAPH {graph} {{ ?s ?p ?o }} }}"))

    def __len__(self) -> int:
        solutions = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert isinstance(solutions, QuerySolutions)
        return int(next(iter(solutions))["n"].value)

    def dump(self, output: str | Path, format: RdfFormat) -> None:
        """Every named graph as N-Quads (one streamed query) or TriG (graph by graph)."""
        with Path(output).open("wb") as file:
            if format == RdfFormat.N_QUADS:
                for quad in self.quads_for_pattern(None, None, None, None):
                    file.write(f"{quad} .\n".encode())
                return
            for graph in sorted(self.named_graphs(), key=lambda node: node.value):
                quads = list(self.quads_for_pattern(None, None, None, graph))
                file.write(serialize(quads, format=format) or b"")

    def check(self) -> None:
        """Refuse a store whose default graph is not the union of its named graphs: every page
        and catalogue query reads the default graph, and would find nothing."""
        named = self.query("ASK { GRAPH ?g { ?s ?p ?o } }")
        union = self.query("ASK { ?s ?p ?o }")
        if bool(named) and not bool(union):
            raise StoreUnavailable(
                f"The SPARQL store at {self.endpoint} holds named graphs but its default graph is "
                "empty: configure it to query the union of its named graphs as the default graph "
                "(oxigraph serve --union-default-graph; Fuseki: tdb2:unionDefaultGraph true)",
            )


def said(response: httpx.Response) -> str:
    """What a store said in an error response, on one line, cut short."""
    return " ".join(response.text.split())[:500]


class GraphStoreClient:
    """A store's SPARQL 1.1 Graph Store Protocol endpoint: replace or delete one named graph,
    each one transaction in the store."""

    def __init__(self, url: str, timeout: float) -> None:
        self.url = url
        self._client = httpx.Client(timeout=timeout, trust_env=False)

    def __enter__(self) -> "GraphStoreClient":
        return self

    def __exit__(self, *_: object) -> None:
        self._client.close()

    def put(self, graph: NamedNode, triples: Iterable[Triple]) -> None:
        body = serialize(list(triples), format=RdfFormat.N_TRIPLES) or b""
        self._check(
            lambda: self._client.put(
                self.url,
                params={"graph": graph.value},
                content=body,
                headers={"Content-Type": "application/n-triples"},
            ),
            f"PUT of {graph.value}",
        )

    def delete(self, graph: NamedNode) -> None:
        """Delete a graph; one the store does not have is no error."""
        self._check(
            lambda: self._client.delete(self.url, params={"graph": graph.value}),
            f"DELETE of {graph.value}",
            missing_is_fine=True,
        )

    def _check(
        self, send: Callable[[], httpx.Response], what: str, missing_is_fine: bool = False
    ) -> None:
        try:
            response = send()
        except httpx.HTTPError as error:
            raise StoreUnavailableError(self.url, f"could not be reached: {error}") from None
        if response.status_code >= 400 and not (missing_is_fine and response.status_code == 404):
            raise StoreUnavailableError(
                self.url, f"refused the {what} with {response.status_code}: {said(response)}"
            )


def _closing_solutions(
    response: httpx.Response,
    body: IO[bytes],
    format: QueryResultsFormat,
) -> QuerySolutions | QueryBoolean:
    try:
        parsed = parse_query_results(body, format)
    except SyntaxError as error:
        response.close()
        raise StoreUnavailableError(
            str(response.url), f"sent results that do not parse: {error}"
        ) from None
    if isinstance(parsed, QueryBoolean):
        response.close()
    return parsed


def _closing_triples(
    response: httpx.Response,
    body: IO[bytes],
    format: RdfFormat,
) -> Iterator[Triple]:
    try:
        for quad in parse(body, format=format):
            yield quad.triple if isinstance(quad, Quad) else quad
    except SyntaxError as error:
        raise StoreUnavailableError(
            str(response.url), f"sent a graph that does not parse: {error}"
        ) from None
    finally:
        response.close()
