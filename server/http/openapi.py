"""The parameters and bodies of the protocol endpoints, declared for the OpenAPI description.

The handlers read the SPARQL protocols' parameters themselves (a parameter may repeat, a body may
be a form or the query itself), so FastAPI cannot infer them; they are declared here so that
``/openapi.json`` tells clients, and fuzzers, what each endpoint takes.
"""

import re
import warnings
from typing import Any

from fastapi import FastAPI

from vnpolicy.graph.formats import UPLOAD_FORMATS, offers

_IRI = {"type": "string", "format": "iri"}
_IRIS = {"type": "array", "items": _IRI}


def _parameter(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema, "style": "form",
            "explode": True, "description": description}  # fmt: skip


def _form(properties: dict[str, dict[str, Any]], required: str) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": [required]}


_DATASET = [
    _parameter("default-graph-uri", _IRIS, "A graph of the query's default graph (repeatable)"),
    _parameter("named-graph-uri", _IRIS, "A named graph of the query's dataset (repeatable)"),
]
_FORMAT = _parameter(
    "format", {"type": "string"}, "Result format, overriding Accept (e.g. json, csv, turtle)"
)
QUERY_GET: dict[str, Any] = {
    "parameters": [
        _parameter("query", {"type": "string"}, "The SPARQL 1.1 query; none: the description"),
        *_DATASET,
        _FORMAT,
    ]
}
QUERY_POST: dict[str, Any] = {
    "parameters": [*_DATASET, _FORMAT],
    "requestBody": {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": _form(
                    {
                        "query": {"type": "string"},
                        "default-graph-uri": _IRIS,
                        "named-graph-uri": _IRIS,
                        "format": {"type": "string"},
                    },
                    "query",
                )
            },
            "application/sparql-query": {"schema": {"type": "string"}},
        },
    },
}
UPDATE_POST: dict[str, Any] = {
    "parameters": [
        _parameter("using-graph-uri", _IRIS, "A graph of the update's default graph"),
        _parameter("using-named-graph-uri", _IRIS, "A named graph of the update's dataset"),
    ],
    "requestBody": {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": _form({"update": {"type": "string"}}, "update")
            },
            "application/sparql-update": {"schema": {"type": "string"}},
        },
    },
}
_GRAPH = [
    _parameter("graph", _IRI, "The graph (or ?default for the default graph)"),
    _parameter("default", {"type": "string"}, "Present: the default graph"),
]
_RDF_BODY = {
    "required": True,
    "content": {
        offer.media_type: {"schema": {"type": "string"}} for offer in offers(UPLOAD_FORMATS)
    },
}
STORE_READ: dict[str, Any] = {"parameters": _GRAPH}
STORE_WRITE: dict[str, Any] = {"parameters": _GRAPH, "requestBody": _RDF_BODY}
DIRECT_WRITE: dict[str, Any] = {"requestBody": _RDF_BODY}
EXPORT: dict[str, Any] = {
    "parameters": [
        _parameter("lang", {"type": "string", "enum": ["en", "vi"]}, "Language of the labels"),
        _parameter("compound", {"type": "boolean"}, "Cytoscape: pillars as parent nodes"),
    ]
}
CUSTOM_EXPORT: dict[str, Any] = {
    "parameters": [
        _parameter("format", {"type": "string"}, "Network format (graphml, gexf, …)"),
        *EXPORT["parameters"],
    ],
    "requestBody": QUERY_POST["requestBody"],
}
PAGE: dict[str, Any] = {
    "parameters": [_parameter("page", {"type": "integer", "minimum": 1}, "Page of links")]
}
TRACKER: dict[str, Any] = {
    "parameters": [
        _parameter(
            "format",
            {"type": "string", "enum": ["html", "json", "srj", "csv"]},
            "Answer format (overrides Accept): the page, SPARQL results JSON or CSV",
        ),
        _parameter("lang", {"type": "string", "enum": ["en", "vi"]}, "The page's language"),
    ],
    "responses": {
        "200": {
            "description": "The tracker: every tracked item with its implementing documents",
            "content": {
                "text/html": {"schema": {"type": "string"}},
                "application/sparql-results+json": {"schema": {"type": "object"}},
                "text/csv": {"schema": {"type": "string"}},
            },
        }
    },
}


#: Every problem the server answers with (server/errors.py), documented on every operation: a
#: client, or a fuzzer, meets no status the description does not name.
PROBLEMS = {
    400: "Bad request: a malformed query or parameter (the message says what and where)",
    401: "A write without the right bearer token",
    403: "A write to a server that takes none",
    404: "Nothing there",
    405: "A method the endpoint does not take (Allow names those it does)",
    406: "No format offered is acceptable (the problem lists those available)",
    409: "A new document's graph that is already published",
    413: "A body, or an answer, past its limit (never cut silently)",
    415: "A body in a media type or charset the endpoint does not read",
    422: "Data that does not conform to the shapes (the SHACL report comes with it)",
    500: "The server failed (logged)",
    502: "The external store failed",
    503: "Stopped at the time limit, a worker lost, or every worker busy (Retry-After)",
    507: "The store's disk has no room for a write",
}
_SUCCESS = {
    "get": {200: "The answer", 303: "See the description in the negotiated format",
            300: "Several resources fit: the answer lists them",
            304: "Not modified since the validator given"},
    "head": {200: "The answer's headers", 303: "See the description", 304: "Not modified",
             300: "Several resources fit"},
    "post": {200: "The answer", 201: "Created (Location names it)", 204: "Done"},
    "put": {201: "Created", 204: "Replaced"},
    "delete": {204: "Deleted"},
}  # fmt: skip
_PROBLEM_BODY = {
    "text/plain": {"schema": {"type": "string"}},
    "application/problem+json": {
        "schema": {
            "type": "object",
            "properties": {
                "type": {"type": "string"},
                "title": {"type": "string"},
                "status": {"type": "integer"},
                "detail": {"type": "string"},
            },
            "required": ["type", "title", "status", "detail"],
        }
    },
    "text/html": {"schema": {"type": "string"}},
}


def _documented(responses: dict[str, Any], method: str) -> None:
    """Add the statuses an operation can answer with that FastAPI did not list."""
    for status, meaning in _SUCCESS.get(method, {}).items():
        responses.setdefault(str(status), {"description": meaning})
    for status, meaning in PROBLEMS.items():
        responses.setdefault(str(status), {"description": meaning, "content": _PROBLEM_BODY})


def install(app: FastAPI) -> None:
    """Serve the OpenAPI description with one operation id per path and method (FastAPI gives
    every method of one route, GET and HEAD, PUT and POST, the same id, which clients and
    generators reject as duplicates) and every status each operation can answer with."""
    build = app.openapi

    def described() -> dict[str, Any]:
        if app.openapi_schema is None:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message="Duplicate Operation ID")
                schema = build()
            for path, operations in schema["paths"].items():
                words = re.sub(r"[^A-Za-z0-9]+", "_", path).strip("_") or "root"
                for method, operation in operations.items():
                    operation["operationId"] = f"{method}_{words}"
                    _documented(operation.setdefault("responses", {}), method)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = described  # type: ignore[method-assign]
