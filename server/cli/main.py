"""The ``vnpolicy`` command line: each command parses its arguments and calls one library function.

Exit codes: 0 success; 1 the data does not conform (or a ``serve --get`` request failed); 2
unusable input (a file that does not parse, a bad option or setting); 3 the project's own model
or shapes are broken.
"""

import dataclasses
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from vnpolicy.graph.errors import InputError
from vnpolicy.server.cli.options import (
    FILE,
    data_option,
    examples_option,
    files_argument,
    out_option,
    setting_option,
    sources_option,
)
from vnpolicy.server.cli.serve import publish_command, serve_command
from vnpolicy.server.cli.support import read_settings
from vnpolicy.server.cli.support import run as _run
from vnpolicy.server.settings import Settings, check_environment, describe

# rdflib, pyshacl and the build are imported inside the commands that use them: `vnpolicy serve`
# must answer within 3 s of a fresh start, and builds in a forked child while it loads the web
# stack; importing them here first would serialise the two.
if TYPE_CHECKING:
    from pyoxigraph import Store

    from vnpolicy.graph.build.dataset import Dataset
    from vnpolicy.graph.read.identify import Identified
    from vnpolicy.graph.validate.validation import ValidationReport


class _Commands(click.Group):
    """Lists its commands in the order they were added (the order of the README), not sorted."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="vnpolicy")
def main() -> None:
    """Vietnam's policy on science, technology, innovation and digital transformation
    (Resolution 57-NQ/TW and the documents around it) as a validated linked-data graph.

    \b
    Start with:
      vnpolicy serve           serve the corpus at http://127.0.0.1:8000/
      vnpolicy build           build and validate the corpus, write out/
      vnpolicy COMMAND --help  a command's options and their defaults

    Settings come from VNPOLICY_* environment variables ('vnpolicy settings' lists them); a
    command's options override them, and a VNPOLICY_* variable that is not a setting stops
    every command that reads them. Exit codes: 0 success; 1 the data does not conform, or a
    'serve --get' request failed; 2 unusable input (a file that does not parse, a bad option
    or setting); 3 vnpolicy's own model or shapes are broken.
    """


@click.command("build")
@out_option(
    "Folder for the dumps, replaced as a whole on success; a relative DIR is in the current folder."
)
@setting_option("base", metavar="URL", help="Base URI of every minted URI (http(s), ending in /).")
@sources_option
@examples_option
def build_command(out: Path | None, base: str | None, sources: Path | None, examples: int) -> None:
    """Build the corpus from the sources, validate it, write the dumps.

    Reads every documents/*.md source, builds one named graph per document plus the model
    graph and an entailments graph, validates the documents with the shapes, and writes
    vnpolicy.trig and vnpolicy.nq (the whole dataset), documents/*.ttl and *.jsonld (one per
    document) and manifest.json to the out folder. A source that does not conform stops the
    build with the report, each focus node followed by the file:line it was written at, and
    nothing is written (exit 1). Prints the pillar tags per pillar (asserted / derived) and a
    warning, with file and line, for each mention that matches no known document. The same
    sources give the same bytes.

    \b
    Examples:
      vnpolicy build
      vnpolicy build --out public --base https://example.org/policy/
    """
    from vnpolicy.graph.build.inputs import inputs_digest
    from vnpolicy.graph.output.dumps import write_dataset
    from vnpolicy.graph.validate.report import format_report

    settings = read_settings(out=out, base=base, sources=sources)
    dataset = _run(lambda: _corpus(settings))
    report = _run(lambda: _validate_dataset(dataset))
    _print_warnings(dataset)
    if not report.conforms:
        click.echo(format_report(report, examples=examples, origins=_origins(dataset)), nl=False)
        click.echo("Nothing written: fix the sources above and build again.", err=True)
        sys.exit(1)
    digest = inputs_digest(settings.base, settings.sources)
    files = _run(lambda: write_dataset(dataset, settings.out, inputs=digest))
    tags = dataset.tags
    quads = sum(len(graph) for _, graph in dataset.named_graphs())
    click.echo(
        f"Built {len(dataset.documents)} documents, {quads} quads in "
        f"{len(dataset.documents) + 2} named graphs; conforms."
    )
    click.echo(f"Pillar tags on {tags.provisions} provisions (asserted / derived):")
    for pillar in sorted(set(tags.asserted) | set(tags.derived)):
        click.echo(f"  {pillar:22} {tags.asserted[pillar]:4} / {tags.derived[pillar]:4}")
    click.echo(f"Wrote {len(files)} files to {_shown(settings.out)}/")


@click.command("validate")
@files_argument
@examples_option
@click.option("--json", "as_json", is_flag=True, help="Print every violation as JSON.")
@sources_option
def validate_command(
    files: tuple[Path, ...], examples: int, as_json: bool, sources: Path | None
) -> None:
    """Validate FILES, or the corpus, against the shapes.

    With no FILES the corpus built from the sources is validated. The ontology and vocabularies
    are always validated too, with pyshacl and the shapes checked by SHACL-for-SHACL. Prints the
    violations grouped by rule and counted, with focus node, path and value (and for the corpus
    the file:line each focus node was written at). FILES are .ttl, .trig, .nt or .nq: formats
    that cannot fetch anything. Exit 0: conforms; 1: violations; 2: unusable input (the message
    names file and line); 3: the shipped model is broken.
    """
    from vnpolicy.graph.rdf_files import read_files
    from vnpolicy.graph.validate.report import format_report
    from vnpolicy.graph.validate.validation import validate

    settings = read_settings(sources=sources)
    origins = None
    if files:
        report = _run(lambda: validate(read_files(files)))
    else:
        dataset = _run(lambda: _corpus(settings))
        _print_warnings(dataset)
        report = _run(lambda: _validate_dataset(dataset))
        origins = _origins(dataset)
    if as_json:
        click.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(report, examples=examples, origins=origins), nl=False)
    sys.exit(0 if report.conforms else 1)


@click.command("stats")
@files_argument
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@sources_option
def stats_command(files: tuple[Path, ...], as_json: bool, sources: Path | None) -> None:
    """Count what FILES, or the corpus, hold.

    With no FILES the corpus built from the sources is counted: resources by class, documents by
    type, provisions by kind, texts by language, targets by year and certainty, relations by
    type and certainty, classifications, qualified facts, sources and source errors, counted
    with SPARQL on the embedded store.
    """
    from vnpolicy.graph.model import load_model
    from vnpolicy.graph.rdf_files import read_files
    from vnpolicy.graph.read.stats import compute_stats, format_stats

    settings = read_settings(sources=sources)
    if files:
        data = _run(lambda: read_files(files))
        model = _run(load_model)
    else:
        dataset = _run(lambda: _corpus(settings))
        data, model = dataset.asserted(), dataset.model
    stats = _run(lambda: compute_stats(data, model))
    if as_json:
        click.echo(json.dumps(dataclasses.asdict(stats), ensure_ascii=False, indent=2))
    else:
        click.echo(format_stats(stats), nl=False)


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


@click.command("identify")
@click.argument("texts", nargs=-1, required=True, metavar="TEXT...")
@click.option("--json", "as_json", is_flag=True, help="Print the answers as JSON.")
@sources_option
def identify_command(texts: tuple[str, ...], as_json: bool, sources: Path | None) -> None:
    """Read each TEXT as a document's number and print its URI.

    TEXT is a number as people write it (03-NQ/CP, 4324/BGDDT-CNTT, 30/TT-BGDĐT) or a phrase
    ("Decree 100", "Resolution 57-NQ/TW of 2024"). Prints the official number, the
    corrections made to read it, and the document's URI: its own if the corpus knows it, else
    the URI a new source file would get, when the number, type word and year leave only one.

    \b
    Example:
      vnpolicy identify 03-NQ/CP "Decree 100" --json
    """
    settings = read_settings(sources=sources)
    dataset = _run(lambda: _corpus(settings))
    answers = [
        _run(lambda text=text: _identify(text, dataset))  # type: ignore[misc]
        for text in texts
    ]
    if as_json:
        click.echo(
            json.dumps([dataclasses.asdict(a) for a in answers], ensure_ascii=False, indent=2)
        )
        return
    for answer in answers:
        status = "known" if answer.known else ("new" if answer.uri else "ambiguous")
        click.echo(f"{answer.text}\t{answer.number or '-'}\t{answer.uri or '-'}\t{status}")
        for correction in answer.corrections:
            click.echo(f"    corrected: {correction}")


def _identify(text: str, dataset: "Dataset") -> "Identified":
    from vnpolicy.graph.read.identify import identify

    try:
        return identify(text, dataset.context.index, dataset.context.vocabulary, dataset.minter)
    except ValueError as error:
        raise InputError(str(error)) from error


@click.command("settings")
def settings_command() -> None:
    """List every setting: its variable, default and meaning.

    Settings are read from the environment by every command that uses them; a command's
    options override them. A VNPOLICY_* variable that is not a setting stops those commands
    (exit 2); here it is named as a warning.
    """
    for variable, default, meaning in describe():
        click.echo(f"{variable:26} {default:28} {meaning}")
    try:
        check_environment()
    except InputError as error:
        for line in str(error).splitlines():
            click.echo(f"warning: {line}", err=True)


def _corpus(settings: Settings) -> "Dataset":
    """The corpus built from the sources the settings name, under their base."""
    from vnpolicy.graph.build.dataset import build_dataset

    sources = settings.sources
    return build_dataset(sources / "documents", sources / "registry.yaml", base=settings.base)


def _dataset_store(data: Path | None, settings: Settings) -> "Store":
    """The dataset in the embedded store: from a dump, or built from the sources."""
    from vnpolicy.graph.read.query import store_from_dataset, store_from_dump

    return store_from_dump(data) if data else store_from_dataset(_corpus(settings))


def _validate_dataset(dataset: "Dataset") -> "ValidationReport":
    from vnpolicy.graph.validate.document_validation import validate_dataset

    return validate_dataset(dataset)


def _origins(dataset: "Dataset") -> dict[str, str]:
    return {str(uri): str(where) for uri, where in dataset.context.origins.items()}


def _print_warnings(dataset: "Dataset") -> None:
    for warning in dataset.context.warnings:
        click.echo(f"warning: {warning}", err=True)


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


for _command in (
    serve_command,
    publish_command,
    build_command,
    validate_command,
    query_command,
    export_command,
    identify_command,
    stats_command,
    settings_command,
):
    main.add_command(_command)

__all__ = ["main"]
