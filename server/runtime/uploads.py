"""An uploaded graph as the client sent it, read by the query worker that works out the write:
parsing costs what the upload holds, and a parser that blows up takes a replaceable process
down, not the server. Oxigraph parses every format and fetches nothing; RDF/XML entities are
bounded before it sees them (``xml_entities``)."""

from dataclasses import dataclass

from pyoxigraph import Quad, RdfFormat, parse

from vnpolicy.graph.formats import BY_MEDIA_TYPE
from vnpolicy.server.errors import BadRequest
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

    def quads(self, graph: GraphName) -> list[Quad]:
        """Every part's triples, placed in ``graph``."""
        placed = []
        for number, (media_type, data) in enumerate(self.parts, 1):
            uploaded = BY_MEDIA_TYPE[media_type]
            if uploaded.rdf == RdfFormat.RDF_XML:
                check_entities(data, self.limit)
            try:
                triples = list(parse(data, format=uploaded.engine))
            except SyntaxError as error:
                where = f" (part {number})" if self.multipart else ""
                raise BadRequest(f"The uploaded RDF{where} does not parse: {error}") from None
            placed += [Quad(t.subject, t.predicate, t.object, graph) for t in triples]
        return placed
