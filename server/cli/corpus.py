"""The commands on the corpus built from the sources: ``build``, ``validate``, ``stats`` and
``identify``."""

import dataclasses
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from vnpolicy.graph.errors import InputError
from vnpolicy.server.cli.options import (
    examples_option,
    files_argument,
    out_option,
    setting_option,
    sources_option,
)
from vnpolicy.server.cli.support import read_settings
from vnpolicy.server.cli.support import run as _run
from vnpolicy.server.settings import Settings

# rdflib, pyshacl and the build are imported inside the commands that use them: `vnpolicy serve`
# must answer within 3 s of a fresh start, and builds in a forked child while it loads the web
# stack; importing them here first would serialise the two.
if TYPE_CHECKING:
    from vnpolicy.graph.build.dataset import Dataset
    from vnpolicy.graph.read.identify import Identified
    from vnpolicy.graph.validate.validation import ValidationReport


@click.command("build")
@out_option(
    "Folder for the dumps, replaced as a whole on success; a relative DIR is in the current folder."
)
@setting_option("base", metavar="URL", help="Base URI of every minted URI (http(s), ending in /).")
@sources_option
@examples_option
def build_command(out: Path | None, base: str | None, sources: Path | None, examples: int) -> None:
    """Build the corpus from the sources, validate it, write the dumps.

    Reads every documents/*.md source, builds one named graph per document plus the model graph
    and an entailments graph, validates the documents with the shapes, and writes vnpolicy.trig
    and vnpolicy.nq (the whole dataset), documents/*.ttl and *.jsonld (one per document), the
    search index search.sqlite and manifest.json to the out folder. A source that does not
    conform stops the build with the report, each focus node followed by the file:line it was
    written at, and nothing is written (exit 1). Prints the pillar tags per pillar (asserted /
    derived), the derived tags' precision, recall and F1 per pillar against the editors' gold
    set (pillars-gold.yaml in the sources, when there is one) and a warning, with file and line,
    for each mention that matches no known document. The same sources give the same bytes.
    A build whose data differs from the newest release's is kept as a new release in
    out/releases/ (its dumps and what changed; VNPOLICY_RELEASES_KEPT).

    \b
    Examples:
      vnpolicy build
      vnpolicy build --out public --base https://example.org/policy/
    """
    from vnpolicy.graph.build.inputs import inputs_digest
    from vnpolicy.graph.build.pillar_gold import GOLD_FILE, load_gold, score_table, score_tagger
    from vnpolicy.graph.output.dumps import write_dataset
    from vnpolicy.graph.validate.report import format_report

    settings = read_settings(out=out, base=base, sources=sources)
    dataset = _run(lambda: build_corpus(settings))
    report = _run(lambda: _validate_dataset(dataset))
    _print_warnings(dataset)
    if not report.conforms:
        click.echo(format_report(report, examples=examples, origins=_origins(dataset)), nl=False)
        click.echo("Nothing written: fix the sources above and build again.", err=True)
        sys.exit(1)
    digest = inputs_digest(settings.base, settings.sources)
    files = _run(
        lambda: write_dataset(
            dataset, settings.out, inputs=digest, releases_kept=settings.releases_kept
        )
    )
    tags = dataset.tags
    quads = sum(len(graph) for _, graph in dataset.named_graphs())
    click.echo(
        f"Built {len(dataset.documents)} documents, {quads} quads in "
        f"{len(dataset.documents) + 2} named graphs; conforms."
    )
    click.echo(f"Pillar tags on {tags.provisions} provisions (asserted / derived):")
    for pillar in sorted(set(tags.asserted) | set(tags.derived)):
        click.echo(f"  {pillar:22} {tags.asserted[pillar]:4} / {tags.derived[pillar]:4}")
    gold_path = settings.sources / GOLD_FILE
    if gold_path.is_file():
        gold = _run(lambda: load_gold(gold_path))
        scores = _run(lambda: score_tagger(dataset.asserted(), gold, settings.base))
        click.echo(f"Derived pillar tags against the editors' gold set ({len(gold)} provisions):")
        for line in score_table(scores):
            click.echo(line)
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
    the file:line each focus node was written at). FILES are .ttl, .trig, .nt, .nq or .n3:
    formats that cannot fetch anything. Exit 0: conforms; 1: violations; 2: unusable input (the
    message names file and line); 3: the shipped model is broken.
    """
    from vnpolicy.graph.rdf_files import read_files
    from vnpolicy.graph.validate.report import format_report
    from vnpolicy.graph.validate.validation import validate

    settings = read_settings(sources=sources)
    origins = None
    if files:
        report = _run(lambda: validate(read_files(files)))
    else:
        dataset = _run(lambda: build_corpus(settings))
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
        dataset = _run(lambda: build_corpus(settings))
        data, model = dataset.asserted(), dataset.model
    stats = _run(lambda: compute_stats(data, model))
    if as_json:
        click.echo(json.dumps(dataclasses.asdict(stats), ensure_ascii=False, indent=2))
    else:
        click.echo(format_stats(stats), nl=False)


@click.command("identify")
@click.argument("texts", nargs=-1, required=True, metavar="TEXT...")
@click.option("--json", "as_json", is_flag=True, help="Print the answers as JSON.")
@sources_option
def identify_command(texts: tuple[str, ...], as_json: bool, sources: Path | None) -> None:
    """Read each TEXT as a document's number and print its URI.

    TEXT is a number as people write it (03-NQ/CP, 4324/BGDDT-CNTT, 30/TT-BGDĐT) or a phrase
    ("Decree 100", "Resolution 57-NQ/TW of 2024", "Nghi quyet 57"). Prints the official number,
    the corrections made to read it, and the document's URI: its own if the corpus knows it,
    else the URI a new source file would get, when the number, type word and year leave only
    one.

    \b
    Example:
      vnpolicy identify 03-NQ/CP "Decree 100" --json
    """
    settings = read_settings(sources=sources)
    dataset = _run(lambda: build_corpus(settings))
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


def build_corpus(settings: Settings) -> "Dataset":
    """The corpus built from the sources the settings name, under their base."""
    from vnpolicy.graph.build.dataset import build_dataset

    sources = settings.sources
    return build_dataset(sources / "documents", sources / "registry.yaml", base=settings.base)


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
