"""An uploaded graph as the client sent it, read by the query worker that works out the write:
parsing costs what the upload holds, and a parser that blows up takes a replaceable process
down, not the server. Oxigraph parses every format and fetches nothing; RDF/XML entities are
bounded before it sees them (``xml_entities``)."""

import re
from dataclasses import dataclass
from itertools import islice

from pyoxigraph import Quad, RdfFormat, parse

from vnpolicy.graph.formats import BY_MEDIA_TYPE
from vnpolicy.server.errors import BadRequest, TooLarge
from vnpolicy.server.runtime.change import GraphName
from vnpolicy.server.runtime.xml_entities import check_entities


@dataclass(frozen=True)
class Upload:
    """The parts of an upload, each (media type, bytes) of an uploadable format (checked by the
    server: a wrong type is refused without a worker); ``multipart`` says whether errors name
    the part."""

    parts: tuple[tuple[str, bytes], ...]
    multipart: bool
    #: The request body limit, which RDF/XML entities may not expand past.
    limit: int
    #: Most triples an upload may hold (the row cap of queries).
    max_triples: int = 1_000_000

    def quads(self, graph: GraphName) -> list[Quad]:
        """Every part's triples, placed in ``graph``."""
        placed: list[Quad] = []
        for number, (media_type, data) in enumerate(self.parts, 1):
            uploaded = BY_MEDIA_TYPE[media_type]
            where = f" (part {number})" if self.multipart else ""
            if uploaded.rdf == RdfFormat.RDF_XML:
                check_entities(data, self.limit)
            if uploaded.rdf == RdfFormat.JSON_LD:
                check_json_depth(data, where)
            try:
                triples = parse(data, format=uploaded.engine)
                placed += [
                    Quad(t.subject, t.predicate, t.object, graph)
                    for t in islice(triples, self.max_triples + 1 - len(placed))
                ]
            except SyntaxError as error:
                raise BadRequest(f"The uploaded RDF{where} does not parse: {error}") from None
            if len(placed) > self.max_triples:
                raise TooLarge(
                    f"The upload{where} holds more than {self.max_triples:,} triples "
                    "(VNPOLICY_MAX_ROWS)"
                )
        return placed


#: Deepest nesting of objects and arrays accepted in uploaded JSON-LD; documents written by
#: tools stay under twenty (the JSON-LD processor recurses once per level).
MAX_JSON_DEPTH = 100
_JSON_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def check_json_depth(data: bytes, where: str = "") -> None:
    """Refuse JSON nested deeper than ``MAX_JSON_DEPTH`` before it is parsed (strings skipped)."""
    depth = 0
    for token in _JSON_TOKEN.finditer(data):
        bracket = token.group()
        if bracket in (b"{", b"["):
            depth += 1
            if depth > MAX_JSON_DEPTH:
                raise BadRequest(
                    f"The uploaded JSON-LD{where} nests objects or arrays more than "
                    f"{MAX_JSON_DEPTH} levels deep"
                )
        elif bracket in (b"}", b"]"):
            depth -= 1
