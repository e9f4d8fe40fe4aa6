"""``vnpolicy mcp``: the graph for AI assistants, over the Model Context Protocol."""

import click


@click.command("mcp")
@click.option(
    "--server",
    "server_url",
    default="http://127.0.0.1:8000/",
    show_default=True,
    metavar="URL",
    help="The vnpolicy server to read from (every tool asks its HTTP API, under its limits).",
)
@click.option(
    "--transport",
    type=click.Choice(["stdio", "http"]),
    default="stdio",
    show_default=True,
    help="stdio for an assistant that starts the command; http to serve streamable HTTP.",
)
@click.option(
    "--port",
    default=8001,
    show_default=True,
    metavar="PORT",
    help="TCP port, with --transport http.",
)
def mcp_command(server_url: str, transport: str, port: int) -> None:
    """Serve the graph to AI assistants over the Model Context Protocol (read-only).

    Tools: list_queries, run_query (a research query with parameters), sparql (SELECT or ASK
    under the server's limits) and describe (a resource); every answer carries the sources and
    the certainty of what it states. Start 'vnpolicy serve' first; an assistant then starts
    'vnpolicy mcp' itself (stdio), or it serves http://127.0.0.1:8001/mcp (--transport http).

    \b
    Examples:
      vnpolicy mcp
      vnpolicy mcp --server http://127.0.0.1:8000/ --transport http --port 8001
    """
    from vnpolicy.server.assistants import Reader, create_server

    server = create_server(Reader(server_url))
    if transport == "stdio":
        server.run("stdio")
    else:
        server.run("streamable-http", host="127.0.0.1", port=port)
