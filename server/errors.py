"""HTTP errors, in one place: every refusal is a ``ClientError`` with a status and a message that
says what and where; anything else is our fault, logged and answered 500 without details."""

import logging

from pyoxigraph import NamedNode
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

log = logging.getLogger("vnpolicy.server")


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
        raise ClientError(400, f"{what}={quoted(value)} is not an absolute IRI") from None


class ClientError(Exception):
    """A request we refuse (4xx), or cannot serve now (503), with the reason."""

    def __init__(
        self,
        status: int,
        message: str,
        headers: dict[str, str] | None = None,
        details: dict[str, object] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}
        #: Machine-readable details (e.g. a SHACL report), answered as JSON to clients that
        #: ask for JSON; the message alone is plain text.
        self.details = details


async def client_error_response(request: Request, error: Exception) -> Response:
    assert isinstance(error, ClientError)
    if error.details is not None and "json" in request.headers.get("accept", ""):
        return JSONResponse(
            {"status": error.status, "message": error.message, **error.details},
            status_code=error.status,
            headers=error.headers,
        )
    return PlainTextResponse(
        f"{error.status} {error.message}\n", status_code=error.status, headers=error.headers
    )


async def server_error_response(request: Request, error: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=error)
    return PlainTextResponse(
        "500 Internal error: the server failed on this request; it has been logged.\n",
        status_code=500,
    )
