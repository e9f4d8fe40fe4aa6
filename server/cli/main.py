"""The ``vnpolicy`` command line: each command parses its arguments and calls one library function.

Exit codes: 0 success; 1 the data does not conform; 2 unusable input (a file that does not parse,
a bad option); 3 the project's own model or shapes are broken.
"""

import dataclasses
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from vnpolicy.graph.errors import InputError
from vnpolicy.graph.paths import DEFAULT_OUT_DIR, SOURCES_DIR
from vnpolicy.graph.uris import DEFAULT_BASE, check_base
from vnpolicy.server.cli.serve import publish_command, serve_command
from vnpolicy.server.cli.support import run as _run
from vnpolicy.server.settings import describe

# rdflib, pyshacl and the build are imported inside the commands that use them: `vnpolicy serve`
# must answer within 3 s of a fresh start, and builds in a forked child while it loads the web
# stack; importing them here first would serialise the two.
if TYPE_CHECKING:
    from pyoxigraph import Store

    from vnpolicy.graph.build.dataset import Dataset
    from vnpolicy.graph.read.identify import Identified
    from vnpolicy.graph.validate.validation import ValidationReport

_SOURCES = click.option(
    "--sources",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=SOURCES_DIR,
    show_default=True,
    help="Folder with documents/*.md and registry.yaml.",
)
_DATA = click.option(
    "--data",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="A dump from 'vnpolicy build' (.nq or .trig); default: build from graph/sources.",
)
_FILES = click.argument(
    "files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="vnpolicy")
def main() -> None:
    """vnpolicy: Vietnam's science, technology, innovation and digital-transformation policy
    as a validated linked-data graph."""


@main.command("build")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_OUT_DIR,
    show_default=True,
    help="Folder for the dumps (replaced as a whole on success).",
)
@click.option("--base", default=DEFAULT_BASE, show_default=True, help="Base URI of minted URIs.")
@_SOURCES
@click.option("--examples", default=5, show_default=True, help="Focus nodes shown per rule.")
def build_command(out_dir: Path, base: str, sources: Path, examples: int) -> None:
    """Build the dataset from graph/sources, validate it, and write the dumps.

    Writes vnpolicy.trig and vnpolicy.nq (the whole dataset), documents/*.ttl and *.jsonld (one
    per document) and manifest.json. Nothing is written unless the dataset conforms.
    """
    from vnpolicy.graph.build.dataset import build_dataset
    from vnpolicy.graph.build.inputs import inputs_digest
    from vnpolicy.graph.output.dumps import write_dataset
    from vnpolicy.graph.validate.report import format_report

    dataset = _run(
        lambda: build_dataset(
            sources / "documents", sources / "registry.yaml", base=_run(lambda: _check_base(base))
        )
    )
    report = _run(lambda: _validate_dataset(dataset))
    _print_warnings(dataset)
    if not report.conforms:
        click.echo(format_report(report, examples=examples, origins=_origins(dataset)), nl=False)
        click.echo("Nothing written: fix the sources above and build again.", err=True)
        sys.exit(1)
    digest = inputs_digest(base, sources)
    files = _run(lambda: write_dataset(dataset, out_dir, inputs=digest))
    tags = dataset.tags
    quads = sum(len(graph) for _, graph in dataset.named_graphs())
    click.echo(
        f"Built {len(dataset.documents)} documents, {quads} quads in "
        f"{len(dataset.documents) + 2} named graphs; conforms."
    )
    click.echo(f"Pillar tags on {tags.provisions} provisions (asserted / derived):")
    for pillar in sorted(set(tags.asserted) | set(tags.derived)):
        click.echo(f"  {pillar:22} {tags.asserted[pillar]:4} / {tags.derived[pillar]:4}")
    click.echo(f"Wrote {len(files)} files to {_shown(out_dir)}/")


@main.command("validate")
@_FILES
@click.option("--examples", default=5, show_default=True, help="Focus nodes shown per rule.")
@click.option("--json", "as_json", is_flag=True, help="Print the violations as JSON.")
@_SOURCES
def validate_command(files: tuple[Path, ...], examples: int, as_json: bool, sources: Path) -> None:
    """Validate FILES, or with none the corpus built from graph/sources, against the shapes.

    The ontology and vocabularies are always checked too. Accepted file types:
    .ttl, .trig, .nt, .nq.
    """
    from vnpolicy.graph.build.dataset import build_dataset
    from vnpolicy.graph.rdf_files import read_files
    from vnpolicy.graph.validate.report import format_report
    from vnpolicy.graph.validate.validation import validate

    origins = None
    if files:
        report = _run(lambda: validate(read_files(files)))
    else:
        dataset = _run(lambda: build_dataset(sources / "documents", sources / "registry.yaml"))
        _print_warnings(dataset)
        report = _run(lambda: _validate_dataset(dataset))
        origins = _origins(dataset)
    if as_json:
        click.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(report, examples=examples, origins=origins), nl=False)
    sys.exit(0 if report.conforms else 1)


@main.command("stats")
@_FILES
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
def stats_command(files: tuple[Path, ...], as_json: bool) -> None:
    """Count what FILES (default: the corpus built from graph/sources) hold."""
    from vnpolicy.graph.build.dataset import build_dataset
    from vnpolicy.graph.model import load_model
    from vnpolicy.graph.rdf_files import read_files
    from vnpolicy.graph.read.stats import compute_stats, format_stats

    if files:
        data = _run(lambda: read_files(files))
        model = _run(load_model)
    else:
        dataset = _run(build_dataset)
        data, model = dataset.asserted(), dataset.model
    stats = _run(lambda: compute_stats(data, model))
    if as_json:
        click.echo(json.dumps(dataclasses.asdict(stats), ensure_ascii=False, indent=2))
    else:
        click.echo(format_stats(stats), nl=False)


@main.command("query")
@click.argument("query")
@click.option(
    "--format",
    "output",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="How to print the results.",
)
@_DATA
def query_command(query: str, output: str, data: Path | None) -> None:
    """Run QUERY (a .rq file or SPARQL text) on the dataset and print the results.

    The default graph is the union of all named graphs; the project's prefixes are predeclared.
    """
    from vnpolicy.graph.read.query import format_table, run_select

    path = Path(query)
    text = path.read_text(encoding="utf-8") if path.suffix == ".rq" and path.is_file() else query
    store = _run(lambda: _dataset_store(data))
    table = _run(lambda: run_select(store, text))
    click.echo(format_table(table, output), nl=False)


@main.command("export")
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
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="A CONSTRUCT query (.rq) whose graph becomes the network.",
)
@click.option("--compound", is_flag=True, help="Cytoscape: nodes of one pillar in a parent node.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write; default: standard output.",
)
@_DATA
def export_command(
    view_name: str,
    format_name: str,
    language: str,
    query_file: Path | None,
    compound: bool,
    output: Path | None,
    data: Path | None,
) -> None:
    """Export a view of the graph as a network for Gephi, Cytoscape, yEd, D3 or Graphviz."""
    from vnpolicy.graph.network.export import construct_network, export_network, export_view

    store = _run(lambda: _dataset_store(data))
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


@main.command("identify")
@click.argument("texts", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print the answers as JSON.")
def identify_command(texts: tuple[str, ...], as_json: bool) -> None:
    """Read each TEXT (a number as written, or a phrase like "Decree 100") as a document.

    Prints the official number, the corrections made to read it, and the document's URI: its own
    if the corpus knows it, else the URI a source file for it would get (when the number, a type
    word and a year leave only one).
    """
    from vnpolicy.graph.build.dataset import build_dataset

    dataset = _run(build_dataset)
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


@main.command("settings")
def settings_command() -> None:
    """List the server's settings: environment variable, default and meaning."""
    for variable, default, meaning in describe():
        click.echo(f"{variable:26} {default:28} {meaning}")


def _dataset_store(data: Path | None) -> "Store":
    """The dataset in the embedded store: from a dump, or built from the sources."""
    from vnpolicy.graph.build.dataset import build_dataset
    from vnpolicy.graph.read.query import store_from_dataset, store_from_dump

    return store_from_dump(data) if data else store_from_dataset(build_dataset())


def _check_base(base: str) -> str:
    try:
        return check_base(base)
    except ValueError as error:
        raise InputError(str(error)) from error


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


main.add_command(serve_command)
main.add_command(publish_command)

__all__ = ["main"]
