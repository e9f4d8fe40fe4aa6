"""``vnpolicy new-document``: a document's source file from a short form, validated at once."""

import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import click

from vnpolicy.graph.errors import InputError
from vnpolicy.server.cli.options import sources_option
from vnpolicy.server.cli.support import fail, read_settings
from vnpolicy.server.cli.support import run as _run

if TYPE_CHECKING:
    from vnpolicy.graph.build.dataset import Dataset


@click.command("new-document")
@click.argument("form", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Validate and print the source file; write nothing.")
@sources_option
def new_document_command(form: Path, dry_run: bool, sources: Path | None) -> None:
    """Write a document's source file from the short form FORM, validated at once.

    FORM is YAML: number (or key), type, issuer, date, title, relations, and the sources, each
    with its key, url, kind and the quote that supports the record (docs/decisions/0021). The
    file gets every source's quote on its date and its relations (evidence: quoted), and the
    sources the registry lacks are added to it. The corpus is built and validated with the new
    file first: a form that does not conform writes nothing (exit 1). Prints what `identify`
    makes of every number the form names.

    \b
    Example:
      vnpolicy new-document plan-344.yaml --dry-run
    """
    from vnpolicy.graph.build.dataset import build_dataset
    from vnpolicy.graph.build.new_document import compose
    from vnpolicy.graph.build.source_format import Origin, load_yaml
    from vnpolicy.graph.validate.document_validation import validate_dataset
    from vnpolicy.graph.validate.report import format_report

    settings = read_settings(sources=sources)
    registry = settings.sources / "registry.yaml"
    entries = _run(lambda: load_yaml(registry.read_text(encoding="utf-8"), Origin(registry, 1)))
    registered = {
        str(key): str(entry.get("url", "")) for key, entry in (entries.get("sources") or {}).items()
    }
    new = _run(lambda: compose(form, registered))
    target = settings.sources / "documents" / new.file_name
    if target.exists():
        fail(f"{target} exists: name the file with 'file:' in the form", 2)
    registry_text = registry.read_text(encoding="utf-8").rstrip("\n") + "\n"
    if new.registry_lines:
        registry_text += "\n".join(new.registry_lines) + "\n"
    with tempfile.TemporaryDirectory(prefix="vnpolicy-new-document-") as scratch:
        trial = Path(scratch)
        shutil.copytree(settings.sources / "documents", trial / "documents")
        (trial / "documents" / new.file_name).write_text(new.text, encoding="utf-8")
        (trial / "registry.yaml").write_text(registry_text, encoding="utf-8")
        dataset = _run(
            lambda: build_dataset(trial / "documents", trial / "registry.yaml", base=settings.base)
        )
        report = _run(lambda: validate_dataset(dataset))
        if not report.conforms:
            origins = {str(uri): str(where) for uri, where in dataset.context.origins.items()}
            click.echo(format_report(report, origins=origins), nl=False)
            click.echo("Nothing written: fix the form above and try again.", err=True)
            sys.exit(1)
        for number in new.numbers:
            click.echo(_identified(number, dataset))
    if dry_run:
        click.echo(new.text, nl=False)
        return
    target.write_text(new.text, encoding="utf-8")
    registry.write_text(registry_text, encoding="utf-8")
    click.echo(f"Wrote {target} ({len(new.registry_lines)} new source(s) in {registry.name}).")


def _identified(number: str, dataset: "Dataset") -> str:
    from vnpolicy.graph.read.identify import identify

    try:
        answer = identify(number, dataset.context.index, dataset.context.vocabulary, dataset.minter)
    except ValueError as error:
        raise InputError(str(error)) from error
    status = "known" if answer.known else ("new" if answer.uri else "ambiguous")
    return f"{number}\t{answer.number or '-'}\t{answer.uri or '-'}\t{status}"
