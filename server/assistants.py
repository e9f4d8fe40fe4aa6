"""A read-only Model Context Protocol server for AI assistants (``vnpolicy mcp``).

It is a client of a running vnpolicy server: every tool asks that server's HTTP API (``/sparql``,
``/api/queries``), so every answer passes the same door as any other client's — the same query
workers, time limit, row cap and byte cap, and nothing it could not read over HTTP. Every answer
carries the sources and the certainty of what it states: the ``dct:source`` and
``vnp:certainty`` of each resource it names, the qualified facts and the reified relations
(decision 0005: an uncertain fact is never a plain triple, so a resource without a certainty of
its own is settled on its sources).
"""

import re
from typing import Any

import httpx
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError

#: Most resources whose sources and certainty an answer lists (the rest are counted).
MAX_PROVENANCE = 100
#: Most statements ``describe`` lists of one resource.
MAX_STATEMENTS = 200
_IRI = re.compile(r"^https?://[^\s<>\"{}|^`\\]+$")
_SETTLED = (
    "A resource without a certainty of its own is stated as settled on its sources; uncertain "
    "facts and relations are never plain triples, and appear under qualified_facts or "
    "relations with their own certainty and sources."
)
_PROVENANCE = """SELECT ?r ?source ?sourceLabel ?certainty WHERE {{
  VALUES ?r {{ {values} }}
  OPTIONAL {{ ?r dct:source ?source
             OPTIONAL {{ ?source rdfs:label|dct:title ?sourceLabel }} }}
  OPTIONAL {{ ?r vnp:certainty/skos:prefLabel ?certainty FILTER(LANG(?certainty) = "en") }}
}}"""
_FACTS = """SELECT ?property ?value ?certainty ?note
       (GROUP_CONCAT(DISTINCT STR(?source); separator=" ") AS ?sources) WHERE {{
  ?fact a vnp:QualifiedFact ; rdf:subject <{uri}> ; rdf:predicate ?property ; rdf:object ?value ;
    vnp:certainty/skos:prefLabel ?certainty ; dct:source ?source FILTER(LANG(?certainty) = "en")
  OPTIONAL {{ ?fact skos:editorialNote ?note }}
}} GROUP BY ?property ?value ?certainty ?note LIMIT {limit}"""
_RELATIONS = """SELECT ?direction ?type ?other ?certainty ?note
       (GROUP_CONCAT(DISTINCT STR(?source); separator=" ") AS ?sources) WHERE {{
  {{ ?relation vnp:fromResource <{uri}> ; vnp:toResource ?other BIND("outgoing" AS ?direction) }}
  UNION {{ ?relation vnp:toResource <{uri}> ; vnp:fromResource ?other
           BIND("incoming" AS ?direction) }}
  ?relation a vnp:DocumentRelation ; vnp:relationType/skos:prefLabel ?type ; dct:source ?source ;
    vnp:certainty/skos:prefLabel ?certainty
  FILTER(LANG(?type) = "en" && LANG(?certainty) = "en")
  OPTIONAL {{ ?relation skos:editorialNote ?note }}
}} GROUP BY ?direction ?type ?other ?certainty ?note
ORDER BY ?direction ?type ?other LIMIT {limit}"""


class Reader:
    """What the tools read, over HTTP from one vnpolicy server."""

    def __init__(self, server: str, client: httpx.Client | None = None) -> None:
        self.server = server.rstrip("/") + "/"
        self.http = client or httpx.Client(base_url=self.server, timeout=60.0)

    def _checked(self, response: httpx.Response) -> httpx.Response:
        if response.status_code >= 400:
            raise ToolError(response.text.strip() or f"{response.status_code} from the server")
        return response

    def select(self, query: str) -> dict[str, Any]:
        """SPARQL JSON results of a query run by the server's /sparql, under its limits."""
        answer = self.http.post(
            "sparql",
            data={"query": query},
            headers={"Accept": "application/sparql-results+json"},
        )
        result: dict[str, Any] = self._checked(answer).json()
        return result

    def catalogue(self) -> list[dict[str, Any]]:
        queries: list[dict[str, Any]] = self._checked(self.http.get("api/queries")).json()[
            "queries"
        ]
        return queries

    def catalogue_query(self, name: str, parameters: dict[str, str]) -> dict[str, Any]:
        if not re.fullmatch(r"[0-9A-Za-z-]+", name):
            raise ToolError(f"{name!r} is not the name of a catalogue query (see list_queries)")
        answer = self.http.get(f"api/queries/{name}", params={**parameters, "format": "json"})
        result: dict[str, Any] = self._checked(answer).json()
        return result

    def search(self, text: str, page: int) -> dict[str, Any]:
        """The server's full-text search (``/search``), one page of results."""
        answer = self.http.get("search", params={"q": text, "page": page, "format": "json"})
        result: dict[str, Any] = self._checked(answer).json()
        return result

    def provenance(self, rows: list[dict[str, Any]]) -> dict[str, Any]:
        """The sources and certainty of every resource the rows name (at most
        ``MAX_PROVENANCE``)."""
        named = list(dict.fromkeys(
            term["value"] for row in rows for term in row.values() if term.get("type") == "uri"
        ))  # fmt: skip
        described: dict[str, dict[str, Any]] = {}
        if named:
            values = " ".join(f"<{iri}>" for iri in named[:MAX_PROVENANCE] if _IRI.match(iri))
            for row in self.select(_PROVENANCE.format(values=values))["results"]["bindings"]:
                entry = described.setdefault(row["r"]["value"], {"sources": [], "certainty": None})
                if "source" in row:
                    source = {"uri": row["source"]["value"]}
                    if "sourceLabel" in row:
                        source["label"] = row["sourceLabel"]["value"]
                    if source not in entry["sources"]:
                        entry["sources"].append(source)
                if "certainty" in row:
                    entry["certainty"] = row["certainty"]["value"]
        return {
            "resources": described,
            "not_listed": max(0, len(named) - MAX_PROVENANCE),
            "note": _SETTLED,
        }


def _rows(results: dict[str, Any]) -> list[dict[str, str]]:
    return [
        {name: term["value"] for name, term in row.items()}
        for row in results["results"]["bindings"]
    ]


def _answer(reader: Reader, results: dict[str, Any]) -> dict[str, Any]:
    if "boolean" in results:
        return {"boolean": results["boolean"], "provenance": reader.provenance([])}
    bindings = results["results"]["bindings"]
    return {
        "variables": results["head"]["vars"],
        "rows": _rows(results),
        "provenance": reader.provenance(bindings),
    }


def _resource(reader: Reader, uri: str) -> str:
    """A URI of the data, from a URI or a path on the server (``/eli/vn/tw/nq/2024/57``)."""
    if uri.startswith("/"):
        uri = "https://w3id.org/vnpolicy" + uri
    if not _IRI.match(uri):
        raise ToolError(f"{uri[:120]!r} is not an IRI (http:// or https://, no spaces or <>)")
    return uri


def create_server(reader: Reader) -> MCPServer:
    """The MCP server and its read-only tools."""
    server = MCPServer(
        "vnpolicy",
        instructions=(
            "Vietnam's policy on science, technology, innovation and digital transformation "
            "(Resolution 57-NQ/TW and the documents around it) as a linked-data graph. Every "
            "answer carries the sources and certainty of what it states: cite them."
        ),
    )

    @server.tool(description="The research queries, with their parameters and allowed values.")
    def list_queries() -> dict[str, Any]:
        queries = reader.catalogue()
        return {"queries": [
            {"name": q["name"], "title": q["title"], "description": q["description"],
             "parameters": [{"name": p["name"], "type": p["type"], "default": p["default"],
                             "allowed": [v["key"] for v in p["allowed"] or []] or None}
                            for p in q["parameters"]]}
            for q in queries
        ]}  # fmt: skip

    @server.tool(
        description="Run a research query of the catalogue with parameters (e.g. name "
        "'04-targets-2030', parameters {'year': '2045'}); rows with sources and certainty."
    )
    def run_query(name: str, parameters: dict[str, str] | None = None) -> dict[str, Any]:
        return {"query": name, **_answer(reader, reader.catalogue_query(name, parameters or {}))}

    @server.tool(
        description="Run a SPARQL 1.1 SELECT or ASK query (the project's prefixes vnp:, eli:, "
        "dct:, skos:… predeclared) under the server's time, row and byte limits; rows with the "
        "sources and certainty of every resource they name."
    )
    def sparql(query: str) -> dict[str, Any]:
        return _answer(reader, reader.select(query))

    @server.tool(
        description="Search the graph's documents, provisions, targets, people and terms in "
        "Vietnamese or English, with or without diacritics (e.g. 'du lieu', 'Nghi quyet 57', "
        "'4324/BGDDT-CNTT'); ranked results with snippets, and the sources and certainty of each."
    )
    def search(text: str, page: int = 1) -> dict[str, Any]:
        found = reader.search(text, page)
        results = [
            {
                "uri": result["uri"],
                "label": result["label"],
                "kind": result["kind"],
                "number": result["number"],
                "snippet": "".join(part["text"] for part in result["snippet"]),
                "page": result["url"],
            }
            for result in found["results"]
        ]
        named = [{"r": {"type": "uri", "value": result["uri"]}} for result in results]
        return {
            "query": text,
            "total": found["total"],
            "page": found["page"],
            "pages": found["pages"],
            "results": results,
            "provenance": reader.provenance(named),
        }

    @server.tool(
        description="Describe one resource (a document, provision, target…) by its URI or "
        "path: its statements, its sources and certainty, its qualified facts and relations."
    )
    def describe(uri: str) -> dict[str, Any]:
        iri = _resource(reader, uri)
        statements = reader.select(
            f"SELECT ?property ?value WHERE {{ <{iri}> ?property ?value }} LIMIT {MAX_STATEMENTS}"
        )
        if not statements["results"]["bindings"]:
            raise ToolError(f"The graph says nothing about <{iri}>")
        own = reader.provenance([{"r": {"type": "uri", "value": iri}}])
        facts = reader.select(_FACTS.format(uri=iri, limit=MAX_STATEMENTS))
        relations = reader.select(_RELATIONS.format(uri=iri, limit=MAX_STATEMENTS))
        mine = own["resources"].get(iri, {"sources": [], "certainty": None})
        return {
            "uri": iri,
            "page": reader.server + iri.removeprefix("https://w3id.org/vnpolicy/"),
            "sources": mine["sources"],
            "certainty": mine["certainty"],
            "statements": _rows(statements),
            "qualified_facts": _rows(facts),
            "relations": _rows(relations),
            "note": _SETTLED,
        }

    return server
