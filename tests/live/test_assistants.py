"""``vnpolicy mcp`` driven by the MCP SDK's own client over stdio, against a real server: the
client lists the tools, and each answer carries the sources and certainty of what it states;
the server's limits hold through this door too (issue 22)."""

import shutil
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client

from tests.utils.corpus import R57
from tests.utils.servers import LiveServer, running_server, start_program, stop

pytestmark = pytest.mark.slow
VNPOLICY = shutil.which("vnpolicy") or str(Path(sys.executable).parent / "vnpolicy")


def _session(url: str, work: Callable[[ClientSession], Awaitable[Any]]) -> Any:
    """``work`` done with a client session of ``vnpolicy mcp --server url`` over stdio."""

    async def main() -> Any:
        command = StdioServerParameters(command=VNPOLICY, args=["mcp", "--server", url])
        async with stdio_client(command) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            return await work(session)

    return anyio.run(main)


async def _call(session: ClientSession, tool: str, arguments: dict[str, Any]) -> Any:
    result = await session.call_tool(tool, arguments)
    if result.is_error:
        return {"error": " ".join(getattr(part, "text", "") for part in result.content)}
    return result.structured_content


def test_the_client_lists_the_tools_and_gets_answers_with_sources_and_certainty(
    server: LiveServer,
) -> None:
    async def work(session: ClientSession) -> dict[str, Any]:
        tools = await session.list_tools()
        return {
            "tools": sorted(tool.name for tool in tools.tools),
            "queries": await _call(session, "list_queries", {}),
            "targets": await _call(
                session, "run_query", {"name": "04-targets-2030", "parameters": {"year": "2045"}}
            ),
            "bad": await _call(
                session, "run_query", {"name": "04-targets-2030", "parameters": {"year": "soon"}}
            ),
            "described": await _call(session, "describe", {"uri": R57}),
            "found": await _call(session, "search", {"text": "Nghi quyet 57"}),
            "chain": await _call(
                session,
                "sparql",
                {"query": f"SELECT ?d WHERE {{ ?d eli:implements <{R57}> }} ORDER BY ?d"},
            ),
        }

    answers = _session(server.url, work)
    assert answers["tools"] == ["describe", "list_queries", "run_query", "search", "sparql"]
    # search: typed without diacritics, Resolution 57 first, with its sources
    found = answers["found"]
    assert found["results"][0]["uri"] == R57
    assert found["provenance"]["resources"][R57]["sources"]
    names = [query["name"] for query in answers["queries"]["queries"]]
    assert "04-targets-2030" in names
    # the catalogue query with its parameter, as the HTTP API answers it
    direct = server.http.get("/api/queries/04-targets-2030?year=2045").json()
    targets = answers["targets"]
    assert len(targets["rows"]) == len(direct["results"]["bindings"])
    assert "certainty" in targets["variables"]
    assert {row["certainty"] for row in targets["rows"]} <= {
        "several independent sources", "single source", "uncertain",
    }  # fmt: skip
    assert "year" in answers["bad"]["error"]
    # a description carries the resource's sources and its relations with theirs
    described = answers["described"]
    assert described["uri"] == R57
    assert described["sources"], "Resolution 57 rests on sources"
    assert all(source["uri"].startswith("http") for source in described["sources"])
    assert described["relations"]
    assert all(relation["sources"] and relation["certainty"] for relation in described["relations"])
    # SPARQL rows name resources: each comes with its sources
    chain = answers["chain"]
    implementers = {row["d"] for row in chain["rows"]}
    assert implementers
    assert set(chain["provenance"]["resources"]) == implementers
    for entry in chain["provenance"]["resources"].values():
        assert entry["sources"]


def test_the_limits_hold_through_the_assistants_door(
    built: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("small")
    with running_server(built, folder, {"VNPOLICY_MAX_ROWS": "3"}) as small:

        async def work(session: ClientSession) -> Any:
            return await _call(session, "sparql", {"query": "SELECT * WHERE { ?s ?p ?o }"})

        answer = _session(small.url, work)
    assert "more than 3 results" in answer["error"]


def test_the_http_transport_answers_the_sdk_client(server: LiveServer, tmp_path: Path) -> None:
    """``vnpolicy mcp --transport http``: the same tools over streamable HTTP."""
    program = start_program(
        lambda port: [VNPOLICY, "mcp", "--server", server.url, "--transport", "http",
                      "--port", str(port)],
        tmp_path,
        "/mcp",
        lambda response: response.status_code < 500,
    )  # fmt: skip
    try:

        async def main() -> Any:
            async with (
                streamable_http_client(program.url + "/mcp") as (read, write),
                ClientSession(read, write) as session,
            ):
                await session.initialize()
                return await _call(session, "describe", {"uri": R57})

        described = anyio.run(main)
    finally:
        stop(program.process)
    assert described["uri"] == R57
    assert described["sources"]
