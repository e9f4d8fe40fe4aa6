"""The commands that read the dataset in the embedded store: ``query`` and ``export``."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from vnpolicy.server.cli.corpus import build_corpus
from vnpolicy.server.cli.options import FILE, data_option, sources_option
from vnpolicy.server.cli.support import read_settings
from vnpolicy.server.cli.support import run as _run
from vnpolicy.server.settings import Settings

# rdflib, pyshacl and the build are imported inside the commands that use them: `vnpolicy serve`
# must answer within 3 s of a fresh start, and builds in a forked child while it loads the web
# stack; importing them here first would serialise the two.
if TYPE_CHECKING:
    from pyoxigraph import Store


@click.command("query")
@click.argument("query")
@click.option(
    "--format",
    "output",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="How to print the results.",
)
@data_option
@sources_option
def query_command(query: str, output: str, data: Path | None, sources: Path | None) -> None:
    """Run a SELECT or ASK query on the dataset and print the results.

    QUERY is a .rq file or the query text itself. The dataset is the corpus built in memory
    from the sources, or a dump with --data, in the embedded store. The default graph is the
    union of all named graphs; the project's prefixes (vnp:, eli:, dct:, skos:, ...) are
    predeclared.

    \b
    Examples:
      vnpolicy query graph/queries/01-viewpoints-side-by-side.rq
      vnpolicy query 'SELECT ?d WHERE { ?d a vnp:Document } LIMIT 5' --format csv
      vnpolicy query graph/queries/04-targets-2030.rq --data out/vnpolicy.nq
    """
    from vnpolicy.graph.read.query import format_table, run_select

    settings = read_settings(sources=sources)
    path = Path(query)
    text = path.read_text(encoding="utf-8") if path.suffix == ".rq" and path.is_file() else query
    store = _run(lambda: _dataset_store(data, settings))
    table = _run(lambda: run_select(store, text))
    click.echo(format_table(table, output), nl=False)


@click.command("export")
@click.option(
    "--view",
    "view_name",
    default="documents",
    show_default=True,
    help="documents, policy-map or full (ignored with --query).",
)
@click.option(
    "--format",
    "format_name",
    default="graphml",
    show_default=True,
    help="graphml, gexf, cytoscape, d3, dot, nodes-csv or edges-csv.",
)
@click.option(
    "--lang",
    "language",
    type=click.Choice(["en", "vi"]),
    default="en",
    show_default=True,
    help="Language of labels (the other one when missing).",
)
@click.option(
    "--query",
    "query_file",
    type=FILE,
    default=None,
    metavar="FILE.rq",
    help="A CONSTRUCT query whose graph becomes the network, instead of a view.",
)
@click.option("--compound", is_flag=True, help="Cytoscape: nodes of one pillar in a parent node.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE",
    help="File to write; default: standard output.",
)
@data_option
@sources_option
def export_command(
    view_name: str,
    format_name: str,
    language: str,
    query_file: Path | None,
    compound: bool,
    output: Path | None,
    data: Path | None,
    sources: Path | None,
) -> None:
    """Export a view of the graph as a network file.

    For Gephi, Cytoscape, yEd, D3 or Graphviz. A view says what the nodes and edges are:
    documents (the documents and the relations between them), policy-map (Resolution 57-NQ/TW's
    provisions, their pillars and what implements them) or full (every resource and link);
    --query makes a custom view of a CONSTRUCT query's graph. Nodes carry labels, types and
    metrics (degree, PageRank, betweenness, community). Prints the node and edge counts and the
    time taken.

    \b
    Examples:
      vnpolicy export --view documents --format gexf --lang vi -o documents.gexf
      vnpolicy export --query my-view.rq --format cytoscape -o my-view.cyjs
    """
    from vnpolicy.graph.network.export import construct_network, export_network, export_view

    settings = read_settings(sources=sources)
    store = _run(lambda: _dataset_store(data, settings))
    if query_file is not None:
        text = query_file.read_text(encoding="utf-8")
        network = _run(lambda: construct_network(store, text))
        result = _run(lambda: export_network(network, format_name, language, compound))
    else:
        result = _run(lambda: export_view(store, view_name, format_name, language, compound))
    if output is None:
        sys.stdout.buffer.write(result.body)
    else:
        output.write_bytes(result.body)
    click.echo(f"{result.nodes} nodes, {result.edges} edges in {result.seconds:.2f} s", err=True)


def _dataset_store(data: Path | None, settings: Settings) -> "Store":
    """The dataset in the embedded store: from a dump, or built from the sources."""
    from vnpolicy.graph.read.query import store_from_dataset, store_from_dump

    return store_from_dump(data) if data else store_from_dataset(build_corpus(settings))
