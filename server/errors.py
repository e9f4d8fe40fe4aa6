"""Errors the server answers with, in one typed tree: each kind knows its status and title.

A ``ClientProblem`` (4xx) is a request we refuse, with a message that says what and where; a
``ServerProblem`` (5xx) is something we could not do — a time limit, a lost worker, an
unavailable store — never blamed on the client. Anything else raised while answering is a bug:
logged and answered 500 without details. ``server/http/problems.py`` turns a problem into the
answer (text, RFC 9457 problem details as JSON, or an HTML page). Nothing here knows about HTTP
frameworks: the query workers raise these too, and they cross the process boundary whole.
"""

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from pyoxigraph import NamedNode


class Problem(Exception):  # noqa: N818 -- named for RFC 9457 problem details
    """An answer other than the one asked for: a status, a title and a detail that says why."""

    status: ClassVar[int] = 500
    title: ClassVar[str] = "Internal Server Error"

    def __init__(
        self,
        detail: str,
        *,
        headers: Mapping[str, str] | None = None,
        extensions: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = dict(headers or {})
        #: Machine-readable members (RFC 9457 extension members), e.g. a SHACL report.
        self.extensions = dict(extensions or {})

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled whole (a query worker sends its refusals to the server process)."""
        return (_rebuilt, (type(self), self.detail, self.headers, self.extensions))


def _rebuilt(
    kind: type[Problem], detail: str, headers: dict[str, str], extensions: dict[str, object]
) -> Problem:
    problem = Problem.__new__(kind)
    Problem.__init__(problem, detail, headers=headers, extensions=extensions)
    return problem


class ClientProblem(Problem):
    """A request we refuse (4xx): the client can change it and ask again."""

    status = 400
    title = "Bad Request"


class BadRequest(ClientProblem):
    """Malformed or contradictory input: a query that does not parse, a bad parameter."""


class Unauthorized(ClientProblem):
    status, title = 401, "Unauthorized"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer realm="vnpolicy"'})


class Forbidden(ClientProblem):
    status, title = 403, "Forbidden"


class NotFound(ClientProblem):
    status, title = 404, "Not Found"


class MethodNotAllowed(ClientProblem):
    status, title = 405, "Method Not Allowed"

    def __init__(self, detail: str, allow: Iterable[str]) -> None:
        super().__init__(detail, headers={"Allow": ", ".join(allow)})


class NotAcceptable(ClientProblem):
    """None of the formats we offer is acceptable; ``available`` lists them."""

    status, title = 406, "Not Acceptable"

    def __init__(self, detail: str, available: Iterable[str]) -> None:
        super().__init__(detail, extensions={"available": list(available)})


class Conflict(ClientProblem):
    status, title = 409, "Conflict"


class TooLarge(ClientProblem):
    """A body, an expansion or a result past a configured limit (never a silent cut)."""

    status, title = 413, "Content Too Large"


class UnsupportedMediaType(ClientProblem):
    status, title = 415, "Unsupported Media Type"


class NotConforming(ClientProblem):
    """Data that breaks the shapes; ``report`` is the SHACL report as JSON."""

    status, title = 422, "Unprocessable Content"

    def __init__(self, detail: str, report: object) -> None:
        super().__init__(detail, extensions={"report": report})


class ServerProblem(Problem):
    """Something the server could not do (5xx); the request may succeed later or elsewhere."""


class InternalError(ServerProblem):
    """Our own failure, logged; the answer gives no details."""


class InsufficientStorage(ServerProblem):
    """The store's disk cannot take a write; nothing was changed."""

    status, title = 507, "Insufficient Storage"


class StoreUnavailable(ServerProblem):
    """The external SPARQL store failed, could not be reached, or is not usable as set up."""

    status, title = 502, "Bad Gateway"


class TimedOut(ServerProblem):
    """Work stopped at the time limit (the query or write was stopped; nothing was changed)."""

    status, title = 503, "Service Unavailable"


class Unavailable(ServerProblem):
    """Something the server needs is not there yet (the search index before a build)."""

    status, title = 503, "Service Unavailable"


class WorkerLost(ServerProblem):
    """The process working on the request died (and has been replaced)."""

    status, title = 503, "Service Unavailable"


def quoted(value: str, limit: int = 120) -> str:
    """A value the client sent, quoted for an error message and cut short if long (a message
    says what was wrong, it does not echo a megabyte back)."""
    if len(value) <= limit:
        return repr(value)
    return f"{value[:limit]!r}… ({len(value)} characters)"


def iri(value: str, what: str) -> NamedNode:
    """``value`` as an IRI, or a 400 naming the parameter ``what`` it came from."""
    try:
        return NamedNode(value)
    except ValueError:
        raise BadRequest(f"{what}={quoted(value)} is not an absolute IRI") from None
