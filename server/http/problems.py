"""Error answers, in one place: every ``Problem`` (``server/errors.py``) becomes its status, its
headers and a body in the form the client prefers.

- ``text/plain`` by default (``curl``, SPARQL clients): ``400 Invalid SPARQL: …``, one line;
- RFC 9457 problem details (``application/problem+json``) for a client that asks for JSON
  (``application/json`` or ``application/problem+json``);
- an HTML page, in the reader's language, for a browser.

The framework's own refusals (a method a route does not take, a missing parameter) are answered
the same way. Anything else raised while answering is our bug: logged, answered 500, no details.
"""

import json
import logging
from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from vnpolicy.server.errors import (
    BadRequest,
    InternalError,
    MethodNotAllowed,
    NotFound,
    Problem,
    ServerProblem,
)
from vnpolicy.server.http.negotiation import NotAcceptableError, answer, choose, choose_language
from vnpolicy.server.http.pages import PageContext
from vnpolicy.server.http.urls import UrlSpace

log = logging.getLogger("vnpolicy.server")
PROBLEM_JSON = "application/problem+json"


@dataclass(frozen=True)
class _Form:
    """A form an error can be answered in (errors have no ``format=`` names)."""

    media_type: str
    names: tuple[str, ...] = ()


_OFFERS = [_Form("text/plain"), _Form(PROBLEM_JSON), _Form("application/json"), _Form("text/html")]


def problem_form(accept: str | None) -> str:
    """The media type to answer an error in: the client's preference among text, problem
    details (asked for as ``application/problem+json`` or ``application/json``) and HTML; text
    when it accepts none of them (a SPARQL client asking only for results formats)."""
    try:
        chosen = choose(_OFFERS, accept).media_type
    except NotAcceptableError:
        return "text/plain"
    return PROBLEM_JSON if chosen == "application/json" else chosen


def problem_details(problem: Problem) -> dict[str, object]:
    """The RFC 9457 members of a problem, with its extension members."""
    return {
        "type": "about:blank",
        "title": problem.title,
        "status": problem.status,
        "detail": problem.detail,
        **problem.extensions,
    }


class Problems:
    """The exception handlers of the application."""

    def __init__(self, urls: UrlSpace) -> None:
        self.urls = urls

    def install(self, app: FastAPI) -> None:
        app.add_exception_handler(Problem, self.problem)
        app.add_exception_handler(HTTPException, self.framework)
        app.add_exception_handler(RequestValidationError, self.invalid)
        app.add_exception_handler(Exception, self.bug)

    async def problem(self, request: Request, error: Exception) -> Response:
        assert isinstance(error, Problem)
        if isinstance(error, ServerProblem):
            log.warning("%s %s: %s", request.method, request.url.path, error.detail)
        return self.answer(request, error)

    async def framework(self, request: Request, error: Exception) -> Response:
        """Starlette's own refusals: no route for a path, a method a route does not take."""
        assert isinstance(error, HTTPException)
        if error.status_code == 405:
            allow = (error.headers or {}).get("Allow", "")
            methods = [method.strip() for method in allow.split(",") if method.strip()]
            problem: Problem = MethodNotAllowed(
                f"{request.method} is not allowed on {request.url.path}", methods
            )
        elif error.status_code == 404:
            problem = NotFound(f"Not found: {request.url.path}")
        elif error.status_code < 500:  # the router and the static files raise 400, 404, 405
            problem = BadRequest(str(error.detail))
        else:
            problem = InternalError(str(error.detail))
        return self.answer(request, problem)

    async def invalid(self, request: Request, error: Exception) -> Response:
        """A parameter a route declares is missing or malformed."""
        assert isinstance(error, RequestValidationError)
        said = "; ".join(_issue(issue) for issue in error.errors())
        return self.answer(request, BadRequest(f"Invalid request: {said}"))

    async def bug(self, request: Request, error: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=error)
        failed = InternalError("The server failed on this request; it has been logged")
        return self.answer(request, failed)

    def answer(self, request: Request, problem: Problem) -> Response:
        form = problem_form(request.headers.get("accept"))
        status, headers = problem.status, problem.headers
        if form == PROBLEM_JSON:
            body = json.dumps(problem_details(problem), ensure_ascii=False).encode("utf-8")
            return answer(body, PROBLEM_JSON, status=status, headers=headers)
        if form == "text/html":
            language = choose_language(
                request.headers.get("accept-language"), request.query_params.get("lang")
            )
            context = PageContext(language, self.urls, request.url.path, {})
            page = context.render(
                "error.html",
                title=f"{problem.status} {problem.title}",
                message=problem.detail,
                alternates=[],
            )
            return answer(page, "text/html", status=status, headers=headers)
        return answer(f"{status} {problem.detail}\n", "text/plain", status=status, headers=headers)


def _issue(issue: dict[str, object]) -> str:
    """One validation issue as a reader would say it: ``query parameter 'uri': Field required``."""
    where = [str(part) for part in issue.get("loc", ()) or ()]  # type: ignore[attr-defined]
    place = f"{where[0]} parameter {where[-1]!r}" if len(where) > 1 else " ".join(where)
    return f"{place}: {issue.get('msg', 'invalid')}"
