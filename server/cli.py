"""The ``vnpolicy`` command line: each command parses its arguments and calls one library function.

Exit codes: 0 success; 1 the data does not conform; 2 unusable input (a file that does not parse,
a bad option); 3 the project's own model or shapes are broken.
"""

import dataclasses
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn, TypeVar

import click

from graph.errors import InputError, ModelError
from graph.model import load_model
from graph.paths import default_data_files
from graph.rdf_files import read_files
from graph.report import format_report
from graph.stats import compute_stats, format_stats
from graph.validation import validate

T = TypeVar("T")
_FILES = click.argument(
    "files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="vnpolicy")
def main() -> None:
    """vnpolicy: Vietnam's science, technology, innovation and digital-transformation policy
    as a validated linked-data graph."""


@main.command("validate")
@_FILES
@click.option("--examples", default=5, show_default=True, help="Focus nodes shown per rule.")
@click.option("--json", "as_json", is_flag=True, help="Print the violations as JSON.")
def validate_command(files: tuple[Path, ...], examples: int, as_json: bool) -> None:
    """Validate FILES (default: the project's graph) against the shapes.

    The ontology and vocabularies are always checked too. Accepted file types:
    .ttl, .trig, .nt, .nq.
    """
    report = _run(lambda: validate(read_files(files or default_data_files())))
    if as_json:
        payload = {
            "conforms": report.conforms,
            "violations": [dataclasses.asdict(v) for v in report.violations],
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(report, examples=examples), nl=False)
    sys.exit(0 if report.conforms else 1)


@main.command("stats")
@_FILES
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
def stats_command(files: tuple[Path, ...], as_json: bool) -> None:
    """Count what FILES (default: the project's graph) hold, by kind and certainty."""
    stats = _run(lambda: compute_stats(read_files(files or default_data_files()), load_model()))
    if as_json:
        click.echo(json.dumps(dataclasses.asdict(stats), ensure_ascii=False, indent=2))
    else:
        click.echo(format_stats(stats), nl=False)


def _run(action: Callable[[], T]) -> T:
    """Run a library call, turning our deliberate errors into a message and an exit code."""
    try:
        return action()
    except InputError as exc:
        _fail(str(exc), 2)
    except ModelError as exc:
        _fail(f"vnpolicy's own model is broken (please report this): {exc}", 3)


def _fail(message: str, code: int) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


__all__ = ["main"]
